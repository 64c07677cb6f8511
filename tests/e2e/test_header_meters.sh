#!/bin/bash
# The header's meters at every width the lists are drawn at: a meter shows its whole
# "used/limit" figure or none of it — never the tail of a number cut by a narrow bar
# ("Sems [00000]" for 6/1024000000 would read as a wrong number).
source "$(dirname "$0")/lib.sh"

mk_shm 0x3e7e0001 4096
mk_sem 0x3e7e5001 6
mk_msg 0x3e7e9001
TERM_W=120 TERM_H=20 ipctop_start -d 1
wait_for "0x3e7e0001"

bad=()
for w in 40 44 48 52 56 60 66 72 80 90 100 110 120 140 160; do
    resize "$w" 20
    poll_until 5 eval '[[ $(screen_line 0 | wc -L) -le '"$w"' ]] && screen_has_re "^Sem sets"' ||
        fail "no header at width $w"
    sleep 0.1
    for n in 1 2; do
        line=$(screen_line "$n")
        # every "[...]" of the line: the figure inside must be whole
        while read -r content; do
            figure=$(tr -d '|[]' <<< "$content" | sed 's/^ *//; s/ *$//')
            [[ -z $figure ]] && continue
            [[ $figure =~ ^[0-9.]+[KMGTPE]?/[0-9.]+[KMGTPE]?$ ]] ||
                bad+=("width $w: meter shows '$content' in: $line")
        done < <(grep -o '\[[^]]*\]' <<< "$line")
    done
done
if ((${#bad[@]})); then
    printf '  %s\n' "${bad[@]}" >&2
    fail "${#bad[@]} meters show a cut figure"
fi
keys q
assert_eq "$(wait_exit)" 0 "exit status"
