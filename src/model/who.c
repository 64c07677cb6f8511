#include "who.h"

#include "kind.h"

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
    if (x->kind != y->kind) return (x->kind > y->kind) - (x->kind < y->kind);
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
    for (int c = 0; c < IPC_NCLASSES; c++) {
        free(w->range[c]);
        free(w->mappings[c]);
    }
    free(w->att);
    free(w->wait);
    memset(w, 0, sizeof *w);
}

/* The attachers of every object of kind cls, from the mappings (both sorted by id). */
static void attach_kind(struct who *w, const struct snapshot *s, enum ipc_class cls,
                        const struct shm_mapping *m, size_t nm)
{
    size_t j = 0;
    while (j < nm && m[j].kind < (int)cls) j++;
    for (size_t i = 0; i < snapshot_count(s, cls); i++) {
        /* past the last mapping of the kind the rest have none (their ranges are zero): their
         * records are not looked at — at 32,000 segments, most refreshes find no attacher */
        if (j >= nm || m[j].kind != (int)cls) break;
        int32_t id = snapshot_common(s, cls, i)->id;
        while (j < nm && m[j].kind == (int)cls && m[j].shmid < id) j++;
        w->range[cls][i].off = (uint32_t)w->natt;
        /* one attacher per (object, pid), with how many mappings it has */
        for (; j < nm && m[j].kind == (int)cls && m[j].shmid == id; j++) {
            w->mappings[cls][i]++;
            struct who_attacher *last =
                w->natt > w->range[cls][i].off ? &w->att[w->natt - 1] : NULL;
            if (last && last->pid == m[j].pid) {
                last->mappings++;
                last->writable |= m[j].writable;
            } else {
                w->att[w->natt++] = (struct who_attacher){m[j].pid, 1, m[j].writable};
            }
        }
        w->range[cls][i].n = (uint32_t)w->natt - w->range[cls][i].off;
    }
}

static int build_attachers(struct who *w, const struct snapshot *s)
{
    const struct attach_scan *a = &s->attach;
    struct shm_mapping *m = malloc((a->n ? a->n : 1) * sizeof *m);
    w->att = malloc((a->n ? a->n : 1) * sizeof *w->att);
    if (!m || !w->att) {
        free(m);
        return -1;
    }
    if (a->n) memcpy(m, a->m, a->n * sizeof *m);
    if (a->n > 1) qsort(m, a->n, sizeof *m, cmp_mapping);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        if (kind_of((enum ipc_class)k)->users != KU_ATTACHERS) continue;
        size_t n = snapshot_count(s, (enum ipc_class)k);
        w->range[k] = calloc(n ? n : 1, sizeof *w->range[k]);
        w->mappings[k] = calloc(n ? n : 1, sizeof *w->mappings[k]);
        if (!w->range[k] || !w->mappings[k]) {
            free(m);
            return -1;
        }
        attach_kind(w, s, (enum ipc_class)k, m, a->n);
    }
    free(m);
    return 0;
}

void who_sem_target(const struct snapshot *s, const struct blocked_task *b,
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

/* The kind a blocked call waits on, or -1. */
static int kind_waited(enum ipc_wait wait)
{
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (kind_of((enum ipc_class)k)->waits & (1u << wait)) return k;
    return -1;
}

static int build_waiters(struct who *w, const struct snapshot *s)
{
    const struct task_scan *ts = &s->tasks;
    struct keyed_waiter *k = malloc((ts->nblocked ? ts->nblocked : 1) * sizeof *k);
    w->wait = malloc((ts->nblocked ? ts->nblocked : 1) * sizeof *w->wait);
    if (!k || !w->wait) {
        free(k);
        return -1;
    }
    for (int c = 0; c < IPC_NCLASSES; c++) {
        if (kind_of((enum ipc_class)c)->users != KU_WAITERS) continue;
        size_t count = snapshot_count(s, (enum ipc_class)c);
        if (!(w->range[c] = calloc(count ? count : 1, sizeof(struct who_range)))) {
            free(k);
            return -1;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < ts->nblocked; i++) {
        const struct blocked_task *b = &ts->blocked[i];
        /* ids repeat across IPC namespaces: only waiters of ours */
        const struct proc_info *p = procs_find(&s->procs, b->tgid);
        if (p && p->ipc_ns && s->procs.self_ipc_ns && p->ipc_ns != s->procs.self_ipc_ns) continue;
        int cls = kind_waited(b->wait);
        if (cls < 0) continue;
        int32_t id = (int32_t)b->args[0];
        long at = snapshot_index_of(s, (enum ipc_class)cls, id);
        if (at < 0) continue;
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
        /* what it waits for: the semaphore and operation, the message type and size */
        kind_of((enum ipc_class)cls)->waiter(s, (size_t)at, b, &ww);
        k[n++] = (struct keyed_waiter){(enum ipc_class)cls, id, ww};
    }
    if (n > 1) qsort(k, n, sizeof *k, cmp_waiter);
    size_t j = 0;
    for (int cls = 0; cls < IPC_NCLASSES; cls++) {
        if (!w->range[cls] || kind_of((enum ipc_class)cls)->users != KU_WAITERS) continue;
        size_t count = snapshot_count(s, (enum ipc_class)cls);
        while (j < n && k[j].cls < (enum ipc_class)cls) j++;
        for (size_t i = 0; i < count; i++) {
            /* past the last waiter of the kind the rest have none (zero ranges) */
            if (j >= n || k[j].cls != (enum ipc_class)cls) break;
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
    return kind_of(cls)->complete(w, s, i);
}

bool who_attachers_complete(const struct who *w, const struct snapshot *s, enum ipc_class cls,
                            size_t i, uint64_t counted)
{
    /* the mappings found must add up to the kernel's count, exactly: fewer means some
     * process out of sight (or gone meanwhile), more one that came meanwhile; a mapping whose
     * device could not be checked may be a forgery */
    uint32_t found = who_mappings(w, cls, i);
    return found == counted && (found == 0 || s->attach.unverified == 0);
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
