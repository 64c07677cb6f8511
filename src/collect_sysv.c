/*
 * The syscall sources: *_INFO gives the highest index in use, then *_STAT_ANY (or, on
 * kernels before 4.17, *_STAT) is asked for every index up to it.
 */
#include "collect_source.h"
#include "semun.h"

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

int collect_class_info(enum ipc_class cls, int *in_use, size_t *nelems)
{
    int r = -1;
    *in_use = 0;
    *nelems = 0;
    switch (cls) {
    case IPC_SHM: {
        struct shm_info si;
        r = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si);
        if (r >= 0) *in_use = si.used_ids;
        break;
    }
    case IPC_SEM: {
        struct seminfo si;
        union semun u = {.info = &si};
        r = semctl(0, 0, SEM_INFO, u);
        if (r >= 0) *in_use = si.semusz, *nelems = (size_t)si.semaem;
        break;
    }
    case IPC_MSG: {
        struct msginfo mi;
        r = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
        if (r >= 0) *in_use = mi.msgpool;
        break;
    }
    default: break;
    }
    return r;
}

union stat_buf {
    struct shmid_ds shm;
    struct semid_ds sem;
    struct msqid_ds msg;
};

static int stat_cmd(enum ipc_class cls, bool any)
{
    switch (cls) {
    case IPC_SHM: return any ? SHM_STAT_ANY : SHM_STAT;
    case IPC_SEM: return any ? SEM_STAT_ANY : SEM_STAT;
    default: return any ? MSG_STAT_ANY : MSG_STAT;
    }
}

/* *_STAT(_ANY) of one index (or IPC_STAT of an id, cmd given): the id, or -1 with errno. */
static int stat_cmd_of(enum ipc_class cls, int index, int cmd, union stat_buf *b)
{
    /* valgrind does not know that *_STAT_ANY fills the buffer */
    memset(b, 0, sizeof *b);
    switch (cls) {
    case IPC_SHM: return shmctl(index, cmd, &b->shm);
    case IPC_SEM: {
        union semun u = {.buf = &b->sem};
        return semctl(index, 0, cmd, u);
    }
    default: return msgctl(index, cmd, &b->msg);
    }
}

static int stat_index(enum ipc_class cls, int index, bool any, union stat_buf *b)
{
    return stat_cmd_of(cls, index, stat_cmd(cls, any), b);
}

static void fill_common(struct ipc_common *c, int id, const struct ipc_perm *p, int64_t ctime)
{
    c->id = id;
    c->key = (uint32_t)p->__key;
    c->uid = p->uid;
    c->gid = p->gid;
    c->cuid = p->cuid;
    c->cgid = p->cgid;
    c->mode = p->mode;
    c->ctime = ctime;
    c->valid = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_CUID) | FBIT(F_CGID) |
               FBIT(F_MODE) | FBIT(F_CTIME);
}

static bool add_record(struct snapshot *s, enum ipc_class cls, int id, const union stat_buf *b)
{
    switch (cls) {
    case IPC_SHM: {
        struct shm_segment *r = snapshot_add_shm(s);
        if (!r) return false;
        fill_common(&r->c, id, &b->shm.shm_perm, b->shm.shm_ctime);
        r->size = b->shm.shm_segsz;
        r->nattch = b->shm.shm_nattch;
        r->cpid = b->shm.shm_cpid;
        r->lpid = b->shm.shm_lpid;
        r->atime = b->shm.shm_atime;
        r->dtime = b->shm.shm_dtime;
        r->c.valid |= FBIT(F_SIZE) | FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_ATIME) |
                      FBIT(F_DTIME);
        return true;
    }
    case IPC_SEM: {
        struct sem_set *r = snapshot_add_sem(s, (uint32_t)b->sem.sem_nsems);
        if (!r) return false;
        fill_common(&r->c, id, &b->sem.sem_perm, b->sem.sem_ctime);
        r->otime = b->sem.sem_otime;
        r->c.valid |= FBIT(F_NSEMS) | FBIT(F_OTIME);
        return true;
    }
    default: {
        struct msg_queue *r = snapshot_add_msg(s);
        if (!r) return false;
        fill_common(&r->c, id, &b->msg.msg_perm, b->msg.msg_ctime);
        r->msgs = b->msg.msg_qnum;
        r->usedbytes = b->msg.__msg_cbytes;
        r->qbytes = b->msg.msg_qbytes;
        r->lspid = b->msg.msg_lspid;
        r->lrpid = b->msg.msg_lrpid;
        r->stime = b->msg.msg_stime;
        r->rtime = b->msg.msg_rtime;
        r->c.valid |= FBIT(F_MSGS) | FBIT(F_USEDBYTES) | FBIT(F_QBYTES) | FBIT(F_LSPID) |
                      FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME);
        return true;
    }
    }
}

/*
 * A kernel without *_STAT_ANY answers EINVAL for every index, just as it does for an
 * index not in use. Ask the highest index in use both ways: if *_STAT knows it and
 * *_STAT_ANY does not, *_STAT_ANY is refused.
 */
static bool stat_any_refused(enum ipc_class cls, int maxidx)
{
    union stat_buf b;
    if (stat_index(cls, maxidx, true, &b) >= 0) return false;
    if (errno != EINVAL) return true; /* EPERM, ENOSYS: filtered or unknown */
    int r = stat_index(cls, maxidx, false, &b);
    return r >= 0 || errno == EACCES;
}

static enum source_status sysv_read(struct collect_ctx *ctx, enum ipc_class cls, struct snapshot *s,
                                    bool any)
{
    if (any && ctx->stat_any_refused[cls]) return SRC_UNAVAILABLE;
    int in_use = 0;
    size_t nelems = 0;
    int maxidx = collect_class_info(cls, &in_use, &nelems);
    if (maxidx < 0) return SRC_UNAVAILABLE;
    if (any && in_use > 0 && stat_any_refused(cls, maxidx)) {
        ctx->stat_any_refused[cls] = true;
        return SRC_UNAVAILABLE;
    }
    size_t start = snapshot_count(s, cls);
    size_t refused = 0;
    /* a little slack for objects created while we read */
    snapshot_reserve(s, cls, (size_t)in_use + 64, nelems + 256);
    for (int i = 0; i <= maxidx; i++) {
        union stat_buf b;
        int id = stat_index(cls, i, any, &b);
        if (id >= 0) {
            if (!add_record(s, cls, id, &b)) {
                collect_truncate(s, cls, start);
                return SRC_NOMEM;
            }
            continue;
        }
        switch (errno) {
        case EINVAL: /* index not in use, or its object went away since *_INFO */
        case EIDRM: break;
        case EACCES: refused++; break;
        default: /* the calls stopped working: let the next source read everything */
            collect_truncate(s, cls, start);
            return SRC_UNAVAILABLE;
        }
    }
    s->hidden[cls] = refused;
    return SRC_OK;
}

static enum source_status read_stat_any(struct collect_ctx *ctx, enum ipc_class cls,
                                        struct snapshot *s)
{
    return sysv_read(ctx, cls, s, true);
}

static enum source_status read_stat(struct collect_ctx *ctx, enum ipc_class cls, struct snapshot *s)
{
    return sysv_read(ctx, cls, s, false);
}

int collect_one(enum ipc_class cls, int index_or_id, bool by_id, struct snapshot *s)
{
    union stat_buf b;
    int r = by_id ? stat_cmd_of(cls, index_or_id, IPC_STAT, &b)
                  : stat_index(cls, index_or_id, true, &b);
    if (r < 0) return -1;
    int id = by_id ? index_or_id : r;
    if (!add_record(s, cls, id, &b)) {
        errno = ENOMEM;
        return -1;
    }
    return id;
}

int collect_reread(enum ipc_class cls, int32_t id, struct snapshot *s)
{
    /* the index of an id is its low bits (15, or 24 with the kernel's ipcmni_extend):
     * *_STAT_ANY of that index returns the full id, so an object made again in the same
     * slot shows as a different id */
    static const int masks[] = {0x7fff, 0xffffff};
    bool found = false;
    for (size_t k = 0; k < sizeof masks / sizeof masks[0] && !found; k++) {
        snapshot_clear(s);
        found = collect_one(cls, id & masks[k], false, s) == id;
    }
    if (!found) {
        /* not there by index (or no *_STAT_ANY): ask by id, which also tells "gone" */
        snapshot_clear(s);
        if (collect_one(cls, id, true, s) != id) return errno == EINVAL || errno == EIDRM ? 1 : -1;
    }
    if (cls == IPC_SEM && !collect_sem_one(s, &SNAP_SEM(s)[0]))
        return errno == EINVAL || errno == EIDRM ? 1 : -1;
    return 0;
}

const struct collect_source collect_source_stat_any = {PATH_STAT_ANY, read_stat_any};
const struct collect_source collect_source_stat = {PATH_STAT, read_stat};
