#!/bin/bash
# Whatever column a list is sorted by, its header shows the direction (▲ ascending,
# ▼ descending), as htop does: walk every shown column of every list with >, and I.
source "$(dirname "$0")/lib.sh"

mk_shm 0x50170001 4096
mk_sem 0x50175001 2
mk_msg 0x50179001

TERM_W=250 TERM_H=20 ipctop_start -d 1
wait_for "0x50170001"

missing=()
column_of=([1]=SIZE [2]=NSEMS [3]=MSGS)
for screen_key in 1 2 3; do
    keys "$screen_key"
    wait_for_re "^  KEY.* ${column_of[$screen_key]} "
    first=$(sorted_header)
    [[ -n $first ]] || fail "list $screen_key: no column header is drawn as the sort column"
    seen=0
    while true; do
        h=$(sorted_header)
        [[ $h == *▲ ]] || missing+=("list $screen_key ascending: header '$h'")
        keys I
        poll_until 0.5 eval '[[ $(sorted_header) == *▼ ]]' || true
        h2=$(sorted_header)
        [[ $h2 == *▼ ]] || missing+=("list $screen_key descending: header '$h2'")
        keys I
        poll_until 1 sorted_is "$h" || true
        keys '>'
        poll_until 1 eval '[[ $(sorted_header) != "$h" ]]' || true
        seen=$((seen + 1))
        [[ $(sorted_header) == "$first" ]] && break
        ((seen < 25)) || fail "list $screen_key: > never came back to the first column"
    done
    log "list $screen_key: $seen columns"
done

if ((${#missing[@]})); then
    printf '  %s\n' "${missing[@]}" >&2
    fail "${#missing[@]} sort states show no direction arrow"
fi
keys q
assert_eq "$(wait_exit)" 0 "exit status"
