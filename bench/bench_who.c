/*
 * bench_who — the cost of who-uses-what: ipctop's refresh with 1,000 processes attached
 * to segments or blocked on sets and queues, against the same refresh without them, in
 * the current IPC namespace (bench/who.sh sets up a private one with 32,000 objects per
 * class and runs this inside it).
 *
 *   bench_who run [--reps N] [--expect N] [--procs N] [--conds LIST] [--refreshes N]
 *                 [--profile COND --perf-out FILE]
 *   bench_who item refresh COND N   (one measurement in a fresh process; the driver runs it)
 *   bench_who item loop COND N      (N refreshes and nothing else: what --profile records)
 *
 * A condition is a set of processes the driver spawns (libipcworkload, or plain sleeping
 * children) before a measurement and kills after it:
 *
 *   none      nobody: the core refresh at the same object count (the reference)
 *   attached  PROCS attachers, one segment each (nattch 1; lpid is the attacher)
 *   blocked   PROCS/2 semop waiters (one set each, decrement on a 0) + PROCS/2 msgrcv
 *             receivers (one empty queue each)
 *   mixed     PROCS/2 attachers + PROCS/4 semop waiters + PROCS/4 receivers
 *   idle      PROCS processes of this namespace that only sleep: no IPC at all
 *   forked    PROCS/2 attachers that fork after shmat (PROCS processes, nattch 2 each): the
 *             children are neither cpid nor lpid, so only the second pass of the maps
 *             scan (every process of the namespace, in pid order) finds them
 *   scanall   PROCS-2 sleeping processes, then one attacher that forks after shmat: its
 *             child has the highest pid, so the second pass reads every sleeping
 *             process's maps before it finds the last mapping — the worst case of the
 *             early stop
 *
 * Round-robin: in each repetition every condition is set up, measured and torn down in
 * turn, starting one condition later each repetition; one untimed round first. The
 * measurement is a fresh child process that makes R refreshes (engine_refresh: collect +
 * diff + who) and reports refreshes 3..R as the steady refresh, then times the parts of
 * who-uses-what one by one on the engine's last snapshot, and the bare reads they build
 * on. Wall time is CLOCK_MONOTONIC; CPU is CLOCK_PROCESS_CPUTIME_ID (every thread).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "bench_util.h"

#include "attach.h"
#include "collect.h"
#include "engine.h"
#include "maps_query.h"
#include "procs.h"
#include "semun.h"
#include "snapshot.h"
#include "tasks.h"
#include "who.h"
#include "workload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libproc2/pids.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/ioctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

/* The target: a full refresh with 1,000 processes within 2x the core refresh. */
#define TARGET_RATIO 2.0

#define MAX_SAMPLES 512
#define MAX_ROWS    24
#define MAX_CONDS   7
#define MAX_INFO    48
#define SETTLE_US   300000

/* ------------------------------------------------------------------------------------ */
/* Conditions                                                                           */
/* ------------------------------------------------------------------------------------ */

struct cond {
    const char *name;
    long attach, attach_fork, sem, rcv, idle; /* processes of each kind (forked: pairs) */
    long late_fork; /* forking attachers started after the idle processes */
};

static const char *const cond_names[MAX_CONDS] = {"none", "attached", "blocked", "mixed",
                                                  "idle", "forked",   "scanall"};

static struct cond cond_make(const char *name, long n)
{
    struct cond c = {name, 0, 0, 0, 0, 0, 0};
    if (strcmp(name, "attached") == 0)
        c.attach = n;
    else if (strcmp(name, "blocked") == 0)
        c.sem = n / 2, c.rcv = n - n / 2;
    else if (strcmp(name, "mixed") == 0)
        c.attach = n / 2, c.sem = n / 4, c.rcv = n - n / 2 - n / 4;
    else if (strcmp(name, "idle") == 0)
        c.idle = n;
    else if (strcmp(name, "forked") == 0)
        c.attach_fork = n / 2;
    else if (strcmp(name, "scanall") == 0)
        c.idle = n - 2, c.late_fork = 1;
    return c;
}

static bool cond_known(const char *name)
{
    for (int i = 0; i < MAX_CONDS; i++)
        if (strcmp(name, cond_names[i]) == 0) return true;
    return false;
}

/* The ids of the first objects of each class (by index), found with *_STAT_ANY. */
struct ids {
    int *shm, *sem, *msg;
    long nshm, nsem, nmsg;
};

static long first_ids(int cls, int *out, long want)
{
    union {
        struct shmid_ds shm;
        struct semid_ds sem;
        struct msqid_ds msg;
        struct shm_info shm_info;
        struct seminfo sem_info;
        struct msginfo msg_info;
    } b;
    int maxidx = cls == 0   ? shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&b.shm_info)
                 : cls == 1 ? semctl(0, 0, SEM_INFO, (union semun){.info = &b.sem_info})
                            : msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&b.msg_info);
    long n = 0;
    for (int i = 0; i <= maxidx && n < want; i++) {
        int id = cls == 0   ? shmctl(i, SHM_STAT_ANY, &b.shm)
                 : cls == 1 ? semctl(i, 0, SEM_STAT_ANY, (union semun){.buf = &b.sem})
                            : msgctl(i, MSG_STAT_ANY, &b.msg);
        if (id < 0) continue;
        /* only what the conditions need: a segment nobody has attached, a set whose first
         * value is 0 (a decrement blocks), an empty queue (a receive blocks) */
        if (cls == 0 && b.shm.shm_nattch != 0) continue;
        if (cls == 1 && semctl(id, 0, GETVAL) != 0) continue;
        if (cls == 2 && b.msg.msg_qnum != 0) continue;
        out[n++] = id;
    }
    return n;
}

/* Sleeping children that are not workload processes (the "idle" condition). */
static pid_t *idle_pids;
static long nidle;

static int spawn_idle(long n)
{
    idle_pids = malloc((size_t)(n ? n : 1) * sizeof *idle_pids);
    if (!idle_pids) return -1;
    pid_t parent = getpid();
    for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0) return -1;
        if (p == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(0);
            for (int fd = 3; fd < 1024; fd++) close(fd);
            for (;;) pause();
        }
        idle_pids[nidle++] = p;
    }
    /* measured only once every child sleeps: a thousand fresh children still running
     * their first instructions would compete with the measurement for the CPUs */
    for (long i = 0; i < nidle; i++) {
        int tries = 0;
        while (bench_proc_state(idle_pids[i]) != 'S') {
            if (++tries > 5000) {
                errno = ETIMEDOUT;
                return -1;
            }
            usleep(1000);
        }
    }
    return 0;
}

static void kill_idle(void)
{
    for (long i = 0; i < nidle; i++) kill(idle_pids[i], SIGKILL);
    for (long i = 0; i < nidle; i++)
        while (waitpid(idle_pids[i], NULL, 0) < 0 && errno == EINTR) {
        }
    free(idle_pids);
    idle_pids = NULL;
    nidle = 0;
}

/* Sets up a condition's processes; returns 0, or -1 after saying why (then tears down). */
static int cond_up(const struct cond *c, const struct ids *ids)
{
    if (c->attach + c->attach_fork + c->late_fork > ids->nshm || c->sem > ids->nsem ||
        c->rcv > ids->nmsg) {
        fprintf(stderr, "bench_who: not enough free objects for condition %s\n", c->name);
        return -1;
    }
    long i;
    const char *what = NULL;
    for (i = 0; i < c->attach && !what; i++)
        if (wl_spawn_attacher(ids->shm[i], 0) < 0) what = "attacher";
    for (long k = 0; k < c->attach_fork && !what; k++)
        if (wl_spawn_attacher_forking(ids->shm[i + k], 0, NULL) < 0) what = "forking attacher";
    struct sembuf dec = {0, -1, 0};
    for (i = 0; i < c->sem && !what; i++)
        if (wl_spawn_sem_waiter(ids->sem[i], &dec, 1) < 0) what = "semop waiter";
    for (i = 0; i < c->rcv && !what; i++)
        if (wl_spawn_msg_receiver(ids->msg[i], 0) < 0) what = "msgrcv receiver";
    if (!what && c->idle && spawn_idle(c->idle) < 0) what = "sleeping process";
    /* after the sleeping ones: its forked child gets a higher pid than all of them */
    i = c->attach + c->attach_fork;
    for (long k = 0; k < c->late_fork && !what; k++)
        if (wl_spawn_attacher_forking(ids->shm[i + k], 0, NULL) < 0) what = "forking attacher";
    if (what) {
        fprintf(stderr, "bench_who: condition %s: cannot start a %s: %s\n", c->name, what,
                strerror(errno));
        wl_cleanup();
        kill_idle();
        return -1;
    }
    return 0;
}

static void cond_down(void)
{
    wl_cleanup(); /* kills and reaps the spawned processes; no object was created */
    kill_idle();
}

/* ------------------------------------------------------------------------------------ */
/* The measurement (a fresh child process per condition and repetition)                */
/* ------------------------------------------------------------------------------------ */

static bool numeric(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* Reads a file to its end through buf; returns the bytes read or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, cap)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0) total += r;
    close(fd);
    return total;
}

/* slurp(), counting the lines too (the maps scan's cost follows the mappings). */
static long slurp_lines(const char *path, char *buf, size_t cap, long *lines)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, cap)) > 0 || (r < 0 && errno == EINTR)) {
        if (r <= 0) continue;
        total += r;
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + r - p))); p++) (*lines)++;
    }
    close(fd);
    return total;
}

/* The shared file-backed VMAs of one process through PROCMAP_QUERY (maps_query.h), bare; adds the
 * SysV ones (the kernel's shm mount, 0:1) to *sysv. Returns the VMAs seen, or -1 (no such ioctl).
 */
static long procmap_shared(const char *path, long *sysv)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    long n = 0;
    uint64_t addr = 0;
    for (;;) {
        struct maps_query q;
        memset(&q, 0, sizeof q);
        q.size = sizeof q;
        q.query_flags = MQ_COVERING_OR_NEXT | MQ_SHARED | MQ_FILE_BACKED;
        q.query_addr = addr;
        if (ioctl(fd, MAPS_QUERY_IOCTL, &q) < 0) {
            if (errno == ENOTTY || errno == EINVAL) n = -1;
            break;
        }
        n++;
        if (q.dev_major == 0 && q.dev_minor == 1) (*sysv)++;
        addr = q.vma_end;
    }
    close(fd);
    return n;
}

/* The pids of our IPC namespace's processes, other than this one and its parent. */
static size_t namespace_pids(const struct proc_table *pt, int32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < pt->n && n < cap; i++) {
        const struct proc_info *p = &pt->p[i];
        if (p->ipc_ns != pt->self_ipc_ns || p->pid == getpid() || p->pid == getppid()) continue;
        out[n++] = p->pid;
    }
    return n;
}

/* libproc2 alone, with the items procs_read() asks for: the process table without the
 * ns/ipc links ipctop reads itself. Returns the processes or -1. */
static int libproc2_reap(void)
{
    enum pids_item items[] = {PIDS_ID_PID, PIDS_ID_EUID,    PIDS_STATE,
                              PIDS_CMD,    PIDS_TICS_BEGAN, PIDS_FLAGS};
    struct pids_info *info = NULL;
    if (procps_pids_new(&info, items, sizeof items / sizeof items[0]) < 0) return -1;
    struct pids_fetch *f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
    int n = f ? f->counts->total : -1;
    procps_pids_unref(&info);
    return n;
}

static void label(char *buf, size_t len, const char *cond, const char *what)
{
    snprintf(buf, len, "%s|%s", cond, what);
}

static int item_refresh(const char *cond, int refreshes, bool loop_only)
{
    struct engine e;
    struct collect_options co = {.force = FORCE_AUTO, .proc_root = "/proc"};
    char err[512], lb[160];
    if (refreshes < 3) refreshes = 3;
    if (engine_init(&e, &co, &(struct model_params){600}, false) < 0) {
        fprintf(stderr, "bench_who: out of memory\n");
        return 1;
    }
    for (int i = 0; i < refreshes; i++) {
        struct bench_mark a = bench_now();
        int64_t ta = bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
        if (engine_refresh(&e, err, sizeof err) < 0) {
            fprintf(stderr, "bench_who: %s\n", err);
            engine_free(&e);
            return 1;
        }
        int64_t tb = bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
        struct bench_mark b = bench_now();
        if (loop_only) continue;
        if (i == 0) {
            label(lb, sizeof lb, cond, "refresh, cold (1st)");
            bench_report(lb, a, b);
        } else if (i >= 2) {
            label(lb, sizeof lb, cond, "refresh, steady");
            bench_report(lb, a, b);
            /* the main thread's CPU is the refresh's critical path when a second CPU is
             * free for the semaphore thread (which finishes first): what the wall time
             * would be on an idle machine, unaffected by other load; the rest of the
             * process's CPU is the semaphore thread's */
            struct bench_mark ma = {0, 0}, mb = {tb - ta, tb - ta};
            label(lb, sizeof lb, cond, "refresh, steady: main thread CPU");
            bench_report(lb, ma, mb);
            struct bench_mark sa = {0, 0},
                              sb = {(b.cpu - a.cpu) - (tb - ta), (b.cpu - a.cpu) - (tb - ta)};
            label(lb, sizeof lb, cond, "refresh, steady: semaphore thread CPU");
            bench_report(lb, sa, sb);
        }
    }
    if (loop_only) {
        engine_free(&e);
        return 0;
    }
    const struct snapshot *s = engine_snapshot(&e);
    uint64_t nattch = 0;
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++)
        if (SNAP_SHM(s)[i].c.valid & FBIT(F_NATTCH)) nattch += SNAP_SHM(s)[i].nattch;
    printf("I %s: %zu shm %zu sem %zu msg; %zu tasks (%zu blocked in IPC, scan complete=%s), "
           "%zu processes, maps read %zu, mappings %zu of nattch %llu (complete=%s), "
           "attachers %zu, waiters %zu\n",
           cond, s->tab[IPC_SHM].n, s->tab[IPC_SEM].n, s->tab[IPC_MSG].n, s->tasks.ntasks,
           s->tasks.nblocked, s->tasks.complete ? "yes" : "no", s->procs.n, s->attach.procs_read,
           s->attach.n, (unsigned long long)nattch, s->attach.complete ? "yes" : "no",
           e.model.who.natt, e.model.who.nwait);

    /* the parts, one at a time, on what the engine holds now */
    struct task_scan ts = {0};
    struct proc_table pt = {0};
    struct attach_scan as = {0};
    struct who w = {0};
    struct shm_devs devs;
    uint64_t sizes[SHMDEV_MAX_HUGE];
    shmdev_probe(&devs, sizes, shmdev_hugepage_sizes(sizes, SHMDEV_MAX_HUGE));
    int rc = 1;
    char *buf = malloc(65536);
    int32_t *pids = malloc(65536 * sizeof *pids);
    if (!buf || !pids) goto out;
    struct bench_mark m[7];
    m[0] = bench_now();
    tasks_scan("/proc", &ts);
    m[1] = bench_now();
    if (procs_read(&pt, "/proc", NULL, NULL, 0) < 0) goto out;
    m[2] = bench_now();
    if (attach_scan("/proc", s, &devs, NULL, &as) < 0) goto out;
    m[3] = bench_now();
    if (who_build(&w, s) < 0) goto out;
    m[4] = bench_now();
    label(lb, sizeof lb, cond, "part: task scan (every task's syscall)");
    bench_report(lb, m[0], m[1]);
    label(lb, sizeof lb, cond, "part: process table (procs_read)");
    bench_report(lb, m[1], m[2]);
    label(lb, sizeof lb, cond, "part: SysV mappings (attach_scan)");
    bench_report(lb, m[2], m[3]);
    label(lb, sizeof lb, cond, "part: join (who_build)");
    bench_report(lb, m[3], m[4]);

    /* the bare reads the parts are made of */
    size_t np = namespace_pids(&pt, pids, 65536);
    long maps_bytes = 0, maps_lines = 0, sys_files = 0;
    m[0] = bench_now();
    int nreaped = libproc2_reap();
    m[1] = bench_now();
    for (size_t i = 0; i < pt.n; i++) {
        char path[64], link[64];
        snprintf(path, sizeof path, "/proc/%d/ns/ipc", pt.p[i].pid);
        if (readlink(path, link, sizeof link) < 0) continue;
    }
    m[2] = bench_now();
    for (size_t i = 0; i < np; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/maps", pids[i]);
        long r = slurp_lines(path, buf, 65536, &maps_lines);
        if (r > 0) maps_bytes += r;
    }
    m[3] = bench_now();
    for (size_t i = 0; i < np; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", pids[i]);
        DIR *d = opendir(path);
        if (!d) continue;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!numeric(de->d_name)) continue;
            char sp[96];
            snprintf(sp, sizeof sp, "/proc/%d/task/%.20s/syscall", pids[i], de->d_name);
            if (slurp(sp, buf, 256) >= 0) sys_files++;
        }
        closedir(d);
    }
    m[4] = bench_now();
    long pmq_vmas = 0, pmq_sysv = 0;
    for (size_t i = 0; i < np && pmq_vmas >= 0; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/maps", pids[i]);
        long r = procmap_shared(path, &pmq_sysv);
        pmq_vmas = r < 0 ? -1 : pmq_vmas + r;
    }
    m[5] = bench_now();
    label(lb, sizeof lb, cond, "bare: libproc2 reap (same items)");
    bench_report(lb, m[0], m[1]);
    label(lb, sizeof lb, cond, "bare: readlink ns/ipc, every process");
    bench_report(lb, m[1], m[2]);
    label(lb, sizeof lb, cond, "bare: read maps, our namespace's processes");
    bench_report(lb, m[2], m[3]);
    label(lb, sizeof lb, cond, "bare: read task/*/syscall, our namespace's");
    bench_report(lb, m[3], m[4]);
    if (pmq_vmas >= 0) {
        label(lb, sizeof lb, cond, "bare: PROCMAP_QUERY shared VMAs, our namespace's");
        bench_report(lb, m[4], m[5]);
    }
    printf("I %s bare: libproc2 %d processes; our namespace: %zu processes, maps %ld bytes "
           "%ld lines, %ld syscall files; attach_scan again read %zu maps; PROCMAP_QUERY: %ld "
           "shared file VMAs, %ld SysV\n",
           cond, nreaped, np, maps_bytes, maps_lines, sys_files, as.procs_read, pmq_vmas, pmq_sysv);
    rc = 0;
out:
    free(buf);
    free(pids);
    who_free(&w);
    attach_free(&as);
    procs_free(&pt);
    tasks_free(&ts);
    engine_free(&e);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* The driver                                                                           */
/* ------------------------------------------------------------------------------------ */

struct series {
    char label[160];
    double wall[MAX_SAMPLES], cpu[MAX_SAMPLES];
    int n;
};

static struct series rows[MAX_CONDS * MAX_ROWS];
static int nrows;
static char infos[MAX_INFO][600];
static int ninfo;
static long rss_kb[MAX_CONDS];
static double spawn_s[MAX_CONDS];
static int spawn_n[MAX_CONDS];

static struct series *series_get(const char *lb)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].label, lb) == 0) return &rows[i];
    if (nrows == (int)(sizeof rows / sizeof rows[0])) return NULL;
    struct series *s = &rows[nrows++];
    memset(s, 0, sizeof *s);
    snprintf(s->label, sizeof s->label, "%s", lb);
    return s;
}

static const struct series *series_find(const char *cond, const char *what)
{
    char lb[160];
    label(lb, sizeof lb, cond, what);
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].label, lb) == 0) return &rows[i];
    return NULL;
}

static double minimum(const double *v, int n)
{
    double m = n > 0 ? v[0] : 0;
    for (int i = 1; i < n; i++)
        if (v[i] < m) m = v[i];
    return m;
}

static double median(const double *v, int n)
{
    static double t[MAX_SAMPLES];
    if (n <= 0) return 0;
    memcpy(t, v, (size_t)n * sizeof *t);
    return bench_median(t, (size_t)n);
}

/* Keeps the latest fact per topic (the text before its first ':'). */
static void add_info(const char *line)
{
    size_t topic = strcspn(line, ":");
    int i = 0;
    while (i < ninfo && !(strncmp(infos[i], line, topic) == 0 && infos[i][topic] == ':')) i++;
    if (i == MAX_INFO) return;
    if (i == ninfo) ninfo++;
    size_t l = strnlen(line, sizeof infos[0] - 1);
    memcpy(infos[i], line, l);
    infos[i][l] = '\0';
}

static void parse_output(FILE *f)
{
    char line[600];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *end;
        if (strncmp(line, "M ", 2) == 0) {
            long long wall = strtoll(line + 2, &end, 10);
            if (*end != ' ') continue;
            long long cpu = strtoll(end + 1, &end, 10);
            if (*end != ' ') continue;
            struct series *s = series_get(end + 1);
            if (s && s->n < MAX_SAMPLES) {
                s->wall[s->n] = (double)wall / 1e6;
                s->cpu[s->n] = (double)cpu / 1e6;
                s->n++;
            }
        } else if (strncmp(line, "I ", 2) == 0) {
            add_info(line + 2);
        }
    }
}

static int cond_index(const char *name)
{
    for (int i = 0; i < MAX_CONDS; i++)
        if (strcmp(name, cond_names[i]) == 0) return i;
    return 0;
}

/* Runs `self item KIND COND N` (or argv as given) as a child; parses its output when record. */
static int run_child(const char *const *argv, bool record, int ci)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (dup2(pfd[1], STDOUT_FILENO) < 0) _exit(126);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "bench_who: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pfd[1]);
    FILE *f = fdopen(pfd[0], "r");
    if (!f) {
        close(pfd[0]);
        return -1;
    }
    /* read while it runs: the output is small, but never let the pipe fill */
    if (record)
        parse_output(f);
    else
        while (fgetc(f) != EOF) {
        }
    fclose(f);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_who: %s %s %s failed\n", argv[1], argv[2], argv[3]);
        return -1;
    }
    if (record && ci >= 0 && ru.ru_maxrss > rss_kb[ci]) rss_kb[ci] = ru.ru_maxrss;
    return 0;
}

/* The rows of the table, in order; the first is the one the ratios use. */
static const char *const row_names[] = {
    "refresh, steady",
    "refresh, steady: main thread CPU",
    "refresh, steady: semaphore thread CPU",
    "refresh, cold (1st)",
    "part: task scan (every task's syscall)",
    "part: process table (procs_read)",
    "part: SysV mappings (attach_scan)",
    "part: join (who_build)",
    "bare: libproc2 reap (same items)",
    "bare: readlink ns/ipc, every process",
    "bare: read maps, our namespace's processes",
    "bare: read task/*/syscall, our namespace's",
    "bare: PROCMAP_QUERY shared VMAs, our namespace's",
    NULL,
};

static void print_tables(const char *const *conds, int nc)
{
    for (int pass = 0; pass < 2; pass++) {
        printf("\n%s median, ms%*s", pass ? "CPU" : "wall", 39, "");
        for (int k = 0; k < nc; k++) printf(" %9s", conds[k]);
        printf("\n");
        for (int r = 0; row_names[r]; r++) {
            printf("%-50s", row_names[r]);
            for (int k = 0; k < nc; k++) {
                const struct series *s = series_find(conds[k], row_names[r]);
                if (!s || !s->n)
                    printf(" %9s", "-");
                else
                    printf(" %9.1f", median(pass ? s->cpu : s->wall, s->n));
            }
            printf("\n");
        }
    }
    printf("\n%-50s", "refresh, steady: wall min, ms");
    for (int k = 0; k < nc; k++) {
        const struct series *s = series_find(conds[k], row_names[0]);
        printf(" %9.1f", s && s->n ? minimum(s->wall, s->n) : 0.0);
    }
    printf("\n%-50s", "samples of the steady refresh");
    for (int k = 0; k < nc; k++) {
        const struct series *s = series_find(conds[k], row_names[0]);
        printf(" %9d", s ? s->n : 0);
    }
    printf("\n%-50s", "peak RSS of the measuring process, MB");
    for (int k = 0; k < nc; k++) printf(" %9.1f", (double)rss_kb[cond_index(conds[k])] / 1024);
    printf("\n%-50s", "setting the processes up, s (mean)");
    for (int k = 0; k < nc; k++) {
        int ci = cond_index(conds[k]);
        printf(" %9.2f", spawn_n[ci] ? spawn_s[ci] / spawn_n[ci] : 0.0);
    }
    printf("\n");
}

static void print_ratios(const char *const *conds, int nc)
{
    const struct series *base = series_find("none", row_names[0]);
    if (!base || !base->n) {
        printf("\n(no ratios: condition none was not measured)\n");
        return;
    }
    const struct series *bmain = series_find("none", row_names[1]);
    double bw = median(base->wall, base->n), bc = median(base->cpu, base->n);
    double bt = bmain && bmain->n ? median(bmain->cpu, bmain->n) : 0;
    printf("\nsteady refresh vs none (the core refresh,  wall    CPU   main   target on\n"
           "same objects): ratios of the medians        time   all  thread  the wall time\n");
    for (int k = 0; k < nc; k++) {
        if (strcmp(conds[k], "none") == 0) continue;
        const struct series *s = series_find(conds[k], row_names[0]);
        const struct series *t = series_find(conds[k], row_names[1]);
        if (!s || !s->n) continue;
        double rw = median(s->wall, s->n) / bw, rc = median(s->cpu, s->n) / bc;
        double rt = t && t->n && bt > 0 ? median(t->cpu, t->n) / bt : 0;
        printf("%-42s %6.2f %6.2f %6.2f  <= %.1f %s (+%.1f ms wall, +%.1f ms CPU)\n", conds[k], rw,
               rc, rt, TARGET_RATIO, rw <= TARGET_RATIO ? "PASS" : "FAIL",
               median(s->wall, s->n) - bw, median(s->cpu, s->n) - bc);
    }
    printf("(main thread: the refresh's critical path when a second CPU is free; its ratio is\n"
           " what the wall-time ratio would be on an otherwise idle machine)\n");
}

static int usage(FILE *f, int code)
{
    fprintf(f, "Usage: bench_who run [--reps N] [--expect N] [--procs N] [--conds LIST]\n"
               "                     [--refreshes N] [--profile COND --perf-out FILE]\n"
               "       bench_who item refresh|loop COND N\n"
               "Run by bench/who.sh inside a private IPC namespace; see docs/performance.md.\n");
    return code;
}

static int run(int argc, char **argv)
{
    int reps = 5, refreshes = 5;
    long expect = -1, procs = 1000;
    const char *conds[MAX_CONDS];
    int nc = 0;
    const char *profile = NULL, *perf_out = NULL;
    static char condbuf[256] = "none,attached,blocked,mixed,idle,forked,scanall";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = atol(argv[++i]);
        else if (strcmp(argv[i], "--procs") == 0 && i + 1 < argc)
            procs = atol(argv[++i]);
        else if (strcmp(argv[i], "--refreshes") == 0 && i + 1 < argc)
            refreshes = atoi(argv[++i]);
        else if (strcmp(argv[i], "--conds") == 0 && i + 1 < argc)
            snprintf(condbuf, sizeof condbuf, "%s", argv[++i]);
        else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
            profile = argv[++i];
        else if (strcmp(argv[i], "--perf-out") == 0 && i + 1 < argc)
            perf_out = argv[++i];
        else
            return usage(stderr, 2);
    }
    if (reps < 0 || reps > 50 || refreshes < 3 || refreshes > 50 || procs < 4 || procs > 8000)
        return usage(stderr, 2);
    if ((profile && !perf_out) || (profile && !cond_known(profile))) return usage(stderr, 2);
    for (char *t = strtok(condbuf, ","); t && nc < MAX_CONDS; t = strtok(NULL, ",")) {
        if (!cond_known(t)) {
            fprintf(stderr, "bench_who: no condition called '%s'\n", t);
            return 2;
        }
        conds[nc++] = t;
    }
    /* the processes and their IPC belong in a private namespace: refuse the initial one
     * (a fixed inode), and PID 1's when it can be read (here it often cannot) */
    char ns[64];
    if (wl_ipc_ns_name(ns, sizeof ns) < 0 || strcmp(ns, "ipc:[4026531839]") == 0 ||
        wl_ipc_ns_is_private() == 0) {
        fprintf(stderr, "bench_who: refusing to run outside a private IPC namespace\n");
        return 1;
    }
    static int shm_ids[8000], sem_ids[8000], msg_ids[8000];
    struct ids ids = {shm_ids, sem_ids, msg_ids, 0, 0, 0};
    ids.nshm = first_ids(0, shm_ids, procs);
    ids.nsem = first_ids(1, sem_ids, procs);
    ids.nmsg = first_ids(2, msg_ids, procs);
    if (expect >= 0) {
        struct shm_info si;
        int used = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si) < 0 ? -1 : si.used_ids;
        if (used != expect) {
            fprintf(stderr,
                    "bench_who: expected %ld segments here, found %d: not the "
                    "benchmark's namespace?\n",
                    expect, used);
            return 1;
        }
    }
    static char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) return 1;
    self[sl] = '\0';
    char nref[16];
    snprintf(nref, sizeof nref, "%d", refreshes);

    bool progress = isatty(STDERR_FILENO);
    /* one untimed round, then the timed ones, each starting one condition later */
    for (int rep = -1; rep < reps; rep++) {
        for (int k = 0; k < nc; k++) {
            const char *cn = conds[(k + (rep < 0 ? 0 : rep)) % nc];
            int ci = cond_index(cn);
            struct cond c = cond_make(cn, procs);
            struct bench_mark a = bench_now();
            if (cond_up(&c, &ids) < 0) return 1;
            struct bench_mark b = bench_now();
            /* let the machine settle after the forks (and the previous condition's exits) */
            usleep(SETTLE_US);
            if (rep >= 0) {
                spawn_s[ci] += (double)(b.wall - a.wall) / 1e9;
                spawn_n[ci]++;
            }
            const char *argv_item[] = {self, "item", "refresh", cn, nref, NULL};
            int r = run_child(argv_item, rep >= 0, ci);
            cond_down();
            if (r < 0) return 1;
        }
        if (progress)
            fprintf(stderr, "\rbench_who: %s %d of %d done",
                    rep < 0 ? "warm-up, repetition" : "repetition", rep < 0 ? 0 : rep + 1, reps);
    }
    if (progress) fprintf(stderr, "\n");
    if (reps > 0) {
        print_tables(conds, nc);
        printf("\n");
        for (int i = 0; i < ninfo; i++) printf("note: %s\n", infos[i]);
        print_ratios(conds, nc);
    }

    if (profile) {
        struct cond c = cond_make(profile, procs);
        if (cond_up(&c, &ids) < 0) return 1;
        const char *argv_perf[] = {"perf",  "record", "-q",     "-F", "1999", "--call-graph",
                                   "dwarf", "-o",     perf_out, "--", self,   "item",
                                   "loop",  profile,  "20",     NULL};
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
            execvp("perf", (char *const *)argv_perf);
            _exit(127);
        }
        int status = 1;
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        cond_down();
        if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench_who: perf record failed\n");
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0) return run(argc, argv);
    if (argc == 5 && strcmp(argv[1], "item") == 0 && cond_known(argv[3])) {
        bool loop = strcmp(argv[2], "loop") == 0;
        if (!loop && strcmp(argv[2], "refresh") != 0) return usage(stderr, 2);
        int r = item_refresh(argv[3], atoi(argv[4]), loop);
        fflush(stdout);
        return r;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout, 0);
    return usage(stderr, 2);
}
