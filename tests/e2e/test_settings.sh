#!/bin/bash
# Settings persist: sort column and order, active list, refresh interval; written only
# when they changed, atomically (a new file renamed over the old one, no temporary file
# left); read back at the next start; a damaged file gives a message, its settings still
# count, and it is never rewritten; a bad value costs only its own setting.
source "$(dirname "$0")/lib.sh"

mk_shm 0x5e770001 4096
mk_sem 0x5e775001 2
mk_msg 0x5e779001
rc=$IPCTOPRC
rc_dir=$(dirname "$rc")

quit_ok() {
    keys q
    assert_eq "$(wait_exit)" 0 "exit status"
}
inode_mtime() { stat -c '%i %y' "$1"; }
no_temp_files() {
    local left
    left=$(find "$rc_dir" -maxdepth 1 -name "$(basename "$rc")?*" | paste -sd' ')
    [[ -z $left ]] || fail "temporary files left beside the settings file: $left"
}

# ---- nothing changed: nothing written ------------------------------------------------------------
ipctop_start
wait_for "every 1s"
quit_ok
[[ ! -e $rc ]] || fail "a settings file was written although nothing changed: $(cat "$rc")"

# ---- change: list, sort column, order, interval ---------------------------------------------------
ipctop_start
wait_for "0x5e770001"
keys 2
wait_for "0x5e775001"
keys '>' # ID -> OWNER
wait_sorted "OWNER▲"
keys I
wait_sorted "OWNER▼"
keys +
wait_for "every 2s"
quit_ok
[[ -s $rc ]] || fail "no settings file after changes"
no_temp_files
grep -qx 'screen=sem' "$rc" || fail "screen not saved: $(cat "$rc")"
grep -qx 'delay=2' "$rc" || fail "delay not saved: $(cat "$rc")"
grep -qx 'sort.sem=owner' "$rc" || fail "sort column not saved: $(cat "$rc")"
grep -qx 'order.sem=desc' "$rc" || fail "sort order not saved: $(cat "$rc")"
! grep -q '^sort.shm=' "$rc" || fail "a setting nobody changed was written: $(cat "$rc")"
before=$(inode_mtime "$rc")
content=$(cat "$rc")

# ---- read back ---------------------------------------------------------------------------------------------
sleep 0.01 # mtimes have a fine resolution; a rewrite would show
ipctop_start
wait_for "every 2s"
wait_for "0x5e775001" # the semaphore list is the active one
wait_sorted "OWNER▼"
quit_ok
assert_eq "$(inode_mtime "$rc")" "$before" "the settings file was rewritten although nothing changed"

# changed and changed back: still nothing to write
ipctop_start
wait_for "every 2s"
keys +
wait_for "every 3s"
keys -
wait_for "every 2s"
keys 1
wait_for "0x5e770001"
keys 2
wait_for "0x5e775001"
quit_ok
assert_eq "$(inode_mtime "$rc")" "$before" "the settings file was rewritten although nothing changed in the end"
assert_eq "$(cat "$rc")" "$content" "settings file content"

# a change replaces the file by a new one (rename): a new inode, nothing left beside it
ipctop_start
wait_for "every 2s"
keys 3
wait_for "0x5e779001"
quit_ok
grep -qx 'screen=msg' "$rc" || fail "screen not saved: $(cat "$rc")"
new=$(inode_mtime "$rc")
[[ ${new%% *} != "${before%% *}" ]] || fail "the settings file was rewritten in place (same inode), not replaced"
no_temp_files

# ---- a line that is not a setting: the file is read, reported once, and never written ------------
printf 'screen=sem\ndelay=2\nthis is not a setting\n' > "$rc"
damaged=$(cat "$rc")
ipctop_start
wait_for "damaged at line 3"
assert_screen_has "$rc"
wait_for "every 2s"    # the settings it holds still count
wait_for "0x5e775001"  # the semaphore list
keys 3 +               # changes: kept for this run only
wait_for "every 3s"
quit_ok
assert_eq "$(cat "$rc")" "$damaged" "a damaged settings file was rewritten"

# bad values cost only their own setting (and the message names the line)
for bad in 'delay=-1' 'delay=abc' 'delay=0,5' 'screen=nosuch' 'sort.shm=nosuchcolumn' 'order.sem=up' \
    'columns.shm=' 'columns.msg=key,nosuch'; do
    printf '# comment\n\n%s\nscreen=sem\n' "$bad" > "$rc"
    ipctop_start
    wait_for "line 3"
    wait_for "0x5e775001" # screen=sem after the bad line still counts
    quit_ok
done
# names this ipctop does not know are silent: 'sort.nosuch', 'theme'
printf 'sort.nosuch=id\ntheme=dark\nscreen=sem\n' > "$rc"
ipctop_start
wait_for "0x5e775001"
assert_screen_lacks "settings file"
quit_ok
for damage in '=' 'delay'; do
    printf '# comment\n\n%s\n' "$damage" > "$rc"
    ipctop_start
    wait_for "damaged at line 3"
    wait_for "every 1s"
    quit_ok
done
# binary junk
head -c 3000 /dev/urandom > "$rc"
printf '\n' >> "$rc"
ipctop_start
wait_for "every 1s"
quit_ok
# an unreadable file (a directory): a message, not a crash
rm -f "$rc"
mkdir "$rc"
ipctop_start
wait_for "not a regular file"
quit_ok
rmdir "$rc"

# ---- where the file is: IPCTOPRC, else $XDG_CONFIG_HOME/ipctop/ipctoprc, else ~/.config ----------------
xdg_rc="$XDG_CONFIG_HOME/ipctop/ipctoprc"
home_rc="$HOME/.config/ipctop/ipctoprc"
other_rc="$E2E_TMP/elsewhere/deeper/rc"
tmux_start 120 30 env IPCTOPRC="$other_rc" "$IPCTOP_BIN"
wait_for "F10Quit"
keys 2
wait_for "0x5e775001"
quit_ok
grep -qx 'screen=sem' "$other_rc" || fail "IPCTOPRC was not used"
[[ ! -e $xdg_rc && ! -e $home_rc ]] || fail "a settings file was written beside IPCTOPRC's"

tmux_start 120 30 env -u IPCTOPRC "$IPCTOP_BIN"
wait_for "F10Quit"
keys 3
wait_for "0x5e779001"
quit_ok
grep -qx 'screen=msg' "$xdg_rc" || fail "\$XDG_CONFIG_HOME/ipctop/ipctoprc was not used"
[[ ! -e $home_rc ]] || fail "~/.config was written although XDG_CONFIG_HOME is set"

tmux_start 120 30 env -u IPCTOPRC -u XDG_CONFIG_HOME "$IPCTOP_BIN"
wait_for "F10Quit"
keys 2
wait_for "0x5e775001"
quit_ok
grep -qx 'screen=sem' "$home_rc" || fail "~/.config/ipctop/ipctoprc was not used"
# and it is read back from there
tmux_start 120 30 env -u IPCTOPRC -u XDG_CONFIG_HOME "$IPCTOP_BIN"
wait_for "0x5e775001"
quit_ok
