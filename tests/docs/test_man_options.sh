#!/bin/bash
# Every option of `ipctop --help` (of the binary as built) is in the OPTIONS section of the
# man page, and every option the man page describes there is in --help: the same short and
# long names, paired the same way ("-s, --sort" in one is "-s, --sort" in the other).
# Usage: test_man_options.sh IPCTOP_BINARY MAN_PAGE
# Needs only bash, grep and sed: it also runs in a package build (dh_auto_test, ctest -L unit).
set -euo pipefail
bin=${1:?usage: $0 IPCTOP_BINARY MAN_PAGE}
page=${2:?usage: $0 IPCTOP_BINARY MAN_PAGE}
fail() {
    echo "FAIL [man_options]: $*" >&2
    exit 1
}

# the names an entry starts with, sorted, on one line: "-b, --batch text" is "--batch -b";
# the first word that is not an option name ends them (a value's name, the text)
names() {
    local w
    local -a ws out=()
    read -ra ws
    for w in "${ws[@]}"; do
        w=${w%,}
        [[ -n $w ]] || continue # the man page's ", " between names
        [[ $w =~ ^--?[[:alnum:]][[:alnum:]-]*$ ]] || break
        out+=("$w")
    done
    ((${#out[@]})) && printf '%s\n' "${out[@]}" | sort | paste -sd' '
}

# --help: "  -d, --delay SECONDS    text", "      --bytes            text", or a long name
# that fills the column and its text after one space (continuation lines are indented
# further)
help_options() {
    "$bin" --help | grep -E '^ {1,8}-' | while IFS= read -r line; do
        names <<< "$line"
    done | sort
}

# the man page: the tag (the line after .TP) of each entry in OPTIONS, without the fonts,
# quotes and the value's name: ".BR \-d ", " \-\-delay " \fISECONDS\fR"" is "-d, --delay"
man_options() {
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$page" | sed -n '/^\.TP/{n;p;}' |
        sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/"//g; s/^\.[A-Z]+ //' | while IFS= read -r tag; do
        names <<< "$tag"
    done | sort
}

help=$(help_options)
man=$(man_options)
(($(wc -l <<< "$help") >= 20)) || fail "read only $(wc -l <<< "$help") options from $bin --help"
(($(wc -l <<< "$man") >= 20)) || fail "read only $(wc -l <<< "$man") options from $page"

only_help=$(comm -23 <(echo "$help") <(echo "$man"))
only_man=$(comm -13 <(echo "$help") <(echo "$man"))
status=0
if [[ -n $only_help ]]; then
    echo "FAIL [man_options]: in ipctop --help but not (or not so) in the OPTIONS of $page:" >&2
    sed 's/^/    /' <<< "$only_help" >&2
    status=1
fi
if [[ -n $only_man ]]; then
    echo "FAIL [man_options]: in the OPTIONS of $page but not (or not so) in ipctop --help:" >&2
    sed 's/^/    /' <<< "$only_man" >&2
    status=1
fi
((status == 0)) && echo "man_options: the $(wc -l <<< "$help") options of --help and of $page agree"
exit "$status"
