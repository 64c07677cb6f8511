#!/bin/bash
# Python programs of the kind people write from the sysv_ipc and ctypes tutorials, as user
# nobody, each in a PID namespace of its own (py/*.py):
#  - two daemons that create a message queue and poll it with IPC_NOWAIT (ctypes: mode
#    0666; sysv_ipc: its default 0600): never sent to nor received from, lspid = lrpid = 0;
#  - a producer with a segment and a lock semaphore of the same key (0666), attached to the
#    segment, whose semaphore was last used by a child that has exited;
#  - Python's multiprocessing (Pool, Queue, Lock, Value, shared_memory), with a private
#    /dev/shm: whatever System V objects it makes obey the same rules.
# While they live: none of their objects is `leaked` (`possibly` is fine) and
# `--reap --older-than 1s` removes nothing. Once they are killed: every object is `leaked`
# and `--reap --older-than 1s` removes them all.
source "$(dirname "$0")/lib.sh"

"$PY" -c 'import sysv_ipc' 2> /dev/null || fail "no python3-sysv-ipc for $PY (scripts/setup installs it)"
RUN=$(user_dir nobody run)
PYD="$E2E_TMP/py"
# the programs, readable by nobody
mkdir -m 755 "$PYD"
cp "$APPS_DIR"/py/*.py "$PYD/"
chmod 644 "$PYD"/*.py
runas nobody

KEY_CTYPES=0x70790001
KEY_SYSVIPC=0x70790002
KEY_PRODUCER=0x70790003

app_start ctypes_daemon "${RUNAS[@]}" "$PY" "$PYD/queue_daemon_ctypes.py" $KEY_CTYPES "$RUN/ctypes_daemon"
app_start sysvipc_daemon "${RUNAS[@]}" "$PY" "$PYD/queue_daemon.py" $KEY_SYSVIPC "$RUN/sysvipc_daemon"
app_start producer "${RUNAS[@]}" "$PY" "$PYD/producer.py" $KEY_PRODUCER "$RUN/producer"
# multiprocessing's POSIX objects go to a /dev/shm of its own mount namespace, never the host's
# shellcheck disable=SC2016 # expanded by that sh
app_start multiprocessing sh -c 'mount -t tmpfs -o size=16m,mode=1777 ipctop-test /dev/shm && exec "$@"' sh \
    "${RUNAS[@]}" "$PY" "$PYD/mp_workload.py" "$RUN/multiprocessing"
APPS=(ctypes_daemon sysvipc_daemon producer multiprocessing)
for a in "${APPS[@]}"; do
    poll_until 20 test -s "$RUN/$a" || fail "$a did not get ready: $(cat "$E2E_TMP/$a.log")"
done
read -r producer_shm producer_sem _ < "$RUN/producer"
log "ready: ctypes queue $(cat "$RUN/ctypes_daemon"), sysv_ipc queue $(cat "$RUN/sysvipc_daemon"), producer shm $producer_shm sem $producer_sem (pid in its namespace $(cut -d" " -f3 < "$RUN/producer") used it last), multiprocessing: $(cat "$RUN/multiprocessing")"
mp=${APP_PID[multiprocessing]}
log "multiprocessing's POSIX objects: /dev/shm: $(ls "/proc/$mp/root/dev/shm" | paste -sd' '); mapped: $(grep -c ' /dev/shm/' "/proc/$mp/maps") ($(grep -o '/dev/shm/[a-z]*' "/proc/$mp/maps" | sort | uniq -c | awk '{print $2 " x" $1}' | paste -sd' '))"

# the scenario is what it claims to be
sleep 0.3
for a in "${APPS[@]}"; do app_alive "$a" || fail "$a died: $(tail -3 "$E2E_TMP/$a.log")"; done
ipctop_json "$E2E_TMP/first.json"
jqd '.msg[] | select(.lspid != 0 or .lrpid != 0) | "msg \(.id): lspid \(.lspid) lrpid \(.lrpid)"' "$E2E_TMP/first.json" |
    grep . && fail "precondition: a daemon's queue was used"
# (the pids the programs print are those of their own PID namespaces; ipctop shows ours)
semlast=$(jq -r --argjson i "$producer_sem" '.sem[] | select(.id == $i) | .elements[0] | "\(.pid) \(.pid_alive)"' "$E2E_TMP/first.json")
[[ $semlast =~ ^[1-9][0-9]*\ false$ && ${semlast% *} != "${APP_PID[producer]}" ]] ||
    fail "precondition: the producer's semaphore was not last used by a process that is gone (pid, alive: $semlast)"
log "the producer's semaphore was last used by ${semlast% *}, gone; the producer is ${APP_PID[producer]}"
expected=$(printf '%s\n' "msg $(cat "$RUN/ctypes_daemon")" "msg $(cat "$RUN/sysvipc_daemon")" "shm $producer_shm" "sem $producer_sem" | sort)
ours=$(kernel_ids)
[[ -z $(comm -23 <(echo "$expected") <(echo "$ours")) ]] || fail "precondition: missing objects: $(comm -23 <(echo "$expected") <(echo "$ours") | paste -sd,)"
mp_objects=$(comm -13 <(echo "$expected") <(echo "$ours"))
log "System V objects of multiprocessing: ${mp_objects:-none}"
log "modes: $(jqd 'objects | "\(.type) \(.id) \(.perms)"' "$E2E_TMP/first.json" | paste -sd,)"

# ---- while they live -------------------------------------------------------------------

# older than 1s: the daemons never touched their queues, the semaphore's last semop is old
sleep 1.5
for n in 1 2 3; do
    ipctop_json "$E2E_TMP/live.json" --older-than 1s
    bad=$(leaked_lines "$E2E_TMP/live.json")
    [[ -z $bad ]] || check_fail "sample $n: leaked while its process lives: $(paste -sd';' <<< "$bad")"
    inc=$(incomplete_claims "$E2E_TMP/live.json")
    [[ -z $inc ]] || check_fail "sample $n: $inc"
    sleep 0.5
done
log "while alive: $(objects_lines "$E2E_TMP/live.json" | paste -sd';')"
for a in "${APPS[@]}"; do app_alive "$a" || fail "$a died: $(tail -3 "$E2E_TMP/$a.log")"; done

before=$(kernel_ids)
for opts in "" "--older-than 1s"; do
    # shellcheck disable=SC2086
    ipctop_reap "$E2E_TMP/reap.json" $opts
    log "--reap ${opts:-(defaults)}: $(jq -c '[.candidates[] | {type, id, outcome}]' "$E2E_TMP/reap.json")"
    removed=$(reap_lines "$E2E_TMP/reap.json" '^removed')
    [[ -z $removed ]] || check_fail "ipctop --reap ${opts:-(defaults)} removed live objects: $(paste -sd';' <<< "$removed")"
    ((REAP_RC == 0)) || check_fail "ipctop --reap ${opts:-(defaults)} exited $REAP_RC"
done
after=$(kernel_ids)
vanished=$(comm -23 <(echo "$before") <(echo "$after"))
[[ -z $vanished ]] || check_fail "objects of live programs vanished: $(paste -sd, <<< "$vanished")"
sleep 0.5 # a daemon polls every 0.1 s: it notices a removed queue by then
for a in "${APPS[@]}"; do
    app_alive "$a" || check_fail "$a died after the reap: $(tail -2 "$E2E_TMP/$a.log" | paste -sd' ')"
done

# ---- once they are dead ----------------------------------------------------------------

for a in "${APPS[@]}"; do app_kill "$a"; done
left_before=$(kernel_ids)
log "all killed; their objects: $(paste -sd, <<< "$left_before")"
all_leaked() {
    ipctop_json "$E2E_TMP/dead.json" --older-than 1s
    [[ -z $(jqd 'objects | select(verdict != "leaked") | .id' "$E2E_TMP/dead.json") ]]
}
poll_until 15 all_leaked ||
    check_fail "after they died, not every object is leaked: $(objects_lines "$E2E_TMP/dead.json" | grep -v ' leaked:' | paste -sd';')"
log "once dead: $(objects_lines "$E2E_TMP/dead.json" | paste -sd';')"

ipctop_reap "$E2E_TMP/reap-dead.json" --older-than 1s
((REAP_RC == 0)) || check_fail "ipctop --reap --older-than 1s exited $REAP_RC"
log "--reap once dead: $(jq -c '[.candidates[] | {type, id, outcome}]' "$E2E_TMP/reap-dead.json")"
while read -r t i; do
    [[ -n $t ]] || continue
    [[ -n $(jq -r --arg t "$t" --argjson i "$i" '.candidates[] | select(.type == $t and .id == $i and .outcome == "removed") | .id' "$E2E_TMP/reap-dead.json") ]] ||
        check_fail "$t $i was not removed once its program died: $(jq -c --arg t "$t" --argjson i "$i" '.candidates[] | select(.type == $t and .id == $i)' "$E2E_TMP/reap-dead.json")"
done <<< "$left_before"
left=$(kernel_ids)
[[ -z $left ]] || check_fail "objects left after the reap: $(paste -sd, <<< "$left")"

apps_finish
