/*
 * attach — which processes have which System V segments mapped, from /proc/PID/maps.
 *
 * A SysV mapping reads "... rw-s 00000000 00:01 <shmid> /SYSV<key> (deleted)": the inode
 * field is the shmid (the key in the name goes stale after IPC_RMID, so it is not used).
 * Only processes in our IPC namespace are read (ids repeat across namespaces). The scan
 * starts with the segments' creator and last-attach processes and stops as soon as it has
 * found as many mappings as the kernel's nattch counts over all segments: with nothing
 * attached it reads no maps at all.
 */
#ifndef IPCTOP_ATTACH_H
#define IPCTOP_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs.h"

struct snapshot;

struct shm_mapping {
    int32_t pid;
    int32_t shmid;
    uint64_t start, end;
    bool writable;
    uint32_t dev_major, dev_minor;
    uint64_t page_size; /* the mapping's page size (PROCMAP_QUERY; on older kernels from smaps,
                           for hugetlb mappings only); 0 unknown */
};

struct attach_scan {
    struct shm_mapping *m;
    size_t n, cap;
    size_t procs_read;    /* maps files read */
    size_t procs_refused; /* maps files we may not read */
    bool complete;        /* every mapping the kernel counts was found, or every process read */
};

/* Scans the processes of our IPC namespace; mappings of ids that are not segments of s are
 * ignored. 0, or -1 out of memory. */
int attach_scan(const char *proc_root, const struct snapshot *s, struct attach_scan *out);
void attach_free(struct attach_scan *a);

/*
 * Parses the text of one /proc/PID/maps (pure): calls add() for every SysV mapping.
 * Returns the number found.
 */
size_t attach_parse_maps(const char *buf, size_t len, int32_t pid,
                         void (*add)(void *ctx, const struct shm_mapping *m), void *ctx);

/* Whether a mapping's device is the hugetlbfs one rather than the shmem one (00:01). */
bool attach_is_hugetlb_dev(const struct shm_mapping *m);

#endif
