#!/bin/bash
# Bash completion (completion/ipctop, or IPCTOP_COMPLETION): options, --type kinds,
# --source paths, --sort columns and -o columns (a file after --dump), each checked against what the binary accepts; the ids
# and keys of this IPC namespace's objects for --dump, --peek, --key (--id once ipctop has
# it), read live; and one real Tab in an interactive bash in tmux.
# shellcheck disable=SC2034 # (read by lib.sh)
E2E_CHECK_HOST=1
source "$(dirname "$0")/lib.sh"

COMPLETION=${IPCTOP_COMPLETION:-$E2E_DIR/../../completion/ipctop}
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
[[ -r $BASH_COMPLETION ]] || fail "bash-completion is not installed ($BASH_COMPLETION)"
[[ -r $COMPLETION ]] || fail "no completion file $COMPLETION"

# complete WORD...: what Tab offers for the last WORD of "ipctop WORD...", one a line,
# sorted; the words are split as bash splits them ("--sort=k" is "--sort" "=" "k").
complete_words() {
    bash --norc --noprofile -c '
        source "$1" && source "$2" || exit 1
        shift 2
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE=$(IFS=; echo "${COMP_WORDS[*]/#/ }")
        COMP_LINE=${COMP_LINE# }
        COMP_LINE=${COMP_LINE// = /=}
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _ipctop "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMPLETION" "$COMPLETION" "$IPCTOP_BIN" "$@" |
        sed '/^$/d' | sort
}
lines() { printf '%s\n' "$@" | sed '/^$/d' | sort; }
# same_set WHAT GOT WANT: the two newline-separated lists hold the same words
same_set() {
    [[ $2 == "$3" ]] || fail "$1: completion offers [$(paste -sd' ' <<< "$2")], expected [$(paste -sd' ' <<< "$3")]
  only offered: $(comm -23 <(echo "$2") <(echo "$3") | paste -sd' ')
  missing:      $(comm -13 <(echo "$2") <(echo "$3") | paste -sd' ')"
}
has_word() { grep -qxF -- "$2" <<< "$1" || fail "$3: '$2' is not offered (offered: $(paste -sd' ' <<< "$1"))"; }

help=$("$IPCTOP_BIN" --help)

# ---- options: every one of --help, each known to ipctop --------------------------------------
long_help=$(grep -oE '^ {1,8}(-[[:alnum:]], )?--[[:alnum:]][[:alnum:]-]*' <<< "$help" | grep -oE -- '--[[:alnum:]-]+' | sort)
short_help=$(grep -oE '^ {1,8}-[[:alnum:]]\b' <<< "$help" | tr -d ' ' | sort)
(($(wc -l <<< "$long_help") >= 20)) || fail "could not read the options of --help: $long_help"
got=$(complete_words --)
same_set "ipctop --<Tab>" "$got" "$long_help"
for o in --type --sort --dump --peek --key --json; do has_word "$got" "$o" "ipctop --<Tab>"; done
for o in $got; do
    err=$("$IPCTOP_BIN" "$o" --help 2>&1 > /dev/null < /dev/null || true)
    [[ $err != *"unknown option"* ]] || fail "completion offers $o, which ipctop does not know: $err"
done
same_set "ipctop -<Tab>" "$(complete_words -)" "$(lines "$short_help" "$long_help")"
same_set "ipctop --so<Tab>" "$(complete_words --so)" "$(lines --sort --source)"
# after an option without a value (and before anything): options again
same_set "ipctop --json <Tab>" "$(complete_words --json '')" "$(lines "$short_help" "$long_help")"
# after an option whose value is free-form (a number): nothing, not the options
same_set "ipctop --delay <Tab>" "$(complete_words --delay '')" ""
same_set "ipctop -n <Tab>" "$(complete_words -n '')" ""

# ---- --type: kinds, comma-separated ---------------------------------------------------------
kinds=$(complete_words --type '')
for k in shm sem msg; do has_word "$kinds" "$k" "ipctop --type <Tab>"; done
for k in $kinds; do
    "$IPCTOP_BIN" --type "$k" --version > /dev/null 2>&1 || fail "completion offers --type $k, which ipctop refuses"
done
same_set "ipctop --type sem,<Tab>" "$(complete_words --type sem,)" "$(grep -vx sem <<< "$kinds" | sed 's/^/sem,/')"
same_set "ipctop --type shm,msg,<Tab>" "$(complete_words --type shm,msg,)" "$(grep -vxE 'shm|msg' <<< "$kinds" | sed 's/^/shm,msg,/')"
same_set "ipctop --type=s<Tab>" "$(complete_words --type = s)" "$(grep '^s' <<< "$kinds")"

# ---- --source ---------------------------------------------------------------------------------
paths=$(complete_words --source '')
has_word "$paths" auto "ipctop --source <Tab>"
for p in $paths; do
    "$IPCTOP_BIN" --source "$p" --version > /dev/null 2>&1 || fail "completion offers --source $p, which ipctop refuses"
done

# ---- --sort: the columns of the lists ------------------------------------------------------------
cols=$(complete_words --sort '')
for c in key id size nsems msgs; do has_word "$cols" "$c" "ipctop --sort <Tab>"; done
for c in $cols; do
    # a column it knows gets as far as wanting a terminal (exit 1); a bad one exits 2
    status=0
    err=$("$IPCTOP_BIN" --sort "$c" 2>&1 > /dev/null < /dev/null) || status=$?
    [[ $status == 1 && $err == *"needs a terminal"* ]] || fail "completion offers --sort $c, which ipctop refuses: $err"
done
same_set "ipctop -s <Tab>" "$(complete_words -s '')" "$cols"
same_set "ipctop --sort=n<Tab>" "$(complete_words --sort = n)" "$(grep '^n' <<< "$cols")"

# ---- -o/--output: the columns of batch frames, comma-separated; a file with --dump --------------
ocols=$(complete_words -b -o '')
for c in key id state attachers values waiting msgrate; do has_word "$ocols" "$c" "ipctop -b -o <Tab>"; done
for c in $ocols; do
    "$IPCTOP_BIN" -b -n 1 -o "$c" > /dev/null 2>&1 || fail "completion offers -o $c, which ipctop refuses"
done
same_set "ipctop -b -o <Tab>: the names of --sort" "$ocols" "$cols"
same_set "ipctop -b --output key,n<Tab>" "$(complete_words -b --output key,n)" \
    "$(grep '^n' <<< "$ocols" | grep -vx key | sed 's/^/key,/')"
touch "$E2E_TMP/dumpfile.txt"
same_set "ipctop --dump 1 -o <file>" "$(complete_words --dump 1 -o "$E2E_TMP/dumpf")" "$E2E_TMP/dumpfile.txt"

# ---- --owner: users ---------------------------------------------------------------------------
has_word "$(complete_words --owner ro)" root "ipctop --owner ro<Tab>"

# ---- ids and keys, read live from this namespace -------------------------------------------------
same_set "ipctop --dump <Tab> with no objects" "$(complete_words --dump '')" ""
mk_shm 0x7e570001 4096
mk_shm 0x7e570002 8192
"$IPCLOAD_BIN" --leak --shm 1 > /dev/null # IPC_PRIVATE: key 0
mk_sem 0x7e570003 2
mk_msg 0x7e570004
"$IPCLOAD_BIN" --leak --msg 1 > /dev/null
ids_of() { ipcs "$1" | awk '$1 ~ /^0x/ {print $2}' | sort; }
same_set "ipctop --dump <Tab>" "$(complete_words --dump '')" "$(ids_of -m)"
same_set "ipctop --peek <Tab>" "$(complete_words --peek '')" "$(ids_of -q)"
(($(ids_of -m | wc -l) == 3 && $(ids_of -q | wc -l) == 2)) || fail "the test's objects are not all there: $(ipcs -a)"
same_set "ipctop --key <Tab>" "$(complete_words --key '')" "$(lines 0x7e570001 0x7e570002 0x7e570003 0x7e570004)"
same_set "ipctop --key 0x7e570003<Tab>" "$(complete_words --key 0x7e570003)" "0x7e570003"
if grep -qE '^ {1,8}--id\b' <<< "$help"; then
    same_set "ipctop --id <Tab>" "$(complete_words --id '')" "$(lines "$(ids_of -m)" "$(ids_of -s)" "$(ids_of -q)")"
fi
# a removed object is no longer offered
gone=$(shm_id_of 0x7e570002)
ipcrm -m "$gone"
same_set "ipctop --dump <Tab> after ipcrm" "$(complete_words --dump '')" "$(ids_of -m)"
got=$(complete_words --dump '')
! grep -qxF "$gone" <<< "$got" || fail "--dump still offers the removed segment $gone"

# ---- one real Tab, in an interactive bash ---------------------------------------------------------
qid=$(msg_id_of 0x7e570004)
ipcrm -q "$(ipcs -q | awk '$1 == "0x00000000" {print $2}')" # one queue left: Tab completes it
tmux_start 160 20 bash --norc --noprofile -i
wait_for "E2E-SHELL"
type_text "PS1='prompt\$ '; source $BASH_COMPLETION; source $COMPLETION; clear"
keys Enter
wait_for "prompt$"
type_text "$IPCTOP_BIN --pe"
keys Tab
wait_for "$IPCTOP_BIN --peek" # (a capture drops the trailing space)
keys Tab
wait_for "$IPCTOP_BIN --peek $qid"
keys C-u
type_text "$IPCTOP_BIN --type shm,s"
keys Tab
wait_for "$IPCTOP_BIN --type shm,sem"
