# shellcheck shell=sh
# bench/lib.sh — what the benchmark scripts share, sourced by bench/*.sh: dying with the
# script's name, the temporary directory and the cleanup on exit or a signal, and the
# private IPC namespace held by tools/ipcload.
#
# The sourcing script sets $ipcload before start_load, and may redefine bench_cleanup_extra
# (run on exit, between stopping run_pid and stopping ipcload).

bench_name=bench/${0##*/}

die() {
    echo "$bench_name: $*" >&2
    exit 1
}

load_pid=""  # tools/ipcload, holding the namespace and its objects
run_pid=""   # whatever runs in the background and is waited for (nsenter, sleep, perf)
tmp=""

# Stops a background process of ours, if it still runs, and reaps it.
stop_bg() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

# ipcload removes its objects on SIGTERM; 96,000 take a second or two.
stop_load() {
    stop_bg "$load_pid"
    load_pid=""
}

bench_cleanup_extra() { :; }

bench_cleanup() {
    status=$?
    trap - EXIT INT TERM HUP
    stop_bg "$run_pid"
    bench_cleanup_extra
    stop_load
    [ -z "$tmp" ] || rm -rf "$tmp"
    exit "$status"
}

# Makes $tmp (named after $1) and arranges for bench_cleanup on exit and on signals.
bench_begin() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# start_load N [IPCLOAD-OPTION]...: ipcload makes a private IPC namespace with N segments,
# N sets of 4 semaphores and N queues, and holds it; waits until it is ready (at most
# 120 s). Sets load_pid and ns; $tmp/ipcload.out holds its report.
start_load() {
    n=$1
    shift
    : >"$tmp/ipcload.out"
    # shellcheck disable=SC2154 # ipcload is set by the sourcing script
    "$ipcload" --unshare --print-ns "$@" --shm "$n" --sem "$n" --nsems 4 --msg "$n" \
        >"$tmp/ipcload.out" 2>"$tmp/ipcload.err" &
    load_pid=$!
    waited=0
    until grep -q '^ready ' "$tmp/ipcload.out"; do
        if ! kill -0 "$load_pid" 2>/dev/null; then
            cat "$tmp/ipcload.err" >&2
            load_pid=""
            die "ipcload failed to set up the objects"
        fi
        waited=$((waited + 1))
        [ "$waited" -le 1200 ] || die "ipcload was not ready after 120 s"
        sleep 0.1
    done
    ns_pid=$(sed -n 's/^ns=.* pid=\([0-9][0-9]*\)$/\1/p' "$tmp/ipcload.out")
    [ "$ns_pid" = "$load_pid" ] || die "ipcload reported pid '$ns_pid', expected $load_pid"
    ns=$(readlink "/proc/$load_pid/ns/ipc")
    [ "$ns" != "$(readlink /proc/self/ns/ipc)" ] || die "ipcload is in our IPC namespace"
}
