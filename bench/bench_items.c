/*
 * The in-process measurements of bench_core (see bench_items.h).
 *
 * - procfs: the three /proc/sysvipc files read() into a buffer, no parsing: the floor
 *   any tool that reads them pays;
 * - stat_any: *_INFO then *_STAT_ANY for every index, per class: the syscall floor;
 * - sem_elements: the per-semaphore calls (GETALL, GETPID, GETNCNT, GETZCNT) alone;
 * - refresh: ipctop's engine_refresh (collect + diff), cold and then steady;
 * - monitor: the refreshes of the interactive monitor (pipeline.h, as refresher.c runs
 *   them: three snapshots in turn, processes remembered, a segment's rss not asked, every
 *   kind read in one thread), the collect and the model timed apart, each refresh followed
 *   by the bare *_STAT_ANY loops in the same process: what a refresh costs above the
 *   kernel's floor, without the screen; then the same with the semaphores read in the
 *   collector's worker thread, as the one-shot modes read them;
 * - phases: the parts of a refresh one at a time, through the collector's internal
 *   interface (collect_source.h), with the semaphore elements read three ways: after a
 *   complete task scan (GETNCNT/GETZCNT only for sets someone waits on), after an
 *   incomplete one (asked of every semaphore), and without a previous snapshot (GETPID
 *   of every semaphore too). Which one the real collector takes depends on the machine:
 *   the refresh item says.
 */
#include "bench_items.h"
#include "bench_util.h"

#include "collect.h"
#include "collect_sem.h"
#include "collect_source.h"
#include "engine.h"
#include "leak.h"
#include "model.h"
#include "output.h"
#include "pipeline.h"
#include "kind.h"
#include "snapshot.h"
#include "tasks.h"
#include "attach.h"
#include "procs.h"
#include "semun.h"
#include "users.h"
#include "who.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

/* The size of ipctop's own procfs chunk (collect_procfs.c). */
#define READ_CHUNK (256 * 1024)

static const char *const class_files[IPC_NCLASSES] = {"/proc/sysvipc/shm", "/proc/sysvipc/sem",
                                                      "/proc/sysvipc/msg"};

/* Reads a whole file into buf, chunk by chunk; returns the bytes read or -1. */
static long read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    long total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            close(fd);
            return r < 0 ? -1 : total;
        }
        total += r;
    }
}

static int item_procfs(void)
{
    char *buf = malloc(READ_CHUNK);
    if (!buf) return 1;
    memset(buf, 0, READ_CHUNK); /* fault the pages in before timing */
    long bytes[IPC_NCLASSES];
    struct bench_mark m[IPC_NCLASSES + 1];
    m[0] = bench_now();
    for (int c = 0; c < IPC_NCLASSES; c++) {
        bytes[c] = read_file(class_files[c], buf, READ_CHUNK);
        m[c + 1] = bench_now();
    }
    free(buf);
    for (int c = 0; c < IPC_NCLASSES; c++)
        if (bytes[c] < 0) {
            fprintf(stderr, "bench_core: cannot read %s: %s\n", class_files[c], strerror(errno));
            return 1;
        }
    bench_report("read 3 /proc/sysvipc files", m[0], m[IPC_NCLASSES]);
    char label[96];
    for (int c = 0; c < IPC_NCLASSES; c++) {
        snprintf(label, sizeof label, "  read %s", class_files[c]);
        bench_report(label, m[c], m[c + 1]);
        printf("I %s: %ld bytes, read() in chunks of %d KiB\n", class_files[c], bytes[c],
               READ_CHUNK / 1024);
    }
    return 0;
}

/* *_INFO then *_STAT_ANY over every index of one class; returns the objects found. */
static long stat_any_loop(enum ipc_class cls)
{
    union {
        struct shmid_ds shm;
        struct semid_ds sem;
        struct msqid_ds msg;
        struct shminfo shm_info; /* IPC_INFO */
        struct seminfo sem_info;
        struct msginfo msg_info;
    } b;
    long found = 0;
    int maxidx;
    switch (cls) {
    case IPC_SHM:
        /* IPC_INFO, as the monitor asks: SHM_INFO also walks every segment to sum its memory */
        maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&b.shm_info);
        for (int i = 0; i <= maxidx; i++) found += shmctl(i, SHM_STAT_ANY, &b.shm) >= 0;
        break;
    case IPC_SEM:
        maxidx = semctl(0, 0, SEM_INFO, (union semun){.info = &b.sem_info});
        for (int i = 0; i <= maxidx; i++)
            found += semctl(i, 0, SEM_STAT_ANY, (union semun){.buf = &b.sem}) >= 0;
        break;
    default:
        maxidx = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&b.msg_info);
        for (int i = 0; i <= maxidx; i++) found += msgctl(i, MSG_STAT_ANY, &b.msg) >= 0;
        break;
    }
    return maxidx < 0 ? -1 : found;
}

static int item_stat_any(void)
{
    static const char *const labels[IPC_NCLASSES] = {"  IPC_INFO + SHM_STAT_ANY loop",
                                                     "  SEM_INFO + SEM_STAT_ANY loop",
                                                     "  MSG_INFO + MSG_STAT_ANY loop"};
    long found[IPC_NCLASSES];
    struct bench_mark m[IPC_NCLASSES + 1];
    m[0] = bench_now();
    for (int c = 0; c < IPC_NCLASSES; c++) {
        found[c] = stat_any_loop((enum ipc_class)c);
        m[c + 1] = bench_now();
    }
    for (int c = 0; c < IPC_NCLASSES; c++)
        if (found[c] < 0) {
            fprintf(stderr, "bench_core: %s_INFO refused: %s\n", ipc_class_name((enum ipc_class)c),
                    strerror(errno));
            return 1;
        }
    bench_report("*_STAT_ANY loops, 3 classes", m[0], m[IPC_NCLASSES]);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        bench_report(labels[c], m[c], m[c + 1]);
        printf("I *_STAT_ANY %s: %ld objects\n", ipc_class_name((enum ipc_class)c), found[c]);
    }
    return 0;
}

/* The id and size of every semaphore set, found with SEM_STAT_ANY (not timed). */
struct sem_ids {
    int *id;
    int *nsems;
    size_t n, total;
};

static bool sem_ids_find(struct sem_ids *s)
{
    struct seminfo si;
    int maxidx = semctl(0, 0, SEM_INFO, (union semun){.info = &si});
    memset(s, 0, sizeof *s);
    if (maxidx < 0) return false;
    s->id = malloc(((size_t)maxidx + 1) * sizeof *s->id);
    s->nsems = malloc(((size_t)maxidx + 1) * sizeof *s->nsems);
    if (!s->id || !s->nsems) return false;
    for (int i = 0; i <= maxidx; i++) {
        struct semid_ds ds;
        int id = semctl(i, 0, SEM_STAT_ANY, (union semun){.buf = &ds});
        if (id < 0) continue;
        s->id[s->n] = id;
        s->nsems[s->n++] = (int)ds.sem_nsems;
        s->total += ds.sem_nsems;
    }
    return true;
}

/* One semctl per semaphore of every set; returns the failures. */
static long per_semaphore(const struct sem_ids *s, int cmd)
{
    long failed = 0;
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < s->nsems[i]; k++) failed += semctl(s->id[i], k, cmd) < 0;
    return failed;
}

static int item_sem_elements(void)
{
    struct sem_ids s;
    unsigned short vals[4096];
    if (!sem_ids_find(&s)) {
        fprintf(stderr, "bench_core: cannot list the semaphore sets: %s\n", strerror(errno));
        free(s.id);
        free(s.nsems);
        return 1;
    }
    long failed = 0;
    struct bench_mark m[5];
    m[0] = bench_now();
    for (size_t i = 0; i < s.n; i++)
        if (s.nsems[i] <= 4096)
            failed += semctl(s.id[i], 0, GETALL, (union semun){.array = vals}) < 0;
    m[1] = bench_now();
    failed += per_semaphore(&s, GETPID);
    m[2] = bench_now();
    failed += per_semaphore(&s, GETNCNT);
    m[3] = bench_now();
    failed += per_semaphore(&s, GETZCNT);
    m[4] = bench_now();
    char label[96];
    snprintf(label, sizeof label, "GETALL, one per set (%zu calls)", s.n);
    bench_report(label, m[0], m[1]);
    snprintf(label, sizeof label, "GETPID, one per semaphore (%zu calls)", s.total);
    bench_report(label, m[1], m[2]);
    snprintf(label, sizeof label, "GETNCNT, one per semaphore (%zu calls)", s.total);
    bench_report(label, m[2], m[3]);
    snprintf(label, sizeof label, "GETZCNT, one per semaphore (%zu calls)", s.total);
    bench_report(label, m[3], m[4]);
    if (failed) printf("I semaphore element calls: %ld failed\n", failed);
    free(s.id);
    free(s.nsems);
    return 0;
}

static void print_scan(const struct task_scan *ts)
{
    printf("I task scan: %zu tasks, %zu unreadable in our IPC namespace, %zu blocked in IPC, "
           "complete=%s\n",
           ts->ntasks, ts->nunreadable, ts->nblocked, ts->complete ? "yes" : "no");
}

static int item_refresh(void)
{
    static const char *const labels[3] = {"ipctop refresh, steady (3rd)",
                                          "  ipctop refresh, cold (1st)", "  ipctop refresh, 2nd"};
    struct engine e;
    struct collect_options co = {.force = FORCE_AUTO, .proc_root = "/proc"};
    char err[512];
    if (engine_init(&e, &co, &(struct model_params){600}, false) < 0) {
        fprintf(stderr, "bench_core: out of memory\n");
        return 1;
    }
    struct bench_mark m[4];
    m[0] = bench_now();
    for (int i = 0; i < 3; i++) {
        if (engine_refresh(&e, err, sizeof err) < 0) {
            fprintf(stderr, "bench_core: %s\n", err);
            engine_free(&e);
            return 1;
        }
        m[i + 1] = bench_now();
    }
    bench_report(labels[0], m[2], m[3]);
    bench_report(labels[1], m[0], m[1]);
    bench_report(labels[2], m[1], m[2]);
    printf("P %s\n", labels[0]);
    const struct snapshot *s = engine_snapshot(&e);
    printf("I refresh: %zu shm, %zu sem (%zu semaphores), %zu msg; paths shm=%s sem=%s msg=%s\n",
           s->tab[IPC_SHM].n, s->tab[IPC_SEM].n, s->nelems, s->tab[IPC_MSG].n,
           collect_path_name(s->path[IPC_SHM]), collect_path_name(s->path[IPC_SEM]),
           collect_path_name(s->path[IPC_MSG]));
    print_scan(&s->tasks);
    engine_free(&e);
    return 0;
}

/* The collector's shared state, as collector_new() sets it up, for calling sources alone. */
static void ctx_init(struct collect_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->proc_root = "/proc";
    long ps = sysconf(_SC_PAGESIZE);
    ctx->page_size = ps > 0 ? (uint64_t)ps : 4096;
    ctx->nhugepage = shmdev_hugepage_sizes(ctx->hugepage_sizes, 8);
    shmdev_probe(&ctx->devs, ctx->hugepage_sizes, ctx->nhugepage);
}

static void ctx_free(struct collect_ctx *ctx)
{
    for (int i = 0; i < IPC_NCLASSES; i++) free(ctx->buf[i]);
    free(ctx->semvals);
}

/* What collect_class() does for one class with a given source: reserve, read, sort. */
static bool read_class(struct collect_ctx *ctx, const struct collect_source *src,
                       enum ipc_class cls, struct snapshot *s)
{
    int in_use;
    size_t nelems;
    if (collect_class_info(cls, &in_use, &nelems) >= 0)
        snapshot_reserve(s, cls, (size_t)in_use + 64, nelems + 256);
    if (src->read(ctx, cls, s) != SRC_OK) return false;
    s->path[cls] = src->path;
    snapshot_sort_class(s, cls);
    return true;
}

/* Sets whose element fields are all known. */
static size_t sem_sets_complete(const struct snapshot *s)
{
    const uint64_t need = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    size_t n = 0;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) n += (SNAP_SEM(s)[i].c.valid & need) == need;
    return n;
}

/* Element validity off again, so that the next pass starts as the collector's would. */
static void sem_elements_forget(struct snapshot *s)
{
    const uint64_t bits = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) SNAP_SEM(s)[i].c.valid &= ~bits;
    memset(s->elems, 0, s->nelems * sizeof *s->elems);
}

static int item_phases(void)
{
    /* a previous snapshot as the engine would hold it after two refreshes */
    struct engine e;
    struct collect_options co = {.force = FORCE_AUTO, .proc_root = "/proc"};
    char err[512];
    if (engine_init(&e, &co, &(struct model_params){600}, false) < 0) return 1;
    for (int i = 0; i < 2; i++)
        if (engine_refresh(&e, err, sizeof err) < 0) {
            fprintf(stderr, "bench_core: %s\n", err);
            engine_free(&e);
            return 1;
        }
    const struct snapshot *prev = engine_snapshot(&e);
    FILE *devnull = fopen("/dev/null", "we");
    struct collect_ctx ctx;
    ctx_init(&ctx);
    struct snapshot s;
    snapshot_init(&s);
    struct model md = {0};
    struct model_params mp = {600};
    struct sem_hint incomplete = {false, NULL, 0}, complete = {true, NULL, 0};
    struct output_options oo = {.min_age = LEAK_DEFAULT_MIN_AGE};
    int rc = 1;
    if (!devnull) goto out;

    /* in the order collector_collect() runs them; the sem thread's parts come last */
    struct bench_mark m[16];
    m[0] = bench_now();
    s.wall = (double)bench_clock_ns(CLOCK_REALTIME) / 1e9;
    s.monotonic = (double)bench_clock_ns(CLOCK_MONOTONIC) / 1e9;
    collect_limits("/proc", &s.limits);
    tasks_scan("/proc", &s.tasks);
    m[1] = bench_now();
    bool ok = read_class(&ctx, &collect_source_procfs, IPC_SHM, &s);
    m[2] = bench_now();
    ok = ok && read_class(&ctx, &collect_source_stat_any, IPC_MSG, &s);
    m[3] = bench_now();
    procs_read(&s.procs, "/proc", NULL, NULL, 0);
    m[4] = bench_now();
    attach_scan("/proc", &s, &ctx.devs, NULL, &s.attach);
    m[5] = bench_now();
    ok = ok && read_class(&ctx, &collect_source_stat_any, IPC_SEM, &s);
    m[6] = bench_now();
    if (!ok) {
        fprintf(stderr, "bench_core: a collector source failed\n");
        goto out;
    }
    /* pids reused from prev, counts asked of every semaphore */
    collect_sem_elements(&ctx, prev, &s, &incomplete);
    m[7] = bench_now();
    size_t ok_incomplete = sem_sets_complete(&s);
    sem_elements_forget(&s);
    m[8] = bench_now();
    /* the same after a complete task scan that saw nobody waiting */
    collect_sem_elements(&ctx, prev, &s, &complete);
    m[9] = bench_now();
    size_t ok_complete = sem_sets_complete(&s);
    sem_elements_forget(&s);
    m[10] = bench_now();
    /* no previous snapshot (the first refresh, ipctop --json): every pid asked too */
    collect_sem_elements(&ctx, NULL, &s, &incomplete);
    m[11] = bench_now();
    owners_scan("/proc", NULL, &s.owners);
    m[12] = bench_now();
    if (model_build(&md, prev, &s, &mp, NULL) < 0) goto out;
    m[13] = bench_now();
    if (output_json(devnull, &md, e.users, &oo) < 0) goto out;
    m[14] = bench_now();
    /* the batch frame's tables of the same snapshot (the first frame: no diff to show) */
    if (output_batch_frame(devnull, &md, e.users, &oo) < 0) goto out;
    m[15] = bench_now();

    bench_report("phase: limits, task scan (/proc/*/task/*/syscall)", m[0], m[1]);
    bench_report("phase: shm, /proc/sysvipc/shm read+parse", m[1], m[2]);
    bench_report("phase: msg, MSG_STAT_ANY + records", m[2], m[3]);
    bench_report("phase: process table (libproc2)", m[3], m[4]);
    bench_report("phase: SysV mappings (/proc/PID/maps)", m[4], m[5]);
    bench_report("phase: sem sets, SEM_STAT_ANY + records", m[5], m[6]);
    bench_report("phase: sem elements, scan incomplete", m[6], m[7]);
    bench_report("phase: sem elements, scan complete", m[8], m[9]);
    bench_report("phase: sem elements, no prev, incomplete", m[10], m[11]);
    bench_report("phase: owners' processes (/proc/*/status)", m[11], m[12]);
    bench_report("phase: model (diff, who uses what, owners, verdicts)", m[12], m[13]);
    bench_report("phase: JSON of the snapshot to /dev/null", m[13], m[14]);
    bench_report("phase: batch frame of the snapshot to /dev/null", m[14], m[15]);
    printf("I phases: sets with all element fields known: incomplete scan %zu, complete %zu, "
           "cold %zu of %zu; %zu processes, %zu maps files read\n",
           ok_incomplete, ok_complete, sem_sets_complete(&s), s.tab[IPC_SEM].n, s.procs.n,
           s.attach.procs_read);
    rc = 0;
out:
    model_free(&md);
    snapshot_free(&s);
    ctx_free(&ctx);
    if (devnull) fclose(devnull);
    engine_free(&e);
    return rc;
}

/* Rounds of the monitor item: each is one refresh and one pass of the bare loops. */
#define MONITOR_ROUNDS 15
#define MONITOR_WARMUP 3

/* What monitor_rounds measured: medians of CPU (every thread) and of the refresh's wall. */
struct monitor_cost {
    int64_t collect, model, floor, wall;
    size_t n, counts[IPC_NCLASSES];
};

/* Steady refreshes as refresher.c runs them, each followed by one pass of the bare loops. */
static int monitor_rounds(bool one_thread, struct monitor_cost *out)
{
    struct pipeline p;
    struct collect_options co = {
        .force = FORCE_AUTO, .proc_root = "/proc", .one_thread = one_thread};
    if (pipeline_init(&p, &co, &(struct model_params){LEAK_DEFAULT_MIN_AGE}, true) < 0) {
        fprintf(stderr, "bench_core: out of memory\n");
        return 1;
    }
    /* as the screens want by default: everything but what only a costly source gives */
    uint64_t want[IPC_NCLASSES];
    for (int k = 0; k < IPC_NCLASSES; k++)
        want[k] = ~kind_of((enum ipc_class)k)->collect.procfs_only;
    collector_want(p.collector, want);
    struct snapshot snap[3];
    struct model md[3];
    for (int i = 0; i < 3; i++) {
        snapshot_init(&snap[i]);
        memset(&md[i], 0, sizeof md[i]);
    }
    double collect_cpu[MONITOR_ROUNDS], model_cpu[MONITOR_ROUNDS], floor_cpu[MONITOR_ROUNDS];
    double wall[MONITOR_ROUNDS];
    size_t n = 0;
    int rc = 1, last = 0;
    char err[512];
    for (int r = 0; r < MONITOR_WARMUP + MONITOR_ROUNDS; r++) {
        int slot = r % 3, prev = r ? (r - 1) % 3 : -1;
        const struct snapshot *ps = prev >= 0 ? &snap[prev] : NULL;
        model_free(&md[slot]);
        struct bench_mark m0 = bench_now();
        if (collector_collect(p.collector, ps, &snap[slot], err, sizeof err) < 0) {
            fprintf(stderr, "bench_core: %s\n", err);
            goto out;
        }
        struct bench_mark m1 = bench_now();
        if (model_build(&md[slot], ps, &snap[slot], &p.params, &p.memory) < 0) {
            fprintf(stderr, "bench_core: out of memory\n");
            goto out;
        }
        struct bench_mark m2 = bench_now();
        for (int c = 0; c < IPC_NCLASSES; c++) stat_any_loop((enum ipc_class)c);
        struct bench_mark m3 = bench_now();
        last = slot;
        if (r < MONITOR_WARMUP) continue;
        collect_cpu[n] = (double)(m1.cpu - m0.cpu);
        model_cpu[n] = (double)(m2.cpu - m1.cpu);
        floor_cpu[n] = (double)(m3.cpu - m2.cpu);
        wall[n] = (double)(m2.wall - m0.wall);
        n++;
    }
    *out = (struct monitor_cost){(int64_t)bench_median(collect_cpu, n),
                                 (int64_t)bench_median(model_cpu, n),
                                 (int64_t)bench_median(floor_cpu, n),
                                 (int64_t)bench_median(wall, n),
                                 n,
                                 {0}};
    for (int c = 0; c < IPC_NCLASSES; c++)
        out->counts[c] = snapshot_count(&snap[last], (enum ipc_class)c);
    rc = 0;
out:
    for (int i = 0; i < 3; i++) {
        model_free(&md[i]);
        snapshot_free(&snap[i]);
    }
    pipeline_free(&p);
    return rc;
}

static int item_monitor(void)
{
    struct monitor_cost one, two;
    if (monitor_rounds(true, &one) || monitor_rounds(false, &two)) return 1;
    printf("M %lld %lld monitor refresh, steady (median of %zu)\n", (long long)one.wall,
           (long long)(one.collect + one.model), one.n);
    printf("M 0 %lld   collect (syscalls, records, /proc)\n", (long long)one.collect);
    printf("M 0 %lld   model (diff, who, owners, verdicts)\n", (long long)one.model);
    printf("M 0 %lld   bare *_STAT_ANY loops, 3 classes (the floor)\n", (long long)one.floor);
    printf("M %lld %lld   the same, semaphores read in a worker thread\n", (long long)two.wall,
           (long long)(two.collect + two.model));
    printf("M 0 %lld   bare *_STAT_ANY loops, beside it\n", (long long)two.floor);
    printf("I monitor: one thread (the monitor): refresh / floor %.2f, %.1f ms of CPU above it; "
           "with the worker thread (one-shot modes): %.2f, %.1f ms; %zu shm, %zu sem, %zu msg\n",
           one.floor ? (double)(one.collect + one.model) / (double)one.floor : 0.0,
           (double)(one.collect + one.model - one.floor) / 1e6,
           two.floor ? (double)(two.collect + two.model) / (double)two.floor : 0.0,
           (double)(two.collect + two.model - two.floor) / 1e6, one.counts[IPC_SHM],
           one.counts[IPC_SEM], one.counts[IPC_MSG]);
    return 0;
}

const char *const bench_item_names[] = {"procfs",  "stat_any", "sem_elements", "refresh", "phases",
                                        "monitor", NULL};

int bench_item_run(const char *name)
{
    static int (*const run[])(void) = {item_procfs,  item_stat_any, item_sem_elements,
                                       item_refresh, item_phases,   item_monitor};
    for (size_t i = 0; bench_item_names[i]; i++)
        if (strcmp(name, bench_item_names[i]) == 0) {
            int r = run[i]();
            fflush(stdout);
            return r;
        }
    fprintf(stderr, "bench_core: no item called '%s'\n", name);
    return 1;
}
