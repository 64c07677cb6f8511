/*
 * leak rules (leak.c), one test per branch, on snapshots and process tables made by hand:
 * in use is never a leak, live creators and last users keep an object, recent activity
 * keeps it, reused and zombie pids count as dead, and what could not be seen turns a
 * "yes" into a "possibly". Plus the duration parser of --older-than.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leak.h"
#include "snapshot.h"
#include "who.h"

#define NOW 1800000000
#define OLD (NOW - 3600) /* an hour ago: older than the 10-minute default */
#define AGE LEAK_DEFAULT_MIN_AGE

static const uint64_t COMMON = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                               FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);

/* A process table with the given live processes (pid, start time, state). */
static void procs(struct snapshot *s, const int32_t *pids, const double *starts, const char *states,
                  size_t n)
{
    struct proc_table *t = &s->procs;
    t->p = calloc(n ? n : 1, sizeof *t->p);
    t->pool = calloc(16, 1);
    t->pcap = 16;
    t->plen = 1;
    t->n = n;
    t->ok = true;
    t->initial_pid_ns = true;
    t->self_ipc_ns = 1;
    for (size_t i = 0; i < n; i++)
        t->p[i] = (struct proc_info){pids[i], 0, states ? states[i] : 'S', starts[i], 0, 0, 1};
}

static struct shm_segment *shm(struct snapshot *s, uint64_t nattch, int32_t cpid, int32_t lpid,
                               int64_t ctime, int64_t atime)
{
    struct shm_segment *g = snapshot_add_shm(s);
    g->c.valid = COMMON | FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_ATIME) |
                 FBIT(F_DTIME) | FBIT(F_SIZE);
    g->c.id = (int32_t)s->nshm;
    g->c.ctime = ctime;
    g->nattch = nattch;
    g->cpid = cpid;
    g->lpid = lpid;
    g->atime = atime;
    g->size = 4096;
    return g;
}

static struct leak_verdict judge(struct snapshot *s, enum ipc_class cls)
{
    struct who w;
    assert_int_equal(who_build(&w, s), 0);
    struct leak_verdict v = leak_judge(s, &w, cls, 0, NOW, AGE);
    /* the cheap form agrees with the worded one */
    assert_int_equal(leak_kind_of(s, &w, cls, 0, NOW, AGE), v.kind);
    who_free(&w);
    return v;
}

#define EXPECT(s, cls, want, words)                                                                \
    do {                                                                                           \
        struct leak_verdict v_ = judge(s, cls);                                                    \
        if (v_.kind != (want) || !strstr(v_.reason, words))                                        \
            fail_msg("verdict %d '%s', expected %d with '%s'", v_.kind, v_.reason, want, words);   \
    } while (0)

static void test_shm_attached_is_in_use(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 2, 100, 101, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_NO, "in use: 2 attachment");
    snapshot_free(&s);
}

static void test_shm_live_creator_or_last_user(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    int32_t pids[] = {100};
    double starts[] = {OLD - 10};
    procs(&s, pids, starts, NULL, 1);
    shm(&s, 0, 100, 0, OLD, 0);
    EXPECT(&s, IPC_SHM, LEAK_NO, "creator 100 is alive");
    snapshot_free(&s);

    snapshot_init(&s);
    procs(&s, pids, starts, NULL, 1);
    shm(&s, 0, 55, 100, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_NO, "last user 100 is alive");
    snapshot_free(&s);
}

static void test_shm_leaked_and_recent(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 0, 100, 101, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_YES, "nothing attached, creator and last user gone, untouched for 1h");
    snapshot_free(&s);

    /* the same, but attached a minute ago: not yet */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 0, 100, 101, OLD, NOW - 60);
    EXPECT(&s, IPC_SHM, LEAK_NO, "active 1m00s ago");
    snapshot_free(&s);

    /* never attached at all, created long ago */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 0, 100, 0, OLD, 0);
    EXPECT(&s, IPC_SHM, LEAK_YES, "untouched for");
    snapshot_free(&s);
}

static void test_shm_reused_and_zombie_pids_are_dead(void **state)
{
    (void)state;
    /* pid 100 belongs to a process that started after the segment was made */
    struct snapshot s;
    snapshot_init(&s);
    int32_t pids[] = {100, 101};
    double starts[] = {OLD + 5, OLD - 100};
    char states[] = {'S', 'Z'};
    procs(&s, pids, starts, states, 2);
    shm(&s, 0, 100, 101, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_YES, "creator and last user gone");
    snapshot_free(&s);
}

static void test_shm_unknown_is_possible(void **state)
{
    (void)state;
    /* no process table: nobody can say whether its processes live */
    struct snapshot s;
    snapshot_init(&s);
    shm(&s, 0, 100, 101, OLD, OLD);
    s.procs.ok = false;
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLE, "possibly leaked");
    snapshot_free(&s);

    /* hidepid: a pid missing from /proc may be another user's live process */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    s.procs.hides_others = true;
    shm(&s, 0, 100, 0, OLD, 0);
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLE, "could not be seen");
    snapshot_free(&s);

    /* fields unknown: no verdict */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 0, 100, 101, OLD, OLD)->c.valid &= ~FBIT(F_NATTCH);
    EXPECT(&s, IPC_SHM, LEAK_NO, "not enough is known");
    snapshot_free(&s);
}

static struct sem_set *sem(struct snapshot *s, int32_t pid0, int32_t pid1, int64_t otime)
{
    struct sem_set *set = snapshot_add_sem(s, 2);
    set->c.valid =
        COMMON | FBIT(F_NSEMS) | FBIT(F_OTIME) | FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    set->c.id = 1; /* what the blocked tasks of these tests name */
    set->c.ctime = OLD;
    set->otime = otime;
    sem_elements(s, set)[0].pid = pid0;
    sem_elements(s, set)[1].pid = pid1;
    return set;
}

static void test_sem_rules(void **state)
{
    (void)state;
    struct snapshot s;
    int32_t live[] = {300};
    double starts[] = {OLD - 10};

    /* a waiter the kernel counts */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    sem_elements(&s, sem(&s, 0, 0, OLD))[1].ncount = 1;
    EXPECT(&s, IPC_SEM, LEAK_NO, "in use: 1 waiting");
    snapshot_free(&s);

    /* a waiter the task scan saw (stopped: the kernel does not count it) */
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    sem(&s, 0, 0, OLD);
    s.tasks.blocked = calloc(1, sizeof *s.tasks.blocked);
    s.tasks.blocked[0] =
        (struct blocked_task){300, 300, WAIT_SEMOP, {1, 0, 1, 0, 0, 0}, 'T', -1, OLD, 0, 0, 0};
    s.tasks.nblocked = 1;
    EXPECT(&s, IPC_SEM, LEAK_NO, "1 process(es) waiting");
    snapshot_free(&s);

    /* a live last user on one semaphore */
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    sem(&s, 0, 300, OLD);
    EXPECT(&s, IPC_SEM, LEAK_NO, "last user 300 (semaphore 1) is alive");
    snapshot_free(&s);

    /* dead users, old: leaked; recent semop: not yet */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    sem(&s, 301, 0, OLD);
    EXPECT(&s, IPC_SEM, LEAK_YES, "nobody waiting, last users gone");
    snapshot_free(&s);
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    sem(&s, 301, 0, NOW - 5);
    EXPECT(&s, IPC_SEM, LEAK_NO, "active 5s ago");
    snapshot_free(&s);

    /* a set this user may not read: its waiters are unknown */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    sem(&s, 0, 0, OLD)->c.valid &= ~(FBIT(F_SEMCOUNT) | FBIT(F_SEMPID) | FBIT(F_SEMVAL));
    EXPECT(&s, IPC_SEM, LEAK_POSSIBLE, "may not read its waiters");
    snapshot_free(&s);
}

static struct msg_queue *queue(struct snapshot *s, int32_t lspid, int32_t lrpid, int64_t stime)
{
    struct msg_queue *q = snapshot_add_msg(s);
    q->c.valid = COMMON | FBIT(F_LSPID) | FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME);
    q->c.id = 1;
    q->c.ctime = OLD;
    q->lspid = lspid;
    q->lrpid = lrpid;
    q->stime = stime;
    return q;
}

static void test_msg_rules(void **state)
{
    (void)state;
    struct snapshot s;
    int32_t live[] = {400};
    double starts[] = {OLD - 10};

    /* a blocked receiver */
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    queue(&s, 0, 0, OLD);
    s.tasks.complete = true;
    s.tasks.blocked = calloc(1, sizeof *s.tasks.blocked);
    s.tasks.blocked[0] =
        (struct blocked_task){400, 400, WAIT_MSGRCV, {1, 0, 64, 0, 0, 0}, 'S', -1, OLD, 0, 0, 0};
    s.tasks.nblocked = 1;
    EXPECT(&s, IPC_MSG, LEAK_NO, "1 process(es) blocked on it");
    snapshot_free(&s);

    /* live last sender, live last receiver */
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    queue(&s, 400, 0, OLD);
    s.tasks.complete = true;
    EXPECT(&s, IPC_MSG, LEAK_NO, "last sender 400 is alive");
    snapshot_free(&s);
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    queue(&s, 0, 400, OLD);
    s.tasks.complete = true;
    EXPECT(&s, IPC_MSG, LEAK_NO, "last receiver 400 is alive");
    snapshot_free(&s);

    /* all gone, every task seen: leaked; recent traffic: not yet */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    queue(&s, 401, 402, OLD);
    s.tasks.complete = true;
    EXPECT(&s, IPC_MSG, LEAK_YES, "nobody blocked on it, last sender and receiver gone");
    snapshot_free(&s);
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    queue(&s, 401, 402, NOW - 2);
    s.tasks.complete = true;
    EXPECT(&s, IPC_MSG, LEAK_NO, "active 2s ago");
    snapshot_free(&s);

    /* some tasks could not be inspected: a hidden receiver may exist */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    queue(&s, 0, 0, OLD);
    s.tasks.complete = false;
    EXPECT(&s, IPC_MSG, LEAK_POSSIBLE, "some tasks could not be inspected");
    snapshot_free(&s);
}

static void test_pid_zero_outside_initial_pid_ns(void **state)
{
    (void)state;
    /* in a PID namespace of our own, the kernel shows 0 for a process out of sight */
    struct snapshot s;
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    s.procs.initial_pid_ns = false;
    sem(&s, 0, 0, OLD);
    EXPECT(&s, IPC_SEM, LEAK_POSSIBLE, "could not be seen");
    snapshot_free(&s);
}

static void test_duration(void **state)
{
    (void)state;
    int64_t v;
    assert_true(leak_parse_duration("30s", &v) && v == 30);
    assert_true(leak_parse_duration("10m", &v) && v == 600);
    assert_true(leak_parse_duration("2h", &v) && v == 7200);
    assert_true(leak_parse_duration("1d", &v) && v == 86400);
    assert_true(leak_parse_duration("0", &v) && v == 0);
    assert_true(leak_parse_duration("45", &v) && v == 45);
    const char *bad[] = {"", "-1m", "+5", "1w", "10mm", "m", "1.5h", " 5", "99999999999999999999d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (leak_parse_duration(bad[i], &v)) fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shm_attached_is_in_use),
        cmocka_unit_test(test_shm_live_creator_or_last_user),
        cmocka_unit_test(test_shm_leaked_and_recent),
        cmocka_unit_test(test_shm_reused_and_zombie_pids_are_dead),
        cmocka_unit_test(test_shm_unknown_is_possible),
        cmocka_unit_test(test_sem_rules),
        cmocka_unit_test(test_msg_rules),
        cmocka_unit_test(test_pid_zero_outside_initial_pid_ns),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
