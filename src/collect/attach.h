/*
 * attach — which processes have which System V segments mapped, from /proc/PID/maps.
 *
 * A SysV mapping reads "... rw-s 00000000 00:01 <shmid> /SYSV<key> (deleted)": the inode
 * field is the shmid (the key in the name goes stale after IPC_RMID, so it is not used).
 * Name and inode can be forged by any user on a tmpfs of their own, so a mapping counts
 * only when its device is the one System V segments live on (shmdev.h).
 * Only processes in our IPC namespace are read (ids repeat across namespaces). The scan
 * starts with the segments' creator and last-attach processes and stops as soon as every
 * segment's mappings add up to its nattch: with nothing attached it reads no maps at all.
 */
#ifndef IPCTOP_ATTACH_H
#define IPCTOP_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs.h"
#include "shmdev.h"

struct snapshot;

struct shm_mapping {
    int kind; /* enum ipc_class of the object mapped */
    int32_t pid;
    int32_t shmid;
    uint64_t start, end;
    bool writable;
    uint32_t dev_major, dev_minor;
    uint64_t page_size; /* the mapping's page size (PROCMAP_QUERY, or the hugetlb device's); 0
                           unknown */
    bool hugetlb;       /* on an internal hugetlbfs mount */
    bool unverified;    /* the devices of segments are unknown: it could be a forgery */
};

struct attach_scan {
    struct shm_mapping *m;
    size_t n, cap;
    size_t procs_read;    /* maps files read */
    size_t procs_refused; /* maps files we may not read */
    size_t unverified;    /* mappings whose device could not be checked (shm_mapping) */
    bool listed_all;      /* every process of /proc was looked at */
    bool complete;        /* every segment's mappings add up to its nattch, or every process of
                             the namespace was read (who.c judges each segment on its own) */
};

/* Scans the processes of our IPC namespace; mappings of ids that are not segments of s, and
 * mappings not on the devices of segments, are ignored. ns: this refresh's namespace
 * cache, or NULL. 0, or -1 out of memory. */
int attach_scan(const char *proc_root, const struct snapshot *s, const struct shm_devs *devs,
                struct ns_cache *ns, struct attach_scan *out);
void attach_free(struct attach_scan *a);

typedef void (*attach_mapping_fn)(void *ctx, const struct shm_mapping *m);

/*
 * The one reader of a process's mappings (the scan above, the content reader): reads the
 * SysV mappings of <proc_root>/<pid>/maps — through PROCMAP_QUERY where the kernel has it
 * (*no_query false), else its text in bufsz-byte chunks of buf (then *no_query becomes true
 * and later calls go straight to the text) — and hands each to fn. 0, or -1 when the file
 * cannot be opened (errno; EACCES/EPERM: refused) or reading it was refused part way.
 */
int attach_read_process(const char *proc_root, int32_t pid, const struct shm_devs *devs,
                        attach_mapping_fn fn, void *ctx, char *buf, size_t bufsz, bool *no_query);

/*
 * Parses the text of one /proc/PID/maps (pure): calls add() for every mapping of a SysV
 * segment — shared, named /SYSV..., on one of the devices of devs (NULL or unknown devices:
 * any, marked unverified). Returns the number found.
 */
size_t attach_parse_maps(const char *buf, size_t len, int32_t pid, const struct shm_devs *devs,
                         attach_mapping_fn add, void *ctx);

#endif
