/*
 * model (diff.c): new, gone and changed objects between two snapshots, object identity
 * (recreated ids), validity, semaphore elements, queue rates, and the cost at 96,000 objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "kind.h"
#include "model.h"
#include "snapshot.h"

#define SHM_DEST 01000

static const uint64_t COMMON = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                               FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);
static const uint64_t SHM_BITS = FBIT(F_SIZE) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_NATTCH) |
                                 FBIT(F_ATIME) | FBIT(F_DTIME) | FBIT(F_RSS) | FBIT(F_SWAP);
static const uint64_t SEM_BITS =
    FBIT(F_NSEMS) | FBIT(F_OTIME) | FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
static const uint64_t MSG_BITS = FBIT(F_MSGS) | FBIT(F_USEDBYTES) | FBIT(F_QBYTES) | FBIT(F_LSPID) |
                                 FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME);

static void common(struct ipc_common *c, int32_t id, uint64_t valid)
{
    c->valid = valid;
    c->id = id;
    c->key = 0x1000u + (uint32_t)id;
    c->uid = c->cuid = 1000;
    c->gid = c->cgid = 100;
    c->mode = 0600;
    c->ctime = 1700000000;
}

static struct shm_segment *add_shm(struct snapshot *s, int32_t id)
{
    struct shm_segment *g = snapshot_add_shm(s);
    assert_non_null(g);
    common(&g->c, id, COMMON | SHM_BITS);
    g->size = 4096;
    g->nattch = 1;
    g->cpid = 10;
    g->lpid = 11;
    g->atime = 1700000001;
    g->rss = 4096;
    return g;
}

static struct sem_set *add_sem(struct snapshot *s, int32_t id, uint32_t nsems)
{
    struct sem_set *set = snapshot_add_sem(s, nsems);
    assert_non_null(set);
    common(&set->c, id, COMMON | SEM_BITS);
    set->otime = 1700000002;
    for (uint32_t i = 0; i < nsems; i++) {
        sem_elements(s, set)[i].value = (int32_t)i + 1;
        sem_elements(s, set)[i].pid = 500 + (int32_t)i;
    }
    return set;
}

static struct msg_queue *add_msg(struct snapshot *s, int32_t id)
{
    struct msg_queue *q = snapshot_add_msg(s);
    assert_non_null(q);
    common(&q->c, id, COMMON | MSG_BITS);
    q->qbytes = 16384;
    q->msgs = 2;
    q->usedbytes = 200;
    return q;
}

static void test_state_names(void **state)
{
    (void)state;
    assert_string_equal(obj_state_name(OBJ_SAME), "");
    assert_string_equal(obj_state_name(OBJ_NEW), "new");
    assert_string_equal(obj_state_name(OBJ_CHANGED), "chg");
    assert_string_equal(obj_state_name(OBJ_GONE), "gone");
}

static void test_first_snapshot_marks_nothing(void **state)
{
    (void)state;
    struct snapshot cur;
    snapshot_init(&cur);
    cur.monotonic = 50;
    add_shm(&cur, 1);
    add_shm(&cur, 7);
    add_sem(&cur, 3, 2);
    add_msg(&cur, 9);
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(NULL, &cur, &d), 0);
    assert_null(d.prev);
    assert_ptr_equal(d.cur, &cur);
    assert_true(d.dt == 0);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        const struct class_diff *cd = &d.cls[c];
        assert_int_equal(cd->ncur, snapshot_count(&cur, (enum ipc_class)c));
        assert_int_equal(cd->ngone, 0);
        assert_int_equal(cd->nnew, 0);
        assert_int_equal(cd->nchanged, 0);
        for (size_t i = 0; i < cd->ncur; i++) {
            assert_int_equal(cd->cur[i].state, OBJ_SAME);
            assert_int_equal(cd->cur[i].prev, -1);
            assert_int_equal(cd->cur[i].changed, 0);
        }
    }
    double m;
    assert_false(model_rate(&d, IPC_MSG, 0, F_MSGS, &m));
    snapshot_diff_free(&d);
    assert_null(d.cls[0].cur);
    snapshot_free(&cur);
}

static void test_new_gone_changed(void **state)
{
    (void)state;
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    a.monotonic = 10;
    b.monotonic = 12;
    add_shm(&a, 1);
    add_shm(&a, 2);
    add_shm(&a, 3);
    add_shm(&a, 5);
    add_shm(&b, 2);
    struct shm_segment *g = add_shm(&b, 3);
    g->nattch = 2;
    g->lpid = 99;
    add_shm(&b, 4);
    add_shm(&b, 6);
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_true(d.dt == 2);
    const struct class_diff *cd = &d.cls[IPC_SHM];
    assert_int_equal(cd->ncur, 4);
    assert_int_equal(cd->cur[0].state, OBJ_SAME);
    assert_int_equal(cd->cur[0].prev, 1);
    assert_int_equal(cd->cur[0].changed, 0);
    assert_int_equal(cd->cur[1].state, OBJ_CHANGED);
    assert_int_equal(cd->cur[1].prev, 2);
    assert_int_equal(cd->cur[1].changed, FBIT(F_NATTCH) | FBIT(F_LPID));
    assert_int_equal(cd->cur[2].state, OBJ_NEW);
    assert_int_equal(cd->cur[2].prev, -1);
    assert_int_equal(cd->cur[3].state, OBJ_NEW);
    assert_int_equal(cd->nnew, 2);
    assert_int_equal(cd->nchanged, 1);
    assert_int_equal(cd->ngone, 2);
    assert_int_equal(cd->gone[0], 0); /* id 1 */
    assert_int_equal(cd->gone[1], 3); /* id 5 */
    snapshot_diff_free(&d);

    /* everything gone, then everything new */
    struct snapshot empty;
    snapshot_init(&empty);
    assert_int_equal(snapshot_diff(&a, &empty, &d), 0);
    assert_int_equal(d.cls[IPC_SHM].ngone, 4);
    assert_int_equal(d.cls[IPC_SHM].ncur, 0);
    snapshot_diff_free(&d);
    assert_int_equal(snapshot_diff(&empty, &a, &d), 0);
    assert_int_equal(d.cls[IPC_SHM].nnew, 4);
    assert_int_equal(d.cls[IPC_SHM].ngone, 0);
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
}

#define RECREATED UINT64_MAX

/* What the second snapshot changes in the only object of the first. */
enum change {
    NOTHING,
    SHM_UID,
    SHM_GID,
    SHM_MODE,
    SHM_CTIME_FWD,
    SHM_NATTCH,
    SHM_CPID,
    SHM_LPID,
    SHM_ATIME,
    SHM_DTIME,
    SHM_RSS,
    SHM_SWAP,
    SHM_FLAGS,
    SHM_CUID,
    SHM_CGID,
    SHM_KEY,
    SHM_CTIME_BACK,
    SHM_SIZE,
    SHM_DESTROYED,
    SHM_KEY0_NO_DEST,
    SHM_DEST_OTHER_KEY,
    SHM_KEY0_MODE_UNKNOWN,
    SEM_KEY0_DEST,
    SEM_NSEMS,
    SEM_CUID,
    SEM_CTIME_BACK,
    SEM_OTIME,
    SEM_CTIME,
    SEM_VALUE,
    SEM_PID,
    SEM_NCOUNT,
    SEM_ZCOUNT,
    SEM_ALL,
    MSG_MSGS,
    MSG_BYTES,
    MSG_QBYTES,
    MSG_LSPID,
    MSG_LRPID,
    MSG_STIME,
    MSG_RTIME,
    MSG_UID_MODE,
    MSG_KEY,
    MSG_CGID,
    MSG_CTIME_BACK,
};

static void apply(struct snapshot *s, enum change ch)
{
    struct shm_segment *g = s->tab[IPC_SHM].n ? &SNAP_SHM(s)[0] : NULL;
    struct sem_set *set = s->tab[IPC_SEM].n ? &SNAP_SEM(s)[0] : NULL;
    struct sem_element *e = set ? sem_elements(s, set) : NULL;
    struct msg_queue *q = s->tab[IPC_MSG].n ? &SNAP_MSG(s)[0] : NULL;
    switch (ch) {
    case NOTHING: break;
    case SHM_UID: g->c.uid = 0; break;
    case SHM_GID: g->c.gid = 0; break;
    case SHM_MODE: g->c.mode = 0666; break;
    case SHM_CTIME_FWD: g->c.ctime++; break;
    case SHM_NATTCH: g->nattch = 0; break;
    case SHM_CPID: g->cpid = 1; break;
    case SHM_LPID: g->lpid = 1; break;
    case SHM_ATIME: g->atime++; break;
    case SHM_DTIME: g->dtime = 5; break;
    case SHM_RSS: g->rss = 0; break;
    case SHM_SWAP: g->swap = 4096; break;
    case SHM_FLAGS: g->flags = SHM_SEG_HUGETLB; break;
    case SHM_CUID: g->c.cuid = 0; break;
    case SHM_CGID: g->c.cgid = 0; break;
    case SHM_KEY: g->c.key = 0x9999; break;
    case SHM_CTIME_BACK: g->c.ctime--; break;
    case SHM_SIZE: g->size = 8192; break;
    case SHM_DESTROYED: /* IPC_RMID while attached: key IPC_PRIVATE, mode gains SHM_DEST */
        g->c.key = 0;
        g->c.mode |= SHM_DEST;
        g->nattch = 2;
        break;
    case SHM_KEY0_NO_DEST: g->c.key = 0; break;
    case SHM_DEST_OTHER_KEY:
        g->c.key = 0x1;
        g->c.mode |= SHM_DEST;
        break;
    case SHM_KEY0_MODE_UNKNOWN:
        apply(s, SHM_DESTROYED);
        g->c.valid &= ~FBIT(F_MODE);
        break;
    case SEM_KEY0_DEST:
        set->c.key = 0;
        set->c.mode |= SHM_DEST;
        break;
    case SEM_NSEMS: set->nsems = 2; break;
    case SEM_CUID: set->c.cuid = 7; break;
    case SEM_CTIME_BACK: set->c.ctime -= 100; break;
    case SEM_OTIME: set->otime++; break;
    case SEM_CTIME: set->c.ctime++; break;
    case SEM_VALUE: e[2].value = 0; break;
    case SEM_PID: e[1].pid = 4; break;
    case SEM_NCOUNT: e[0].ncount = 1; break;
    case SEM_ZCOUNT: e[2].zcount = 3; break;
    case SEM_ALL:
        apply(s, SEM_VALUE);
        apply(s, SEM_PID);
        apply(s, SEM_ZCOUNT);
        apply(s, SEM_OTIME);
        break;
    case MSG_MSGS: q->msgs = 3; break;
    case MSG_BYTES: q->usedbytes = 300; break;
    case MSG_QBYTES: q->qbytes = 1; break;
    case MSG_LSPID: q->lspid = 8; break;
    case MSG_LRPID: q->lrpid = 9; break;
    case MSG_STIME: q->stime = 1; break;
    case MSG_RTIME: q->rtime = 2; break;
    case MSG_UID_MODE:
        q->c.uid = 5;
        q->c.mode = 0640;
        break;
    case MSG_KEY: q->c.key = 0; break;
    case MSG_CGID: q->c.cgid = 0; break;
    case MSG_CTIME_BACK: q->c.ctime = 1; break;
    }
}

/* The same object of kind cls (id 42; a set of 3) in a and in b. */
static void add_same(struct snapshot *a, struct snapshot *b, enum ipc_class cls)
{
    for (int k = 0; k < 2; k++) {
        struct snapshot *s = k ? b : a;
        if (cls == IPC_SHM)
            add_shm(s, 42);
        else if (cls == IPC_SEM)
            add_sem(s, 42, 3);
        else
            add_msg(s, 42);
    }
}

/* Diffs one object against its changed self: the changed mask, or RECREATED when the diff
 * says the old object is gone and the record is a new one. */
static uint64_t changed_by(enum ipc_class cls, enum change ch)
{
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    add_same(&a, &b, cls);
    apply(&b, ch);
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    const struct obj_diff *od = &d.cls[cls].cur[0];
    uint64_t m = UINT64_MAX;
    if (od->state != OBJ_NEW) {
        assert_int_equal(od->prev, 0);
        assert_int_equal(d.cls[cls].ngone, 0);
        assert_int_equal(od->state, od->changed ? OBJ_CHANGED : OBJ_SAME);
        assert_int_equal(d.cls[cls].nchanged, od->changed ? 1 : 0);
        m = od->changed;
    } else {
        /* recreated: the old one is gone and the record is new */
        assert_int_equal(od->prev, -1);
        assert_int_equal(d.cls[cls].ngone, 1);
        assert_int_equal(d.cls[cls].nnew, 1);
        assert_int_equal(d.cls[cls].gone[0], 0);
    }
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
    return m;
}

static void test_shm_fields(void **state)
{
    (void)state;
    assert_int_equal(changed_by(IPC_SHM, NOTHING), 0);
    assert_int_equal(changed_by(IPC_SHM, SHM_UID), FBIT(F_UID));
    assert_int_equal(changed_by(IPC_SHM, SHM_GID), FBIT(F_GID));
    assert_int_equal(changed_by(IPC_SHM, SHM_MODE), FBIT(F_MODE));
    assert_int_equal(changed_by(IPC_SHM, SHM_CTIME_FWD), FBIT(F_CTIME));
    assert_int_equal(changed_by(IPC_SHM, SHM_NATTCH), FBIT(F_NATTCH));
    /* the creator pid is set once: another one is another segment */
    assert_int_equal(changed_by(IPC_SHM, SHM_CPID), UINT64_MAX);
    assert_int_equal(changed_by(IPC_SHM, SHM_LPID), FBIT(F_LPID));
    assert_int_equal(changed_by(IPC_SHM, SHM_ATIME), FBIT(F_ATIME));
    assert_int_equal(changed_by(IPC_SHM, SHM_DTIME), FBIT(F_DTIME));
    assert_int_equal(changed_by(IPC_SHM, SHM_RSS), FBIT(F_RSS));
    assert_int_equal(changed_by(IPC_SHM, SHM_SWAP), FBIT(F_SWAP));
    assert_int_equal(changed_by(IPC_SHM, SHM_FLAGS), 0); /* derived, not a kernel field */
}

static void test_shm_recreated(void **state)
{
    (void)state;
    assert_true(changed_by(IPC_SHM, SHM_CUID) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_CGID) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_KEY) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_CTIME_BACK) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_SIZE) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_KEY0_NO_DEST) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_DEST_OTHER_KEY) == RECREATED);
    assert_true(changed_by(IPC_SHM, SHM_KEY0_MODE_UNKNOWN) == RECREATED);
}

static void test_shm_marked_for_destruction(void **state)
{
    (void)state;
    /* IPC_RMID on an attached segment: key becomes IPC_PRIVATE, mode gains SHM_DEST */
    assert_int_equal(changed_by(IPC_SHM, SHM_DESTROYED),
                     FBIT(F_KEY) | FBIT(F_MODE) | FBIT(F_NATTCH));
}

static void test_sem_fields(void **state)
{
    (void)state;
    assert_int_equal(changed_by(IPC_SEM, NOTHING), 0);
    assert_int_equal(changed_by(IPC_SEM, SEM_OTIME), FBIT(F_OTIME));
    assert_int_equal(changed_by(IPC_SEM, SEM_CTIME), FBIT(F_CTIME));
    assert_int_equal(changed_by(IPC_SEM, SEM_VALUE), FBIT(F_SEMVAL));
    assert_int_equal(changed_by(IPC_SEM, SEM_PID), FBIT(F_SEMPID));
    assert_int_equal(changed_by(IPC_SEM, SEM_NCOUNT), FBIT(F_SEMCOUNT));
    assert_int_equal(changed_by(IPC_SEM, SEM_ZCOUNT), FBIT(F_SEMCOUNT));
    assert_int_equal(changed_by(IPC_SEM, SEM_ALL),
                     FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT) | FBIT(F_OTIME));
    assert_true(changed_by(IPC_SEM, SEM_NSEMS) == RECREATED);
    assert_true(changed_by(IPC_SEM, SEM_CUID) == RECREATED);
    assert_true(changed_by(IPC_SEM, SEM_CTIME_BACK) == RECREATED);
    /* only shm keys turn 0 on destruction */
    assert_true(changed_by(IPC_SEM, SEM_KEY0_DEST) == RECREATED);
}

static void test_sem_elements_located_per_snapshot(void **state)
{
    (void)state;
    /* the same set at different element offsets in the two snapshots */
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    add_sem(&a, 1, 5);
    add_sem(&a, 2, 2);
    struct sem_set *s2 = add_sem(&b, 2, 2);
    assert_int_equal(SNAP_SEM(&a)[1].elem_off, 5);
    assert_int_equal(s2->elem_off, 0);
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_int_equal(d.cls[IPC_SEM].cur[0].state, OBJ_SAME);
    assert_int_equal(d.cls[IPC_SEM].cur[0].prev, 1);
    snapshot_diff_free(&d);
    sem_elements(&b, s2)[1].value = 77;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_int_equal(d.cls[IPC_SEM].cur[0].changed, FBIT(F_SEMVAL));
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
}

static void test_msg_fields(void **state)
{
    (void)state;
    assert_int_equal(changed_by(IPC_MSG, NOTHING), 0);
    assert_int_equal(changed_by(IPC_MSG, MSG_MSGS), FBIT(F_MSGS));
    assert_int_equal(changed_by(IPC_MSG, MSG_BYTES), FBIT(F_USEDBYTES));
    assert_int_equal(changed_by(IPC_MSG, MSG_QBYTES), FBIT(F_QBYTES));
    assert_int_equal(changed_by(IPC_MSG, MSG_LSPID), FBIT(F_LSPID));
    assert_int_equal(changed_by(IPC_MSG, MSG_LRPID), FBIT(F_LRPID));
    assert_int_equal(changed_by(IPC_MSG, MSG_STIME), FBIT(F_STIME));
    assert_int_equal(changed_by(IPC_MSG, MSG_RTIME), FBIT(F_RTIME));
    assert_int_equal(changed_by(IPC_MSG, MSG_UID_MODE), FBIT(F_UID) | FBIT(F_MODE));
    assert_true(changed_by(IPC_MSG, MSG_KEY) == RECREATED);
    assert_true(changed_by(IPC_MSG, MSG_CGID) == RECREATED);
    assert_true(changed_by(IPC_MSG, MSG_CTIME_BACK) == RECREATED);
}

static void test_unknown_in_both_not_compared(void **state)
{
    (void)state;
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    struct shm_segment *x = add_shm(&a, 1), *y = add_shm(&b, 1);
    x->c.valid &= ~(FBIT(F_RSS) | FBIT(F_UID) | FBIT(F_SIZE) | FBIT(F_CUID) | FBIT(F_KEY));
    y->c.valid = x->c.valid;
    y->rss = 12345; /* leftovers in fields unknown on both sides */
    y->c.uid = 77;
    y->size = 1 << 20; /* unknown size, cuid and key cannot make it another object */
    y->c.cuid = 1;
    y->c.key = 5;
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_int_equal(d.cls[IPC_SHM].cur[0].state, OBJ_SAME);
    assert_int_equal(d.cls[IPC_SHM].cur[0].changed, 0);
    assert_true(model_same_object(IPC_SHM, &a, 0, &b, 0));
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
}

/* The mask when rss is known in prev (4096) and unknown in cur holding `stale`. */
static uint64_t mask_rss_becomes_unknown(uint64_t stale, uint64_t *other)
{
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    add_shm(&a, 1);
    struct shm_segment *y = add_shm(&b, 1);
    y->c.valid &= ~FBIT(F_RSS);
    y->rss = stale;
    y->nattch = 3;
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_int_equal(d.cls[IPC_SHM].cur[0].prev, 0);
    uint64_t m = d.cls[IPC_SHM].cur[0].changed;
    *other = m & ~FBIT(F_RSS);
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
    return m;
}

static void test_unknown_in_one_not_compared_by_value(void **state)
{
    (void)state;
    uint64_t o1, o2;
    /* whatever an unknown field happens to hold does not decide whether it "changed" */
    uint64_t same_value = mask_rss_becomes_unknown(4096, &o1);
    uint64_t other_value = mask_rss_becomes_unknown(999999, &o2);
    assert_int_equal(same_value, other_value);
    assert_int_equal(o1, FBIT(F_NATTCH));
    assert_int_equal(o2, FBIT(F_NATTCH));
}

static void test_sem_elements_unknown(void **state)
{
    (void)state;
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    struct sem_set *x = add_sem(&a, 1, 2), *y = add_sem(&b, 1, 2);
    const uint64_t elem = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    x->c.valid &= ~elem;
    y->c.valid &= ~elem;
    sem_elements(&b, y)[0].value = 9;
    sem_elements(&b, y)[0].pid = 9;
    sem_elements(&b, y)[0].ncount = 9;
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_int_equal(d.cls[IPC_SEM].cur[0].changed, 0);
    assert_int_equal(sem_set_waiters(&b, y), -1);
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
}

/* Both of a queue's rates, as the screens ask for them. */
static bool msg_rates(const struct snapshot_diff *d, size_t i, double *m, double *by)
{
    return model_rate(d, IPC_MSG, i, F_MSGS, m) && model_rate(d, IPC_MSG, i, F_USEDBYTES, by);
}

static void test_msg_rates(void **state)
{
    (void)state;
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    a.monotonic = 100.0;
    b.monotonic = 102.0;
    add_msg(&a, 1)->msgs = 10;
    SNAP_MSG(&a)[0].usedbytes = 1000;
    add_msg(&a, 2)->msgs = 10;
    SNAP_MSG(&a)[1].usedbytes = 5000;
    add_msg(&a, 3);
    SNAP_MSG(&a)[2].c.valid &= ~FBIT(F_USEDBYTES);
    struct msg_queue *q1 = add_msg(&b, 1), *q2 = add_msg(&b, 2);
    q1->msgs = 14; /* filling */
    q1->usedbytes = 3048;
    q2->msgs = 4; /* draining */
    q2->usedbytes = 1000;
    add_msg(&b, 3);
    add_msg(&b, 4); /* new */
    struct snapshot_diff d;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    double m = 0, by = 0;
    assert_true(msg_rates(&d, 0, &m, &by));
    assert_true(m == 2.0);
    assert_true(by == 1024.0);
    assert_true(msg_rates(&d, 1, &m, &by));
    assert_true(m == -3.0);
    assert_true(by == -2000.0);
    m = by = 42;
    assert_false(msg_rates(&d, 2, &m, &by)); /* usedbytes unknown before */
    assert_true(m == 0.0);                   /* ... but the count was known */
    m = 42;
    assert_false(model_rate(&d, IPC_MSG, 0, F_SIZE, &m)); /* a queue has no size field */
    assert_false(msg_rates(&d, 3, &m, &by));              /* new: no previous count */
    assert_false(msg_rates(&d, 4, &m, &by));              /* no such queue */
    assert_true(m == 42 && by == 42);
    snapshot_diff_free(&d);
    /* no time passed: no rate */
    b.monotonic = a.monotonic;
    assert_int_equal(snapshot_diff(&a, &b, &d), 0);
    assert_false(msg_rates(&d, 0, &m, &by));
    snapshot_diff_free(&d);
    /* without prev */
    assert_int_equal(snapshot_diff(NULL, &b, &d), 0);
    assert_false(msg_rates(&d, 0, &m, &by));
    snapshot_diff_free(&d);
    snapshot_free(&a);
    snapshot_free(&b);
}

/* n objects per class; prev and cur differ in a few percent of them. */
static void fill_big(struct snapshot *a, struct snapshot *b, int32_t n)
{
    snapshot_init(a);
    snapshot_init(b);
    for (int32_t i = 0; i < n; i++) {
        if (i % 50 != 0) {
            add_shm(a, i * 2);
            add_sem(a, i * 2, 4);
            add_msg(a, i * 2);
        }
        if (i % 50 != 1) {
            add_shm(b, i * 2)->nattch = (uint64_t)(i % 10 == 0) + 1;
            add_sem(b, i * 2, 4);
            if (i % 7 == 0) sem_elements(b, &SNAP_SEM(b)[b->tab[IPC_SEM].n - 1])[3].value = 0;
            add_msg(b, i * 2)->msgs = (uint64_t)(i % 13 == 0) + 2;
        }
    }
}

/* One diff of a and b (n objects per class): its CPU time, and the answer checked. */
static double time_diff(const struct snapshot *a, const struct snapshot *b, int32_t n)
{
    struct snapshot_diff d;
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    assert_int_equal(snapshot_diff(a, b, &d), 0);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double t = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* and the answer is right, not just fast */
    size_t expect_gone = (size_t)(n + 48) / 50, expect_new = (size_t)(n + 49) / 50;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        assert_int_equal(d.cls[c].ngone, expect_gone);
        assert_int_equal(d.cls[c].nnew, expect_new);
    }
    assert_true(d.cls[IPC_SHM].nchanged > 0);
    assert_true(d.cls[IPC_SEM].nchanged > 0);
    assert_true(d.cls[IPC_MSG].nchanged > 0);
    snapshot_diff_free(&d);
    return t;
}

static void test_diff_96000_objects_is_linear(void **state)
{
    (void)state;
    struct snapshot a, b, c, d;
    /* both sizes well beyond the caches, so that the ratio measures the algorithm; the
     * thread's CPU time (not the wall clock: others' work on a busy machine is not ours),
     * measured in turns, the best of nine each */
    fill_big(&a, &b, 16000);
    fill_big(&c, &d, 32000); /* 96,000 objects in each snapshot */
    double small = 1e9, big = 1e9;
    for (int rep = 0; rep < 9; rep++) {
        double t = time_diff(&a, &b, 16000);
        if (t < small) small = t;
        t = time_diff(&c, &d, 32000);
        if (t < big) big = t;
    }
    snapshot_free(&a);
    snapshot_free(&b);
    snapshot_free(&c);
    snapshot_free(&d);
    print_message("diff: 48,000 objects %.2f ms, 96,000 objects %.2f ms\n", small * 1e3, big * 1e3);
    if (big > 0.5) fail_msg("96,000-object diff took %.3f s", big);
    /* twice the objects: linear is x2, n log n a little more, quadratic x4 */
    if (big > 0.002 && big > 3.2 * small)
        fail_msg("diff does not scale linearly: %.3f ms vs %.3f ms", small * 1e3, big * 1e3);
}

/*
 * The diff's quick path (records byte for byte the same are one object, unchanged) must not
 * hide a change: every field of every kind, as its descriptor lists them, and every element
 * of a set, changed alone, is reported (changed, or another object when the field is set
 * once).
 */
static void test_every_field_seen_past_the_quick_path(void **state)
{
    (void)state;
    for (int k = 0; k < IPC_NCLASSES; k++) {
        enum ipc_class cls = (enum ipc_class)k;
        const struct ipc_kind *kind = kind_of(cls);
        for (size_t f = 0; f <= kind->nfields + 3; f++) {
            struct snapshot a, b;
            snapshot_init(&a);
            snapshot_init(&b);
            add_same(&a, &b, cls);
            void *rec = snapshot_record(&b, cls, 0);
            uint64_t expect;
            if (f < kind->nfields) {
                const struct kind_field *kf = &kind->fields[f];
                if (kf->bit == F_ID) { /* another id is another object anyway */
                    snapshot_free(&a);
                    snapshot_free(&b);
                    continue;
                }
                kind_field_set(kf, rec, (uint64_t)kind_field_get(kf, rec) + 1);
                expect = FBIT(kf->bit);
            } else if (kind->element_fields && f < kind->nfields + 3) {
                /* semaphore 1's value, pid, counts */
                struct sem_element *e = &sem_elements(&b, &SNAP_SEM(&b)[0])[1];
                size_t which = f - kind->nfields;
                if (which == 0) e->value++;
                if (which == 1) e->pid++;
                if (which == 2) e->zcount++;
                expect = which == 0   ? FBIT(F_SEMVAL)
                         : which == 1 ? FBIT(F_SEMPID)
                                      : FBIT(F_SEMCOUNT);
            } else {
                snapshot_free(&a);
                snapshot_free(&b);
                continue;
            }
            struct snapshot_diff d;
            assert_int_equal(snapshot_diff(&a, &b, &d), 0);
            const struct obj_diff *od = &d.cls[cls].cur[0];
            if (od->state == OBJ_SAME)
                fail_msg("%s: a change of field %zu went unseen", kind->name, f);
            if (od->state == OBJ_CHANGED && od->changed != expect)
                fail_msg("%s: field %zu changed %#llx, expected %#llx", kind->name, f,
                         (unsigned long long)od->changed, (unsigned long long)expect);
            snapshot_diff_free(&d);
            snapshot_free(&a);
            snapshot_free(&b);
        }
    }
}

/* Fields the collector did not read (no view wanted them) are no change when they come
 * back or go; everything else still is. */
static void test_unasked_fields_are_no_change(void **state)
{
    (void)state;
    const uint64_t mem = FBIT(F_RSS) | FBIT(F_SWAP);
    for (int way = 0; way < 2; way++) {
        struct snapshot a, b;
        snapshot_init(&a);
        snapshot_init(&b);
        struct shm_segment *ga = add_shm(&a, 42), *gb = add_shm(&b, 42);
        /* way 0: not read in the earlier snapshot, read in the later; way 1: the reverse */
        struct snapshot *lean = way ? &b : &a;
        struct shm_segment *gl = way ? gb : ga;
        gl->c.valid &= ~mem;
        gl->rss = gl->swap = 0;
        lean->unasked[IPC_SHM] = mem;
        struct snapshot_diff d;
        assert_int_equal(snapshot_diff(&a, &b, &d), 0);
        assert_int_equal(d.cls[IPC_SHM].cur[0].state, OBJ_SAME);
        snapshot_diff_free(&d);
        /* a change of another field is still one */
        gb->nattch = 7;
        assert_int_equal(snapshot_diff(&a, &b, &d), 0);
        assert_int_equal(d.cls[IPC_SHM].cur[0].changed, FBIT(F_NATTCH));
        snapshot_diff_free(&d);
        /* a field that became unknown without being unasked is a change */
        gb->nattch = ga->nattch;
        gb->c.valid &= ~FBIT(F_LPID);
        assert_int_equal(snapshot_diff(&a, &b, &d), 0);
        assert_int_equal(d.cls[IPC_SHM].cur[0].changed, FBIT(F_LPID));
        snapshot_diff_free(&d);
        /* unasked in another kind says nothing about this one */
        lean->unasked[IPC_SHM] = 0;
        lean->unasked[IPC_MSG] = mem;
        gb->c.valid |= FBIT(F_LPID);
        assert_int_equal(snapshot_diff(&a, &b, &d), 0);
        assert_int_equal(d.cls[IPC_SHM].cur[0].changed, mem);
        snapshot_diff_free(&d);
        snapshot_free(&a);
        snapshot_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_first_snapshot_marks_nothing),
        cmocka_unit_test(test_new_gone_changed),
        cmocka_unit_test(test_shm_fields),
        cmocka_unit_test(test_shm_recreated),
        cmocka_unit_test(test_shm_marked_for_destruction),
        cmocka_unit_test(test_sem_fields),
        cmocka_unit_test(test_sem_elements_located_per_snapshot),
        cmocka_unit_test(test_msg_fields),
        cmocka_unit_test(test_unknown_in_both_not_compared),
        cmocka_unit_test(test_unknown_in_one_not_compared_by_value),
        cmocka_unit_test(test_sem_elements_unknown),
        cmocka_unit_test(test_msg_rates),
        cmocka_unit_test(test_every_field_seen_past_the_quick_path),
        cmocka_unit_test(test_unasked_fields_are_no_change),
        cmocka_unit_test(test_diff_96000_objects_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
