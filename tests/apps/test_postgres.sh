#!/bin/bash
# PostgreSQL 15 (Debian's) with shared_memory_type=sysv and dynamic_shared_memory_type=sysv,
# as user postgres in a PID namespace of its own, under load that creates and drops dynamic
# shared memory: a few thousand tables with statistics (the cumulative statistics system
# grows its DSA by segments that sit at nattch 0, their creating backend gone), parallel
# queries (a segment per query), pgbench -C (a backend per transaction).
#  - throughout, no object is ever `leaked` (sampled with --older-than 1s);
#  - `--reap` with defaults and with --older-than 1s removes nothing, and the database
#    answers every query afterwards;
#  - after kill -9 of the postmaster and all its children, its segments become `leaked`,
#    `--reap --older-than 1s` removes them, and PostgreSQL starts again on the same data.
source "$(dirname "$0")/lib.sh"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[[ -x $PGBIN/postgres ]] || fail "no PostgreSQL 15 in $PGBIN (scripts/setup installs postgresql-15)"
id postgres > /dev/null 2>&1 || fail "no user postgres (the postgresql-15 package makes it)"

PGD=$(user_dir postgres pg)
# No TCP at all and the socket in a directory of our own: the port cannot collide with
# anything, and the segment keys (derived from the data directory's inode) live in our
# private IPC namespace.
PGPORT=54329
runas postgres
PG=("${RUNAS[@]}" PGHOST="$PGD" PGPORT="$PGPORT" PGUSER=postgres PGDATABASE=postgres)
# the sessions that run parallel plans, whatever the plan would cost
PAR_OPTS="-c force_parallel_mode=on -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0 -c max_parallel_workers_per_gather=2"

"${PG[@]}" "$PGBIN/initdb" -D "$PGD/data" -N -A trust -U postgres --locale=C -E UTF8 \
    > "$E2E_TMP/initdb.log" 2>&1 || fail "initdb failed: $(tail -5 "$E2E_TMP/initdb.log")"
cat >> "$PGD/data/postgresql.conf" << EOF
listen_addresses = ''
unix_socket_directories = '$PGD'
port = $PGPORT
shared_memory_type = sysv
dynamic_shared_memory_type = sysv
shared_buffers = 32MB
max_connections = 30
fsync = off
synchronous_commit = off
full_page_writes = off
log_line_prefix = '%m [%p] '
EOF
log "initdb done; objects left by it: $(kernel_ids | wc -l)"

pg_start() {
    app_start "$1" "${RUNAS[@]}" "$PGBIN/postgres" -D "$PGD/data"
    local i
    for i in $(seq 300); do
        app_exec "$1" "${PG[@]}" "$PGBIN/pg_isready" -q && return 0
        app_alive "$1" || break
        sleep 0.1
    done
    fail "PostgreSQL ($1) did not start: $(tail -5 "$E2E_TMP/$1.log")"
}
# sql APP SQL: one new connection, one statement; its output on stdout.
sql() { app_exec "$1" "${PG[@]}" "$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1 -c "$2"; }
sql_par() { app_exec "$1" "${PG[@]}" PGOPTIONS="$PAR_OPTS" "$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1 -c "$2"; }

pg_start pg
main_key=$(awk 'NR > 1 && $1 != 0 {printf "0x%08x\n", $1 < 0 ? $1 + 4294967296 : $1; exit}' /proc/sysvipc/shm)
log "PostgreSQL runs (postmaster $(printf %s "${APP_PID[pg]}")); data directory inode $(printf '0x%08x' "$(stat -c %i "$PGD/data")"), first segment key $main_key"

# ---- sampling ------------------------------------------------------------------------------

NSAMPLES=0
IDLE_SEEN=0         # samples that saw a segment at nattch 0 whose creator is gone
declare -A LEAKED   # "shm 7" -> first sample that called it leaked, and why
declare -A LEAKED_N # "shm 7" -> in how many samples
declare -A SEEN     # every segment id seen
SAMPLES_LOG="$E2E_TMP/samples.log"
sample() {
    NSAMPLES=$((NSAMPLES + 1))
    local f="$E2E_TMP/sample.json" line id
    ipctop_json "$f" --older-than 1s
    {
        echo "== sample $NSAMPLES ($1, $(elapsed))"
        jqd '.shm[] | "  shm \(.id) \(.key) \(.size) nattch=\(.nattch) cpid=\(.cpid)\(if .cpid_alive then "" else "(gone)" end) lpid=\(.lpid) attachers=\([.attachers[].pid] | join(",")) \(verdict): \(.leak.reason // "-")"' "$f"
    } >> "$SAMPLES_LOG"
    while read -r id; do SEEN[$id]=1; done < <(jqd '.shm[] | .id' "$f")
    [[ -z $(jqd '.shm[] | select(.nattch == 0 and .cpid_alive == false) | .id' "$f") ]] ||
        IDLE_SEEN=$((IDLE_SEEN + 1))
    while read -r line; do
        [[ -n $line ]] || continue
        id=${line%% key*}
        [[ -n ${LEAKED[$id]:-} ]] || LEAKED[$id]="sample $NSAMPLES ($1): $line"
        LEAKED_N[$id]=$((${LEAKED_N[$id]:-0} + 1))
    done <<< "$(leaked_lines "$f")"
    while read -r line; do
        [[ -z $line ]] || check_fail "sample $NSAMPLES ($1): $line"
    done <<< "$(incomplete_claims "$f")"
}
# sample_while PID LABEL: samples until PID has exited; returns its status.
sample_while() {
    while kill -0 "$1" 2> /dev/null; do
        sample "$2"
        sleep 0.2
    done
    wait "$1"
}

# ---- the load ------------------------------------------------------------------------------

sample "idle after start"

# 3 x 1000 tables, each with a row: a statistics entry each, which grows the statistics DSA
tables() {
    local b
    for b in 1 2 3; do
        sql pg "do \$\$ begin for i in 1..1000 loop
                  execute format('create table t${b}_%s (a int)', i);
                  execute format('insert into t${b}_%s values (%s)', i, i);
                end loop; end \$\$" || return 1
    done
}
tables > "$E2E_TMP/tables.log" 2>&1 &
sample_while $! "creating 3000 tables" || fail "creating the tables failed: $(cat "$E2E_TMP/tables.log")"
log "3000 tables made; $NSAMPLES samples so far"

app_exec pg "${PG[@]}" "$PGBIN/pgbench" -i -q -s 1 > "$E2E_TMP/pgbench-init.log" 2>&1 ||
    fail "pgbench -i failed: $(tail -5 "$E2E_TMP/pgbench-init.log")"
# pgbench -C: a new backend per transaction; every query of it parallel (a DSM segment
# each), and one in four a parallel scan of the whole table (workers attach)
echo 'select count(*) from pgbench_accounts;' > "$PGD/scan.sql"
chown postgres "$PGD/scan.sql"
app_exec pg "${PG[@]}" PGOPTIONS="$PAR_OPTS" "$PGBIN/pgbench" -n -C -c 3 -j 1 -T 6 \
    -b tpcb-like@3 -f "$PGD/scan.sql@1" > "$E2E_TMP/pgbench.log" 2>&1 &
sample_while $! "pgbench -C, parallel" || fail "pgbench failed: $(tail -5 "$E2E_TMP/pgbench.log")"
log "pgbench: $(grep -m2 -E 'transactions actually processed|failed transactions' "$E2E_TMP/pgbench.log" | paste -sd' ')"

sql pg "do \$\$ begin for i in 1..1000 loop execute format('drop table t1_%s', i); end loop; end \$\$" \
    > "$E2E_TMP/drop.log" 2>&1 &
sample_while $! "dropping 1000 tables" || fail "dropping tables failed: $(cat "$E2E_TMP/drop.log")"
[[ $(sql_par pg "select count(*) from pgbench_accounts") == 100000 ]] || fail "a parallel scan failed"

# a quiet moment: the statistics segments sit unattached, their creators gone
sleep 2.5
sample "quiet 2.5s"
sleep 1
sample "quiet 3.5s"
log "$NSAMPLES samples; segments seen: ${#SEEN[@]}; samples with a segment at nattch 0 whose creator is gone: $IDLE_SEEN"

# what makes this test mean anything: PostgreSQL did make segments that nothing attaches
# between uses, their creator gone, and segments that come and go
((IDLE_SEEN > 0)) || fail "precondition: no sample saw a PostgreSQL segment at nattch 0 with its creator gone (see $SAMPLES_LOG)"
((${#SEEN[@]} > 4)) || fail "precondition: only ${#SEEN[@]} segments seen: no dynamic shared memory came and went"

for id in "${!LEAKED[@]}"; do
    check_fail "while PostgreSQL runs, $id was called leaked in ${LEAKED_N[$id]} of $NSAMPLES samples; first: ${LEAKED[$id]}"
done

# ---- --reap must leave a running PostgreSQL alone ------------------------------------------

before=$(kernel_ids)
for opts in "" "--older-than 1s"; do
    # shellcheck disable=SC2086
    ipctop_reap "$E2E_TMP/reap.json" $opts
    log "--reap ${opts:-(defaults)}: $(jq -c '[.candidates[] | {id, outcome}]' "$E2E_TMP/reap.json")"
    removed=$(reap_lines "$E2E_TMP/reap.json" '^removed')
    [[ -z $removed ]] || check_fail "ipctop --reap ${opts:-(defaults)} removed objects of a running PostgreSQL: $removed"
    ((REAP_RC == 0)) || check_fail "ipctop --reap ${opts:-(defaults)} exited $REAP_RC"
done
after=$(kernel_ids)
vanished=$(comm -23 <(echo "$before") <(echo "$after"))
[[ -z $vanished ]] || check_fail "objects of the running PostgreSQL vanished: $(paste -sd, <<< "$vanished")"

# every query afterwards: new connections (each attaches the statistics), statistics,
# a parallel query, pgbench -C
q_fail() { check_fail "after --reap, PostgreSQL failed $1: $(head -1 <<< "$2")"; }
out=$(sql pg "select count(*) from pg_stat_user_tables where n_tup_ins > 0" 2>&1) &&
    [[ $out =~ ^[0-9]+$ ]] && ((out >= 2000)) || q_fail "a statistics query" "$out"
out=$(sql_par pg "select count(*) from pgbench_accounts" 2>&1) && [[ $out == 100000 ]] ||
    q_fail "a parallel query" "$out"
out=$(app_exec pg "${PG[@]}" PGOPTIONS="$PAR_OPTS" "$PGBIN/pgbench" -n -C -c 2 -t 20 2>&1) ||
    q_fail "pgbench -C -t 20" "$(grep -m3 -iE 'error|fatal|abort' <<< "$out")"
app_alive pg || q_fail "to stay up" "the postmaster is gone: $(tail -3 "$E2E_TMP/pg.log")"
# a backend that loses its statistics segment may crash, and the postmaster then restarts
# every process (all sessions lost) and re-creates its shared memory
crash=$(grep -E 'terminated by signal|reinitializing|could not get shared memory segment' "$E2E_TMP/pg.log" | head -4 || true)
[[ -z $crash ]] || q_fail "without errors" "its log says: $(paste -sd'|' <<< "$crash")"

# ---- kill -9: now its segments are leaked, and --reap removes them ------------------------

pg_ids=$(kernel_ids)
app_kill pg
log "PostgreSQL killed; its objects: $(paste -sd, <<< "$pg_ids")"
[[ -n $pg_ids ]] || fail "PostgreSQL left no segment to judge"
all_leaked() {
    ipctop_json "$E2E_TMP/killed.json" --older-than 1s
    [[ -z $(jqd 'objects | select(verdict != "leaked") | .id' "$E2E_TMP/killed.json") ]]
}
if ! poll_until 15 all_leaked; then
    check_fail "after kill -9 of PostgreSQL, not every object is leaked: $(objects_lines "$E2E_TMP/killed.json" | grep -v ' leaked:' | paste -sd';')"
fi
log "after the kill: $(objects_lines "$E2E_TMP/killed.json" | paste -sd';')"

ipctop_reap "$E2E_TMP/reap-killed.json" --older-than 1s
((REAP_RC == 0)) || check_fail "ipctop --reap --older-than 1s after the kill exited $REAP_RC"
log "--reap after the kill: $(jq -c '[.candidates[] | {id, outcome}]' "$E2E_TMP/reap-killed.json")"
while read -r t i; do
    [[ -n $t ]] || continue
    [[ -n $(jq -r --arg t "$t" --argjson i "$i" '.candidates[] | select(.type == $t and .id == $i and .outcome == "removed") | .id' "$E2E_TMP/reap-killed.json") ]] ||
        check_fail "after the kill, $t $i was not removed: $(jq -c --arg t "$t" --argjson i "$i" '.candidates[] | select(.type == $t and .id == $i)' "$E2E_TMP/reap-killed.json")"
done <<< "$pg_ids"
left=$(kernel_ids)
[[ -z $left ]] || check_fail "objects left after the reap: $(paste -sd, <<< "$left")"

# ---- PostgreSQL starts again on the same data directory ------------------------------------

pg_start pg2
log "PostgreSQL started again on the same data directory: $(kernel_ids | paste -sd,)"
out=$(sql pg2 "select count(*) from pgbench_accounts" 2>&1) && [[ $out == 100000 ]] ||
    check_fail "PostgreSQL after the restart: $out"
out=$(sql_par pg2 "select count(*) from pg_stat_user_tables" 2>&1) && [[ $out =~ ^[0-9]+$ ]] ||
    check_fail "PostgreSQL after the restart: $out"
# a fast shutdown: PostgreSQL removes its own segments
kill -INT "${APP_PID[pg2]}"
poll_until 30 eval '! app_alive pg2' || fail "PostgreSQL did not shut down"
wait "${APP_OUTER[pg2]}" || true
left=$(kernel_ids)
[[ -z $left ]] || check_fail "a cleanly stopped PostgreSQL left objects: $(paste -sd, <<< "$left")"
log "PostgreSQL stopped; objects left: ${left:-none}"

apps_finish
