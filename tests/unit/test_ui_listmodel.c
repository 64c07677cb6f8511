/*
 * ui/listmodel.c with made-up snapshots (records built by hand, diffed by snapshot_diff):
 * rebuild, sort by every column both ways with unknown values last, filter, search that
 * wraps, a selection that follows its object across re-sorting and removals (falling to
 * the row at the same place), gone rows shown once, tags, moving and scrolling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "columns.h"
#include "listmodel.h"
#include "model.h"
#include "snapshot.h"
#include "tracker.h"
#include "users.h"

#define NOW         1700001000
#define UNKNOWN_UID 4242420u /* no passwd entry: shown as its number */

static const uint64_t COMMON = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) |
                               FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);
static const uint64_t SHM_BITS = FBIT(F_SIZE) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_NATTCH) |
                                 FBIT(F_ATIME) | FBIT(F_DTIME) | FBIT(F_RSS) | FBIT(F_SWAP);
static const uint64_t SEM_BITS =
    FBIT(F_NSEMS) | FBIT(F_OTIME) | FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
static const uint64_t MSG_BITS = FBIT(F_MSGS) | FBIT(F_USEDBYTES) | FBIT(F_QBYTES) | FBIT(F_LSPID) |
                                 FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME);

/* ---- records ------------------------------------------------------------------------- */

static void common(struct ipc_common *c, int32_t id, uint32_t key, uint32_t uid, uint64_t valid)
{
    c->valid = valid;
    c->id = id;
    c->key = key;
    c->uid = uid;
    c->cuid = 0;
    c->gid = c->cgid = 0;
    c->mode = 0600 | (uint32_t)(id % 3) * 040;
    c->ctime = NOW - 1000 + id;
}

/* A segment whose numbers all differ from one id to the next (in other orders than ids). */
static struct shm_segment *add_shm(struct snapshot *s, int32_t id, uint64_t valid)
{
    struct shm_segment *g = snapshot_add_shm(s);
    assert_non_null(g);
    common(&g->c, id, 0x5e000000u + (uint32_t)((id * 7) % 11), id % 2 ? 0 : UNKNOWN_UID, valid);
    g->size = 4096u * (uint64_t)((id * 5) % 9 + 1);
    g->nattch = (uint64_t)((id * 3) % 4);
    g->rss = 4096u * (uint64_t)((id * 2) % 5);
    g->swap = 4096u * (uint64_t)(id % 3);
    g->cpid = 1000 + (id * 13) % 17;
    g->lpid = 2000 + (id * 11) % 7;
    g->atime = NOW - (id * 17) % 23;
    g->dtime = NOW - (id * 19) % 29;
    return g;
}

static struct sem_set *add_sem(struct snapshot *s, int32_t id, uint32_t nsems, uint64_t valid)
{
    struct sem_set *set = snapshot_add_sem(s, nsems);
    assert_non_null(set);
    common(&set->c, id, 0x5e500000u + (uint32_t)((id * 7) % 11), id % 2 ? 0 : UNKNOWN_UID, valid);
    set->nsems = nsems;
    set->otime = NOW - (id * 5) % 13;
    struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < nsems; i++) {
        e[i].value = (int32_t)((id + (int32_t)i) % 3);
        e[i].ncount = (int32_t)((id * 3 + (int32_t)i) % 4);
        e[i].zcount = (int32_t)((id + 2 * (int32_t)i) % 3);
        e[i].pid = 3000 + id;
    }
    return set;
}

static struct msg_queue *add_msg(struct snapshot *s, int32_t id, uint64_t msgs, uint64_t valid)
{
    struct msg_queue *q = snapshot_add_msg(s);
    assert_non_null(q);
    common(&q->c, id, 0x5e900000u + (uint32_t)((id * 7) % 11), id % 2 ? 0 : UNKNOWN_UID, valid);
    q->msgs = msgs;
    q->usedbytes = msgs * 100;
    q->qbytes = 16384;
    q->lspid = 4000 + (id * 5) % 7;
    q->lrpid = 5000 + (id * 3) % 5;
    q->stime = NOW - (id * 3) % 11;
    q->rtime = NOW - (id * 7) % 13;
    return q;
}

/* ---- a list over two snapshots ------------------------------------------------------- */

struct fx {
    struct snapshot s[4]; /* successive refreshes */
    struct snapshot_diff d;
    bool have_diff;
    struct users *users;
    struct tracker t;
    struct list_model m;
    struct col_ctx cx;
};

static struct fx *fx_new(enum ipc_class cls)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < 4; i++) {
        snapshot_init(&f->s[i]);
        f->s[i].wall = NOW - 3 + i;
        f->s[i].ipc_ns = UINT64_C(4026532300); /* a private namespace, as in the tests */
        f->s[i].monotonic = 100 + i;
    }
    f->users = users_new();
    assert_non_null(f->users);
    tracker_init(&f->t);
    list_init(&f->m, cls);
    return f;
}

static void fx_free(struct fx *f)
{
    if (f->have_diff) snapshot_diff_free(&f->d);
    for (int i = 0; i < 4; i++) snapshot_free(&f->s[i]);
    list_free(&f->m);
    tracker_free(&f->t);
    users_free(f->users);
    free(f);
}

/* Rebuilds the list from refresh cur (diffed against prev, -1 for none). */
static void fx_refresh(struct fx *f, int prev, int cur)
{
    if (f->have_diff) snapshot_diff_free(&f->d);
    snapshot_sort(&f->s[cur]);
    assert_int_equal(snapshot_diff(prev >= 0 ? &f->s[prev] : NULL, &f->s[cur], &f->d), 0);
    f->have_diff = true;
    assert_true(tracker_update(&f->t, &f->d, cur + 1));
    f->cx = (struct col_ctx){.diff = &f->d, .users = f->users, .now = NOW};
    assert_true(list_rebuild(&f->m, &f->d, &f->cx, &f->t));
}

static int32_t sel_id(const struct fx *f)
{
    const struct row *r = list_selected(&f->m);
    assert_non_null(r);
    return r->key.id;
}

/* The key of object id of the list's kind, as the collector names it in these snapshots. */
static struct obj_key obj_of(const struct fx *f, int32_t id)
{
    return (struct obj_key){.ns = f->s[0].ipc_ns, .id = id, .kind = f->m.cls};
}

static bool tagged(const struct fx *f, int32_t id)
{
    struct obj_key k = obj_of(f, id);
    return list_is_tagged(&f->m, &k);
}

static void toggle(struct fx *f, int32_t id)
{
    struct obj_key k = obj_of(f, id);
    list_toggle_tag(&f->m, &k);
}

static void ids_are(const struct fx *f, const int32_t *want, size_t n)
{
    char got[256] = "", exp[256] = "";
    for (size_t i = 0; i < f->m.n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), " %d", f->m.rows[i].key.id);
    for (size_t i = 0; i < n; i++)
        snprintf(exp + strlen(exp), sizeof exp - strlen(exp), " %d", want[i]);
    if (strcmp(got, exp)) fail_msg("rows:%s, expected:%s", got, exp);
}
#define IDS(f, ...)                                                                                \
    do {                                                                                           \
        const int32_t want_[] = {__VA_ARGS__};                                                     \
        ids_are(f, want_, sizeof want_ / sizeof want_[0]);                                         \
    } while (0)

/* ---- rebuild ------------------------------------------------------------------------- */

static void test_rebuild(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 5; id >= 1; id--) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    assert_int_equal(f->m.n, 5);
    assert_int_equal(f->m.total, 5);
    IDS(f, 1, 2, 3, 4, 5); /* by id, the default */
    for (size_t i = 0; i < f->m.n; i++) {
        assert_int_not_equal(f->m.rows[i].state, OBJ_GONE);
        assert_ptr_equal(f->m.rows[i].snap, &f->s[0]);
        assert_int_equal(row_common(&f->m.rows[i], IPC_SHM)->id, f->m.rows[i].key.id);
    }
    assert_int_equal(sel_id(f), 1);

    /* other classes do not leak in */
    struct fx *g = fx_new(IPC_SEM);
    add_shm(&g->s[0], 1, COMMON | SHM_BITS);
    add_sem(&g->s[0], 7, 2, COMMON | SEM_BITS);
    add_msg(&g->s[0], 9, 1, COMMON | MSG_BITS);
    fx_refresh(g, -1, 0);
    IDS(g, 7);
    fx_free(g);

    /* an empty snapshot: no rows, no selection, no crash moving around */
    struct fx *e = fx_new(IPC_MSG);
    fx_refresh(e, -1, 0);
    assert_int_equal(e->m.n, 0);
    assert_null(list_selected(&e->m));
    list_move(&e->m, 3, 10);
    list_select(&e->m, 4, 10);
    list_scroll(&e->m, 2, 10);
    assert_false(list_search_next(&e->m, &e->cx, "1", 10));
    assert_null(list_selected(&e->m));
    fx_free(e);
    fx_free(f);
}

/* ---- sorting ------------------------------------------------------------------------- */

/* The value a column sorts by: false when unknown. Text columns without a value sort by
 * their text, "?" being unknown. */
static bool key_of(const struct column *c, const struct col_ctx *cx, const struct row *r,
                   int64_t *v, char *text, size_t len)
{
    text[0] = '\0';
    *v = 0;
    if (c->kind == CK_TEXT && !c->value) {
        c->text(cx, r, text, len);
        return strcmp(text, "?") != 0;
    }
    return c->value(cx, r, v);
}

static void check_sorted(const struct fx *f, const struct column *c, bool desc)
{
    for (size_t i = 0; i + 1 < f->m.n; i++) {
        const struct row *a = &f->m.rows[i], *b = &f->m.rows[i + 1];
        int64_t va, vb;
        char ta[128], tb[128];
        bool ka = key_of(c, &f->cx, a, &va, ta, sizeof ta),
             kb = key_of(c, &f->cx, b, &vb, tb, sizeof tb);
        if (!ka && kb)
            fail_msg("%s %s: unknown row %d before known row %d", c->title, desc ? "desc" : "asc",
                     a->key.id, b->key.id);
        if (!ka || !kb) continue;
        int cmp = c->kind == CK_TEXT && !c->value ? strcmp(ta, tb) : (va > vb) - (va < vb);
        if (desc) cmp = -cmp;
        if (cmp > 0)
            fail_msg("%s %s: row %d ('%s' %lld) before row %d ('%s' %lld)", c->title,
                     desc ? "desc" : "asc", a->key.id, ta, (long long)va, b->key.id, tb,
                     (long long)vb);
        if (cmp == 0 && a->key.id > b->key.id)
            fail_msg("%s %s: equal values, but id %d before id %d", c->title, desc ? "desc" : "asc",
                     a->key.id, b->key.id);
    }
}

/* For every column of a class: sorted both ways, unknowns last; the fully-unknown row
 * (only its id known) is the last row whatever the column, but for ID. */
static void sort_every_column(struct fx *f, enum ipc_class cls, int32_t unknown_id)
{
    size_t n;
    const struct column *cols = columns_of(cls, &n);
    for (size_t c = 0; c < n; c++) {
        for (int desc = 0; desc <= 1; desc++) {
            f->m.sort_col = (int)c;
            f->m.descending = desc;
            list_rebuild(&f->m, &f->d, &f->cx, &f->t);
            assert_int_equal(f->m.sort_col, (int)c);
            check_sorted(f, &cols[c], desc);
            if (strcmp(cols[c].name, "id") == 0) continue;
            /* rebuilding sorts the same way */
            assert_true(list_rebuild(&f->m, &f->d, &f->cx, &f->t));
            check_sorted(f, &cols[c], desc);
            int64_t v;
            char t[128];
            const struct row *last = &f->m.rows[f->m.n - 1];
            bool known = key_of(&cols[c], &f->cx, last, &v, t, sizeof t);
            for (size_t i = 0; i < f->m.n; i++) {
                if (f->m.rows[i].key.id != unknown_id) continue;
                bool k = key_of(&cols[c], &f->cx, &f->m.rows[i], &v, t, sizeof t);
                if (!k && known)
                    fail_msg("%s %s: the unknown row %d is not last", cols[c].title,
                             desc ? "desc" : "asc", unknown_id);
            }
        }
    }
}

/* Rows already in order are left as they are, without a sort: every position where one pair
 * is out of order must still be sorted, by a numeric and by a text column, both ways. */
static void test_sort_when_nearly_sorted(void **state)
{
    (void)state;
    const char *const by[] = {"id", "size", "owner"};
    for (int n = 1; n <= 9; n++)
        for (int swap = -1; swap < n - 1; swap++)
            for (size_t b = 0; b < sizeof by / sizeof by[0]; b++)
                for (int desc = 0; desc <= 1; desc++) {
                    struct fx *f = fx_new(IPC_SHM);
                    /* ids 1..n; sizes and owners follow the ids but for one swapped pair */
                    for (int32_t id = 1; id <= n; id++) {
                        struct shm_segment *g = add_shm(&f->s[0], id, COMMON | SHM_BITS);
                        int32_t rank = id - 1 == swap ? id + 1 : id - 2 == swap ? id - 1 : id;
                        g->size = (uint64_t)rank * 4096;
                        g->c.uid = 1000 + (uint32_t)rank;
                    }
                    f->m.sort_col = column_find(IPC_SHM, by[b]);
                    f->m.descending = desc;
                    fx_refresh(f, -1, 0);
                    check_sorted(f, &columns_of(IPC_SHM, &(size_t){0})[f->m.sort_col], desc);
                    assert_int_equal(f->m.n, n);
                    fx_free(f);
                }
}

static void test_sort_shm(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 9; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    add_shm(&f->s[0], 20, FBIT(F_ID));                              /* nothing known but its id */
    add_shm(&f->s[0], 21, FBIT(F_ID) | FBIT(F_KEY) | FBIT(F_SIZE)); /* partly known */
    fx_refresh(f, -1, 0);
    sort_every_column(f, IPC_SHM, 20);

    /* concrete orders */
    f->m.sort_col = column_find(IPC_SHM, "size");
    f->m.descending = false;
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    for (size_t i = 0; i + 1 < f->m.n; i++) {
        const struct shm_segment *a = row_shm(&f->m.rows[i]), *b = row_shm(&f->m.rows[i + 1]);
        if ((b->c.valid & FBIT(F_SIZE)) && (a->c.valid & FBIT(F_SIZE)))
            assert_true(a->size <= b->size);
    }
    assert_int_equal(f->m.rows[f->m.n - 1].key.id, 20);
    f->m.descending = true;
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.rows[f->m.n - 1].key.id, 20); /* unknown last both ways */
    assert_true(row_shm(&f->m.rows[0])->size >= row_shm(&f->m.rows[1])->size);
    fx_free(f);
}

static void test_sort_sem(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SEM);
    for (int32_t id = 1; id <= 9; id++)
        add_sem(&f->s[0], id, (uint32_t)(id % 4 + 1), COMMON | SEM_BITS);
    add_sem(&f->s[0], 20, 2, FBIT(F_ID));
    add_sem(&f->s[0], 21, 3, FBIT(F_ID) | FBIT(F_NSEMS) | FBIT(F_KEY));
    fx_refresh(f, -1, 0);
    sort_every_column(f, IPC_SEM, 20);
    fx_free(f);
}

static void test_sort_msg(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_MSG);
    /* two refreshes, so that the rate columns have values */
    for (int32_t id = 1; id <= 9; id++) {
        add_msg(&f->s[0], id, (uint64_t)(id % 5), COMMON | MSG_BITS);
        add_msg(&f->s[1], id, (uint64_t)((id * 7) % 6), COMMON | MSG_BITS);
    }
    add_msg(&f->s[1], 20, 3, FBIT(F_ID)); /* new: no rate, nothing known */
    add_msg(&f->s[1], 21, 2, FBIT(F_ID) | FBIT(F_KEY) | FBIT(F_MSGS));
    fx_refresh(f, -1, 0);
    fx_refresh(f, 0, 1);
    sort_every_column(f, IPC_MSG, 20);

    /* MSG/S: (new - old) / 1 s */
    f->m.sort_col = column_find(IPC_MSG, "msgrate");
    f->m.descending = true;
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    int64_t v;
    assert_true(columns_of(IPC_MSG, &(size_t){0})[f->m.sort_col].value(&f->cx, &f->m.rows[0], &v));
    int32_t top = f->m.rows[0].key.id;
    assert_int_equal(v, (int64_t)((((top * 7) % 6) - (top % 5)) * 1000));
    fx_free(f);
}

/* ---- filter and search ----------------------------------------------------------------- */

static void test_filter(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 9; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    char key3[16];
    snprintf(key3, sizeof key3, "%08x", row_shm(&f->m.rows[2])->c.key);

    /* by the key's hex digits (with or without 0x), case-insensitive */
    snprintf(f->m.filter, sizeof f->m.filter, "%s", key3);
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.total, 9);
    assert_int_equal(f->m.n, 1); /* the keys differ in their last digit */
    assert_int_equal(f->m.rows[0].key.id, 3);
    snprintf(f->m.filter, sizeof f->m.filter, "0X%s", key3);
    for (char *p = f->m.filter; *p; p++)
        if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 'a' + 'A');
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.n, 1);
    assert_int_equal(f->m.rows[0].key.id, 3);

    /* by owner name: the odd ids are root's */
    snprintf(f->m.filter, sizeof f->m.filter, "ROOT");
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    IDS(f, 1, 3, 5, 7, 9);
    /* by the number shown for an owner without a name */
    snprintf(f->m.filter, sizeof f->m.filter, "%u", UNKNOWN_UID);
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    IDS(f, 2, 4, 6, 8);
    /* by id */
    snprintf(f->m.filter, sizeof f->m.filter, "7");
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    bool has7 = false;
    for (size_t i = 0; i < f->m.n; i++) has7 |= f->m.rows[i].key.id == 7;
    assert_true(has7);
    /* nothing matches */
    snprintf(f->m.filter, sizeof f->m.filter, "zzz");
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.n, 0);
    assert_int_equal(f->m.total, 9);
    assert_null(list_selected(&f->m));
    /* empty: everything again */
    f->m.filter[0] = '\0';
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.n, 9);
    fx_free(f);
}

static void test_search_wraps(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 9; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    /* "root": ids 1 3 5 7 9; from the selection forward, then around */
    list_select(&f->m, 3, 5); /* id 4 */
    assert_true(list_search_next(&f->m, &f->cx, "root", 5));
    assert_int_equal(sel_id(f), 5);
    assert_true(list_search_next(&f->m, &f->cx, "root", 5));
    assert_int_equal(sel_id(f), 7);
    assert_true(list_search_next(&f->m, &f->cx, "root", 5));
    assert_int_equal(sel_id(f), 9);
    assert_true(list_search_next(&f->m, &f->cx, "root", 5));
    assert_int_equal(sel_id(f), 1); /* wrapped */
    assert_true(f->m.top <= f->m.sel && f->m.sel < f->m.top + 5);
    /* the only match is the selection itself: found again after a full turn */
    assert_true(list_search_next(&f->m, &f->cx, "ROOT", 5));
    assert_int_equal(sel_id(f), 3);
    /* no match: false, the selection stays */
    assert_false(list_search_next(&f->m, &f->cx, "nomatch", 5));
    assert_int_equal(sel_id(f), 3);
    assert_false(list_search_next(&f->m, &f->cx, "", 5));
    assert_int_equal(sel_id(f), 3);
    /* list_row_matches: key, id, owner */
    const struct row *r = list_selected(&f->m);
    char key[16];
    snprintf(key, sizeof key, "0x%08x", row_shm(r)->c.key);
    assert_true(list_row_matches(&f->m, &f->cx, r, key));
    assert_true(list_row_matches(&f->m, &f->cx, r, key + 2));
    assert_true(list_row_matches(&f->m, &f->cx, r, "3"));
    assert_true(list_row_matches(&f->m, &f->cx, r, "oo"));
    assert_false(list_row_matches(&f->m, &f->cx, r, "nomatch"));
    fx_free(f);
}

/* ---- selection ---------------------------------------------------------------------------- */

static void test_selection_follows_resort(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 9; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    list_select(&f->m, 5, 4); /* id 6 */
    assert_int_equal(sel_id(f), 6);
    size_t n;
    columns_of(IPC_SHM, &n);
    for (size_t c = 0; c < n; c++) {
        for (int desc = 0; desc <= 1; desc++) {
            f->m.sort_col = (int)c;
            f->m.descending = desc;
            list_rebuild(&f->m, &f->d, &f->cx, &f->t);
            if (sel_id(f) != 6)
                fail_msg("sorted by %s: the selection went to %d", columns_of(IPC_SHM, &n)[c].title,
                         sel_id(f));
            assert_true(f->m.top <= f->m.sel);
        }
    }
    /* and across refreshes with rows arriving before it */
    f->m.sort_col = column_find(IPC_SHM, "id");
    f->m.descending = false;
    for (int32_t id = 1; id <= 9; id++) add_shm(&f->s[1], id, COMMON | SHM_BITS);
    add_shm(&f->s[1], 0, COMMON | SHM_BITS);
    fx_refresh(f, 0, 1);
    assert_int_equal(f->m.n, 10);
    assert_int_equal(sel_id(f), 6);
    assert_int_equal(f->m.sel, 6);
    fx_free(f);
}

static void test_selection_when_removed(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 5; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    for (int32_t id = 1; id <= 5; id++)
        if (id != 3) add_shm(&f->s[1], id, COMMON | SHM_BITS);
    for (int32_t id = 1; id <= 5; id++)
        if (id != 3) add_shm(&f->s[2], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    list_select(&f->m, 2, 10);
    assert_int_equal(sel_id(f), 3);

    /* removed: shown once as gone, still selected */
    fx_refresh(f, 0, 1);
    IDS(f, 1, 2, 3, 4, 5);
    assert_int_equal(f->m.rows[2].state, OBJ_GONE);
    assert_ptr_equal(f->m.rows[2].snap, &f->s[0]);
    assert_int_equal(sel_id(f), 3);
    assert_int_equal(f->m.total, 5);
    /* then absent: the selection falls to the row now at the same place */
    fx_refresh(f, 1, 2);
    IDS(f, 1, 2, 4, 5);
    assert_int_equal(sel_id(f), 4);
    assert_int_equal(f->m.sel, 2);
    fx_free(f);

    /* the last row removed: the selection falls to the new last row */
    f = fx_new(IPC_SEM);
    for (int32_t id = 1; id <= 4; id++) add_sem(&f->s[0], id, 1, COMMON | SEM_BITS);
    for (int32_t id = 1; id <= 3; id++) add_sem(&f->s[1], id, 1, COMMON | SEM_BITS);
    for (int32_t id = 1; id <= 3; id++) add_sem(&f->s[2], id, 1, COMMON | SEM_BITS);
    fx_refresh(f, -1, 0);
    list_select(&f->m, 3, 2);
    assert_int_equal(sel_id(f), 4);
    fx_refresh(f, 0, 1);
    fx_refresh(f, 1, 2);
    IDS(f, 1, 2, 3);
    assert_int_equal(sel_id(f), 3);
    assert_true(f->m.top <= f->m.sel);
    fx_free(f);

    /* everything removed: no selection; then objects again: the first is selected */
    f = fx_new(IPC_MSG);
    add_msg(&f->s[0], 1, 0, COMMON | MSG_BITS);
    add_msg(&f->s[3], 8, 0, COMMON | MSG_BITS);
    add_msg(&f->s[3], 9, 0, COMMON | MSG_BITS);
    fx_refresh(f, -1, 0);
    fx_refresh(f, 0, 1);
    assert_int_equal(f->m.n, 1); /* the gone one */
    fx_refresh(f, 1, 2);
    assert_int_equal(f->m.n, 0);
    assert_null(list_selected(&f->m));
    fx_refresh(f, 2, 3);
    assert_int_equal(sel_id(f), 8);
    fx_free(f);
}

/* A recreated object with the id of a gone one (the kernel's sequence wrapped): two rows,
 * the new one current, the old one gone; the selection stays on the one it was on. */
static void test_gone_rows_once(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    add_shm(&f->s[0], 1, COMMON | SHM_BITS);
    add_shm(&f->s[0], 2, COMMON | SHM_BITS);
    add_shm(&f->s[1], 1, COMMON | SHM_BITS);
    add_shm(&f->s[2], 1, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    fx_refresh(f, 0, 1);
    size_t gone = 0;
    for (size_t i = 0; i < f->m.n; i++) gone += f->m.rows[i].state == OBJ_GONE;
    assert_int_equal(gone, 1);
    assert_int_equal(f->m.n, 2);
    fx_refresh(f, 1, 2);
    assert_int_equal(f->m.n, 1);
    assert_int_not_equal(f->m.rows[0].state, OBJ_GONE);

    /* same id, another object: a gone row and a new row */
    struct fx *g = fx_new(IPC_SHM);
    add_shm(&g->s[0], 4, COMMON | SHM_BITS);
    struct shm_segment *other = add_shm(&g->s[1], 4, COMMON | SHM_BITS);
    other->c.key ^= 0xffff; /* a key that cannot change: another object */
    fx_refresh(g, -1, 0);
    fx_refresh(g, 0, 1);
    assert_int_equal(g->m.n, 2);
    int states = 0;
    for (size_t i = 0; i < g->m.n; i++) states |= 1 << g->m.rows[i].state;
    assert_int_equal(states, (1 << OBJ_GONE) | (1 << OBJ_NEW));
    fx_free(g);
    fx_free(f);
}

/* ---- tags ------------------------------------------------------------------------------------ */

static void test_tags(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_SHM);
    for (int32_t id = 1; id <= 40; id++) add_shm(&f->s[0], id, COMMON | SHM_BITS);
    for (int32_t id = 1; id <= 40; id++)
        if (id != 7) add_shm(&f->s[1], id, COMMON | SHM_BITS);
    fx_refresh(f, -1, 0);
    assert_false(tagged(f, 7));
    /* many, in any order: kept sorted, found */
    for (int32_t id = 40; id >= 1; id -= 3) toggle(f, id);
    assert_int_equal(f->m.ntags, 14);
    for (int32_t id = 1; id <= 40; id++) assert_int_equal(tagged(f, id), (40 - id) % 3 == 0);
    /* toggle twice = untagged */
    toggle(f, 6);
    assert_true(tagged(f, 6));
    assert_int_equal(f->m.ntags, 15);
    toggle(f, 6);
    assert_false(tagged(f, 6));
    assert_int_equal(f->m.ntags, 14);
    assert_true(tagged(f, 7)); /* 40 - 7 = 33 */
    toggle(f, 8);
    /* a tag goes with its object */
    fx_refresh(f, 0, 1);
    assert_false(tagged(f, 7));
    assert_true(tagged(f, 8));
    /* U */
    list_untag_all(&f->m);
    assert_int_equal(f->m.ntags, 0);
    for (int32_t id = 1; id <= 40; id++) assert_false(tagged(f, id));
    /* tags survive sorting and filtering */
    toggle(f, 12);
    f->m.sort_col = column_find(IPC_SHM, "size");
    f->m.descending = true;
    snprintf(f->m.filter, sizeof f->m.filter, "zzz");
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_true(tagged(f, 12));
    /* the same id in another namespace or of another kind is another object */
    struct obj_key other = obj_of(f, 12);
    other.ns ^= 1;
    assert_false(list_is_tagged(&f->m, &other));
    other = obj_of(f, 12);
    other.kind = IPC_MSG;
    assert_false(list_is_tagged(&f->m, &other));
    /* tagging all: every shown row once (12 was tagged already), sorted */
    f->m.filter[0] = 0;
    list_rebuild(&f->m, &f->d, &f->cx, &f->t);
    assert_int_equal(f->m.n, 40); /* 39 and the gone 7, which cannot be tagged */
    assert_int_equal(list_tag_all(&f->m), 39);
    assert_int_equal(list_tag_all(&f->m), 39);
    assert_false(tagged(f, 7));
    for (size_t i = 1; i < f->m.ntags; i++)
        assert_true(obj_key_cmp(&f->m.tags[i - 1], &f->m.tags[i]) < 0);
    fx_free(f);
}

/* ---- moving ---------------------------------------------------------------------------------- */

static void test_move_and_scroll(void **state)
{
    (void)state;
    struct fx *f = fx_new(IPC_MSG);
    for (int32_t id = 0; id < 50; id++) add_msg(&f->s[0], id, 1, COMMON | MSG_BITS);
    fx_refresh(f, -1, 0);
    const size_t h = 10;
    list_move(&f->m, 15, h);
    assert_int_equal(f->m.sel, 15);
    assert_int_equal(f->m.top, 6); /* as little scrolling as needed */
    list_move(&f->m, -3, h);
    assert_int_equal(f->m.sel, 12);
    assert_int_equal(f->m.top, 6);
    list_move(&f->m, -100, h);
    assert_int_equal(f->m.sel, 0);
    assert_int_equal(f->m.top, 0);
    list_move(&f->m, 1000, h);
    assert_int_equal(f->m.sel, 49);
    assert_int_equal(f->m.top, 40);
    list_select(&f->m, 1000, h);
    assert_int_equal(f->m.sel, 49);
    /* the wheel moves the window; the selection stays inside it */
    list_scroll(&f->m, -5, h);
    assert_int_equal(f->m.top, 35);
    assert_int_equal(f->m.sel, 44);
    list_scroll(&f->m, -100, h);
    assert_int_equal(f->m.top, 0);
    assert_int_equal(f->m.sel, 9);
    list_scroll(&f->m, 100, h);
    assert_int_equal(f->m.top, 40);
    assert_int_equal(f->m.sel, 40);
    /* a window taller than the list */
    list_select(&f->m, 3, 100);
    assert_int_equal(f->m.top, 0);
    assert_int_equal(sel_id(f), 3);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rebuild),
        cmocka_unit_test(test_sort_when_nearly_sorted),
        cmocka_unit_test(test_sort_shm),
        cmocka_unit_test(test_sort_sem),
        cmocka_unit_test(test_sort_msg),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_search_wraps),
        cmocka_unit_test(test_selection_follows_resort),
        cmocka_unit_test(test_selection_when_removed),
        cmocka_unit_test(test_gone_rows_once),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_move_and_scroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
