#!/bin/bash
# Options of the interactive monitor: colours (default on; --no-color and NO_COLOR turn
# them off, attributes still mark the selection), -M (no mouse reporting), bad options
# (exit 2, one sentence), and no terminal (says to use -b or --json, exits non-zero).
source "$(dirname "$0")/lib.sh"

mk_shm 0x0b710001 4096
mk_shm 0x0b710002 4096
colours() { screen_e | perl "$E2E_DIR/screen.pl" colours; }
quit_ok() {
    keys q
    assert_eq "$(wait_exit)" 0 "exit status"
}

# ---- colours -------------------------------------------------------------------------------------
ipctop_start
wait_for "0x0b710002"
(($(colours) > 0)) || fail "no colours by default"
assert_eq "$(pane_flag mouse_any_flag)" 1 "mouse reporting is on by default"
quit_ok

SEL_STYLE=rev
for how in --no-color NO_COLOR=1 NO_COLOR=yes; do
    if [[ $how == --no-color ]]; then
        tmux_start 120 30 "$IPCTOP_BIN" --no-color
    else
        tmux_start 120 30 env "$how" "$IPCTOP_BIN"
    fi
    wait_for "0x0b710002"
    assert_eq "$(colours)" 0 "cells drawn in colour with $how"
    # the selection is still visible, in reverse video
    wait_selected 0x0b710001
    keys Down
    wait_selected 0x0b710002
    quit_ok
done
SEL_STYLE='bg=6'

# ---- -M: no mouse reporting asked of the terminal ------------------------------------------------
for opt in -M --no-mouse; do
    ipctop_start "$opt"
    wait_for "0x0b710002"
    assert_eq "$(pane_flag mouse_any_flag)" 0 "mouse reporting with $opt"
    assert_eq "$(pane_flag mouse_standard_flag)" 0 "mouse reporting with $opt"
    quit_ok
done

# ---- bad options: status 2, one sentence on stderr, nothing on stdout ------------------------------------
bad_option() {
    local out="$E2E_TMP/out" err="$E2E_TMP/err" status=0
    "$IPCTOP_BIN" "$@" > "$out" 2> "$err" < /dev/null || status=$?
    assert_eq "$status" 2 "exit status of ipctop $*"
    [[ ! -s $out ]] || fail "ipctop $* wrote to stdout: $(cat "$out")"
    assert_eq "$(wc -l < "$err")" 1 "lines on stderr for ipctop $* ($(cat "$err"))"
    assert_match "$(cat "$err")" '^ipctop: ' "stderr of ipctop $*"
}
bad_option -s nosuchcolumn
assert_match "$(cat "$E2E_TMP/err")" "nosuchcolumn" "the message names the bad column"
bad_option --sort=
bad_option -d 0
bad_option -d abc
bad_option -n -1
bad_option --no-such-option
# in a terminal too: the message is on the terminal, not hidden by the monitor
tmux_start 120 30 "$IPCTOP_BIN" -s nosuchcolumn
assert_eq "$(wait_exit)" 2 "exit status of -s nosuchcolumn in a terminal"
assert_screen_has "nosuchcolumn"
# a valid -s works in every list that has the column, and is accepted for any list
ipctop_start -s nsems
wait_for "0x0b710002"
quit_ok

# ---- no terminal ------------------------------------------------------------------------------------
no_tty_status=0
"$IPCTOP_BIN" > "$E2E_TMP/out" 2> "$E2E_TMP/err" < /dev/null || no_tty_status=$?
((no_tty_status != 0)) || fail "ipctop without a terminal exited 0"
grep -q -- "-b" "$E2E_TMP/err" && grep -q -- "--json" "$E2E_TMP/err" ||
    fail "without a terminal, the message does not point to -b and --json: $(cat "$E2E_TMP/err")"
# stdin a terminal, stdout a pipe: the same
tmux_start 120 30 bash -c '"$0" | cat > "$1"; echo "PIPE=${PIPESTATUS[0]}"' "$IPCTOP_BIN" "$E2E_TMP/piped"
wait_for_re "^PIPE=[0-9]+"
assert_no_match "$(screen | grep '^PIPE=')" '^PIPE=0$' "ipctop | cat exited 0"
assert_screen_has "--json"
[[ ! -s $E2E_TMP/piped ]] || fail "ipctop | cat wrote terminal output into the pipe"
assert_eq "$(pane_flag alternate_on)" 0 "alternate screen after ipctop | cat"
