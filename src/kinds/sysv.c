#include "sysv.h"

#include <sys/shm.h>

void sysv_fill_common(struct ipc_common *c, int id, const struct ipc_perm *p, int64_t ctime)
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

/* A field counts as compared only when known in both. */
#define BOTH(a, b, f) (((a)->valid & (b)->valid) & FBIT(f))

bool sysv_same_common(const struct ipc_common *a, const struct ipc_common *b, bool key_may_clear)
{
    if (a->id != b->id) return false;
    if (BOTH(a, b, F_CTIME) && b->ctime < a->ctime) return false;
    if (BOTH(a, b, F_KEY) && a->key != b->key) {
        /* IPC_RMID on an attached segment sets its key to IPC_PRIVATE and SHM_DEST */
        bool destroyed = key_may_clear && b->key == 0 && BOTH(a, b, F_MODE) && (b->mode & SHM_DEST);
        if (!destroyed) return false;
    }
    return true;
}
