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

/* src into b[n], cut short if need be */
static void copy_text(char *b, size_t n, const char *src)
{
    if (!n) return;
    size_t l = strlen(src);
    if (l >= n) l = n - 1;
    memcpy(b, src, l);
    b[l] = '\0';
}

/* A signed number without printf: once per cell of every table. */
static char *fmt_i64(char *buf, int64_t v)
{
    char t[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    char *p = buf;
    if (v < 0) *p++ = '-';
    while (n) *p++ = t[--n];
    *p = '\0';
    return buf;
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
    copy_text(b, n, (c->valid & FBIT(F_UID)) ? users_name(cx->users, c->uid) : "?");
}

/* The command of a pid as the table knows it: "(dead)" for a pid whose process is gone. */
void col_pid_command(const struct row *r, int32_t pid, enum liveness l, char *b, size_t n)
{
    const struct proc_info *p = procs_find(&r->snap->procs, pid);
    if (pid <= 0)
        copy_text(b, n, "-");
    else if (l == LIVE_DEAD)
        copy_text(b, n, "(dead)");
    else if (l == LIVE_REUSED)
        copy_text(b, n, "(dead, pid reused)");
    else if (!p)
        copy_text(b, n, "?");
    else
        sanitize_text(b, n, procs_comm(&r->snap->procs, p), strlen(procs_comm(&r->snap->procs, p)));
}

void col_pid_text(const struct col_ctx *cx, bool known, int32_t pid, enum liveness l, char *b,
                  size_t n)
{
    char t[FMT_BUFSZ];
    if (!known)
        copy_text(b, n, "?");
    else if (cx->plain && pid > 0 && col_pid_dead(l))
        copy_text(b, n, fmt_pid_command(t, sizeof t, NULL, pid, l));
    else
        copy_text(b, n, fmt_i64(t, pid));
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
        copy_text(b, n, row_is_current(cx, r) ? "?" : "-");
    else
        copy_text(b, n, leak_kind_word((enum leak_kind)v));
}

bool col_leak_alert(const struct col_ctx *cx, const struct row *r)
{
    int64_t v;
    return col_leak(cx, r, &v) && v > 0;
}

/* ---- what changed --------------------------------------------------------------------- */

bool col_state(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    *v = r->state;
    return true;
}

void col_state_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    copy_text(b, n, obj_state_name(r->state));
}

void col_changed_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    size_t at = 0;
    if (n) b[0] = '\0';
    for (int f = 0; f < F_NFIELDS && r->changed; f++) {
        if (!(r->changed & FBIT(f))) continue;
        const char *name = ipc_field_name((enum ipc_field)f);
        size_t l = strlen(name);
        if (at + (at > 0) + l + 1 > n) break;
        if (at) b[at++] = ',';
        memcpy(b + at, name, l + 1);
        at += l;
    }
}

/* ---- who uses it ----------------------------------------------------------------------- */

bool col_users(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    if (!row_is_current(cx, r) || !cx->who) return false;
    size_t n;
    who_attachers(cx->who, r->cls, r->idx, &n); /* the same count for waiters */
    *v = (int64_t)n;
    return true;
}

void col_user_count_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    int64_t v;
    if (!col_users(cx, r, &v)) {
        copy_text(b, n, "?");
        return;
    }
    char t[FMT_BUFSZ];
    fmt_i64(t, v);
    if (!who_complete(cx->who, r->snap, r->cls, r->idx)) strcat(t, "+");
    copy_text(b, n, t);
}

void col_users_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    if (!row_is_current(cx, r) || !cx->who) {
        copy_text(b, n, r->state == OBJ_GONE ? "-" : "?");
        return;
    }
    bool attach = kind_of(r->cls)->users == KU_ATTACHERS;
    size_t count, at = 0;
    const struct who_attacher *a = attach ? who_attachers(cx->who, r->cls, r->idx, &count) : NULL;
    const struct who_waiter *w = attach ? NULL : who_waiters(cx->who, r->cls, r->idx, &count);
    if (n) b[0] = '\0';
    for (size_t k = 0; k < count && k < COL_USERS_MAX; k++) {
        char one[160];
        fmt_pid_command(one, sizeof one, r->snap, a ? a[k].pid : w[k].pid, LIVE_ALIVE);
        int l = snprintf(b + at, n - at, "%s%s%s", k ? "," : "", one,
                         w && w[k].stopped ? "(stopped)" : "");
        if (l < 0 || (size_t)l >= n - at) return; /* cut: what fits stays */
        at += (size_t)l;
    }
    if (count > COL_USERS_MAX && at < n)
        snprintf(b + at, n - at, "%s+%zu", at ? "," : "", count - COL_USERS_MAX);
}

char *fmt_pid_command(char *buf, size_t len, const struct snapshot *s, int32_t pid, enum liveness l)
{
    if (pid <= 0) {
        snprintf(buf, len, "%d", pid);
        return buf;
    }
    char comm[64];
    switch (l) {
    case LIVE_ALIVE: {
        const struct proc_info *p = procs_find(&s->procs, pid);
        sanitize_text(comm, sizeof comm, p ? procs_comm(&s->procs, p) : "?",
                      p ? strlen(procs_comm(&s->procs, p)) : 1);
        if (p && p->state == 'T') strncat(comm, ",stopped", sizeof comm - strlen(comm) - 1);
        snprintf(buf, len, "%d(%s)", pid, comm);
        break;
    }
    case LIVE_DEAD: snprintf(buf, len, "%d(dead)", pid); break;
    case LIVE_REUSED: snprintf(buf, len, "%d(reused)", pid); break;
    default: snprintf(buf, len, "%d", pid); break;
    }
    return buf;
}

void format_fill_bar(char *buf, size_t len, uint64_t used, uint64_t limit, int width, bool utf8)
{
    (void)utf8; /* ASCII bars draw everywhere, as htop's meters do */
    int pct = limit ? (int)(used * 100 / limit) : 0;
    if (pct > 100) pct = 100;
    int inner = width - 6; /* "[" + bar + "]" + "100%" */
    if (inner < 1) {
        char t[FMT_BUFSZ];
        fmt_i64(t, pct);
        strcat(t, "%");
        copy_text(buf, len, t);
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
        copy_text(buf, len, c->kind == CK_RATE || c->kind == CK_BYTERATE ? "-" : "?");
        return;
    }
    /* straight into buf when it is large enough (a table's arena), else through f */
    char f[FMT_BUFSZ];
    char *o = len >= FMT_BUFSZ ? buf : f;
    switch (c->kind) {
    case CK_KEY: fmt_key(o, (uint32_t)v); break;
    case CK_PERMS: fmt_perms(o, (uint32_t)v); break;
    case CK_SIZE:
        if (cx->bytes)
            fmt_i64(o, v);
        else
            fmt_size(o, (uint64_t)v);
        break;
    case CK_TIME: fmt_time(o, v, cx->now); break;
    case CK_AGE: fmt_age(o, v); break;
    case CK_RATE: fmt_rate(o, (double)v / 1000, false); break;
    case CK_BYTERATE: fmt_rate(o, (double)v / 1000, true); break;
    default: fmt_i64(o, v); break;
    }
    if (o != buf) copy_text(buf, len, f);
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

/* ---- the columns a batch frame shows ---------------------------------------------------- */

int column_list_parse(const char *spec, struct column_list *l, const char *opt, char *err,
                      size_t errlen)
{
    memset(l, 0, sizeof *l);
    l->given = true;
    l->add = spec[0] == '+';
    const char *p = spec + l->add;
    char shown[96];
    for (;;) {
        size_t len = strcspn(p, ",");
        char name[64];
        if (len == 0 || len >= sizeof name) {
            sanitize_text(shown, sizeof shown, spec, strlen(spec));
            snprintf(err, errlen,
                     len ? "%s: '%s' is not a column name"
                         : "%s needs column names separated "
                           "by commas, not '%s'",
                     opt, shown);
            return -1;
        }
        if (l->n == COL_LIST_MAX) {
            snprintf(err, errlen, "%s takes at most %d columns", opt, COL_LIST_MAX);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        bool any = false;
        for (int k = 0; k < IPC_NCLASSES; k++) {
            l->idx[k][l->n] = column_find((enum ipc_class)k, name);
            any |= l->idx[k][l->n] >= 0;
        }
        if (!any) {
            char names[1024];
            column_names(names, sizeof names);
            sanitize_text(shown, sizeof shown, name, len);
            snprintf(err, errlen, "%s: no column is named '%s'; columns are %s", opt, shown, names);
            return -1;
        }
        l->n++;
        if (!p[len]) break;
        p += len + 1;
    }
    return 0;
}

size_t column_list_pick(const struct column_list *l, enum ipc_class cls, int *idx, size_t max)
{
    size_t ncols, n = 0;
    const struct column *cols = columns_of(cls, &ncols);
    if (!l || !l->given || l->add) {
        /* the defaults by place, ties in table order (a stable insertion) */
        for (size_t i = 0; i < ncols && n < max; i++) {
            if (!cols[i].batch) continue;
            size_t at = n++;
            while (at > 0 && cols[idx[at - 1]].batch > cols[i].batch) {
                idx[at] = idx[at - 1];
                at--;
            }
            idx[at] = (int)i;
        }
    }
    for (size_t k = 0; l && l->given && k < l->n && n < max; k++) {
        int c = l->idx[cls][k];
        if (c < 0) continue;
        bool dup = false;
        for (size_t j = 0; l->add && j < n && !dup; j++) dup = idx[j] == c;
        if (!dup) idx[n++] = c;
    }
    return n;
}

void column_names(char *buf, size_t len)
{
    size_t at = 0;
    if (len) buf[0] = '\0';
    for (int k = 0; k < IPC_NCLASSES; k++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)k, &n);
        for (size_t i = 0; i < n; i++) {
            bool dup = false;
            for (int j = 0; j < k && !dup; j++)
                dup = column_find((enum ipc_class)j, cols[i].name) >= 0;
            if (dup) continue;
            int w = snprintf(buf + at, len - at, "%s%s", at ? " " : "", cols[i].name);
            if (w < 0 || (size_t)w >= len - at) return;
            at += (size_t)w;
        }
    }
}
