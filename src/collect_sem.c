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
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->semids[mid] < semid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->n && h->semids[lo] == semid;
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

void collect_sem_elements(struct collect_ctx *ctx, const struct snapshot *prev, struct snapshot *s,
                          const struct sem_hint *hint)
{
    for (size_t i = 0; i < s->nsem; i++) {
        struct sem_set *set = &s->sem[i];
        if (!(set->c.valid & FBIT(F_NSEMS)) || set->nsems == 0) continue;
        if (!read_values(ctx, s, set)) {
            /* EACCES: keep the set, its elements stay unknown. EINVAL/EIDRM: it went away
             * after it was listed; the next snapshot will not have it. */
            if (errno == EACCES) s->sem_unreadable++;
            continue;
        }
        const struct sem_set *p = prev ? snapshot_find_sem(prev, set->c.id) : NULL;
        if (pids_reusable(prev, p, s, set)) {
            struct sem_element *ce = sem_elements(s, set);
            const struct sem_element *pe = sem_elements(prev, p);
            for (uint32_t k = 0; k < set->nsems; k++) ce[k].pid = pe[k].pid;
            set->c.valid |= FBIT(F_SEMPID);
        } else if (!read_pids(s, set)) {
            continue;
        }
        if (sem_hint_may_wait(hint, set->c.id)) {
            read_counts(s, set);
        } else {
            struct sem_element *e = sem_elements(s, set);
            for (uint32_t k = 0; k < set->nsems; k++) e[k].ncount = e[k].zcount = 0;
            set->c.valid |= FBIT(F_SEMCOUNT);
        }
    }
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
