#!/bin/bash
# F2 (or C) chooses the columns a list shows: Space toggles the one selected, the list
# follows at once, the choice is saved in the settings file and read back next time; the
# last column cannot be hidden.
source "$(dirname "$0")/lib.sh"

mk_shm 0x2c2c0001 8192
ipctop_start -d 0.5
wait_for "0x2c2c0001"
header() { screen | grep -m1 -E '^  KEY'; }
assert_match "$(header)" ' RSS ' "RSS is shown by default"

keys F2
wait_for "Columns (Space)"
assert_screen_has "[x] RSS"
# RSS is the 6th column of the shared memory list: down 5 times
keys Down Down Down Down Down
keys Space
wait_for "[ ] RSS"
keys Escape
wait_gone "Columns (Space)"
poll_until 5 eval '[[ ! $(header) =~ " RSS " ]]' || fail "RSS still shown: $(header)"
assert_match "$(header)" ' SIZE ' "the other columns stay"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
grep -q '^columns.shm=key,id,owner,perms,size,swap,' "$IPCTOPRC" ||
    fail "the settings file does not have the choice: $(grep columns.shm "$IPCTOPRC")"

# read back
ipctop_start -d 0.5
wait_for "0x2c2c0001"
assert_no_match "$(header)" ' RSS ' "RSS hidden after a restart"
# C opens the same menu; hiding every column is refused at the last one
keys C
wait_for "Columns (Space)"
for _ in $(seq 1 20); do keys Space Down; done
sleep 0.5
keys Escape
wait_gone "Columns (Space)"
# the column header is the line under the tab bar
assert_match "$(screen_line 4)" '[A-Z]' "a column is left"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
