#!/bin/bash
# The other keys of the list: moving (j k Up Down Home End g G PgUp PgDn), Space tags and
# steps down, U untags all, Z pauses refreshing (new objects wait), + and - change the
# interval, Ctrl-L redraws, Enter on an empty list says so.
source "$(dirname "$0")/lib.sh"

"$IPCLOAD_BIN" --leak --shm 40 --shm-size 4096 --key-base 0x6e000000 > /dev/null
TERM_W=120 TERM_H=20 ipctop_start -d 0.5
wait_for "0x6e000000"
height=$((20 - 4 - 1 - 2)) # header, column titles, status and key bar

key_n() { printf '0x6e%06x' "$1"; }
at() { wait_selected "$(key_n "$1")"; }

at 0
keys j
at 1
keys Down Down
at 3
keys k
at 2
keys Up Up Up # stops at the first row
at 0
keys End
at 39
keys Home
at 0
keys G
at 39
keys g
at 0
keys NPage
at "$height"
keys NPage NPage NPage # stops at the last row
at 39
keys PPage
at $((39 - height))

# Space tags the row and steps down; the tab bar counts the tags
keys g
at 0
keys Space
at 1
keys Space Space
at 3
wait_for "3 tagged"
for k in 0 1 2; do assert_eq "$(gutter "$(key_n "$k")")" "* " "gutter of tagged row $k"; done
assert_eq "$(gutter "$(key_n 3)")" "  " "gutter of an untagged row"
assert_match "$(cell_style "$(key_n 1)" KEY)" 'fg=3' "a tagged row is yellow"
keys k Space # untag row 2
wait_for "2 tagged"
keys U
wait_gone "tagged"
assert_eq "$(gutter "$(key_n 0)")" "  " "gutter after U"

# Z pauses: the header says so, a new object does not appear until Z again
keys Z
wait_for "PAUSED"
"$IPCLOAD_BIN" --leak --shm 1 --key-base 0x6e0f0000 > /dev/null
sleep 1.2 # two refresh intervals: nothing may come
assert_screen_lacks " 1 Shared memory (41)"
keys Z
wait_gone "PAUSED"
wait_for " 1 Shared memory (41)"

# + and - step through the intervals
keys +
wait_for "every 1s"
keys + +
wait_for "every 3s"
keys - - - -
wait_for "every 0.25s"
keys -
wait_for "every 0.25s" # the shortest

# Ctrl-L: everything drawn again
keys C-l
wait_for "F10Quit"
wait_for "0x6e000000"

# Enter on an empty list: a message, no pane
keys 3
wait_for "no objects of this kind"
keys Enter
wait_for "nothing selected"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
