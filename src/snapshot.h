/*
 * snapshot — every System V IPC object of one moment, as plain data.
 *
 * Owns: the object records (shm_segment, sem_set + sem_element, msg_queue), the kernel
 * limits read at the same moment, and the timestamps. A snapshot is filled by collect
 * and read by everything after it (model, views); nothing here does I/O.
 *
 * Unknown is not zero: every record carries a `valid` bit set (one bit per field, see
 * enum ipc_field). A field whose bit is clear must be shown as unknown ("?", JSON null).
 *
 * Records of each class are kept sorted by id (snapshot_sort) so that lookups and the
 * diff are merges and binary searches.
 */
#ifndef IPCTOP_SNAPSHOT_H
#define IPCTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "owners.h"
#include "procs.h"
#include "tasks.h"

#include "kind_list.h" /* enum ipc_class: the kinds */

/* "shm", "sem", "msg" */
const char *ipc_class_name(enum ipc_class cls);

/*
 * One bit per field, shared by all classes, used both for validity and for "which fields
 * changed" in a diff. Common fields first.
 */
enum ipc_field {
    F_KEY,
    F_ID,
    F_UID,
    F_GID,
    F_CUID,
    F_CGID,
    F_MODE,
    F_CTIME,
    /* shm */
    F_SIZE,
    F_NATTCH,
    F_CPID,
    F_LPID,
    F_ATIME,
    F_DTIME,
    F_RSS,
    F_SWAP,
    /* sem */
    F_NSEMS,
    F_OTIME,
    F_SEMVAL,   /* every element's value */
    F_SEMPID,   /* every element's last pid */
    F_SEMCOUNT, /* every element's ncount and zcount */
    /* msg */
    F_MSGS,
    F_USEDBYTES,
    F_QBYTES,
    F_LSPID,
    F_LRPID,
    F_STIME,
    F_RTIME,
    F_NFIELDS
};

#define FBIT(f) (UINT64_C(1) << (f))

/* Lower-case field name as used in JSON and in the batch CHANGED column. */
const char *ipc_field_name(enum ipc_field f);

/* Fields every class has (from struct ipc_perm plus ctime). */
struct ipc_common {
    uint64_t valid; /* FBIT(F_*) of the fields that are known */
    int32_t id;
    uint32_t key;
    uint32_t uid, gid, cuid, cgid;
    uint32_t mode; /* permission bits; for shm also SHM_DEST (01000) and SHM_LOCKED (02000) */
    int64_t ctime; /* seconds; 0 = never */
};

/* Flags on a segment that are not in the kernel's mode bits. */
enum shm_flag {
    SHM_SEG_HUGETLB = 1u << 0,       /* backed by huge pages (detected, see collect) */
    SHM_SEG_RSS_CORRECTED = 1u << 1, /* rss was divided to undo the kernel's hugetlb error */
    SHM_SEG_RSS_SUSPECT = 1u << 2,   /* rss may be inflated: hugetlb could not be ruled out */
};

struct shm_segment {
    struct ipc_common c;
    uint64_t size;
    uint64_t nattch;
    uint64_t rss;  /* bytes resident, as corrected */
    uint64_t swap; /* bytes swapped */
    int32_t cpid, lpid;
    int64_t atime, dtime;
    uint32_t flags; /* enum shm_flag */
};

struct sem_element {
    int32_t value; /* 0..32767 */
    int32_t ncount;
    int32_t zcount;
    int32_t pid;
};

struct sem_set {
    struct ipc_common c;
    uint32_t nsems;
    int64_t otime;
    size_t elem_off; /* this set's elements are snapshot.elems[elem_off .. elem_off+nsems) */
};

struct msg_queue {
    struct ipc_common c;
    uint64_t msgs;
    uint64_t usedbytes;
    uint64_t qbytes;
    int32_t lspid, lrpid;
    int64_t stime, rtime;
};

/* Kernel limits of the IPC namespace (from /proc/sys/kernel); 0 in valid = unknown. */
struct ipc_limits {
    bool valid;
    uint64_t shmmax, shmall, shmmni, shmmin, shmseg;
    uint64_t semmsl, semmns, semopm, semmni, semvmx;
    uint64_t msgmax, msgmnb, msgmni;
    uint64_t page_size;
};

/* Where a class's records came from (collect sets it; views may say it). */
enum collect_path {
    PATH_NONE,
    PATH_STAT_ANY, /* *_INFO + *_STAT_ANY */
    PATH_STAT,     /* *_INFO + *_STAT, older kernels */
    PATH_PROCFS,   /* /proc/sysvipc/<class> */
};
const char *collect_path_name(enum collect_path p);

/*
 * An object's identity, the same in every stage and view (list rows, tags, the tracker,
 * the removal dialog, actions): the namespace it lives in, its kind, and its name there.
 * A System V object is (IPC namespace, kind, id); a kind whose objects are files (POSIX
 * shared memory, semaphores, queues) names them by (mount namespace, device, inode) and
 * sets its descriptor's `key`. Fields a kind does not use are 0 (id: -1).
 */
struct obj_key {
    uint64_t ns;       /* namespace inode: IPC (System V) or mount (files); 0 unknown */
    uint64_t dev, ino; /* files */
    int32_t id;        /* System V id */
    uint16_t kind;     /* enum ipc_class */
};

/* A total order: kind, namespace, id, device, inode. */
int obj_key_cmp(const struct obj_key *a, const struct obj_key *b);
static inline bool obj_key_eq(const struct obj_key *a, const struct obj_key *b)
{
    return obj_key_cmp(a, b) == 0;
}

/* The records of one kind, sorted by id. Each record begins with struct ipc_common. */
struct kind_table {
    void *rec;
    size_t n, cap;
    size_t size;   /* bytes of one record */
    bool in_order; /* known to be sorted by id (snapshot_sort_class, snapshot_mark_in_order);
                    * every record added clears it */
};

struct snapshot {
    double wall;      /* seconds since the epoch, CLOCK_REALTIME, when collection began */
    double monotonic; /* CLOCK_MONOTONIC seconds, for rates */
    uint64_t ipc_ns;  /* the IPC namespace the records are in (inode); 0 unknown */

    struct kind_table tab[IPC_NCLASSES];
    /* the pool of semaphore elements (sets point into it) */
    struct sem_element *elems;
    size_t nelems, capelems;

    struct ipc_limits limits;
    enum collect_path path[IPC_NCLASSES];
    /* objects the kernel counts but that could not be read at all (no id known) */
    size_t hidden[IPC_NCLASSES];
    /* sets whose element values/pids/counts were refused (EACCES) */
    size_t sem_unreadable;
    /* per kind, the fields the collector was told no view wanted and did not read (rss and
     * swap of segments read without /proc/sysvipc/shm): unknown in every record, and not
     * a change when the next snapshot has them (collect.h: collector_want) */
    uint64_t unasked[IPC_NCLASSES];
    /* the semaphore element pass (collect_sem.c): when it began, on the realtime and the
     * monotonic clock (0: it did not run), and how many sets' values and pids it carried
     * over from the previous snapshot without asking, because nothing could have moved them */
    double elems_wall, elems_mono;
    size_t sem_carried;

    /* who uses what at this moment (see who.h for the joins) */
    struct task_scan tasks;    /* tasks blocked in IPC calls */
    struct proc_table procs;   /* every process */
    struct attach_scan attach; /* SysV mappings of the processes of this namespace */
    struct owner_scan owners;  /* every live process of the namespace and its user, when an
                                  object could be a leak (the owner evidence of leak.h) */
};

void snapshot_init(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Empties the arrays but keeps their memory, for the next refresh. */
void snapshot_clear(struct snapshot *s);

/* Makes room for n more records of a class (and nelems elements, for a kind that has
 * elements: no other kind touches their pool, which the collector's worker thread may be
 * filling); false when out of memory. Appending works without it; it only saves the
 * copies of growing. */
bool snapshot_reserve(struct snapshot *s, enum ipc_class cls, size_t n, size_t nelems);

/* Appending returns a zeroed record or NULL when out of memory. */
void *snapshot_add(struct snapshot *s, enum ipc_class cls);
struct shm_segment *snapshot_add_shm(struct snapshot *s);
struct sem_set *snapshot_add_sem(struct snapshot *s, uint32_t nsems);
struct msg_queue *snapshot_add_msg(struct snapshot *s);

/* The records of a kind, typed, for the code of that kind. */
#define SNAP_SHM(s) ((struct shm_segment *)(s)->tab[IPC_SHM].rec)
#define SNAP_SEM(s) ((struct sem_set *)(s)->tab[IPC_SEM].rec)
#define SNAP_MSG(s) ((struct msg_queue *)(s)->tab[IPC_MSG].rec)

static inline struct sem_element *sem_elements(const struct snapshot *s, const struct sem_set *set)
{
    return s->elems + set->elem_off;
}

/* Appends a copy of record i of class cls of src (with a set's elements) to dst; false when
 * out of memory. dst is left unsorted. */
bool snapshot_append_copy(struct snapshot *dst, const struct snapshot *src, enum ipc_class cls,
                          size_t i);

/* Sorts each class (or one) by id. Collect calls it once per class at the end. */
void snapshot_sort(struct snapshot *s);
void snapshot_sort_class(struct snapshot *s, enum ipc_class cls);

/* Says that the records of cls, as they are now, are sorted by id: a reader that saw each
 * id greater than the one before (kernel indices mostly come in id order) spares
 * snapshot_sort_class a pass over every record. */
void snapshot_mark_in_order(struct snapshot *s, enum ipc_class cls);

/* Binary search by id in a sorted snapshot; NULL when absent. */
const void *snapshot_find(const struct snapshot *s, enum ipc_class cls, int32_t id);
const struct shm_segment *snapshot_find_shm(const struct snapshot *s, int32_t id);
const struct sem_set *snapshot_find_sem(const struct snapshot *s, int32_t id);

/* Index of the record with id in a sorted snapshot's class, -1 when absent. */
long snapshot_index_of(const struct snapshot *s, enum ipc_class cls, int32_t id);

/* The identity of record i of a kind (the kind's own rule, else its System V id), and the
 * index of the record with a key in a sorted snapshot (-1 when absent: gone, or of
 * another namespace). */
struct obj_key snapshot_key(const struct snapshot *s, enum ipc_class cls, size_t i);
long snapshot_index_of_key(const struct snapshot *s, const struct obj_key *k);

/* Number of records of a class and the common part of record i. */
static inline size_t snapshot_count(const struct snapshot *s, enum ipc_class cls)
{
    return s->tab[cls].n;
}
static inline const struct ipc_common *snapshot_common(const struct snapshot *s, enum ipc_class cls,
                                                       size_t i)
{
    return (const struct ipc_common *)((const char *)s->tab[cls].rec + i * s->tab[cls].size);
}
/* Record i of a kind, untyped: for code that works on any kind. */
static inline void *snapshot_record(const struct snapshot *s, enum ipc_class cls, size_t i)
{
    return (char *)s->tab[cls].rec + i * s->tab[cls].size;
}

/* Sum of ncount+zcount of a set; -1 when unknown. */
int64_t sem_set_waiters(const struct snapshot *s, const struct sem_set *set);

#endif
