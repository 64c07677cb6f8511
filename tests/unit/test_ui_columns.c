/*
 * ui/columns.c: a cell of an unknown value reads "?" (a rate "-"), never a made-up 0;
 * known values as people read them; the queue fill bar; column_find by name and title;
 * the tables themselves (unique names, sane widths, KEY and ID first).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "columns.h"
#include "layout.h"
#include "model.h"
#include "snapshot.h"
#include "users.h"

#define NOW 1700001000

struct fx {
    struct snapshot prev, cur;
    struct snapshot_diff d;
    struct users *users;
    struct col_ctx cx;
};

/* One object of each class in two refreshes; the current one has only the bits `valid`. */
static struct fx *fx_new(uint64_t valid)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snapshot_init(&f->prev);
    snapshot_init(&f->cur);
    f->prev.wall = NOW - 1;
    f->prev.monotonic = 10;
    f->cur.wall = NOW;
    f->cur.monotonic = 11;
    struct snapshot *ss[2] = {&f->prev, &f->cur};
    for (int k = 0; k < 2; k++) {
        uint64_t v = k ? valid : ~UINT64_C(0);
        struct shm_segment *g = snapshot_add_shm(ss[k]);
        g->c = (struct ipc_common){
            .valid = v, .id = 7, .key = 0xabcd, .mode = 0640, .ctime = NOW - 90};
        g->size = 4096;
        g->nattch = 2;
        g->cpid = 100;
        g->lpid = 101;
        g->atime = NOW - 5;
        struct sem_set *set = snapshot_add_sem(ss[k], 2);
        set->c = (struct ipc_common){
            .valid = v, .id = 7, .key = 0xabcd, .mode = 0600, .ctime = NOW - 90};
        set->nsems = 2;
        sem_elements(ss[k], set)[0].ncount = 1;
        sem_elements(ss[k], set)[1].zcount = 2;
        struct msg_queue *q = snapshot_add_msg(ss[k]);
        q->c = (struct ipc_common){
            .valid = v, .id = 7, .key = 0xabcd, .mode = 0600, .ctime = NOW - 90};
        q->msgs = k ? 5u : 1u;
        q->usedbytes = k ? 500u : 100u;
        q->qbytes = 1000;
    }
    assert_int_equal(snapshot_diff(&f->prev, &f->cur, &f->d), 0);
    f->users = users_new();
    f->cx = (struct col_ctx){.diff = &f->d, .users = f->users, .now = NOW};
    return f;
}

static void fx_free(struct fx *f)
{
    snapshot_diff_free(&f->d);
    snapshot_free(&f->prev);
    snapshot_free(&f->cur);
    users_free(f->users);
    free(f);
}

static struct row row_of(struct fx *f, enum ipc_class cls)
{
    return (struct row){.snap = &f->cur,
                        .cls = cls,
                        .idx = 0,
                        .key = snapshot_key(&f->cur, cls, 0),
                        .state = f->d.cls[cls].cur[0].state,
                        .changed = f->d.cls[cls].cur[0].changed};
}

/* The cell of row r (of its kind) in the column called name. */
static void cell_of(const struct col_ctx *cx, const struct row *r, const char *name, char *cell,
                    size_t len)
{
    size_t n;
    const struct column *cols = columns_of(r->cls, &n);
    column_format(&cols[column_find(r->cls, name)], cx, r, cell, len);
}

static bool is_rate(const struct column *c)
{
    return c->kind == CK_RATE || c->kind == CK_BYTERATE;
}

/* Only the id known: every other cell says so. */
static void test_unknown_is_not_zero(void **state)
{
    (void)state;
    struct fx *f = fx_new(FBIT(F_ID));
    char bad[2048] = "";
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        struct row r = row_of(f, (enum ipc_class)c);
        for (size_t i = 0; i < n; i++) {
            /* STATE and CHANGED say what the diff found, not a field's value */
            if (strcmp(cols[i].name, "id") == 0 || strcmp(cols[i].name, "state") == 0 ||
                strcmp(cols[i].name, "changed") == 0)
                continue;
            char cell[256];
            column_format(&cols[i], &f->cx, &r, cell, sizeof cell);
            /* rates, and the leak verdict, say "-" when they cannot be told */
            const char *want = is_rate(&cols[i]) || strcmp(cols[i].name, "leak") == 0 ? "-" : "?";
            /* a cell may decorate "?" (a bar, a mark) but must not show a number */
            bool ok =
                strcmp(cell, want) == 0 || (strchr(cell, '?') && !strpbrk(cell, "0123456789"));
            if (!ok)
                snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s.%s='%s'",
                         ipc_class_name((enum ipc_class)c), cols[i].name, cell);
        }
    }
    if (bad[0]) fail_msg("cells of unknown values that do not say so:%s", bad);
    fx_free(f);
}

/* Nothing at all known about the rate's other refresh: "-". */
static void test_rates_unknown(void **state)
{
    (void)state;
    struct fx *f = fx_new(~UINT64_C(0));
    size_t n;
    const struct column *cols = columns_of(IPC_MSG, &n);
    struct row r = row_of(f, IPC_MSG);
    int m = column_find(IPC_MSG, "msgrate"), b = column_find(IPC_MSG, "byterate");
    assert_true(m >= 0 && b >= 0);
    char cell[64];
    column_format(&cols[m], &f->cx, &r, cell, sizeof cell);
    assert_non_null(strstr(cell, "4")); /* 1 -> 5 messages in 1 s */
    column_format(&cols[b], &f->cx, &r, cell, sizeof cell);
    assert_non_null(strstr(cell, "400"));
    /* no previous refresh */
    struct col_ctx no_diff = f->cx;
    no_diff.diff = NULL;
    column_format(&cols[m], &no_diff, &r, cell, sizeof cell);
    assert_string_equal(cell, "-");
    column_format(&cols[b], &no_diff, &r, cell, sizeof cell);
    assert_string_equal(cell, "-");
    /* a gone row has no rate */
    struct row gone = r;
    gone.state = OBJ_GONE;
    column_format(&cols[m], &f->cx, &gone, cell, sizeof cell);
    assert_string_equal(cell, "-");
    fx_free(f);
}

static void test_known_values(void **state)
{
    (void)state;
    struct fx *f = fx_new(~UINT64_C(0));
    char cell[256];
    struct row r = row_of(f, IPC_SHM);
    cell_of(&f->cx, &r, "key", cell, sizeof cell);
    assert_string_equal(cell, "0x0000abcd");
    cell_of(&f->cx, &r, "id", cell, sizeof cell);
    assert_string_equal(cell, "7");
    cell_of(&f->cx, &r, "perms", cell, sizeof cell);
    assert_string_equal(cell, "640");
    cell_of(&f->cx, &r, "size", cell, sizeof cell);
    assert_string_equal(cell, "4K");
    struct col_ctx bytes = f->cx;
    bytes.bytes = true;
    cell_of(&bytes, &r, "size", cell, sizeof cell);
    assert_string_equal(cell, "4096");
    cell_of(&f->cx, &r, "nattch", cell, sizeof cell);
    assert_string_equal(cell, "2");
    cell_of(&f->cx, &r, "owner", cell, sizeof cell);
    assert_string_equal(cell, "root");
    cell_of(&f->cx, &r, "age", cell, sizeof cell);
    assert_non_null(strstr(cell, "1m")); /* 90 s */
    /* a time of 0 is "never", shown as "-", not 1970 */
    SNAP_SHM(&f->cur)[0].atime = 0;
    cell_of(&f->cx, &r, "atime", cell, sizeof cell);
    assert_string_equal(cell, "-");

    struct row s = row_of(f, IPC_SEM);
    cell_of(&f->cx, &s, "waiters", cell, sizeof cell);
    assert_string_equal(cell, "3");
    cell_of(&f->cx, &s, "ncount", cell, sizeof cell);
    assert_string_equal(cell, "1");
    cell_of(&f->cx, &s, "zcount", cell, sizeof cell);
    assert_string_equal(cell, "2");

    struct row q = row_of(f, IPC_MSG);
    cell_of(&f->cx, &q, "fill", cell, sizeof cell);
    assert_non_null(strstr(cell, "50%"));
    cell_of(&f->cx, &q, "msgs", cell, sizeof cell);
    assert_string_equal(cell, "5");
    fx_free(f);
}

/* The columns batch frames had of their own, now in the catalog: STATE, CHANGED, the lists of
 * users, VALUES; and what text output (cx.plain) says that the screens draw. */
static void test_batch_cells(void **state)
{
    (void)state;
    struct fx *f = fx_new(~UINT64_C(0));
    char cell[256];
    size_t n;
    /* the queue went from 1 to 5 messages: changed, with the fields that did */
    struct row q = row_of(f, IPC_MSG);
    cell_of(&f->cx, &q, "state", cell, sizeof cell);
    assert_string_equal(cell, "chg");
    cell_of(&f->cx, &q, "changed", cell, sizeof cell);
    assert_string_equal(cell, "msgs,usedbytes");
    /* the same segment: no state word, nothing changed */
    struct row r = row_of(f, IPC_SHM);
    const struct column *sc = columns_of(IPC_SHM, &n);
    cell_of(&f->cx, &r, "state", cell, sizeof cell);
    assert_string_equal(cell, "");
    cell_of(&f->cx, &r, "changed", cell, sizeof cell);
    assert_string_equal(cell, "");
    /* a gone row says gone; its users are "-" (no longer anyone's) */
    struct row gone = r;
    gone.snap = &f->prev;
    gone.state = OBJ_GONE;
    cell_of(&f->cx, &gone, "state", cell, sizeof cell);
    assert_string_equal(cell, "gone");
    struct who w;
    memset(&w, 0, sizeof w);
    struct col_ctx with_who = f->cx;
    with_who.who = &w;
    cell_of(&with_who, &gone, "attachers", cell, sizeof cell);
    assert_string_equal(cell, "-");
    /* a current row with an empty join: nobody; without one: unknown */
    cell_of(&with_who, &r, "attachers", cell, sizeof cell);
    assert_string_equal(cell, "");
    cell_of(&f->cx, &r, "attachers", cell, sizeof cell);
    assert_string_equal(cell, "?");
    struct row s = row_of(f, IPC_SEM);
    cell_of(&with_who, &s, "waiting", cell, sizeof cell);
    assert_string_equal(cell, "");
    cell_of(&f->cx, &s, "values", cell, sizeof cell);
    assert_string_equal(cell, "0,0");

    /* text output: a fill is its percentage (the screens draw a bar around it), and a pid
     * whose process is gone says so (the screens colour it): a process table without 100 */
    f->cur.procs.ok = true;
    struct col_ctx plain = f->cx;
    plain.plain = true;
    cell_of(&plain, &q, "fill", cell, sizeof cell);
    assert_string_equal(cell, "50%");
    cell_of(&f->cx, &q, "fill", cell, sizeof cell);
    assert_string_equal(cell, "[|||   ] 50%");
    cell_of(&plain, &r, "cpid", cell, sizeof cell);
    assert_string_equal(cell, "100(dead)");
    cell_of(&f->cx, &r, "cpid", cell, sizeof cell);
    assert_string_equal(cell, "100");
    /* ... and sorts by the pid in both */
    struct col_sort_key k;
    column_sort_key(&sc[column_find(IPC_SHM, "cpid")], &plain, &r, &k);
    assert_true(k.known);
    assert_int_equal(k.v, 100);
    fx_free(f);
}

/* ---- the fill bar ----------------------------------------------------------------------- */

static void bar(uint64_t used, uint64_t limit, int width, const char *want)
{
    char buf[128];
    memset(buf, 'X', sizeof buf);
    format_fill_bar(buf, sizeof buf, used, limit, width, false);
    if (strcmp(buf, want))
        fail_msg("bar(%llu/%llu, %d) = '%s', expected '%s'", (unsigned long long)used,
                 (unsigned long long)limit, width, buf, want);
}

static void test_fill_bar(void **state)
{
    (void)state;
    bar(0, 100, 12, "[      ]  0%");
    bar(50, 100, 12, "[|||   ] 50%");
    bar(100, 100, 12, "[||||||]100%");
    bar(1, 100, 12, "[|     ]  1%"); /* a little is not nothing */
    bar(99, 100, 12, "[||||||] 99%");
    bar(250, 100, 12, "[||||||]100%"); /* over the limit: full, not more */
    bar(5, 0, 12, "[      ]  0%");     /* no limit known */
    bar(50, 100, 7, "[|] 50%");
    bar(50, 100, 6, "50%"); /* no room for a bar */
    bar(50, 100, 1, "50%");
    bar(UINT64_C(1) << 30, UINT64_C(1) << 31, 12, "[|||   ] 50%"); /* msgmnb can reach 2 GiB */
    /* the width asked is the width given, for every width and fill */
    for (int w = 7; w <= 60; w++)
        for (uint64_t u = 0; u <= 120; u += 7) {
            char buf[128];
            format_fill_bar(buf, sizeof buf, u, 100, w, false);
            if ((int)strlen(buf) != w)
                fail_msg("bar of width %d is '%s' (%zu)", w, buf, strlen(buf));
        }
    /* a small buffer is never overrun */
    char small[5];
    format_fill_bar(small, sizeof small, 50, 100, 12, false);
    assert_true(strlen(small) < sizeof small);
}

/* ---- finding columns, and the tables ------------------------------------------------------ */

static void test_column_find(void **state)
{
    (void)state;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(column_find((enum ipc_class)c, cols[i].name), (int)i);
            assert_int_equal(column_find((enum ipc_class)c, cols[i].title), (int)i);
            char upper[64];
            snprintf(upper, sizeof upper, "%s", cols[i].name);
            for (char *p = upper; *p; p++) *p = (char)toupper((unsigned char)*p);
            assert_int_equal(column_find((enum ipc_class)c, upper), (int)i);
        }
        assert_int_equal(column_find((enum ipc_class)c, "nosuchcolumn"), -1);
        assert_int_equal(column_find((enum ipc_class)c, ""), -1);
        assert_int_equal(column_find((enum ipc_class)c, "ke"), -1); /* no prefixes */
    }
    assert_int_equal(column_find(IPC_SHM, "Size"), column_find(IPC_SHM, "SIZE"));
    assert_int_equal(column_find(IPC_SEM, "size"), -1);
    assert_int_equal(column_find(IPC_MSG, "MSG/S"), column_find(IPC_MSG, "msgrate"));
}

static void test_tables(void **state)
{
    (void)state;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        assert_true(n >= 5 && n <= LAYOUT_MAX_COLS);
        assert_string_equal(cols[0].name, "key");
        assert_string_equal(cols[1].name, "id");
        assert_int_equal(cols[0].priority, 0);
        assert_int_equal(cols[1].priority, 0);
        assert_true(column_find((enum ipc_class)c, "owner") >= 0);
        for (size_t i = 0; i < n; i++) {
            const struct column *k = &cols[i];
            if (k->min_width < 1 || k->min_width > k->width)
                fail_msg("%s: widths %d..%d", k->title, k->min_width, k->width);
            if ((int)strlen(k->title) > k->width)
                fail_msg("%s: title wider than the column (%d)", k->title, k->width);
            if (k->kind == CK_TEXT ? !k->text : !k->value)
                fail_msg("%s: nothing to format it", k->title);
            for (const char *p = k->name; *p; p++)
                if (!islower((unsigned char)*p))
                    fail_msg("name '%s' is not lower-case letters", k->name);
            for (size_t j = i + 1; j < n; j++) {
                if (!strcasecmp(k->name, cols[j].name) || !strcasecmp(k->title, cols[j].title) ||
                    !strcasecmp(k->name, cols[j].title) || !strcasecmp(k->title, cols[j].name))
                    fail_msg("%s: columns %s and %s share a name",
                             ipc_class_name((enum ipc_class)c), k->title, cols[j].title);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_is_not_zero), cmocka_unit_test(test_rates_unknown),
        cmocka_unit_test(test_known_values),        cmocka_unit_test(test_fill_bar),
        cmocka_unit_test(test_column_find),         cmocka_unit_test(test_tables),
        cmocka_unit_test(test_batch_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
