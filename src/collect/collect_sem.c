/*
 * Semaphore elements. At 32,000 sets of 4, one syscall per semaphore per field costs
 * more than everything else together (GETPID and GETNCNT each ~40 ms here), so:
 *   - values and pids: GETALL and GETPID only for sets that may have changed since the
 *     previous snapshot; the others' are carried over (sem_elements_carry);
 *   - ncount/zcount: only a task blocked in semop can make them non-zero; when the task
 *     scan saw every task (struct sem_hint.complete) only the sets it named are asked,
 *     otherwise every set is; zcount is not asked of a semaphore whose value is 0.
 *
 * Why carrying over is exact. In the kernel (ipc/sem.c) every path that changes a value or
 * a last pid also stamps the set with the time, in whole seconds:
 *   - semop/semtimedop that succeeds, and a waiter's operation completed by another task:
 *     sempid, then otime (set_semotime, from do_smart_update or directly);
 *   - SETVAL and SETALL: value and sempid, then ctime (and otime if a waiter completes);
 *   - exit_sem, the SEM_UNDO adjustments of an exiting process: value and sempid, then
 *     do_smart_update with otime forced, so otime;
 *   - IPC_SET: ctime; IPC_RMID: the set is gone; a new set gets ctime = now.
 * otime (the latest of the per-semaphore stamps) and ctime never go back while the realtime
 * clock does not. So when a set's otime and ctime are the same as in the previous snapshot
 * and older than the second in which the previous pass began (less a margin), nothing has
 * touched the set since its elements were last read: a change after that read would have
 * stamped it with a later second. Equal stamps in the same second prove nothing (+1 then -1
 * within a second leaves otime, ctime and the value as they were), hence "older than".
 *
 * The margin (CARRY_MARGIN seconds) covers the kernel's coarse clock, which gives the
 * second of its last tick and may lag CLOCK_REALTIME by a tick, and a backward step of the
 * clock too small to be told from NTP's slewing. Larger steps are watched: a timerfd with
 * TFD_TIMER_CANCEL_ON_SET says the clock was set, and the distance between the realtime and
 * the monotonic clock must not have shrunk; after a step nothing is carried over until a
 * pass has begun after it. The same holds by induction when the previous snapshot carried
 * its elements too: its stamps were the same as at the last read.
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
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* Seconds below the second the previous pass began that a stamp must be (see the top). */
#define CARRY_MARGIN 2

bool sem_hint_may_wait(const struct sem_hint *h, int32_t semid)
{
    if (!h || !h->complete) return true;
    size_t at = sorted_lower_bound(h->semids, h->n, sizeof *h->semids, &semid, cmp_int32);
    return at < h->n && h->semids[at] == semid;
}

static double clock_now(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Arms the watch: an absolute timer a century ahead, cancelled if the clock is set. */
static bool clock_watch_arm(int fd)
{
    struct itimerspec t = {{0, 0}, {(time_t)clock_now(CLOCK_REALTIME) + 100L * 365 * 86400, 0}};
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL) == 0;
}

/* Looks whether the realtime clock was set since the last look (ctx->clock_set_seen). */
static void clock_watch(struct collect_ctx *ctx)
{
    if (ctx->clock_fd == -1) {
        int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd >= 0 && !clock_watch_arm(fd)) {
            close(fd);
            fd = -1;
        }
        ctx->clock_fd = fd >= 0 ? fd : -2;
        /* what happened before the watch is unknown: as if the clock was set just now */
        ctx->clock_set_seen = fd >= 0 ? clock_now(CLOCK_MONOTONIC) : INFINITY;
        return;
    }
    if (ctx->clock_fd < 0) return;
    uint64_t n;
    if (read(ctx->clock_fd, &n, sizeof n) >= 0 || errno == ECANCELED) {
        /* cancelled (or, a century on, expired): the clock was set; watch again */
        ctx->clock_set_seen = clock_now(CLOCK_MONOTONIC);
        if (!clock_watch_arm(ctx->clock_fd)) {
            close(ctx->clock_fd);
            ctx->clock_fd = -2;
            ctx->clock_set_seen = INFINITY;
        }
    }
}

bool sem_clock_may_have_gone_back(double set_seen, const struct snapshot *prev,
                                  const struct snapshot *s)
{
    if (!(prev->elems_mono > set_seen)) return true;
    double slew = 0.01 + 0.0005 * (s->elems_mono - prev->elems_mono);
    if (slew > 0.5) slew = 0.5;
    return s->elems_wall - s->elems_mono < prev->elems_wall - prev->elems_mono - slew;
}

bool sem_elements_carry(bool clock_ok, const struct snapshot *prev, const struct sem_set *p,
                        const struct sem_set *cur)
{
    const uint64_t stamps = FBIT(F_OTIME) | FBIT(F_CTIME);
    const uint64_t need = FBIT(F_SEMPID) | FBIT(F_SEMVAL) | stamps;
    if (!clock_ok || !p || (p->c.valid & need) != need || (cur->c.valid & stamps) != stamps)
        return false;
    if (p->nsems != cur->nsems || p->c.cuid != cur->c.cuid || p->otime != cur->otime ||
        p->c.ctime != cur->c.ctime)
        return false;
    int64_t began = (int64_t)floor(prev->elems_wall) - CARRY_MARGIN;
    return p->otime < began && p->c.ctime < began;
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
    clock_watch(ctx);
    s->elems_wall = clock_now(CLOCK_REALTIME);
    s->elems_mono = clock_now(CLOCK_MONOTONIC);
    bool clock_ok =
        prev && prev->elems_mono > 0 && !sem_clock_may_have_gone_back(ctx->clock_set_seen, prev, s);
    bool *gone = NULL; /* allocated at the first set that vanishes */
    /* both snapshots are sorted by id: the previous record of each set by a merge */
    size_t np = clock_ok ? snapshot_count(prev, IPC_SEM) : 0, j = 0;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) {
        struct sem_set *set = &SNAP_SEM(s)[i];
        if (!(set->c.valid & FBIT(F_NSEMS)) || set->nsems == 0) continue;
        while (j < np && SNAP_SEM(prev)[j].c.id < set->c.id) j++;
        const struct sem_set *p =
            j < np && SNAP_SEM(prev)[j].c.id == set->c.id ? &SNAP_SEM(prev)[j] : NULL;
        bool ok = true;
        if (sem_elements_carry(clock_ok, prev, p, set)) {
            struct sem_element *ce = sem_elements(s, set);
            const struct sem_element *pe = sem_elements(prev, p);
            for (uint32_t k = 0; k < set->nsems; k++) {
                ce[k].value = pe[k].value;
                ce[k].pid = pe[k].pid;
            }
            set->c.valid |= FBIT(F_SEMVAL) | FBIT(F_SEMPID);
            s->sem_carried++;
        } else {
            ok = read_values(ctx, s, set);
            if (!ok && errno == EACCES) s->sem_unreadable++; /* kept, its elements unknown */
            if (ok) ok = read_pids(s, set);
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
    ctx.clock_fd = -1;
    bool ok =
        set->nsems == 0 || (read_values(&ctx, s, set) && read_pids(s, set) && read_counts(s, set));
    free(ctx.semvals);
    return ok;
}
