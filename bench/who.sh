#!/bin/sh
# The cost of who-uses-what (docs/performance.md, "Who uses what"). In a private IPC
# namespace holding SCALE segments, SCALE semaphore sets of 4 and SCALE queues, bench_who
# times ipctop's steady refresh with PROCS processes attached to segments, blocked on
# sets and queues, both, sleeping without IPC, or attached after a fork, against the same
# refresh with none of them (the core refresh), round-robin; with the parts (task scan,
# process table, maps scan, join) and the bare reads they are made of. Optionally a
# `perf record` of refreshes under one condition. Needs root.
#
# The namespace is made and held by tools/ipcload --unshare; bench_who runs inside it
# through nsenter and spawns (and kills) the processes of each condition itself, so they
# are in that namespace too. On exit or a signal ipcload is stopped, which removes every
# object; the host's IPC namespace is never touched.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
    cat <<EOF
Usage: bench/who.sh [OPTION]...
Benchmark ipctop's who-uses-what: a refresh with processes attached or blocked against
the core refresh.

  -n, --scale N      objects per class (default 32000, at most 32768)
  -p, --procs N      processes per condition (default 1000)
  -r, --reps N       timed repetitions (default 5); one untimed round comes first
  -c, --conds LIST   conditions, comma-separated (default
                     none,attached,blocked,mixed,idle,forked,scanall; see
                     bench/bench_who.c)
      --refreshes N  refreshes per measurement; the 3rd..Nth are the steady ones (default 5)
      --profile COND also perf record 20 refreshes under COND and print the profile
  -b, --build DIR    the build directory (default build; make it with scripts/setup)
  -h, --help         show this help

Run it as root on a quiet machine: scripts/setup build && bench/who.sh
EOF
}

scale=32000
procs=1000
reps=5
conds=none,attached,blocked,mixed,idle,forked,scanall
refreshes=5
profile=""
build=build
while [ $# -gt 0 ]; do
    case $1 in
    -n | --scale) [ $# -ge 2 ] || { usage >&2; exit 2; }; scale=$2; shift ;;
    -p | --procs) [ $# -ge 2 ] || { usage >&2; exit 2; }; procs=$2; shift ;;
    -r | --reps) [ $# -ge 2 ] || { usage >&2; exit 2; }; reps=$2; shift ;;
    -c | --conds) [ $# -ge 2 ] || { usage >&2; exit 2; }; conds=$2; shift ;;
    --refreshes) [ $# -ge 2 ] || { usage >&2; exit 2; }; refreshes=$2; shift ;;
    --profile) [ $# -ge 2 ] || { usage >&2; exit 2; }; profile=$2; shift ;;
    -b | --build) [ $# -ge 2 ] || { usage >&2; exit 2; }; build=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
    shift
done

for v in "$scale" "$procs" "$reps" "$refreshes"; do
    case $v in '' | *[!0-9]*) die "'$v' is not a whole number" ;; esac
done
if [ "$scale" -lt 1 ] || [ "$scale" -gt 32768 ]; then die "--scale must be 1..32768 (IPCMNI)"; fi
if [ "$procs" -lt 4 ] || [ "$procs" -gt "$scale" ] || [ "$procs" -gt 8000 ]; then
    die "--procs must be 4..min(8000, scale)"
fi
case $conds in '' | *[!a-z,]*) die "--conds wants names separated by commas" ;; esac

cd "$(dirname "$0")/.."
root=$(pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
ipcload=$build/tools/ipcload
[ -x "$ipcload" ] || die "$ipcload is missing: build first (scripts/setup ${build#"$root"/})"
[ -d "$build/bench" ] || die "$build has no bench/: configure it with scripts/setup"
for c in nsenter cmake; do
    command -v "$c" >/dev/null 2>&1 || die "needs $c"
done
[ -z "$profile" ] || command -v perf >/dev/null 2>&1 || die "--profile needs perf"
[ "$(id -u)" -eq 0 ] || die "needs root: a private IPC namespace needs CAP_SYS_ADMIN"
cmake --build "$build" --target bench_who >/dev/null || die "cannot build bench_who"
bench_who=$build/bench/bench_who

LC_ALL=C
export LC_ALL

# on exit, bench_who's processes die with it (PR_SET_PDEATHSIG)
bench_begin ipctop-who
start_load "$scale" --raise-limits

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src 2>/dev/null | wc -l)
echo "ipctop who-uses-what benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), ipctop $rev" \
    "($dirty files under src/ differ from it)"
echo "machine: $(nproc) CPUs ($cpu), $mem, kernel $(uname -r)"
nprocs=$(set -- /proc/[0-9]*; echo $#)
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $nprocs processes on the machine"
echo "namespace $ns held by ipcload pid $load_pid: $(sed -n 's/^ready //p' "$tmp/ipcload.out")" \
    "(semaphore sets of 4, all values 0; segments of 64 KiB; empty queues)"
echo "command: bench/who.sh -n $scale -p $procs -r $reps -c $conds --refreshes $refreshes" \
    "${profile:+--profile $profile}"
echo "conditions ($procs processes each, spawned before and killed after every measurement):"
echo "  none: no process; attached: $procs attachers, 1 segment each; blocked: $((procs / 2))" \
    "semop + $((procs - procs / 2)) msgrcv waiters; mixed: $((procs / 2)) attachers," \
    "$((procs / 4)) semop, $((procs - procs / 2 - procs / 4)) msgrcv; idle: $procs sleeping" \
    "processes, no IPC; forked: $((procs / 2)) attachers that forked after shmat;" \
    "scanall: $((procs - 2)) sleeping processes, then 1 attacher that forks"
echo

set -- run --reps "$reps" --expect "$scale" --procs "$procs" --conds "$conds" --refreshes "$refreshes"
[ -z "$profile" ] || set -- "$@" --profile "$profile" --perf-out "$tmp/perf.data"
nsenter --ipc="/proc/$load_pid/ns/ipc" -- "$bench_who" "$@" &
run_pid=$!
wait "$run_pid"
run_pid=""

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# perf report of $tmp/perf.data as a plain table (no comments, blanks, IPC columns)
perf_table() {
    perf report -i "$tmp/perf.data" --stdio --no-header -g none "$@" 2>/dev/null |
        grep -v -e '^#' -e '^$' | sed 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//'
}

if [ -n "$profile" ]; then
    echo
    echo "profile: perf record -F 1999 --call-graph dwarf of 20 refreshes under '$profile'"
    echo "-- inclusive (children), by symbol, >= 2%:"
    perf_table --children --percent-limit 2 --sort symbol | head -n 45
    echo "-- self, by symbol, >= 1%:"
    perf_table --no-children --percent-limit 1 --sort dso,symbol | head -n 40
fi
