#!/bin/bash
# Every mode that writes to stdout checks its writes and its final flush and close:
#  - to /dev/full, or with stdout closed: exit status 1 and one sentence on stderr
#    ("ipctop: cannot write the output: No space left on device"), never a silent 0;
#  - to a pipe whose reader is gone: with SIGPIPE at its default (as shells leave it) ipctop
#    ends by SIGPIPE at once and says nothing, as cat does; with SIGPIPE ignored the write
#    fails with EPIPE: status 1 and the sentence ("Broken pipe").
# The same in every mode: --json, -b, --limits (and --json), --peek (and --json), --dump
# (and --raw), --reap (and --dry-run, --json), --help, --version. --reap still removes what
# it removes: the objects live in this test's private IPC namespace.
source "$(dirname "$0")/lib.sh"

mk_shm 0x3e110001 8192
mk_msg 0x3e110002
shm=$(shm_id_of 0x3e110001)
msq=$(msg_id_of 0x3e110002)
perl -e 'msgsnd($ARGV[0], pack("l! a*", 1, "hello"), 0) or die' "$msq"
# bytes in the segment (a page never written cannot be dumped --raw)
perl -e 'shmwrite($ARGV[0], "x" x 8192, 0, 8192) or die' "$shm"

out="$E2E_TMP/out" err="$E2E_TMP/err"

# run_to HOW ARGS...: runs ipctop with stdout as HOW says; sets $status, $err_text
#   full:    /dev/full
#   closed:  no descriptor 1 at all
#   pipe:    a pipe whose reader has gone, SIGPIPE at its default
#   pipeign: the same, SIGPIPE ignored (inherited through exec)
run_to() {
    local how=$1
    shift
    status=0
    case $how in
    full) "$IPCTOP_BIN" "$@" > /dev/full 2> "$err" || status=$? ;;
    closed) "$IPCTOP_BIN" "$@" >&- 2> "$err" || status=$? ;;
    pipe | pipeign)
        perl -e 'pipe(my $r, my $w) or die; close $r; open(STDOUT, ">&", $w) or die; close $w;
                 $SIG{PIPE} = shift @ARGV; exec @ARGV or die' \
            "$([[ $how == pipe ]] && echo DEFAULT || echo IGNORE)" "$IPCTOP_BIN" "$@" \
            2> "$err" || status=$?
        ;;
    esac
    # --dump always says first, on stderr, how it reads the segment: not an error
    err_text=$(grep -v "^ipctop: shm $shm: " "$err" || true)
}

expect_error() { # HOW CAUSE ARGS...
    local how=$1 cause=$2
    shift 2
    run_to "$how" "$@"
    assert_eq "$status" 1 "exit status of ipctop $* with stdout $how"
    assert_eq "$err_text" "ipctop: cannot write the output: $cause" "stderr of ipctop $* with stdout $how"
}

expect_sigpipe() {
    run_to pipe "$@"
    assert_eq "$status" $((128 + 13)) "ipctop $* on a closed pipe: not ended by SIGPIPE"
    assert_eq "$err_text" "" "stderr of ipctop $* on a closed pipe"
}

# a leaked object for each --reap run (removed by the run before)
leak() { [[ -n $(shm_id_of 0x3e1100ff) ]] || mk_shm 0x3e1100ff 4096; }

modes=(
    "--json" "-b|-n|1" "-b|-n|2|-d|0.1" "--limits" "--limits|--json" "--peek|$msq" "--peek|$msq|--json"
    "--dump|$shm" "--dump|$shm|--raw" "--reap|--older-than|0|--key|0x3e1100ff" "--reap|--dry-run|--older-than|0|--key|0x3e1100ff"
    "--reap|--json|--older-than|0|--key|0x3e1100ff" "--help" "--version"
)
for m in "${modes[@]}"; do
    IFS='|' read -r -a args <<< "$m"
    [[ $m == --reap* ]] && leak
    expect_error full "No space left on device" "${args[@]}"
    [[ $m == --reap* ]] && leak
    expect_error closed "Bad file descriptor" "${args[@]}"
    [[ $m == --reap* ]] && leak
    expect_error pipeign "Broken pipe" "${args[@]}"
    [[ $m == --reap* ]] && leak
    expect_sigpipe "${args[@]}"
    # and the same mode to a file works: status 0 (1 for --reap only when a removal failed)
    [[ $m == --reap* ]] && leak
    status=0
    "$IPCTOP_BIN" "${args[@]}" > "$out" 2> "$err" || status=$?
    assert_eq "$status" 0 "exit status of ipctop ${args[*]} to a file ($(cat "$err"))"
    [[ -s $out ]] || fail "ipctop ${args[*]} wrote nothing to a file"
done

# --reap to /dev/full still did its work: the leaked object is gone
leak
id=$(shm_id_of 0x3e1100ff)
run_to full --reap --older-than 0
assert_eq "$status" 1 "--reap to /dev/full"
[[ -z $(shm_id_of 0x3e1100ff) ]] || fail "--reap to /dev/full did not remove shm $id"

# -b | head -1: ends by SIGPIPE once head is gone (as other tools), quietly
set +o pipefail
"$IPCTOP_BIN" -b -d 0.05 2> "$err" | head -1 > /dev/null
rc=${PIPESTATUS[0]}
set -o pipefail
assert_eq "$rc" 141 "ipctop -b | head -1"
assert_eq "$(cat "$err")" "" "stderr of ipctop -b | head -1"
