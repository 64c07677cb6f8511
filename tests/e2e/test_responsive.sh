#!/bin/bash
# Refreshing does not block input: with 96,000 objects (32,000 per class) refreshed every
# second, a key shows its effect at once — well within one refresh interval.
source "$(dirname "$0")/lib.sh"

# ipcload raises the limits only in a namespace it made itself (--unshare): watch that one
"$IPCLOAD_BIN" --unshare --raise-limits --print-ns --shm 32000 --shm-size 4096 --sem 32000 --nsems 1 \
    --msg 32000 --key-base 0x40000000 > "$E2E_TMP/load.out" 2>&1 &
poll_until 60 grep -q '^ready' "$E2E_TMP/load.out" || fail "ipcload did not start: $(cat "$E2E_TMP/load.out")"
load_pid=$(sed -n 's/^ns=.* pid=\([0-9]*\)$/\1/p' "$E2E_TMP/load.out")
[[ $load_pid =~ ^[0-9]+$ ]] || fail "no pid from ipcload --print-ns: $(cat "$E2E_TMP/load.out")"

tmux_start 120 30 nsenter --ipc="/proc/$load_pid/ns/ipc" "$IPCTOP_BIN" -d 1
wait_for " 1 Shared memory (32000)" 30
wait_for " 3 Queues (32000)" 30

now_ms() { date +%s%3N; }
worst=0
# the time from a key to its effect on the screen
react() {
    local what=$1 t0 t1
    shift
    t0=$(now_ms)
    keys "$@"
    poll_until 5 screen_has_re "$what" || fail "no reaction to '$*' (waiting for /$what/)"
    t1=$(now_ms)
    ((t1 - t0 > worst)) && worst=$((t1 - t0))
    sleep 0.15 # keys spread over several refreshes, some land while one is under way
}
start=$(now_ms)
for round in 1 2 3; do
    react ', row 2$' Down
    react ', row 1$' Up
    react '^  KEY.* NSEMS ' 2
    react '^  KEY.* MSGS ' 3
    react '^  KEY.* SIZE ' 1
    react ', row 32000$' End
    react ', row 1$' Home
done
log "slowest reaction to a key with 96,000 objects: ${worst} ms, over $(($(now_ms) - start)) ms"
(($(now_ms) - start >= 2500)) || fail "the keys did not span several refreshes"
limit=$(awk -v s="$E2E_SCALE" 'BEGIN { printf "%d", 500 * s }')
((worst <= limit)) || fail "a key took ${worst} ms to show its effect (limit ${limit} ms)"
keys q
assert_eq "$(wait_exit 20)" 0 "exit status"
