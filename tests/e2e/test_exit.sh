#!/bin/bash
# Leaving: q and F10 exit 0; SIGINT (Ctrl-C), SIGTERM, SIGHUP and SIGQUIT (Ctrl-\) exit
# cleanly too; every other signal that ends a process and can be caught (SIGUSR1, SIGALRM,
# SIGPIPE, a SIGSEGV or SIGABRT sent as a crash would) ends it by that signal; each time the
# terminal is restored — no alternate screen, cursor shown, mouse reporting off, echo on,
# the shell's text back — and the process is gone; -n N exits after N refreshes; a
# terminal that cannot move its cursor (TERM=dumb) is refused with a sentence.
source "$(dirname "$0")/lib.sh"

mk_shm 0xe1170001 4096

# The terminal after the program: what the shell printed before it is back, the exit
# status printed after it, no trace of the monitor.
restored() {
    local how=$1
    assert_eq "$(pane_flag alternate_on)" 0 "$how: still in the alternate screen"
    assert_eq "$(pane_flag cursor_flag)" 1 "$how: the cursor is hidden"
    assert_eq "$(pane_flag mouse_any_flag)" 0 "$how: mouse reporting left on"
    assert_eq "$(pane_flag keypad_cursor_flag)" 0 "$how: keypad (application cursor) mode left on"
    assert_screen_has "E2E-SHELL"
    assert_screen_lacks "F1Help"
    assert_screen_lacks "0xe1170001"
}
gone() {
    local pid=$1 how=$2
    poll_until 5 eval "! kill -0 $pid 2> /dev/null" || fail "$how: ipctop (pid $pid) is still running"
}

for how in q F10; do
    ipctop_start
    wait_for "0xe1170001"
    assert_eq "$(pane_flag alternate_on)" 1 "the monitor uses the alternate screen"
    pid=$(ipctop_pid)
    keys "$how"
    assert_eq "$(wait_exit)" 0 "exit status after $how"
    restored "$how"
    gone "$pid" "$how"
done

# q in an overlay that takes text does not quit: it is text
ipctop_start
wait_for "0xe1170001"
keys /
wait_for "Search:"
keys q
wait_for "Search: q"
keys Escape
wait_gone "Search:"
keys q
assert_eq "$(wait_exit)" 0 "exit status"

# signals: the exit status is 0 (handled) or 128+signal, never a crash; the terminal is back
for sig in INT TERM HUP QUIT; do
    ipctop_start
    wait_for "0xe1170001"
    pid=$(ipctop_pid)
    if [[ $sig == INT ]]; then
        keys C-c
    elif [[ $sig == QUIT ]]; then
        keys 'C-\'
    else
        kill -s "$sig" "$pid"
    fi
    status=$(wait_exit)
    num=$(kill -l "$sig")
    [[ $status == 0 || $status == $((128 + num)) ]] || fail "exit status $status after SIG$sig"
    restored "SIG$sig"
    gone "$pid" "SIG$sig"
done

# the other signals that end a process: it still ends by them (a core dump is not wanted
# here), and the terminal is restored first: modes too (the shell's line gets echoed)
for sig in USR1 USR2 ALRM PIPE VTALRM XCPU SEGV ABRT BUS FPE; do
    tmux_start 120 30 bash -c 'ulimit -c 0; exec "$@"' ipctop "$IPCTOP_BIN"
    wait_for "0xe1170001"
    pid=$(ipctop_pid)
    kill -s "$sig" "$pid"
    status=$(wait_exit)
    # 128+signal; under a sanitizer its report may end the process another way
    ((status >= 128)) || fail "exit status $status after SIG$sig"
    if [[ -z ${ASAN_OPTIONS:-} ]]; then
        assert_eq "$status" $((128 + $(kill -l "$sig"))) "exit status after SIG$sig"
    fi
    restored "SIG$sig"
    gone "$pid" "SIG$sig"
    # echo and canonical input are back: what is typed now shows on the terminal
    t send-keys -t main -l "typed-after-$sig"
    wait_for "typed-after-$sig"
done

# a terminal that cannot address its cursor: one sentence, status 1, nothing drawn
tmux_start 120 30 env TERM=dumb "$IPCTOP_BIN"
assert_eq "$(wait_exit)" 1 "exit status with TERM=dumb"
assert_screen_has "ipctop: this terminal (TERM=dumb) cannot move its cursor"
assert_eq "$(pane_flag alternate_on)" 0 "TERM=dumb: the alternate screen"

# a signal while an overlay is open
ipctop_start
wait_for "0xe1170001"
keys Enter
wait_for "Shared memory segment"
kill -TERM "$(ipctop_pid)"
wait_exit > /dev/null
restored "SIGTERM in the detail pane"

# -n N: N refreshes, then exit 0 by itself
start=$(date +%s.%N)
tmux_start 120 30 "$IPCTOP_BIN" -n 3 -d 0.3
assert_eq "$(wait_exit)" 0 "exit status of -n 3"
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
log "-n 3 -d 0.3 took ${took}s"
awk -v t="$took" 'BEGIN { exit !(t >= 0.5) }' || fail "-n 3 -d 0.3 exited after ${took}s: fewer than 3 refreshes"
restored "-n 3"

# -n 1: the first refresh is drawn, then it exits
tmux_start 120 30 "$IPCTOP_BIN" -n 1
assert_eq "$(wait_exit)" 0 "exit status of -n 1"
restored "-n 1"
