#include "tasks.h"

#include "nsinfo.h"
#include "procstat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* This architecture's numbers; glibc's semop() itself calls semtimedop. */
static enum ipc_wait wait_of(long nr)
{
#ifdef SYS_semop
    if (nr == SYS_semop) return WAIT_SEMOP;
#endif
#ifdef SYS_semtimedop
    if (nr == SYS_semtimedop) return WAIT_SEMOP;
#endif
#ifdef SYS_msgsnd
    if (nr == SYS_msgsnd) return WAIT_MSGSND;
#endif
#ifdef SYS_msgrcv
    if (nr == SYS_msgrcv) return WAIT_MSGRCV;
#endif
    (void)nr;
    return WAIT_NONE;
}

static bool parse_num(const char **p, const char *end, uint64_t *v, bool *neg)
{
    const char *q = *p;
    while (q < end && *q == ' ') q++;
    *neg = false;
    if (q < end && *q == '-') {
        *neg = true;
        q++;
    }
    unsigned base = 10;
    if (end - q > 2 && q[0] == '0' && q[1] == 'x') {
        base = 16;
        q += 2;
    }
    uint64_t x = 0;
    const char *start = q;
    for (; q < end; q++) {
        unsigned d;
        if (*q >= '0' && *q <= '9')
            d = (unsigned)(*q - '0');
        else if (base == 16 && *q >= 'a' && *q <= 'f')
            d = (unsigned)(*q - 'a' + 10);
        else
            break;
        if (x > (UINT64_MAX - d) / base) return false;
        x = x * base + d;
    }
    if (q == start) return false;
    *v = x;
    *p = q;
    return true;
}

enum ipc_wait tasks_parse_syscall(const char *buf, size_t len, uint64_t args[6])
{
    const char *p = buf, *end = buf + len;
    uint64_t nr;
    bool neg;
    if (!parse_num(&p, end, &nr, &neg) || neg) return WAIT_NONE;
    enum ipc_wait w = wait_of((long)nr);
    if (w == WAIT_NONE) return WAIT_NONE;
    for (int i = 0; i < 6; i++)
        if (!parse_num(&p, end, &args[i], &neg) || neg) return WAIT_NONE;
    return w;
}

static struct blocked_task *add_blocked(struct task_scan *ts, int32_t tid, int32_t tgid,
                                        enum ipc_wait w, const uint64_t args[6])
{
    if (ts->nblocked == ts->cap) {
        size_t ncap = ts->cap ? ts->cap * 2 : 64;
        struct blocked_task *nb = realloc(ts->blocked, ncap * sizeof *nb);
        if (!nb) return NULL;
        ts->blocked = nb;
        ts->cap = ncap;
    }
    struct blocked_task *b = &ts->blocked[ts->nblocked++];
    memset(b, 0, sizeof *b);
    b->tid = tid;
    b->tgid = tgid;
    b->wait = w;
    b->state = '?';
    b->idle = -1;
    memcpy(b->args, args, sizeof b->args);
    return b;
}

/* Reads up to len-1 bytes of a /proc file relative to procfd; returns the length or -1. */
static ssize_t read_small(int procfd, const char *path, char *buf, size_t len)
{
    int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n >= 0) buf[n] = '\0';
    return n;
}

/* The state letter of /proc/TID/stat. */
static char task_state(int procfd, const char *dir)
{
    char path[96], buf[1024];
    snprintf(path, sizeof path, "%s/stat", dir);
    ssize_t n = read_small(procfd, path, buf, sizeof buf);
    struct proc_stat st;
    return n > 0 && procstat_parse(buf, (size_t)n, &st) ? st.state : '?';
}

/* se.exec_start of /proc/TID/sched, in milliseconds of the scheduler's clock; -1 unknown. */
static double exec_start_ms(int procfd, const char *dir)
{
    char path[96], buf[1024];
    snprintf(path, sizeof path, "%s/sched", dir);
    ssize_t n = read_small(procfd, path, buf, sizeof buf);
    double v;
    return n > 0 && procstat_sched_exec_start(buf, (size_t)n, &v) ? v : -1;
}

/* The sembuf array a blocked semop passed (needs ptrace rights over the task: root). */
static void read_sem_ops(struct task_scan *ts, struct blocked_task *b)
{
    uint64_t nsops = b->args[2];
    if (nsops == 0 || nsops > 4096) return;
    if (ts->nops + nsops > ts->capops) {
        size_t nc = ts->capops ? ts->capops * 2 : 256;
        while (nc < ts->nops + nsops) nc *= 2;
        struct sem_op *no = realloc(ts->ops, nc * sizeof *no);
        if (!no) return;
        ts->ops = no;
        ts->capops = nc;
    }
    struct sembuf_raw {
        unsigned short num;
        short op, flg;
    } raw[64];
    uint32_t off = (uint32_t)ts->nops;
    for (uint64_t done = 0; done < nsops;) {
        size_t chunk = nsops - done < 64 ? (size_t)(nsops - done) : 64;
        struct iovec local = {raw, chunk * sizeof raw[0]};
        struct iovec remote = {(void *)(uintptr_t)(b->args[1] + done * sizeof raw[0]),
                               chunk * sizeof raw[0]};
        if (process_vm_readv(b->tid, &local, 1, &remote, 1, 0) != (ssize_t)local.iov_len) return;
        for (size_t i = 0; i < chunk; i++)
            ts->ops[off + done + i] = (struct sem_op){raw[i].num, raw[i].op, raw[i].flg};
        done += chunk;
    }
    b->ops_off = off;
    b->nops = (uint32_t)nsops;
    ts->nops += nsops;
}

/* msgsnd: the type of the message it is trying to send (the first long of msgp). */
static void read_msg_type(struct blocked_task *b)
{
    long mtype;
    struct iovec local = {&mtype, sizeof mtype};
    struct iovec remote = {(void *)(uintptr_t)b->args[1], sizeof mtype};
    if (process_vm_readv(b->tid, &local, 1, &remote, 1, 0) == (ssize_t)sizeof mtype)
        b->mtype = mtype;
}

struct scan_state {
    int procfd;
    uint64_t self_ns;  /* our IPC namespace */
    bool self_initial; /* ... and whether it is the machine's initial one */
    bool privileged;   /* root: a task it cannot inspect is the exception, not the rule */
    struct task_scan *ts;
};

/*
 * A task we may not inspect matters only if it shares our IPC namespace. When its ns link
 * is readable, that says. When not: in the initial namespace, where every process lives
 * unless it left, it may well be ours. In a private namespace, for root, it can only have
 * come in by setns with privileges over the namespace (a container's pid 1 is the usual
 * such task), so it is taken to be elsewhere; for another user, tasks of other users are
 * opaque as a rule and may share the namespace: they count.
 */
static void refused(struct scan_state *st, const char *dir)
{
    uint64_t ns = ns_ipc_at(st->procfd, dir);
    if (ns) {
        if (ns != st->self_ns) return;
    } else if (!st->self_initial && st->privileged) {
        return;
    }
    st->ts->nunreadable++;
}

/* Reads the syscall file of one task, whose /proc directory is dir. */
static void scan_task(struct scan_state *st, const char *dir, int32_t tid, int32_t tgid)
{
    struct task_scan *ts = st->ts;
    char path[96];
    snprintf(path, sizeof path, "%s/syscall", dir);
    ts->ntasks++;
    int fd = openat(st->procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EACCES || errno == EPERM) refused(st, dir);
        return;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    int e = errno;
    close(fd);
    if (n < 0) {
        if (e == EACCES || e == EPERM) refused(st, dir);
        return;
    }
    uint64_t args[6];
    enum ipc_wait w = tasks_parse_syscall(buf, (size_t)n, args);
    if (w == WAIT_NONE) return;
    /* a waiter: the few extra reads are worth it for these tasks only */
    struct blocked_task *b = add_blocked(ts, tid, tgid, w, args);
    if (!b) return;
    b->state = task_state(st->procfd, dir);
    double es = exec_start_ms(st->procfd, dir);
    if (es >= 0) b->idle = es; /* made relative to now once the scan is done */
    if (w == WAIT_SEMOP) read_sem_ops(ts, b);
    if (w == WAIT_MSGSND) read_msg_type(b);
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static void scan_process(struct scan_state *ss, const char *pid)
{
    char path[64];
    int32_t tgid = (int32_t)atoi(pid);
    struct stat st;
    snprintf(path, sizeof path, "%.20s/task", pid);
    /* a task directory links to itself, its parent and one entry per thread */
    if (fstatat(ss->procfd, path, &st, 0) == 0 && st.st_nlink <= 3) {
        scan_task(ss, pid, tgid, tgid);
        return;
    }
    int tfd = openat(ss->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tfd < 0) return; /* exited */
    DIR *d = fdopendir(tfd);
    if (!d) {
        close(tfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!all_digits(de->d_name)) continue;
        snprintf(path, sizeof path, "%.20s/task/%.20s", pid, de->d_name);
        scan_task(ss, path, (int32_t)atoi(de->d_name), tgid);
    }
    closedir(d);
}

int tasks_scan(const char *proc_root, struct task_scan *ts)
{
    ts->nblocked = ts->ntasks = ts->nunreadable = ts->nops = 0;
    ts->complete = false;
    int procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) return -1;
    int dfd = dup(procfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0) close(dfd);
        close(procfd);
        return -1;
    }
    struct scan_state ss = {procfd, ns_ipc_at(procfd, "self"), false, false, ts};
    ss.self_initial = ns_is_initial_ipc(ss.self_ns);
    ss.privileged = geteuid() == 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (all_digits(de->d_name)) scan_process(&ss, de->d_name);
    closedir(d);
    /* our own exec_start is "now" on the scheduler's clock */
    double now_ms = exec_start_ms(procfd, "thread-self");
    for (size_t i = 0; i < ts->nblocked; i++) {
        struct blocked_task *b = &ts->blocked[i];
        b->idle = b->idle >= 0 && now_ms >= b->idle ? (now_ms - b->idle) / 1000.0 : -1;
    }
    /* outside the initial PID namespace, tasks of ours may be out of sight, unless our IPC
     * namespace is a private one (see refused()) */
    ts->complete =
        ts->nunreadable == 0 && (ns_initial_pid_at(procfd) || (!ss.self_initial && ss.privileged));
    close(procfd);
    return 0;
}

void tasks_free(struct task_scan *ts)
{
    free(ts->blocked);
    free(ts->ops);
    memset(ts, 0, sizeof *ts);
}
