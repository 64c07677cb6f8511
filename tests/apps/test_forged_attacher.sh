#!/bin/bash
# A forged System V mapping: user nobody, root of a user namespace of its own (same IPC
# namespace as the test), mounts a tmpfs, makes files named SYSV<key> whose inode numbers
# equal the shmids of two real segments, maps them shared with its own bytes, and detaches
# the tmpfs, so that /proc/PID/maps shows "/SYSV<key>" with the shmid as inode, only on
# another device (py/forge_sysv_mapping.py). The segments: one attached by a real program
# (user daemon, in a PID namespace of its own; its creator and last attacher were children
# that exited, so only a look through all processes finds it: py/shm_holder.py), with its
# own bytes; one left over (nattch 0). Root's ipctop must not take the forger for an
# attacher of either, nor let it hide the real one, and `--dump` must never show the
# forger's bytes.
source "$(dirname "$0")/lib.sh"

"$PY" -c 'import sysv_ipc' 2> /dev/null || fail "no python3-sysv-ipc for $PY (scripts/setup installs it)"
RUN=$(user_dir nobody run)
RUND=$(user_dir daemon run-daemon)
PYD="$E2E_TMP/py"
mkdir -m 755 "$PYD"
cp "$APPS_DIR"/py/*.py "$PYD/"
chmod 644 "$PYD"/*.py
MNT="$E2E_TMP/forge-mnt"
mkdir -m 755 "$MNT"

KEY_REAL=0x5eed0001
KEY_LEFT=0x5eed0002
ID_LEFT=10 # small ids (shm_next_id): a fresh tmpfs reaches such inode numbers at once
ID_REAL=12
FORGED="FORGED-BY-NOBODY-0123456789"
REAL="REAL-SEGMENT-BYTES-9876543210"

# the forger first: it maps before the segments exist, so it also comes first in /proc
runas nobody
# shellcheck disable=SC2016 # expanded by that sh
"${RUNAS[@]}" unshare --user --map-root-user --mount -- sh -c 'mount -t tmpfs -o size=1m forge "$0" && exec "$@"' "$MNT" \
    "$PY" "$PYD/forge_sysv_mapping.py" "$MNT" "$FORGED" "$RUN/forger" "$KEY_LEFT:$ID_LEFT" "$KEY_REAL:$ID_REAL" \
    > "$E2E_TMP/forger.log" 2>&1 &
forger=$!
poll_until 10 test -s "$RUN/forger" || fail "the forger did not get ready: $(cat "$E2E_TMP/forger.log")"
read -r _ forged_dev < "$RUN/forger"

# the segments, with the ids the forger chose, as user daemon
runas daemon
echo $ID_LEFT > /proc/sys/kernel/shm_next_id
"${RUNAS[@]}" "$PY" -c 'import sys, sysv_ipc
m = sysv_ipc.SharedMemory(int(sys.argv[1], 0), sysv_ipc.IPC_CREX, mode=0o600, size=4096)
m.write(b"LEFT-OVER"); print(m.id)' $KEY_LEFT > "$E2E_TMP/left.id" || fail "could not make the left-over segment"
[[ $(cat "$E2E_TMP/left.id") == "$ID_LEFT" ]] || fail "the left-over segment got id $(cat "$E2E_TMP/left.id"), not $ID_LEFT"
echo $ID_REAL > /proc/sys/kernel/shm_next_id
app_start holder "${RUNAS[@]}" "$PY" "$PYD/shm_holder.py" $KEY_REAL "$REAL" "$RUND/holder"
poll_until 10 test -s "$RUND/holder" || fail "the holder did not get ready: $(cat "$E2E_TMP/holder.log")"
[[ $(cat "$RUND/holder") == "$ID_REAL" ]] || fail "the real segment got id $(cat "$RUND/holder"), not $ID_REAL"
holder=${APP_PID[holder]}

# the scenario is what it claims to be
sysvipc_field() { awk -v i="$1" -v f="$2" 'NR == 1 {for (n = 1; n <= NF; n++) col[$n] = n; next} $2 == i {print $col[f]}' /proc/sysvipc/shm; }
cpid=$(sysvipc_field $ID_REAL cpid) lpid=$(sysvipc_field $ID_REAL lpid)
[[ $(sysvipc_field $ID_REAL nattch) == 1 && $cpid != "$holder" && $lpid != "$holder" ]] &&
    ! kill -0 "$cpid" 2> /dev/null && ! kill -0 "$lpid" 2> /dev/null ||
    fail "precondition: shm $ID_REAL should have nattch 1, its cpid ($cpid) and lpid ($lpid) gone"
[[ $(awk '/^Uid:/ {print $2}' "/proc/$forger/status") == 65534 ]] || fail "precondition: the forger is not nobody"
[[ $(readlink "/proc/$forger/ns/ipc") == "$(readlink /proc/self/ns/ipc)" ]] || fail "precondition: the forger is not in the test's IPC namespace"
[[ $(readlink "/proc/$forger/ns/user") != "$(readlink /proc/self/ns/user)" ]] || fail "precondition: the forger has no user namespace of its own"
for t in "$KEY_REAL $ID_REAL" "$KEY_LEFT $ID_LEFT"; do
    read -r k i <<< "$t"
    line=$(grep -E " $i +/SYSV$(printf %08x "$k")\$" "/proc/$forger/maps") ||
        fail "precondition: the forger's maps have no /SYSV line with inode $i: $(grep -i sysv "/proc/$forger/maps")"
    log "the forger's mapping as root sees it: $line"
done
log "forger $forger (nobody, device $forged_dev), holder $holder (daemon); the real segment's device: $(grep -h "/SYSV$(printf %08x $KEY_REAL) (deleted)" "/proc/$holder/maps" | awk '{print $4}')"

# ---- what root's ipctop says ---------------------------------------------------------------

ipctop_json "$E2E_TMP/snap.json"
log "ipctop --json: $(jq -c '.shm[] | {id, key, nattch, attached, attachers: [.attachers[] | {pid, user, mappings}], attachers_complete}' "$E2E_TMP/snap.json" | paste -sd' ')"
att() { jq -r --argjson i "$1" '.shm[] | select(.id == $i) | [.attachers[].pid] | map(tostring) | join(" ")' "$E2E_TMP/snap.json"; }
[[ " $(att $ID_REAL) " != *" $forger "* ]] || check_fail "shm $ID_REAL: the forger $forger is listed as an attacher (attachers: $(att $ID_REAL))"
[[ $(att $ID_REAL) == "$holder" ]] || check_fail "shm $ID_REAL: the attachers should be exactly the holder $holder, not '$(att $ID_REAL)'"
[[ -z $(att $ID_LEFT) ]] || check_fail "shm $ID_LEFT (nattch 0): attachers '$(att $ID_LEFT)' listed"
inc=$(incomplete_claims "$E2E_TMP/snap.json")
[[ -z $inc ]] || check_fail "$(paste -sd';' <<< "$inc")"

# --dump: the real bytes (read through the holder's mapping), or a refusal; never the forger's
dump_check() {
    local id=$1 want=$2 rc=0
    "$IPCTOP_BIN" --dump "$id" --raw --length 64 > "$E2E_TMP/dump.raw" 2> "$E2E_TMP/dump.err" || rc=$?
    log "--dump $id: status $rc, $(tr -d '\0' < "$E2E_TMP/dump.raw" | head -c 40 | tr -c '[:print:]' .) / $(head -c 200 "$E2E_TMP/dump.err" | paste -sd' ')"
    if grep -qa -- "$FORGED" "$E2E_TMP/dump.raw"; then
        check_fail "ipctop --dump $id shows the forger's bytes ($FORGED); it says: $(cat "$E2E_TMP/dump.err")"
    elif ((rc == 0)) && ! grep -qa -- "$want" "$E2E_TMP/dump.raw"; then
        check_fail "ipctop --dump $id does not show the segment's own bytes ($want)"
    elif ((rc != 0)) && [[ ! -s $E2E_TMP/dump.err ]]; then
        check_fail "ipctop --dump $id failed without a word"
    fi
    if grep -q "process $forger" "$E2E_TMP/dump.err"; then
        check_fail "ipctop --dump $id reads through the forger's mapping: $(cat "$E2E_TMP/dump.err")"
    fi
}
dump_check $ID_REAL "$REAL"
dump_check $ID_LEFT "LEFT-OVER"

kill -KILL "$forger"
wait "$forger" 2> /dev/null || true
app_kill holder
apps_finish
