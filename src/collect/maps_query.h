/*
 * PROCMAP_QUERY (Linux 6.11): the kernel hands over one mapping per ioctl on an open
 * /proc/PID/maps, filtered to what is asked (shared, file-backed), with its device and inode
 * and no text — about a quarter of the cost of the maps text. Its ABI, from the kernel's
 * uapi/linux/fs.h (Debian 12's headers predate it): a 104-byte struct, the ioctl 'f' 17.
 * Used by the attacher scan (attach.c) and measured bare by bench/bench_who.c.
 */
#ifndef IPCTOP_MAPS_QUERY_H
#define IPCTOP_MAPS_QUERY_H

#include <stdint.h>
#include <sys/ioctl.h>

struct maps_query {
    uint64_t size, query_flags, query_addr;
    uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define MAPS_QUERY_IOCTL    _IOWR('f', 17, struct maps_query)
#define MQ_WRITABLE         0x02 /* vma_flags */
#define MQ_SHARED           0x08 /* query_flags: only shared mappings */
#define MQ_COVERING_OR_NEXT 0x10 /* query_flags: the one at query_addr or the next */
#define MQ_FILE_BACKED      0x20 /* query_flags: only file-backed mappings */

#endif
