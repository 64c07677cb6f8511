#!/bin/bash
# The segment viewer (x on a segment): hexdump -C lines (the same as hexdump -C of the
# segment's bytes), holes as one line, squeezed runs, 32/16/8 bytes a line as the width
# allows; search for text and hex bytes (n, N),
# goto (decimal, hex, out of range), the arrows, Home/End, Tab; the inspector's values;
# with an attacher present the header says the read is side-effect free and nattch, lpid
# and atime stay as they were while viewing; ESC, BEL, OSC and CSI bytes in the segment
# never reach the terminal raw.
E2E_CHECK_HOST=1 # and nothing is left in the host's IPC namespace
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/viewer_helpers.sh"

viewer_segment_start 65536 0x7e470001 \
    --text 0:'Hello, world! This is the viewer test.' \
    --hex 0x100:1b5b33316d4556494c07071b5d323b5449544c45079b324a \
    --text 0x5000:'needle in a haystack' \
    --hex 0x9000:deadbeefcafebabe
id=$SEG_ID
before=$(shm_fields "$id")
log "segment $id (lpid nattch atime: $before), attached by $SEG_PID"

ipctop_start -d 0.5
wait_for "0x7e470001"
keys x
wait_for "shm $id  key 0x7e470001  size 64K (65536 bytes)"
wait_for "side-effect free: read through process $SEG_PID's mapping (nattch, lpid and atime do not change)"
wait_for "cursor 0x0 (0) in hex"

# ---- the lines: every data line is a line of hexdump -C of the same bytes --------------------
"$IPCTOP_BIN" --dump "$id" --raw > "$E2E_TMP/raw" 2> /dev/null
assert_eq "$(stat -c %s "$E2E_TMP/raw")" 65536 "raw dump size"
hexdump -C "$E2E_TMP/raw" > "$E2E_TMP/hexdump"
data_lines=$(screen | grep -E '^[0-9a-f]{8}  [0-9a-f]{2} ')
[[ $(wc -l <<< "$data_lines") -ge 7 ]] || fail "too few data lines"
while IFS= read -r line; do
    grep -qxF -- "$line" "$E2E_TMP/hexdump" || fail "not a line of hexdump -C: '$line'"
done <<< "$data_lines"
assert_screen_has "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 20 54 68  |Hello, world! Th|"
assert_screen_has "00000100  1b 5b 33 31 6d 45 56 49  4c 07 07 1b 5d 32 3b 54  |.[31mEVIL...]2;T|"
assert_screen_has "00000110  49 54 4c 45 07 9b 32 4a  00 00 00 00 00 00 00 00  |ITLE..2J........|"
# a run of equal lines is one "*" line; a hole is one line with its size
assert_match "$(screen | grep -A1 -m1 '^00000030 ' | tail -1)" '^\*  the line above 12 more times \(192 bytes\)' "squeezed run"
assert_screen_has "00001000  -- hole: 16K (16384 bytes), never written, reads as zeros --"
assert_screen_has "00006000  -- hole: 12K (12288 bytes), never written, reads as zeros --"

# ---- nothing raw on the terminal: no bell, no title, no colour change, nothing cleared ------
assert_eq "$(pane_flag window_bell_flag)" 0 "the terminal rang"
assert_no_match "$(pane_flag pane_title)" 'TITLE' "the pane title was set by the segment's OSC"
evil_col=$(screen | grep -m1 '^00000100 ' | perl -ne 'print index($_, "[31mEVIL")')
style=$(style_of '^00000100 ' "$evil_col")
assert_no_match "$style" 'fg=1 ' "ESC [31m turned the text red"
assert_screen_has "F10Quit"

# ---- the width: 32, 16 or 8 bytes a line, as the terminal allows -----------------------------
resize 160 30
wait_for "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 20 54 68  69 73 20 69 73 20 74 68  65 20 76 69 65 77 65 72  |Hello, world! This is the viewer|"
assert_screen_has "00000020  20 74 65 73 74 2e 00 00"
resize 60 30
wait_for "00000000  48 65 6c 6c 6f 2c 20 77  |Hello, w|"
assert_screen_has "00000008  6f 72 6c 64 21 20 54 68  |orld! Th|"
resize 120 30
wait_for "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 20 54 68  |Hello, world! Th|"
assert_screen_has "cursor 0x0 (0) in hex"

# ---- search ------------------------------------------------------------------------------------
keys /
wait_for "Search (text, or hex"
type_text "needle"
keys Enter
wait_for "cursor 0x5000 (20480) in hex"
wait_for '"needle" found at 0x5000 (20480)'
assert_screen_has "00005000  6e 65 65 64 6c 65 20 69  6e 20 61 20 68 61 79 73  |needle in a hays|"
keys n
wait_for '"needle" not found after the cursor'
keys /
type_text "de ad be ef"
keys Enter
wait_for "cursor 0x9000 (36864) in hex"
# the inspector: the byte and the widths in both byte orders
wait_for "@0x9000  u8 222 i8 -34"
assert_match "$(screen | grep -m1 '@0x9000')" 'LE u16 44510 \(i16 -21026\)  u32 4022250974 \(i32 -272716322\)'
assert_match "$(screen | grep -m1 -A1 '@0x9000' | tail -1)" 'BE u16 57005 \(i16 -8531\)  u32 3735928559 \(i32 -559038737\)  u64 16045690984503098046'
# N: backwards from the cursor
keys /
type_text "is"
keys Enter
wait_for '"is" not found after the cursor'
keys N
wait_for "cursor 0x13 (19) in hex"
keys N
wait_for "cursor 0x10 (16) in hex"
keys N
wait_for '"is" not found before the cursor'
keys /
type_text "0xZZ"
keys Enter
wait_for 'not a byte pattern: "0xZZ"'

# ---- goto --------------------------------------------------------------------------------------
keys g
wait_for "Go to offset"
type_text "0x9004"
keys Enter
wait_for "cursor 0x9004 (36868) in hex"
wait_for "@0x9004  u8 202 i8 -54"
keys g
type_text "4096"
keys Enter
wait_for "cursor 0x1000 (4096) in hex"
keys g
type_text "0x10000"
keys Enter
wait_for "offset 0x10000 is past the end of shm $id (65536 bytes: the last offset is 0xffff)"
assert_screen_has "cursor 0x1000 (4096) in hex"
keys g
type_text "nope"
keys Enter
wait_for 'not an offset: "nope"'
# Esc cancels a prompt without closing the viewer
keys g
wait_for "Go to offset"
keys Escape
wait_gone "Go to offset"
assert_screen_has "cursor 0x1000 (4096)"

# ---- moving ------------------------------------------------------------------------------------
keys Home
wait_for "cursor 0x0 (0) in hex"
keys Right Right
wait_for "cursor 0x2 (2) in hex"
keys Down Down Down
wait_for "cursor 0x32 (50) in hex"
keys Down # onto the "*" line: the cursor sits at its start
wait_for "cursor 0x40 (64) in hex"
keys Down # past the run at once
wait_for "cursor 0x102 (258) in hex"
keys Up
wait_for "cursor 0x40 (64) in hex"
keys Up
wait_for "cursor 0x32 (50) in hex"
keys Left Left Left
wait_for "cursor 0x2f (47) in hex" # the end of the line above
keys Tab
wait_for "cursor 0x2f (47) in ASCII"
keys BTab
wait_for "cursor 0x2f (47) in hex"
keys End
wait_for "cursor 0xffff (65535) in hex"
assert_screen_has "00010000" # the end offset, as hexdump prints it
keys PPage
wait_for_re "cursor 0x[0-9a-f]+ \([0-9]+\) in hex"
keys Home
wait_for "cursor 0x0 (0) in hex"
keys NPage
wait_for_re "cursor 0x(9|a|b|c|d|e|f)[0-9a-f]{3} "
keys NPage NPage NPage
wait_for_re "cursor 0x[0-9a-f]+ "
keys PPage PPage PPage PPage PPage PPage
wait_for "cursor 0x0 (0) in hex"

# ---- no side effects: nattch, lpid and atime as before, after several refreshes ----------------
sleep 1.2
assert_eq "$(shm_fields "$id")" "$before" "lpid nattch atime while viewing through map_files"

keys q
wait_gone "side-effect free"
wait_for "  KEY"
assert_eq "$(shm_fields "$id")" "$before" "lpid nattch atime after viewing"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
