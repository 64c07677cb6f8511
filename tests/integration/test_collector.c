/*
 * The collector in-process against real objects: what it carries over between refreshes
 * must still be right (semaphore values and pids are re-read only for sets that changed:
 * also within the same second, also by SETVAL, SETALL, IPC_SET and the undo of an exiting
 * process), objects vanishing during a scan are normal, and hugetlb rss is corrected.
 */
#include "testutil.h"
#include "workload.h"

#include "collect.h"
#include "model.h"
#include "snapshot.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    return 0;
}

/* A child that does one semop and exits; returns its pid once it has exited. */
static pid_t semop_in_child(int semid, short num, short op)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct sembuf b = {(unsigned short)num, op, 0};
        _exit(semop(semid, &b, 1) == 0 ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return pid;
}

static int32_t pid_of(const struct snapshot *s, int semid, int semnum)
{
    const struct sem_set *set = snapshot_find_sem(s, semid);
    assert_non_null(set);
    assert_true(set->c.valid & FBIT(F_SEMPID));
    return sem_elements(s, set)[semnum].pid;
}

/*
 * A collector of this namespace that chooses its sources itself, as ipctop does: reading
 * the semaphores in its worker thread as the one-shot modes do, or, when the test's state
 * says so (the ONE_THREAD wrappers below), every kind in this thread as the monitor does.
 */
static struct collector *auto_collector(void **state)
{
    bool one_thread = state && *state && *(const bool *)*state;
    struct collect_options o = {FORCE_AUTO, "/proc", one_thread};
    struct collector *c = collector_new(&o);
    assert_non_null(c);
    return c;
}

/* Frees the snapshots a refresh pair read into, and their collector. */
static void close_all(struct collector *c, struct snapshot *a, struct snapshot *b)
{
    snapshot_free(a);
    snapshot_free(b);
    collector_free(c);
}

static void test_sem_pids_follow_each_refresh(void **state)
{
    (void)state;
    int id = wl_sem_create(0xcace0001, 2, 0600);
    assert_true(id >= 0);
    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];

    pid_t p1 = semop_in_child(id, 0, 1);
    assert_int_equal(collector_collect(c, NULL, &a, err, sizeof err), 0);
    assert_int_equal(pid_of(&a, id, 0), p1);
    /* +1 then -1 by two processes within one second: values and otime are as before,
     * only the pid tells; the collector must not keep the old pid */
    pid_t p2 = semop_in_child(id, 0, 1);
    pid_t p3 = semop_in_child(id, 0, -1);
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    assert_int_equal(pid_of(&b, id, 0), p3);
    (void)p2;
    /* nothing happens: the pid carried over is still right */
    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    assert_int_equal(pid_of(&a, id, 0), p3);
    /* after a quiet second, a change is still seen */
    sleep(2);
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    pid_t p4 = semop_in_child(id, 1, 2);
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    assert_int_equal(pid_of(&b, id, 1), p4);
    assert_int_equal(pid_of(&b, id, 0), p3);
    close_all(c, &a, &b);
}

static int value_of(const struct snapshot *s, int semid, int semnum)
{
    const struct sem_set *set = snapshot_find_sem(s, semid);
    assert_non_null(set);
    assert_true(set->c.valid & FBIT(F_SEMVAL));
    return sem_elements(s, set)[semnum].value;
}

static int64_t otime_of(const struct snapshot *s, int semid)
{
    const struct sem_set *set = snapshot_find_sem(s, semid);
    assert_non_null(set);
    return set->otime;
}

/*
 * A value that changes in the second of the previous refresh, after it read the set: otime
 * and ctime are the same second in both refreshes, only the value and the pid tell. Tried
 * until both operations and the refresh between them fall within one second.
 */
static void test_sem_values_same_second(void **state)
{
    (void)state;
    int id = wl_sem_create(0xcace0004, 1, 0600);
    assert_true(id >= 0);
    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];
    bool tried = false;
    for (int attempt = 0; attempt < 20 && !tried; attempt++) {
        assert_int_equal(collector_collect(c, NULL, &a, err, sizeof err), 0);
        int v0 = value_of(&a, id, 0);
        /* start just after a second begins, so that the rest fits in it */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        usleep((useconds_t)((1000000000L - now.tv_nsec) / 1000 + 20000));
        pid_t p1 = semop_in_child(id, 0, 1);
        assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
        assert_int_equal(value_of(&b, id, 0), v0 + 1);
        assert_int_equal(pid_of(&b, id, 0), p1);
        pid_t p2 = semop_in_child(id, 0, 1);
        assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
        tried = otime_of(&a, id) == otime_of(&b, id) && (int64_t)b.elems_wall == otime_of(&b, id);
        assert_int_equal(value_of(&a, id, 0), v0 + 2);
        assert_int_equal(pid_of(&a, id, 0), p2);
    }
    assert_true(tried);
    close_all(c, &a, &b);
}

/* A child that does semop +1 with SEM_UNDO on semaphore 0 and lives until *release is
 * closed; its exit undoes the +1. */
static pid_t undo_holder(int semid, int *release)
{
    int go[2], done[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(go[1]);
        close(done[0]);
        struct sembuf b = {0, 1, SEM_UNDO};
        char ch = semop(semid, &b, 1) == 0 ? 'y' : 'n';
        if (write(done[1], &ch, 1) != 1) _exit(1);
        while (read(go[0], &ch, 1) > 0) {
        }
        _exit(0);
    }
    close(go[0]);
    close(done[1]);
    char ch = 0;
    assert_int_equal(read(done[0], &ch, 1), 1);
    close(done[0]);
    assert_int_equal(ch, 'y');
    *release = go[1];
    return pid;
}

/* Waits until the realtime clock is at least `seconds` past t. */
static void wait_past(int64_t t, int seconds)
{
    while ((int64_t)time(NULL) < t + seconds) usleep(100000);
}

/*
 * Sets nobody touched are carried over without asking the kernel; every way the kernel can
 * change a value or a pid of such a set is seen at the next refresh: SETVAL, SETALL, a
 * semop, IPC_SET, and the undo of an exiting process.
 */
static void test_sem_carried_and_every_change_seen(void **state)
{
    (void)state;
    enum { QUIET, SETVAL_, SETALL_, SEMOP_, IPCSET_, UNDO_, NSETS };
    int id[NSETS];
    for (int i = 0; i < NSETS; i++) {
        id[i] = wl_sem_create(0xcace0010 + i, 2, 0600);
        assert_true(id[i] >= 0);
    }
    /* every set operated on once, by a process that is gone, so pids are not 0 */
    pid_t first[NSETS];
    for (int i = 0; i < NSETS - 1; i++) first[i] = semop_in_child(id[i], 1, 3);
    int release;
    pid_t holder = undo_holder(id[UNDO_], &release);
    /* the stamps must be older than the carrying margin (two seconds below the second the
     * previous refresh began) */
    wait_past(time(NULL), 4);

    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];
    assert_int_equal(collector_collect(c, NULL, &a, err, sizeof err), 0);
    assert_int_equal(a.sem_carried, 0);
    assert_int_equal(value_of(&a, id[UNDO_], 0), 1);
    assert_int_equal(pid_of(&a, id[UNDO_], 0), holder);
    /* nothing happened: all carried, nothing asked (the namespace holds only these sets) */
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    assert_int_equal(b.sem_carried, NSETS);
    for (int i = 0; i < NSETS - 1; i++) {
        assert_int_equal(value_of(&b, id[i], 1), 3);
        assert_int_equal(pid_of(&b, id[i], 1), first[i]);
    }
    assert_int_equal(value_of(&b, id[UNDO_], 0), 1);

    /* now every way of changing a set, none of which this process's own refreshes see */
    assert_int_equal(wl_sem_setval(id[SETVAL_], 1, 7), 0);
    union semun {
        int val;
        struct semid_ds *buf;
        unsigned short *array;
    } u;
    unsigned short all[2] = {11, 12};
    u.array = all;
    assert_int_equal(semctl(id[SETALL_], 0, SETALL, u), 0);
    pid_t op = semop_in_child(id[SEMOP_], 0, 5);
    struct semid_ds ds;
    u.buf = &ds;
    assert_int_equal(semctl(id[IPCSET_], 0, IPC_STAT, u), 0);
    ds.sem_perm.mode = 0640;
    assert_int_equal(semctl(id[IPCSET_], 0, IPC_SET, u), 0);
    close(release);
    int st;
    assert_int_equal(waitpid(holder, &st, 0), holder);

    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    /* the exit undid the +1 and recorded the exiting process */
    assert_int_equal(value_of(&a, id[UNDO_], 0), 0);
    assert_int_equal(pid_of(&a, id[UNDO_], 0), holder);
    assert_int_equal(value_of(&a, id[QUIET], 1), 3);
    assert_int_equal(pid_of(&a, id[QUIET], 1), first[QUIET]);
    assert_int_equal(value_of(&a, id[SETVAL_], 1), 7);
    assert_int_equal(pid_of(&a, id[SETVAL_], 1), getpid());
    assert_int_equal(value_of(&a, id[SETALL_], 0), 11);
    assert_int_equal(value_of(&a, id[SETALL_], 1), 12);
    assert_int_equal(pid_of(&a, id[SETALL_], 0), getpid());
    assert_int_equal(value_of(&a, id[SEMOP_], 0), 5);
    assert_int_equal(pid_of(&a, id[SEMOP_], 0), op);
    assert_int_equal(value_of(&a, id[IPCSET_], 1), 3);
    /* only the quiet set was carried; the IPC_SET one was asked (its ctime moved) */
    assert_int_equal(a.sem_carried, 1);
    close_all(c, &a, &b);
}

/*
 * A segment's rss and swap are only in /proc/sysvipc/shm: read when wanted, and then right
 * at every refresh; when no view wants them the segments are read with the calls, every
 * other field the same, rss and swap unknown and marked unasked, which the diff does not
 * take for a change either way.
 */
static void test_rss_read_when_wanted(void **state)
{
    (void)state;
    int id = wl_shm_create(0xcace0020, 8 * 4096, 0600);
    assert_true(id >= 0);
    assert_true(wl_spawn_attacher(id, WL_ATTACH_WRITE) > 0); /* every page resident */
    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];
    const uint64_t mem = FBIT(F_RSS) | FBIT(F_SWAP);
    /* at first every field is wanted */
    assert_int_equal(collector_collect(c, NULL, &a, err, sizeof err), 0);
    assert_int_equal(a.path[IPC_SHM], PATH_PROCFS);
    assert_int_equal(a.unasked[IPC_SHM], 0);
    const struct shm_segment *g = snapshot_find_shm(&a, id);
    assert_non_null(g);
    assert_int_equal(g->c.valid & mem, mem);
    assert_int_equal(g->rss, 8 * 4096);
    /* nobody wants the segments' memory: the calls, the rest of the record as before */
    uint64_t want[IPC_NCLASSES];
    for (int k = 0; k < IPC_NCLASSES; k++) want[k] = ~UINT64_C(0);
    want[IPC_SHM] = 0;
    collector_want(c, want);
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    assert_int_equal(b.path[IPC_SHM], PATH_STAT_ANY);
    assert_int_equal(b.unasked[IPC_SHM], mem);
    assert_int_equal(b.unasked[IPC_SEM] | b.unasked[IPC_MSG], 0);
    const struct shm_segment *h = snapshot_find_shm(&b, id);
    assert_non_null(h);
    assert_int_equal(h->c.valid & mem, 0);
    assert_int_equal(h->c.valid, g->c.valid & ~mem);
    assert_true(h->c.key == g->c.key && h->c.mode == g->c.mode && h->c.uid == g->c.uid &&
                h->c.cuid == g->c.cuid && h->c.ctime == g->c.ctime && h->size == g->size &&
                h->nattch == g->nattch && h->cpid == g->cpid && h->lpid == g->lpid &&
                h->atime == g->atime && h->dtime == g->dtime);
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    const struct obj_diff *od = &d.cls[IPC_SHM].cur[snapshot_index_of(&b, IPC_SHM, id)];
    assert_int_equal(od->state, OBJ_SAME);
    snapshot_diff_free(&d);
    /* wanted again: read again, at once */
    want[IPC_SHM] = ~UINT64_C(0);
    collector_want(c, want);
    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    assert_int_equal(a.path[IPC_SHM], PATH_PROCFS);
    assert_int_equal(a.unasked[IPC_SHM], 0);
    g = snapshot_find_shm(&a, id);
    assert_int_equal(g->c.valid & mem, mem);
    assert_int_equal(g->rss, 8 * 4096);
    assert_int_equal(snapshot_diff(&b, &a, &d), 0);
    assert_int_equal(d.cls[IPC_SHM].cur[snapshot_index_of(&a, IPC_SHM, id)].state, OBJ_SAME);
    snapshot_diff_free(&d);
    close_all(c, &a, &b);
}

/*
 * One-shot modes collect into a fresh snapshot, where each kind first reserves room while
 * the semaphore sets are read in the worker thread. Only the kind with elements may grow
 * the element pool: another kind growing it moved it under the worker (found by ASan as a
 * leak of the pool, and by UBSan as values read from memory never written). Every fresh
 * collection must hold every set's values.
 */
static void test_fresh_snapshots_keep_elements(void **state)
{
    (void)state;
    enum { NSETS = 20, NSEGS = 20, NQUEUES = 20, ROUNDS = 400 };
    static int sets[NSETS];
    for (int i = 0; i < NSETS; i++) {
        sets[i] = wl_sem_create(0xcace1000 + i, 4, 0600);
        assert_true(sets[i] >= 0);
        for (int k = 0; k < 4; k++) assert_int_equal(wl_sem_setval(sets[i], k, (i + k) % 30000), 0);
    }
    for (int i = 0; i < NSEGS; i++) assert_true(wl_shm_create(0xcace2000 + i, 4096, 0600) >= 0);
    for (int i = 0; i < NQUEUES; i++) assert_true(wl_msg_create(0xcace3000 + i, 0600) >= 0);
    char err[256];
    for (int round = 0; round < ROUNDS; round++) {
        struct collector *c = auto_collector(state);
        struct snapshot s;
        snapshot_init(&s);
        assert_int_equal(collector_collect(c, NULL, &s, err, sizeof err), 0);
        assert_int_equal(snapshot_count(&s, IPC_SEM), NSETS);
        for (int i = 0; i < NSETS; i++) {
            const struct sem_set *set = snapshot_find_sem(&s, sets[i]);
            assert_non_null(set);
            assert_true(set->c.valid & FBIT(F_SEMVAL));
            for (int k = 0; k < 4; k++)
                if (sem_elements(&s, set)[k].value != (i + k) % 30000)
                    fail_msg("round %d: set %d semaphore %d is %d, not %d", round, sets[i], k,
                             sem_elements(&s, set)[k].value, (i + k) % 30000);
        }
        snapshot_free(&s);
        collector_free(c);
    }
}

static void test_waiter_counts_change_without_otime(void **state)
{
    (void)state;
    /* a waiter arriving changes nothing the set's STAT shows: ncount must still be read */
    int id = wl_sem_create(0xcace0002, 1, 0600);
    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];
    assert_int_equal(collector_collect(c, NULL, &a, err, sizeof err), 0);
    struct sembuf dec = {0, -1, 0};
    pid_t w = wl_spawn_sem_waiter(id, &dec, 1);
    assert_true(w > 0);
    assert_int_equal(collector_collect(c, &a, &b, err, sizeof err), 0);
    const struct sem_set *set = snapshot_find_sem(&b, id);
    assert_true(set->c.valid & FBIT(F_SEMCOUNT));
    assert_int_equal(sem_elements(&b, set)[0].ncount, 1);
    /* and the task scan saw the waiter, with the set's id as first argument */
    bool seen = false;
    for (size_t i = 0; i < b.tasks.nblocked; i++)
        if (b.tasks.blocked[i].tgid == w && b.tasks.blocked[i].wait == WAIT_SEMOP &&
            (int)b.tasks.blocked[i].args[0] == id) {
            seen = true;
            /* waiting since no earlier than its process began (in whole seconds), and not
             * after the snapshot began */
            const struct proc_info *p = procs_find(&b.procs, w);
            assert_non_null(p);
            int64_t began = (int64_t)ceil(p->start), now = (int64_t)b.wall;
            assert_true(b.tasks.blocked[i].since >= (began < now ? began : now));
            assert_true(b.tasks.blocked[i].since <= now);
        }
    assert_true(seen);
    /* the waiter goes: the count drops */
    assert_int_equal(wl_kill_wait(w), 0);
    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    set = snapshot_find_sem(&a, id);
    assert_int_equal(sem_elements(&a, set)[0].ncount, 0);
    close_all(c, &a, &b);
}

static void test_churn_during_refreshes(void **state)
{
    (void)state;
    /* ipcload creates and removes thousands of objects a second meanwhile */
    char *argv[] = {
        (char *)tu_ipcload(), "--shm", "200", "--sem", "800", "--msg", "200", "--churn", "8000",
        "--duration",         "3",     NULL};
    struct tu_proc load = tu_spawn(argv);
    char *ready = tu_read_burst(&load, 200, 10000);
    assert_non_null(strstr(ready, "ready"));
    free(ready);
    struct collector *c = auto_collector(state);
    struct snapshot s[2];
    snapshot_init(&s[0]);
    snapshot_init(&s[1]);
    char err[256];
    size_t seen_new = 0, seen_gone = 0, vanished_kept = 0;
    for (int i = 0; i < 40; i++) {
        struct snapshot *prev = i ? &s[(i + 1) % 2] : NULL, *cur = &s[i % 2];
        assert_int_equal(collector_collect(c, prev, cur, err, sizeof err), 0);
        /* every record is whole: sorted unique ids, elements inside the pool */
        for (size_t k = 1; k < cur->tab[IPC_SEM].n; k++)
            assert_true(SNAP_SEM(cur)[k - 1].c.id < SNAP_SEM(cur)[k].c.id);
        for (size_t k = 0; k < cur->tab[IPC_SEM].n; k++)
            assert_true(SNAP_SEM(cur)[k].elem_off + SNAP_SEM(cur)[k].nsems <= cur->nelems);
        /* a set removed while it was read is gone, not kept with unknown values (root may
         * read every set here) */
        const uint64_t elems = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
        for (size_t k = 0; k < cur->tab[IPC_SEM].n; k++)
            if ((SNAP_SEM(cur)[k].c.valid & elems) != elems) vanished_kept++;
        struct snapshot_diff d;
        assert_int_equal(snapshot_diff(prev, cur, &d), 0);
        for (int k = 0; k < IPC_NCLASSES; k++) {
            seen_new += d.cls[k].nnew;
            seen_gone += d.cls[k].ngone;
        }
        snapshot_diff_free(&d);
        usleep(20000);
    }
    assert_true(seen_new > 100 && seen_gone > 100);
    assert_int_equal(vanished_kept, 0);
    int status;
    free(tu_finish(&load, &status));
    assert_int_equal(status, 0);
    close_all(c, &s[0], &s[1]);
}

/* Reads or writes /proc/sys/vm/nr_hugepages; -1 on error. */
static long nr_hugepages(long set)
{
    FILE *f = fopen("/proc/sys/vm/nr_hugepages", set >= 0 ? "w" : "r");
    if (!f) return -1;
    long v = set;
    int ok = set >= 0 ? fprintf(f, "%ld\n", set) > 0 : fscanf(f, "%ld", &v) == 1;
    return fclose(f) == 0 && ok ? v : -1;
}

/*
 * Huge pages are a machine-wide setting (not one of the namespace's): the test takes two
 * and its teardown gives them back whatever happened (an assertion ends the test at once).
 * It gives back what it took from the value it finds then, not the value it found first:
 * another run of the suite at the same time (a sanitizer build, CI's fresh root on this
 * kernel) takes and gives back its own two in between, and writing the first value back
 * would leave that run's pages taken for good.
 */
static long hugepages_taken;

static int restore_hugepages(void **state)
{
    wl_cleanup(); /* the segment first: its pages are not free while it exists */
    if (hugepages_taken > 0) {
        long now = nr_hugepages(-1);
        long back = now - hugepages_taken;
        if (now < 0 || nr_hugepages(back < 0 ? 0 : back) < 0) {
            fprintf(stderr, "cannot give back %ld huge pages (vm.nr_hugepages)\n", hugepages_taken);
            return -1;
        }
    }
    hugepages_taken = 0;
    return teardown(state);
}

static void test_hugetlb_rss_corrected(void **state)
{
    (void)state;
    (void)tu_ipctop(); /* it ends the program when unset: before the machine is changed */
    long before = nr_hugepages(-1);
    assert_true(before >= 0);
    assert_true(nr_hugepages(before + 2) >= 0);
    /* the kernel may find fewer free pages than asked */
    long after = nr_hugepages(-1);
    hugepages_taken = after - before < 0 ? 0 : after - before > 2 ? 2 : after - before;
    int id = wl_shm_create(0xcace0003, 4 << 20, 0600 | SHM_HUGETLB);
    if (id < 0) fail_msg("SHM_HUGETLB segment: %s", strerror(errno));
    /* one attacher writes every byte: both 2 MiB pages are resident */
    pid_t a = wl_spawn_attacher(id, WL_ATTACH_WRITE);
    json_object *doc = a > 0 ? tu_ipctop_json(NULL) : NULL;
    json_object *o = doc ? tu_find(doc, "shm", id) : NULL;
    long long rss = o ? tu_int(o, "rss") : -1;
    const char *status = o ? json_object_to_json_string(json_object_object_get(o, "status")) : "";
    bool hugetlb = strstr(status, "hugetlb") != NULL;
    json_object_put(doc);
    assert_true(a > 0);
    /* the kernel reports 2 GiB (512 x too much) */
    assert_int_equal(rss, 4 << 20);
    assert_true(hugetlb);
}

/* The bytes of every record and semaphore element of a snapshot, in order. */
static void assert_same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
    for (int k = 0; k < IPC_NCLASSES; k++) {
        enum ipc_class cls = (enum ipc_class)k;
        assert_int_equal(snapshot_count(a, cls), snapshot_count(b, cls));
        assert_int_equal(a->path[cls], b->path[cls]);
        for (size_t i = 0; i < snapshot_count(a, cls); i++)
            if (memcmp(snapshot_record(a, cls, i), snapshot_record(b, cls, i), a->tab[cls].size))
                fail_msg("%s record %zu differs", ipc_class_name(cls), i);
    }
    assert_int_equal(a->nelems, b->nelems);
    assert_memory_equal(a->elems, b->elems, a->nelems * sizeof *a->elems);
}

/*
 * The monitor reads every kind in one thread (cheaper in CPU), the one-shot modes read the
 * semaphores in the worker thread (sooner done): both read the same thing, first into a
 * fresh snapshot and then into reused ones with a previous one to carry elements from.
 */
static void test_one_thread_reads_the_same(void **state)
{
    (void)state;
    enum { N = 30 };
    for (int i = 0; i < N; i++) {
        int set = wl_sem_create(0xcace4000 + i, 3, 0600);
        assert_true(set >= 0);
        for (int k = 0; k < 3; k++) assert_int_equal(wl_sem_setval(set, k, i * 3 + k), 0);
        assert_true(wl_shm_create(0xcace5000 + i, 4096 * (size_t)(i + 1), 0600) >= 0);
        int q = wl_msg_create(0xcace6000 + i, 0600);
        assert_true(q >= 0);
        assert_int_equal(wl_msg_fill(q, i % 4, 16, 1), 0);
    }
    bool yes = true, no = false;
    void *one_state = &yes, *two_state = &no;
    struct collector *one = auto_collector(&one_state), *two = auto_collector(&two_state);
    struct snapshot a[2], b[2];
    for (int i = 0; i < 2; i++) {
        snapshot_init(&a[i]);
        snapshot_init(&b[i]);
    }
    char err[256];
    assert_int_equal(collector_collect(one, NULL, &a[0], err, sizeof err), 0);
    assert_int_equal(collector_collect(two, NULL, &b[0], err, sizeof err), 0);
    assert_int_equal(snapshot_count(&a[0], IPC_SEM), N);
    assert_same_snapshot(&a[0], &b[0]);
    for (int round = 1; round < 4; round++) {
        int cur = round % 2, prev = 1 - cur;
        assert_int_equal(collector_collect(one, &a[prev], &a[cur], err, sizeof err), 0);
        assert_int_equal(collector_collect(two, &b[prev], &b[cur], err, sizeof err), 0);
        assert_same_snapshot(&a[cur], &b[cur]);
    }
    for (int i = 0; i < 2; i++) {
        snapshot_free(&a[i]);
        snapshot_free(&b[i]);
    }
    collector_free(one);
    collector_free(two);
}

/*
 * Kernel indices usually come in id order, and then the records are not sorted again
 * (snapshot_mark_in_order). An id is its index plus a sequence number times 32,768: a
 * lower index may hold a higher id (an index used again, or *_next_id), and the records
 * must still end sorted by id.
 */
static void test_ids_out_of_index_order(void **state)
{
    static const char *const names[IPC_NCLASSES] = {
        [IPC_SHM] = "shm", [IPC_SEM] = "sem", [IPC_MSG] = "msg"};
    enum { HIGH = 5 * 32768 + 7, LOW = 1 * 32768 + 8, LOWER = 9 };
    for (int k = 0; k < IPC_NCLASSES; k++) {
        key_t key = 0xcace7000 + k * 16;
        int ids[3];
        for (int j = 0; j < 3; j++) {
            tu_next_id(names[k], j == 0 ? HIGH : j == 1 ? LOW : LOWER);
            ids[j] = k == IPC_SHM   ? wl_shm_create(key + j, 4096, 0600)
                     : k == IPC_SEM ? wl_sem_create(key + j, 1, 0600)
                                    : wl_msg_create(key + j, 0600);
        }
        assert_int_equal(ids[0], HIGH);
        assert_int_equal(ids[1], LOW);
        assert_int_equal(ids[2], LOWER);
    }
    struct collector *c = auto_collector(state);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    char err[256];
    /* a fresh snapshot, then reused ones */
    for (int pass = 0; pass < 3; pass++) {
        struct snapshot *cur = pass % 2 ? &b : &a, *prev = pass ? (pass % 2 ? &a : &b) : NULL;
        assert_int_equal(collector_collect(c, prev, cur, err, sizeof err), 0);
        for (int k = 0; k < IPC_NCLASSES; k++) {
            enum ipc_class cls = (enum ipc_class)k;
            assert_int_equal(snapshot_count(cur, cls), 3);
            assert_int_equal(snapshot_common(cur, cls, 0)->id, LOWER);
            assert_int_equal(snapshot_common(cur, cls, 1)->id, LOW);
            assert_int_equal(snapshot_common(cur, cls, 2)->id, HIGH);
            assert_int_equal(snapshot_index_of(cur, cls, HIGH), 2);
        }
    }
    close_all(c, &a, &b);
}

/* A test again with the collector as the monitor runs it: every kind in one thread. */
#define ONE_THREAD(t)                                                                              \
    static void t##_one_thread(void **state)                                                       \
    {                                                                                              \
        (void)state;                                                                               \
        static bool yes = true;                                                                    \
        void *one = &yes;                                                                          \
        t(&one);                                                                                   \
    }
ONE_THREAD(test_sem_pids_follow_each_refresh)
ONE_THREAD(test_sem_values_same_second)
ONE_THREAD(test_sem_carried_and_every_change_seen)
ONE_THREAD(test_waiter_counts_change_without_otime)
ONE_THREAD(test_churn_during_refreshes)
ONE_THREAD(test_ids_out_of_index_order)

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_fresh_snapshots_keep_elements, teardown),
        cmocka_unit_test_teardown(test_sem_pids_follow_each_refresh, teardown),
        cmocka_unit_test_teardown(test_sem_values_same_second, teardown),
        cmocka_unit_test_teardown(test_sem_carried_and_every_change_seen, teardown),
        cmocka_unit_test_teardown(test_rss_read_when_wanted, teardown),
        cmocka_unit_test_teardown(test_waiter_counts_change_without_otime, teardown),
        cmocka_unit_test_teardown(test_churn_during_refreshes, teardown),
        cmocka_unit_test_teardown(test_hugetlb_rss_corrected, restore_hugepages),
        cmocka_unit_test_teardown(test_one_thread_reads_the_same, teardown),
        cmocka_unit_test_teardown(test_sem_pids_follow_each_refresh_one_thread, teardown),
        cmocka_unit_test_teardown(test_sem_values_same_second_one_thread, teardown),
        cmocka_unit_test_teardown(test_sem_carried_and_every_change_seen_one_thread, teardown),
        cmocka_unit_test_teardown(test_waiter_counts_change_without_otime_one_thread, teardown),
        cmocka_unit_test_teardown(test_churn_during_refreshes_one_thread, teardown),
        cmocka_unit_test_teardown(test_ids_out_of_index_order, teardown),
        cmocka_unit_test_teardown(test_ids_out_of_index_order_one_thread, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
