/*
 * The collector in-process against real objects: what it carries over between refreshes
 * must still be right (semaphore pids are re-read only for sets that changed, also within
 * the same second), objects vanishing during a scan are normal, and hugetlb rss is
 * corrected.
 */
#include "testutil.h"
#include "workload.h"

#include "collect.h"
#include "model.h"
#include "snapshot.h"

#include <errno.h>
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

static void test_sem_pids_follow_each_refresh(void **state)
{
    (void)state;
    int id = wl_sem_create(0xcace0001, 2, 0600);
    assert_true(id >= 0);
    struct collect_options o = {FORCE_AUTO, "/proc"};
    struct collector *c = collector_new(&o);
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
    snapshot_free(&a);
    snapshot_free(&b);
    collector_free(c);
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
    struct collect_options o = {FORCE_AUTO, "/proc"};
    char err[256];
    for (int round = 0; round < ROUNDS; round++) {
        struct collector *c = collector_new(&o);
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
    struct collect_options o = {FORCE_AUTO, "/proc"};
    struct collector *c = collector_new(&o);
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
            (int)b.tasks.blocked[i].args[0] == id)
            seen = true;
    assert_true(seen);
    /* the waiter goes: the count drops */
    assert_int_equal(wl_kill_wait(w), 0);
    assert_int_equal(collector_collect(c, &b, &a, err, sizeof err), 0);
    set = snapshot_find_sem(&a, id);
    assert_int_equal(sem_elements(&a, set)[0].ncount, 0);
    snapshot_free(&a);
    snapshot_free(&b);
    collector_free(c);
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
    struct collect_options o = {FORCE_AUTO, "/proc"};
    struct collector *c = collector_new(&o);
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
    snapshot_free(&s[0]);
    snapshot_free(&s[1]);
    collector_free(c);
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

/* Huge pages are a machine-wide setting: the test takes two and its teardown gives them back
 * whatever happened (an assertion ends the test at once). */
static long hugepages_before = -1;

static int restore_hugepages(void **state)
{
    wl_cleanup(); /* the segment first: its pages are not free while it exists */
    if (hugepages_before >= 0 && nr_hugepages(hugepages_before) < 0) {
        fprintf(stderr, "cannot restore vm.nr_hugepages to %ld\n", hugepages_before);
        return -1;
    }
    hugepages_before = -1;
    return teardown(state);
}

static void test_hugetlb_rss_corrected(void **state)
{
    (void)state;
    long before = nr_hugepages(-1);
    assert_true(before >= 0);
    hugepages_before = before;
    assert_true(nr_hugepages(before + 2) >= 0);
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

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_fresh_snapshots_keep_elements, teardown),
        cmocka_unit_test_teardown(test_sem_pids_follow_each_refresh, teardown),
        cmocka_unit_test_teardown(test_waiter_counts_change_without_otime, teardown),
        cmocka_unit_test_teardown(test_churn_during_refreshes, teardown),
        cmocka_unit_test_teardown(test_hugetlb_rss_corrected, restore_hugepages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
