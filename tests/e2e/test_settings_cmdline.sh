#!/bin/bash
# Command-line options are for one run, not settings: `ipctop -d 0.5` or `ipctop -s size`
# once must not change what the settings file says (nor rewrite it), as the file holds
# what the person chose in the monitor.
source "$(dirname "$0")/lib.sh"

mk_shm 0x5e770001 4096
rc=$IPCTOPRC
printf 'screen=shm\ndelay=2\nsort.shm=id\norder.shm=asc\n' > "$rc"
before=$(stat -c '%i %y' "$rc")
content=$(cat "$rc")

ipctop_start -d 0.5
wait_for "every 0.5s"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
assert_eq "$(cat "$rc")" "$content" "settings file after ipctop -d 0.5"
assert_eq "$(stat -c '%i %y' "$rc")" "$before" "ipctop -d 0.5 rewrote the settings file"

ipctop_start -s size
wait_sorted "SIZE▲"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
assert_eq "$(cat "$rc")" "$content" "settings file after ipctop -s size"

# and what the person changes in such a run is still saved
ipctop_start -d 0.5
wait_for "every 0.5s"
keys 2
wait_for "2 Semaphores"
keys q
assert_eq "$(wait_exit)" 0 "exit status"
grep -qx 'screen=sem' "$rc" || fail "the change made in the monitor was not saved: $(cat "$rc")"
grep -qx 'delay=2' "$rc" || fail "the one-off -d 0.5 was saved as the interval: $(cat "$rc")"
