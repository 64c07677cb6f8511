/*
 * sysv — what the three System V kinds share: the common fields of struct ipc_perm, how
 * the calls and /proc/sysvipc read a kind (struct sysv_kind, one per descriptor), and the
 * identity rules every System V object follows. Used by the kind descriptors and by the
 * System V collector sources (collect_sysv.c, collect_procfs.c).
 */
#ifndef IPCTOP_KINDS_SYSV_H
#define IPCTOP_KINDS_SYSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kind.h"

/* What *_STAT / IPC_STAT fill, for any of the three. */
union sysv_stat {
    struct shmid_ds shm;
    struct semid_ds sem;
    struct msqid_ds msg;
};

/* How a column of /proc/sysvipc/<kind> is read. */
enum procfs_how { PH_KEY, PH_OCT, PH_DEC };

struct procfs_col {
    const char *name; /* in the header line */
    enum ipc_field field;
    enum procfs_how how;
    uint64_t max; /* largest value that fits the field */
};

struct sysv_kind {
    /* *_INFO: returns the highest index in use (or -1), gives the number of objects (and of
     * elements, for sem) */
    int (*info)(int *in_use, size_t *nelems);
    int stat_cmd, stat_any_cmd; /* *_STAT, *_STAT_ANY */
    /* *ctl(index or id, cmd, b): *_STAT, *_STAT_ANY, IPC_STAT into b, or IPC_RMID; the id
     * (0 for IPC_RMID), or -1 with errno */
    int (*ctl)(int index, int cmd, union sysv_stat *b);
    /* appends the record b describes; NULL when out of memory */
    void *(*add)(struct snapshot *s, int id, const union sysv_stat *b);
    const char *procfs;               /* "sysvipc/shm" */
    const struct procfs_col *columns; /* of its /proc/sysvipc file */
    size_t ncolumns;
    /* appends an empty record for a procfs line (fields set one by one after); the element
     * count, when the kind has elements, is given (0 unknown) */
    void *(*add_empty)(struct snapshot *s, uint32_t nelems);
    enum ipc_field element_count; /* the field that counts elements (F_NFIELDS: none) */
    /* re-reading one record for an action: what its record alone lacks (a set's elements) */
    bool (*reread_more)(struct snapshot *s, size_t i);
    /* the highest index in use, when info() costs more than that (SHM_INFO walks every
     * segment to sum its memory; IPC_INFO does not): for reading every refresh; NULL: info */
    int (*max_index)(void);
};

/* The kinds' collect.reread: the object by its id, with every field (collect_sysv.c). */
int sysv_reread(const struct obj_key *k, struct snapshot *s);
/* The kinds' remove: IPC_RMID (0, or -1 with errno). */
int sysv_remove(const struct obj_key *k);

/* The fields of struct ipc_common, as every System V kind's table begins. */
#define SYSV_COMMON_FIELDS(type)                                                                   \
    KIND_FIELD(type, c.key, F_KEY, FS_U32, 0), KIND_FIELD(type, c.id, F_ID, FS_I32, FF_SET_ONCE),  \
        KIND_FIELD(type, c.uid, F_UID, FS_U32, 0), KIND_FIELD(type, c.gid, F_GID, FS_U32, 0),      \
        KIND_FIELD(type, c.cuid, F_CUID, FS_U32, FF_SET_ONCE),                                     \
        KIND_FIELD(type, c.cgid, F_CGID, FS_U32, FF_SET_ONCE),                                     \
        KIND_FIELD(type, c.mode, F_MODE, FS_U32, 0), KIND_FIELD(type, c.ctime, F_CTIME, FS_I64, 0)

/* The common part of a record from struct ipc_perm. */
void sysv_fill_common(struct ipc_common *c, int id, const struct ipc_perm *p, int64_t ctime);

/*
 * The identity rules of every System V object, beyond the field flags: the key does not
 * change (except a segment's turning 0 when it is removed while attached: key_may_clear
 * and SHM_DEST in b's mode) and ctime does not go back.
 */
bool sysv_same_common(const struct ipc_common *a, const struct ipc_common *b, bool key_may_clear);

#endif
