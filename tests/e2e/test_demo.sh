#!/bin/bash
# ipctop --demo: the generated workload's objects (keys 0x1c0ffee0...) in a namespace of
# its own; after q nothing is left: no workload process, no namespace, no object in the
# namespace it was started from, the host's `ipcs -a` unchanged (checked by lib.sh).
E2E_CHECK_HOST=1
source "$(dirname "$0")/lib.sh"

# the namespace it starts from has an object of its own, which the demo must not show
mk_shm 0x0d0d0001 4096
ours_before=$(ipcs -a)

ipctop_start --demo -d 0.5
wait_for "0x1c0ffee0"
assert_screen_lacks "0x0d0d0001"
pid=$(ipctop_pid)
demo_ns=$(readlink "/proc/$pid/ns/ipc")
[[ $demo_ns != "$E2E_NS" ]] || fail "the demo runs in the namespace it was started from"
# hold the demo's namespace open until the end: its number cannot go to another namespace
# (a test running beside this one) meanwhile, so "in the demo's namespace" stays exact
exec {demo_ns_fd}< "/proc/$pid/ns/ipc"

# the scene is alive: each list has objects, and something changes
for k in 2 3 1; do
    keys "$k"
    wait_for_re '^..0x[0-9a-f]{8} '
done
wait_for_re ' 2 Semaphores \([1-9][0-9]*\)'
wait_for_re ' 3 Queues \([1-9][0-9]*\)'

# every process of the demo: ipctop's descendants
descendants() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            mine[root] = 1
            do {
                changed = 0
                for (p in parent) if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; changed = 1 }
            } while (changed)
            for (p in mine) if (p != root) printf "%s ", p
        }'
}
poll_until 10 eval '[[ $(descendants "$pid" | wc -w) -ge 2 ]]' || fail "no demo workload processes under ipctop"
demo_pids=$(descendants "$pid")
log "demo processes: $(wc -w <<< "$demo_pids")"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
# no process left: neither ipctop nor any of its workload
left() {
    local p state out=""
    for p in $pid $demo_pids; do
        state=$(ps -o stat= -p "$p" 2> /dev/null || true)
        [[ -n $state && $state != Z* ]] && out+=" $p"
    done
    echo "$out"
}
poll_until 5 eval '[[ -z $(left) ]]' || fail "processes left after the demo:$(left)"
# and nothing lives in the demo's namespace any more (it goes with its objects once we
# let go of it); processes the workload started after the list above count too
demo_ns_ino=${demo_ns//[^0-9]/}
in_demo_ns() { ps -e -o pid=,stat=,ipcns= | awk -v ns="$demo_ns_ino" '$3 == ns && $2 !~ /^Z/ {print $1}' | paste -sd' '; }
poll_until 5 eval '[[ -z $(in_demo_ns) ]]' || fail "processes still in the demo's namespace: $(in_demo_ns)"
exec {demo_ns_fd}<&-
# the namespace it was started from is as it was
assert_eq "$(ipcs -a)" "$ours_before" "objects in the namespace the demo was started from"
