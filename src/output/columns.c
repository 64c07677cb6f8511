#include "columns.h"

#include "kind.h"

#include "format.h"
#include "leak.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct shm_segment *row_shm(const struct row *r)
{
    return &SNAP_SHM(r->snap)[r->idx];
}

const struct sem_set *row_sem(const struct row *r)
{
    return &SNAP_SEM(r->snap)[r->idx];
}

const struct msg_queue *row_msg(const struct row *r)
{
    return &SNAP_MSG(r->snap)[r->idx];
}

const struct ipc_common *row_common(const struct row *r, enum ipc_class cls)
{
    return snapshot_common(r->snap, cls, r->idx);
}

int64_t row_age(const struct col_ctx *cx, const struct row *r, enum ipc_class cls)
{
    const struct ipc_common *c = row_common(r, cls);
    int64_t born = (c->valid & FBIT(F_CTIME)) && c->ctime ? c->ctime : 0;
    if (r->first_seen && (!born || r->first_seen < born)) born = r->first_seen;
    return born ? (cx->now >= born ? cx->now - born : 0) : -1;
}

/* ---- the columns every kind has ------------------------------------------------------ */

#define COMMON_VALUE(fname, field, expr)                                                           \
    bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                          \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct ipc_common *c = row_common(r, r->cls);                                        \
        *v = (int64_t)(expr);                                                                      \
        return c->valid & FBIT(field);                                                             \
    }

COMMON_VALUE(col_key, F_KEY, c->key)
COMMON_VALUE(col_id, F_ID, c->id)
COMMON_VALUE(col_uid, F_UID, c->uid)
COMMON_VALUE(col_perms, F_MODE, c->mode)
COMMON_VALUE(col_ctime, F_CTIME, c->ctime)
#undef COMMON_VALUE

bool col_age(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    *v = row_age(cx, r, r->cls);
    return *v >= 0;
}

void col_owner(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct ipc_common *c = row_common(r, r->cls);
    snprintf(b, n, "%s", (c->valid & FBIT(F_UID)) ? users_name(cx->users, c->uid) : "?");
}

/* The command of a pid as the table knows it: "(dead)" for a pid whose process is gone. */
void col_pid_command(const struct row *r, int32_t pid, enum liveness l, char *b, size_t n)
{
    const struct proc_info *p = procs_find(&r->snap->procs, pid);
    if (pid <= 0)
        snprintf(b, n, "-");
    else if (l == LIVE_DEAD)
        snprintf(b, n, "(dead)");
    else if (l == LIVE_REUSED)
        snprintf(b, n, "(dead, pid reused)");
    else if (!p)
        snprintf(b, n, "?");
    else
        sanitize_text(b, n, procs_comm(&r->snap->procs, p), strlen(procs_comm(&r->snap->procs, p)));
}

bool col_pid_dead(enum liveness l)
{
    return l == LIVE_DEAD || l == LIVE_REUSED;
}

bool col_rate(const struct col_ctx *cx, const struct row *r, enum ipc_field f, int64_t *v)
{
    double per_s;
    if (!row_is_current(cx, r) || !cx->diff || !model_rate(cx->diff, r->cls, r->idx, f, &per_s))
        return false;
    *v = (int64_t)llround(per_s * 1000);
    return true;
}

/* ---- leaks ------------------------------------------------------------------------- */

/* enum leak_kind: 2 leaked, 1 possibly, 0 not; unknown for gone rows */
bool col_leak(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    if (!row_is_current(cx, r) || !cx->model) return false;
    *v = model_verdict(cx->model, r->cls, r->idx)->kind;
    return true;
}

void col_leak_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    int64_t v;
    if (!col_leak(cx, r, &v))
        snprintf(b, n, "%s", row_is_current(cx, r) ? "?" : "-");
    else
        snprintf(b, n, "%s", leak_kind_word((enum leak_kind)v));
}

bool col_leak_alert(const struct col_ctx *cx, const struct row *r)
{
    int64_t v;
    return col_leak(cx, r, &v) && v > 0;
}

void format_fill_bar(char *buf, size_t len, uint64_t used, uint64_t limit, int width, bool utf8)
{
    (void)utf8; /* ASCII bars draw everywhere, as htop's meters do */
    int pct = limit ? (int)(used * 100 / limit) : 0;
    if (pct > 100) pct = 100;
    int inner = width - 6; /* "[" + bar + "]" + "100%" */
    if (inner < 1) {
        snprintf(buf, len, "%d%%", pct);
        return;
    }
    int filled = limit ? (int)((used * (uint64_t)inner + limit - 1) / limit) : 0;
    if (filled > inner) filled = inner;
    char bar[64];
    if (inner > (int)sizeof bar - 1) inner = (int)sizeof bar - 1;
    for (int i = 0; i < inner; i++) bar[i] = i < filled ? '|' : ' ';
    bar[inner] = '\0';
    snprintf(buf, len, "[%s]%3d%%", bar, pct);
}

const struct column *columns_of(enum ipc_class cls, size_t *n)
{
    *n = kind_of(cls)->ncolumns;
    return kind_of(cls)->columns;
}

int column_find(enum ipc_class cls, const char *name)
{
    size_t n;
    const struct column *c = columns_of(cls, &n);
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(c[i].name, name) == 0 || strcasecmp(c[i].title, name) == 0) return (int)i;
    return -1;
}

void column_format(const struct column *c, const struct col_ctx *cx, const struct row *r, char *buf,
                   size_t len)
{
    if (c->kind == CK_TEXT) {
        c->text(cx, r, buf, len);
        return;
    }
    int64_t v;
    if (!c->value(cx, r, &v)) {
        snprintf(buf, len, "%s", c->kind == CK_RATE || c->kind == CK_BYTERATE ? "-" : "?");
        return;
    }
    char f[FMT_BUFSZ];
    switch (c->kind) {
    case CK_KEY: fmt_key(f, (uint32_t)v); break;
    case CK_PERMS: fmt_perms(f, (uint32_t)v); break;
    case CK_SIZE:
        if (cx->bytes)
            snprintf(f, sizeof f, "%" PRId64, v);
        else
            fmt_size(f, (uint64_t)v);
        break;
    case CK_TIME: fmt_time(f, v, cx->now); break;
    case CK_AGE: fmt_age(f, v); break;
    case CK_RATE: fmt_rate(f, (double)v / 1000, false); break;
    case CK_BYTERATE: fmt_rate(f, (double)v / 1000, true); break;
    default: snprintf(f, sizeof f, "%" PRId64, v); break;
    }
    snprintf(buf, len, "%s", f);
}

static bool text_sorted(const struct column *c)
{
    return c->kind == CK_TEXT && !c->value;
}

void column_sort_key(const struct column *c, const struct col_ctx *cx, const struct row *r,
                     struct col_sort_key *k)
{
    if (text_sorted(c)) {
        c->text(cx, r, k->text, sizeof k->text);
        k->known = strcmp(k->text, "?") != 0;
        k->v = 0;
    } else {
        k->v = 0;
        k->known = c->value(cx, r, &k->v);
    }
}

int column_compare_keys(const struct column *c, const struct col_sort_key *a,
                        const struct col_sort_key *b, bool descending)
{
    if (a->known != b->known) return a->known ? -1 : 1;
    int r = text_sorted(c) ? strcmp(a->text, b->text) : (a->v > b->v) - (a->v < b->v);
    return descending ? -r : r;
}
