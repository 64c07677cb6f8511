#include "who.h"

#include <stdlib.h>
#include <string.h>

#define SEMVMX 32767

int who_blocking_op(const struct sem_op *ops, size_t nops, const int32_t *values, uint32_t nsems)
{
    int32_t v[256];
    if (nsems == 0 || nsems > 256) {
        /* big sets: only the semaphores the operations touch matter; check them in place */
        for (size_t i = 0; i < nops; i++) {
            if (ops[i].num >= nsems) return -1;
            int32_t val = values[ops[i].num];
            for (size_t k = 0; k < i; k++)
                if (ops[k].num == ops[i].num) val += ops[k].op;
            if ((ops[i].op == 0 && val != 0) || val + ops[i].op < 0) return (int)i;
        }
        return -1;
    }
    memcpy(v, values, nsems * sizeof *v);
    for (size_t i = 0; i < nops; i++) {
        if (ops[i].num >= nsems) return -1; /* the kernel would have refused it: EFBIG */
        int32_t cur = v[ops[i].num], res = cur + ops[i].op;
        if (ops[i].op == 0 ? cur != 0 : res < 0) return (int)i;
        if (res > SEMVMX) return -1; /* ERANGE, not a wait */
        v[ops[i].num] = res;
    }
    return -1;
}

static int cmp_mapping(const void *a, const void *b)
{
    const struct shm_mapping *x = a, *y = b;
    if (x->shmid != y->shmid) return (x->shmid > y->shmid) - (x->shmid < y->shmid);
    return (x->pid > y->pid) - (x->pid < y->pid);
}

struct keyed_waiter {
    enum ipc_class cls;
    int32_t id;
    struct who_waiter w;
};

static int cmp_waiter(const void *a, const void *b)
{
    const struct keyed_waiter *x = a, *y = b;
    if (x->cls != y->cls) return (x->cls > y->cls) - (x->cls < y->cls);
    if (x->id != y->id) return (x->id > y->id) - (x->id < y->id);
    if (x->w.since != y->w.since) return (x->w.since > y->w.since) - (x->w.since < y->w.since);
    return (x->w.tid > y->w.tid) - (x->w.tid < y->w.tid);
}

void who_free(struct who *w)
{
    for (int c = 0; c < IPC_NCLASSES; c++) free(w->range[c]);
    free(w->mappings);
    free(w->att);
    free(w->wait);
    memset(w, 0, sizeof *w);
}

static int build_attachers(struct who *w, const struct snapshot *s)
{
    const struct attach_scan *a = &s->attach;
    struct shm_mapping *m = malloc((a->n ? a->n : 1) * sizeof *m);
    w->att = malloc((a->n ? a->n : 1) * sizeof *w->att);
    w->range[IPC_SHM] =
        calloc(s->tab[IPC_SHM].n ? s->tab[IPC_SHM].n : 1, sizeof *w->range[IPC_SHM]);
    w->mappings = calloc(s->tab[IPC_SHM].n ? s->tab[IPC_SHM].n : 1, sizeof *w->mappings);
    if (!m || !w->att || !w->range[IPC_SHM] || !w->mappings) {
        free(m);
        return -1;
    }
    if (a->n) memcpy(m, a->m, a->n * sizeof *m);
    if (a->n > 1) qsort(m, a->n, sizeof *m, cmp_mapping);
    /* both sorted by id: walk them together; one attacher per (segment, pid) */
    size_t j = 0;
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) {
        int32_t id = SNAP_SHM(s)[i].c.id;
        while (j < a->n && m[j].shmid < id) j++;
        w->range[IPC_SHM][i].off = (uint32_t)w->natt;
        for (; j < a->n && m[j].shmid == id; j++) {
            w->mappings[i]++;
            struct who_attacher *last =
                w->natt > w->range[IPC_SHM][i].off ? &w->att[w->natt - 1] : NULL;
            if (last && last->pid == m[j].pid) {
                last->mappings++;
                last->writable |= m[j].writable;
            } else {
                w->att[w->natt++] = (struct who_attacher){m[j].pid, 1, m[j].writable};
            }
        }
        w->range[IPC_SHM][i].n = (uint32_t)w->natt - w->range[IPC_SHM][i].off;
    }
    free(m);
    return 0;
}

/* The semaphore and operation a semop waiter is blocked on, from its sembuf and the values. */
static void sem_target(const struct snapshot *s, const struct blocked_task *b,
                       const struct sem_set *set, struct who_waiter *w)
{
    w->semnum = -1;
    w->op = WHO_OP_UNKNOWN;
    if (!set || !b->nops || !(set->c.valid & FBIT(F_SEMVAL))) return;
    const struct sem_element *e = sem_elements(s, set);
    int32_t *vals = malloc((set->nsems ? set->nsems : 1) * sizeof *vals);
    if (!vals) return;
    for (uint32_t k = 0; k < set->nsems; k++) vals[k] = e[k].value;
    int i = who_blocking_op(&s->tasks.ops[b->ops_off], b->nops, vals, set->nsems);
    free(vals);
    if (i < 0) return;
    w->semnum = s->tasks.ops[b->ops_off + (size_t)i].num;
    w->op = s->tasks.ops[b->ops_off + (size_t)i].op;
}

static int build_waiters(struct who *w, const struct snapshot *s)
{
    const struct task_scan *ts = &s->tasks;
    struct keyed_waiter *k = malloc((ts->nblocked ? ts->nblocked : 1) * sizeof *k);
    w->wait = malloc((ts->nblocked ? ts->nblocked : 1) * sizeof *w->wait);
    w->range[IPC_SEM] = calloc(s->tab[IPC_SEM].n ? s->tab[IPC_SEM].n : 1, sizeof(struct who_range));
    w->range[IPC_MSG] = calloc(s->tab[IPC_MSG].n ? s->tab[IPC_MSG].n : 1, sizeof(struct who_range));
    if (!k || !w->wait || !w->range[IPC_SEM] || !w->range[IPC_MSG]) {
        free(k);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < ts->nblocked; i++) {
        const struct blocked_task *b = &ts->blocked[i];
        /* ids repeat across IPC namespaces: only waiters of ours */
        const struct proc_info *p = procs_find(&s->procs, b->tgid);
        if (p && p->ipc_ns && s->procs.self_ipc_ns && p->ipc_ns != s->procs.self_ipc_ns) continue;
        int32_t id = (int32_t)b->args[0];
        struct who_waiter ww = {b->tgid,
                                b->tid,
                                b->wait,
                                -1,
                                WHO_OP_UNKNOWN,
                                0,
                                0,
                                0,
                                b->state == 'T' || b->state == 't',
                                b->since};
        if (b->wait == WAIT_SEMOP) {
            const struct sem_set *set = snapshot_find_sem(s, id);
            if (!set) continue;
            sem_target(s, b, set, &ww);
            k[n++] = (struct keyed_waiter){IPC_SEM, id, ww};
        } else {
            if (!snapshot_find_msg(s, id)) continue;
            /* msgsnd(id, msgp, msgsz, flg); msgrcv(id, msgp, msgsz, msgtyp, flg) */
            ww.size = b->args[2];
            ww.msgtyp = b->wait == WAIT_MSGRCV ? (int64_t)b->args[3] : b->mtype;
            if (b->wait == WAIT_MSGRCV) ww.msgflg = (uint32_t)b->args[4];
            k[n++] = (struct keyed_waiter){IPC_MSG, id, ww};
        }
    }
    if (n > 1) qsort(k, n, sizeof *k, cmp_waiter);
    size_t j = 0;
    for (int cls = IPC_SEM; cls <= IPC_MSG; cls++) {
        size_t count = snapshot_count(s, (enum ipc_class)cls);
        for (size_t i = 0; i < count; i++) {
            int32_t id = snapshot_common(s, (enum ipc_class)cls, i)->id;
            while (j < n && k[j].cls == (enum ipc_class)cls && k[j].id < id) j++;
            w->range[cls][i].off = (uint32_t)w->nwait;
            for (; j < n && k[j].cls == (enum ipc_class)cls && k[j].id == id; j++)
                w->wait[w->nwait++] = k[j].w;
            w->range[cls][i].n = (uint32_t)w->nwait - w->range[cls][i].off;
        }
        while (j < n && k[j].cls == (enum ipc_class)cls) j++;
    }
    free(k);
    return 0;
}

int who_build(struct who *w, const struct snapshot *s)
{
    memset(w, 0, sizeof *w);
    w->procs_ok = s->procs.ok;
    w->attach_complete = s->attach.complete;
    w->tasks_complete = s->tasks.complete;
    if (build_attachers(w, s) < 0 || build_waiters(w, s) < 0) {
        who_free(w);
        return -1;
    }
    return 0;
}

bool who_complete(const struct who *w, const struct snapshot *s, enum ipc_class cls, size_t i)
{
    switch (cls) {
    case IPC_SHM: {
        /* the mappings found must add up to the kernel's count, exactly: fewer means some
         * process out of sight (or gone meanwhile), more one that came meanwhile; a mapping
         * whose device could not be checked may be a forgery */
        const struct shm_segment *g = &SNAP_SHM(s)[i];
        return (g->c.valid & FBIT(F_NATTCH)) && w->mappings && w->mappings[i] == g->nattch &&
               (w->mappings[i] == 0 || s->attach.unverified == 0);
    }
    case IPC_SEM: {
        if (w->tasks_complete) return true;
        int64_t counted = sem_set_waiters(s, &SNAP_SEM(s)[i]);
        size_t n, running = 0;
        const struct who_waiter *wt = who_waiters(w, IPC_SEM, i, &n);
        for (size_t k = 0; k < n; k++) running += !wt[k].stopped;
        /* the kernel counts every task blocked on the set (not stopped ones) */
        return counted >= 0 && (int64_t)running >= counted;
    }
    default: return w->tasks_complete;
    }
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

enum liveness who_shm_cpid_alive(const struct snapshot *s, const struct shm_segment *g)
{
    if (!(g->c.valid & FBIT(F_CPID))) return LIVE_UNKNOWN;
    /* the creator existed when the segment was made, at or before ctime */
    return procs_liveness(&s->procs, g->cpid, g->c.ctime);
}

enum liveness who_shm_lpid_alive(const struct snapshot *s, const struct shm_segment *g)
{
    if (!(g->c.valid & FBIT(F_LPID))) return LIVE_UNKNOWN;
    return procs_liveness(&s->procs, g->lpid, max64(g->atime, g->dtime));
}

enum liveness who_sem_pid_alive(const struct snapshot *s, const struct sem_set *set, uint32_t k)
{
    if (!(set->c.valid & FBIT(F_SEMPID))) return LIVE_UNKNOWN;
    return procs_liveness(&s->procs, sem_elements(s, set)[k].pid, max64(set->otime, set->c.ctime));
}

enum liveness who_msg_lspid_alive(const struct snapshot *s, const struct msg_queue *q)
{
    if (!(q->c.valid & FBIT(F_LSPID))) return LIVE_UNKNOWN;
    return procs_liveness(&s->procs, q->lspid, q->stime);
}

enum liveness who_msg_lrpid_alive(const struct snapshot *s, const struct msg_queue *q)
{
    if (!(q->c.valid & FBIT(F_LRPID))) return LIVE_UNKNOWN;
    return procs_liveness(&s->procs, q->lrpid, q->rtime);
}
