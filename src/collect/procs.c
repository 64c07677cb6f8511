#include "procs.h"
#include "sorted.h"

#include "nsinfo.h"
#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <libproc2/misc.h>
#include <libproc2/pids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PF_KTHREAD_FLAG 0x00200000UL

/* Positions in this array are what PIDS_VAL takes, not the item ids. */
static enum pids_item items[] = {PIDS_ID_PID,     PIDS_ID_EUID, PIDS_STATE,   PIDS_CMD,
                                 PIDS_TICS_BEGAN, PIDS_FLAGS,   PIDS_ID_PPID, PIDS_ID_RUID};
enum { I_PID, I_EUID, I_STATE, I_CMD, I_BEGAN, I_FLAGS, I_PPID, I_RUID };

/* Boot time as a unix time, to the millisecond: /proc/stat's btime is whole seconds,
 * which would blur which of two processes came first around an operation. */
static double boot_time(void)
{
    struct timespec real, boot;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return (double)(real.tv_sec - boot.tv_sec) + (double)(real.tv_nsec - boot.tv_nsec) / 1e9;
}

static uint32_t pool_add(struct proc_table *t, const char *s)
{
    size_t l = strlen(s) + 1;
    if (t->plen + l > t->pcap) {
        size_t nc = t->pcap ? t->pcap * 2 : 16384;
        while (nc < t->plen + l) nc *= 2;
        char *np = realloc(t->pool, nc);
        if (!np) return 0;
        t->pool = np;
        t->pcap = nc;
    }
    memcpy(t->pool + t->plen, s, l);
    uint32_t off = (uint32_t)t->plen;
    t->plen += l;
    return off;
}

/* /proc/PID/stat, parsed. */
static bool read_stat(const char *proc_root, const char *pid_dir, struct proc_stat *ps)
{
    char path[256], buf[1024];
    snprintf(path, sizeof path, "%s/%s/stat", proc_root, pid_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n > 0 && procstat_parse(buf, (size_t)n, ps);
}

/*
 * The command line as the process set it (PostgreSQL's "postgres: checkpointer"), raw: the
 * arguments joined by blanks. libproc2's copy is escaped for the locale ("caf??"). Empty
 * when there is none (a kernel thread, a zombie) or it cannot be read.
 */
static void read_cmdline(const char *proc_root, const char *pid_dir, char *out, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/cmdline", proc_root, pid_dir);
    out[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, out, len - 1);
    close(fd);
    if (n <= 0) return;
    while (n > 0 && out[n - 1] == '\0') n--; /* the terminating NULs */
    for (ssize_t i = 0; i < n; i++)
        if (out[i] == '\0') out[i] = ' ';
    out[n] = '\0';
}
/* Copies what libproc2 fetched into the table (its stacks do not outlive the next call). */
static bool take(struct proc_table *t, struct pids_info *info, struct pids_fetch *f,
                 const char *proc_root, struct ns_cache *ns, double bt, long hz)
{
    (void)info; /* PIDS_VAL takes it, and some versions of the macro do not use it */
    int total = f->counts->total;
    if (t->n + (size_t)total > t->cap) {
        size_t nc = t->cap ? t->cap : 64;
        while (nc < t->n + (size_t)total) nc *= 2;
        struct proc_info *np = realloc(t->p, nc * sizeof *np);
        if (!np) return false;
        t->p = np;
        t->cap = nc;
    }
    for (int i = 0; i < total; i++) {
        struct pids_stack *st = f->stacks[i];
        if (PIDS_VAL(I_FLAGS, ul_int, st, info) & PF_KTHREAD_FLAG) continue;
        struct proc_info *p = &t->p[t->n++];
        p->pid = PIDS_VAL(I_PID, s_int, st, info);
        p->euid = PIDS_VAL(I_EUID, u_int, st, info);
        p->state = (char)PIDS_VAL(I_STATE, s_ch, st, info);
        p->start_tics = PIDS_VAL(I_BEGAN, ull_int, st, info);
        p->start = bt + (double)p->start_tics / (double)hz;
        p->ppid = PIDS_VAL(I_PPID, s_int, st, info);
        p->ruid = PIDS_VAL(I_RUID, u_int, st, info);
        char dir[16];
        snprintf(dir, sizeof dir, "%d", p->pid);
        /* the name as the kernel has it: libproc2's copy is escaped for the locale */
        struct proc_stat ps;
        const char *cmd = PIDS_VAL(I_CMD, str, st, info);
        if (read_stat(proc_root, dir, &ps) && ps.pid == p->pid) cmd = ps.comm;
        p->comm = pool_add(t, cmd ? cmd : "");
        char line[512];
        read_cmdline(proc_root, dir, line, sizeof line);
        p->cmdline = line[0] ? pool_add(t, line) : p->comm;
        /* libproc2's PIDS_NS_* stats every namespace link and hides EACCES as 0 */
        p->ipc_ns = ns_cache_ipc(ns, proc_root, dir);
    }
    return true;
}

/* libproc2 selects at most this many pids per call (FILL_ID_MAX) */
#define SELECT_MAX 255

int procs_read(struct proc_table *t, const char *proc_root, struct ns_cache *ns,
               const int32_t *pids, size_t n)
{
    t->n = 0;
    t->plen = 0;
    t->ok = false;
    pool_add(t, ""); /* offset 0: the empty name */
    t->self_ipc_ns = ns_cache_ipc(ns, proc_root, "self");
    /* PROC_IPC_INIT_INO; see tasks.c for why only root may assume this */
    t->self_ns_private = t->self_ipc_ns && !ns_is_initial_ipc(t->self_ipc_ns) && geteuid() == 0;
    t->hides_others = geteuid() != 0 && ns_proc_hides_pids(proc_root);
    t->initial_pid_ns = ns_initial_pid(proc_root);
    struct pids_info *info = NULL;
    if (procps_pids_new(&info, items, sizeof items / sizeof items[0]) < 0) return -1;
    double bt = boot_time();
    long hz = procps_hertz_get();
    if (hz <= 0) hz = 100;
    bool ok = true;
    if (!pids) {
        struct pids_fetch *f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
        ok = f && take(t, info, f, proc_root, ns, bt, hz);
    } else {
        /* only the processes something refers to: at 100 objects a handful, not the machine */
        unsigned chunk[SELECT_MAX];
        for (size_t i = 0; i < n && ok; i += SELECT_MAX) {
            size_t k = n - i < SELECT_MAX ? n - i : SELECT_MAX;
            for (size_t j = 0; j < k; j++) chunk[j] = (unsigned)pids[i + j];
            struct pids_fetch *f = procps_pids_select(info, chunk, (int)k, PIDS_SELECT_PID);
            ok = f && take(t, info, f, proc_root, ns, bt, hz);
        }
    }
    procps_pids_unref(&info);
    if (!ok) return -1;
    if (t->n > 1) qsort(t->p, t->n, sizeof *t->p, cmp_int32);
    t->ok = true;
    return 0;
}

void procs_free(struct proc_table *t)
{
    free(t->p);
    free(t->pool);
    memset(t, 0, sizeof *t);
}

const struct proc_info *procs_find(const struct proc_table *t, int32_t pid)
{
    struct proc_info key = {.pid = pid};
    return t->n ? bsearch(&key, t->p, t->n, sizeof *t->p, cmp_int32) : NULL;
}

enum liveness procs_liveness(const struct proc_table *t, int32_t pid, int64_t op_time)
{
    /* outside the initial PID namespace the kernel shows 0 for a process we cannot see */
    if (pid <= 0) return t->ok && !t->initial_pid_ns ? LIVE_UNKNOWN : LIVE_NONE;
    if (!t->ok) return LIVE_UNKNOWN;
    const struct proc_info *p = procs_find(t, pid);
    if (!p) return t->hides_others ? LIVE_UNKNOWN : LIVE_DEAD;
    if (p->state == 'Z' || p->state == 'X') return LIVE_DEAD;
    /* op times are whole seconds: the operation happened in [op_time, op_time + 1) */
    if (op_time > 0 && p->start >= (double)op_time + 1.0) return LIVE_REUSED;
    return LIVE_ALIVE;
}
