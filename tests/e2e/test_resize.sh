#!/bin/bash
# Resizing the terminal at any moment: below the minimum size a "terminal too small"
# screen, back to a normal size the lists again; in every overlay; many sizes in a row;
# never a crash.
source "$(dirname "$0")/lib.sh"

mk_shm 0x512e0001 4096
mk_sem 0x512e5001 2
TERM_W=100 TERM_H=30 ipctop_start -d 0.5
wait_for "0x512e0001"
pid=$(ipctop_pid)

too_small() { wait_for_re "terminal.*too.*small"; }
lists_back() {
    wait_gone "too small"
    wait_for "F1Help"
    wait_for_re '^  KEY +ID'
}
alive() { kill -0 "$pid" 2> /dev/null || fail "ipctop died"; }

resize 20 5
too_small
# the sentence names the size, over as many lines as it needs, nothing else on screen
assert_match "$(screen | tr -d '\n')" '20x5' "the small screen says its size"
assert_screen_lacks "F10Quit"
resize 100 30
lists_back
wait_for "0x512e0001"
alive

# the edges: one below the minimum in each direction, the minimum itself
resize 39 10
too_small
resize 40 9
too_small
resize 40 10
lists_back
wait_for "0x512e0001"
resize 1 1
poll_until 5 screen_has_re '.' || true
alive
resize 100 30
lists_back
alive

# in each overlay
for open in Enter F1 F6 /; do
    keys "$open"
    sleep 0.2
    resize 20 5
    too_small
    resize 60 15
    wait_gone "too small"
    resize 100 30
    wait_gone "too small"
    alive
    keys Escape
    lists_back
done

# many sizes in a row, without waiting
for size in 80x24 10x3 200x50 41x11 30x8 132x43 2x2 100x30 45x12 120x40; do
    resize "${size%x*}" "${size#*x}"
done
resize 100 30
lists_back
wait_for "0x512e0001"
alive
keys 2
wait_for "0x512e5001"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
