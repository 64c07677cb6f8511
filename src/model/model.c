/*
 * model.c — one refresh's model: the diff (diff.c), who uses what (who.c), the owners'
 * live processes, what the monitor remembers of processes, and the leak verdicts.
 */
#include "model.h"

#include "kind.h"

#include <stdlib.h>
#include <string.h>

/* ---- what the monitor remembers of processes -------------------------------------------- */

/* Entries unseen for this long are forgotten once the memory is large. */
#define MEMORY_KEEP_SECONDS 3600.0
#define MEMORY_SOFT_LIMIT   4096

void proc_memory_free(struct proc_memory *m)
{
    free(m->p);
    free(m->seen);
    memset(m, 0, sizeof *m);
}

/* The same process: same pid, and start times that agree to the clock tick. */
static bool same_process(const struct leak_remembered *a, const struct proc_info *p)
{
    double d = a->start - p->start;
    return a->pid == p->pid && d < 0.005 && d > -0.005;
}

static void remember(struct leak_remembered *r, const struct proc_table *t,
                     const struct proc_info *p)
{
    *r = (struct leak_remembered){p->pid, p->ppid, p->ruid, p->start, ""};
    const char *cmd = procs_cmdline(t, p);
    size_t l = strlen(cmd);
    if (l >= sizeof r->cmd) l = sizeof r->cmd - 1;
    memcpy(r->cmd, cmd, l);
    r->cmd[l] = '\0';
}

/* Merges the processes of one snapshot (sorted by pid) into the memory: O(n + m). */
static int memory_update(struct proc_memory *m, const struct snapshot *s)
{
    const struct proc_table *t = &s->procs;
    size_t cap = m->n + t->n;
    struct leak_remembered *np = malloc((cap ? cap : 1) * sizeof *np);
    double *ns = malloc((cap ? cap : 1) * sizeof *ns);
    if (!np || !ns) {
        free(np);
        free(ns);
        return -1;
    }
    /* both sorted by (pid, start): one merge; a process seen again is refreshed */
    size_t i = 0, j = 0, k = 0;
    while (i < m->n || j < t->n) {
        const struct proc_info *p = j < t->n ? &t->p[j] : NULL;
        if (p && (p->state == 'Z' || p->state == 'X')) {
            j++; /* an exited process adds nothing */
            continue;
        }
        bool same = p && i < m->n && same_process(&m->p[i], p);
        bool mem_first = i < m->n && (!p || m->p[i].pid < p->pid ||
                                      (m->p[i].pid == p->pid && !same && m->p[i].start < p->start));
        if (mem_first) {
            np[k] = m->p[i];
            ns[k++] = m->seen[i++];
            continue;
        }
        if (same) i++;
        remember(&np[k], t, p);
        ns[k++] = s->monotonic;
        j++;
    }
    /* forget what nobody saw for an hour, once there is much of it */
    if (k > MEMORY_SOFT_LIMIT) {
        size_t w = 0;
        for (size_t r = 0; r < k; r++)
            if (s->monotonic - ns[r] < MEMORY_KEEP_SECONDS) {
                np[w] = np[r];
                ns[w++] = ns[r];
            }
        k = w;
    }
    free(m->p);
    free(m->seen);
    m->p = np;
    m->seen = ns;
    m->n = k;
    m->cap = cap;
    return 0;
}

/* ---- the owners' live processes ---------------------------------------------------------- */

struct uid_pid {
    uint32_t uid;
    int32_t pid;
};

static int cmp_uid_pid(const void *a, const void *b)
{
    const struct uid_pid *x = a, *y = b;
    if (x->uid != y->uid) return (x->uid > y->uid) - (x->uid < y->uid);
    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A process that uses an IPC object now, and the object. */
struct pid_use {
    int32_t pid;
    uint8_t cls;
    int32_t id;
};

static int cmp_pid_use(const void *a, const void *b)
{
    const struct pid_use *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static int build_owners(struct model *m, const struct snapshot *s)
{
    const struct owner_scan *o = &s->owners;
    m->owners.known = o->read && o->sees_all;
    if (!o->read || !o->n) return 0;
    /* who uses what, by pid: attachers and waiters */
    size_t nuse = m->who.natt + m->who.nwait, k = 0;
    struct pid_use *use = malloc((nuse ? nuse : 1) * sizeof *use);
    struct uid_pid *up = malloc(2 * o->n * sizeof *up);
    m->owners.u = malloc(2 * o->n * sizeof *m->owners.u);
    if (!use || !up || !m->owners.u) {
        free(use);
        free(up);
        return -1;
    }
    for (int cls = 0; cls < IPC_NCLASSES; cls++) {
        bool attached = kind_of((enum ipc_class)cls)->users == KU_ATTACHERS;
        for (size_t i = 0; i < snapshot_count(s, (enum ipc_class)cls); i++) {
            size_t n;
            const struct who_attacher *a =
                attached ? who_attachers(&m->who, (enum ipc_class)cls, i, &n) : NULL;
            const struct who_waiter *w =
                attached ? NULL : who_waiters(&m->who, (enum ipc_class)cls, i, &n);
            if (!n) continue; /* most objects: their record is not even looked at */
            int32_t id = snapshot_common(s, (enum ipc_class)cls, i)->id;
            for (size_t j = 0; j < n; j++)
                use[k++] = (struct pid_use){a ? a[j].pid : w[j].pid, (uint8_t)cls, id};
        }
    }
    nuse = k;
    if (nuse > 1) qsort(use, nuse, sizeof *use, cmp_pid_use);
    size_t nup = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct owner_proc *p = &o->p[i];
        if (owners_is_self(o, p->pid)) continue;
        up[nup++] = (struct uid_pid){p->ruid, p->pid};
        if (p->euid != p->ruid) up[nup++] = (struct uid_pid){p->euid, p->pid};
    }
    if (nup > 1) qsort(up, nup, sizeof *up, cmp_uid_pid);
    size_t n = 0;
    for (size_t i = 0; i < nup; i++) {
        if (!n || m->owners.u[n - 1].uid != up[i].uid)
            m->owners.u[n++] = (struct leak_owner){up[i].uid, 0, up[i].pid, -1, 0, -1};
        struct leak_owner *e = &m->owners.u[n - 1];
        e->count++;
        if (e->user_pid > 0) continue;
        struct pid_use key = {up[i].pid, 0, 0};
        const struct pid_use *hit =
            nuse ? bsearch(&key, use, nuse, sizeof *use, cmp_pid_use) : NULL;
        if (hit) {
            e->user_pid = hit->pid;
            e->user_cls = hit->cls;
            e->user_id = hit->id;
        }
    }
    m->owners.n = n;
    free(use);
    free(up);
    return 0;
}

/* ---- the model ------------------------------------------------------------------------- */

void model_free(struct model *m)
{
    snapshot_diff_free(&m->diff);
    who_free(&m->who);
    free(m->owners.u);
    for (int c = 0; c < IPC_NCLASSES; c++) free(m->verdict[c]);
    free(m->mem);
    memset(m, 0, sizeof *m);
}

/* Keeps a copy of the n remembered processes the verdicts name (the memory changes with the
 * next refresh, the model must not). */
static int keep_remembered(struct model *m, const struct proc_memory *mem, size_t n)
{
    if (!n) return 0;
    m->mem = malloc(n * sizeof *m->mem);
    if (!m->mem) return -1;
    for (int c = 0; c < IPC_NCLASSES; c++)
        for (size_t i = 0; i < snapshot_count(m->cur, (enum ipc_class)c); i++) {
            struct leak_verdict *v = &m->verdict[c][i];
            if (v->remembered < 0) continue;
            m->mem[m->nmem] = mem->p[v->remembered];
            v->remembered = (int32_t)m->nmem++;
        }
    return 0;
}

int model_build(struct model *m, const struct snapshot *prev, const struct snapshot *cur,
                const struct model_params *p, struct proc_memory *mem)
{
    memset(m, 0, sizeof *m);
    m->prev = prev;
    m->cur = cur;
    m->now = (int64_t)cur->wall;
    m->min_age = p->min_age;
    ipc_usage_of(cur, &m->usage);
    if (snapshot_diff(prev, cur, &m->diff) < 0 || who_build(&m->who, cur) < 0) goto nomem;
    if (build_owners(m, cur) < 0) goto nomem;
    if (mem && memory_update(mem, cur) < 0) goto nomem;
    struct leak_inputs in = {cur,    &m->who,   &m->owners, mem ? mem->p : NULL, mem ? mem->n : 0,
                             m->now, p->min_age};
    size_t named = 0; /* verdicts that name a remembered process */
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n = snapshot_count(cur, (enum ipc_class)c);
        m->verdict[c] = malloc((n ? n : 1) * sizeof *m->verdict[c]);
        if (!m->verdict[c]) goto nomem;
        for (size_t i = 0; i < n; i++) {
            m->verdict[c][i] = leak_judge(&in, (enum ipc_class)c, i);
            named += m->verdict[c][i].remembered >= 0;
        }
    }
    if (mem && keep_remembered(m, mem, named) < 0) goto nomem;
    return 0;
nomem:
    model_free(m);
    return -1;
}

char *model_leak_text(const struct model *m, enum ipc_class cls, size_t i, struct users *u,
                      char *buf, size_t len)
{
    return leak_describe(buf, len, model_verdict(m, cls, i), m->cur, cls, i, m->mem, u, m->now,
                         m->min_age);
}
