#!/bin/bash
# The mouse, with the events a terminal sends (xterm X10 encoding, written into the pane):
# a click on a column header sorts by it (again: inverts), on a row selects it, on a tab
# switches the list, on a function key runs it; the wheel scrolls.
source "$(dirname "$0")/lib.sh"

mk_shm 0x00000030 65536   # id 0
mk_shm 0x00000010 4096    # id 1
mk_shm 0x00000020 1048576 # id 2
mk_sem 0x0000ee01 1

TERM_W=120 TERM_H=30 ipctop_start -d 0.5
wait_for "0x00000020"
wait_ids "0 1 2"

# x of a column header's title on the header line (y = 4)
header_x() { screen | grep -m1 '^  KEY' | awk -v t="$1" '{ i = index($0, " " t); print (i ? i : -1) }'; }

x=$(header_x SIZE)
((x > 0)) || fail "no SIZE header"
mouse_click "$x" 4
wait_sorted "SIZE▲"
wait_ids "1 0 2"
mouse_click "$x" 4
wait_sorted "SIZE▼"
wait_ids "2 0 1"
mouse_click "$(header_x KEY)" 4
wait_sorted "KEY▼" # a new column keeps the order
wait_ids "0 2 1"

# a row: the third row of the list (y = 5 + 2)
mouse_click 20 7
wait_selected 0x00000010
wait_for "3 rows, row 3"
mouse_click 20 5
wait_selected 0x00000030
# below the last row: nothing selected anew
mouse_click 20 12
sleep 0.3
wait_selected 0x00000030

# tabs (y = 3)
tab_x() { screen | grep -m1 ' 1 Shared memory' | awk -v t="$1" '{ print index($0, t) }'; }
mouse_click "$(tab_x Semaphores)" 3
wait_for "0x0000ee01"
mouse_click "$(tab_x 'Shared memory')" 3
wait_for "0x00000020"

# the function key bar (last line): F1 opens the help, any key closes it
mouse_click 1 29
wait_for "any key closes this help"
keys x
wait_gone "any key closes this help"

# the wheel scrolls a long list
"$IPCLOAD_BIN" --leak --shm 60 --shm-size 4096 --key-base 0x0e000000 > /dev/null
wait_for " 1 Shared memory (63)"
first_row() { list_keys | awk '{print $1}'; }
top=$(first_row)
mouse_wheel down 20 10
poll_until 3 eval '[[ $(first_row) != "$top" ]]' || fail "the wheel did not scroll down"
mouse_wheel up 20 10
wait_eq "$top" first_row

keys q
assert_eq "$(wait_exit)" 0 "exit status"
