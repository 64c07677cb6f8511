#include "collect.h"
#include "threads.h"
#include "sorted.h"
#include "kind.h"
#include "sysv.h"
#include "collect_sem.h"
#include "collect_source.h"
#include "hugetlb.h"
#include "nsinfo.h"
#include "procfs_parse.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What one class's reading needs; the sem class runs in the collector's worker thread. */
struct class_job {
    struct collector *c;
    enum ipc_class cls;
    const struct snapshot *prev;
    struct snapshot *s;
    int result;
};

/*
 * The worker: one thread for the collector's life, woken for each refresh with a job
 * (creating a thread per refresh costs a clone and a stack every second).
 */
struct worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct class_job *job; /* set by the caller, cleared by the worker when done */
    bool started, stop;
};

static void worker_start(struct worker *w);
static void worker_stop(struct worker *w);

struct collector {
    struct collect_options opt;
    uint64_t want[IPC_NCLASSES]; /* collector_want */
    struct collect_ctx ctx;
    struct worker worker;
    uint64_t *pid_bits; /* a bit per possible pid: which processes a snapshot refers to */
    size_t pid_words;
    int32_t *pids; /* ... and the same as a sorted list */
    size_t pids_cap;
    struct ns_cache ns; /* each process's IPC namespace, read once per refresh */
};

int collect_force_parse(const char *s, enum collect_force *out)
{
    static const struct {
        const char *name;
        enum collect_force f;
    } names[] = {{"auto", FORCE_AUTO},
                 {"stat_any", FORCE_STAT_ANY},
                 {"stat", FORCE_STAT},
                 {"procfs", FORCE_PROCFS}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return 0;
        }
    return -1;
}

struct collector *collector_new(const struct collect_options *opt)
{
    struct collector *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->opt = *opt;
    for (int k = 0; k < IPC_NCLASSES; k++) c->want[k] = ~UINT64_C(0);
    if (!c->opt.proc_root) c->opt.proc_root = "/proc";
    c->ctx.proc_root = c->opt.proc_root;
    c->ctx.clock_fd = -1;
    long ps = sysconf(_SC_PAGESIZE);
    c->ctx.page_size = ps > 0 ? (uint64_t)ps : 4096;
    c->ctx.nhugepage = shmdev_hugepage_sizes(c->ctx.hugepage_sizes, 8);
    shmdev_probe(&c->ctx.devs, c->ctx.hugepage_sizes, c->ctx.nhugepage);
    /* pids go up to kernel.pid_max (4194304 at most): a bit each, 512 KiB at worst */
    unsigned long pid_max = 4194304;
    char path[512];
    snprintf(path, sizeof path, "%s/sys/kernel/pid_max", c->opt.proc_root);
    FILE *f = fopen(path, "re");
    if (f) {
        if (fscanf(f, "%lu", &pid_max) != 1 || pid_max > 4194304) pid_max = 4194304;
        fclose(f);
    }
    c->pid_words = (pid_max + 64) / 64;
    c->pid_bits = calloc(c->pid_words, sizeof *c->pid_bits);
    if (!c->opt.one_thread) worker_start(&c->worker);
    return c;
}

void collector_want(struct collector *c, const uint64_t want[IPC_NCLASSES])
{
    for (int k = 0; k < IPC_NCLASSES; k++) c->want[k] = want[k];
}

void collector_free(struct collector *c)
{
    if (!c) return;
    worker_stop(&c->worker);
    for (int i = 0; i < IPC_NCLASSES; i++) free(c->ctx.buf[i]);
    free(c->ctx.semvals);
    free(c->ctx.hint_ids);
    if (c->ctx.clock_fd >= 0) close(c->ctx.clock_fd);
    free(c->pid_bits);
    free(c->pids);
    ns_cache_free(&c->ns);
    free(c);
}

void collect_truncate(struct snapshot *s, enum ipc_class cls, size_t n)
{
    s->tab[cls].n = n;
    /* records with elements are laid out as sets are: give the pool back with them */
    if (kind_of(cls)->element_fields)
        s->nelems = n ? SNAP_SEM(s)[n - 1].elem_off + SNAP_SEM(s)[n - 1].nsems : 0;
}

static const struct collect_source *forced_source(enum collect_force f)
{
    switch (f) {
    case FORCE_STAT_ANY: return &collect_source_stat_any;
    case FORCE_STAT: return &collect_source_stat;
    case FORCE_PROCFS: return &collect_source_procfs;
    default: return NULL;
    }
}

/*
 * *_STAT refused some objects (EACCES). /proc/sysvipc lists them to everyone: add the ones
 * missing, so a permission never hides an object.
 */
static void merge_refused_from_procfs(struct collect_ctx *ctx, enum ipc_class cls,
                                      struct snapshot *s)
{
    struct snapshot tmp;
    snapshot_init(&tmp);
    size_t n = snapshot_count(s, cls);
    int32_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids && collect_source_procfs.read(ctx, cls, &tmp) == SRC_OK) {
        for (size_t i = 0; i < n; i++) ids[i] = snapshot_common(s, cls, i)->id;
        if (n > 1) qsort(ids, n, sizeof *ids, cmp_int32);
        size_t added = 0;
        for (size_t i = 0; i < snapshot_count(&tmp, cls); i++) {
            const struct ipc_common *c = snapshot_common(&tmp, cls, i);
            if (bsearch(&c->id, ids, n, sizeof *ids, cmp_int32)) continue;
            bool ok = snapshot_append_copy(s, &tmp, cls, i);
            if (!ok) break;
            added++;
        }
        s->hidden[cls] = added >= s->hidden[cls] ? 0 : s->hidden[cls] - added;
    }
    free(ids);
    snapshot_free(&tmp);
}

static int collect_class(struct collector *c, enum ipc_class cls, struct snapshot *s)
{
    const struct collect_source *forced = forced_source(c->opt.force);
    /* the kind says which source to try first (collect.h) */
    const struct kind_collect *k = &kind_of(cls)->collect;
    const struct collect_source *const *order = k->sources;
    size_t n = forced ? 1 : k->nsources;
    int in_use;
    size_t nelems;
    /* procfs does not say how many lines will come; *_INFO does. Only for a new snapshot:
     * SHM_INFO walks every segment to sum their memory, and a reused one has room already */
    bool fresh = !s->tab[cls].cap;
    if (fresh && collect_class_info(cls, &in_use, &nelems) >= 0)
        snapshot_reserve(s, cls, (size_t)in_use + 64, elements_room(cls, nelems));
    /* fields only procfs has, none wanted: procfs last, as the fallback of the calls */
    bool lean = !forced && k->procfs_only && !(c->want[cls] & k->procfs_only);
    for (size_t pass = 0; pass < (lean ? 2u : 1u); pass++) {
        for (size_t i = 0; i < n; i++) {
            const struct collect_source *src = forced ? forced : order[i];
            if (lean && (src->path == PATH_PROCFS) != (pass == 1)) continue;
            enum source_status st = src->read(&c->ctx, cls, s);
            if (st == SRC_NOMEM) return -1;
            if (st != SRC_OK) continue;
            s->path[cls] = src->path;
            if (src->path == PATH_STAT && s->hidden[cls] && !forced)
                merge_refused_from_procfs(&c->ctx, cls, s);
            if (lean && src->path != PATH_PROCFS) s->unasked[cls] = k->procfs_only;
            return 0;
        }
    }
    return -1;
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void mark_pid(struct collector *c, int32_t pid);

static void mark_recorded(void *ctx, int32_t pid, int64_t when, int role)
{
    (void)when;
    (void)role;
    mark_pid(ctx, pid);
}

static void mark_pid(struct collector *c, int32_t pid)
{
    if (pid > 0 && (size_t)pid / 64 < c->pid_words)
        c->pid_bits[(size_t)pid / 64] |= UINT64_C(1) << (pid % 64);
}

/*
 * The pids a snapshot refers to — creators, last users, waiters, attachers — sorted and
 * unique, in c->pids. A bitmap does the sorting: 200,000 references of 32,000 objects of
 * each class cost a pass, not a sort.
 */
static size_t referenced_pids(struct collector *c, const struct snapshot *s)
{
    if (!c->pid_bits) return 0;
    memset(c->pid_bits, 0, c->pid_words * sizeof *c->pid_bits);
    for (int k = 0; k < IPC_NCLASSES; k++)
        for (size_t i = 0; i < snapshot_count(s, (enum ipc_class)k); i++)
            kind_of((enum ipc_class)k)->recorded_pids(s, i, mark_recorded, c);
    for (size_t i = 0; i < s->tasks.nblocked; i++) mark_pid(c, s->tasks.blocked[i].tgid);
    for (size_t i = 0; i < s->attach.n; i++) mark_pid(c, s->attach.m[i].pid);
    size_t n = 0;
    for (size_t w = 0; w < c->pid_words; w++) {
        for (uint64_t bits = c->pid_bits[w]; bits; bits &= bits - 1) {
            if (n == c->pids_cap) {
                size_t nc = c->pids_cap ? c->pids_cap * 2 : 1024;
                int32_t *np = realloc(c->pids, nc * sizeof *np);
                if (!np) return n;
                c->pids = np;
                c->pids_cap = nc;
            }
            c->pids[n++] = (int32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
        }
    }
    return n;
}

/*
 * When each blocked task began waiting, as far as known: the earlier of when a previous
 * snapshot first saw it in the same call and when it last ran (scheduler statistics).
 */
static void waiting_since(const struct snapshot *prev, struct snapshot *s)
{
    int64_t now = (int64_t)s->wall;
    for (size_t i = 0; i < s->tasks.nblocked; i++) {
        struct blocked_task *b = &s->tasks.blocked[i];
        b->since = b->idle >= 0 ? now - (int64_t)b->idle : now;
        for (size_t k = 0; prev && k < prev->tasks.nblocked; k++) {
            const struct blocked_task *o = &prev->tasks.blocked[k];
            if (o->tid == b->tid && o->wait == b->wait && o->args[0] == b->args[0] &&
                o->args[1] == b->args[1] && o->since && o->since < b->since)
                b->since = o->since;
        }
        /* never before its process began: the scheduler's clocks are per CPU and leave out
         * the time stolen by the hypervisor, so "last ran" read against our own clock can
         * be seconds off (a waiter shown waiting 56 s in a process up for 52 s) */
        const struct proc_info *p = procs_find(&s->procs, b->tgid);
        int64_t began = p && p->start > 0 ? (int64_t)ceil(p->start) : 0;
        if (b->since < began) b->since = began < now ? began : now;
    }
}

static void *class_job_run(void *arg)
{
    struct class_job *j = arg;
    j->result = collect_class(j->c, j->cls, j->s);
    if (j->result < 0) return NULL;
    snapshot_sort_class(j->s, j->cls);
    const struct kind_collect *k = &kind_of(j->cls)->collect;
    if (k->after_read) k->after_read(&j->c->ctx, j->prev, j->s);
    return NULL;
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->job && !w->stop) pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop) break;
        struct class_job *j = w->job;
        pthread_mutex_unlock(&w->mu);
        class_job_run(j);
        pthread_mutex_lock(&w->mu);
        w->job = NULL;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void worker_start(struct worker *w)
{
    if (pthread_mutex_init(&w->mu, NULL) != 0) return;
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        return;
    }
    /* signals are for the main thread: the worker blocks them all */
    w->started = thread_start_blocked(&w->thread, worker_run, w) == 0;
    if (!w->started) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
    }
}

static void worker_stop(struct worker *w)
{
    if (!w->started) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->started = false;
}

/* Hands a job to the worker; false when there is none (then the caller runs it). */
static bool worker_give(struct worker *w, struct class_job *j)
{
    if (!w->started) return false;
    pthread_mutex_lock(&w->mu);
    w->job = j;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return true;
}

static void worker_wait(struct worker *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->job) pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

int collector_collect(struct collector *c, const struct snapshot *prev, struct snapshot *out,
                      char *err, size_t errlen)
{
    snapshot_clear(out);
    out->wall = clock_seconds(CLOCK_REALTIME);
    out->monotonic = clock_seconds(CLOCK_MONOTONIC);
    ns_cache_begin(&c->ns, c->opt.proc_root);
    out->ipc_ns = c->ns.self;
    collect_limits(c->opt.proc_root, &out->limits);
    /* first, so that waiter counts are asked only where someone may wait */
    tasks_scan(c->opt.proc_root, &out->tasks);

    /*
     * The kinds touch disjoint parts of the snapshot and of the collector's state, so the
     * one that costs the most syscalls (a kind's `worker` flag: semaphores) is read in the
     * worker thread while the others are read here, unless the options say one thread
     * (collect.h): the refresh takes less wall time, at a higher cost in CPU.
     */
    struct class_job jobs[IPC_NCLASSES];
    int in_worker = -1;
    for (int k = 0; k < IPC_NCLASSES; k++) {
        jobs[k] = (struct class_job){c, (enum ipc_class)k, prev, out, 0};
        if (in_worker < 0 && kind_of((enum ipc_class)k)->collect.worker &&
            worker_give(&c->worker, &jobs[k]))
            in_worker = k;
    }
    bool attachers = false;
    for (int k = 0; k < IPC_NCLASSES; k++) {
        if (k == in_worker) continue;
        class_job_run(&jobs[k]);
        attachers |= jobs[k].result == 0 && kind_of((enum ipc_class)k)->users == KU_ATTACHERS;
    }
    /* the mappings, while the worker is still reading */
    if (attachers) attach_scan(c->opt.proc_root, out, &c->ctx.devs, &c->ns, &out->attach);
    if (in_worker >= 0) worker_wait(&c->worker);
    /* then the processes all of that refers to, and nothing else */
    size_t npids = referenced_pids(c, out);
    procs_read(&out->procs, c->opt.proc_root, &c->ns, c->pids, npids);
    /* whose processes live here: only an object could make it matter */
    size_t objects = 0;
    for (int k = 0; k < IPC_NCLASSES; k++) objects += snapshot_count(out, (enum ipc_class)k);
    if (objects) owners_scan(c->opt.proc_root, &c->ns, &out->owners);
    /* what a kind can tell only with the mappings known (hugetlb segments' rss) */
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (jobs[k].result == 0 && kind_of((enum ipc_class)k)->collect.finish)
            kind_of((enum ipc_class)k)->collect.finish(&c->ctx, out);
    waiting_since(prev, out);

    for (int k = 0; k < IPC_NCLASSES; k++) {
        if (jobs[k].result == 0) continue;
        const struct ipc_kind *kind = kind_of((enum ipc_class)k);
        if (err) snprintf(err, errlen, "cannot read %s", kind->collect.unreadable);
        return -1;
    }
    return 0;
}
