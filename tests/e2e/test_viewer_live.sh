#!/bin/bash
# The segment viewer, live: a byte changed by another process is shown at the next refresh
# and highlighted for that refresh only (colour, or attributes without colours); when the
# attacher goes away the viewer says it now attaches, and the segment's lpid shows it; pages
# nobody touched are shown as not resident rather than read; a segment removed while it is
# viewed is a sentence in the status line, not a crash; permission denied is a sentence.
E2E_CHECK_HOST=1 # and nothing is left in the host's IPC namespace
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/viewer_helpers.sh"

viewer_segment_start 65536 0x7e470002 --text 0:'Hello, world! This is the viewer test.'
id=$SEG_ID

# ---- change highlighting (colours) -----------------------------------------------------------
ipctop_start -d 2
wait_for "0x7e470002"
keys x
wait_for "side-effect free: read through process $SEG_PID's mapping"
wait_for "00000020  20 74 65 73 74 2e 00 00"
CHANGED_BG='bg=3' # the viewer's changed bytes: black on yellow

# shown with the new value and highlighted, in one capture
changed_shown() {
    freeze
    local ok=1
    if screen | grep -q '^00000020  20 74 58 73 74 2e 00 00 ' &&
        [[ $(byte_style 0x22) == *"$CHANGED_BG"* ]] &&
        [[ $(byte_style 0x21) != *"$CHANGED_BG"* ]] &&
        [[ $(byte_style 0x23) != *"$CHANGED_BG"* ]]; then ok=0; fi
    thaw
    return $ok
}
# ... and at the next refresh no longer highlighted
change_faded() {
    freeze
    local ok=1
    if screen | grep -q '^00000020  20 74 58 ' && [[ $(byte_style 0x22) != *"$CHANGED_BG"* ]]; then ok=0; fi
    thaw
    return $ok
}
helper_cmd "hex 0x22 58"
poll_until 5 changed_shown || fail "the changed byte 0x22 was not shown highlighted (style '$(byte_style 0x22)')"
poll_until 5 change_faded || fail "the highlight of 0x22 stayed after the next refresh"
# the ASCII column is highlighted too, and a change inside a squeezed run becomes a line
helper_cmd "hex 0x200 41"
ascii_changed() {
    freeze
    local ok=1 col
    col=$(screen | grep -m1 '^00000200 ' | perl -ne 'print index($_, "|A")+1')
    if ((col > 0)) && [[ $(style_of '^00000200 ' "$col") == *"$CHANGED_BG"* ]] &&
        [[ $(byte_style 0x200) == *"$CHANGED_BG"* ]]; then ok=0; fi
    thaw
    return $ok
}
poll_until 5 ascii_changed || fail "the byte changed inside a run was not shown highlighted"

# ---- the attacher goes away: the viewer attaches, says so, and detaches after each read ---------
echo quit >&7
wait "$SEG_PID"
wait_for "now reading by attaching, which changes nattch, lpid and atime"
wait_for "attached read-only for each read: no process has it attached; attaching changes nattch, lpid and atime for everyone"
# pages nobody touched are not read (that would allocate them): one line
wait_for "00001000  -- not resident: 60K (61440 bytes), not read: reading would allocate or swap it in --"
ipctop=$(ipctop_pid)
lpid_is_ipctop() { [[ $(shm_fields "$id" | awk '{print $1}') == "$ipctop" ]]; }
poll_until 5 lpid_is_ipctop || fail "lpid is not ipctop's while it attaches: $(shm_fields "$id")"
assert_eq "$(shm_fields "$id" | awk '{print $2}')" 0 "nattch between reads (detached at once)"
assert_screen_has "00000000  48 65 6c 6c 6f 2c 20 77"

# ---- removed while viewed ------------------------------------------------------------------------
ipcrm -m "$id"
wait_for "shm $id no longer exists; showing the bytes read before"
assert_screen_has "00000000  48 65 6c 6c 6f 2c 20 77"
keys Down Down PPage End Home
wait_for "cursor 0x0 (0)"
keys q
wait_for "  KEY"
keys q
assert_eq "$(wait_exit)" 0 "exit status"

# ---- without colours: attributes say the same -----------------------------------------------------
exec 7>&-
rm -f "$E2E_TMP/seg.in"
viewer_segment_start 8192 0x7e470003 --text 0:'Hello, world! This is the viewer test.'
ipctop_start -d 2 --no-color
wait_for "0x7e470003"
keys x
wait_for "side-effect free"
wait_for "00000000  48 65"
assert_eq "$(screen_e | perl "$E2E_DIR/screen.pl" colours)" 0 "cells drawn in colour under --no-color"
# NULs dim, the cursor reversed
assert_match "$(byte_style 0x30)" 'dim' "a NUL byte without colours"
assert_match "$(byte_style 0x0)" 'rev' "the cursor without colours"
CHANGED_BG='bold rev' # changed bytes: reverse and bold
helper_cmd "hex 0x22 58"
poll_until 5 changed_shown || fail "without colours, the changed byte 0x22 was not shown marked (style '$(byte_style 0x22)')"
keys q
wait_for "  KEY"

# ---- permission denied is a sentence --------------------------------------------------------------
if id nobody > /dev/null 2>&1 && command -v setpriv > /dev/null; then
    keys q
    wait_exit > /dev/null
    chmod 755 "$E2E_TMP"
    tmux_start 120 30 env IPCTOPRC="$E2E_TMP/nobody.rc" setpriv --reuid=nobody --regid=nogroup --clear-groups "$IPCTOP_BIN" -d 1
    wait_for "F10Quit"
    wait_for "0x7e470003"
    keys x
    wait_for "permission denied: this user may not read it"
    assert_screen_has "  KEY"
    keys q
    assert_eq "$(wait_exit)" 0 "exit status (as nobody)"
else
    log "skipped the permission check: no user nobody or no setpriv"
fi
