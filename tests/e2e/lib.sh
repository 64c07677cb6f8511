# lib.sh — shared by the end-to-end tests (tests/e2e/test_*.sh): they drive the real
# ipctop binary in a tmux terminal of a fixed size, inside a private IPC namespace.
#
# Sourcing it:
#  - re-runs the test under `unshare --ipc` (the outer shell only waits for it), so every
#    object the test makes, and everything ipctop sees, is in a namespace of its own that
#    vanishes with the test; nothing here ever creates an object in the host's namespace;
#  - gives the test a private temporary directory, HOME, XDG_CONFIG_HOME and IPCTOPRC, so
#    the real ~/.config is never read or written;
#  - installs a trap that kills the tmux server and every process the test started (all
#    the processes of the private namespace and their descendants), then removes the
#    directory.
#
# A test that sets E2E_CHECK_HOST=1 before sourcing gets the host's `ipcs -a` compared
# before and after it ran (by the outer shell, which stays in the host's namespace).
#
# Environment: IPCTOP_BIN and IPCLOAD_BIN (set by ctest). E2E_TIME_SCALE multiplies every
# timeout (e.g. 3 under valgrind).

set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_NAME=$(basename "$0" .sh)

: "${IPCTOP_BIN:?IPCTOP_BIN must name the ipctop binary}"
: "${IPCLOAD_BIN:?IPCLOAD_BIN must name the ipcload binary}"

# ---- into a private IPC namespace --------------------------------------------------------

if [[ -z ${IPCTOP_E2E_HOST_NS:-} ]]; then
    IPCTOP_E2E_HOST_NS=$(readlink /proc/self/ns/ipc)
    export IPCTOP_E2E_HOST_NS
    host_before=""
    if [[ ${E2E_CHECK_HOST:-0} == 1 ]]; then host_before=$(ipcs -a); fi
    status=0
    if unshare --ipc true 2>/dev/null; then
        unshare --ipc -- bash "$0" "$@" || status=$?
    else
        # not privileged: a user namespace gives the right to make an IPC one
        unshare --user --map-root-user --ipc -- bash "$0" "$@" || status=$?
    fi
    if [[ -n $host_before ]]; then
        host_after=$(ipcs -a)
        if [[ $host_before != "$host_after" ]]; then
            echo "FAIL: the host's IPC namespace changed while $E2E_NAME ran" >&2
            diff <(echo "$host_before") <(echo "$host_after") >&2 || true
            status=1
        fi
    fi
    exit "$status"
fi

if [[ $(readlink /proc/self/ns/ipc) == "$IPCTOP_E2E_HOST_NS" ]]; then
    echo "FAIL: refusing to run: not in a private IPC namespace" >&2
    exit 1
fi
E2E_NS=$(readlink /proc/self/ns/ipc)

# ---- private files and environment --------------------------------------------------------

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipctop-e2e-$E2E_NAME.XXXXXX")
E2E_SOCK_BASE="ipctop-e2e-$E2E_NAME-$$"
E2E_SOCK_N=0
E2E_SOCK="$E2E_SOCK_BASE-0"
export HOME="$E2E_TMP/home" XDG_CONFIG_HOME="$E2E_TMP/xdg" IPCTOPRC="$E2E_TMP/ipctoprc"
export TMUX_TMPDIR="$E2E_TMP" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR TMUX TMUX_PANE
mkdir -p "$HOME"
E2E_SCALE=${E2E_TIME_SCALE:-1}
E2E_T0=$(date +%s.%N)

log() { echo "# [$E2E_NAME $(elapsed)] $*" >&2; }
elapsed() { awk -v a="$E2E_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

# Every process of our namespace but this shell, plus their descendants (ipctop --demo
# moves its workload into a namespace of its own). One `ps` reads them all at once: a
# process that exits meanwhile cannot trip the shell (bash's $(< file) of a vanished
# /proc file ends a `set -e` script).
e2e_our_processes() {
    local ns
    ns=$(stat -L -c %i /proc/$$/ns/ipc)
    ps -e -o pid=,ppid=,ipcns= | awk -v ns="$ns" -v self="$$" '
        { parent[$1] = $2; if ($3 == ns) ours[$1] = 1 }
        END {
            do {
                changed = 0
                for (p in parent) if (!(p in ours) && (parent[p] in ours)) { ours[p] = 1; changed = 1 }
            } while (changed)
            for (p in ours) if (p != self) print p
        }'
}

e2e_cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    tmux -L "$E2E_SOCK" kill-server 2>/dev/null || true
    local pids i
    for i in 1 2 3; do
        mapfile -t pids < <(e2e_our_processes)
        ((${#pids[@]})) || break
        if ((i < 3)); then kill -TERM "${pids[@]}" 2>/dev/null || true; else kill -KILL "${pids[@]}" 2>/dev/null || true; fi
        local k
        for k in $(seq 20); do
            local alive=0 pid
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
            ((alive)) || break
            sleep 0.05
        done
    done
    [ -n "${E2E_KEEP:-}" ] && cp -r "$E2E_TMP" /tmp/e2e-kept.$$; rm -rf "$E2E_TMP"
    if ((rc == 0)); then log "PASS"; else log "FAIL (status $rc)"; fi
    exit "$rc"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- tmux ----------------------------------------------------------------------------------

t() { tmux -L "$E2E_SOCK" "$@"; }

E2E_PIDFILE="$E2E_TMP/ipctop.pid"

# tmux_start W H CMD [ARGS...]: a new terminal of W x H running CMD; kills any earlier one.
# The pane prints E2E-SHELL before CMD and EXIT=<status> after it, then stays open, so a
# test can see what is left on the terminal after the program quit. The pid of CMD (it
# is exec'd) is in $E2E_PIDFILE.
tmux_start() {
    local w=$1 h=$2
    shift 2
    # a new server on a new socket: a client could reach a server still shutting down
    t kill-server 2> /dev/null || true
    E2E_SOCK_N=$((E2E_SOCK_N + 1))
    E2E_SOCK="$E2E_SOCK_BASE-$E2E_SOCK_N"
    rm -f "$E2E_PIDFILE"
    local script="$E2E_TMP/pane.sh" q
    printf -v q '%q ' "$@"
    cat > "$script" << EOF
echo E2E-SHELL
bash -c 'echo \$\$ > "\$0"; exec "\$@"' $(printf '%q' "$E2E_PIDFILE") $q
echo "EXIT=\$?"
exec sleep 3600
EOF
    t -f /dev/null new-session -d -s main -x "$w" -y "$h" "bash $(printf '%q' "$script")"
    t set-option -g status off > /dev/null
    wait_file "$E2E_PIDFILE"
}

# ipctop_start [OPTIONS...]: ipctop in a 120x30 terminal (TERM_W/TERM_H override), waits
# until it shows its lists.
# With IPCTOP_WRAPPER set (e.g. "valgrind -q --error-exitcode=99"), ipctop runs under it.
ipctop_start() {
    local -a wrapper=()
    [[ -n ${IPCTOP_WRAPPER:-} ]] && read -r -a wrapper <<< "$IPCTOP_WRAPPER"
    tmux_start "${TERM_W:-120}" "${TERM_H:-30}" "${wrapper[@]}" "$IPCTOP_BIN" "$@"
    wait_for "F10Quit"
}

ipctop_pid() { cat "$E2E_PIDFILE"; }

# What the terminal shows. After `freeze`, every reader works on one capture taken then
# (to check the text and the colours of the same moment) until `thaw`.
E2E_FROZEN=""
screen() {
    if [[ -n $E2E_FROZEN ]]; then perl "$E2E_DIR/screen.pl" text < "$E2E_FROZEN"; else t capture-pane -p -t main; fi
}
screen_e() {
    if [[ -n $E2E_FROZEN ]]; then cat "$E2E_FROZEN"; else t capture-pane -p -e -t main; fi
}
freeze() {
    E2E_FROZEN=""
    t capture-pane -p -e -t main > "$E2E_TMP/frozen"
    E2E_FROZEN="$E2E_TMP/frozen"
}
thaw() { E2E_FROZEN=""; }
keys() { t send-keys -t main "$@"; }
type_text() { t send-keys -t main -l "$1"; }
pane_flag() { t display-message -p -t main "#{$1}"; }
resize() { t resize-window -t main -x "$1" -y "$2"; }

# Sends a mouse press and release of button 1 at column x, row y (0-based), as an xterm
# sends them in the X10 encoding (what ncurses asks for with TERM=tmux-256color / screen).
mouse_click() {
    local x=$1 y=$2
    t send-keys -t main -H 1b 5b 4d "$(printf %x $((32 + 0)))" "$(printf %x $((33 + x)))" "$(printf %x $((33 + y)))"
    t send-keys -t main -H 1b 5b 4d "$(printf %x $((32 + 3)))" "$(printf %x $((33 + x)))" "$(printf %x $((33 + y)))"
}
# Wheel: button 4 (up) or 5 (down) at (x, y).
mouse_wheel() {
    local dir=$1 x=$2 y=$3 b
    if [[ $dir == up ]]; then b=64; else b=65; fi
    t send-keys -t main -H 1b 5b 4d "$(printf %x $((32 + b)))" "$(printf %x $((33 + x)))" "$(printf %x $((33 + y)))"
}

# ---- waiting and failing ------------------------------------------------------------------------

fail() {
    echo "FAIL [$E2E_NAME]: $*" >&2
    if t has-session -t main 2>/dev/null; then
        echo "---- screen ----" >&2
        screen >&2 || true
        echo "----------------" >&2
    fi
    exit 1
}

# poll_until TIMEOUT_S CMD...: runs CMD every 0.05 s until it succeeds; 1 on timeout.
poll_until() {
    local timeout=$1
    shift
    local end
    end=$(awk -v n="$(date +%s.%N)" -v t="$timeout" -v s="$E2E_SCALE" 'BEGIN { printf "%.3f", n + t * s }')
    while true; do
        if "$@"; then return 0; fi
        if awk -v n="$(date +%s.%N)" -v e="$end" 'BEGIN { exit !(n > e) }'; then return 1; fi
        sleep 0.05
    done
}

screen_has() { screen | grep -qF -- "$1"; }
screen_has_re() { screen | grep -qE -- "$1"; }
screen_lacks() { ! screen | grep -qF -- "$1"; }

wait_for() { poll_until "${2:-10}" screen_has "$1" || fail "timed out waiting for '$1'"; }
wait_for_re() { poll_until "${2:-10}" screen_has_re "$1" || fail "timed out waiting for /$1/"; }
wait_gone() { poll_until "${2:-10}" screen_lacks "$1" || fail "timed out waiting for '$1' to go"; }
screen_lacks_re() { ! screen | grep -qE -- "$1"; }
wait_gone_re() { poll_until "${2:-10}" screen_lacks_re "$1" || fail "timed out waiting for /$1/ to go"; }
wait_file() { poll_until "${2:-10}" test -s "$1" || fail "timed out waiting for file $1"; }

# The exit status shown by the pane once the program has quit.
wait_exit() {
    wait_for_re '^EXIT=[0-9]+' "${1:-10}"
    screen | sed -n 's/^EXIT=\([0-9]*\).*/\1/p' | tail -1
}

# ---- reading the screen -------------------------------------------------------------------

# style_of REGEX COL: colours/attributes of cell COL of the first line matching REGEX
# (perl regex on the plain text), e.g. "fg=0 bg=6" (see screen.pl).
style_of() { screen_e | perl "$E2E_DIR/screen.pl" style "$1" "$2"; }
styles_of_line() { screen_e | perl "$E2E_DIR/screen.pl" line "$1"; }

# The text of screen line N (0-based).
screen_line() { screen | sed -n "$(($1 + 1))p"; }

# Lines of the list area: every line between the column header (starts with "  KEY") and
# the status line, without the two gutter cells.
list_rows() {
    screen | awk '/^  KEY/{on=1; next} on && /^..0x[0-9a-f]+ /{print substr($0, 3)}'
}

# The ids of the rows in the list, in screen order.
list_ids() { list_rows | awk '{print $2}' | paste -sd' '; }
list_keys() { list_rows | awk '{print $1}' | paste -sd' '; }

# ---- assertions ----------------------------------------------------------------------------

assert_eq() { [[ $1 == "$2" ]] || fail "${3:-values differ}: expected '$2', got '$1'"; }
assert_match() { [[ $1 =~ $2 ]] || fail "${3:-no match}: '$1' does not match /$2/"; }
assert_no_match() { [[ ! $1 =~ $2 ]] || fail "${3:-unexpected match}: '$1' matches /$2/"; }
assert_screen_has() { screen_has "$1" || fail "the screen lacks '$1'"; }
assert_screen_lacks() { screen_lacks "$1" || fail "the screen shows '$1'"; }

# ---- IPC objects (always in this test's private namespace) ---------------------------------

# mk_shm KEY SIZE / mk_sem KEY NSEMS / mk_msg KEY: one object with a fixed key, left behind
# by ipcload --leak (the namespace removes it at the end).
mk_shm() { "$IPCLOAD_BIN" --leak --shm 1 --shm-size "$2" --key-base "$1" > /dev/null; }
mk_sem() { "$IPCLOAD_BIN" --leak --sem 1 --nsems "$2" --key-base "$1" > /dev/null; }
mk_msg() { "$IPCLOAD_BIN" --leak --msg 1 --key-base "$1" > /dev/null; }
# The same made by user nobody, who has no process left in the test's namespace: these are
# certainly leaked (root's are only "possibly": root's processes, the test's own, live on).
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
mk_leaked_shm() { as_nobody "$IPCLOAD_BIN" --leak --shm 1 --shm-size "$2" --key-base "$1" > /dev/null; }
mk_leaked_sem() { as_nobody "$IPCLOAD_BIN" --leak --sem 1 --nsems "$2" --key-base "$1" > /dev/null; }

shm_id_of() { ipcs -m | awk -v k="$1" '$1 == k {print $2}'; }
sem_id_of() { ipcs -s | awk -v k="$1" '$1 == k {print $2}'; }
msg_id_of() { ipcs -q | awk -v k="$1" '$1 == k {print $2}'; }



# ---- the selection ---------------------------------------------------------------------------

# How the selected row is drawn: the selection colours, or reverse video without colours.
SEL_STYLE='bg=6'

# Keys of the list rows drawn in the selection style (checked on the KEY cell).
selected_keys() {
    screen_e | perl "$E2E_DIR/screen.pl" cells '^..0x[0-9a-f]{8} ' 2 |
        awk -F'\t' -v s="$SEL_STYLE" 'index($1, s) {print substr($2, 3, 10)}' | paste -sd' '
}

# wait_selected KEY: until exactly that row is drawn selected.
selected_is() { [[ $(selected_keys) == "$1" ]]; }
wait_selected() {
    poll_until "${2:-10}" selected_is "$1" || fail "expected exactly the row $1 selected, got '$(selected_keys)'"
}

# wait_ids "ID ID ...": until the list shows exactly these ids in this order.
ids_are() { [[ $(list_ids) == "$1" ]]; }
wait_ids() { poll_until "${2:-5}" ids_are "$1" || fail "expected the ids '$1' in this order, got '$(list_ids)'"; }


# The column header drawn in the sort column's colours, e.g. "SIZE▲" (trimmed).
SORT_STYLE='bg=6'
sorted_header() {
    screen_e | perl "$E2E_DIR/screen.pl" line '^  KEY' |
        awk -v s="$SORT_STYLE" '{split($0, a, "|"); if (index(a[1], s)) {sub(/^[^|]*\|/, ""); gsub(/^ +| +$/, ""); print; exit}}'
}
# (a glob pattern: a narrow column may cut its title to show the arrow, "PERM▲")
sorted_is() { [[ $(sorted_header) == $1 ]]; }
wait_sorted() { poll_until "${2:-5}" sorted_is "$1" || fail "expected the list sorted by '$1', the header shows '$(sorted_header)'"; }


# cell KEY TITLE: the text of the cell of row KEY under the column header TITLE.
cell() { screen_e | perl "$E2E_DIR/screen.pl" cell "^..$1 " "$2"; }
cell_style() { screen_e | perl "$E2E_DIR/screen.pl" cellstyle "^..$1 " "$2"; }
# The two gutter cells of row KEY (tag mark, new/gone mark), e.g. " +".
gutter() { screen | grep -m1 -E "^..$1 " | cut -c1-2; }

# sem_elements: the detail pane's element table as lines "SEMNUM VALUE NCOUNT ZCOUNT".
sem_elements() {
    screen | awk '/SEMNUM +VALUE +NCOUNT +ZCOUNT/ {on=1; next}
                  on && NF >= 4 && $1 ~ /^[0-9]+$/ {print $1, $2, $3, $4; next}
                  on {exit}' | paste -sd';'
}


# wait_eq EXPECTED CMD...: until CMD prints EXPECTED (WAIT_S seconds, default 5).
_prints() {
    local want=$1
    shift
    [[ $("$@") == "$want" ]]
}
wait_eq() {
    local want=$1
    shift
    poll_until "${WAIT_S:-5}" _prints "$want" "$@" || fail "expected '$want' from '$*', got '$("$@")'"
}

log "start (namespace $E2E_NS)"
