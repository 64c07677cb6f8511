#include "detail.h"

#include "format.h"
#include "kind.h"
#include "leak.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool detail_addf(struct detail *d, enum detail_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

bool detail_addf(struct detail *d, enum detail_role role, const char *fmt, ...)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 64;
        struct detail_line *nl = realloc(d->lines, nc * sizeof *nl);
        if (!nl) return false;
        d->lines = nl;
        d->cap = nc;
    }
    struct detail_line *l = &d->lines[d->n++];
    l->role = role;
    l->pid = 0;
    l->start_tics = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    return true;
}

struct detail_line *detail_add(struct detail *d, enum detail_role role)
{
    return detail_addf(d, role, "%s", "") ? &d->lines[d->n - 1] : NULL;
}

void detail_free(struct detail *d)
{
    free(d->lines);
    memset(d, 0, sizeof *d);
}

#define LABEL DETAIL_LABEL

/* A labelled value and an explanation that may be long: "verdict: why", wrapped into lines
 * of at most WRAP characters, the continuation lines indented under the value. */
#define WRAP 96
static void add_wrapped(struct detail *d, enum detail_role role, const char *label,
                        const char *value, const char *why)
{
    char clean[512];
    sanitize_text(clean, sizeof clean, why, strlen(why));
    detail_addf(d, role, LABEL "%s:", label, value);
    const char *p = clean;
    while (*p) {
        size_t n = strlen(p);
        if (n > WRAP) {
            n = WRAP;
            while (n > WRAP / 2 && p[n] != ' ') n--; /* break at a blank */
        }
        detail_addf(d, role, LABEL "%.*s", "", (int)n, p);
        p += n;
        while (*p == ' ') p++;
    }
}

/* One field line: the value, or ? when unknown; marked changed when the diff says so. */
void detail_field(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                  const char *label, const char *value)
{
    bool changed = r->state == OBJ_CHANGED && (r->changed & FBIT(f));
    detail_addf(d, changed ? DL_CHANGED : DL_TEXT, LABEL "%s", label,
                (valid & FBIT(f)) ? value : "?");
}

void detail_num(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                const char *label, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    detail_field(d, r, f, valid, label, b);
}

void detail_size(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                 const char *label, uint64_t v)
{
    char b[96], h[FMT_BUFSZ];
    snprintf(b, sizeof b, "%" PRIu64 " bytes (%s)", v, fmt_size(h, v));
    detail_field(d, r, f, valid, label, b);
}

/* "2026-11-21 14:05:33 (3m12s ago)" or "never" */
void detail_when(struct detail *d, const struct col_ctx *cx, const struct row *r, enum ipc_field f,
                 uint64_t valid, const char *label, int64_t t)
{
    char b[128], full[FMT_BUFSZ], age[FMT_BUFSZ];
    if (t == 0)
        snprintf(b, sizeof b, "never");
    else
        snprintf(b, sizeof b, "%s (%s ago)", fmt_time_full(full, t), fmt_age(age, cx->now - t));
    detail_field(d, r, f, valid, label, b);
}

static void common(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                   const struct row *r)
{
    const struct ipc_common *c = row_common(r, cls);
    char b[FMT_BUFSZ], k[96];
    uint64_t v = c->valid;
    fmt_key(k, c->key);
    if ((v & FBIT(F_KEY)) && c->key == 0) strcat(k, " (IPC_PRIVATE)");
    detail_field(d, r, F_KEY, v, "key", k);
    detail_num(d, r, F_ID, v, "id", c->id);
    char who[160];
    snprintf(who, sizeof who, "%s (uid %u), group %s (gid %u)", users_name(cx->users, c->uid),
             c->uid, groups_name(cx->users, c->gid), c->gid);
    detail_field(d, r, F_UID, v, "owner", who);
    snprintf(who, sizeof who, "%s (uid %u), group %s (gid %u)", users_name(cx->users, c->cuid),
             c->cuid, groups_name(cx->users, c->cgid), c->cgid);
    detail_field(d, r, F_CUID, v, "created by", who);
    char perms[64];
    snprintf(perms, sizeof perms, "%s (mode %04o)", fmt_perms(b, c->mode), c->mode);
    detail_field(d, r, F_MODE, v, "perms", perms);
    detail_when(d, cx, r, F_CTIME, v, "changed (ctime)", c->ctime);
    int64_t age = row_age(cx, r, cls);
    if (age >= 0) detail_addf(d, DL_TEXT, LABEL "%s", "age", fmt_age(b, age));
}

/* "postgres (uid 999)" of a process, "?" when the table does not have it */
static const char *proc_user(const struct col_ctx *cx, const struct proc_info *p)
{
    return p ? users_name(cx->users, p->euid) : "?";
}

/* The command line (process title) of a process, sanitized; "(gone)" when not known. */
static void proc_command(const struct row *r, const struct proc_info *p, char *b, size_t n)
{
    if (!p)
        snprintf(b, n, "(gone)");
    else
        sanitize_text(b, n, procs_cmdline(&r->snap->procs, p),
                      strlen(procs_cmdline(&r->snap->procs, p)));
}

/* "S 3h05m 1" — a process's state word, how long it has run and its parent */
static const char *proc_state_word(const struct proc_info *p)
{
    if (!p) return "?";
    switch (p->state) {
    case 'R': return "run";
    case 'S': return "sleep";
    case 'D': return "disk";
    case 'T': return "stopped";
    case 't': return "traced";
    case 'Z': return "zombie";
    default: return "?";
    }
}

static void proc_age(const struct col_ctx *cx, const struct proc_info *p, char *b)
{
    if (p && p->start > 0)
        fmt_age(b, cx->now - (int64_t)p->start);
    else
        snprintf(b, FMT_BUFSZ, "?");
}

/* A selectable process line. */
static void proc_line(struct detail *d, const struct row *r, int32_t pid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void proc_line(struct detail *d, const struct row *r, int32_t pid, const char *fmt, ...)
{
    if (!detail_addf(d, DL_PROC, "%s", "")) return;
    struct detail_line *l = &d->lines[d->n - 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    const struct proc_info *p = procs_find(&r->snap->procs, pid);
    l->pid = pid;
    l->start_tics = p ? p->start_tics : 0;
}

static const char *liveness_text(enum liveness l)
{
    switch (l) {
    case LIVE_ALIVE: return "alive";
    case LIVE_DEAD: return "dead";
    case LIVE_REUSED: return "dead (its pid now belongs to a newer process)";
    case LIVE_NONE: return "never set";
    default: return "unknown";
    }
}

/* "1234 postgres, alive" for a pid field */
void detail_pid_field(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                      const char *label, int32_t pid, enum liveness l)
{
    char b[240], c[160];
    const struct proc_info *p = l == LIVE_ALIVE ? procs_find(&r->snap->procs, pid) : NULL;
    proc_command(r, p, c, sizeof c);
    if (pid <= 0)
        snprintf(b, sizeof b, "%d (never set)", pid);
    else if (p)
        snprintf(b, sizeof b, "%d %s, alive", pid, c);
    else
        snprintf(b, sizeof b, "%d, %s", pid, liveness_text(l));
    detail_field(d, r, f, valid, label, b);
}

static void partial_note(struct detail *d, bool complete, const char *what)
{
    if (!complete)
        detail_addf(d, DL_NOTE,
                    "partial: some processes could not be inspected (not root?); more %s "
                    "may exist",
                    what);
}

void detail_attachers(struct detail *d, const struct col_ctx *cx, const struct row *r,
                      uint64_t counted)
{
    detail_addf(d, DL_TEXT, "%s", "");
    if (!row_is_current(cx, r) || !cx->who) {
        detail_addf(d, DL_NOTE, "%s", "attached processes: unknown (the segment is gone)");
        return;
    }
    size_t n;
    const struct who_attacher *a = who_attachers(cx->who, r->cls, r->idx, &n);
    detail_addf(d, DL_TITLE, "Attached processes: %zu (nattch %" PRIu64 ")", n, counted);
    partial_note(d, who_complete(cx->who, r->snap, r->cls, r->idx), "attachers");
    if (!n) return;
    detail_addf(d, DL_TABLE_HEAD, "%8s %-10s %4s %-6s %-7s %7s %8s %s", "PID", "USER", "MAPS",
                "ACCESS", "STATE", "UP", "PPID", "COMMAND");
    for (size_t k = 0; k < n; k++) {
        const struct proc_info *p = procs_find(&r->snap->procs, a[k].pid);
        char c[160], up[FMT_BUFSZ];
        proc_command(r, p, c, sizeof c);
        proc_age(cx, p, up);
        proc_line(d, r, a[k].pid, "%8d %-10.10s %4u %-6s %-7s %7s %8d %s", a[k].pid,
                  proc_user(cx, p), a[k].mappings, a[k].writable ? "rw" : "ro", proc_state_word(p),
                  up, p ? p->ppid : 0, c);
    }
}

void detail_wait_text(char *buf, size_t len, const struct who_waiter *w)
{
    if (w->wait == WAIT_SEMOP) {
        if (w->semnum < 0 || w->op == WHO_OP_UNKNOWN)
            snprintf(buf, len, "? (root can tell)");
        else if (w->op == 0)
            snprintf(buf, len, "sem %d to be zero", w->semnum);
        else
            snprintf(buf, len, "sem %d: decrement by %d", w->semnum, -w->op);
        return;
    }
    if (w->wait == WAIT_MSGSND) {
        if (w->msgtyp)
            snprintf(buf, len, "send type %" PRId64 ", %" PRIu64 " bytes", w->msgtyp, w->size);
        else
            snprintf(buf, len, "send %" PRIu64 " bytes", w->size);
        return;
    }
    bool except = w->msgflg & 020000; /* MSG_EXCEPT */
    if (w->msgtyp == 0)
        snprintf(buf, len, "receive any type");
    else if (w->msgtyp < 0)
        snprintf(buf, len, "receive lowest type <= %" PRId64, -w->msgtyp);
    else if (except)
        snprintf(buf, len, "receive any type but %" PRId64, w->msgtyp);
    else
        snprintf(buf, len, "receive type %" PRId64, w->msgtyp);
}

void detail_waiters(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                    const struct row *r)
{
    detail_addf(d, DL_TEXT, "%s", "");
    if (!row_is_current(cx, r) || !cx->who) {
        detail_addf(d, DL_NOTE, "%s", "waiting processes: unknown (the object is gone)");
        return;
    }
    size_t n;
    const struct who_waiter *w = who_waiters(cx->who, cls, r->idx, &n);
    detail_addf(d, DL_TITLE, "Waiting processes: %zu", n);
    partial_note(d, who_complete(cx->who, r->snap, cls, r->idx), "waiters");
    if (!n) return;
    detail_addf(d, DL_TABLE_HEAD, "%8s %-10s %-26s %-8s %7s %7s %8s %s", "PID", "USER", "WAITS FOR",
                "STATE", "WAITED", "UP", "PPID", "COMMAND");
    for (size_t k = 0; k < n; k++) {
        const struct proc_info *p = procs_find(&r->snap->procs, w[k].pid);
        char c[160], what[64], age[FMT_BUFSZ], up[FMT_BUFSZ];
        proc_command(r, p, c, sizeof c);
        proc_age(cx, p, up);
        detail_wait_text(what, sizeof what, &w[k]);
        if (w[k].since)
            fmt_age(age, cx->now - w[k].since);
        else
            snprintf(age, sizeof age, "?");
        proc_line(d, r, w[k].pid, "%8d %-10.10s %-26.26s %-8s %7s %7s %8d %s", w[k].pid,
                  proc_user(cx, p), what, w[k].stopped ? "stopped" : "waiting", age, up,
                  p ? p->ppid : 0, c);
    }
    for (size_t k = 0; k < n; k++)
        if (w[k].stopped) {
            detail_addf(d, DL_NOTE, "%s",
                        "a stopped waiter is not counted in ncount/zcount until it is "
                        "continued (SIGCONT), when its call fails with EINTR");
            break;
        }
}

bool detail_build(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                  const struct row *r)
{
    d->n = 0;
    const struct ipc_kind *k = kind_of(cls);
    detail_addf(d, DL_TITLE, "%s %d", k->noun, row_common(r, cls)->id);
    common(d, cls, cx, r);
    k->detail(d, cx, r);
    if (row_is_current(cx, r) && cx->model) {
        const struct leak_verdict *v = model_verdict(cx->model, cls, r->idx);
        char reason[512];
        model_leak_text(cx->model, cls, r->idx, cx->users, reason, sizeof reason);
        detail_addf(d, DL_TEXT, "%s", "");
        add_wrapped(d, v->kind == LEAK_NO ? DL_TEXT : DL_CHANGED, "leak verdict",
                    v->kind == LEAK_LEAKED     ? "LEAKED"
                    : v->kind == LEAK_POSSIBLY ? "possibly leaked"
                                               : "not leaked",
                    reason);
    }
    if (r->state == OBJ_GONE)
        detail_addf(d, DL_NOTE, "%s", "gone: this object no longer exists; shown as last seen");
    return true;
}
