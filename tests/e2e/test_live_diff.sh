#!/bin/bash
# Live diff: objects there at the start are not "new"; a changed cell is highlighted for
# one refresh; a new object is marked '+' and coloured for a few refreshes; a removed one
# is marked '-' in the gone colour for one refresh, then leaves; the selection follows its
# object, and falls to the row at the same place when its object leaves.
source "$(dirname "$0")/lib.sh"

DELAY=0.5
mk_shm 0x11ee0001 4096
# a segment with one attacher (NATTCH 1), ipcload's child
"$IPCLOAD_BIN" --shm 1 --attachers 1 --key-base 0x11ee0100 > "$E2E_TMP/load.out" 2>&1 &
load_pid=$!
poll_until 15 grep -q '^ready' "$E2E_TMP/load.out" || fail "ipcload did not start: $(cat "$E2E_TMP/load.out")"

ipctop_start -d "$DELAY"
wait_for "0x11ee0100"
wait_eq 1 cell 0x11ee0100 NATTCH
# present at the start: not new
sleep "$DELAY"
assert_eq "$(gutter 0x11ee0001)" "  " "gutter of an object there at the start"
assert_eq "$(gutter 0x11ee0100)" "  " "gutter of an object there at the start"
assert_eq "$(cell_style 0x11ee0100 KEY)" "fg=d bg=d" "an old, unchanged row is plain"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- a changed cell: the attacher dies, NATTCH 1 -> 0 ---------------------------------------
attacher=$(pgrep -P "$load_pid")
[[ $attacher =~ ^[0-9]+$ ]] || fail "cannot find ipcload's attacher ('$attacher')"
kill -KILL "$attacher"
nattch_zero() {
    freeze
    [[ $(cell 0x11ee0100 NATTCH) == 0 ]]
}
poll_until 5 nattch_zero || fail "NATTCH did not drop to 0"
changed_style=$(cell_style 0x11ee0100 NATTCH)
key_style=$(cell_style 0x11ee0100 KEY)
thaw
assert_match "$changed_style" 'bg=3' "the changed NATTCH cell is highlighted (yellow)"
assert_eq "$key_style" "fg=d bg=d" "an unchanged cell of the changed row stays plain"
t0=$(now)
not_highlighted() {
    freeze
    [[ $(cell 0x11ee0100 NATTCH) == 0 && $(cell_style 0x11ee0100 NATTCH) == "fg=d bg=d" ]]
}
poll_until 5 not_highlighted || fail "the NATTCH cell is still highlighted: '$(cell_style 0x11ee0100 NATTCH)'"
thaw
log "changed cell highlighted for $(secs "$t0" "$(now)")s after it was seen (delay $DELAY)"

# ---- a new object -----------------------------------------------------------------------------
mk_shm 0x11ee0002 8192
appeared() {
    freeze
    screen_has "0x11ee0002"
}
poll_until 5 appeared || fail "the new segment did not appear"
new_gutter=$(gutter 0x11ee0002)
new_style=$(cell_style 0x11ee0002 KEY)
thaw
t_new=$(now)
assert_eq "$new_gutter" " +" "gutter of a new object"
assert_match "$new_style" 'fg=2 bg=d bold' "a new row is green and bold"
plain_again() { [[ $(gutter 0x11ee0002) == "  " ]]; }
poll_until 10 plain_again || fail "the new mark stays: gutter '$(gutter 0x11ee0002)'"
shown_new=$(secs "$t_new" "$(now)")
log "new mark shown for ${shown_new}s (delay $DELAY)"
# TRACKER_NEW_REFRESHES (3) refreshes: more than one, fewer than six
awk -v s="$shown_new" -v d="$DELAY" -v k="$E2E_SCALE" 'BEGIN { exit !(s > d && s < 6 * d * k) }' ||
    fail "the new mark lasted ${shown_new}s, expected a few refreshes of ${DELAY}s"
wait_eq "fg=d bg=d" cell_style 0x11ee0002 KEY

# ---- a removed object ---------------------------------------------------------------------------
ipcrm -M 0x11ee0002
gone_seen() {
    freeze
    [[ $(gutter 0x11ee0002) == " -" ]]
}
poll_until 5 gone_seen || fail "the removed segment was never marked gone"
gone_style=$(cell_style 0x11ee0002 KEY)
tabs=$(screen | grep -m1 ' 1 Shared memory')
thaw
t_gone=$(now)
assert_match "$gone_style" 'fg=1 bg=d' "a gone row is red"
assert_match "$tabs" ' 1 Shared memory \(2\) ' "the tab counts only the objects that exist"
wait_gone "0x11ee0002"
log "gone row shown for $(secs "$t_gone" "$(now)")s after it was seen (delay $DELAY)"

# ---- the selection follows its object ---------------------------------------------------------------
mk_shm 0x11ee0003 4096
wait_for "0x11ee0003"
keys End
wait_selected 0x11ee0003
ipcrm -M 0x11ee0003
wait_gone "0x11ee0003"
wait_selected 0x11ee0100 # the row now at the same place (the last one)

mk_shm 0x11ee0004 4096
wait_for "0x11ee0004"
keys Home Down
wait_selected 0x11ee0100
# ipcload removes its segment when stopped: the selection falls to the row in its place
kill -TERM "$load_pid"
wait "$load_pid" || true
wait_gone "0x11ee0100"
wait_selected 0x11ee0004
assert_eq "$(list_keys)" "0x11ee0001 0x11ee0004" "rows left"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
