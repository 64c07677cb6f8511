#include "columns.h"

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

/* ---- values -------------------------------------------------------------------------- */

#define COMMON_VALUE(fname, cls, field, expr)                                                      \
    static bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                   \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct ipc_common *c = row_common(r, cls);                                           \
        *v = (int64_t)(expr);                                                                      \
        return c->valid & FBIT(field);                                                             \
    }

#define SHM_VALUE(fname, field, expr)                                                              \
    static bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                   \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct shm_segment *g = row_shm(r);                                                  \
        *v = (int64_t)(expr);                                                                      \
        return g->c.valid & FBIT(field);                                                           \
    }

#define MSG_VALUE(fname, field, expr)                                                              \
    static bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                   \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct msg_queue *q = row_msg(r);                                                    \
        *v = (int64_t)(expr);                                                                      \
        return q->c.valid & FBIT(field);                                                           \
    }

/* the fields every class has, one accessor per class (the record types differ) */
#define COMMON_SET(cls, suffix)                                                                    \
    COMMON_VALUE(key_##suffix, cls, F_KEY, c->key)                                                 \
    COMMON_VALUE(id_##suffix, cls, F_ID, c->id)                                                    \
    COMMON_VALUE(uid_##suffix, cls, F_UID, c->uid)                                                 \
    COMMON_VALUE(perms_##suffix, cls, F_MODE, c->mode)                                             \
    COMMON_VALUE(ctime_##suffix, cls, F_CTIME, c->ctime)                                           \
    static bool age_##suffix(const struct col_ctx *cx, const struct row *r, int64_t *v)            \
    {                                                                                              \
        *v = row_age(cx, r, cls);                                                                  \
        return *v >= 0;                                                                            \
    }                                                                                              \
    static void owner_##suffix(const struct col_ctx *cx, const struct row *r, char *b, size_t n)   \
    {                                                                                              \
        const struct ipc_common *c = row_common(r, cls);                                           \
        snprintf(b, n, "%s", (c->valid & FBIT(F_UID)) ? users_name(cx->users, c->uid) : "?");      \
    }

COMMON_SET(IPC_SHM, shm)
COMMON_SET(IPC_SEM, sem)
COMMON_SET(IPC_MSG, msg)

SHM_VALUE(shm_size, F_SIZE, g->size)
SHM_VALUE(shm_nattch, F_NATTCH, g->nattch)
SHM_VALUE(shm_cpid, F_CPID, g->cpid)
SHM_VALUE(shm_lpid, F_LPID, g->lpid)
SHM_VALUE(shm_atime, F_ATIME, g->atime)
SHM_VALUE(shm_dtime, F_DTIME, g->dtime)
SHM_VALUE(shm_swap, F_SWAP, g->swap)

static bool shm_rss(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    const struct shm_segment *g = row_shm(r);
    *v = (int64_t)g->rss;
    /* an rss that may be 512x inflated is not a number to show or sort by */
    return (g->c.valid & FBIT(F_RSS)) && !(g->flags & SHM_SEG_RSS_SUSPECT);
}

static void shm_status(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    char s[FMT_BUFSZ];
    const struct shm_segment *g = row_shm(r);
    snprintf(b, n, "%s", (g->c.valid & FBIT(F_MODE)) ? fmt_shm_status(s, g) : "?");
}

static bool sem_nsems(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    *v = row_sem(r)->nsems;
    return row_sem(r)->c.valid & FBIT(F_NSEMS);
}

static bool sem_otime(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    *v = row_sem(r)->otime;
    return row_sem(r)->c.valid & FBIT(F_OTIME);
}

/* which: 0 = ncount + zcount, 1 = ncount, 2 = zcount */
static bool sem_count(const struct row *r, int which, int64_t *v)
{
    const struct sem_set *set = row_sem(r);
    if (!(set->c.valid & FBIT(F_SEMCOUNT))) return false;
    const struct sem_element *e = sem_elements(r->snap, set);
    *v = 0;
    for (uint32_t i = 0; i < set->nsems; i++)
        *v += (which != 2 ? e[i].ncount : 0) + (which != 1 ? e[i].zcount : 0);
    return true;
}

static bool sem_waiters(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 0, v);
}

static bool sem_ncount(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 1, v);
}

static bool sem_zcount(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 2, v);
}

MSG_VALUE(msg_msgs, F_MSGS, q->msgs)
MSG_VALUE(msg_used, F_USEDBYTES, q->usedbytes)
MSG_VALUE(msg_qbytes, F_QBYTES, q->qbytes)
MSG_VALUE(msg_lspid, F_LSPID, q->lspid)
MSG_VALUE(msg_lrpid, F_LRPID, q->lrpid)
MSG_VALUE(msg_stime, F_STIME, q->stime)
MSG_VALUE(msg_rtime, F_RTIME, q->rtime)

/* fill in per mille, for sorting; the cell itself is drawn by msg_fill_text */
static bool msg_fill(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    const struct msg_queue *q = row_msg(r);
    const uint64_t need = FBIT(F_USEDBYTES) | FBIT(F_QBYTES);
    if ((q->c.valid & need) != need || q->qbytes == 0) return false;
    *v = (int64_t)(q->usedbytes * 1000 / q->qbytes);
    return true;
}

static void msg_fill_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct msg_queue *q = row_msg(r);
    int64_t v;
    if (!msg_fill(cx, r, &v))
        snprintf(b, n, "?");
    else
        format_fill_bar(b, n, q->usedbytes, q->qbytes, 12, cx->utf8);
}

static bool msg_rate(const struct col_ctx *cx, const struct row *r, int64_t *v, bool bytes)
{
    double m, by;
    if (r->state == OBJ_GONE || !cx->diff || r->snap != cx->diff->cur ||
        !model_msg_rates(cx->diff, r->idx, &m, &by))
        return false;
    *v = (int64_t)llround((bytes ? by : m) * 1000);
    return true;
}

static bool msg_mrate(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    return msg_rate(cx, r, v, false);
}

static bool msg_brate(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    return msg_rate(cx, r, v, true);
}

/* ---- who uses what ---------------------------------------------------------------- */

/* Distinct attached processes; the cell says "+" when the list may be partial. */
static bool shm_attached(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    if (!row_is_current(cx, r) || !cx->who) return false;
    size_t n;
    who_attachers(cx->who, IPC_SHM, r->idx, &n);
    *v = (int64_t)n;
    return true;
}

static void shm_attached_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    int64_t v;
    if (!shm_attached(cx, r, &v))
        snprintf(b, n, "?");
    else
        snprintf(b, n, "%" PRId64 "%s", v,
                 who_complete(cx->who, r->snap, IPC_SHM, r->idx) ? "" : "+");
}

static bool msg_waiting(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    if (!row_is_current(cx, r) || !cx->who) return false;
    size_t n;
    who_waiters(cx->who, IPC_MSG, r->idx, &n);
    *v = (int64_t)n;
    return true;
}

static void msg_waiting_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    int64_t v;
    if (!msg_waiting(cx, r, &v))
        snprintf(b, n, "?");
    else
        snprintf(b, n, "%" PRId64 "%s", v,
                 who_complete(cx->who, r->snap, IPC_MSG, r->idx) ? "" : "+");
}

/* The command of a pid as the table knows it: "(dead)" for a pid whose process is gone. */
static void pid_command(const struct row *r, int32_t pid, enum liveness l, char *b, size_t n)
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

static void shm_command(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct shm_segment *g = row_shm(r);
    if (!(g->c.valid & FBIT(F_CPID)))
        snprintf(b, n, "?");
    else
        pid_command(r, g->cpid, who_shm_cpid_alive(r->snap, g), b, n);
}

static void msg_command(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct msg_queue *q = row_msg(r);
    if (!(q->c.valid & FBIT(F_LSPID)))
        snprintf(b, n, "?");
    else
        pid_command(r, q->lspid, who_msg_lspid_alive(r->snap, q), b, n);
}

static bool dead(enum liveness l)
{
    return l == LIVE_DEAD || l == LIVE_REUSED;
}

static bool shm_cpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return dead(who_shm_cpid_alive(r->snap, row_shm(r)));
}

static bool shm_lpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return dead(who_shm_lpid_alive(r->snap, row_shm(r)));
}

static bool msg_lspid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return dead(who_msg_lspid_alive(r->snap, row_msg(r)));
}

static bool msg_lrpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return dead(who_msg_lrpid_alive(r->snap, row_msg(r)));
}

/* ---- leaks ------------------------------------------------------------------------- */

/* enum leak_kind: 2 leaked, 1 possibly, 0 not; unknown for gone rows */
#define LEAK_VALUE(suffix, cls)                                                                    \
    static bool leak_##suffix(const struct col_ctx *cx, const struct row *r, int64_t *v)           \
    {                                                                                              \
        if (!row_is_current(cx, r) || !cx->model) return false;                                    \
        *v = model_verdict(cx->model, cls, r->idx)->kind;                                          \
        return true;                                                                               \
    }                                                                                              \
    static void leak_##suffix##_text(const struct col_ctx *cx, const struct row *r, char *b,       \
                                     size_t n)                                                     \
    {                                                                                              \
        int64_t v;                                                                                 \
        if (!leak_##suffix(cx, r, &v))                                                             \
            snprintf(b, n, "%s", row_is_current(cx, r) ? "?" : "-");                               \
        else                                                                                       \
            snprintf(b, n, "%s", leak_kind_word((enum leak_kind)v));                               \
    }                                                                                              \
    static bool leak_##suffix##_alert(const struct col_ctx *cx, const struct row *r)               \
    {                                                                                              \
        int64_t v;                                                                                 \
        return leak_##suffix(cx, r, &v) && v > 0;                                                  \
    }

LEAK_VALUE(shm, IPC_SHM)
LEAK_VALUE(sem, IPC_SEM)
LEAK_VALUE(msg, IPC_MSG)

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

/* ---- tables -------------------------------------------------------------------------- */

#define C(title, name, w, minw, right, prio, shown, fields, kind, value, text)                     \
    {                                                                                              \
        title, name, w, minw, right, prio, shown, fields, kind, value, text, NULL                  \
    }
#define CA(title, name, w, minw, right, prio, shown, fields, kind, value, text, alert)             \
    {                                                                                              \
        title, name, w, minw, right, prio, shown, fields, kind, value, text, alert                 \
    }

static const struct column shm_columns[] = {
    C("KEY", "key", 10, 10, false, 0, true, FBIT(F_KEY), CK_KEY, key_shm, NULL),
    C("ID", "id", 8, 4, true, 0, true, 0, CK_NUM, id_shm, NULL),
    C("OWNER", "owner", 9, 5, false, 1, true, FBIT(F_UID), CK_TEXT, NULL, owner_shm),
    C("PERMS", "perms", 5, 5, false, 4, true, FBIT(F_MODE), CK_PERMS, perms_shm, NULL),
    C("SIZE", "size", 6, 5, true, 0, true, FBIT(F_SIZE), CK_SIZE, shm_size, NULL),
    C("RSS", "rss", 6, 5, true, 2, true, FBIT(F_RSS), CK_SIZE, shm_rss, NULL),
    C("SWAP", "swap", 6, 5, true, 5, true, FBIT(F_SWAP), CK_SIZE, shm_swap, NULL),
    C("NATTCH", "nattch", 6, 3, true, 1, true, FBIT(F_NATTCH), CK_NUM, shm_nattch, NULL),
    C("ATTACHED", "attached", 8, 3, true, 1, true, FBIT(F_NATTCH), CK_TEXT, shm_attached,
      shm_attached_text),
    C("STATUS", "status", 9, 4, false, 3, true, FBIT(F_MODE), CK_TEXT, NULL, shm_status),
    CA("LEAK", "leak", 8, 8, false, 2, true, 0, CK_TEXT, leak_shm, leak_shm_text, leak_shm_alert),
    C("AGE", "age", 6, 5, true, 3, true, 0, CK_AGE, age_shm, NULL),
    CA("CPID", "cpid", 7, 5, true, 4, true, FBIT(F_CPID), CK_NUM, shm_cpid, NULL, shm_cpid_dead),
    CA("LPID", "lpid", 7, 5, true, 4, true, FBIT(F_LPID), CK_NUM, shm_lpid, NULL, shm_lpid_dead),
    C("ATIME", "atime", 11, 8, false, 6, true, FBIT(F_ATIME), CK_TIME, shm_atime, NULL),
    CA("COMMAND", "command", 16, 6, false, 2, true, FBIT(F_CPID), CK_TEXT, NULL, shm_command,
       shm_cpid_dead),
    C("DTIME", "dtime", 11, 8, false, 7, false, FBIT(F_DTIME), CK_TIME, shm_dtime, NULL),
    C("CTIME", "ctime", 11, 8, false, 7, false, FBIT(F_CTIME), CK_TIME, ctime_shm, NULL),
    C("UID", "uid", 6, 3, true, 8, false, FBIT(F_UID), CK_NUM, uid_shm, NULL),
};

static const struct column sem_columns[] = {
    C("KEY", "key", 10, 10, false, 0, true, FBIT(F_KEY), CK_KEY, key_sem, NULL),
    C("ID", "id", 8, 4, true, 0, true, 0, CK_NUM, id_sem, NULL),
    C("OWNER", "owner", 9, 5, false, 1, true, FBIT(F_UID), CK_TEXT, NULL, owner_sem),
    C("PERMS", "perms", 5, 5, false, 4, true, FBIT(F_MODE), CK_PERMS, perms_sem, NULL),
    C("NSEMS", "nsems", 5, 3, true, 1, true, FBIT(F_NSEMS), CK_NUM, sem_nsems, NULL),
    C("WAITERS", "waiters", 7, 3, true, 0, true, FBIT(F_SEMCOUNT), CK_NUM, sem_waiters, NULL),
    C("NCOUNT", "ncount", 6, 3, true, 2, true, FBIT(F_SEMCOUNT), CK_NUM, sem_ncount, NULL),
    C("ZCOUNT", "zcount", 6, 3, true, 2, true, FBIT(F_SEMCOUNT), CK_NUM, sem_zcount, NULL),
    CA("LEAK", "leak", 8, 8, false, 2, true, 0, CK_TEXT, leak_sem, leak_sem_text, leak_sem_alert),
    C("AGE", "age", 6, 5, true, 3, true, 0, CK_AGE, age_sem, NULL),
    C("OTIME", "otime", 11, 8, false, 3, true, FBIT(F_OTIME), CK_TIME, sem_otime, NULL),
    C("CTIME", "ctime", 11, 8, false, 5, true, FBIT(F_CTIME), CK_TIME, ctime_sem, NULL),
    C("UID", "uid", 6, 3, true, 8, false, FBIT(F_UID), CK_NUM, uid_sem, NULL),
};

static const struct column msg_columns[] = {
    C("KEY", "key", 10, 10, false, 0, true, FBIT(F_KEY), CK_KEY, key_msg, NULL),
    C("ID", "id", 8, 4, true, 0, true, 0, CK_NUM, id_msg, NULL),
    C("OWNER", "owner", 9, 5, false, 1, true, FBIT(F_UID), CK_TEXT, NULL, owner_msg),
    C("PERMS", "perms", 5, 5, false, 4, true, FBIT(F_MODE), CK_PERMS, perms_msg, NULL),
    C("MSGS", "msgs", 6, 3, true, 0, true, FBIT(F_MSGS), CK_NUM, msg_msgs, NULL),
    C("USEDBYTES", "usedbytes", 9, 5, true, 1, true, FBIT(F_USEDBYTES), CK_SIZE, msg_used, NULL),
    C("QBYTES", "qbytes", 6, 5, true, 2, true, FBIT(F_QBYTES), CK_SIZE, msg_qbytes, NULL),
    C("FILL", "fill", 12, 4, false, 1, true, FBIT(F_USEDBYTES) | FBIT(F_QBYTES), CK_TEXT, msg_fill,
      msg_fill_text),
    C("MSG/S", "msgrate", 7, 5, true, 2, true, FBIT(F_MSGS), CK_RATE, msg_mrate, NULL),
    C("BYTES/S", "byterate", 8, 5, true, 3, true, FBIT(F_USEDBYTES), CK_BYTERATE, msg_brate, NULL),
    C("WAITERS", "waiters", 7, 3, true, 2, true, 0, CK_TEXT, msg_waiting, msg_waiting_text),
    CA("LEAK", "leak", 8, 8, false, 2, true, 0, CK_TEXT, leak_msg, leak_msg_text, leak_msg_alert),
    C("AGE", "age", 6, 5, true, 3, true, 0, CK_AGE, age_msg, NULL),
    CA("LSPID", "lspid", 7, 5, true, 4, true, FBIT(F_LSPID), CK_NUM, msg_lspid, NULL,
       msg_lspid_dead),
    CA("LRPID", "lrpid", 7, 5, true, 4, true, FBIT(F_LRPID), CK_NUM, msg_lrpid, NULL,
       msg_lrpid_dead),
    C("STIME", "stime", 11, 8, false, 5, true, FBIT(F_STIME), CK_TIME, msg_stime, NULL),
    C("RTIME", "rtime", 11, 8, false, 5, true, FBIT(F_RTIME), CK_TIME, msg_rtime, NULL),
    CA("COMMAND", "command", 16, 6, false, 3, true, FBIT(F_LSPID), CK_TEXT, NULL, msg_command,
       msg_lspid_dead),
    C("CTIME", "ctime", 11, 8, false, 7, false, FBIT(F_CTIME), CK_TIME, ctime_msg, NULL),
    C("UID", "uid", 6, 3, true, 8, false, FBIT(F_UID), CK_NUM, uid_msg, NULL),
};
#undef C
#undef CA

const struct column *columns_of(enum ipc_class cls, size_t *n)
{
    switch (cls) {
    case IPC_SHM: *n = sizeof shm_columns / sizeof *shm_columns; return shm_columns;
    case IPC_SEM: *n = sizeof sem_columns / sizeof *sem_columns; return sem_columns;
    default: *n = sizeof msg_columns / sizeof *msg_columns; return msg_columns;
    }
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

int column_compare(const struct column *c, const struct col_ctx *cx, const struct row *a,
                   const struct row *b, bool descending)
{
    struct col_sort_key ka, kb;
    column_sort_key(c, cx, a, &ka);
    column_sort_key(c, cx, b, &kb);
    int r = column_compare_keys(c, &ka, &kb, descending);
    return r ? r : (a->id > b->id) - (a->id < b->id);
}
