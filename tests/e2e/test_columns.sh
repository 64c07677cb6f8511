#!/bin/bash
# F2 (or C) chooses the columns a list shows: Space toggles the one selected, the list
# follows at once, the choice is saved in the settings file and read back next time; the
# last column cannot be hidden.
source "$(dirname "$0")/lib.sh"

mk_shm 0x2c2c0001 8192
ipctop_start -d 0.5
wait_for "0x2c2c0001"
header() { screen | grep -m1 -E '^  KEY'; }
assert_no_match "$(header)" ' RSS ' "RSS is off by default (its only source is the costliest read)"
assert_match "$(header)" ' SIZE ' "SIZE is shown by default"

keys F2
wait_for "Columns (Space)"
assert_screen_has "[ ] RSS"
assert_screen_has "[x] SIZE"
# RSS is the 6th column of the shared memory list: down 5 times
keys Down Down Down Down Down
keys Space
wait_for "[x] RSS"
keys Escape
wait_gone "Columns (Space)"
poll_until 5 eval '[[ $(header) =~ " RSS " ]]' || fail "RSS not shown: $(header)"
assert_match "$(header)" ' SIZE ' "the other columns stay"
# and it is filled: the segment's rss is read now that a column wants it
poll_until 5 eval '[[ $(cell 0x2c2c0001 RSS) == 0 ]]' ||
    fail "the RSS of 0x2c2c0001 is not filled: '$(cell 0x2c2c0001 RSS)'"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
grep -q '^columns.shm=key,id,owner,perms,size,rss,nattch,' "$IPCTOPRC" ||
    fail "the settings file does not have the choice: $(grep columns.shm "$IPCTOPRC")"

# read back
ipctop_start -d 0.5
wait_for "0x2c2c0001"
assert_match "$(header)" ' RSS ' "RSS shown after a restart"
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
