#include "model.h"

#include <stdlib.h>
#include <string.h>

#define SHM_DEST_BIT 01000

const char *obj_state_name(enum obj_state s)
{
    switch (s) {
    case OBJ_NEW: return "new";
    case OBJ_CHANGED: return "chg";
    case OBJ_GONE: return "gone";
    default: return "";
    }
}

/* A field counts as compared only when known in both records. */
#define BOTH(a, b, f) (((a)->valid & (b)->valid) & FBIT(f))

static bool same_common(const struct ipc_common *a, const struct ipc_common *b, bool shm)
{
    if (a->id != b->id) return false;
    if (BOTH(a, b, F_CUID) && a->cuid != b->cuid) return false;
    if (BOTH(a, b, F_CGID) && a->cgid != b->cgid) return false;
    if (BOTH(a, b, F_CTIME) && b->ctime < a->ctime) return false;
    if (BOTH(a, b, F_KEY) && a->key != b->key) {
        /* IPC_RMID on an attached segment sets its key to IPC_PRIVATE and SHM_DEST */
        bool destroyed = shm && b->key == 0 && BOTH(a, b, F_MODE) && (b->mode & SHM_DEST_BIT);
        if (!destroyed) return false;
    }
    return true;
}

/* A time that was set cannot go back to "never" for one object. */
#define UNSET_AGAIN(a, b, f, x) (BOTH(&(a)->c, &(b)->c, f) && (a)->x != 0 && (b)->x == 0)

bool model_same_object(enum ipc_class cls, const struct snapshot *sa, size_t a,
                       const struct snapshot *sb, size_t b)
{
    switch (cls) {
    case IPC_SHM: {
        const struct shm_segment *x = &SNAP_SHM(sa)[a], *y = &SNAP_SHM(sb)[b];
        if (!same_common(&x->c, &y->c, true)) return false;
        if (BOTH(&x->c, &y->c, F_SIZE) && x->size != y->size) return false;
        /* the creator pid is set once, at shmget */
        if (BOTH(&x->c, &y->c, F_CPID) && x->cpid != y->cpid) return false;
        return !UNSET_AGAIN(x, y, F_ATIME, atime) && !UNSET_AGAIN(x, y, F_DTIME, dtime);
    }
    case IPC_SEM: {
        const struct sem_set *x = &SNAP_SEM(sa)[a], *y = &SNAP_SEM(sb)[b];
        if (!same_common(&x->c, &y->c, false)) return false;
        if (BOTH(&x->c, &y->c, F_NSEMS) && x->nsems != y->nsems) return false;
        return !UNSET_AGAIN(x, y, F_OTIME, otime);
    }
    case IPC_MSG: {
        const struct msg_queue *x = &SNAP_MSG(sa)[a], *y = &SNAP_MSG(sb)[b];
        if (!same_common(&x->c, &y->c, false)) return false;
        if (UNSET_AGAIN(x, y, F_STIME, stime) || UNSET_AGAIN(x, y, F_RTIME, rtime)) return false;
        /* only IPC_SET moves a queue's ctime, and it sets owner, mode or qbytes: a ctime
         * that moved with all of them the same is a queue made again in the same slot */
        const uint64_t set =
            FBIT(F_CTIME) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_MODE) | FBIT(F_QBYTES);
        if ((x->c.valid & y->c.valid & set) == set && x->c.ctime != y->c.ctime &&
            x->c.uid == y->c.uid && x->c.gid == y->c.gid && x->c.mode == y->c.mode &&
            x->qbytes == y->qbytes)
            return false;
        return true;
    }
    default: return false;
    }
}
#undef UNSET_AGAIN

static uint64_t changed_common(const struct ipc_common *a, const struct ipc_common *b)
{
    uint64_t m = (a->valid ^ b->valid) & ~FBIT(F_SEMVAL) & ~FBIT(F_SEMPID) & ~FBIT(F_SEMCOUNT);
#define CMP(f, x)                                                                                  \
    if (BOTH(a, b, f) && a->x != b->x) m |= FBIT(f)
    CMP(F_KEY, key);
    CMP(F_UID, uid);
    CMP(F_GID, gid);
    CMP(F_MODE, mode);
    CMP(F_CTIME, ctime);
#undef CMP
    return m;
}

#define CMPF(f, x)                                                                                 \
    if (BOTH(&a->c, &b->c, f) && a->x != b->x) m |= FBIT(f)

static uint64_t changed_shm(const struct shm_segment *a, const struct shm_segment *b)
{
    uint64_t m = changed_common(&a->c, &b->c);
    CMPF(F_NATTCH, nattch);
    CMPF(F_CPID, cpid);
    CMPF(F_LPID, lpid);
    CMPF(F_ATIME, atime);
    CMPF(F_DTIME, dtime);
    CMPF(F_RSS, rss);
    CMPF(F_SWAP, swap);
    return m;
}

static uint64_t changed_msg(const struct msg_queue *a, const struct msg_queue *b)
{
    uint64_t m = changed_common(&a->c, &b->c);
    CMPF(F_MSGS, msgs);
    CMPF(F_USEDBYTES, usedbytes);
    CMPF(F_QBYTES, qbytes);
    CMPF(F_LSPID, lspid);
    CMPF(F_LRPID, lrpid);
    CMPF(F_STIME, stime);
    CMPF(F_RTIME, rtime);
    return m;
}

static uint64_t changed_sem(const struct snapshot *sa, const struct sem_set *a,
                            const struct snapshot *sb, const struct sem_set *b, uint8_t *elem)
{
    uint64_t m = changed_common(&a->c, &b->c);
    CMPF(F_OTIME, otime);
    const uint64_t elem_bits = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    m |= (a->c.valid ^ b->c.valid) & elem_bits;
    const struct sem_element *ea = sem_elements(sa, a), *eb = sem_elements(sb, b);
    for (uint32_t i = 0; i < a->nsems && i < b->nsems; i++) {
        uint8_t e = 0;
        if (BOTH(&a->c, &b->c, F_SEMVAL) && ea[i].value != eb[i].value) e |= EC_VALUE;
        if (BOTH(&a->c, &b->c, F_SEMPID) && ea[i].pid != eb[i].pid) e |= EC_PID;
        if (BOTH(&a->c, &b->c, F_SEMCOUNT) &&
            (ea[i].ncount != eb[i].ncount || ea[i].zcount != eb[i].zcount))
            e |= EC_COUNTS;
        if (elem) elem[b->elem_off + i] = e;
        m |= (e & EC_VALUE ? FBIT(F_SEMVAL) : 0) | (e & EC_PID ? FBIT(F_SEMPID) : 0) |
             (e & EC_COUNTS ? FBIT(F_SEMCOUNT) : 0);
    }
    return m;
}
#undef CMPF

static uint64_t changed_fields(enum ipc_class cls, const struct snapshot *sa, size_t a,
                               const struct snapshot *sb, size_t b, uint8_t *elem)
{
    switch (cls) {
    case IPC_SHM: return changed_shm(&SNAP_SHM(sa)[a], &SNAP_SHM(sb)[b]);
    case IPC_SEM: return changed_sem(sa, &SNAP_SEM(sa)[a], sb, &SNAP_SEM(sb)[b], elem);
    case IPC_MSG: return changed_msg(&SNAP_MSG(sa)[a], &SNAP_MSG(sb)[b]);
    default: return 0;
    }
}

uint64_t model_changed_fields(enum ipc_class cls, const struct snapshot *sa, size_t a,
                              const struct snapshot *sb, size_t b)
{
    return changed_fields(cls, sa, a, sb, b, NULL);
}

static int diff_class(enum ipc_class cls, const struct snapshot *prev, const struct snapshot *cur,
                      struct class_diff *cd)
{
    size_t np = prev ? snapshot_count(prev, cls) : 0, nc = snapshot_count(cur, cls);
    cd->ncur = nc;
    cd->cur = calloc(nc ? nc : 1, sizeof *cd->cur);
    cd->gone = malloc((np ? np : 1) * sizeof *cd->gone);
    if (!cd->cur || !cd->gone) return -1;
    if (cls == IPC_SEM && !(cd->elem = calloc(cur->nelems ? cur->nelems : 1, 1))) return -1;
    if (!prev) {
        for (size_t i = 0; i < nc; i++) cd->cur[i] = (struct obj_diff){OBJ_SAME, -1, 0};
        return 0;
    }
    /* both are sorted by id: one merge pass */
    size_t i = 0, j = 0;
    while (i < np || j < nc) {
        int32_t pid = i < np ? snapshot_common(prev, cls, i)->id : INT32_MAX;
        int32_t cid = j < nc ? snapshot_common(cur, cls, j)->id : INT32_MAX;
        if (i < np && (j >= nc || pid < cid)) {
            cd->gone[cd->ngone++] = i++;
        } else if (j < nc && (i >= np || cid < pid)) {
            cd->cur[j++] = (struct obj_diff){OBJ_NEW, -1, 0};
            cd->nnew++;
        } else if (!model_same_object(cls, prev, i, cur, j)) {
            cd->gone[cd->ngone++] = i++;
            cd->cur[j++] = (struct obj_diff){OBJ_NEW, -1, 0};
            cd->nnew++;
        } else {
            uint64_t m = changed_fields(cls, prev, i, cur, j, cd->elem);
            cd->cur[j] = (struct obj_diff){m ? OBJ_CHANGED : OBJ_SAME, (int64_t)i, m};
            if (m) cd->nchanged++;
            i++;
            j++;
        }
    }
    return 0;
}

int snapshot_diff(const struct snapshot *prev, const struct snapshot *cur, struct snapshot_diff *d)
{
    memset(d, 0, sizeof *d);
    d->prev = prev;
    d->cur = cur;
    d->dt = prev ? cur->monotonic - prev->monotonic : 0;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        if (diff_class((enum ipc_class)c, prev, cur, &d->cls[c]) < 0) {
            snapshot_diff_free(d);
            return -1;
        }
    }
    return 0;
}

void snapshot_diff_free(struct snapshot_diff *d)
{
    for (int c = 0; c < IPC_NCLASSES; c++) {
        free(d->cls[c].cur);
        free(d->cls[c].gone);
        free(d->cls[c].elem);
    }
    memset(d, 0, sizeof *d);
}

bool model_msg_rates(const struct snapshot_diff *d, size_t i, double *msgs_per_s,
                     double *bytes_per_s)
{
    if (!d->prev || d->dt <= 0 || i >= d->cls[IPC_MSG].ncur) return false;
    const struct obj_diff *od = &d->cls[IPC_MSG].cur[i];
    if (od->prev < 0) return false;
    const struct msg_queue *a = &SNAP_MSG(d->prev)[od->prev], *b = &SNAP_MSG(d->cur)[i];
    const uint64_t need = FBIT(F_MSGS) | FBIT(F_USEDBYTES);
    if ((a->c.valid & b->c.valid & need) != need) return false;
    *msgs_per_s = ((double)b->msgs - (double)a->msgs) / d->dt;
    *bytes_per_s = ((double)b->usedbytes - (double)a->usedbytes) / d->dt;
    return true;
}
