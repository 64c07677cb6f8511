#!/bin/bash
# The three lists show the objects of the namespace; Tab, Shift-Tab and 1 2 3 switch
# between them; the tab bar counts the objects and marks the active list.
source "$(dirname "$0")/lib.sh"

mk_shm 0x1e2e0001 4096
mk_shm 0x1e2e0002 8192
mk_shm 0x1e2e0003 12288
mk_sem 0x1e2e5001 3
mk_sem 0x1e2e5002 5
mk_msg 0x1e2e9001

ipctop_start -d 0.5
wait_for " 1 Shared memory (3) "
assert_screen_has " 2 Semaphores (2) "
assert_screen_has " 3 Queues (1)"

# the active tab is drawn in the selection colours, the others plainly
tab_style() { style_of "^ 1 Shared memory" "$1"; }
active=$(tab_style 2)
assert_match "$active" 'bg=[0-9]' "the active tab (shared memory) is highlighted"
sem_tab_x=$(screen | grep -m1 -o '^.* 2 Semaphores' | wc -c)
assert_no_match "$(tab_style $((sem_tab_x - 8)))" 'bg=[0-9]' "an inactive tab is plain"

on_shm() {
    wait_for "  KEY"
    wait_for_re '^  KEY +ID.* SIZE '
    assert_eq "$(list_keys)" "0x1e2e0001 0x1e2e0002 0x1e2e0003" "shared memory rows"
    assert_eq "$(cell 0x1e2e0001 SIZE) $(cell 0x1e2e0002 SIZE) $(cell 0x1e2e0003 SIZE)" "4K 8K 12K" "segment sizes"
}
on_sem() {
    wait_for_re '^  KEY +ID.* NSEMS '
    assert_eq "$(list_keys)" "0x1e2e5001 0x1e2e5002" "semaphore rows"
    assert_eq "$(cell 0x1e2e5001 NSEMS) $(cell 0x1e2e5002 NSEMS)" "3 5" "nsems"
}
on_msg() {
    wait_for_re '^  KEY +ID.* MSGS '
    assert_eq "$(list_keys)" "0x1e2e9001" "queue rows"
}

on_shm
keys Tab
on_sem
assert_match "$(style_of '^ 1 Shared memory' "$((sem_tab_x - 8))")" 'bg=[0-9]' "Tab made semaphores the active tab"
keys Tab
on_msg
keys Tab
on_shm
keys BTab
on_msg
keys BTab
on_sem
keys 1
on_shm
keys 3
on_msg
keys 2
on_sem

# the counts follow the namespace
mk_msg 0x1e2e9002
wait_for " 3 Queues (2)"
ipcrm -M 0x1e2e0002
wait_for " 1 Shared memory (2) "

keys q
assert_eq "$(wait_exit)" 0 "exit status of q"
