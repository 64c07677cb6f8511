#!/bin/bash
# A queue's messages in its detail pane ('x'): type, size and the first bytes of each,
# copied and left in the queue; they follow the queue on refresh; x again hides them.
source "$(dirname "$0")/lib.sh"

mk_msg 0x9e9e0001
qid=$(msg_id_of 0x9e9e0001)
# two messages: type 7 "hello" and type 9 with an ESC and a BEL inside
perl -e 'use IPC::SysV qw(IPC_NOWAIT); my $q = shift;
         msgsnd($q, pack("l! a*", 7, "hello"), IPC_NOWAIT) or die "msgsnd: $!\n";
         msgsnd($q, pack("l! a*", 9, "bye\x1b[31m\x07"), IPC_NOWAIT) or die "msgsnd: $!\n";' "$qid"

TERM_H=50 ipctop_start -d 0.5
keys 3
wait_for "0x9e9e0001"
keys x
wait_for "Messages: 2 shown, copied and left in the queue"
assert_screen_has "message 0: type 7, 5 bytes"
assert_screen_has "68 65 6c 6c 6f"
assert_screen_has "|hello|"
assert_screen_has "message 1: type 9, 9 bytes"
assert_screen_has "|bye.[31m.|"
# still queued, nobody received them
[[ $(ipcs -q | awk -v k=0x9e9e0001 '$1 == k {print $6}') == 2 ]] || fail "the messages left the queue"
assert_eq "$(ipcs -q -i "$qid" | awk -F= '/lrpid/ {print $NF}' | tr -d ' ')" 0 "last receiver"

# a third message shows up on the next refresh
perl -e 'use IPC::SysV qw(IPC_NOWAIT); msgsnd(shift, pack("l! a*", 3, "again"), IPC_NOWAIT) or die' "$qid"
wait_for "Messages: 3 shown"
# a long one is cut in the pane, and says so
perl -e 'use IPC::SysV qw(IPC_NOWAIT); msgsnd(shift, pack("l! a*", 4, "z" x 100), IPC_NOWAIT) or die' "$qid"
wait_for "Messages: 4 shown"
assert_screen_has "message 3: type 4, 100 bytes"
assert_screen_has "... cut: 32 of 100 bytes shown (ipctop --peek $qid shows all)"
keys x
wait_gone "Messages:"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status"
