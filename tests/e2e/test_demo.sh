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
assert_screen_has "demo"
assert_screen_lacks "0x0d0d0001"
pid=$(ipctop_pid)
demo_ns=$(readlink "/proc/$pid/ns/ipc")
[[ $demo_ns != "$E2E_NS" ]] || fail "the demo runs in the namespace it was started from"

# the scene is alive: each list has objects, and something changes
for k in 2 3 1; do
    keys "$k"
    wait_for_re '^..0x[0-9a-f]{8} '
done
wait_for_re ' 2 Semaphores \([1-9][0-9]*\)'
wait_for_re ' 3 Queues \([1-9][0-9]*\)'

# every process of the demo: ipctop's descendants
descendants() {
    local root=$1 p stat rest ppid
    declare -A kids=()
    for p in /proc/[0-9]*; do
        { stat=$(< "$p/stat"); } 2> /dev/null || continue
        rest=${stat##*) }
        read -r _ ppid _ <<< "$rest"
        kids[$ppid]+=" ${p#/proc/}"
    done
    local queue=("$root") out=()
    while ((${#queue[@]})); do
        local cur=${queue[0]}
        queue=("${queue[@]:1}")
        for c in ${kids[$cur]:-}; do
            out+=("$c")
            queue+=("$c")
        done
    done
    echo "${out[@]}"
}
poll_until 10 eval '[[ $(descendants "$pid" | wc -w) -ge 2 ]]' || fail "no demo workload processes under ipctop"
demo_pids=$(descendants "$pid")
log "demo processes: $(wc -w <<< "$demo_pids")"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
# no process left: neither ipctop nor any of its workload
left() {
    local p out=""
    for p in $pid $demo_pids; do
        if [[ -e /proc/$p/stat ]] && [[ $(awk '{print $3}' "/proc/$p/stat" 2> /dev/null) != Z ]]; then out+=" $p"; fi
    done
    echo "$out"
}
poll_until 5 eval '[[ -z $(left) ]]' || fail "processes left after the demo:$(left)"
# and nothing lives in the demo's namespace any more: it is gone with its objects
for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/ipc" 2> /dev/null) == "$demo_ns" ]] && fail "process ${p#/proc/} is still in the demo's namespace"
done
# the namespace it was started from is as it was
assert_eq "$(ipcs -a)" "$ours_before" "objects in the namespace the demo was started from"
