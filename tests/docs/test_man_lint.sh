#!/bin/bash
# The man page passes the checks lintian runs on an installed one: lexgrog finds its NAME
# line (whatis/apropos), and man renders it without a warning. `man --warnings` exits 0
# even when groff warns: what counts is that standard error stays empty.
# Usage: test_man_lint.sh MAN_PAGE        (needs man-db; scripts/setup installs it)
set -euo pipefail
page=${1:?usage: $0 MAN_PAGE}
status=0
check() { # WHAT CMD...: CMD exits 0 and writes nothing on stderr
    local what=$1 out err rc=0
    shift
    out=$(mktemp)
    err=$("$@" 2>&1 > "$out") || rc=$?
    if ((rc != 0)) || [[ -n $err ]]; then
        echo "FAIL [man_lint]: $what (exit $rc):" >&2
        printf '%s\n' "$err" | sed 's/^/    /' >&2
        ((rc == 0)) || head -5 "$out" | sed 's/^/    stdout: /' >&2
        status=1
    fi
    rm -f "$out"
}
command -v lexgrog > /dev/null || { echo "FAIL [man_lint]: lexgrog not found (man-db)" >&2; exit 1; }
check "lexgrog $page" lexgrog "$page"
check "man --warnings $page" man --warnings -E UTF-8 -l -Tutf8 -Z "$page"
# as lintian runs it (its manpages check): width 80, no local roff sequences
check "man --warnings $page (as lintian)" env LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
    man --warnings -E UTF-8 -l -Tutf8 -Z "$page"
((status == 0)) && echo "man_lint: $page: lexgrog and man --warnings are silent"
exit "$status"
