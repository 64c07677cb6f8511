#!/bin/bash
# Removal in the screens: L shows only leak candidates, T tags them, F9 asks first with a
# dialog naming each object with its verdict and why (the list frozen meanwhile), anything
# but y cancels, y removes each with one outcome line. An object that is not certainly
# leaked (in use, or only possibly leaked) asks a second time, naming why: Y removes it
# anyway (an attached segment is then only marked for destruction), l only the certainly
# leaked ones. --readonly refuses.
source "$(dirname "$0")/lib.sh"

mk_leaked_shm 0x4e4e0001 4096 # leaked: nobody made it, and nobody has no process left
mk_leaked_shm 0x4e4e0002 8192
mk_shm 0x4e4e0005 4096 # root's: root's processes (this test's) live on: possibly leaked
mk_sem 0x4e4e0003 1
"$IPCLOAD_BIN" --shm 1 --attachers 1 --key-base 0x4e4e0010 > "$E2E_TMP/att.out" 2>&1 &
poll_until 15 grep -q '^ready' "$E2E_TMP/att.out" || fail "ipcload did not start"

ipctop_start -d 0.5 --older-than 0
wait_for "0x4e4e0010"
assert_eq "$(cell 0x4e4e0001 LEAK)" "leaked" "a leaked segment"
assert_eq "$(cell 0x4e4e0005 LEAK)" "possibly" "root's segment while root's processes live"
assert_eq "$(cell 0x4e4e0010 LEAK)" "" "an attached segment is no leak"

# L: only the leak candidates; tag the two certain ones; F9 asks
keys L
wait_gone "0x4e4e0010"
assert_eq "$(list_keys)" "0x4e4e0001 0x4e4e0002 0x4e4e0005" "leak candidates"
keys Home Space Space # Space tags and moves down
wait_for "2 tagged"
keys F9
wait_for "Remove 2 objects?"
assert_screen_has "key 0x4e4e0001  owner nobody  4K"
assert_screen_has "key 0x4e4e0002  owner nobody  8K"
assert_screen_has "LEAKED: nothing attached, creator"
assert_screen_has "no process of nobody left"
assert_screen_lacks "WARNING"

# the list is frozen while the dialog is open: a new object does not show up in it
mk_shm 0x4e4e0020 4096
sleep 1.2
assert_screen_has "Remove 2 objects?"
keys n
wait_for "nothing removed"
[[ -n $(shm_id_of 0x4e4e0001) && -n $(shm_id_of 0x4e4e0002) ]] || fail "cancel removed something"

# again, and y: no second question for certain leaks
keys F9
wait_for "Remove 2 objects?"
keys y
wait_for "Removal results"
assert_screen_has "owner nobody) removed"
[[ -z $(shm_id_of 0x4e4e0001) && -z $(shm_id_of 0x4e4e0002) ]] || fail "the leaked segments are still there"
[[ -n $(shm_id_of 0x4e4e0010) ]] || fail "the attached segment was removed"
keys x # any key closes the results

# root's possibly leaked one: asked twice, with why; l (only the certain ones) removes nothing
keys /
type_text 4e4e0005
keys Enter
wait_selected 0x4e4e0005
keys F9
wait_for "Remove 1 object?"
assert_screen_has "WARNING: 1 of them is NOT certainly leaked"
assert_screen_has "POSSIBLY LEAKED:"
assert_screen_has "but root has"
keys y
wait_for "1 of them is NOT certainly leaked"
assert_screen_has "Y removes them anyway, l removes only the certainly leaked ones"
keys l
wait_for "nothing removed: none of them is certainly leaked"
[[ -n $(shm_id_of 0x4e4e0005) ]] || fail "l removed a possibly leaked segment"

keys L # everything again
wait_for "0x4e4e0010"

# the attached one: asked twice, then only marked for destruction
keys /
type_text 4e4e0010
keys Enter
wait_selected 0x4e4e0010
keys F9
wait_for "Remove 1 object?"
assert_screen_has "WARNING: 1 of them is NOT certainly leaked"
assert_screen_has "NOT LEAKED: in use: 1 attachment"
keys y
wait_for "1 of them is NOT certainly leaked"
keys Y
wait_for "marked for destruction"
keys x
wait_eq "dest" cell 0x00000000 STATUS
keys q
assert_eq "$(wait_exit)" 0 "exit status"

# --readonly: nothing is removed, a message says why
ipctop_start -d 0.5 --readonly --older-than 0
keys 2
wait_for "0x4e4e0003"
keys /
type_text 4e4e0003
keys Enter
wait_selected 0x4e4e0003
keys F9
wait_for "read-only mode (--readonly): removing objects is disabled"
assert_screen_lacks "Remove 1 object?"
[[ -n $(sem_id_of 0x4e4e0003) ]] || fail "--readonly removed the set"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
