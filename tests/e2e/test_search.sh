#!/bin/bash
# Search (/ or F3, text, Enter) selects the next matching row — seen in the selection's
# colours and in what Enter then shows in the detail pane; n goes to the next match and
# wraps; a search without a match says so and leaves the selection alone.
source "$(dirname "$0")/lib.sh"

mk_shm 0x5ea5ff05 4096
mk_shm 0x5ea5ff06 8192
mk_shm 0x5ea5ff07 16384
mk_shm 0x7777aaaa 32768
id_aaaa=$(shm_id_of 0x7777aaaa)
id_ff06=$(shm_id_of 0x5ea5ff06)
id_ff07=$(shm_id_of 0x5ea5ff07)

ipctop_start -d 0.5
wait_for "0x7777aaaa"
wait_selected 0x5ea5ff05

# / + text + Enter: the one row whose key matches
keys /
wait_for "Search:"
type_text 7777a
wait_for "Search: 7777a"
keys Enter
wait_gone "Search:"
wait_selected 0x7777aaaa
assert_screen_has "4 rows, row 4"
keys Enter
wait_for "Shared memory segment $id_aaaa"
assert_screen_has "key                0x7777aaaa"
keys Escape
wait_for "F10Quit"
wait_gone "Shared memory segment"
wait_selected 0x7777aaaa

# F3: a text three rows match; the search goes forward from the selection and wraps
keys F3
wait_for "Search:"
type_text 5ea5ff
keys Enter
wait_gone "Search:"
wait_selected 0x5ea5ff05
keys n
wait_selected 0x5ea5ff06
keys Enter
wait_for "Shared memory segment $id_ff06"
assert_screen_has "key                0x5ea5ff06"
keys Escape
wait_gone "Shared memory segment"
keys n
wait_selected 0x5ea5ff07
keys n
wait_selected 0x5ea5ff05 # wrapped past 0x7777aaaa, which does not match

# case does not matter; the search is typed into the prompt and matches as it is typed
keys /
type_text 7777A
wait_selected 0x7777aaaa
keys Enter
wait_gone "Search:"

# by owner: every row is root's; the selection stays where it is when it matches
keys /
type_text root
keys Enter
wait_gone "Search:"
wait_selected 0x7777aaaa

# by id: the row whose id is the text (no key holds that digit)
assert_eq "$id_ff07" 2 "id of 0x5ea5ff07"
keys /
type_text "$id_ff07"
keys Enter
wait_gone "Search:"
wait_selected 0x5ea5ff07

# a key written in decimal, as PostgreSQL logs it: 0x7777aaaa is 2004331178; /proc prints
# 0x5ea5ff06 as 1587937030 too (positive); a negative one as /proc prints keys >= 2^31
keys /
type_text 2004331178
keys Enter
wait_gone "Search:"
wait_selected 0x7777aaaa
keys /
type_text 1587937030
keys Enter
wait_gone "Search:"
wait_selected 0x5ea5ff06

# no match: a message, and the selection stays
keys /
type_text zzzz
keys Enter
wait_for "no row matches 'zzzz'"
wait_selected 0x5ea5ff06

keys q
assert_eq "$(wait_exit)" 0 "exit status"
