#!/bin/bash
# A person's settings file is never lost (issue 10):
#  - one unknown or mistyped line (theme=dark, sort.shm=rsss) costs nothing but itself: the
#    interval, sort and columns are used, and a later change keeps every other line;
#  - IPCTOPRC naming a copy of /etc/passwd: reported, never replaced;
#  - IPCTOPRC=/dev/zero, a FIFO, a character device: the monitor starts at once (no spin,
#    no block), says so, and replaces nothing;
#  - in a decimal-comma locale (de_DE.UTF-8, generated here with localedef) the interval
#    is written delay=0.5 and read back.
source "$(dirname "$0")/lib.sh"

mk_shm 0x5e7a0001 4096
mk_sem 0x5e7a5001 2
mk_msg 0x5e7a9001
rc=$IPCTOPRC
quit_ok() {
    keys q
    assert_eq "$(wait_exit)" 0 "exit status"
}

# ---- unknown names and a mistyped value ----------------------------------------------------------------
mine=$(cat << 'END'
# my ipctop
theme=dark
screen=sem
delay=2
sort.shm=rsss
sort.sem=owner
order.sem=desc
columns.msg=key,id,owner,msgs
END
)
printf '%s\n' "$mine" > "$rc"
ipctop_start
wait_for "every 2s"
wait_for "0x5e7a5001"   # the semaphore list
wait_sorted "OWNER▼"
wait_for "line 5"       # sort.shm=rsss is named
keys 3                  # one change
wait_for "0x5e7a9001"
assert_no_match "$(screen | grep -m1 '^  KEY')" "PERMS" "columns.msg hides PERMS"
quit_ok
want=$(sed 's/^screen=sem$/screen=msg/' <<< "$mine")
assert_eq "$(cat "$rc")" "$want" "only the changed line is rewritten"

# ---- a copy of /etc/passwd ---------------------------------------------------------------------------------
cp /etc/passwd "$E2E_TMP/passwd"
tmux_start 120 30 env IPCTOPRC="$E2E_TMP/passwd" "$IPCTOP_BIN"
wait_for "F10Quit"
wait_for "damaged at line 1"
keys 2 +
wait_for "every 2s"
quit_ok
cmp -s /etc/passwd "$E2E_TMP/passwd" || fail "the copy of /etc/passwd was changed"
[[ -z $(find "$E2E_TMP" -maxdepth 1 -name 'passwd?*') ]] || fail "a file was left beside it"

# ---- not regular files: /dev/zero, a FIFO, a character device --------------------------------------------
mkfifo "$E2E_TMP/fifo"
mknod "$E2E_TMP/full" c 1 7 # a private /dev/full: the real one is never put at risk
for f in /dev/zero "$E2E_TMP/fifo" "$E2E_TMP/full"; do
    tmux_start 120 30 env IPCTOPRC="$f" "$IPCTOP_BIN"
    wait_for "F10Quit" 5 # at once: no spinning on /dev/zero, no blocking on the FIFO
    wait_for "not a regular file"
    keys 2 + # a change that would be saved
    wait_for "every 2s"
    quit_ok
done
[[ -p $E2E_TMP/fifo ]] || fail "the FIFO was replaced"
[[ -c $E2E_TMP/full ]] || fail "the character device was replaced"

# ---- a decimal-comma locale -----------------------------------------------------------------------------------
mkdir -p "$E2E_TMP/locales"
localedef -i de_DE -f UTF-8 "$E2E_TMP/locales/de_DE.UTF-8" > /dev/null 2>&1 || true
[[ $(env LOCPATH="$E2E_TMP/locales" LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 0,5 2> /dev/null) == "0,5" ]] ||
    fail "cannot make de_DE.UTF-8 with localedef (package locales)"
rm -f "$rc"
tmux_start 120 30 env LOCPATH="$E2E_TMP/locales" LC_ALL=de_DE.UTF-8 "$IPCTOP_BIN"
wait_for "F10Quit"
keys - -
wait_for_re "every 0[.,]25s"
keys +
wait_for_re "every 0[.,]5s"
quit_ok
grep -qx 'delay=0.5' "$rc" || fail "written in de_DE.UTF-8: $(cat "$rc")"
# and read back there, and in C
for loc in de_DE.UTF-8 C.UTF-8; do
    tmux_start 120 30 env LOCPATH="$E2E_TMP/locales" LC_ALL="$loc" "$IPCTOP_BIN"
    wait_for_re "every 0[.,]5s"
    assert_screen_lacks "settings file"
    quit_ok
done
