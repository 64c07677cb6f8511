#!/bin/bash
# The help screen shows every key with its whole description, on the classic 80x24
# terminal as on a wide one (it has no scrolling: "any key closes this help").
source "$(dirname "$0")/lib.sh"

help_table() {
    perl -ne 'print "$1\t$2\n" if /^\s*\{ACT_\w+,\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",/' \
        "$E2E_DIR/../../ui/keys.c" | sed 's/\\\\/\\/g; s/\\"/"/g'
}
mapfile -t entries < <(help_table)
# whether the help shows the key LABEL followed by (the start of) TEXT, as it draws them
# side by side in one or two columns
help_has() {
    perl -e 'my ($l, $t) = splice(@ARGV, 0, 2); local $/; my $s = <STDIN>;
             exit($s =~ /(?:^|\s)\Q$l\E +\Q$t\E/m ? 0 : 1)' "$1" "$2"
}
((${#entries[@]} >= 25)) || fail "could not read the key table from ui/keys.c (${#entries[@]} entries)"

missing=()
for size in 80x24 120x30 100x30; do
    TERM_W=${size%x*} TERM_H=${size#*x} ipctop_start
    keys F1
    wait_for "ipctop keys"
    shown=$(screen)
    for e in "${entries[@]}"; do
        label=${e%%$'\t'*}
        text=${e#*$'\t'}
        help_has "$label" "$text" <<< "$shown" || missing+=("$size: '$label  $text'")
    done
    keys q
    wait_gone "ipctop keys"
    keys q
    wait_exit > /dev/null
done
if ((${#missing[@]})); then
    printf '  %s\n' "${missing[@]}" >&2
    fail "${#missing[@]} help entries are missing or cut"
fi
