# viewer_helpers.sh — for the segment viewer's end-to-end tests (test_viewer*.sh), sourced
# after lib.sh (so already inside the test's private IPC namespace). Segments come from
# tests/integration/helper_shmfill.c.

SHMFILL="${IPCTOP_TEST_HELPERS:?IPCTOP_TEST_HELPERS must name the test helpers directory}/helper_shmfill"
[[ -x $SHMFILL ]] || fail "no $SHMFILL: build the tests first"

# viewer_segment_start SIZE KEY [--hex OFF:HEX | --text OFF:TEXT]...: a segment attached by a
# helper that stays (so ipctop reads it through map_files); sets SEG_ID and SEG_PID.
# helper_cmd then changes its bytes while the viewer is open.
viewer_segment_start() {
    local size=$1 key=$2
    shift 2
    mkfifo "$E2E_TMP/seg.in"
    exec 7<> "$E2E_TMP/seg.in" # held open: the helper never sees the end of its input early
    # 7>&-: the helper must not hold its own input open, so that it sees the end of it
    # (and exits) when this shell goes, whatever happens
    "$SHMFILL" --size "$size" --key "$key" "$@" --stay < "$E2E_TMP/seg.in" > "$E2E_TMP/seg.out" 2> "$E2E_TMP/seg.err" 7>&- &
    SEG_PID=$!
    wait_file "$E2E_TMP/seg.out"
    SEG_ID=$(head -1 "$E2E_TMP/seg.out")
    SEG_OKS=0
}

_oks_at_least() { [[ $(grep -c '^ok$' "$E2E_TMP/seg.out") -ge $1 ]]; }

# helper_cmd "hex OFF HEXBYTES" | "text OFF TEXT": done when the helper says ok.
helper_cmd() {
    echo "$1" >&7
    SEG_OKS=$((SEG_OKS + 1))
    poll_until 5 _oks_at_least "$SEG_OKS" || fail "the helper did not do '$1': $(cat "$E2E_TMP/seg.err")"
}

# viewer_segment_detached SIZE KEY [...]: a segment nobody has attached; prints its id.
viewer_segment_detached() {
    local size=$1 key=$2
    shift 2
    "$SHMFILL" --size "$size" --key "$key" "$@"
}

# shm_fields ID: "lpid nattch atime" from /proc/sysvipc/shm.
shm_fields() { awk -v id="$1" '$2 == id {print $6, $7, $12}' /proc/sysvipc/shm; }

# The cursor's offset in the viewer's header, as "0x1f (31)".
viewer_cursor() { screen | sed -n 's/.*cursor \(0x[0-9a-f]* ([0-9]*)\).*/\1/p' | head -1; }

# The style of the cell showing byte OFF (hex column) on the screen: the line of its
# 16-byte row, the column of its two digits (16 bytes per line, 8 offset digits).
byte_style() {
    local off=$1 row col
    row=$(printf '%08x' $((off - off % 16)))
    col=$((10 + 3 * (off % 16) + (off % 16) / 8))
    style_of "^$row " "$col"
}
