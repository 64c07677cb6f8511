/*
 * bench_core — times ipctop's core against ipcs, lsipc and the kernel's own cost, in the
 * current IPC namespace (bench/core.sh sets up a private one and runs this inside it).
 *
 *   bench_core run --ipctop PATH [--reps N] [--expect N]
 *   bench_core item NAME          (one in-process measurement; the driver runs these)
 *
 * The driver runs every candidate as a child process, round-robin within each
 * repetition and starting one candidate later in each repetition, so that noise on this
 * shared machine falls on all candidates alike; one untimed round comes first to warm
 * caches. External commands are timed from here: wall with CLOCK_MONOTONIC around
 * fork..wait4, CPU (user+sys, every thread) and peak RSS from wait4's rusage. The
 * in-process items time themselves (bench_items.h). The driver stays small, since a
 * child's peak RSS counts what it inherited before exec.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "bench_items.h"
#include "bench_util.h"
#include "semun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_REPS     101
#define MAX_SERIES   64
#define MAX_INFO     32
#define MAX_SLEEPERS 4000

/* Peak RSS of ipctop --json and of a batch frame allowed by the issues, and the time
 * ratios. */
#define TARGET_REFRESH_VS_PROCFS 1.2
#define TARGET_JSON_VS_IPCS      0.3
#define TARGET_BATCH_VS_IPCS     0.5
#define TARGET_RSS_MB            40.0

struct series {
    char label[96];
    double wall[MAX_REPS], cpu[MAX_REPS]; /* ms */
    long rss_kb;                          /* max over repetitions; 0 when not measured */
    int n;
};

struct results {
    struct series s[MAX_SERIES];
    int n;
    char info[MAX_INFO][200];
    int ninfo;
};

/* A candidate: an external command, or one of our own items (argv = self, "item", name);
 * procs: that many sleeping processes of this namespace exist while a command runs. */
struct candidate {
    const char *argv[6];
    bool self;
    long procs;
    const char *tag; /* appended to its label: "(compared)" */
};

/* Copies src into dst[size], cut short if need be. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t l = strnlen(src, size - 1);
    memcpy(dst, src, l);
    dst[l] = '\0';
}

static struct series *series_get(struct results *r, const char *label)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->s[i].label, label) == 0) return &r->s[i];
    if (r->n == MAX_SERIES) return NULL;
    struct series *s = &r->s[r->n++];
    memset(s, 0, sizeof *s);
    copy_text(s->label, sizeof s->label, label);
    return s;
}

static void series_add(struct series *s, double wall_ms, double cpu_ms, long rss_kb)
{
    if (!s || s->n == MAX_REPS) return;
    s->wall[s->n] = wall_ms;
    s->cpu[s->n] = cpu_ms;
    s->n++;
    if (rss_kb > s->rss_kb) s->rss_kb = rss_kb;
}

static double median(const double *v, int n)
{
    double t[MAX_REPS];
    if (n <= 0) return 0;
    memcpy(t, v, (size_t)n * sizeof *t);
    return bench_median(t, (size_t)n);
}

static double minimum(const double *v, int n)
{
    double m = n > 0 ? v[0] : 0;
    for (int i = 1; i < n; i++)
        if (v[i] < m) m = v[i];
    return m;
}

/* A candidate's name in the table. */
static void candidate_label(const struct candidate *c, char *buf, size_t len)
{
    if (c->self) {
        snprintf(buf, len, "item %s", c->argv[2]);
        return;
    }
    const char *base = strrchr(c->argv[0], '/');
    snprintf(buf, len, "%s", base ? base + 1 : c->argv[0]);
    for (int i = 1; c->argv[i]; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, " %s", c->argv[i]);
    }
    if (c->procs) {
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, ", %ld more processes", c->procs);
    }
    if (c->tag) {
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, " %s", c->tag);
    }
}

/* n sleeping children (they only pause; they die with the driver), each asleep when this
 * returns: the processes a machine runs besides IPC. Their pids into pids[]. 0, or -1. */
static int spawn_sleepers(pid_t *pids, long n)
{
    pid_t parent = getpid();
    for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0) {
            perror("bench_core: fork");
            while (i > 0) kill(pids[--i], SIGKILL), waitpid(pids[i], NULL, 0);
            return -1;
        }
        if (p == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(0);
            for (;;) pause();
        }
        pids[i] = p;
    }
    /* timed only once each sleeps: fresh children still starting would compete for CPUs */
    for (long i = 0; i < n; i++)
        for (int tries = 0; bench_proc_state(pids[i]) != 'S' && tries < 5000; tries++) usleep(1000);
    return 0;
}

static void stop_sleepers(pid_t *pids, long n)
{
    for (long i = 0; i < n; i++) kill(pids[i], SIGKILL);
    for (long i = 0; i < n; i++)
        while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
        }
}

/* Keeps the latest fact per topic (the text before its first ':'). */
static void add_info(struct results *r, const char *line)
{
    size_t topic = strcspn(line, ":");
    int i = 0;
    while (i < r->ninfo && !(strncmp(r->info[i], line, topic) == 0 && r->info[i][topic] == ':'))
        i++;
    if (i == MAX_INFO) return;
    if (i == r->ninfo) r->ninfo++;
    copy_text(r->info[i], sizeof r->info[0], line);
}

/* "M <wall_ns> <cpu_ns> <label>": the label is everything after the third space, leading
 * spaces included (they indent the sub-rows of the table). */
static bool parse_measurement(const char *line, long long *wall, long long *cpu, const char **label)
{
    char *end;
    if (strncmp(line, "M ", 2) != 0) return false;
    *wall = strtoll(line + 2, &end, 10);
    if (*end != ' ') return false;
    *cpu = strtoll(end + 1, &end, 10);
    if (*end != ' ') return false;
    *label = end + 1;
    return true;
}

/* Parses the item protocol (bench_items.h); a P line names the row that gets the child's
 * peak RSS. */
static void parse_item_output(struct results *r, FILE *f, long rss_kb)
{
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        long long wall, cpu;
        const char *label;
        if (parse_measurement(line, &wall, &cpu, &label)) {
            series_add(series_get(r, label), (double)wall / 1e6, (double)cpu / 1e6, 0);
        } else if (strncmp(line, "P ", 2) == 0) {
            struct series *s = series_get(r, line + 2);
            if (s && rss_kb > s->rss_kb) s->rss_kb = rss_kb;
        } else if (strncmp(line, "I ", 2) == 0) {
            add_info(r, line + 2);
        }
    }
}

/*
 * Runs one candidate and records it (when record). Returns 0, or -1 after saying why.
 * stdout of an external command goes to /dev/null, as in `ipctop --json >/dev/null`.
 */
static int run_candidate(struct results *r, const struct candidate *c, bool record)
{
    int pfd[2] = {-1, -1};
    if (c->self && pipe2(pfd, O_CLOEXEC) < 0) return -1;
    static pid_t sleepers[MAX_SLEEPERS];
    if (c->procs && spawn_sleepers(sleepers, c->procs) < 0) return -1;
    struct bench_mark a = bench_now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_core: fork");
        if (c->self) close(pfd[0]), close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        /* a candidate does not outlive the driver (bench/core.sh stops it on a signal) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int out = c->self ? pfd[1] : open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (out < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(126);
        execvp(c->argv[0], (char *const *)c->argv);
        fprintf(stderr, "bench_core: cannot run %s: %s\n", c->argv[0], strerror(errno));
        _exit(127);
    }
    FILE *f = NULL;
    if (c->self) {
        close(pfd[1]);
        f = fdopen(pfd[0], "r");
    }
    /* the item's lines are parsed after wait4, so the pipe must not fill: it holds 64 KiB
     * and an item writes a few hundred bytes */
    int status;
    struct rusage ru;
    pid_t w;
    while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR) {
    }
    struct bench_mark b = bench_now();
    if (c->procs) stop_sleepers(sleepers, c->procs);
    char label[96];
    candidate_label(c, label, sizeof label);
    if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_core: %s failed (status %d)\n", label,
                w < 0               ? -1
                : WIFEXITED(status) ? WEXITSTATUS(status)
                                    : 128 + WTERMSIG(status));
        if (f) fclose(f);
        return -1;
    }
    if (c->self) {
        if (record && f) parse_item_output(r, f, ru.ru_maxrss);
        if (f) fclose(f);
        return 0;
    }
    double cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    if (record)
        series_add(series_get(r, label), (double)(b.wall - a.wall) / 1e6, cpu_ms, ru.ru_maxrss);
    return 0;
}

/* Objects per class in this namespace; -1 when *_INFO is refused. */
static long class_count(int cls)
{
    struct shm_info shm;
    struct seminfo sem;
    struct msginfo msg;
    union semun semarg = {.info = &sem};
    switch (cls) {
    case 0:
        return shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shm) < 0 ? -1 : (long)shm.used_ids;
    case 1: return semctl(0, 0, SEM_INFO, semarg) < 0 ? -1 : (long)sem.semusz;
    default:
        return msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&msg) < 0 ? -1 : (long)msg.msgpool;
    }
}

static const struct series *find(const struct results *r, const char *label)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->s[i].label, label) == 0) return &r->s[i];
    return NULL;
}

static void print_table(const struct results *r)
{
    printf("%-50s %9s %9s %9s %9s\n", "item", "wall med", "wall min", "CPU med", "peak RSS");
    printf("%-50s %9s %9s %9s %9s\n", "", "ms", "ms", "ms", "MB");
    for (int i = 0; i < r->n; i++) {
        const struct series *s = &r->s[i];
        char rss[32] = "";
        if (s->rss_kb > 0) snprintf(rss, sizeof rss, "%.1f", (double)s->rss_kb / 1024);
        printf("%-50s %9.1f %9.1f %9.1f %9s\n", s->label, median(s->wall, s->n),
               minimum(s->wall, s->n), median(s->cpu, s->n), rss);
    }
}

/* One ratio line; limit <= 0 means informative only. */
static void print_ratio(const char *what, double ratio, double limit)
{
    if (limit > 0)
        printf("%-58s %6.2f  <= %.2f  %s\n", what, ratio, limit, ratio <= limit ? "PASS" : "FAIL");
    else
        printf("%-58s %6.2f  (information)\n", what, ratio);
}

static int print_ratios(const struct results *r)
{
    const struct series *ref = find(r, "ipctop refresh, steady (3rd)");
    const struct series *cold = find(r, "  ipctop refresh, cold (1st)");
    const struct series *proc = find(r, "read 3 /proc/sysvipc files");
    const struct series *json = find(r, "ipctop --json");
    const struct series *batch = find(r, "ipctop -b -n 1");
    const struct series *json1k = find(r, "ipctop --json, 1000 more processes");
    const struct series *json2k = find(r, "ipctop --json, 2000 more processes");
    const struct series *ipcs = find(r, "ipcs -a");
    if (!ref || !cold || !proc || !json || !batch || !json1k || !json2k || !ipcs) {
        fprintf(stderr, "bench_core: a measurement is missing\n");
        return -1;
    }
    double ipcs_wall = median(ipcs->wall, ipcs->n), ipcs_cpu = median(ipcs->cpu, ipcs->n);
    printf("\nratios of medians, this run                                 ratio  target\n");
    print_ratio("refresh (steady) / read 3 /proc files, wall",
                median(ref->wall, ref->n) / median(proc->wall, proc->n), TARGET_REFRESH_VS_PROCFS);
    print_ratio("refresh (steady) / read 3 /proc files, CPU",
                median(ref->cpu, ref->n) / median(proc->cpu, proc->n), 0);
    print_ratio("refresh (cold) / read 3 /proc files, wall",
                median(cold->wall, cold->n) / median(proc->wall, proc->n), 0);
    print_ratio("ipctop --json / ipcs -a, wall", median(json->wall, json->n) / ipcs_wall,
                TARGET_JSON_VS_IPCS);
    print_ratio("ipctop --json / ipcs -a, CPU", median(json->cpu, json->n) / ipcs_cpu, 0);
    print_ratio("ipctop --json, 1000 more processes / ipcs -a, wall",
                median(json1k->wall, json1k->n) / ipcs_wall, TARGET_JSON_VS_IPCS);
    print_ratio("ipctop --json, 1000 more processes / ipcs -a, CPU",
                median(json1k->cpu, json1k->n) / ipcs_cpu, 0);
    print_ratio("ipctop -b -n 1 / ipcs -a, wall", median(batch->wall, batch->n) / ipcs_wall,
                TARGET_BATCH_VS_IPCS);
    print_ratio("ipctop -b -n 1 / ipcs -a, CPU", median(batch->cpu, batch->n) / ipcs_cpu, 0);
    const struct series *cmp_batch = find(r, "ipctop -b -n 1 (compared)");
    const struct series *cmp_json = find(r, "ipctop --json (compared)");
    if (cmp_batch && cmp_json) {
        print_ratio("(compared build) ipctop -b -n 1 / ipcs -a, wall",
                    median(cmp_batch->wall, cmp_batch->n) / ipcs_wall, 0);
        print_ratio("(compared build) ipctop --json / ipcs -a, wall",
                    median(cmp_json->wall, cmp_json->n) / ipcs_wall, 0);
    }
    double mb = (double)json->rss_kb / 1024;
    printf("%-58s %6.1f  <= %.0f MB %s\n", "ipctop --json peak RSS, MB (max of all runs)", mb,
           TARGET_RSS_MB, mb <= TARGET_RSS_MB ? "PASS" : "FAIL");
    mb = (double)batch->rss_kb / 1024;
    printf("%-58s %6.1f  <= %.0f MB %s\n", "ipctop -b -n 1 peak RSS, MB (max of all runs)", mb,
           TARGET_RSS_MB, mb <= TARGET_RSS_MB ? "PASS" : "FAIL");
    /* what each 1,000 processes cost --json, from the same run */
    double j0w = median(json->wall, json->n), j0c = median(json->cpu, json->n);
    printf("ipctop --json, cost of more processes (ms per 1,000, wall / CPU): "
           "+1000: %.1f / %.1f, +2000: %.1f / %.1f\n",
           median(json1k->wall, json1k->n) - j0w, median(json1k->cpu, json1k->n) - j0c,
           (median(json2k->wall, json2k->n) - j0w) / 2, (median(json2k->cpu, json2k->n) - j0c) / 2);
    return 0;
}

static int usage(FILE *f, int code)
{
    fprintf(f, "Usage: bench_core run --ipctop PATH [--reps N] [--expect N] [--compare PATH]\n"
               "       bench_core item NAME\n"
               "Run by bench/core.sh inside a private IPC namespace; see docs/performance.md.\n");
    return code;
}

static int run(int argc, char **argv)
{
    const char *ipctop = NULL, *compare = NULL;
    int reps = 7;
    long expect = -1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--ipctop") == 0 && i + 1 < argc)
            ipctop = argv[++i];
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = atol(argv[++i]);
        else if (strcmp(argv[i], "--compare") == 0 && i + 1 < argc)
            compare = argv[++i];
        else
            return usage(stderr, 2);
    }
    if (!ipctop || reps < 1 || reps > MAX_REPS) return usage(stderr, 2);
    for (int c = 0; c < 3; c++) {
        long n = class_count(c);
        if (n < 0 || (expect >= 0 && n != expect)) {
            fprintf(stderr,
                    "bench_core: expected %ld objects of each class here, found %ld: "
                    "not the benchmark's namespace?\n",
                    expect, n);
            return 1;
        }
    }
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = '\0';

    struct candidate cands[16];
    int nc = 0;
    cands[nc++] = (struct candidate){{ipctop, "--json", NULL}, false, 0, NULL};
    cands[nc++] = (struct candidate){{ipctop, "-b", "-n", "1", NULL}, false, 0, NULL};
    /* the who-scan grows with the processes of the machine: 1,000 and 2,000 more */
    cands[nc++] = (struct candidate){{ipctop, "--json", NULL}, false, 1000, NULL};
    cands[nc++] = (struct candidate){{ipctop, "--json", NULL}, false, 2000, NULL};
    if (compare) {
        /* another build's ipctop, in the same rounds: before and after a change */
        cands[nc++] = (struct candidate){{compare, "--json", NULL}, false, 0, "(compared)"};
        cands[nc++] = (struct candidate){{compare, "-b", "-n", "1", NULL}, false, 0, "(compared)"};
    }
    cands[nc++] = (struct candidate){{"ipcs", "-a", NULL}, false, 0, NULL};
    cands[nc++] = (struct candidate){{"lsipc", "-m", NULL}, false, 0, NULL};
    cands[nc++] = (struct candidate){{"lsipc", "-s", NULL}, false, 0, NULL};
    cands[nc++] = (struct candidate){{"lsipc", "-q", NULL}, false, 0, NULL};
    for (int i = 0; bench_item_names[i]; i++)
        cands[nc++] = (struct candidate){{self, "item", bench_item_names[i], NULL}, true, 0, NULL};

    static struct results res;
    /* one untimed round to warm caches (binaries, /etc/passwd, dentries) */
    for (int k = 0; k < nc; k++)
        if (run_candidate(&res, &cands[k], false) < 0) return 1;
    /* repetition 0 runs the candidates in order, so the table's rows come in that order */

    bool progress = isatty(STDERR_FILENO);
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < nc; k++)
            if (run_candidate(&res, &cands[(k + rep) % nc], true) < 0) return 1;
        if (progress) fprintf(stderr, "\rbench_core: repetition %d of %d done", rep + 1, reps);
    }
    if (progress) fprintf(stderr, "\n");
    print_table(&res);
    printf("\n");
    for (int i = 0; i < res.ninfo; i++) printf("note: %s\n", res.info[i]);
    return print_ratios(&res) < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0) return run(argc, argv);
    if (argc == 3 && strcmp(argv[1], "item") == 0) return bench_item_run(argv[2]);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout, 0);
    return usage(stderr, 2);
}
