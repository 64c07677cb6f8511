#!/bin/bash
# Search and filter match a row's command too (the issue: "jumps to the next row whose
# key, id, owner or command matches"): the COMMAND column names the process that created
# a segment; typing that name finds its row.
source "$(dirname "$0")/lib.sh"

mk_shm 0x0c0d0001 4096 # creator gone: "(dead)"
# a segment whose creator stays: ipcload, kept running by an attacher
"$IPCLOAD_BIN" --shm 1 --attachers 1 --key-base 0x0c0d0100 > "$E2E_TMP/load.out" 2>&1 &
load_pid=$!
poll_until 15 grep -q '^ready' "$E2E_TMP/load.out" || fail "ipcload did not start: $(cat "$E2E_TMP/load.out")"
mk_shm 0x0c0d0002 4096

TERM_W=160 ipctop_start -d 0.5
wait_for "0x0c0d0100"
wait_eq "ipcload" cell 0x0c0d0100 COMMAND
wait_selected 0x0c0d0001

keys /
type_text ipcload
keys Enter
wait_gone "Search:"
wait_selected 0x0c0d0100

keys '\'
type_text ipcload
keys Enter
wait_for_re "filter '?ipcload'?: 1 of 3"
assert_eq "$(list_keys)" "0x0c0d0100" "rows whose command is ipcload"

keys q
assert_eq "$(wait_exit)" 0 "exit status"
kill -TERM "$load_pid"
wait "$load_pid" || true
