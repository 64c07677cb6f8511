#!/bin/bash
# Nothing from the kernel reaches the terminal raw: a waiting process whose name holds an
# escape sequence, a bell and a C1 control (CSI) is shown with those bytes replaced, and
# the terminal neither changes colour nor rings.
source "$(dirname "$0")/lib.sh"

mk_sem 0x5a170001 1
id=$(sem_id_of 0x5a170001)
# perl names itself (prctl PR_SET_NAME: /proc/PID/comm) and blocks in semop
perl -e '$0 = "\e[31mEVIL\a\x9b2J"; semop($ARGV[0], pack("S s s", 0, -1, 0))' "$id" &
waiter=$!
named() { grep -q EVIL "/proc/$waiter/comm"; }
poll_until 5 named || fail "the waiter did not take its name"

ipctop_start -d 0.5
keys 2
wait_for "0x5a170001"
keys Enter
wait_for "Semaphore set $id"
wait_for "EVIL"
line=$(screen | grep -m1 EVIL)
assert_match "$line" '\[31mEVIL' "the escape sequence is shown as text"
evil_col=$(screen | grep -m1 EVIL | perl -CS -ne 'print index($_, "EVIL")')
assert_eq "$(style_of 'EVIL' "$evil_col")" "fg=d bg=d" "the name's cells keep the normal colours"
assert_eq "$(pane_flag window_bell_flag)" 0 "the terminal rang"
# nothing on the screen was cleared by a CSI 2J: the pane is still drawn
assert_screen_has "SEMNUM"
assert_screen_has "F10Quit"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status"
kill "$waiter"
