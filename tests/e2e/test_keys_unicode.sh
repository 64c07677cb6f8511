#!/bin/bash
# Keys mean what was typed: letters whose code points equal curses' key codes ('đ' is
# U+0111 and KEY_F(9) is 0x111; 'Č' F4, 'Ē' F10, 'š' Shift-Tab, 'œ' PgUp, 'ŗ' the
# keypad's Enter, ...) are typed through tmux as the characters they are, and must do
# nothing in the lists, the detail pane, the menus, the signal menu, the removal dialog
# and the viewer — and be typed as text in the prompts. The real keys still work.
source "$(dirname "$0")/lib.sh"

"$IPCLOAD_BIN" --leak --shm 30 --shm-size 4096 --key-base 0x6b000000 > /dev/null
"$IPCLOAD_BIN" --shm 1 --attachers 1 --touch --key-base 0x6b100000 > "$E2E_TMP/att.out" 2>&1 &
poll_until 15 grep -q '^ready' "$E2E_TMP/att.out" || fail "ipcload did not start"

key_n() { printf '0x6b%06x' "$1"; }
at() { wait_selected "$(key_n "$1")"; }
no_overlay() {
    local what
    for what in "Remove 1 object" "Filter:" "Search:" "Sort by" "Columns (Space)" "Send signal" \
        "EXIT=" "nothing removed" "ipctop keys" "Shared memory segment"; do
        screen_lacks "$what" || fail "after typing $1: the screen shows '$what'"
    done
}

TERM_W=120 TERM_H=45 ipctop_start -d 0.5
wait_for " 1 Shared memory (31)"
at 0

# ---- the list: each letter, then j; the selection must be one row further, nothing open
row=0
for letter in đ Ŋ Č ċ ĉ Ď Ċ Ē š œ Œ Ă ă Ć Ũ ŗ ƚ ƙ ć; do
    type_text "$letter"
    keys j
    row=$((row + 1))
    at "$row"
    no_overlay "$letter"
done
wait_for " 1 Shared memory (31)" # still the first list (š would be Shift-Tab)

# ---- the filter prompt: the letters are typed as text ---------------------------------------
keys '\'
wait_for "Filter:"
type_text "đČŗ"
wait_for "Filter: đČŗ"
keys Escape
wait_gone "Filter:"

# ---- the detail pane: 'Ē' must not quit, 'ŗ' must not close it, 'đ' opens no signal menu ----
keys /
type_text 6b100000
keys Enter
wait_selected 0x6b100000
keys Enter
wait_for "Attached processes: 1"
type_text "Ē"
type_text "ŗ"
type_text "đ"
keys Down # the attacher's line
sleep 0.5
assert_screen_has "Attached processes: 1"
for what in "Send signal" "EXIT=" "ipctop keys"; do
    screen_lacks "$what" || fail "after typing Ē ŗ đ in the detail pane: the screen shows '$what'"
done

# ---- the signal menu: 'ŗ' (the keypad's Enter) must not send the signal -------------------------
attacher=$(screen | awk '/PID USER +MAPS ACCESS STATE/ {on=1; next} on && $1 ~ /^[0-9]+$/ {print $1; exit}')
[[ $attacher =~ ^[0-9]+$ ]] || fail "no attacher line in the detail pane"
keys F9
wait_for "Send signal to $attacher"
type_text "ŗ"
wait_for "no signal sent"
sleep 0.3
kill -0 "$attacher" || fail "typing ŗ in the signal menu sent the signal"
keys Escape
wait_gone "Attached processes"

# ---- the sort menu: 'ŗ' must not choose (ID again would invert the order), 'Ď' (F6) must not
# close it (Down and Enter then choose the next column in the menu, not open a detail pane)
wait_sorted "ID▲"
keys F6
wait_for "Sort by"
type_text "ŗ"
keys Escape
wait_gone "Sort by"
wait_sorted "ID▲"
keys F6
wait_for "Sort by"
type_text "Ď"
keys Down Enter
wait_gone "Sort by"
not_by_id() { [[ $(sorted_header) != ID* ]]; }
poll_until 5 not_by_id || fail "Down and Enter after Ď did not choose a column: sorted by $(sorted_header)"
screen_lacks "Shared memory segment" || fail "Ď closed the sort menu: Enter opened the detail pane"
keys F6 # back to sorting by id
wait_for "Sort by"
keys Up Enter
wait_sorted "ID▲"

# ---- the column menu: 'Ă' (Down) and 'ă' (Up) are not arrows: they close it as other keys do
keys F2
wait_for "Columns (Space)"
keys Down # a real arrow moves in the menu
type_text "Ă"
wait_gone "Columns (Space)"

# ---- the removal dialog: only y removes; 'ŗ' cancels --------------------------------------------
keys g
at 0
keys F9
wait_for "Remove 1 object?"
type_text "ŗ"
wait_for "nothing removed"
wait_for "$(key_n 0)"

# ---- the viewer: 'Ē' (F10) does not quit, 'ą' (Right) does not move the cursor -----------------
keys /
type_text 6b100000
keys Enter
wait_selected 0x6b100000
keys x
wait_for "cursor 0x0 (0) in hex"
type_text "Ē"
type_text "ą"
keys l # a real move right
wait_for "cursor 0x1 (1) in hex"
# the goto prompt takes the letters as text (and then says it is not an offset)
keys g
type_text "đ1"
keys Enter
wait_for 'not an offset: "đ1"'
keys q
wait_gone "cursor 0x"

# ---- and the real keys still do their work ----------------------------------------------------
keys F4
wait_for "Filter:"
keys Escape
keys F10
assert_eq "$(wait_exit)" 0 "exit status after F10"
