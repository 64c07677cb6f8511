/*
 * collect — reads the kernel's System V IPC objects of the current IPC namespace into a
 * snapshot. The only module (with actions) that talks to the kernel.
 *
 * Each way of reading a class is a source: a table of functions (collect_source.h).
 * Per class the collector tries the sources in order and uses the first that works:
 *   shm: /proc/sysvipc/shm (the only place with rss and swap, and it has every other
 *        field too), then SHM_STAT_ANY, then SHM_STAT; when no view wants rss or swap
 *        (collector_want), SHM_STAT_ANY, SHM_STAT, then /proc/sysvipc/shm;
 *   sem, msg: *_STAT_ANY (no parsing, 2-4x cheaper than procfs), then *_STAT (kernels
 *        before 4.17 refuse *_STAT_ANY), then /proc/sysvipc.
 * Objects that *_STAT refuses with EACCES are taken from /proc/sysvipc, which lists every
 * object to everyone, so permission never drops an object.
 *
 * Semaphore elements (value, pid, ncount, zcount) cost one syscall per semaphore each; the
 * collector re-reads pids only for sets that changed since the previous snapshot, and
 * ncount/zcount only for sets a blocked task may be waiting on (see collect_sem.c).
 */
#ifndef IPCTOP_COLLECT_H
#define IPCTOP_COLLECT_H

#include "snapshot.h"

/* Which paths the collector may use: AUTO tries them in the order above. */
enum collect_force {
    FORCE_AUTO,
    FORCE_STAT_ANY,
    FORCE_STAT,
    FORCE_PROCFS,
};

struct collect_options {
    enum collect_force force;
    const char *proc_root; /* "/proc" unless a test says otherwise */
    /* Read every kind in the calling thread. By default the kind with the most syscalls
     * (semaphores) is read in a worker thread beside the others: a refresh takes less wall
     * time, but two threads making syscalls at once cost more CPU in all (at 32,000 objects
     * per class, 8 ms more per refresh: bench_core item monitor). Modes that refresh again
     * and again (options_repeats) take the cheaper way. */
    bool one_thread;
};

struct collector;

struct collector *collector_new(const struct collect_options *opt);
void collector_free(struct collector *c);

/*
 * The fields the views want, per kind (FBIT; every field at first). A kind may have fields
 * only a costly source gives (kind.h: collect.procfs_only — a segment's rss and swap, only in
 * /proc/sysvipc/shm, whose text costs the kernel more than the rest of a refresh): when
 * none of them is wanted, the kind is read the cheap way and those fields are left unknown
 * and marked unasked (snapshot.h). Every other field is read whatever is wanted. For the
 * next collector_collect; not thread-safe.
 */
void collector_want(struct collector *c, const uint64_t want[IPC_NCLASSES]);

/*
 * Fills *out (which is cleared first) with every object now. prev, when not NULL, is the
 * snapshot this collector produced last; it lets unchanged semaphore sets skip syscalls.
 * Returns 0, or -1 with a sentence in err when no source could read a class at all.
 */
int collector_collect(struct collector *c, const struct snapshot *prev, struct snapshot *out,
                      char *err, size_t errlen);

/*
 * Reads one object and appends its record to s: by index with *_STAT_ANY (which ignores
 * read permission and returns the object's full id), or by id with IPC_STAT. Returns the id
 * read, or -1 with errno (EINVAL/EIDRM: no such object). Actions use it to re-check what
 * they act on.
 */
int collect_one(enum ipc_class cls, int index_or_id, bool by_id, struct snapshot *s);

/* Parses "auto", "stat_any", "stat" or "procfs"; -1 if none. */
int collect_force_parse(const char *s, enum collect_force *out);

/* Reads the namespace's limits from <proc_root>/sys/kernel. Returns 0 or -1. */
int collect_limits(const char *proc_root, struct ipc_limits *lim);
/* Parses a limits file's text (pure): exactly n unsigned decimal numbers separated by blanks,
 * then at most blanks and one newline ("32000\t1024000000\t500\t32000\n" for sem). */
bool limits_parse(const char *buf, size_t len, unsigned long long *v, int n);

#endif
