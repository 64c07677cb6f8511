#!/bin/bash
# Filter (\ or F4) keeps only the matching rows, as it is typed and across refreshes; the
# tab bar says how many of how many; Esc restores the filter there was; an empty filter
# clears it; each list has its own.
source "$(dirname "$0")/lib.sh"

mk_shm 0xf11e0001 4096
mk_shm 0xf11e0002 4096
mk_shm 0xabcd0003 4096
mk_sem 0xf11e5001 1

ipctop_start -d 0.5
wait_for "0xabcd0003"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002 0xabcd0003" "rows before filtering"

# \ and typing: rows go as the text is typed
keys '\'
wait_for "Filter:"
type_text f11e
wait_for "Filter: f11e"
wait_for_re "filter '?f11e'?: 2 of 3"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002" "rows matching f11e"
keys Enter
wait_gone "Filter:"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002" "rows after Enter"

# it holds across refreshes, for new objects too
mk_shm 0xf11e0004 4096
mk_shm 0xabcd0005 4096
wait_for "0xf11e0004"
wait_for_re "filter '?f11e'?: 3 of 5"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002 0xf11e0004" "new rows filtered"

# each list has its own filter
keys 2
wait_for "0xf11e5001"
assert_no_match "$(screen)" "filter '?f11e" "the semaphore list is not filtered"
keys 1
wait_for_re "filter '?f11e'?: 3 of 5"

# F4 edits the current filter; Esc puts back the one before editing
keys F4
wait_for "Filter: f11e"
type_text zzz
wait_for "no row matches the filter"
keys Escape
wait_gone "Filter:"
wait_for_re "filter '?f11e'?: 3 of 5"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002 0xf11e0004" "Esc restored the filter"

# another filter: a key's digits, case-insensitive
keys F4
for _ in 1 2 3 4; do keys BSpace; done
wait_for_re "^Filter: *$"
type_text ABCD
keys Enter
wait_for_re "filter '?ABCD'?: 2 of 5"
assert_eq "$(list_keys)" "0xabcd0003 0xabcd0005" "rows matching ABCD"

# an empty filter clears it
keys '\'
wait_for "Filter: ABCD"
for _ in 1 2 3 4; do keys BSpace; done
keys Enter
wait_gone_re "filter '?ABCD"
assert_eq "$(list_keys)" "0xf11e0001 0xf11e0002 0xabcd0003 0xf11e0004 0xabcd0005" "filter cleared"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
