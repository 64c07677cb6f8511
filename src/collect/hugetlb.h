/*
 * hugetlb — undoing the kernel's rss error for SHM_HUGETLB segments (pure).
 *
 * For a hugetlb segment /proc/sysvipc/shm reports pages_per_huge_page × nrpages pages,
 * where nrpages already counts base pages: one touched 2 MiB page shows as 1 GiB. The
 * kernel's mode bits do not say which segments are hugetlb, so it is inferred:
 *   - a reported rss larger than the segment can hold is impossible for shmem: hugetlb,
 *     divided back by hugepage/page;
 *   - a reported rss that is a whole number of "inflated huge pages" (hugepage²/page),
 *     while huge pages are in use on the machine, may be either: flagged suspect.
 * An attacher's mapping (who-uses-what) settles the question when there is one.
 */
#ifndef IPCTOP_HUGETLB_H
#define IPCTOP_HUGETLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hugetlb_verdict {
    uint32_t flags;    /* SHM_SEG_* from snapshot.h */
    uint64_t rss;      /* corrected rss (bytes) */
    uint64_t hugepage; /* the huge page size assumed, 0 if none */
};

/*
 * reported: rss as the kernel printed it; size: segment size; page: base page size;
 * hp: huge page sizes of this machine, the default first; hp_in_use: whether any huge
 * page is allocated on the machine now. known_hugepage: the segment's huge page size when
 * an attacher's mapping proved it is hugetlb, else 0.
 */
struct hugetlb_verdict hugetlb_check_rss(uint64_t reported, uint64_t size, uint64_t page,
                                         const uint64_t *hp, size_t nhp, bool hp_in_use,
                                         uint64_t known_hugepage);

#endif
