#include "listmodel.h"
#include "sorted.h"

#include "format.h"
#include "kind.h"
#include "leak.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void list_init(struct list_model *m, enum ipc_class cls)
{
    memset(m, 0, sizeof *m);
    m->cls = cls;
    m->sort_col = 1; /* ID */
}

void list_free(struct list_model *m)
{
    free(m->rows);
    free(m->tags);
    free(m->sort_scratch);
    memset(m, 0, sizeof *m);
}

/* A row with what it sorts by: the key is computed once per row, not once per comparison
 * (a LEAK or COMMAND value costs lookups; a sort of 32,000 rows compares ~500,000 times). */
struct keyed_row {
    struct col_sort_key key;
    struct row row;
};

/* How a sort compares: the column and the direction (qsort_r's context). */
struct sort_by {
    const struct column *column;
    bool descending;
};

static int cmp_keyed(const void *a, const void *b, void *ctx)
{
    const struct sort_by *by = ctx;
    const struct keyed_row *x = a, *y = b;
    int r = column_compare_keys(by->column, &x->key, &y->key, by->descending);
    return r ? r : obj_key_cmp(&x->row.key, &y->row.key);
}

/* Whether the rows are in order already: each key computed and compared with the one before,
 * nothing stored. */
static bool in_order(const struct list_model *m, const struct col_ctx *cx, const struct sort_by *by)
{
    struct keyed_row k[2];
    for (size_t i = 0; i < m->n; i++) {
        struct keyed_row *cur = &k[i % 2];
        cur->row = m->rows[i];
        column_sort_key(by->column, cx, &m->rows[i], &cur->key);
        if (i && cmp_keyed(&k[(i + 1) % 2], cur, (void *)by) > 0) return false;
    }
    return true;
}

static void sort_rows(struct list_model *m, const struct col_ctx *cx)
{
    size_t ncols;
    const struct column *cols = columns_of(m->cls, &ncols);
    if (m->sort_col < 0 || (size_t)m->sort_col >= ncols) m->sort_col = 1;
    if (m->n < 2) return;
    struct sort_by by = {&cols[m->sort_col], m->descending};
    /* rows of the snapshot come in id order and most refreshes change no order: when they
     * are in order already, a sort would give them back as they are (the order is total: ties
     * go by key), so it is skipped */
    if (in_order(m, cx, &by)) return;
    if (m->n > m->sort_cap) {
        void *ns = realloc(m->sort_scratch, m->n * sizeof(struct keyed_row));
        if (!ns) return; /* unsorted beats crashed */
        m->sort_scratch = ns;
        m->sort_cap = m->n;
    }
    struct keyed_row *k = m->sort_scratch;
    for (size_t i = 0; i < m->n; i++) {
        k[i].row = m->rows[i];
        column_sort_key(&cols[m->sort_col], cx, &m->rows[i], &k[i].key);
    }
    qsort_r(k, m->n, sizeof *k, cmp_keyed, &by);
    for (size_t i = 0; i < m->n; i++) m->rows[i] = k[i].row;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return true;
    return n == 0;
}

/* The commands a row is known by: its COMMAND column, and the processes using it. */
static bool matches_command(const struct list_model *m, const struct col_ctx *cx,
                            const struct row *r, const char *text)
{
    int col = column_find(m->cls, "command");
    if (col >= 0) {
        char b[128];
        size_t n;
        const struct column *cols = columns_of(m->cls, &n);
        column_format(&cols[col], cx, r, b, sizeof b);
        if (contains_ci(b, text)) return true;
    }
    if (!row_is_current(cx, r) || !cx->who) return false;
    const struct proc_table *pt = &r->snap->procs;
    size_t n;
    if (kind_of(m->cls)->users == KU_ATTACHERS) {
        const struct who_attacher *a = who_attachers(cx->who, m->cls, r->idx, &n);
        for (size_t k = 0; k < n; k++) {
            const struct proc_info *p = procs_find(pt, a[k].pid);
            if (p && contains_ci(procs_comm(pt, p), text)) return true;
        }
    } else {
        const struct who_waiter *w = who_waiters(cx->who, m->cls, r->idx, &n);
        for (size_t k = 0; k < n; k++) {
            const struct proc_info *p = procs_find(pt, w[k].pid);
            if (p && contains_ci(procs_comm(pt, p), text)) return true;
        }
    }
    return false;
}

/* Whether text is a key written in decimal, as PostgreSQL logs them ("5432001") or
 * /proc/sysvipc prints them (signed: "-27234923"), and that key is key. */
static bool decimal_key_is(const char *text, uint32_t key)
{
    const char *p = text + (*text == '-');
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 10) return false;
    long long v = strtoll(text, NULL, 10);
    if (v < INT32_MIN || v > (long long)UINT32_MAX) return false;
    return (uint32_t)v == key;
}

bool list_row_matches(const struct list_model *m, const struct col_ctx *cx, const struct row *r,
                      const char *text)
{
    if (!*text) return true;
    const struct ipc_common *c = row_common(r, m->cls);
    char b[FMT_BUFSZ];
    if ((c->valid & FBIT(F_KEY)) && contains_ci(fmt_key(b, c->key), text)) return true;
    if ((c->valid & FBIT(F_KEY)) && decimal_key_is(text, c->key)) return true;
    snprintf(b, sizeof b, "%d", c->id);
    if (contains_ci(b, text)) return true;
    if ((c->valid & FBIT(F_UID)) && contains_ci(users_name(cx->users, c->uid), text)) return true;
    return matches_command(m, cx, r, text);
}

/* Finds the row showing an object (a current row before a gone one with the same key). */
static bool find_row(const struct list_model *m, const struct obj_key *k, bool gone, size_t *at)
{
    bool found = false;
    for (size_t i = 0; i < m->n; i++) {
        if (!obj_key_eq(&m->rows[i].key, k)) continue;
        if ((m->rows[i].state == OBJ_GONE) == gone) {
            *at = i;
            return true;
        }
        if (!found) *at = i, found = true;
    }
    return found;
}

/* After the rows changed: put the selection back on its object. */
static void follow_selection(struct list_model *m, size_t old_pos)
{
    size_t at = 0;
    if (m->n == 0) {
        m->sel = m->top = 0;
        return;
    }
    if (m->has_sel && find_row(m, &m->sel_key, m->sel_gone, &at)) {
        m->sel = at;
    } else {
        /* it has left: the row now at the same place */
        m->sel = old_pos < m->n ? old_pos : m->n - 1;
    }
    m->has_sel = true;
    m->sel_key = m->rows[m->sel].key;
    m->sel_gone = m->rows[m->sel].state == OBJ_GONE;
    if (m->top > m->sel) m->top = m->sel;
}

static int cmp_key(const void *a, const void *b)
{
    return obj_key_cmp(a, b);
}

/* Where key k is, or would go, in the sorted tags. */
static size_t tag_slot(const struct list_model *m, const struct obj_key *k)
{
    return sorted_lower_bound(m->tags, m->ntags, sizeof *m->tags, k, cmp_key);
}

static bool is_leak(const struct list_model *m, const struct col_ctx *cx, const struct row *r)
{
    if (!row_is_current(cx, r) || !cx->model) return false;
    return model_verdict(cx->model, m->cls, r->idx)->kind != LEAK_NO;
}

static void filter_rows(struct list_model *m, const struct col_ctx *cx)
{
    if (!m->filter[0] && !m->leaks_only) return;
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct row *r = &m->rows[i];
        if (m->filter[0] && !list_row_matches(m, cx, r, m->filter)) continue;
        if (m->leaks_only && !is_leak(m, cx, r)) continue;
        m->rows[k++] = *r;
    }
    m->n = k;
}

bool list_rebuild(struct list_model *m, const struct snapshot_diff *d, const struct col_ctx *cx,
                  const struct tracker *t)
{
    const struct class_diff *cd = &d->cls[m->cls];
    size_t need = cd->ncur + cd->ngone;
    if (need > m->cap) {
        struct row *nr = realloc(m->rows, need * sizeof *nr);
        if (!nr) return false;
        m->rows = nr;
        m->cap = need;
    }
    size_t old_pos = m->sel;
    m->n = 0;
    for (size_t i = 0; i < cd->ncur; i++) {
        m->rows[m->n++] = (struct row){.snap = d->cur,
                                       .idx = (uint32_t)i,
                                       .cls = m->cls,
                                       .key = snapshot_key(d->cur, m->cls, i),
                                       .state = cd->cur[i].state,
                                       .changed = cd->cur[i].changed,
                                       .first_seen = tracker_first_seen_at(t, m->cls, i)};
    }
    for (size_t g = 0; g < cd->ngone; g++) {
        size_t i = cd->gone[g];
        struct obj_key k = snapshot_key(d->prev, m->cls, i);
        m->rows[m->n++] = (struct row){
            .snap = d->prev, .idx = (uint32_t)i, .cls = m->cls, .key = k, .state = OBJ_GONE};
        /* a gone object's tag goes with it (a recreated one with its id is another object) */
        if (list_is_tagged(m, &k)) list_toggle_tag(m, &k);
    }
    m->total = m->n;
    filter_rows(m, cx);
    sort_rows(m, cx);
    follow_selection(m, old_pos);
    return true;
}

static void keep_visible(struct list_model *m, size_t height)
{
    if (height == 0) height = 1;
    if (m->sel < m->top) m->top = m->sel;
    if (m->sel >= m->top + height) m->top = m->sel - height + 1;
    size_t max_top = m->n > height ? m->n - height : 0;
    if (m->top > max_top) m->top = max_top;
}

void list_select(struct list_model *m, size_t row, size_t height)
{
    if (m->n == 0) return;
    m->sel = row < m->n ? row : m->n - 1;
    m->has_sel = true;
    m->sel_key = m->rows[m->sel].key;
    m->sel_gone = m->rows[m->sel].state == OBJ_GONE;
    keep_visible(m, height);
}

void list_move(struct list_model *m, long delta, size_t height)
{
    if (m->n == 0) return;
    long to = (long)m->sel + delta;
    if (to < 0) to = 0;
    list_select(m, (size_t)to, height);
}

void list_scroll(struct list_model *m, long delta, size_t height)
{
    if (m->n == 0) return;
    long top = (long)m->top + delta;
    long max_top = m->n > height ? (long)(m->n - height) : 0;
    if (top < 0) top = 0;
    if (top > max_top) top = max_top;
    m->top = (size_t)top;
    /* the selection stays on screen, as a wheel scroll in htop does */
    if (m->sel < m->top)
        list_select(m, m->top, height);
    else if (m->sel >= m->top + height)
        list_select(m, m->top + height - 1, height);
}

bool list_search_next(struct list_model *m, const struct col_ctx *cx, const char *text,
                      size_t height)
{
    if (m->n == 0 || !*text) return false;
    for (size_t k = 1; k <= m->n; k++) {
        size_t i = (m->sel + k) % m->n;
        if (list_row_matches(m, cx, &m->rows[i], text)) {
            list_select(m, i, height);
            return true;
        }
    }
    return false;
}

bool list_is_tagged(const struct list_model *m, const struct obj_key *k)
{
    size_t at = tag_slot(m, k);
    return at < m->ntags && obj_key_eq(&m->tags[at], k);
}

/* Makes room for n tags; false when out of memory. */
static bool tags_reserve(struct list_model *m, size_t n)
{
    if (n <= m->captags) return true;
    size_t nc = m->captags ? m->captags : 16;
    while (nc < n) nc *= 2;
    struct obj_key *nt = realloc(m->tags, nc * sizeof *nt);
    if (!nt) return false;
    m->tags = nt;
    m->captags = nc;
    return true;
}

void list_toggle_tag(struct list_model *m, const struct obj_key *k)
{
    size_t at = tag_slot(m, k);
    if (at < m->ntags && obj_key_eq(&m->tags[at], k)) {
        memmove(&m->tags[at], &m->tags[at + 1], (m->ntags - at - 1) * sizeof *m->tags);
        m->ntags--;
        return;
    }
    if (!tags_reserve(m, m->ntags + 1)) return;
    memmove(&m->tags[at + 1], &m->tags[at], (m->ntags - at) * sizeof *m->tags);
    m->tags[at] = *k;
    m->ntags++;
}

size_t list_tag_all(struct list_model *m)
{
    /* appended, then sorted and deduplicated once: tagging 32,000 rows is not quadratic */
    if (!tags_reserve(m, m->ntags + m->n)) return m->ntags;
    for (size_t i = 0; i < m->n; i++)
        if (m->rows[i].state != OBJ_GONE) m->tags[m->ntags++] = m->rows[i].key;
    qsort(m->tags, m->ntags, sizeof *m->tags, cmp_key);
    size_t k = 0;
    for (size_t i = 0; i < m->ntags; i++)
        if (k == 0 || !obj_key_eq(&m->tags[k - 1], &m->tags[i])) m->tags[k++] = m->tags[i];
    m->ntags = k;
    return m->ntags;
}

void list_untag_all(struct list_model *m)
{
    m->ntags = 0;
}

const struct row *list_selected(const struct list_model *m)
{
    return m->n ? &m->rows[m->sel] : NULL;
}
