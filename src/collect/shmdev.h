/*
 * shmdev — which devices System V shared memory files live on, so that only mappings of
 * real segments are taken for attachers or read as content.
 *
 * A segment's file is on the kernel's internal shmem mount (the one memfd_create and
 * shared anonymous mappings use too), or for SHM_HUGETLB on the internal hugetlbfs mount
 * of its page size; its inode number is the shmid and its name /SYSV<key>. Name and inode
 * are easy to forge — any user can mount a tmpfs in a user namespace of their own and
 * make a file /SYSV00001234 with a chosen inode — but the device is not: no user can put a
 * file on those internal mounts under a /SYSV name. The devices are learnt without side
 * effects by asking memfd_create for a file of each kind and reading its st_dev.
 *
 * Owns nothing but a small table; the probe runs once per collector.
 */
#ifndef IPCTOP_SHMDEV_H
#define IPCTOP_SHMDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHMDEV_MAX_HUGE 8

struct shm_devs {
    bool known;            /* the shmem device could be learnt: mappings can be checked */
    uint32_t major, minor; /* the internal shmem mount */
    size_t nhuge;          /* internal hugetlbfs mounts, one per huge page size */
    uint32_t huge_major[SHMDEV_MAX_HUGE], huge_minor[SHMDEV_MAX_HUGE];
    uint64_t huge_size[SHMDEV_MAX_HUGE]; /* their page sizes, bytes */
};

/* The huge page sizes this kernel supports, bytes, the default one first (/proc/meminfo,
 * /sys/kernel/mm/hugepages). Returns how many were written. */
size_t shmdev_hugepage_sizes(uint64_t *sizes, size_t max);

/* Learns the devices (memfd_create; nothing is created that outlives the call). Sizes are
 * the huge page sizes the kernel supports, in bytes. */
void shmdev_probe(struct shm_devs *d, const uint64_t *huge_sizes, size_t nsizes);

enum shmdev_match {
    SHMDEV_OTHER = 0, /* not a System V segment's device: a forgery or another file */
    SHMDEV_SHMEM,     /* the internal shmem mount */
    SHMDEV_HUGETLB,   /* an internal hugetlbfs mount */
    SHMDEV_UNCHECKED, /* the devices are unknown: cannot tell */
};

/* What a mapping's device is; for hugetlb the page size goes to *page_size when not NULL. */
enum shmdev_match shmdev_match(const struct shm_devs *d, uint32_t major, uint32_t minor,
                               uint64_t *page_size);

#endif
