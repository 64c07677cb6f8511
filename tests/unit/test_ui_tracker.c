/*
 * ui/tracker.c: objects there at the first refresh are not "new"; one that appears later
 * is new for TRACKER_NEW_REFRESHES refreshes and has a first-seen time; classes are apart;
 * an object replaced under the same id is new again; many objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "snapshot.h"
#include "tracker.h"

#define T0 1700000000

static const uint64_t VALID = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                              FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);

static void common(struct ipc_common *c, int32_t id)
{
    c->valid = VALID;
    c->id = id;
    c->key = 0x7a000000u + (uint32_t)id;
    c->mode = 0600;
    c->ctime = T0 - 100;
}

static void shm(struct snapshot *s, int32_t id)
{
    struct shm_segment *g = snapshot_add_shm(s);
    assert_non_null(g);
    common(&g->c, id);
    g->c.valid |= FBIT(F_SIZE);
    g->size = 4096;
}

static void sem(struct snapshot *s, int32_t id)
{
    struct sem_set *set = snapshot_add_sem(s, 1);
    assert_non_null(set);
    common(&set->c, id);
    set->c.valid |= FBIT(F_NSEMS);
    set->nsems = 1;
}

static void msg(struct snapshot *s, int32_t id)
{
    struct msg_queue *q = snapshot_add_msg(s);
    assert_non_null(q);
    common(&q->c, id);
}

/* A run of refreshes: snapshot k is fed as refresh seq k + 1. */
struct run {
    struct snapshot s[8];
    struct tracker t;
    int fed;
};

static struct run *run_new(void)
{
    struct run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    for (int i = 0; i < 8; i++) {
        snapshot_init(&r->s[i]);
        r->s[i].wall = T0 + i;
        r->s[i].monotonic = 10 + i;
    }
    tracker_init(&r->t);
    r->fed = -1;
    return r;
}

static void feed(struct run *r, int k)
{
    struct snapshot_diff d;
    snapshot_sort(&r->s[k]);
    assert_int_equal(snapshot_diff(r->fed >= 0 ? &r->s[r->fed] : NULL, &r->s[k], &d), 0);
    assert_true(tracker_update(&r->t, &d, k + 1));
    snapshot_diff_free(&d);
    r->fed = k;
}

/* What a row of object id would show: the tracker is asked by the row's index in the
 * snapshot last fed, as the lists do; an absent id has no row (and no first-seen time). */
static long row_of(const struct run *r, enum ipc_class cls, int32_t id)
{
    return r->fed >= 0 ? snapshot_index_of(&r->s[r->fed], cls, id) : -1;
}

static bool is_new(const struct run *r, enum ipc_class cls, int32_t id)
{
    long i = row_of(r, cls, id);
    return i >= 0 && tracker_is_new_at(&r->t, cls, (size_t)i);
}

static int64_t first_seen(const struct run *r, enum ipc_class cls, int32_t id)
{
    long i = row_of(r, cls, id);
    return i >= 0 ? tracker_first_seen_at(&r->t, cls, (size_t)i) : 0;
}

static void run_free(struct run *r)
{
    tracker_free(&r->t);
    for (int i = 0; i < 8; i++) snapshot_free(&r->s[i]);
    free(r);
}

static void test_present_at_start_not_new(void **state)
{
    (void)state;
    struct run *r = run_new();
    for (int k = 0; k < 6; k++) {
        shm(&r->s[k], 1);
        sem(&r->s[k], 1);
        msg(&r->s[k], 1);
    }
    for (int k = 0; k < 6; k++) {
        feed(r, k);
        for (int c = 0; c < IPC_NCLASSES; c++) {
            assert_false(is_new(r, (enum ipc_class)c, 1));
            assert_int_equal(first_seen(r, (enum ipc_class)c, 1), 0);
        }
    }
    run_free(r);
}

static void test_new_for_a_few_refreshes(void **state)
{
    (void)state;
    struct run *r = run_new();
    for (int k = 0; k < 8; k++) shm(&r->s[k], 1);
    for (int k = 2; k < 8; k++) shm(&r->s[k], 2); /* appears at snapshot 2 */
    feed(r, 0);
    feed(r, 1);
    assert_false(is_new(r, IPC_SHM, 2));
    assert_int_equal(first_seen(r, IPC_SHM, 2), 0);
    for (int k = 2; k < 8; k++) {
        feed(r, k);
        bool want = k - 2 < TRACKER_NEW_REFRESHES;
        if (is_new(r, IPC_SHM, 2) != want)
            fail_msg("refresh %d after it appeared: new=%d, expected %d", k - 2, !want, want);
        assert_int_equal(first_seen(r, IPC_SHM, 2), T0 + 2);
        assert_false(is_new(r, IPC_SHM, 1));
        /* the same id in another class is another object */
        assert_false(is_new(r, IPC_SEM, 2));
        assert_false(is_new(r, IPC_MSG, 2));
        assert_int_equal(first_seen(r, IPC_SEM, 2), 0);
    }
    run_free(r);
}

static void test_gone_and_back(void **state)
{
    (void)state;
    struct run *r = run_new();
    shm(&r->s[0], 5);
    shm(&r->s[1], 5);
    /* 2: gone */
    shm(&r->s[3], 5); /* back with the same id (kernel sequence wrapped) */
    shm(&r->s[4], 5);
    for (int k = 0; k <= 2; k++) feed(r, k);
    assert_false(is_new(r, IPC_SHM, 5));
    assert_int_equal(first_seen(r, IPC_SHM, 5), 0);
    feed(r, 3);
    assert_true(is_new(r, IPC_SHM, 5));
    assert_int_equal(first_seen(r, IPC_SHM, 5), T0 + 3);
    feed(r, 4);
    assert_true(is_new(r, IPC_SHM, 5));
    assert_int_equal(first_seen(r, IPC_SHM, 5), T0 + 3);
    run_free(r);
}

/* Replaced between two refreshes under the same id: the diff says new, so does the tracker. */
static void test_replaced_same_id(void **state)
{
    (void)state;
    struct run *r = run_new();
    shm(&r->s[0], 9);
    shm(&r->s[1], 9);
    shm(&r->s[2], 9);
    SNAP_SHM(&r->s[2])[0].c.key ^= 0x55; /* another object */
    feed(r, 0);
    feed(r, 1);
    assert_false(is_new(r, IPC_SHM, 9));
    feed(r, 2);
    assert_true(is_new(r, IPC_SHM, 9));
    assert_int_equal(first_seen(r, IPC_SHM, 9), T0 + 2);
    run_free(r);
}

/* Feeds the diff of snapshot k against snapshot p as refresh seq, whatever was fed before
 * (the screens missed the refreshes in between). */
static void feed_from(struct run *r, int p, int k, long seq)
{
    struct snapshot_diff d;
    snapshot_sort(&r->s[p]);
    snapshot_sort(&r->s[k]);
    assert_int_equal(snapshot_diff(&r->s[p], &r->s[k], &d), 0);
    assert_true(tracker_update(&r->t, &d, seq));
    snapshot_diff_free(&d);
    r->fed = k;
}

/* Entries stand as they are only when nothing came or went since the refresh fed last: after
 * a refresh the screens missed, the same count of objects at the same places may be other
 * objects, and one must not inherit another's first-seen time. */
static void test_missed_refresh(void **state)
{
    (void)state;
    struct run *r = run_new();
    shm(&r->s[0], 1);
    shm(&r->s[1], 1);
    shm(&r->s[1], 3); /* appears at 1 */
    shm(&r->s[2], 1);
    shm(&r->s[2], 2); /* 3 went, 2 came: the screens miss this refresh */
    shm(&r->s[3], 1);
    shm(&r->s[3], 2);
    feed(r, 0);
    feed(r, 1);
    assert_int_equal(first_seen(r, IPC_SHM, 3), T0 + 1);
    feed_from(r, 2, 3, 4); /* refresh 4, against refresh 3's snapshot */
    /* 2 was not seen appearing; it is not 3 */
    assert_int_equal(first_seen(r, IPC_SHM, 2), 0);
    assert_false(is_new(r, IPC_SHM, 2));
    assert_int_equal(first_seen(r, IPC_SHM, 1), 0);
    /* and with nothing missed, entries carry on */
    shm(&r->s[4], 1);
    shm(&r->s[4], 2);
    feed_from(r, 3, 4, 5);
    assert_int_equal(first_seen(r, IPC_SHM, 2), 0);
    run_free(r);
}

static void test_many_objects(void **state)
{
    (void)state;
    struct run *r = run_new();
    for (int32_t id = 0; id < 20000; id++) {
        shm(&r->s[0], id * 3);
        shm(&r->s[1], id * 3);
        if (id % 2) shm(&r->s[1], id * 3 + 1);
        msg(&r->s[1], id);
    }
    feed(r, 0);
    feed(r, 1);
    for (int32_t id = 0; id < 20000; id += 7) {
        assert_false(is_new(r, IPC_SHM, id * 3));
        assert_int_equal(is_new(r, IPC_SHM, id * 3 + 1), id % 2 == 1);
        assert_true(is_new(r, IPC_MSG, id));
        assert_false(is_new(r, IPC_SEM, id));
    }
    /* past the end of the current snapshot */
    assert_false(tracker_is_new_at(&r->t, IPC_SHM, snapshot_count(&r->s[1], IPC_SHM)));
    assert_int_equal(tracker_first_seen_at(&r->t, IPC_MSG, 1000000), 0);
    run_free(r);
}

static void test_empty(void **state)
{
    (void)state;
    struct tracker t;
    tracker_init(&t);
    assert_false(tracker_is_new_at(&t, IPC_SHM, 0));
    assert_int_equal(tracker_first_seen_at(&t, IPC_MSG, 3), 0);
    tracker_free(&t);
    tracker_free(&t); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_present_at_start_not_new),
        cmocka_unit_test(test_new_for_a_few_refreshes),
        cmocka_unit_test(test_gone_and_back),
        cmocka_unit_test(test_replaced_same_id),
        cmocka_unit_test(test_missed_refresh),
        cmocka_unit_test(test_many_objects),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
