#!/bin/bash
# The mouse, with the events a terminal sends (xterm X10 encoding, written into the pane):
# a click on a column header sorts by it (again: inverts), on a row selects it, on a tab
# switches the list, on a function key runs it; the wheel scrolls. With TERM=xterm-256color
# (SGR reports, kmous=\E[<) a click works, and a forged report with too many parameters
# (which overflows ncurses 6.4's stack) is dropped: the monitor goes on.
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

# ---- SGR reports (TERM=xterm-256color) -------------------------------------------------------------
sgr() { t send-keys -t main -H $(printf '%s' "$1" | od -An -tx1); }
rm -f "$IPCTOPRC" # the sort the clicks above saved
tmux_start 120 30 env TERM=xterm-256color "$IPCTOP_BIN" -d 0.5
wait_for "F10Quit"
wait_sorted "ID▲"
# "ESC [ < 0 ; x ; y M" then "... m": a click on the SIZE header (1-based coordinates)
x=$(header_x SIZE)
sgr $'\e[<0;'"$((x + 1))"$';5M\e[<0;'"$((x + 1))"$';5m'
wait_sorted "SIZE▲"
# a forged report: 32 parameters (ncurses keeps 9, on the stack), then a valid click
sgr $'\e[<;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;0M'
sgr $'\e[<'"$(printf '1;%.0s' {1..40})"$'1M'
sgr $'\e[<0;'"$((x + 1))"$';5M\e[<0;'"$((x + 1))"$';5m'
wait_sorted "SIZE▼"
assert_screen_lacks "EXIT="
keys q
assert_eq "$(wait_exit)" 0 "exit status after forged mouse reports"
