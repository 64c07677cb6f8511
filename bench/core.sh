#!/bin/sh
# The benchmark of ipctop's core (docs/performance.md). In a private IPC namespace holding
# SCALE shared memory segments, SCALE semaphore sets of 4 and SCALE message queues, it
# times round-robin: `ipctop --json >/dev/null` (also with 1,000 and 2,000 more sleeping
# processes in the namespace), one batch frame `ipctop -b -n 1 >/dev/null`, `ipcs -a`,
# `lsipc -m/-s/-q`, reading the three /proc/sysvipc files, the bare *_STAT_ANY loops, the
# semaphore element calls, and ipctop's in-process refresh (collect + diff) with its phases;
# then prints medians, the ratios and the targets. Needs root (a private IPC namespace needs
# CAP_SYS_ADMIN).
#
# The namespace is made and held by tools/ipcload --unshare; the measurements run inside
# it through nsenter. Nothing touches the host's IPC namespace, and on exit (or a signal)
# ipcload is stopped, which removes every object and the namespace with it.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
    cat <<EOF
Usage: bench/core.sh [OPTION]...
Benchmark ipctop's core against ipcs, lsipc and the kernel's own cost.

  -n, --scale N      objects per class (default 32000, at most 32768)
  -r, --reps N       timed repetitions (default 7); one untimed round comes first
  -b, --build DIR    the build directory (default build; make it with scripts/setup)
      --json-libs    also compare json-c's and jansson's DOM with ipctop's JSON writer
                     (needs libjansson-dev)
      --compare DIR  also time --json and -b -n 1 of the ipctop built in DIR (another
                     commit), in the same rounds
  -h, --help         show this help

Run it as root on a quiet machine: scripts/setup build && bench/core.sh
EOF
}

scale=32000
reps=7
build=build
json_libs=no
compare=""
while [ $# -gt 0 ]; do
    case $1 in
    -n | --scale) [ $# -ge 2 ] || { usage >&2; exit 2; }; scale=$2; shift ;;
    -r | --reps) [ $# -ge 2 ] || { usage >&2; exit 2; }; reps=$2; shift ;;
    -b | --build) [ $# -ge 2 ] || { usage >&2; exit 2; }; build=$2; shift ;;
    --json-libs) json_libs=yes ;;
    --compare) [ $# -ge 2 ] || { usage >&2; exit 2; }; compare=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
    shift
done

case $scale in '' | *[!0-9]*) die "--scale wants a number, not '$scale'" ;; esac
case $reps in '' | *[!0-9]*) die "--reps wants a number, not '$reps'" ;; esac
if [ "$scale" -lt 1 ] || [ "$scale" -gt 32768 ]; then die "--scale must be 1..32768 (IPCMNI)"; fi
if [ "$reps" -lt 1 ] || [ "$reps" -gt 101 ]; then die "--reps must be 1..101"; fi

cd "$(dirname "$0")/.."
root=$(pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
ipctop=$build/ui/ipctop
ipcload=$build/tools/ipcload
core_lib=$build/src/libipctop_core.a
if [ -n "$compare" ]; then
    case $compare in /*) ;; *) compare=$root/$compare ;; esac
    compare=$compare/ui/ipctop
    [ -x "$compare" ] || die "$compare is missing: build that tree first"
fi
for f in "$ipctop" "$ipcload" "$core_lib"; do
    [ -e "$f" ] || die "$f is missing: build first (scripts/setup ${build#"$root"/})"
done
for c in ipcs lsipc nsenter cc pkg-config; do
    command -v "$c" >/dev/null 2>&1 || die "needs $c"
done
[ "$(id -u)" -eq 0 ] || die "needs root: a private IPC namespace needs CAP_SYS_ADMIN"

# Same results whatever the caller's locale (ipcs and lsipc format dates and numbers).
LC_ALL=C
export LC_ALL

bench_begin ipctop-bench

# --- the benchmark programs ------------------------------------------------------------
# With bench/ in the CMake build, its targets are used; otherwise they are compiled here
# against the core library of the build directory.
build_c() {
    out=$1
    shift
    # shellcheck disable=SC2046 # pkg-config prints several words on purpose
    "${CC:-cc}" -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -D_GNU_SOURCE \
        -I"$root/src" $(pkg-config --cflags json-c) "$@" "$core_lib" \
        $(pkg-config --libs json-c libproc2) -lm -lpthread -o "$out"
}
if [ -d "$build/bench" ]; then
    cmake --build "$build" --target bench_core >/dev/null || die "cannot build bench_core"
    bench_core=$build/bench/bench_core
    json_libs_bin=$build/bench/json_libs
    if [ "$json_libs" = yes ] && ! cmake --build "$build" --target json_libs >/dev/null 2>&1; then
        die "--json-libs needs libjansson-dev (install it, then rerun scripts/setup)"
    fi
else
    bench_core=$tmp/bench_core
    json_libs_bin=$tmp/json_libs
    build_c "$bench_core" bench/bench_core.c bench/bench_items.c
    if [ "$json_libs" = yes ]; then
        pkg-config --exists jansson || die "--json-libs needs libjansson-dev"
        # shellcheck disable=SC2046
        build_c "$json_libs_bin" $(pkg-config --cflags jansson) bench/json_libs.c \
            bench/json_libs_jsonc.c bench/json_libs_jansson.c $(pkg-config --libs jansson)
    fi
fi

# --- the namespace and its objects -------------------------------------------------------
start_load "$scale" --raise-limits

# --- the run ------------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "ipctop core benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), ipctop $rev"
echo "machine: $(nproc) CPUs ($cpu), $mem, kernel $(uname -r)"
echo "tools: $(lsipc --version), $(ipcs --version | sed 's/ from / /')"
# other work on the machine shows here: the round-robin spreads it, it does not remove it
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "namespace $ns held by ipcload pid $load_pid: $(sed -n 's/^ready //p' "$tmp/ipcload.out")" \
    "(semaphore sets of 4, segments of 64 KiB, empty queues)"
echo "repetitions: $reps, round-robin, after one untimed round; command: bench/core.sh -n $scale -r $reps${compare:+ --compare ${compare%/ui/ipctop}}"
echo

# Runs a command inside the namespace. In the background and waited for, so that a signal
# to this script is acted on at once rather than when the command ends.
in_namespace() {
    nsenter --ipc="/proc/$load_pid/ns/ipc" -- "$@" &
    run_pid=$!
    wait "$run_pid"
    run_pid=""
}

in_namespace "$bench_core" run --ipctop "$ipctop" --reps "$reps" --expect "$scale" \
    ${compare:+--compare "$compare"}

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$json_libs" = yes ]; then
    echo
    echo "JSON writers, same document from one snapshot of this namespace:"
    in_namespace "$json_libs_bin" run --reps 3
fi
