/*
 * procs — the process table of one refresh: pid → command, user, state, start time, IPC
 * namespace. Read once per refresh with libproc2 and shared by everything that needs a
 * process (attachers, waiters, liveness of creator and last pids).
 *
 * Owns its arrays and a string pool (libproc2 overwrites its results on every reap, so
 * what must outlive it is copied). Entries are sorted by pid. Kernel threads are left out:
 * they have no address space and no IPC.
 */
#ifndef IPCTOP_PROCS_H
#define IPCTOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsinfo.h"

struct proc_info {
    int32_t pid;
    int32_t ppid;
    uint32_t euid;
    uint32_t ruid;
    char state;          /* as in /proc/PID/stat: R S D T t Z X I ... */
    double start;        /* unix seconds (boot time + start ticks / hertz) */
    uint64_t start_tics; /* as in /proc/PID/stat: with the pid, names one process for good */
    uint32_t comm;       /* offset of the command name (raw bytes from /proc/PID/stat, not
                            sanitized) in the table's string pool */
    uint32_t cmdline;    /* ... of the full command line (the process title, raw bytes from
                            /proc/PID/cmdline, blanks between arguments), or of comm */
    uint64_t ipc_ns;     /* inode of /proc/PID/ns/ipc; 0 when it could not be read */
};

struct proc_table {
    struct proc_info *p;
    size_t n, cap;
    char *pool;
    size_t plen, pcap;
    uint64_t self_ipc_ns; /* our IPC namespace */
    bool self_ns_private; /* ... is not the machine's initial one, and we are root: a process
                             whose namespace cannot be read is then taken to be elsewhere */
    bool ok;              /* false when the table could not be read at all */
    bool hides_others;    /* /proc has hidepid and we are not root: a missing pid may be alive */
    bool initial_pid_ns;  /* we see every pid; elsewhere a pid 0 may be a process we cannot see */
};

/*
 * Reads the processes pids[0..n) (sorted, unique), or every process when pids is NULL.
 * A pid with no process is simply absent from the table. 0, or -1 when libproc2 or /proc
 * failed (then ok is false).
 */
int procs_read(struct proc_table *t, const char *proc_root, struct ns_cache *ns,
               const int32_t *pids, size_t n);
void procs_free(struct proc_table *t);

/* The entry of pid, or NULL when there is no such process. */
const struct proc_info *procs_find(const struct proc_table *t, int32_t pid);
static inline const char *procs_comm(const struct proc_table *t, const struct proc_info *p)
{
    return t->pool + p->comm;
}
static inline const char *procs_cmdline(const struct proc_table *t, const struct proc_info *p)
{
    return t->pool + p->cmdline;
}

/*
 * Whether pid is alive and still the process that did an operation at op_time (unix
 * seconds; 0 when unknown): a process that started after the operation is a newer one
 * that got the pid again, and a zombie has exited.
 */
enum liveness {
    LIVE_NONE, /* pid 0: never set */
    LIVE_ALIVE,
    LIVE_DEAD,    /* no such process, or a zombie */
    LIVE_REUSED,  /* the pid belongs to a process that started after the operation */
    LIVE_UNKNOWN, /* the table could not be read */
};
enum liveness procs_liveness(const struct proc_table *t, int32_t pid, int64_t op_time);

#endif
