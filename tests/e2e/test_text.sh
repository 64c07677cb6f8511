#!/bin/bash
# Text in any language: a process named "café", "日本語" or with bytes that are not UTF-8
# keeps its name in --json (valid UTF-8 as it is, each bad byte U+FFFD, '/' not escaped)
# and in batch frames (in a UTF-8 locale and in the bare C locale), never "caf??"; the
# screens show it too. Error messages never repeat a control byte of an argument.
source "$(dirname "$0")/lib.sh"

FFFD=$'\xef\xbf\xbd'
mk_sem 0x7e470001 1
sem=$(sem_id_of 0x7e470001)

# start_named KEY NAME N: the N-th process named NAME (PR_SET_NAME, /proc/PID/comm) that creates a
# segment with KEY (so it is its creator, CPID) and then blocks on the semaphore set (so it
# is a waiter, with its command in JSON). Prints its pid once it waits: the set's NCOUNT
# has grown to N.
start_named() {
    perl -e '$0 = $ARGV[2]; shmget(hex($ARGV[0]), 4096, 01600) // die "shmget: $!";
             semop($ARGV[1], pack("S s s", 0, -1, 0))' "$1" "$sem" "$2" > /dev/null &
    local pid=$! n=$3
    named() {
        [[ -n $(ipcs -m | awk -v k="$1" '$1 == k') ]] && grep -q . "/proc/$pid/comm" &&
            [[ $(ipcs -s -i "$sem" | awk '$1 == "0" { print $3 }') == "$n" ]]
    }
    poll_until 5 named "$1" || fail "the process named $2 did not start waiting"
    echo "$pid"
}
cafe=$(start_named 0x7e470011 "café" 1)
jp=$(start_named 0x7e470012 "日本語" 2)
slash=$(start_named 0x7e470013 "a/b\"c\\d" 3)
bad=$(start_named 0x7e470014 $'bad\xff\xfe' 4)
ctl=$(start_named 0x7e470015 $'x\e[31my' 5)
# the kernel keeps 15 bytes of a name: "日本語" (9 bytes) fits whole
assert_eq "$(cat "/proc/$jp/comm")" "日本語" "the kernel kept the name"

waiters_json=$("$IPCTOP_BIN" --json | grep -F '"id":'"$sem"',')
command_of() { # the JSON text of the command of waiter PID
    grep -o '"pid":'"$1"',"command":"\([^"\\]\|\\.\)*"' <<< "$waiters_json" | sed 's/.*"command"://'
}
assert_eq "$(command_of "$cafe")" '"café"' "JSON command of café"
assert_eq "$(command_of "$jp")" '"日本語"' "JSON command of 日本語"
assert_eq "$(command_of "$slash")" '"a/b\"c\\d"' "JSON: '/' as it is, '\"' and '\\' escaped"
assert_eq "$(command_of "$bad")" "\"bad$FFFD$FFFD\"" "JSON: bytes that are not UTF-8"
assert_eq "$(command_of "$ctl")" '"x\u001b[31my"' "JSON: a control character"
# the whole document is valid UTF-8
"$IPCTOP_BIN" --json | iconv -f UTF-8 -t UTF-8 > /dev/null || fail "--json wrote invalid UTF-8"

# batch frames: the COMMAND column names the creator (CPID). CPID is aligned to the right,
# as wide as the widest pid of the frame: the blanks are squeezed (no name here has one)
batch_command() { grep -m1 "^$1 " <<< "$frame" | tr -s ' ' | cut -d' ' -f2-; }
for locale in C.UTF-8 C POSIX ""; do
    frame=$(env LC_ALL="$locale" LANG= "$IPCTOP_BIN" -b -n 1 -o key,cpid,command)
    assert_eq "$(batch_command 0x7e470011)" "$cafe café" "batch with LC_ALL='$locale': café"
    assert_eq "$(batch_command 0x7e470012)" "$jp 日本語" "batch with LC_ALL='$locale': 日本語"
    assert_eq "$(batch_command 0x7e470014)" "$bad bad$FFFD$FFFD" "batch with LC_ALL='$locale': bad bytes"
    assert_eq "$(batch_command 0x7e470015)" "$ctl x?[31my" "batch with LC_ALL='$locale': a control"
    iconv -f UTF-8 -t UTF-8 <<< "$frame" > /dev/null || fail "-b wrote invalid UTF-8 (LC_ALL='$locale')"
    # the default columns name it too
    frame=$(env LC_ALL="$locale" LANG= "$IPCTOP_BIN" -b -n 1)
    assert_match "$(grep -m1 " 0x7e470012 " <<< "$frame")" " $jp .*日本語" "default batch columns ($locale)"
done
# --raw: every byte that is not printable ASCII, and blanks and backslashes, as \xHH (lsipc's raw)
frame=$("$IPCTOP_BIN" -b -n 1 --raw -o key,command)
assert_eq "$(batch_command 0x7e470011)" 'caf\xc3\xa9' "--raw: café"
assert_eq "$(batch_command 0x7e470012)" '\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e' "--raw: 日本語"
assert_eq "$(batch_command 0x7e470013)" 'a/b"c\x5cd' "--raw: a backslash"
assert_eq "$(batch_command 0x7e470014)" 'bad\xef\xbf\xbd\xef\xbf\xbd' "--raw: bad bytes as U+FFFD"
assert_eq "$(batch_command 0x7e470015)" 'x?[31my' "--raw: a control"
assert_eq "$(printf '%b' "$(batch_command 0x7e470012)")" "日本語" "--raw decodes with printf %b"
LC_ALL=C grep -q $'[^\x20-\x7e]' <<< "$frame" && fail "--raw wrote a byte that is not printable ASCII"

# the screens: the detail pane of the set lists its waiters by name
ipctop_start
keys 2
wait_for "0x7e470001"
keys Enter
wait_for "Semaphore set $sem"
wait_for "café"
wait_for "日本語"
wait_for "bad$FFFD$FFFD"
assert_screen_lacks "caf?"
keys Escape q
assert_eq "$(wait_exit)" 0 "exit status"

# ---- messages never repeat a control byte of an argument ------------------------------------------
evil=$'\e]0;T\a'
del=$'\x7f'
for args in "-d|$evil" "-n|$evil" "-s|$evil" "--older-than|$evil" "--key|$evil" "--dump|$evil" \
    "--$evil|" "-$del|" "--type|$evil" "--owner|$evil" "--source|$evil" "--peek|$evil" \
    "--dump|1|--offset|$evil" "$evil|"; do
    IFS='|' read -r -a argv <<< "$args"
    status=0
    err=$("$IPCTOP_BIN" "${argv[@]}" 2>&1 > /dev/null < /dev/null) || status=$?
    assert_eq "$status" 2 "exit status of ipctop ${argv[*]@Q}"
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<< "$err"; then
        fail "ipctop ${argv[*]@Q} wrote a control byte to stderr: $(od -c <<< "$err" | head -3)"
    fi
    [[ $err == *']0;T'* ]] || [[ $args != *"$evil"* ]] || fail "the message does not show the argument: $err"
done

kill "$cafe" "$jp" "$slash" "$bad" "$ctl" 2> /dev/null || true
