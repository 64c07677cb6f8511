#!/bin/sh
# The idle cost of the interactive monitor (docs/performance.md, "Idle cost"). For each
# scale (SMALL and LARGE objects per class), in a private IPC namespace held by
# tools/ipcload, the real `ipctop` (the TUI, default 1 s interval, a private IPCTOPRC) runs
# in a tmux session of a fixed size on a private tmux server. After a warm-up it measures:
#
#  - CPU: utime + stime of the ipctop process (every thread, exited ones included) from
#    /proc/PID/stat over SECONDS of wall time, as % of one core; VmRSS and VmHWM;
#  - refreshes: in a separate window, `perf stat` counts the process's msgctl(MSG_INFO)
#    calls (the queues are read with MSG_INFO + MSG_STAT_ANY: one MSG_INFO per refresh) and
#    its openat calls;
#  - input latency: keys 2, 3, 1 (switch lists) sent with `tmux send-keys` at spread-out
#    moments of the refresh cycle, each timed until `tmux capture-pane` shows the new list's
#    header; median and maximum. The small scale gives the floor of the method itself
#    (tmux client start, polling);
#  - optionally (--profile) a `perf record --call-graph dwarf` of the idle process.
#
# The process measured is the one tmux started: the pane runs `exec nsenter ... ipctop`,
# so #{pane_pid} is ipctop itself; its comm, executable and IPC namespace are checked.
# Needs root (a private IPC namespace). Nothing touches the host's IPC namespace; on exit
# or a signal the tmux server is killed (ipctop gets SIGHUP) and ipcload removes its
# objects.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
    cat <<EOF
Usage: bench/idle.sh [OPTION]...
Measure the idle CPU cost and the key latency of ipctop's interactive monitor.

  -n, --small N      objects per class of the small run (default 100; 0 skips it)
  -N, --large N      objects per class of the large run (default 32000; 0 skips it)
  -t, --seconds S    length of the CPU window (default 60)
  -w, --warmup S     seconds between the first full screen and the window (default 5)
  -k, --keys N       keys timed per run (default 21)
      --size WxH     tmux window size (default 160x50)
  -l, --list N       the list shown during the CPU window: 1 segments (default), 2
                     semaphore sets, 3 queues (a segment's rss is read only while 1 is)
      --profile      also perf record the idle process (20 s large, 40 s small)
  -b, --build DIR    the build directory (default build; make it with scripts/setup)
  -h, --help         show this help

Run it as root: scripts/setup build && bench/idle.sh
EOF
}

small=100
large=32000
seconds=60
warmup=5
keys=21
size=160x50
list=1
profile=no
build=build
while [ $# -gt 0 ]; do
    case $1 in
    -n | --small) [ $# -ge 2 ] || { usage >&2; exit 2; }; small=$2; shift ;;
    -N | --large) [ $# -ge 2 ] || { usage >&2; exit 2; }; large=$2; shift ;;
    -t | --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds=$2; shift ;;
    -w | --warmup) [ $# -ge 2 ] || { usage >&2; exit 2; }; warmup=$2; shift ;;
    -k | --keys) [ $# -ge 2 ] || { usage >&2; exit 2; }; keys=$2; shift ;;
    --size) [ $# -ge 2 ] || { usage >&2; exit 2; }; size=$2; shift ;;
    -l | --list) [ $# -ge 2 ] || { usage >&2; exit 2; }; list=$2; shift ;;
    --profile) profile=yes ;;
    -b | --build) [ $# -ge 2 ] || { usage >&2; exit 2; }; build=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
    shift
done

for v in "$small" "$large" "$seconds" "$warmup" "$keys"; do
    case $v in '' | *[!0-9]*) die "'$v' is not a whole number" ;; esac
done
if [ "$small" -gt 32768 ] || [ "$large" -gt 32768 ]; then die "at most 32768 objects per class"; fi
[ "$seconds" -ge 1 ] || die "--seconds must be at least 1"
case $list in 1) list_hdr=NATTCH ;; 2) list_hdr=NSEMS ;; 3) list_hdr=QBYTES ;; *) die "--list wants 1, 2 or 3" ;; esac
case $size in *[!0-9x]* | x* | *x | *x*x*) die "--size wants WxH, not '$size'" ;; *x*) ;; *) die "--size wants WxH" ;; esac
cols=${size%x*}
rows=${size#*x}

cd "$(dirname "$0")/.."
root=$(pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
ipctop=$build/ui/ipctop
ipcload=$build/tools/ipcload
# the binaries measured are those of the sources the header names
if [ -f "$build/CMakeCache.txt" ] && command -v cmake >/dev/null 2>&1; then
    cmake --build "$build" --target ipctop ipcload bench_core >/dev/null || die "cannot build ipctop"
fi
bench_core=$build/bench/bench_core
for f in "$ipctop" "$ipcload" "$bench_core"; do
    [ -x "$f" ] || die "$f is missing: build first (scripts/setup ${build#"$root"/})"
done
for c in tmux nsenter awk getconf; do
    command -v "$c" >/dev/null 2>&1 || die "needs $c"
done
[ "$(id -u)" -eq 0 ] || die "needs root: a private IPC namespace needs CAP_SYS_ADMIN"
have_perf=no
if command -v perf >/dev/null 2>&1 &&
    perf stat -x, -e syscalls:sys_enter_msgctl --filter 'cmd == 12' -- true >/dev/null 2>&1; then
    have_perf=yes
fi
[ "$profile" = no ] || [ "$have_perf" = yes ] || die "--profile needs perf with tracepoints"

LC_ALL=C
export LC_ALL
hz=$(getconf CLK_TCK)

sock=ipctop-bench-idle-$$
tmux_up=no
stop_tmux() {
    if [ "$tmux_up" = yes ]; then
        tmux -L "$sock" kill-server 2>/dev/null || true
        tmux_up=no
    fi
}
bench_cleanup_extra() { stop_tmux; }
bench_begin ipctop-idle

now_ns() { date +%s%N; }

# sleep, in the background and waited for, so that a signal is acted on at once
pause_s() {
    sleep "$1" &
    run_pid=$!
    wait "$run_pid" || true
    run_pid=""
}

# utime + stime of a process, in clock ticks (dead threads included)
cpu_ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# utime of a process, in clock ticks (dead threads included)
user_ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 }'
}

# "P processes, T tasks" on the machine now
machine_procs() {
    np=0
    nt=0
    for d in /proc/[0-9]*; do
        np=$((np + 1))
        set -- "$d"/task/*
        nt=$((nt + $#))
    done
    echo "$np processes, $nt tasks"
}

status_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# The header line of the list (the first line that names columns), as tmux shows it.
screen() {
    tmux -L "$sock" capture-pane -p -t idle
}

# Waits until the screen shows text (a fixed string), for at most $2 seconds.
wait_screen() {
    tries=0
    until screen | grep -qF -- "$1"; do
        tries=$((tries + 1))
        [ "$tries" -le $(($2 * 10)) ] || { screen >&2; die "the screen never showed '$1'"; }
        sleep 0.1
    done
}

# One key: sends it, polls the header line until it contains want; prints the ms taken.
time_key() {
    key=$1
    want=$2
    t0=$(now_ns)
    tmux -L "$sock" send-keys -t idle "$key"
    polls=0
    until tmux -L "$sock" capture-pane -p -t idle -S 4 -E 4 | grep -qF -- "$want"; do
        polls=$((polls + 1))
        [ "$polls" -le 5000 ] || die "key '$key' never showed '$want'"
    done
    t1=$(now_ns)
    echo $(((t1 - t0) / 1000)) # microseconds
}

# perf report of $tmp/perf.data as a plain table (no comments, blanks, IPC columns)
perf_table() {
    perf report -i "$tmp/perf.data" --stdio --no-header -g none "$@" 2>/dev/null |
        grep -v -e '^#' -e '^$' | sed 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//'
}

median_of() { # numbers on stdin, one a line
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src ui 2>/dev/null | wc -l)
echo "ipctop idle cost, $(date -u '+%Y-%m-%d %H:%M UTC'), ipctop $rev" \
    "($dirty files under src/ ui/ differ from it)"
echo "machine: $(nproc) CPUs ($cpu), $mem, kernel $(uname -r), $(tmux -V), CLK_TCK $hz"
echo "command: bench/idle.sh -n $small -N $large -t $seconds -w $warmup -k $keys --size $size -l $list"
echo

run_scale() {
    n=$1
    label=$2
    if [ "$n" -le 4000 ]; then start_load "$n"; else start_load "$n" --raise-limits; fi
    echo "== $label: $n objects per class ($(sed -n 's/^ready //p' "$tmp/ipcload.out")), namespace $ns"
    rm -f "$tmp/ipctoprc"
    # exec: the pane's process becomes nsenter, then ipctop (nsenter execs, no fork)
    tmux -L "$sock" -f /dev/null new-session -d -s idle -x "$cols" -y "$rows" \
        "exec nsenter --ipc=/proc/$load_pid/ns/ipc -- env IPCTOPRC='$tmp/ipctoprc' '$ipctop'"
    tmux_up=yes
    tmux -L "$sock" set-option -t idle remain-on-exit off >/dev/null
    wait_screen "Shared memory ($n)" 60
    pid=$(tmux -L "$sock" display -p -t idle '#{pane_pid}')
    [ "$(cat "/proc/$pid/comm")" = ipctop ] || die "pane process $pid is $(cat "/proc/$pid/comm"), not ipctop"
    [ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$ipctop")" ] || die "pane process $pid is not $ipctop"
    [ "$(readlink "/proc/$pid/ns/ipc")" = "$ns" ] || die "ipctop $pid is not in the benchmark's namespace"
    if [ "$list" != 1 ]; then
        tmux -L "$sock" send-keys -t idle "$list"
        wait_screen "$list_hdr" 10
    fi
    echo "list shown: $list ($list_hdr)"
    pause_s "$warmup"

    # --- CPU over the window ---
    p0=$(machine_procs)
    c0=$(cpu_ticks "$pid")
    u0=$(user_ticks "$pid")
    w0=$(now_ns)
    l0=$(cut -d' ' -f1 /proc/loadavg)
    pause_s "$seconds"
    c1=$(cpu_ticks "$pid")
    u1=$(user_ticks "$pid")
    w1=$(now_ns)
    l1=$(cut -d' ' -f1 /proc/loadavg)
    p1=$(machine_procs)
    kill -0 "$pid" 2>/dev/null || die "ipctop exited during the window"
    rss=$(status_kb "$pid" VmRSS)
    hwm=$(status_kb "$pid" VmHWM)
    threads=$(status_kb "$pid" Threads)
    awk -v c="$((c1 - c0))" -v u="$((u1 - u0))" -v hz="$hz" -v w="$((w1 - w0))" -v rss="$rss" \
        -v hwm="$hwm" -v l0="$l0" -v l1="$l1" -v th="$threads" 'BEGIN {
        cpu_ms = c * 1000 / hz; wall_ms = w / 1e6
        printf "cpu: %.0f ms over %.1f s of wall = %.3f%% of one core (pid threads now %s; load %s -> %s)\n",
            cpu_ms, wall_ms / 1000, 100 * cpu_ms / wall_ms, th, l0, l1
        printf "cpu split: user %.0f ms, system %.0f ms (the kernel counts them by tick sampling)\n",
            u * 1000 / hz, (c - u) * 1000 / hz
        printf "memory: VmRSS %.1f MB, VmHWM %.1f MB\n", rss / 1024, hwm / 1024 }'
    # every refresh reads every process and task of the machine (who uses what)
    echo "machine: $p0 at the start of the window, $p1 at its end"
    echo "RESULT $label cpu_pct $(awk -v c="$((c1 - c0))" -v hz="$hz" -v w="$((w1 - w0))" \
        'BEGIN { printf "%.3f", 100 * (c * 1000 / hz) / (w / 1e6) }')"

    # --- the kernel's own cost, in the same run: the bare *_STAT_ANY loops over the three
    # classes (bench_core item stat_any), as a share of a core at one pass a second ---
    : >"$tmp/floor"
    for _ in 1 2 3 4 5 6 7; do
        nsenter --ipc="/proc/$load_pid/ns/ipc" -- "$bench_core" item stat_any |
            awk '$1 == "M" && /STAT_ANY loops, 3 classes/ { print $3 }' >>"$tmp/floor"
    done
    floor=$(sort -n "$tmp/floor" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
    [ -n "$floor" ] || die "bench_core item stat_any measured nothing"
    awk -v f="$floor" -v c="$((c1 - c0))" -v hz="$hz" -v w="$((w1 - w0))" 'BEGIN {
        fp = f / 1e6 / 10; ip = 100 * (c * 1000 / hz) / (w / 1e6)
        printf "kernel floor: the bare *_STAT_ANY loops of the three classes cost %.1f ms of CPU (median of 7) = %.3f%% of one core at one pass a second; ipctop / floor %.2f\n", f / 1e6, fp, ip / fp }'
    echo "RESULT $label floor_pct $(awk -v f="$floor" 'BEGIN { printf "%.3f", f / 1e6 / 10 }')"

    # --- refreshes, counted in a separate window ---
    if [ "$have_perf" = yes ]; then
        pw=10
        # MSG_INFO is 12 (<linux/msg.h>)
        perf stat -x, -e syscalls:sys_enter_msgctl --filter 'cmd == 12' \
            -e syscalls:sys_enter_openat,raw_syscalls:sys_enter \
            -p "$pid" -o "$tmp/perf.stat" -- sleep "$pw" >/dev/null 2>&1 &
        run_pid=$!
        wait "$run_pid" || die "perf stat failed"
        run_pid=""
        clones=$(awk -F, '$3 == "syscalls:sys_enter_msgctl" { print $1 }' "$tmp/perf.stat")
        opens=$(awk -F, '$3 == "syscalls:sys_enter_openat" { print $1 }' "$tmp/perf.stat")
        sysc=$(awk -F, '$3 == "raw_syscalls:sys_enter" { print $1 }' "$tmp/perf.stat")
        echo "refreshes: $clones in ${pw} s (msgctl MSG_INFO, one per refresh);" \
            "$opens openat, $sysc syscalls in all"
        echo "RESULT $label refreshes_per_10s $clones"
    fi
    # the clock in the header moves every second
    t_a=$(screen | head -n 1)
    pause_s 2
    t_b=$(screen | head -n 1)
    [ "$t_a" != "$t_b" ] || echo "warning: the header did not change in 2 s: '$t_a'"
    echo "header: '$t_a' then '$t_b'"

    # --- key latency ---
    : >"$tmp/lat"
    i=0
    while [ "$i" -lt "$keys" ]; do
        case $((i % 3)) in
        0) k=2 want=NSEMS ;;
        1) k=3 want=QBYTES ;;
        *) k=1 want=NATTCH ;;
        esac
        # spread the keys over the refresh cycle: 0.00, 0.37, 0.74, 0.11 ... s after the last
        pause_s "$(awk -v i="$i" 'BEGIN { printf "%.2f", 0.3 + (i * 37 % 100) / 100 }')"
        time_key "$k" "$want" >>"$tmp/lat"
        i=$((i + 1))
    done
    med=$(median_of <"$tmp/lat")
    max=$(sort -n "$tmp/lat" | tail -n 1)
    min=$(sort -n "$tmp/lat" | head -n 1)
    awk -v md="$med" -v mx="$max" -v mn="$min" -v k="$keys" 'BEGIN {
        printf "key latency (send-keys to the new list on screen), %d keys: median %.1f ms, min %.1f, max %.1f\n",
            k, md / 1000, mn / 1000, mx / 1000 }'
    echo "RESULT $label key_ms_median $(awk -v v="$med" 'BEGIN { printf "%.1f", v / 1000 }')" \
        "max $(awk -v v="$max" 'BEGIN { printf "%.1f", v / 1000 }')"
    tr '\n' ' ' <"$tmp/lat" | awk '{ printf "key latencies, us:"; for (i = 1; i <= NF; i++) printf " %s", $i; print "" }'

    if [ "$profile" = yes ]; then
        # few samples at the small scale: a longer window there
        ps=20
        [ "$n" = "$large" ] || ps=40
        perf record -q -F 999 --call-graph dwarf,16384 -p "$pid" -o "$tmp/perf.data" \
            -- sleep "$ps" >/dev/null 2>&1 &
        run_pid=$!
        wait "$run_pid" || die "perf record failed"
        run_pid=""
        echo "profile: perf record -F 999 --call-graph dwarf, $ps s of the idle process"
        echo "-- inclusive (children), by symbol, >= 2%:"
        perf_table --children --percent-limit 2 --sort symbol | head -n 60
        echo "-- self, by symbol, >= 1%:"
        perf_table --no-children --percent-limit 1 --sort dso,symbol | head -n 30
    fi

    # --- q quits cleanly ---
    tmux -L "$sock" send-keys -t idle q
    tries=0
    while kill -0 "$pid" 2>/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -le 100 ] || die "ipctop did not quit on q"
        sleep 0.1
    done
    stop_tmux
    stop_load
    echo
}

[ "$small" -eq 0 ] || run_scale "$small" small
[ "$large" -eq 0 ] || run_scale "$large" large
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
