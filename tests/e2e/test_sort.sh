#!/bin/bash
# Sorting: the F6 menu, < and > (the column to the left / right), I inverts, -s at start;
# the rows change order accordingly and the selection stays on its object.
source "$(dirname "$0")/lib.sh"

# ids 0 1 2 in creation order; sizes and keys in other orders
mk_shm 0x00000030 65536   # id 0: 64K
mk_shm 0x00000010 4096    # id 1: 4K
mk_shm 0x00000020 1048576 # id 2: 1M

ipctop_start -d 0.5
wait_for "0x00000020"
wait_ids "0 1 2" # by ID
wait_for_re '^  KEY +ID▲'

# F6: the menu starts on the current column (ID, marked *); Down x3 = SIZE
keys F6
wait_for "Sort by"
assert_screen_has " ID *"
keys Down Down Down
keys Enter
wait_gone "Sort by"
wait_sorted "SIZE▲"
wait_ids "1 0 2"
assert_eq "$(cell 0x00000010 SIZE) $(cell 0x00000030 SIZE) $(cell 0x00000020 SIZE)" "4K 64K 1M" "sizes"

# I inverts, twice restores
keys I
wait_sorted "SIZE▼"
wait_ids "2 0 1"
keys I
wait_sorted "SIZE▲"
wait_ids "1 0 2"

# F6 + Enter on the column already sorted by inverts it; Esc leaves the menu unchanged
keys F6
wait_for " SIZE *"
keys Enter
wait_sorted "SIZE▼"
wait_ids "2 0 1"
keys F6
wait_for "Sort by"
keys Up Escape
wait_gone "Sort by"
assert_screen_has "SIZE▼"
wait_ids "2 0 1"
keys I
wait_ids "1 0 2"

# < walks left: PERMS (all equal: ties by id), OWNER, ID, KEY
keys '<'
wait_sorted "PERM*▲"
wait_ids "0 1 2"
keys '<' '<' '<'
wait_sorted "KEY▲"
wait_ids "1 2 0"
assert_eq "$(list_keys)" "0x00000010 0x00000020 0x00000030" "by KEY"
# > walks right
keys '>'
wait_sorted "ID▲"
wait_ids "0 1 2"
keys '>' '>' '>'
wait_sorted "SIZE▲"
wait_ids "1 0 2"

# the selection follows its object across re-sorting
keys End
wait_selected 0x00000020
keys I
wait_ids "2 0 1"
wait_selected 0x00000020
assert_screen_has "3 rows, row 1"
keys '<' '<' '<' '<'
wait_sorted "KEY▼"
wait_ids "0 2 1"
wait_selected 0x00000020

keys q
assert_eq "$(wait_exit)" 0 "exit status"

# -s at start, by name or by title, case-insensitive; the settings file is not read
rm -f "$IPCTOPRC"
ipctop_start -s size
wait_sorted "SIZE▲"
wait_ids "1 0 2"
keys q
wait_exit > /dev/null
rm -f "$IPCTOPRC"
ipctop_start -s KEY
wait_sorted "KEY▲"
wait_ids "1 2 0"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
