/*
 * Semaphore elements. At 32,000 sets of 4, one syscall per semaphore per field costs
 * more than everything else together (GETPID and GETNCNT each ~40 ms here), so:
 *   - values: one GETALL per set, every time;
 *   - pids: GETPID only for sets that may have changed since the previous snapshot —
 *     a successful semop moves otime, SETVAL/SETALL move ctime, an undo at exit moves a
 *     value; otime and ctime have one-second resolution, so a set touched in the second
 *     the previous snapshot began is re-read too;
 *   - ncount/zcount: only a task blocked in semop can make them non-zero; when the task
 *     scan saw every task (struct sem_hint.complete) only the sets it named are asked,
 *     otherwise every set is; zcount is not asked of a semaphore whose value is 0.
 */
#include "collect_source.h"
#include "sorted.h"
#include "collect_sem.h"
#include "semun.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>

bool sem_hint_may_wait(const struct sem_hint *h, int32_t semid)
{
    if (!h || !h->complete) return true;
    size_t at = sorted_lower_bound(h->semids, h->n, sizeof *h->semids, &semid, cmp_int32);
    return at < h->n && h->semids[at] == semid;
}

/* True if prev's pids of this set are still right (see the top of this file). */
static bool pids_reusable(const struct snapshot *prev, const struct sem_set *p,
                          const struct snapshot *s, const struct sem_set *cur)
{
    const uint64_t need = FBIT(F_SEMPID) | FBIT(F_SEMVAL) | FBIT(F_OTIME) | FBIT(F_CTIME);
    if (!p || (p->c.valid & need) != need ||
        (cur->c.valid & need & ~FBIT(F_SEMPID)) != (need & ~FBIT(F_SEMPID)))
        return false;
    if (p->nsems != cur->nsems || p->c.cuid != cur->c.cuid || p->otime != cur->otime ||
        p->c.ctime != cur->c.ctime)
        return false;
    int64_t began = (int64_t)floor(prev->wall);
    if (p->otime >= began || p->c.ctime >= began) return false;
    const struct sem_element *pe = sem_elements(prev, p), *ce = sem_elements(s, cur);
    for (uint32_t i = 0; i < cur->nsems; i++)
        if (pe[i].value != ce[i].value) return false;
    return true;
}

/* Reads GETALL into the set; false when the set is unreadable or gone. */
static bool read_values(struct collect_ctx *ctx, struct snapshot *s, struct sem_set *set)
{
    if (set->nsems > ctx->semvals_cap) {
        unsigned short *nv = realloc(ctx->semvals, set->nsems * sizeof *nv);
        if (!nv) return false;
        ctx->semvals = nv;
        ctx->semvals_cap = set->nsems;
    }
    union semun u = {.array = ctx->semvals};
    if (semctl(set->c.id, 0, GETALL, u) < 0) return false;
    struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < set->nsems; i++) e[i].value = ctx->semvals[i];
    set->c.valid |= FBIT(F_SEMVAL);
    return true;
}

static bool read_pids(struct snapshot *s, struct sem_set *set)
{
    struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < set->nsems; i++) {
        int r = semctl(set->c.id, (int)i, GETPID);
        if (r < 0) return false;
        e[i].pid = r;
    }
    set->c.valid |= FBIT(F_SEMPID);
    return true;
}

static bool read_counts(struct snapshot *s, struct sem_set *set)
{
    struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < set->nsems; i++) {
        int n = semctl(set->c.id, (int)i, GETNCNT);
        /* a wait-for-zero blocks only while the value is not zero: when it reaches zero
         * the kernel wakes and dequeues those waiters, so a zero value has zcount 0 */
        int z = n < 0 ? -1 : e[i].value == 0 ? 0 : semctl(set->c.id, (int)i, GETZCNT);
        if (z < 0) return false;
        e[i].ncount = n;
        e[i].zcount = z;
    }
    set->c.valid |= FBIT(F_SEMCOUNT);
    return true;
}

/* Whether a failed call says the set went away (rather than that it may not be read). */
static bool vanished(void)
{
    return errno == EINVAL || errno == EIDRM;
}

/*
 * Takes the sets marked gone out of the snapshot, with their elements: a set removed while
 * it was being read is gone, not an object with unknown values (the next snapshot would
 * otherwise show it as changed, then gone).
 */
static void drop_vanished(struct snapshot *s, const bool *gone)
{
    size_t w = 0, elems = 0;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) {
        if (gone[i]) continue;
        struct sem_set set = SNAP_SEM(s)[i];
        if (set.nsems && set.elem_off != elems)
            memmove(s->elems + elems, s->elems + set.elem_off, set.nsems * sizeof *s->elems);
        set.elem_off = elems;
        elems += set.nsems;
        SNAP_SEM(s)[w++] = set;
    }
    s->tab[IPC_SEM].n = w;
    s->nelems = elems;
}

void collect_sem_elements(struct collect_ctx *ctx, const struct snapshot *prev, struct snapshot *s,
                          const struct sem_hint *hint)
{
    bool *gone = NULL; /* allocated at the first set that vanishes */
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) {
        struct sem_set *set = &SNAP_SEM(s)[i];
        if (!(set->c.valid & FBIT(F_NSEMS)) || set->nsems == 0) continue;
        bool ok = read_values(ctx, s, set);
        if (!ok && errno == EACCES) s->sem_unreadable++; /* kept, its elements unknown */
        if (ok) {
            const struct sem_set *p = prev ? snapshot_find_sem(prev, set->c.id) : NULL;
            if (pids_reusable(prev, p, s, set)) {
                struct sem_element *ce = sem_elements(s, set);
                const struct sem_element *pe = sem_elements(prev, p);
                for (uint32_t k = 0; k < set->nsems; k++) ce[k].pid = pe[k].pid;
                set->c.valid |= FBIT(F_SEMPID);
            } else {
                ok = read_pids(s, set);
            }
        }
        if (ok) {
            if (sem_hint_may_wait(hint, set->c.id)) {
                ok = read_counts(s, set);
            } else {
                struct sem_element *e = sem_elements(s, set);
                for (uint32_t k = 0; k < set->nsems; k++) e[k].ncount = e[k].zcount = 0;
                set->c.valid |= FBIT(F_SEMCOUNT);
            }
        }
        if (!ok && vanished()) {
            if (!gone && !(gone = calloc(s->tab[IPC_SEM].n, sizeof *gone))) continue;
            gone[i] = true;
        }
    }
    if (gone) drop_vanished(s, gone);
    free(gone);
}

/* The sets tasks are blocked on, sorted and unique. Ids of other IPC namespaces may be
 * among them; that only costs a few needless GETNCNT calls. */
static bool sem_hint_from_tasks(struct collect_ctx *c, const struct task_scan *ts,
                                struct sem_hint *h)
{
    if (ts->nblocked > c->hint_cap) {
        int32_t *n = realloc(c->hint_ids, ts->nblocked * sizeof *n);
        if (!n) return false;
        c->hint_ids = n;
        c->hint_cap = ts->nblocked;
    }
    size_t n = 0;
    for (size_t i = 0; i < ts->nblocked; i++)
        if (ts->blocked[i].wait == WAIT_SEMOP && ts->blocked[i].args[0] <= INT32_MAX)
            c->hint_ids[n++] = (int32_t)ts->blocked[i].args[0];
    if (n > 1) qsort(c->hint_ids, n, sizeof *c->hint_ids, cmp_int32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || c->hint_ids[u - 1] != c->hint_ids[i]) c->hint_ids[u++] = c->hint_ids[i];
    *h = (struct sem_hint){ts->complete, c->hint_ids, u};
    return true;
}

void collect_sem_after_read(struct collect_ctx *ctx, const struct snapshot *prev,
                            struct snapshot *s)
{
    struct sem_hint hint;
    if (!sem_hint_from_tasks(ctx, &s->tasks, &hint)) hint.complete = false;
    collect_sem_elements(ctx, prev, s, &hint);
}

bool collect_sem_one(struct snapshot *s, struct sem_set *set)
{
    struct collect_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    bool ok =
        set->nsems == 0 || (read_values(&ctx, s, set) && read_pids(s, set) && read_counts(s, set));
    free(ctx.semvals);
    return ok;
}
