/*
 * leak rules (leak.c through model_build), one test per branch, on snapshots, process
 * tables and owner scans made by hand: in use is never a leak, live creators and last
 * users keep an object, recent activity keeps it, reused and zombie pids count as dead,
 * never used is not gone, a live process of the owner or creator user makes it at most
 * "possibly" (ipctop and its ancestors do not count), what the monitor remembers of a dead
 * user's parent does too, and what could not be seen turns "leaked" into "possibly". Plus
 * the duration parser of --older-than.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leak.h"
#include "model.h"
#include "snapshot.h"
#include "who.h"

#define NOW  1800000000
#define OLD  (NOW - 3600) /* an hour ago: older than the 10-minute default */
#define AGE  LEAK_DEFAULT_MIN_AGE
#define SELF 999 /* "ipctop" in these tests */

static const uint64_t COMMON = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                               FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);

/* A process table with the given live processes (pid, start time, state); every object's
 * owner in these tests is uid 0 unless a test says otherwise, and the owner scan sees every
 * process of the namespace, which holds only the processes given and ipctop. */
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
    for (size_t i = 0; i < n; i++) {
        memset(&t->p[i], 0, sizeof t->p[i]);
        t->p[i].pid = pids[i];
        t->p[i].state = states ? states[i] : 'S';
        t->p[i].start = starts[i];
        t->p[i].ipc_ns = 1;
        t->p[i].ruid = 1000; /* not the objects' owner */
        t->p[i].euid = 1000;
    }
    struct owner_scan *o = &s->owners;
    o->p = calloc(n + 1, sizeof *o->p);
    o->cap = n + 1;
    o->read = true;
    o->sees_all = true;
    o->self = SELF;
    for (size_t i = 0; i < n; i++)
        if (!states || (states[i] != 'Z' && states[i] != 'X'))
            o->p[o->n++] = (struct owner_proc){pids[i], 1, 1000, 1000, "proc", false};
    o->p[o->n++] = (struct owner_proc){SELF, 1, 0, 0, "ipctop", false};
}

/* Adds a live process of uid to the owner scan (kept sorted by pid). */
static void owner_proc(struct snapshot *s, int32_t pid, uint32_t uid, int32_t ppid)
{
    struct owner_scan *o = &s->owners;
    o->p = realloc(o->p, (o->n + 1) * sizeof *o->p);
    size_t i = o->n;
    while (i > 0 && o->p[i - 1].pid > pid) {
        o->p[i] = o->p[i - 1];
        i--;
    }
    o->p[i] = (struct owner_proc){pid, ppid, uid, uid, "owner", false};
    o->n++;
}

struct judged {
    struct leak_verdict v;
    char text[512];
};

static struct judged judge_mem(struct snapshot *s, enum ipc_class cls, struct proc_memory *mem)
{
    struct model m;
    struct model_params p = {AGE};
    s->wall = NOW;
    assert_int_equal(model_build(&m, NULL, s, &p, mem), 0);
    struct judged j;
    j.v = *model_verdict(&m, cls, 0);
    struct users *u = users_new();
    model_leak_text(&m, cls, 0, u, j.text, sizeof j.text);
    users_free(u);
    model_free(&m);
    return j;
}

static struct judged judge(struct snapshot *s, enum ipc_class cls)
{
    return judge_mem(s, cls, NULL);
}

#define EXPECT(s, cls, want, words)                                                                \
    do {                                                                                           \
        struct judged j_ = judge(s, cls);                                                          \
        if (j_.v.kind != (want) || !strstr(j_.text, words))                                        \
            fail_msg("verdict %d '%s', expected %d with '%s'", j_.v.kind, j_.text, want, words);   \
    } while (0)

static struct shm_segment *shm(struct snapshot *s, uint64_t nattch, int32_t cpid, int32_t lpid,
                               int64_t ctime, int64_t atime)
{
    struct shm_segment *g = snapshot_add_shm(s);
    g->c.valid = COMMON | FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_ATIME) |
                 FBIT(F_DTIME) | FBIT(F_SIZE);
    g->c.id = (int32_t)s->tab[IPC_SHM].n;
    g->c.ctime = ctime;
    g->nattch = nattch;
    g->cpid = cpid;
    g->lpid = lpid;
    g->atime = atime;
    g->size = 4096;
    return g;
}

static void test_shm_attached_is_in_use(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 2, 100, 101, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_NO, "in use: 2 attachments");
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
    EXPECT(&s, IPC_SHM, LEAK_LEAKED,
           "nothing attached, creator 100 and last user 101 gone, no process of root left, "
           "untouched for 1h");
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
    EXPECT(&s, IPC_SHM, LEAK_LEAKED, "untouched for");
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
    EXPECT(&s, IPC_SHM, LEAK_LEAKED, "creator 100 and last user 101 gone");
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
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "whether its processes live could not be seen");
    snapshot_free(&s);

    /* hidepid: a pid missing from /proc may be another user's live process */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    s.procs.hides_others = true;
    shm(&s, 0, 100, 0, OLD, 0);
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "could not be seen");
    snapshot_free(&s);

    /* fields unknown: no verdict */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    shm(&s, 0, 100, 101, OLD, OLD)->c.valid &= ~FBIT(F_NATTCH);
    EXPECT(&s, IPC_SHM, LEAK_NO, "not judged");
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
    EXPECT(&s, IPC_SEM, LEAK_NO, "in use: 1 process waiting");
    snapshot_free(&s);

    /* a waiter the task scan saw (stopped: the kernel does not count it) */
    snapshot_init(&s);
    procs(&s, live, starts, NULL, 1);
    sem(&s, 0, 0, OLD);
    s.tasks.blocked = calloc(1, sizeof *s.tasks.blocked);
    s.tasks.blocked[0] =
        (struct blocked_task){300, 300, WAIT_SEMOP, {1, 0, 1, 0, 0, 0}, 'T', -1, OLD, 0, 0, 0};
    s.tasks.nblocked = 1;
    EXPECT(&s, IPC_SEM, LEAK_NO, "in use: 1 process waiting");
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
    EXPECT(&s, IPC_SEM, LEAK_LEAKED, "nobody waiting, last users gone");
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
    EXPECT(&s, IPC_SEM, LEAK_POSSIBLY, "may not read its waiters");
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
    EXPECT(&s, IPC_MSG, LEAK_NO, "in use: 1 process blocked on it");
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
    EXPECT(&s, IPC_MSG, LEAK_LEAKED,
           "nobody blocked on it, last sender 401 and last receiver 402 gone");
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
    EXPECT(&s, IPC_MSG, LEAK_POSSIBLY, "some tasks could not be inspected");
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
    EXPECT(&s, IPC_SEM, LEAK_POSSIBLY, "could not be seen");
    snapshot_free(&s);
}

/* A segment PostgreSQL keeps for later (dynamic shared memory): nothing attached, its
 * creating backend gone, but the postmaster of the same user lives, attached to the main
 * segment. */
static void test_owner_alive_makes_possibly(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    struct shm_segment *dsm = shm(&s, 0, 100, 101, OLD, OLD);
    dsm->c.uid = dsm->c.cuid = 105;
    struct shm_segment *main_seg = shm(&s, 1, 20, 20, OLD, OLD);
    main_seg->c.uid = main_seg->c.cuid = 105;
    owner_proc(&s, 20, 105, 1);
    s.attach.m = calloc(1, sizeof *s.attach.m);
    s.attach.m[0] = (struct shm_mapping){.pid = 20, .shmid = main_seg->c.id};
    s.attach.n = s.attach.cap = 1;
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "but 105 has 1 live process in this namespace: 20");
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "is attached to shm 2");
    snapshot_free(&s);

    /* the creator's user counts as much as the owner */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    dsm = shm(&s, 0, 100, 101, OLD, OLD);
    dsm->c.uid = 106;
    dsm->c.cuid = 105;
    owner_proc(&s, 20, 105, 1);
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "but 105 has 1 live process");
    snapshot_free(&s);

    /* ipctop and its ancestors are no evidence: they use nothing */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    dsm = shm(&s, 0, 100, 101, OLD, OLD);
    dsm->c.uid = dsm->c.cuid = 105;
    owner_proc(&s, 30, 105, 1);
    s.owners.ancestors = malloc(sizeof *s.owners.ancestors);
    s.owners.ancestors[0] = 30;
    s.owners.nancestors = s.owners.capanc = 1;
    EXPECT(&s, IPC_SHM, LEAK_LEAKED, "no process of 105 left");
    snapshot_free(&s);

    /* not every process of the namespace seen: never certain */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    s.owners.sees_all = false;
    shm(&s, 0, 100, 101, OLD, OLD);
    EXPECT(&s, IPC_SHM, LEAK_POSSIBLY, "not every process of this namespace could be seen");
    snapshot_free(&s);
}

/* A pid of 0 means never used: no evidence that anyone is gone. */
static void test_never_used_is_not_gone(void **state)
{
    (void)state;
    struct snapshot s;
    /* a queue its creator polls with IPC_NOWAIT: never sent to, never received from */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    struct msg_queue *q = queue(&s, 0, 0, 0);
    q->c.uid = q->c.cuid = 107;
    s.tasks.complete = true;
    owner_proc(&s, 40, 107, 1);
    EXPECT(&s, IPC_MSG, LEAK_POSSIBLY, "never sent to or received from");
    EXPECT(&s, IPC_MSG, LEAK_POSSIBLY, "but 107 has 1 live process");
    snapshot_free(&s);

    /* ... and once its user has no process left, it is leaked */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    q = queue(&s, 0, 0, 0);
    q->c.uid = q->c.cuid = 107;
    s.tasks.complete = true;
    EXPECT(&s, IPC_MSG, LEAK_LEAKED, "never sent to or received from, no process of 107 left");
    snapshot_free(&s);

    /* a semaphore set nobody ever operated on */
    snapshot_init(&s);
    procs(&s, NULL, NULL, NULL, 0);
    struct sem_set *set = sem(&s, 0, 0, 0);
    set->c.uid = set->c.cuid = 107;
    s.tasks.complete = true;
    owner_proc(&s, 40, 107, 1);
    EXPECT(&s, IPC_SEM, LEAK_POSSIBLY, "never operated on");
    snapshot_free(&s);
}

/* What the monitor saw: the last user of a set exited, but its parent lives (of another
 * user, so the owner rule alone would not see it). */
static void test_remembered_parent(void **state)
{
    (void)state;
    struct proc_memory mem = {0};
    struct snapshot s;
    /* first refresh: child 500 of parent 20 is alive and has just used the set */
    snapshot_init(&s);
    int32_t pids[] = {20, 500};
    double starts[] = {OLD - 500, OLD - 100};
    procs(&s, pids, starts, NULL, 2);
    s.procs.p[1].ppid = 20;
    struct sem_set *set = sem(&s, 500, 0, OLD);
    set->c.uid = set->c.cuid = 108;
    s.tasks.complete = true;
    struct judged j = judge_mem(&s, IPC_SEM, &mem);
    assert_int_equal(j.v.kind, LEAK_NO);
    snapshot_free(&s);

    /* later: 500 exited, 20 is alive */
    snapshot_init(&s);
    int32_t pids2[] = {20};
    double starts2[] = {OLD - 500};
    procs(&s, pids2, starts2, NULL, 1);
    set = sem(&s, 500, 0, OLD);
    set->c.uid = set->c.cuid = 108;
    s.tasks.complete = true;
    j = judge_mem(&s, IPC_SEM, &mem);
    if (j.v.kind != LEAK_POSSIBLY || !strstr(j.text, "last user 500") ||
        !strstr(j.text, "was a child of 20"))
        fail_msg("verdict %d '%s'", j.v.kind, j.text);
    snapshot_free(&s);

    /* without the memory (a one-shot run), nothing says so: leaked */
    snapshot_init(&s);
    procs(&s, pids2, starts2, NULL, 1);
    set = sem(&s, 500, 0, OLD);
    set->c.uid = set->c.cuid = 108;
    s.tasks.complete = true;
    EXPECT(&s, IPC_SEM, LEAK_LEAKED, "last users gone");
    snapshot_free(&s);
    proc_memory_free(&mem);
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
        cmocka_unit_test(test_owner_alive_makes_possibly),
        cmocka_unit_test(test_never_used_is_not_gone),
        cmocka_unit_test(test_remembered_parent),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
