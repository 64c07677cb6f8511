#!/bin/bash
# Who uses what in the screens: the ATTACHED and COMMAND columns, a dead creator marked,
# the detail pane listing attachers and waiters (with the operation they wait for), and
# F9 on a waiter's line sending it a signal after a menu naming it (SIGTERM preselected);
# --readonly refuses.
source "$(dirname "$0")/lib.sh"

"$IPCLOAD_BIN" --shm 1 --attachers 2 --key-base 0x3d0d0000 > "$E2E_TMP/shm.out" 2>&1 &
"$IPCLOAD_BIN" --sem 1 --nsems 2 --sem-waiters 1 --zero-waiters 1 --key-base 0x3d0d1000 \
    > "$E2E_TMP/sem.out" 2>&1 &
"$IPCLOAD_BIN" --msg 1 --receivers 1 --key-base 0x3d0d2000 > "$E2E_TMP/msg.out" 2>&1 &
for f in shm sem msg; do
    poll_until 15 grep -q '^ready' "$E2E_TMP/$f.out" || fail "ipcload ($f) did not start: $(cat "$E2E_TMP/$f.out")"
done
mk_shm 0x3d0d3000 4096 # its creator exits at once: a dead creator

ipctop_start -d 0.5
wait_for "0x3d0d3000"
wait_eq 2 cell 0x3d0d0000 ATTACHED
assert_eq "$(cell 0x3d0d0000 COMMAND)" "ipcload" "creator's command"
assert_eq "$(cell 0x3d0d3000 COMMAND)" "(dead)" "a creator that exited"
assert_match "$(cell_style 0x3d0d3000 CPID)" 'fg=1' "the dead creator's pid is marked red"

# the segment's detail: both attachers, each with pid, user and command
keys /
type_text 3d0d0000
keys Enter
wait_selected 0x3d0d0000
keys Enter
wait_for "Attached processes: 2 (nattch 2)"
attachers=$(screen | awk '/PID USER +MAPS ACCESS STATE +UP +PPID COMMAND/ {on=1; next} on && $1 ~ /^[0-9]+$/ {print $2, $3, $4, $5, $8} on && !NF {exit}')
assert_eq "$(wc -l <<< "$attachers")" 2 "attacher lines"
# user, mappings, access, state, and the command line (not just the name)
assert_match "$attachers" '^root 1 rw sleep /.*/ipcload' "attacher line"
assert_screen_has "ipcload --shm 1 --attachers 2"
keys Escape
wait_for "F10Quit"

# the set: a decrementing waiter and a wait-for-zero waiter, with what they wait for
keys 2
wait_for "0x3d0d1000"
keys /
type_text 3d0d1000
keys Enter
wait_selected 0x3d0d1000
keys Enter
wait_for "Waiting processes: 2"
assert_screen_has "sem 0: decrement by 1"
assert_screen_has "sem 1 to be zero"
waiting_line=$(screen | grep -m1 "sem 0: decrement by 1")
victim=$(awk '{print $1}' <<< "$waiting_line")
[[ $victim =~ ^[0-9]+$ ]] || fail "no pid on the waiter's line '$waiting_line'"

# select it (the waiters are listed longest-waiting first, so its place depends on which
# of the two blocked first), F9: the menu names it and has SIGTERM selected; Enter sends it
place=$(screen | awk '/PID USER +WAITS FOR/ {on = 1; next} on && /sem [01]/ {n++; if (/sem 0: decrement by 1/) {print n; exit}}')
[[ $place =~ ^[12]$ ]] || fail "the waiter's line is not among the waiters (place '$place')"
for ((i = 0; i < place; i++)); do keys Down; done
keys F9
wait_for "Send signal to $victim"
assert_match "$(style_of ' 15 SIGTERM' 1)" "$SEL_STYLE" "SIGTERM preselected"
keys Enter
wait_for "sent SIGTERM to process $victim"
# dead: gone, or a zombie until ipcload reaps it
gone_or_zombie() { [[ ! -e /proc/$victim/stat ]] || awk '{exit $3 != "Z"}' "/proc/$victim/stat"; }
poll_until 5 gone_or_zombie || fail "process $victim is still alive"
wait_for "Waiting processes: 1"
keys Escape

# the queue: a blocked receiver
keys 3
wait_for "0x3d0d2000"
keys /
type_text 3d0d2000
keys Enter
wait_selected 0x3d0d2000
keys Enter
wait_for "Waiting processes: 1"
assert_screen_has "receive any type"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status"

# --readonly: the signal menu does not open
ipctop_start -d 0.5 --readonly
keys 2
wait_for "0x3d0d1000"
keys /
type_text 3d0d1000
keys Enter
wait_selected 0x3d0d1000
keys Enter
wait_for "Waiting processes: 1"
keys Down F9
wait_for "read-only mode (--readonly): sending signals is disabled"
assert_screen_lacks "Send signal to"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status"
