#!/bin/bash
# Help: F1, h and ? open it; it lists every key of the key table (ui/keys.c) with what it
# does; any key but the scrolling ones closes it — also q, which then does not quit.
source "$(dirname "$0")/lib.sh"
source "$E2E_DIR/help_lib.sh"

# the keys the issue names, whatever the table says
for k in "F1 h ?" "Tab" "Shift-Tab" "F3 /" "n" 'F4 \' "F6" "<" ">" "I" "Space" "U" "Z" "Ctrl-L" "F10 q" "Enter"; do
    printf '%s\n' "${entries[@]}" | cut -f1 | grep -qxF -- "$k" || fail "the key table has no entry '$k'"
done

mk_shm 0x4e170001 4096
TERM_W=120 TERM_H=40 ipctop_start
wait_for "0x4e170001"

for open in F1 h '?'; do
    keys "$open"
    wait_for "ipctop keys"
    for e in "${entries[@]}"; do
        label=${e%%$'\t'*}
        text=${e#*$'\t'}
        screen | help_has "$label" "${text:0:20}" || fail "help opened with $open lacks '$label  ${text:0:20}'"
    done
    keys x
    wait_gone "ipctop keys"
    wait_for "0x4e170001"
done

# any key closes it, and is not taken as a command
for close in Escape Enter q Left / F3 1; do # (Up/Down/PgUp/PgDn scroll a long help)
    keys F1
    wait_for "ipctop keys"
    keys "$close"
    wait_gone "ipctop keys"
    wait_for "0x4e170001"
    assert_screen_lacks "EXIT="
    assert_screen_lacks "Search:"
    assert_screen_lacks "Shared memory segment"
done

keys q
assert_eq "$(wait_exit)" 0 "exit status"
