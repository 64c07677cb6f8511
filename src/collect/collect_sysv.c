/*
 * The syscall sources: *_INFO gives the highest index in use, then *_STAT_ANY (or, on
 * kernels before 4.17, *_STAT) is asked for every index up to it.
 */
#include "collect_source.h"
#include "kind.h"
#include "sysv.h"

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

int collect_class_info(enum ipc_class cls, int *in_use, size_t *nelems)
{
    return kind_of(cls)->sysv->info(in_use, nelems);
}

/* *_STAT(_ANY) of one index (or IPC_STAT of an id, cmd given): the id, or -1 with errno. */
static int stat_cmd_of(enum ipc_class cls, int index, int cmd, union sysv_stat *b)
{
    /* valgrind does not know that *_STAT_ANY fills the buffer */
    memset(b, 0, sizeof *b);
    return kind_of(cls)->sysv->ctl(index, cmd, b);
}

static int stat_index(enum ipc_class cls, int index, bool any, union sysv_stat *b)
{
    const struct sysv_kind *k = kind_of(cls)->sysv;
    return stat_cmd_of(cls, index, any ? k->stat_any_cmd : k->stat_cmd, b);
}

static bool add_record(struct snapshot *s, enum ipc_class cls, int id, const union sysv_stat *b)
{
    return kind_of(cls)->sysv->add(s, id, b) != NULL;
}

/*
 * A kernel without *_STAT_ANY answers EINVAL for every index, just as it does for an
 * index not in use. Ask the highest index in use both ways: if *_STAT knows it and
 * *_STAT_ANY does not, *_STAT_ANY is refused.
 */
static bool stat_any_refused(enum ipc_class cls, int maxidx)
{
    union sysv_stat b;
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
    const struct sysv_kind *k = kind_of(cls)->sysv;
    /* a snapshot reused from an earlier refresh has room already: then only the highest
     * index is asked, the cheap way when the kind has one */
    bool reused = s->tab[cls].cap > 0;
    int maxidx =
        reused && k->max_index ? k->max_index() : collect_class_info(cls, &in_use, &nelems);
    if (maxidx < 0) return SRC_UNAVAILABLE;
    if (reused && k->max_index) in_use = 1; /* not counted: probe as if there were some */
    if (any && in_use > 0 && stat_any_refused(cls, maxidx)) {
        ctx->stat_any_refused[cls] = true;
        return SRC_UNAVAILABLE;
    }
    size_t start = snapshot_count(s, cls);
    size_t refused = 0;
    /* a little slack for objects created while we read */
    snapshot_reserve(s, cls, (size_t)in_use + 64, elements_room(cls, nelems));
    /* valgrind does not know that *_STAT_ANY fills the buffer: made defined once, then the
     * kernel writes all of it at every call that succeeds */
    union sysv_stat b;
    memset(&b, 0, sizeof b);
    const int cmd = any ? k->stat_any_cmd : k->stat_cmd;
    /* whether the ids came in increasing order (indices mostly do): then nothing to sort */
    bool in_order = start == 0;
    int last = -1;
    for (int i = 0; i <= maxidx; i++) {
        int id = k->ctl(i, cmd, &b);
        if (id >= 0) {
            if (!add_record(s, cls, id, &b)) {
                collect_truncate(s, cls, start);
                return SRC_NOMEM;
            }
            in_order &= id > last;
            last = id;
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
    if (in_order) snapshot_mark_in_order(s, cls);
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
    union sysv_stat b;
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

int sysv_reread(const struct obj_key *key, struct snapshot *s)
{
    enum ipc_class cls = (enum ipc_class)key->kind;
    int32_t id = key->id;
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
    const struct sysv_kind *k = kind_of(cls)->sysv;
    if (k->reread_more && !k->reread_more(s, 0)) return errno == EINVAL || errno == EIDRM ? 1 : -1;
    return 0;
}

int sysv_remove(const struct obj_key *key)
{
    union sysv_stat none;
    return kind_of((enum ipc_class)key->kind)->sysv->ctl(key->id, IPC_RMID, &none);
}

const struct collect_source collect_source_stat_any = {PATH_STAT_ANY, read_stat_any};
const struct collect_source collect_source_stat = {PATH_STAT, read_stat};
