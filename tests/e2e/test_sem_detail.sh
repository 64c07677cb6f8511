#!/bin/bash
# Enter on a semaphore set shows its elements with the right VALUE, NCOUNT and ZCOUNT
# while processes are blocked in semop; the pane follows live when a waiter is released
# or killed (the changed element highlighted); Esc and q close it (q does not quit).
source "$(dirname "$0")/lib.sh"

# set 0x5e5e0000, 4 semaphores: 3 decrementing waiters on semaphores 0,1,0 (values 0),
# 2 waiting for zero on semaphores 2,3 (values 1) — see ipcload's round-robin
"$IPCLOAD_BIN" --sem 1 --nsems 4 --sem-waiters 3 --zero-waiters 2 --key-base 0x5e5e0000 \
    > "$E2E_TMP/load.out" 2>&1 &
load_pid=$!
poll_until 15 grep -q '^ready' "$E2E_TMP/load.out" || fail "ipcload did not start: $(cat "$E2E_TMP/load.out")"
mk_sem 0x5e5e1000 2 # a set nobody waits on
semid=$(sem_id_of 0x5e5e0000)

# The pid of the child of ipcload blocked in semop on (semid, semnum) with sem_op op:
# its syscall's arguments say which set; its sembuf, read from its memory, which element.
waiter_pid() {
    perl -e '
        my ($parent, $semid, $semnum, $op) = @ARGV;
        opendir(my $d, "/proc") or die;
        for my $pid (grep { /^\d+$/ } readdir $d) {
            open(my $f, "<", "/proc/$pid/stat") or next;
            my $st = <$f>; close $f;
            next unless $st =~ /\)\s+\S+\s+(\d+)/ && $1 == $parent;
            open($f, "<", "/proc/$pid/syscall") or next;
            my @a = split " ", (<$f> // ""); close $f;
            next unless @a >= 4 && $a[1] =~ /^0x/ && hex($a[1]) == $semid && hex($a[3]) == 1;
            open(my $m, "<:raw", "/proc/$pid/mem") or next;
            sysseek($m, hex($a[2]), 0) or next;
            (sysread($m, my $buf, 6) // 0) == 6 or next;
            my ($num, $sop) = unpack("S s", $buf);
            print "$pid\n" if $num == $semnum && $sop == $op;
        }' "$load_pid" "$semid" "$1" "$2"
}

ipctop_start -d 0.5
keys 2
wait_for "0x5e5e1000"
wait_eq 5 cell 0x5e5e0000 WAITERS
assert_eq "$(cell 0x5e5e0000 NCOUNT)" 3 "NCOUNT column"
assert_eq "$(cell 0x5e5e0000 ZCOUNT)" 2 "ZCOUNT column"
assert_eq "$(cell 0x5e5e1000 WAITERS)" 0 "WAITERS of the idle set"

# Enter on the set (select it by search first, so the test does not depend on its row)
keys /
type_text 5e5e0000
keys Enter
wait_selected 0x5e5e0000
keys Enter
wait_for "Semaphore set $semid"
wait_for "SEMNUM"
expect_elements() { wait_eq "$1" sem_elements; }
expect_elements "0 0 2 0;1 0 1 0;2 1 0 1;3 1 0 1"
assert_screen_has "key                0x5e5e0000"
assert_screen_has "semaphores         4"

# release one waiter of semaphore 0 (+1: it takes the unit and goes on)
perl -e 'semop($ARGV[0], pack("S s s", 0, 1, 0)) or die "semop: $!\n"' "$semid"
expect_elements "0 0 1 0;1 0 1 0;2 1 0 1;3 1 0 1"
assert_screen_has "Semaphore set $semid" # still the pane, live

# kill the zero-waiter of semaphore 3: its ZCOUNT drops; the changed element is marked
victim=$(waiter_pid 3 0)
[[ $victim =~ ^[0-9]+$ ]] || fail "cannot find the process waiting for zero on semaphore 3 ('$victim')"
kill -KILL "$victim"
# the first screen that shows the new count shows that line highlighted (for one refresh)
after_kill="0 0 1 0;1 0 1 0;2 1 0 1;3 1 0 0"
killed_shown() {
    freeze
    [[ $(sem_elements) == "$after_kill" ]]
}
poll_until 5 killed_shown || fail "after the kill, the elements are '$(sem_elements)'"
line3=$(styles_of_line '^ +3 +1 +0 +0 ')
thaw
assert_match "$line3" 'bg=3' "the changed element's line is highlighted (yellow)"
highlight_gone() { ! styles_of_line '^ +3 +1 +0 +0 ' | grep -q 'bg=3'; }
poll_until 3 highlight_gone || fail "the changed element is still highlighted after several refreshes"
expect_elements "0 0 1 0;1 0 1 0;2 1 0 1;3 1 0 0"

# Esc closes: the list, with the new totals
keys Escape
wait_gone "Semaphore set $semid"
wait_for "0x5e5e1000"
wait_eq 3 cell 0x5e5e0000 WAITERS
assert_eq "$(cell 0x5e5e0000 NCOUNT)" 2 "NCOUNT after"
assert_eq "$(cell 0x5e5e0000 ZCOUNT)" 1 "ZCOUNT after"

# q closes the pane too, and does not quit
keys Enter
wait_for "Semaphore set $semid"
keys q
wait_gone "Semaphore set $semid"
wait_for "0x5e5e1000"
assert_screen_lacks "EXIT="

# the idle set: every count 0
keys /
type_text 5e5e1000
keys Enter
wait_selected 0x5e5e1000
keys Enter
wait_for "SEMNUM"
expect_elements "0 0 0 0;1 0 0 0"
keys Escape
wait_gone "SEMNUM"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
kill -TERM "$load_pid"
wait "$load_pid" || true
