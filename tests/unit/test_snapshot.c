/*
 * snapshot: adding, reserving, sorting and finding records; the semaphore element pool
 * (elem_off) staying right through growth and sorting; names; waiters.
 * (collect_truncate lives in collect.c and is covered with the collector.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "snapshot.h"

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ipc_class_name(IPC_SHM), "shm");
    assert_string_equal(ipc_class_name(IPC_SEM), "sem");
    assert_string_equal(ipc_class_name(IPC_MSG), "msg");
    assert_string_equal(ipc_class_name(IPC_NCLASSES), "?");
    assert_string_equal(ipc_field_name(F_KEY), "key");
    assert_string_equal(ipc_field_name(F_MODE), "perms");
    assert_string_equal(ipc_field_name(F_SEMCOUNT), "waiters");
    assert_string_equal(ipc_field_name(F_RTIME), "rtime");
    assert_string_equal(ipc_field_name(F_NFIELDS), "?");
    assert_string_equal(ipc_field_name((enum ipc_field) - 1), "?");
    /* every field has its own name */
    for (int i = 0; i < F_NFIELDS; i++) {
        const char *n = ipc_field_name((enum ipc_field)i);
        if (strcmp(n, "?") == 0) fail_msg("field %d has no name", i);
        for (int j = 0; j < i; j++)
            if (strcmp(n, ipc_field_name((enum ipc_field)j)) == 0)
                fail_msg("fields %d and %d are both \"%s\"", j, i, n);
    }
    assert_string_equal(collect_path_name(PATH_STAT_ANY), "stat_any");
    assert_string_equal(collect_path_name(PATH_STAT), "stat");
    assert_string_equal(collect_path_name(PATH_PROCFS), "procfs");
    assert_string_equal(collect_path_name(PATH_NONE), "none");
    /* a mask of every field fits the 64-bit valid/changed words */
    assert_true(F_NFIELDS <= 64);
}

static void test_add_zeroed(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    for (int i = 0; i < 200; i++) {
        struct shm_segment *g = snapshot_add_shm(&s);
        assert_non_null(g);
        /* zeroed even when the memory was used before */
        assert_int_equal(g->c.valid, 0);
        assert_int_equal(g->size, 0);
        memset(g, 0xff, sizeof *g);
        g->c.id = i;
    }
    snapshot_clear(&s);
    assert_int_equal(s.tab[IPC_SHM].n, 0);
    assert_true(s.tab[IPC_SHM].cap >= 200); /* memory kept for the next refresh */
    struct shm_segment *g = snapshot_add_shm(&s);
    assert_int_equal(g->c.valid, 0);
    assert_int_equal(g->nattch, 0);
    struct msg_queue *q = snapshot_add_msg(&s);
    assert_non_null(q);
    assert_int_equal(q->msgs, 0);
    assert_int_equal(snapshot_count(&s, IPC_SHM), 1);
    assert_int_equal(snapshot_count(&s, IPC_MSG), 1);
    assert_int_equal(snapshot_count(&s, IPC_SEM), 0);
    snapshot_free(&s);
    assert_null(SNAP_SHM(&s));
    assert_int_equal(s.tab[IPC_SHM].cap, 0);
}

static void test_empty_sem_set_first(void **state)
{
    (void)state;
    /* a set of 0 semaphores (or of unknown nsems, as procfs_parse adds them) before any
     * element exists: no element memory yet, and no arithmetic on a NULL pool (UBSan) */
    struct snapshot s;
    snapshot_init(&s);
    struct sem_set *set = snapshot_add_sem(&s, 0);
    assert_non_null(set);
    assert_int_equal(set->nsems, 0);
    assert_int_equal(set->elem_off, 0);
    assert_int_equal(s.nelems, 0);
    assert_int_equal(sem_set_waiters(&s, set), -1);
    set->c.valid = FBIT(F_SEMCOUNT);
    assert_int_equal(sem_set_waiters(&s, set), 0);
    struct sem_set *next = snapshot_add_sem(&s, 2);
    assert_int_equal(next->elem_off, 0);
    assert_int_equal(s.nelems, 2);
    snapshot_free(&s);
}

static void test_clear_resets_metadata(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    s.wall = 5;
    s.monotonic = 6;
    s.limits.valid = true;
    s.path[IPC_SEM] = PATH_PROCFS;
    s.hidden[IPC_MSG] = 3;
    s.sem_unreadable = 2;
    s.ipc_ns = 7;
    snapshot_add_sem(&s, 4);
    snapshot_clear(&s);
    assert_int_equal(s.tab[IPC_SEM].n, 0);
    assert_int_equal(s.nelems, 0);
    assert_true(s.wall == 0 && s.monotonic == 0);
    assert_false(s.limits.valid);
    assert_int_equal(s.path[IPC_SEM], PATH_NONE);
    assert_int_equal(s.hidden[IPC_MSG], 0);
    assert_int_equal(s.sem_unreadable, 0);
    assert_true(s.ipc_ns == 0);
    struct sem_set *set = snapshot_add_sem(&s, 2);
    assert_int_equal(set->elem_off, 0);
    snapshot_free(&s);
}

static void test_keys(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    s.ipc_ns = UINT64_C(4026532301);
    snapshot_add_shm(&s)->c.id = 32769;
    snapshot_add_shm(&s)->c.id = 5;
    snapshot_add_msg(&s)->c.id = 5;
    snapshot_sort(&s);
    struct obj_key k = snapshot_key(&s, IPC_SHM, 1);
    assert_int_equal(k.id, 32769);
    assert_int_equal(k.kind, IPC_SHM);
    assert_true(k.ns == s.ipc_ns && k.dev == 0 && k.ino == 0);
    assert_int_equal(snapshot_index_of_key(&s, &k), 1);
    /* the same id of another kind, or in another namespace, is another object */
    struct obj_key q = snapshot_key(&s, IPC_MSG, 0);
    assert_true(obj_key_cmp(&k, &q) != 0);
    assert_int_equal(snapshot_index_of_key(&s, &q), 0);
    struct obj_key elsewhere = k;
    elsewhere.ns++;
    assert_int_equal(snapshot_index_of_key(&s, &elsewhere), -1);
    assert_true(obj_key_cmp(&k, &elsewhere) < 0 && obj_key_cmp(&elsewhere, &k) > 0);
    struct obj_key absent = k;
    absent.id = 6;
    assert_int_equal(snapshot_index_of_key(&s, &absent), -1);
    absent.kind = IPC_NCLASSES;
    assert_int_equal(snapshot_index_of_key(&s, &absent), -1);
    /* the order: kind, then namespace, then id */
    struct obj_key a = snapshot_key(&s, IPC_SHM, 0), b = snapshot_key(&s, IPC_SHM, 1);
    assert_true(obj_key_cmp(&a, &b) < 0);
    assert_true(obj_key_cmp(&b, &q) < 0);
    assert_true(obj_key_eq(&a, &a));
    snapshot_free(&s);
}

/* A set's elements carry its id, so that any mix-up of elem_off shows. */
static void tag_elements(struct snapshot *s, struct sem_set *set)
{
    struct sem_element *e = sem_elements(s, set);
    for (uint32_t k = 0; k < set->nsems; k++) {
        assert_int_equal(e[k].value, 0); /* zeroed on add */
        e[k].value = set->c.id;
        e[k].pid = (int32_t)k;
        e[k].ncount = 1;
        e[k].zcount = 2;
    }
}

static void check_elements(const struct snapshot *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) {
        const struct sem_set *set = &SNAP_SEM(s)[i];
        const struct sem_element *e = sem_elements(s, set);
        if (set->elem_off + set->nsems > s->nelems) fail_msg("set %zu past the pool", i);
        for (uint32_t k = 0; k < set->nsems; k++)
            if (e[k].value != set->c.id || e[k].pid != (int32_t)k)
                fail_msg("set id %d element %u holds another set's data", set->c.id, k);
        total += set->nsems;
    }
    assert_int_equal(total, s->nelems);
}

static void test_sem_elements_through_growth(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    /* ids in reverse order so that sorting moves every set; sizes include 0 and 250 */
    for (int i = 0; i < 3000; i++) {
        uint32_t nsems = (uint32_t)(i % 7 == 0 ? 0 : i % 11 == 0 ? 250 : i % 5 + 1);
        struct sem_set *set = snapshot_add_sem(&s, nsems);
        assert_non_null(set);
        assert_int_equal(set->nsems, nsems);
        assert_int_equal(set->elem_off, s.nelems - nsems);
        set->c.id = 100000 - i * 3;
        tag_elements(&s, set);
    }
    check_elements(&s);
    snapshot_sort(&s);
    for (size_t i = 1; i < s.tab[IPC_SEM].n; i++)
        assert_true(SNAP_SEM(&s)[i - 1].c.id < SNAP_SEM(&s)[i].c.id);
    check_elements(&s);
    assert_int_equal(sem_set_waiters(&s, &SNAP_SEM(&s)[0]),
                     -1); /* counts were never marked known */
    snapshot_free(&s);
}

static void test_reserve(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    assert_true(snapshot_reserve(&s, IPC_SHM, 1000, 0));
    assert_true(s.tab[IPC_SHM].cap >= 1000);
    struct shm_segment *first = snapshot_add_shm(&s);
    for (int i = 1; i < 1000; i++) snapshot_add_shm(&s);
    assert_ptr_equal(first, SNAP_SHM(&s)); /* no reallocation within the reservation */
    assert_true(snapshot_reserve(&s, IPC_SEM, 10, 5000));
    assert_true(s.tab[IPC_SEM].cap >= 10);
    assert_true(s.capelems >= 5000);
    struct sem_element *pool = s.elems;
    for (int i = 0; i < 10; i++) snapshot_add_sem(&s, 500);
    assert_ptr_equal(pool, s.elems);
    assert_true(snapshot_reserve(&s, IPC_MSG, 3, 0));
    assert_true(s.tab[IPC_MSG].cap >= 3);
    /* reserving what is already there does not shrink anything */
    size_t cap = s.tab[IPC_SHM].cap;
    assert_true(snapshot_reserve(&s, IPC_SHM, 0, 0));
    assert_int_equal(s.tab[IPC_SHM].cap, cap);
    snapshot_free(&s);
}

/* Runs snapshot_reserve in a child with a time limit, so that a hang or a crash is a failure
 * and not a stuck test run: 0 = refused and the snapshot intact, 3 = accepted, 4 = snapshot
 * damaged, 128+N = killed by signal N (14: looped until the alarm), other = sanitizer. */
static int reserve_in_child(enum ipc_class cls, size_t n, size_t nelems)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(5);
        struct snapshot s;
        snapshot_init(&s);
        snapshot_add_shm(&s)->c.id = 7;
        bool ok = snapshot_reserve(&s, cls, n, nelems);
        /* refused, the snapshot must be as it was and still usable */
        struct shm_segment *g = snapshot_add_shm(&s);
        bool usable = g && s.tab[IPC_SHM].n == 2 && SNAP_SHM(&s)[0].c.id == 7;
        snapshot_free(&s);
        _exit(ok ? 3 : usable ? 0 : 4);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

static void test_reserve_impossible_sizes(void **state)
{
    (void)state;
    /* "false when out of memory": sizes no allocation can satisfy must be refused, without
     * looping forever on the doubling or wrapping the byte count */
    assert_int_equal(reserve_in_child(IPC_SHM, SIZE_MAX / 2, 0), 0);
    assert_int_equal(reserve_in_child(IPC_SHM, SIZE_MAX - 1, 0), 0);
    assert_int_equal(reserve_in_child(IPC_SEM, 1, SIZE_MAX - 1), 0);
}

static void test_sort_and_find(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    /* nothing to find in an empty snapshot */
    assert_null(snapshot_find_shm(&s, 0));
    assert_null(snapshot_find_sem(&s, 0));
    assert_null(snapshot_find(&s, IPC_MSG, 0));
    static const int32_t ids[] = {98305, 0, 32769, 2147483647, 65538, 1, 131073};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        snapshot_add_shm(&s)->c.id = ids[i];
        SNAP_SHM(&s)[s.tab[IPC_SHM].n - 1].size = (uint64_t)ids[i] * 2;
        snapshot_add_msg(&s)->c.id = ids[i];
        snapshot_add_sem(&s, 1)->c.id = ids[i];
    }
    snapshot_sort_class(&s, IPC_SHM);
    for (size_t i = 1; i < s.tab[IPC_SHM].n; i++)
        assert_true(SNAP_SHM(&s)[i - 1].c.id < SNAP_SHM(&s)[i].c.id);
    assert_int_equal(SNAP_MSG(&s)[0].c.id, 98305); /* the other classes are left as they were */
    snapshot_sort(&s);
    for (size_t i = 1; i < s.tab[IPC_MSG].n; i++)
        assert_true(SNAP_MSG(&s)[i - 1].c.id < SNAP_MSG(&s)[i].c.id);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const struct shm_segment *g = snapshot_find_shm(&s, ids[i]);
        assert_non_null(g);
        assert_int_equal(g->c.id, ids[i]);
        assert_int_equal(g->size, (uint64_t)ids[i] * 2); /* the record moved whole */
        assert_int_equal(snapshot_find_sem(&s, ids[i])->c.id, ids[i]);
        assert_int_equal(((const struct ipc_common *)snapshot_find(&s, IPC_MSG, ids[i]))->id,
                         ids[i]);
    }
    static const int32_t absent[] = {-1, 2, 32768, 32770, 2147483646, INT32_MIN};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        assert_null(snapshot_find_shm(&s, absent[i]));
        assert_null(snapshot_find_sem(&s, absent[i]));
        assert_null(snapshot_find(&s, IPC_MSG, absent[i]));
    }
    /* snapshot_common reaches the same records */
    for (size_t i = 0; i < s.tab[IPC_SHM].n; i++) {
        assert_ptr_equal(snapshot_common(&s, IPC_SHM, i), &SNAP_SHM(&s)[i].c);
        assert_ptr_equal(snapshot_common(&s, IPC_SEM, i), &SNAP_SEM(&s)[i].c);
        assert_ptr_equal(snapshot_common(&s, IPC_MSG, i), &SNAP_MSG(&s)[i].c);
    }
    snapshot_free(&s);
}

static void test_sort_many(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    uint32_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        snapshot_add_msg(&s)->c.id = (int32_t)(x >> 1);
        SNAP_MSG(&s)[s.tab[IPC_MSG].n - 1].msgs = x >> 1;
    }
    snapshot_sort(&s);
    for (size_t i = 1; i < s.tab[IPC_MSG].n; i++)
        assert_true(SNAP_MSG(&s)[i - 1].c.id <= SNAP_MSG(&s)[i].c.id);
    for (size_t i = 0; i < s.tab[IPC_MSG].n; i++) {
        assert_int_equal(SNAP_MSG(&s)[i].msgs, (uint64_t)SNAP_MSG(&s)[i].c.id);
        assert_non_null(snapshot_find(&s, IPC_MSG, SNAP_MSG(&s)[i].c.id));
    }
    snapshot_free(&s);
}

static void test_sem_set_waiters(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    struct sem_set *set = snapshot_add_sem(&s, 3);
    struct sem_element *e = sem_elements(&s, set);
    e[0].ncount = 2;
    e[1].zcount = 1;
    e[2].ncount = 4;
    e[2].zcount = 5;
    assert_int_equal(sem_set_waiters(&s, set), -1); /* counts unknown */
    set->c.valid |= FBIT(F_SEMCOUNT);
    assert_int_equal(sem_set_waiters(&s, set), 12);
    struct sem_set *empty = snapshot_add_sem(&s, 0);
    empty->c.valid = FBIT(F_SEMCOUNT);
    assert_int_equal(sem_set_waiters(&s, empty), 0);
    snapshot_free(&s);
}

static void test_sem_set_waiters_no_int_overflow(void **state)
{
    (void)state;
    struct snapshot s;
    snapshot_init(&s);
    /* the result is 64-bit: no int32 overflow, even within one element */
    struct sem_set *big = snapshot_add_sem(&s, 2);
    big->c.valid = FBIT(F_SEMCOUNT);
    sem_elements(&s, big)[0].ncount = INT32_MAX;
    sem_elements(&s, big)[1].zcount = INT32_MAX;
    assert_int_equal(sem_set_waiters(&s, big), (int64_t)INT32_MAX * 2);
    sem_elements(&s, big)[1].ncount = 1;
    assert_int_equal(sem_set_waiters(&s, big), (int64_t)INT32_MAX * 2 + 1);
    snapshot_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_add_zeroed),
        cmocka_unit_test(test_empty_sem_set_first),
        cmocka_unit_test(test_clear_resets_metadata),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_sem_elements_through_growth),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_reserve_impossible_sizes),
        cmocka_unit_test(test_sort_and_find),
        cmocka_unit_test(test_sort_many),
        cmocka_unit_test(test_sem_set_waiters),
        cmocka_unit_test(test_sem_set_waiters_no_int_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
