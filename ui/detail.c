#include "detail.h"

#include "format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add(struct detail *d, enum detail_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool add(struct detail *d, enum detail_role role, const char *fmt, ...)
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
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    return true;
}

void detail_free(struct detail *d)
{
    free(d->lines);
    memset(d, 0, sizeof *d);
}

#define LABEL "%-18s "

/* One field line: the value, or ? when unknown; marked changed when the diff says so. */
static void field(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                  const char *label, const char *value)
{
    bool changed = r->state == OBJ_CHANGED && (r->changed & FBIT(f));
    add(d, changed ? DL_CHANGED : DL_TEXT, LABEL "%s", label, (valid & FBIT(f)) ? value : "?");
}

static void num(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                const char *label, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    field(d, r, f, valid, label, b);
}

static void size(struct detail *d, const struct row *r, enum ipc_field f, uint64_t valid,
                 const char *label, uint64_t v)
{
    char b[96], h[FMT_BUFSZ];
    snprintf(b, sizeof b, "%" PRIu64 " bytes (%s)", v, fmt_size(h, v));
    field(d, r, f, valid, label, b);
}

/* "2026-11-21 14:05:33 (3m12s ago)" or "never" */
static void when(struct detail *d, const struct col_ctx *cx, const struct row *r, enum ipc_field f,
                 uint64_t valid, const char *label, int64_t t)
{
    char b[128], full[FMT_BUFSZ], age[FMT_BUFSZ];
    if (t == 0) snprintf(b, sizeof b, "never");
    else snprintf(b, sizeof b, "%s (%s ago)", fmt_time_full(full, t), fmt_age(age, cx->now - t));
    field(d, r, f, valid, label, b);
}

static void common(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                   const struct row *r)
{
    const struct ipc_common *c = row_common(r, cls);
    char b[FMT_BUFSZ], k[96];
    uint64_t v = c->valid;
    fmt_key(k, c->key);
    if ((v & FBIT(F_KEY)) && c->key == 0) strcat(k, " (IPC_PRIVATE)");
    field(d, r, F_KEY, v, "key", k);
    num(d, r, F_ID, v, "id", c->id);
    char who[160];
    snprintf(who, sizeof who, "%s (uid %u), group %s (gid %u)", users_name(cx->users, c->uid),
             c->uid, groups_name(cx->users, c->gid), c->gid);
    field(d, r, F_UID, v, "owner", who);
    snprintf(who, sizeof who, "%s (uid %u), group %s (gid %u)", users_name(cx->users, c->cuid),
             c->cuid, groups_name(cx->users, c->cgid), c->cgid);
    field(d, r, F_CUID, v, "creator", who);
    char perms[64];
    snprintf(perms, sizeof perms, "%s (mode %04o)", fmt_perms(b, c->mode), c->mode);
    field(d, r, F_MODE, v, "perms", perms);
    when(d, cx, r, F_CTIME, v, "changed (ctime)", c->ctime);
    int64_t age = row_age(cx, r, cls);
    if (age >= 0) add(d, DL_TEXT, LABEL "%s", "age", fmt_age(b, age));
}

static void shm_detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct shm_segment *g = row_shm(r);
    uint64_t v = g->c.valid;
    char b[128], s[FMT_BUFSZ];
    add(d, DL_TITLE, "Shared memory segment %d", g->c.id);
    common(d, IPC_SHM, cx, r);
    size(d, r, F_SIZE, v, "size", g->size);
    if (g->flags & SHM_SEG_RSS_SUSPECT)
        field(d, r, F_RSS, v, "resident (rss)", "unknown: the kernel's figure may be 512x too high");
    else size(d, r, F_RSS, v, "resident (rss)", g->rss);
    if (g->flags & SHM_SEG_RSS_CORRECTED)
        add(d, DL_NOTE, LABEL "%s", "", "hugetlb: the kernel reports rss 512x too high; corrected");
    size(d, r, F_SWAP, v, "swapped", g->swap);
    num(d, r, F_NATTCH, v, "attached (nattch)", (int64_t)g->nattch);
    add(d, DL_NOTE, LABEL "%s", "", "nattch counts mappings: a fork or an mprotect split adds to it");
    snprintf(b, sizeof b, "%s", fmt_shm_status(s, g));
    field(d, r, F_MODE, v, "status", b[0] ? b : "-");
    if ((v & FBIT(F_MODE)) && (g->c.mode & 01000))
        add(d, DL_NOTE, LABEL "%s", "", "removed: the kernel keeps it until the last detach");
    num(d, r, F_CPID, v, "creator pid", g->cpid);
    num(d, r, F_LPID, v, "last attach pid", g->lpid);
    when(d, cx, r, F_ATIME, v, "last attach", g->atime);
    when(d, cx, r, F_DTIME, v, "last detach", g->dtime);
}

static void sem_detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct sem_set *set = row_sem(r);
    uint64_t v = set->c.valid;
    add(d, DL_TITLE, "Semaphore set %d", set->c.id);
    common(d, IPC_SEM, cx, r);
    num(d, r, F_NSEMS, v, "semaphores", set->nsems);
    when(d, cx, r, F_OTIME, v, "last semop", set->otime);
    add(d, DL_TEXT, "%s", "");
    add(d, DL_TABLE_HEAD, "%8s %8s %8s %8s %10s", "SEMNUM", "VALUE", "NCOUNT", "ZCOUNT", "PID");
    const struct sem_element *e = sem_elements(r->snap, set);
    /* the same set in the previous snapshot, to mark changed elements */
    const struct sem_element *pe = NULL;
    if (r->state == OBJ_CHANGED && cx->diff && cx->diff->prev) {
        const struct obj_diff *od = &cx->diff->cls[IPC_SEM].cur[r->idx];
        if (od->prev >= 0) {
            const struct sem_set *ps = &cx->diff->prev->sem[od->prev];
            if (ps->nsems == set->nsems) pe = sem_elements(cx->diff->prev, ps);
        }
    }
    for (uint32_t i = 0; i < set->nsems; i++) {
        char val[16] = "?", nc[16] = "?", zc[16] = "?", pid[16] = "?";
        if (v & FBIT(F_SEMVAL)) snprintf(val, sizeof val, "%d", e[i].value);
        if (v & FBIT(F_SEMCOUNT)) {
            snprintf(nc, sizeof nc, "%d", e[i].ncount);
            snprintf(zc, sizeof zc, "%d", e[i].zcount);
        }
        if (v & FBIT(F_SEMPID)) snprintf(pid, sizeof pid, "%d", e[i].pid);
        bool changed = pe && (pe[i].value != e[i].value || pe[i].ncount != e[i].ncount ||
                              pe[i].zcount != e[i].zcount || pe[i].pid != e[i].pid);
        add(d, changed ? DL_CHANGED : DL_TEXT, "%8u %8s %8s %8s %10s", i, val, nc, zc, pid);
    }
    if (!(v & FBIT(F_SEMVAL)))
        add(d, DL_NOTE, "%s", "values unknown: this user may not read the set");
}

static void msg_detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct msg_queue *q = row_msg(r);
    uint64_t v = q->c.valid;
    char b[128], bar[64];
    add(d, DL_TITLE, "Message queue %d", q->c.id);
    common(d, IPC_MSG, cx, r);
    num(d, r, F_MSGS, v, "messages (depth)", (int64_t)q->msgs);
    size(d, r, F_USEDBYTES, v, "bytes queued", q->usedbytes);
    size(d, r, F_QBYTES, v, "limit (qbytes)", q->qbytes);
    if ((v & FBIT(F_USEDBYTES)) && (v & FBIT(F_QBYTES))) {
        format_fill_bar(bar, sizeof bar, q->usedbytes, q->qbytes, 24, cx->utf8);
        add(d, DL_TEXT, LABEL "%s", "fill", bar);
    }
    double mr, br;
    if (r->state != OBJ_GONE && cx->diff && model_msg_rates(cx->diff, r->idx, &mr, &br)) {
        char m[FMT_BUFSZ], y[FMT_BUFSZ];
        snprintf(b, sizeof b, "%s, %s (net: filling +, draining -)", fmt_rate(m, mr, false),
                 fmt_rate(y, br, true));
        add(d, DL_TEXT, LABEL "%s", "rate", b);
    } else {
        add(d, DL_TEXT, LABEL "%s", "rate", "- (needs two refreshes)");
    }
    num(d, r, F_LSPID, v, "last sender pid", q->lspid);
    num(d, r, F_LRPID, v, "last receiver pid", q->lrpid);
    when(d, cx, r, F_STIME, v, "last send", q->stime);
    when(d, cx, r, F_RTIME, v, "last receive", q->rtime);
}

bool detail_build(struct detail *d, enum ipc_class cls, const struct col_ctx *cx,
                  const struct row *r)
{
    d->n = 0;
    switch (cls) {
    case IPC_SHM: shm_detail(d, cx, r); break;
    case IPC_SEM: sem_detail(d, cx, r); break;
    default: msg_detail(d, cx, r); break;
    }
    if (r->state == OBJ_GONE)
        add(d, DL_NOTE, "%s", "gone: this object no longer exists; shown as last seen");
    return true;
}
