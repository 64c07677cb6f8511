/*
 * The System V semaphore set: its descriptor (kind.h). A set has elements (value, last
 * pid, waiter counts per semaphore) kept in the snapshot's element pool; it is in use
 * while someone waits on it; every semaphore records the last process that operated on it.
 */
#include "collect_source.h"
#include "json_fields.h"
#include "columns.h"
#include "detail.h"
#include "format.h"
#include "kind.h"
#include "leak.h"
#include "model.h"
#include "output.h"
#include "semun.h"
#include "sysv.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdio.h>

#define T struct sem_set
static const struct kind_field fields[] = {
    SYSV_COMMON_FIELDS(T),
    KIND_FIELD(T, nsems, F_NSEMS, FS_U32, FF_SET_ONCE),
    KIND_FIELD(T, otime, F_OTIME, FS_I64, FF_NEVER_BACK),
};
#undef T

/* ---- reading it ------------------------------------------------------------------------ */

static int info(int *in_use, size_t *nelems)
{
    struct seminfo si;
    union semun u = {.info = &si};
    int r = semctl(0, 0, SEM_INFO, u);
    *in_use = r >= 0 ? si.semusz : 0;
    *nelems = r >= 0 ? (size_t)si.semaem : 0;
    return r;
}

static int stat_one(int index, int cmd, union sysv_stat *b)
{
    union semun u = {.buf = &b->sem};
    return semctl(index, 0, cmd, u);
}

static void *add(struct snapshot *s, int id, const union sysv_stat *b)
{
    struct sem_set *r = snapshot_add_sem(s, (uint32_t)b->sem.sem_nsems);
    if (!r) return NULL;
    sysv_fill_common(&r->c, id, &b->sem.sem_perm, b->sem.sem_ctime);
    r->otime = b->sem.sem_otime;
    r->c.valid |= FBIT(F_NSEMS) | FBIT(F_OTIME);
    return r;
}

/* nsems sizes the element pool; an unknown count gives an empty set */
static void *add_empty(struct snapshot *s, uint32_t nelems)
{
    return snapshot_add_sem(s, nelems);
}

#define U32 UINT64_C(0xffffffff)
#define I32 UINT64_C(0x7fffffff)
#define U64 UINT64_MAX
static const struct procfs_col columns[] = {
    {"key", F_KEY, PH_KEY, 0},
    {"semid", F_ID, PH_DEC, I32},
    {"perms", F_MODE, PH_OCT, U32},
    {"nsems", F_NSEMS, PH_DEC, 65536},
    {"uid", F_UID, PH_DEC, U32},
    {"gid", F_GID, PH_DEC, U32},
    {"cuid", F_CUID, PH_DEC, U32},
    {"cgid", F_CGID, PH_DEC, U32},
    {"otime", F_OTIME, PH_DEC, U64 >> 1},
    {"ctime", F_CTIME, PH_DEC, U64 >> 1},
};

/* a set's elements, asked for all of them (an action's re-check) */
static bool sem_reread_more(struct snapshot *s, size_t i)
{
    return collect_sem_one(s, &SNAP_SEM(s)[i]);
}

/* the calls first: no parsing, 2-4x cheaper than /proc/sysvipc/sem */
static const struct collect_source *const sources[] = {
    &collect_source_stat_any, &collect_source_stat, &collect_source_procfs};

static const struct sysv_kind sysv = {
    .info = info,
    .stat_cmd = SEM_STAT,
    .stat_any_cmd = SEM_STAT_ANY,
    .ctl = stat_one,
    .add = add,
    .procfs = "sysvipc/sem",
    .columns = columns,
    .ncolumns = sizeof columns / sizeof columns[0],
    .add_empty = add_empty,
    .element_count = F_NSEMS,
    .reread_more = sem_reread_more,
};

/* ---- the model ------------------------------------------------------------------------- */

static bool same_object(const struct snapshot *sa, size_t a, const struct snapshot *sb, size_t b)
{
    return sysv_same_common(&SNAP_SEM(sa)[a].c, &SNAP_SEM(sb)[b].c, false) &&
           kind_fields_same(IPC_SEM, sa, a, sb, b);
}

#define BOTH(x, y, f) (((x)->c.valid & (y)->c.valid) & FBIT(f))

static uint64_t changed_elements(const struct snapshot *sa, size_t ia, const struct snapshot *sb,
                                 size_t ib, uint8_t *elem)
{
    const struct sem_set *a = &SNAP_SEM(sa)[ia], *b = &SNAP_SEM(sb)[ib];
    const struct sem_element *ea = sem_elements(sa, a), *eb = sem_elements(sb, b);
    const uint64_t elem_bits = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    uint64_t m = (a->c.valid ^ b->c.valid) & elem_bits;
    for (uint32_t i = 0; i < a->nsems && i < b->nsems; i++) {
        uint8_t e = 0;
        if (BOTH(a, b, F_SEMVAL) && ea[i].value != eb[i].value) e |= EC_VALUE;
        if (BOTH(a, b, F_SEMPID) && ea[i].pid != eb[i].pid) e |= EC_PID;
        if (BOTH(a, b, F_SEMCOUNT) &&
            (ea[i].ncount != eb[i].ncount || ea[i].zcount != eb[i].zcount))
            e |= EC_COUNTS;
        if (elem) elem[b->elem_off + i] = e;
        m |= (e & EC_VALUE ? FBIT(F_SEMVAL) : 0) | (e & EC_PID ? FBIT(F_SEMPID) : 0) |
             (e & EC_COUNTS ? FBIT(F_SEMCOUNT) : 0);
    }
    return m;
}
#undef BOTH

static const void *element_bytes(const struct snapshot *s, size_t i, size_t *len)
{
    const struct sem_set *set = &SNAP_SEM(s)[i];
    *len = set->nsems * sizeof(struct sem_element);
    return sem_elements(s, set);
}

static void waiter(const struct snapshot *s, size_t i, const struct blocked_task *b,
                   struct who_waiter *w)
{
    who_sem_target(s, b, &SNAP_SEM(s)[i], w);
}

/* Every task could be read, or the waiters found (not stopped ones: the kernel does not
 * count those) add up to the kernel's ncount + zcount. */
static bool complete(const struct who *w, const struct snapshot *s, size_t i)
{
    if (w->tasks_complete) return true;
    int64_t counted = sem_set_waiters(s, &SNAP_SEM(s)[i]);
    size_t n, running = 0;
    const struct who_waiter *wt = who_waiters(w, IPC_SEM, i, &n);
    for (size_t k = 0; k < n; k++) running += !wt[k].stopped;
    return counted >= 0 && (int64_t)running >= counted;
}

static void recorded_pids(const struct snapshot *s, size_t i, kind_pid_fn fn, void *ctx)
{
    const struct sem_set *set = &SNAP_SEM(s)[i];
    if (!(set->c.valid & FBIT(F_SEMPID))) return;
    int64_t when = set->otime > set->c.ctime ? set->otime : set->c.ctime;
    const struct sem_element *e = sem_elements(s, set);
    for (uint32_t k = 0; k < set->nsems; k++) fn(ctx, e[k].pid, when, LR_SEMAPHORE);
}

static struct leak_verdict judge(const struct leak_inputs *in, size_t i)
{
    const struct snapshot *s = in->s;
    const struct sem_set *set = &SNAP_SEM(s)[i];
    size_t nw = 0;
    if (in->who) who_waiters(in->who, IPC_SEM, i, &nw);
    int64_t counted = sem_set_waiters(s, set);
    if (nw || counted > 0) {
        struct leak_verdict v = leak_no(LB_WAITING);
        v.count = (uint32_t)(nw > (size_t)(counted > 0 ? counted : 0) ? nw : (size_t)counted);
        return v;
    }
    enum leak_doubt doubt = LD_NONE;
    bool never = true;
    struct leak_dead d = {.n = 0};
    int64_t last = set->otime > set->c.ctime ? set->otime : set->c.ctime;
    if (counted < 0 || !(set->c.valid & FBIT(F_SEMPID))) {
        doubt = LD_COUNTS_UNREADABLE;
        never = false;
    } else {
        const struct sem_element *e = sem_elements(s, set);
        for (uint32_t k = 0; k < set->nsems; k++) {
            if (e[k].pid != 0) never = false;
            if (leak_note_pid(&d, who_sem_pid_alive(s, set, k), e[k].pid, last, LR_SEMAPHORE)) {
                struct leak_verdict v = leak_alive(LR_SEMAPHORE, e[k].pid);
                v.semnum = k;
                return v;
            }
        }
    }
    if (doubt == LD_NONE && !d.unseen && in->who && !who_complete(in->who, s, IPC_SEM, i))
        doubt = LD_TASKS_PARTIAL;
    return leak_conclude(in, &set->c, last, never, doubt, &d);
}

static void describe_users(struct leak_words *t, const struct snapshot *s, size_t i,
                           const struct leak_verdict *v)
{
    (void)s;
    (void)i;
    leak_put(t, "nobody waiting, ");
    if (v->never_used)
        leak_put(t, "never operated on");
    else if (v->doubt == LD_COUNTS_UNREADABLE)
        leak_put(t, "last users unknown");
    else
        leak_put(t, "last users gone");
}

/* ---- actions --------------------------------------------------------------------------- */

static bool busy(const struct snapshot *now, size_t i, char *why, size_t len)
{
    int64_t w = sem_set_waiters(now, &SNAP_SEM(now)[i]);
    if (w <= 0) return false;
    snprintf(why, len, "%lld process(es) waiting", (long long)w);
    return true;
}

/* ---- views ----------------------------------------------------------------------------- */

static void json(struct jsonw *w, const struct model *m, size_t si, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct sem_set *set = &SNAP_SEM(s)[si];
    uint64_t v = set->c.valid;
    json_kv_u64(w, "nsems", v, F_NSEMS, set->nsems);
    json_kv_time(w, "otime", v, F_OTIME, set->otime);
    json_kv_time(w, "ctime", v, F_CTIME, set->c.ctime);
    jw_key(w, "elements");
    jw_arr_begin(w, false);
    const struct sem_element *e = sem_elements(s, set);
    for (uint32_t i = 0; i < set->nsems; i++) {
        jw_obj_begin(w);
        JW_KU64(w, "semnum", i);
        json_kv_i64(w, "value", v, F_SEMVAL, e[i].value);
        json_kv_i64(w, "ncount", v, F_SEMCOUNT, e[i].ncount);
        json_kv_i64(w, "zcount", v, F_SEMCOUNT, e[i].zcount);
        json_kv_i64(w, "pid", v, F_SEMPID, e[i].pid);
        json_kv_alive(w, "pid_alive", who_sem_pid_alive(s, set, i));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    json_waiters(w, s, &m->who, IPC_SEM, si, u);
}

static void usage(const struct snapshot *s, struct ipc_usage *u)
{
    u->sem_sets = snapshot_count(s, IPC_SEM);
    for (size_t i = 0; i < u->sem_sets; i++) u->semaphores += SNAP_SEM(s)[i].nsems;
}

/* ---- its columns (columns.h) ---------------------------------------------------------- */

static bool sem_nsems(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    *v = row_sem(r)->nsems;
    return row_sem(r)->c.valid & FBIT(F_NSEMS);
}

static bool sem_otime(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    *v = row_sem(r)->otime;
    return row_sem(r)->c.valid & FBIT(F_OTIME);
}

/* which: 0 = ncount + zcount, 1 = ncount, 2 = zcount */
static bool sem_count(const struct row *r, int which, int64_t *v)
{
    const struct sem_set *set = row_sem(r);
    if (!(set->c.valid & FBIT(F_SEMCOUNT))) return false;
    const struct sem_element *e = sem_elements(r->snap, set);
    *v = 0;
    for (uint32_t i = 0; i < set->nsems; i++)
        *v += (which != 2 ? e[i].ncount : 0) + (which != 1 ? e[i].zcount : 0);
    return true;
}

static bool sem_waiters(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 0, v);
}

static bool sem_ncount(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 1, v);
}

static bool sem_zcount(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    return sem_count(r, 2, v);
}

/* B(k): the k-th of this kind's own columns in batch frames (columns.h) */
#define B(k) (COL_BATCH_OWN + (k))
/* The values of a set, "1,0,0,3", cut with "..." past 48 characters. */
static void sem_values(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct sem_set *set = row_sem(r);
    if (!(set->c.valid & FBIT(F_SEMVAL)))
        snprintf(b, n, "?");
    else
        fmt_sem_values(b, n, sem_elements(r->snap, set), set->nsems, 48);
}

static const struct column sem_columns[] = {
    COL_KEY,
    COL_ID,
    COL_OWNER,
    COL_PERMS,
    COLUMN("NSEMS", "nsems", 5, 3, true, 1, true, B(0), FBIT(F_NSEMS), CK_NUM, sem_nsems, NULL),
    COLUMN("VALUES", "values", 16, 6, false, 9, false, B(1), FBIT(F_SEMVAL), CK_TEXT, NULL,
           sem_values),
    COLUMN("WAITERS", "waiters", 7, 3, true, 0, true, B(2), FBIT(F_SEMCOUNT), CK_NUM, sem_waiters,
           NULL),
    COLUMN("NCOUNT", "ncount", 6, 3, true, 2, true, B(3), FBIT(F_SEMCOUNT), CK_NUM, sem_ncount,
           NULL),
    COLUMN("ZCOUNT", "zcount", 6, 3, true, 2, true, B(4), FBIT(F_SEMCOUNT), CK_NUM, sem_zcount,
           NULL),
    COL_LEAK,
    COL_AGE,
    COLUMN("OTIME", "otime", 11, 8, false, 3, true, B(5), FBIT(F_OTIME), CK_TIME, sem_otime, NULL),
    COL_CTIME(5, true, B(6)),
    COL_UID,
    COL_STATE,
    COL_CHANGED,
    COL_WAITING(FBIT(F_SEMCOUNT)),
};
#undef B

/* ---- its detail pane (detail.h) --------------------------------------------------------- */

static void detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct sem_set *set = row_sem(r);
    uint64_t v = set->c.valid;
    detail_num(d, r, F_NSEMS, v, "semaphores", set->nsems);
    detail_when(d, cx, r, F_OTIME, v, "last semop", set->otime);
    detail_addf(d, DL_TEXT, "%s", "");
    detail_addf(d, DL_TABLE_HEAD, "%8s %8s %8s %8s %17s", "SEMNUM", "VALUE", "NCOUNT", "ZCOUNT",
                "PID");
    const struct sem_element *e = sem_elements(r->snap, set);
    /* which semaphores changed since the last refresh: the model says, per element */
    const uint8_t *ec = r->state == OBJ_CHANGED && row_is_current(cx, r) && cx->diff
                            ? cx->diff->cls[IPC_SEM].elem + set->elem_off
                            : NULL;
    for (uint32_t i = 0; i < set->nsems; i++) {
        char val[16] = "?", nc[16] = "?", zc[16] = "?", pid[16] = "?";
        if (v & FBIT(F_SEMVAL)) snprintf(val, sizeof val, "%d", e[i].value);
        if (v & FBIT(F_SEMCOUNT)) {
            snprintf(nc, sizeof nc, "%d", e[i].ncount);
            snprintf(zc, sizeof zc, "%d", e[i].zcount);
        }
        if (v & FBIT(F_SEMPID)) {
            enum liveness l = who_sem_pid_alive(r->snap, set, i);
            snprintf(pid, sizeof pid, "%d%s", e[i].pid,
                     l == LIVE_DEAD || l == LIVE_REUSED ? " (dead)" : "");
        }
        bool changed = ec && ec[i];
        detail_addf(d, changed ? DL_CHANGED : DL_TEXT, "%8u %8s %8s %8s %17s", i, val, nc, zc, pid);
    }
    if (!(v & FBIT(F_SEMVAL)))
        detail_addf(d, DL_NOTE, "%s", "values unknown: this user may not read the set");
    detail_waiters(d, IPC_SEM, cx, r);
}

static void summary(const struct snapshot *s, size_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%u semaphores", SNAP_SEM(s)[i].nsems);
}

const struct ipc_kind kind_sysv_sem = {
    .name = "sem",
    .noun = "Semaphore set",
    .title = "Semaphore sets",
    .tab = "Semaphores",
    .record_size = sizeof(struct sem_set),
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .element_fields = FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT),
    .sysv = &sysv,
    .collect = {.sources = sources,
                .nsources = sizeof sources / sizeof sources[0],
                .after_read = collect_sem_after_read,
                .finish = NULL,
                .reread = sysv_reread,
                .worker = true,
                .unreadable = "System V sem objects: neither the semctl calls nor "
                              "/proc/sysvipc/sem are available"},
    .same_object = same_object,
    .changed_elements = changed_elements,
    .element_bytes = element_bytes,
    .users = KU_WAITERS,
    .waits = 1u << WAIT_SEMOP,
    .waiter = waiter,
    .complete = complete,
    .recorded_pids = recorded_pids,
    .judge = judge,
    .describe_users = describe_users,
    .remove = sysv_remove,
    .busy = busy,
    .waiting_words = "waiting",
    .usage = usage,
    .json = json,
    .detail = detail,
    .summary = summary,
    .columns = sem_columns,
    .ncolumns = sizeof sem_columns / sizeof sem_columns[0],
};
