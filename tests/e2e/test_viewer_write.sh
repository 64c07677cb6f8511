#!/bin/bash
# The segment viewer's w: writes the shown range or the whole segment to a file (the bytes
# are the segment's, holes included); an existing file is overwritten only after y, kept on
# anything else; a write that cannot read every byte (pages not resident) fails with a
# sentence and leaves neither a file nor a temporary one; directories and missing
# directories are sentences too, and what is not a regular file (a pipe, a symbolic link) is
# never replaced.
E2E_CHECK_HOST=1 # and nothing is left in the host's IPC namespace
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/viewer_helpers.sh"

viewer_segment_start 65536 0x7e470004 \
    --text 0:'Hello, world! This is the viewer test.' \
    --hex 0x100:1b5b33316d4556494c07 \
    --text 0x5000:'needle in a haystack' \
    --hex 0x9000:deadbeefcafebabe
id=$SEG_ID
out="$E2E_TMP/out"
mkdir -p "$out"
raw() { "$IPCTOP_BIN" --dump "$id" --raw 2> /dev/null; }
raw > "$E2E_TMP/raw1"

# 20 rows: the viewer shows 10 lines, a hole among them, up to 0x5010
TERM_H=20 ipctop_start -d 0.5
wait_for "0x7e470004"
keys x
wait_for "side-effect free"
wait_for "00001000  -- hole: 16K"
wait_for "00005000  6e 65 65 64"

# write_to WHICH(s|a) NAME: answers the two prompts
write_to() {
    keys w
    wait_for "Write to a file: s the shown range"
    keys "$1"
    wait_for "Write to file: shm-$id"
    keys C-u
    type_text "$2"
    keys Enter
}

# ---- the shown range -------------------------------------------------------------------------
write_to s "$out/shown.bin"
wait_for "wrote 20K (20496 bytes, 0x0-0x5010) of shm $id to $out/shown.bin"
assert_eq "$(stat -c %s "$out/shown.bin")" 20496 "size of the shown range"
cmp -n 20496 "$out/shown.bin" "$E2E_TMP/raw1" || fail "the shown range differs from the segment's bytes"
assert_eq "$(od -An -tx1 -j 0x100 -N 5 "$out/shown.bin" | tr -d ' ')" "1b5b33316d" "bytes at 0x100"

# ---- the whole segment ----------------------------------------------------------------------------
write_to a "$out/whole.bin"
wait_for "wrote 64K (65536 bytes, 0x0-0x10000) of shm $id to $out/whole.bin"
cmp "$out/whole.bin" "$E2E_TMP/raw1" || fail "the whole segment's file differs from its bytes"
assert_eq "$(od -An -c -j 0x5000 -N 6 "$out/whole.bin" | tr -d ' ')" "needle" "bytes at 0x5000"

# ---- never overwritten without y ----------------------------------------------------------------
helper_cmd "text 0x10 CHANGED"
raw > "$E2E_TMP/raw2"
cmp -s "$E2E_TMP/raw1" "$E2E_TMP/raw2" && fail "the helper did not change the segment"
write_to a "$out/whole.bin"
wait_for "$out/whole.bin exists: overwrite it? (y/N)"
keys n
wait_for "not written: $out/whole.bin exists and was kept"
cmp "$out/whole.bin" "$E2E_TMP/raw1" || fail "whole.bin changed although the answer was n"
write_to a "$out/whole.bin"
wait_for "exists: overwrite it? (y/N)"
keys Enter # the default is no
wait_for "exists and was kept"
cmp "$out/whole.bin" "$E2E_TMP/raw1" || fail "whole.bin changed although the answer was Enter"
write_to a "$out/whole.bin"
wait_for "exists: overwrite it? (y/N)"
keys y
wait_for "wrote 64K (65536 bytes, 0x0-0x10000) of shm $id to $out/whole.bin"
cmp "$out/whole.bin" "$E2E_TMP/raw2" || fail "whole.bin was not replaced by the new bytes"

# ---- Esc cancels; directories ---------------------------------------------------------------------
keys w
wait_for "Write to a file: s the shown range"
keys Escape
wait_for "nothing written"
write_to a "$out"
wait_for "not written: $out is a directory"
write_to a "$out/missing/dir/file.bin"
wait_for "not written: cannot create a file next to $out/missing/dir/file.bin"
# what is not a regular file is never replaced, even with y: said at once, no question
mkfifo "$E2E_TMP/fifo"
ln -s "$out/whole.bin" "$E2E_TMP/link"
write_to a "$E2E_TMP/fifo"
wait_for "not written: $E2E_TMP/fifo is not a regular file: not replaced"
assert_screen_lacks "overwrite it?"
[[ -p $E2E_TMP/fifo ]] || fail "the fifo was replaced"
write_to a "$E2E_TMP/link"
wait_for "not written: $E2E_TMP/link is not a regular file: not replaced"
[[ -L $E2E_TMP/link ]] || fail "the symbolic link was replaced"
cmp "$out/whole.bin" "$E2E_TMP/raw2" || fail "whole.bin changed through the link"
assert_eq "$(ls -A "$out" | paste -sd' ')" "shown.bin whole.bin" "files in the output directory"

# ---- bytes that cannot be read: no file, no temporary, an existing file kept -----------------------
# the attacher leaves: the viewer attaches, and the pages nobody touched are not resident
echo quit >&7
wait "$SEG_PID"
wait_for "attached read-only for each read"
wait_for "not resident"
write_to a "$out/partial.bin"
wait_for "shm $id: not written: the bytes at offset 0x1000 (4096) are not resident: reading them would allocate memory"
assert_eq "$(ls -A "$out" | paste -sd' ')" "shown.bin whole.bin" "files after a failed write"
write_to a "$out/whole.bin"
wait_for "exists: overwrite it? (y/N)"
keys y
wait_for "not written: the bytes at offset 0x1000 (4096) are not resident"
cmp "$out/whole.bin" "$E2E_TMP/raw2" || fail "a failed overwrite changed whole.bin"
assert_eq "$(ls -A "$out" | paste -sd' ')" "shown.bin whole.bin" "files after a failed overwrite"
# the shown range holds the line of pages not resident too: refused the same way
keys Home
wait_for "cursor 0x0 (0)"
write_to s "$out/first.bin"
wait_for "shm $id: not written: the bytes at offset 0x1000 (4096) are not resident"
assert_eq "$(ls -A "$out" | paste -sd' ')" "shown.bin whole.bin" "files after a failed write of the shown range"

keys q
wait_for "  KEY"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
