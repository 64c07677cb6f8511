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
# (sets NEW to what the header shows now)
changed_from() {
    NEW=$(sorted_header)
    [[ $NEW != "$1" ]]
}
for screen_key in 1 2 3; do
    keys "$screen_key"
    wait_for_re "^  KEY.* ${column_of[$screen_key]} "
    first=$(sorted_header)
    [[ -n $first ]] || fail "list $screen_key: no column header is drawn as the sort column"
    # walk every column with >, ascending; then again descending (> keeps the order)
    for arrow in ▲ ▼; do
        seen=0
        h=$first
        while true; do
            [[ $h == *"$arrow" ]] || missing+=("list $screen_key, $arrow: header '$h'")
            keys '>'
            poll_until 1 changed_from "$h" || true
            h=$NEW
            seen=$((seen + 1))
            [[ $h != "${first%[▲▼]}"* ]] || break
            ((seen < 30)) || fail "list $screen_key: > never came back to the first column"
        done
        keys I
        poll_until 1 changed_from "$h" || true
        first=$NEW
    done
    log "list $screen_key: $seen columns"
done

if ((${#missing[@]})); then
    printf '  %s\n' "${missing[@]}" >&2
    fail "${#missing[@]} sort states show no direction arrow"
fi
keys q
assert_eq "$(wait_exit)" 0 "exit status"
