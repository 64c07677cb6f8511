#!/bin/bash
# A segment's rss and swap are only in /proc/sysvipc/shm, the costliest read of a refresh:
# they are read while the segment list shows their column (off by default) or a screen over
# it (the detail pane) is open. Back on their list, a refresh comes at once (not at the
# next tick) and shows what the kernel holds then — also for a segment filled while another
# list was shown — and a value read again is not marked as changed. With the columns off,
# the detail pane brings the segment's rss at once too.
source "$(dirname "$0")/lib.sh"

# a long interval: only the refresh the switch asks for can bring the values in time
DELAY=5
start_touched() { # KEY SIZE: a segment, every page written by an attacher that stays
    "$IPCLOAD_BIN" --shm 1 --shm-size "$2" --attachers 1 --touch --key-base "$1" > "$E2E_TMP/$1.out" 2>&1 &
    poll_until 15 grep -q '^ready' "$E2E_TMP/$1.out" || fail "ipcload did not start: $(cat "$E2E_TMP/$1.out")"
}
mk_sem 0x1e2e7500 2
mk_shm 0x1e2e7000 4096 # the first row, selected: the rows after it show their own colours
start_touched 0x1e2e7001 64K

# the RSS column on (F2 and the settings file are test_columns')
echo 'columns.shm=key,id,owner,perms,size,rss,nattch,status,command' > "$IPCTOPRC"
ipctop_start -d "$DELAY"
wait_for "0x1e2e7001"
wait_eq 64K cell 0x1e2e7001 RSS

# the semaphores: the refreshes from now on leave the segments' memory unread
keys 2
wait_for_re '^  KEY +ID.* NSEMS '
start_touched 0x1e2e7002 128K
# a refresh since: it counted the new segment
wait_for " 1 Shared memory (3) " $((DELAY * 2 + 2))

t0=$(date +%s.%N)
keys 1
filled() {
    freeze
    [[ $(cell 0x1e2e7002 RSS) == 128K && $(cell 0x1e2e7001 RSS) == 64K && $(cell 0x1e2e7000 RSS) == 0 ]]
}
poll_until 3 filled || fail "rss not read at once when the segments came back: '$(cell 0x1e2e7001 RSS)' '$(cell 0x1e2e7002 RSS)'"
style=$(cell_style 0x1e2e7001 RSS)
thaw
log "rss shown $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')s after the switch (interval ${DELAY}s)"
assert_eq "$style" "fg=d bg=d" "an rss read again, unchanged, is not highlighted"

keys q
assert_eq "$(wait_exit)" 0 "exit status of q"

# the default columns: no rss on the list, but the detail pane has it within a moment
rm -f "$IPCTOPRC"
ipctop_start -d "$DELAY"
wait_for "0x1e2e7002"
screen | grep -m1 -E '^  KEY' | grep -q ' RSS ' && fail "RSS is on by default"
keys /
type_text 1e2e7002
keys Enter
wait_selected 0x1e2e7002
# past the first refresh (which reads every field): the list's refreshes leave rss unread
sleep $((DELAY + 1))
t0=$(date +%s.%N)
keys Enter
wait_for "resident (rss)"
poll_until 3 eval 'screen | grep -q -E "resident \(rss\) +131072 bytes"' ||
    fail "the detail pane has no rss: $(screen | grep -m1 'resident (rss)')"
log "rss in the detail pane $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')s after opening it (interval ${DELAY}s)"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status of q"
