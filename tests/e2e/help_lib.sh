# tests/e2e/help_lib.sh — sourced (after lib.sh) by the help screen's tests: the key table
# as ui/keys.c states it (in the array entries), and whether a screen shows one of them.

# "keys<TAB>help" for every action of the key table, read from the source
help_table() {
    perl -ne 'print "$1\t$2\n" if /^\s*\{ACT_\w+,\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",/' \
        "$E2E_DIR/../../ui/keys.c" | sed 's/\\\\/\\/g; s/\\"/"/g'
}
# whether the help shows the key LABEL followed by (the start of) TEXT, as it draws them
# side by side in one or two columns
help_has() {
    perl -e 'my ($l, $t) = splice(@ARGV, 0, 2); local $/; my $s = <STDIN>;
             exit($s =~ /(?:^|\s)\Q$l\E +\Q$t\E/m ? 0 : 1)' "$1" "$2"
}
mapfile -t entries < <(help_table)
((${#entries[@]} >= 25)) || fail "could not read the key table from ui/keys.c (${#entries[@]} entries)"
