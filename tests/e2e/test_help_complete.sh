#!/bin/bash
# The help screen shows every key with its whole description, on the classic 80x24
# terminal as on a wide one (it has no scrolling: "any key closes this help").
source "$(dirname "$0")/lib.sh"
source "$E2E_DIR/help_lib.sh"

missing=()
for size in 80x24 120x30 100x30; do
    TERM_W=${size%x*} TERM_H=${size#*x} ipctop_start
    keys F1
    wait_for "ipctop keys"
    # the title can be on the terminal before the last lines (a slow run, under valgrind):
    # read the screen until every entry is there, or for 5 s
    absent=()
    all_shown() {
        local shown e label text
        shown=$(screen)
        absent=()
        for e in "${entries[@]}"; do
            label=${e%%$'\t'*}
            text=${e#*$'\t'}
            help_has "$label" "$text" <<< "$shown" || absent+=("$size: '$label  $text'")
        done
        ((${#absent[@]} == 0))
    }
    poll_until 5 all_shown || missing+=("${absent[@]}")
    keys q
    wait_gone "ipctop keys"
    keys q
    wait_exit > /dev/null
done
if ((${#missing[@]})); then
    printf '  %s\n' "${missing[@]}" >&2
    fail "${#missing[@]} help entries are missing or cut"
fi
