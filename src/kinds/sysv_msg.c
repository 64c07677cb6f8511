/*
 * The System V message queue: its descriptor (kind.h). A queue is in use while a task is
 * blocked sending to or receiving from it; it records its last sender and receiver; only
 * IPC_SET moves its ctime.
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
#include "sysv.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define T struct msg_queue
static const struct kind_field fields[] = {
    SYSV_COMMON_FIELDS(T),
    KIND_FIELD(T, msgs, F_MSGS, FS_U64, 0),
    KIND_FIELD(T, usedbytes, F_USEDBYTES, FS_U64, 0),
    KIND_FIELD(T, qbytes, F_QBYTES, FS_U64, 0),
    KIND_FIELD(T, lspid, F_LSPID, FS_I32, 0),
    KIND_FIELD(T, lrpid, F_LRPID, FS_I32, 0),
    KIND_FIELD(T, stime, F_STIME, FS_I64, FF_NEVER_BACK),
    KIND_FIELD(T, rtime, F_RTIME, FS_I64, FF_NEVER_BACK),
};
#undef T

/* ---- reading it ------------------------------------------------------------------------ */

static int info(int *in_use, size_t *nelems)
{
    struct msginfo mi;
    *nelems = 0;
    int r = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
    *in_use = r >= 0 ? mi.msgpool : 0;
    return r;
}

static int stat_one(int index, int cmd, union sysv_stat *b)
{
    return msgctl(index, cmd, &b->msg);
}

static void *add(struct snapshot *s, int id, const union sysv_stat *b)
{
    struct msg_queue *r = snapshot_add_msg(s);
    if (!r) return NULL;
    sysv_fill_common(&r->c, id, &b->msg.msg_perm, b->msg.msg_ctime);
    r->msgs = b->msg.msg_qnum;
    r->usedbytes = b->msg.__msg_cbytes;
    r->qbytes = b->msg.msg_qbytes;
    r->lspid = b->msg.msg_lspid;
    r->lrpid = b->msg.msg_lrpid;
    r->stime = b->msg.msg_stime;
    r->rtime = b->msg.msg_rtime;
    r->c.valid |= FBIT(F_MSGS) | FBIT(F_USEDBYTES) | FBIT(F_QBYTES) | FBIT(F_LSPID) |
                  FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME);
    return r;
}

static void *add_empty(struct snapshot *s, uint32_t nelems)
{
    (void)nelems;
    return snapshot_add_msg(s);
}

#define U32 UINT64_C(0xffffffff)
#define I32 UINT64_C(0x7fffffff)
#define U64 UINT64_MAX
static const struct procfs_col columns[] = {
    {"key", F_KEY, PH_KEY, 0},
    {"msqid", F_ID, PH_DEC, I32},
    {"perms", F_MODE, PH_OCT, U32},
    {"cbytes", F_USEDBYTES, PH_DEC, U64},
    {"qnum", F_MSGS, PH_DEC, U64},
    {"lspid", F_LSPID, PH_DEC, I32},
    {"lrpid", F_LRPID, PH_DEC, I32},
    {"uid", F_UID, PH_DEC, U32},
    {"gid", F_GID, PH_DEC, U32},
    {"cuid", F_CUID, PH_DEC, U32},
    {"cgid", F_CGID, PH_DEC, U32},
    {"stime", F_STIME, PH_DEC, U64 >> 1},
    {"rtime", F_RTIME, PH_DEC, U64 >> 1},
    {"ctime", F_CTIME, PH_DEC, U64 >> 1},
};

/* the calls first: no parsing (and /proc/sysvipc/msg lacks qbytes) */
static const struct collect_source *const sources[] = {
    &collect_source_stat_any, &collect_source_stat, &collect_source_procfs};

static const struct sysv_kind sysv = {
    .info = info,
    .stat_cmd = MSG_STAT,
    .stat_any_cmd = MSG_STAT_ANY,
    .ctl = stat_one,
    .add = add,
    .procfs = "sysvipc/msg",
    .columns = columns,
    .ncolumns = sizeof columns / sizeof columns[0],
    .add_empty = add_empty,
    .element_count = F_NFIELDS,
    .reread_more = NULL,
};

/* ---- the model ------------------------------------------------------------------------- */

static bool same_object(const struct snapshot *sa, size_t ia, const struct snapshot *sb, size_t ib)
{
    const struct msg_queue *x = &SNAP_MSG(sa)[ia], *y = &SNAP_MSG(sb)[ib];
    if (!sysv_same_common(&x->c, &y->c, false) || !kind_fields_same(IPC_MSG, sa, ia, sb, ib))
        return false;
    /* only IPC_SET moves a queue's ctime, and it sets owner, mode or qbytes: a ctime that
     * moved with all of them the same is a queue made again in the same slot */
    const uint64_t set = FBIT(F_CTIME) | FBIT(F_UID) | FBIT(F_GID) | FBIT(F_MODE) | FBIT(F_QBYTES);
    return !((x->c.valid & y->c.valid & set) == set && x->c.ctime != y->c.ctime &&
             x->c.uid == y->c.uid && x->c.gid == y->c.gid && x->c.mode == y->c.mode &&
             x->qbytes == y->qbytes);
}

/* msgsnd(id, msgp, msgsz, flg); msgrcv(id, msgp, msgsz, msgtyp, flg) */
static void waiter(const struct snapshot *s, size_t i, const struct blocked_task *b,
                   struct who_waiter *w)
{
    (void)s;
    (void)i;
    w->size = b->args[2];
    w->msgtyp = b->wait == WAIT_MSGRCV ? (int64_t)b->args[3] : b->mtype;
    if (b->wait == WAIT_MSGRCV) w->msgflg = (uint32_t)b->args[4];
}

/* The kernel keeps no count of a queue's blocked tasks: only a scan of every task knows. */
static bool complete(const struct who *w, const struct snapshot *s, size_t i)
{
    (void)s;
    (void)i;
    return w->tasks_complete;
}

static void recorded_pids(const struct snapshot *s, size_t i, kind_pid_fn fn, void *ctx)
{
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    fn(ctx, q->lspid, q->stime, LR_SENDER);
    fn(ctx, q->lrpid, q->rtime, LR_RECEIVER);
}

static struct leak_verdict judge(const struct leak_inputs *in, size_t i)
{
    const struct snapshot *s = in->s;
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    size_t nw = 0;
    if (in->who) who_waiters(in->who, IPC_MSG, i, &nw);
    if (nw) {
        struct leak_verdict v = leak_no(LB_WAITING);
        v.count = (uint32_t)nw;
        return v;
    }
    const uint64_t need = FBIT(F_LSPID) | FBIT(F_LRPID);
    if ((q->c.valid & need) != need) return leak_no(LB_UNKNOWN);
    struct leak_dead d = {.n = 0};
    if (leak_note_pid(&d, who_msg_lspid_alive(s, q), q->lspid, q->stime, LR_SENDER))
        return leak_alive(LR_SENDER, q->lspid);
    if (leak_note_pid(&d, who_msg_lrpid_alive(s, q), q->lrpid, q->rtime, LR_RECEIVER))
        return leak_alive(LR_RECEIVER, q->lrpid);
    enum leak_doubt doubt = LD_NONE;
    if (!d.unseen && (!in->who || !who_complete(in->who, s, IPC_MSG, i))) doubt = LD_TASKS_PARTIAL;
    int64_t last = q->stime > q->rtime ? q->stime : q->rtime;
    return leak_conclude(in, &q->c, last > q->c.ctime ? last : q->c.ctime,
                         q->lspid == 0 && q->lrpid == 0, doubt, &d);
}

static void describe_users(struct leak_words *t, const struct snapshot *s, size_t i,
                           const struct leak_verdict *v)
{
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    leak_put(t, "nobody blocked on it, ");
    if (v->never_used) {
        leak_put(t, "never sent to or received from");
        return;
    }
    if (q->lspid > 0) leak_put(t, "last sender %d", q->lspid);
    if (q->lspid > 0 && q->lrpid > 0) leak_put(t, " and ");
    if (q->lrpid > 0) leak_put(t, "last receiver %d", q->lrpid);
    leak_put(t, " gone");
}

/* ---- actions --------------------------------------------------------------------------- */

/* The kernel keeps no count of blocked tasks for a queue: only the task scan knows. */
static bool busy(const struct snapshot *now, size_t i, char *why, size_t len)
{
    (void)now;
    (void)i;
    (void)why;
    (void)len;
    return false;
}

/* ---- views ----------------------------------------------------------------------------- */

static void json(struct jsonw *w, const struct model *m, size_t i, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct msg_queue *q = &SNAP_MSG(s)[i];
    uint64_t v = q->c.valid;
    json_kv_u64(w, "msgs", v, F_MSGS, q->msgs);
    json_kv_u64(w, "usedbytes", v, F_USEDBYTES, q->usedbytes);
    json_kv_u64(w, "qbytes", v, F_QBYTES, q->qbytes);
    json_kv_i64(w, "lspid", v, F_LSPID, q->lspid);
    json_kv_i64(w, "lrpid", v, F_LRPID, q->lrpid);
    json_kv_time(w, "stime", v, F_STIME, q->stime);
    json_kv_time(w, "rtime", v, F_RTIME, q->rtime);
    json_kv_time(w, "ctime", v, F_CTIME, q->c.ctime);
    json_kv_alive(w, "lspid_alive", who_msg_lspid_alive(s, q));
    json_kv_alive(w, "lrpid_alive", who_msg_lrpid_alive(s, q));
    json_waiters(w, s, &m->who, IPC_MSG, i, u);
}

static void usage(const struct snapshot *s, struct ipc_usage *u)
{
    u->queues = snapshot_count(s, IPC_MSG);
    for (size_t i = 0; i < u->queues; i++) {
        u->messages += SNAP_MSG(s)[i].msgs;
        u->msg_bytes += SNAP_MSG(s)[i].usedbytes;
    }
}

/* ---- its columns (columns.h) ---------------------------------------------------------- */

#define MSG_VALUE(fname, field, expr)                                                              \
    static bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                   \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct msg_queue *q = row_msg(r);                                                    \
        *v = (int64_t)(expr);                                                                      \
        return q->c.valid & FBIT(field);                                                           \
    }
MSG_VALUE(msg_msgs, F_MSGS, q->msgs)
MSG_VALUE(msg_used, F_USEDBYTES, q->usedbytes)
MSG_VALUE(msg_qbytes, F_QBYTES, q->qbytes)
MSG_VALUE(msg_lspid, F_LSPID, q->lspid)
MSG_VALUE(msg_lrpid, F_LRPID, q->lrpid)
MSG_VALUE(msg_stime, F_STIME, q->stime)
MSG_VALUE(msg_rtime, F_RTIME, q->rtime)

/* fill in per mille, for sorting; the cell itself is drawn by msg_fill_text */
static bool msg_fill(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    const struct msg_queue *q = row_msg(r);
    const uint64_t need = FBIT(F_USEDBYTES) | FBIT(F_QBYTES);
    if ((q->c.valid & need) != need || q->qbytes == 0) return false;
    *v = (int64_t)(q->usedbytes * 1000 / q->qbytes);
    return true;
}

static void msg_fill_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct msg_queue *q = row_msg(r);
    int64_t v;
    if (!msg_fill(cx, r, &v))
        snprintf(b, n, "?");
    else
        /* text output: the bar's percentage alone */
        format_fill_bar(b, n, q->usedbytes, q->qbytes, cx->plain ? 0 : 12, cx->utf8);
}

static bool msg_mrate(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    return col_rate(cx, r, F_MSGS, v);
}

static bool msg_brate(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    return col_rate(cx, r, F_USEDBYTES, v);
}

static void msg_command(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct msg_queue *q = row_msg(r);
    if (!(q->c.valid & FBIT(F_LSPID)))
        snprintf(b, n, "?");
    else
        col_pid_command(r, q->lspid, who_msg_lspid_alive(r->snap, q), b, n);
}

static void msg_lspid_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct msg_queue *q = row_msg(r);
    col_pid_text(cx, q->c.valid & FBIT(F_LSPID), q->lspid, who_msg_lspid_alive(r->snap, q), b, n);
}

static void msg_lrpid_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct msg_queue *q = row_msg(r);
    col_pid_text(cx, q->c.valid & FBIT(F_LRPID), q->lrpid, who_msg_lrpid_alive(r->snap, q), b, n);
}

static bool msg_lspid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return col_pid_dead(who_msg_lspid_alive(r->snap, row_msg(r)));
}

static bool msg_lrpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return col_pid_dead(who_msg_lrpid_alive(r->snap, row_msg(r)));
}

/* B(k): the k-th of this kind's own columns in batch frames (columns.h) */
#define B(k) (COL_BATCH_OWN + (k))
static const struct column msg_columns[] = {
    COL_KEY,
    COL_ID,
    COL_OWNER,
    COL_PERMS,
    COLUMN("MSGS", "msgs", 6, 3, true, 0, true, B(0), FBIT(F_MSGS), CK_NUM, msg_msgs, NULL),
    COLUMN("USEDBYTES", "usedbytes", 9, 5, true, 1, true, B(1), FBIT(F_USEDBYTES), CK_SIZE,
           msg_used, NULL),
    COLUMN("QBYTES", "qbytes", 6, 5, true, 2, true, B(2), FBIT(F_QBYTES), CK_SIZE, msg_qbytes,
           NULL),
    COLUMN("FILL", "fill", 12, 4, false, 1, true, B(3), FBIT(F_USEDBYTES) | FBIT(F_QBYTES), CK_TEXT,
           msg_fill, msg_fill_text),
    COLUMN("MSG/S", "msgrate", 7, 5, true, 2, true, B(4), FBIT(F_MSGS), CK_RATE, msg_mrate, NULL),
    COLUMN("BYTES/S", "byterate", 8, 5, true, 3, true, B(5), FBIT(F_USEDBYTES), CK_BYTERATE,
           msg_brate, NULL),
    COLUMN("WAITERS", "waiters", 7, 3, true, 2, true, B(6), 0, CK_TEXT, col_users,
           col_user_count_text),
    COL_LEAK,
    COL_AGE,
    COLUMN_ALERT("LSPID", "lspid", 7, 5, true, 4, true, B(7), FBIT(F_LSPID), CK_TEXT, msg_lspid,
                 msg_lspid_text, msg_lspid_dead),
    COLUMN_ALERT("LRPID", "lrpid", 7, 5, true, 4, true, B(8), FBIT(F_LRPID), CK_TEXT, msg_lrpid,
                 msg_lrpid_text, msg_lrpid_dead),
    COLUMN("STIME", "stime", 11, 8, false, 5, true, B(10), FBIT(F_STIME), CK_TIME, msg_stime, NULL),
    COLUMN("RTIME", "rtime", 11, 8, false, 5, true, B(11), FBIT(F_RTIME), CK_TIME, msg_rtime, NULL),
    COLUMN_ALERT("COMMAND", "command", 16, 6, false, 3, true, B(9), FBIT(F_LSPID), CK_TEXT, NULL,
                 msg_command, msg_lspid_dead),
    COL_CTIME(7, false, 0),
    COL_UID,
    COL_STATE,
    COL_CHANGED,
    COL_WAITING(0),
};
#undef B

/* ---- its detail pane (detail.h) --------------------------------------------------------- */

static void detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct msg_queue *q = row_msg(r);
    uint64_t v = q->c.valid;
    char b[128], bar[64];
    detail_num(d, r, F_MSGS, v, "messages (depth)", (int64_t)q->msgs);
    detail_size(d, r, F_USEDBYTES, v, "bytes queued", q->usedbytes);
    detail_size(d, r, F_QBYTES, v, "limit (qbytes)", q->qbytes);
    if ((v & FBIT(F_USEDBYTES)) && (v & FBIT(F_QBYTES))) {
        format_fill_bar(bar, sizeof bar, q->usedbytes, q->qbytes, 24, cx->utf8);
        detail_addf(d, DL_TEXT, DETAIL_LABEL "%s", "fill", bar);
    }
    double mr, br;
    if (r->state != OBJ_GONE && cx->diff && model_rate(cx->diff, IPC_MSG, r->idx, F_MSGS, &mr) &&
        model_rate(cx->diff, IPC_MSG, r->idx, F_USEDBYTES, &br)) {
        char m[FMT_BUFSZ], y[FMT_BUFSZ];
        snprintf(b, sizeof b, "%s, %s (net: filling +, draining -)", fmt_rate(m, mr, false),
                 fmt_rate(y, br, true));
        detail_addf(d, DL_TEXT, DETAIL_LABEL "%s", "rate", b);
    } else {
        detail_addf(d, DL_TEXT, DETAIL_LABEL "%s", "rate", "- (needs two refreshes)");
    }
    detail_pid_field(d, r, F_LSPID, v, "last sender", q->lspid, who_msg_lspid_alive(r->snap, q));
    detail_pid_field(d, r, F_LRPID, v, "last receiver", q->lrpid, who_msg_lrpid_alive(r->snap, q));
    detail_when(d, cx, r, F_STIME, v, "last send", q->stime);
    detail_when(d, cx, r, F_RTIME, v, "last receive", q->rtime);
    detail_waiters(d, IPC_MSG, cx, r);
}

static void summary(const struct snapshot *s, size_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%" PRIu64 " messages", SNAP_MSG(s)[i].msgs);
}

const struct ipc_kind kind_sysv_msg = {
    .name = "msg",
    .noun = "Message queue",
    .title = "Message queues",
    .tab = "Queues",
    .record_size = sizeof(struct msg_queue),
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .element_fields = 0,
    .sysv = &sysv,
    .collect = {.sources = sources,
                .nsources = sizeof sources / sizeof sources[0],
                .after_read = NULL,
                .finish = NULL,
                .reread = sysv_reread,
                .worker = false,
                .unreadable = "System V msg objects: neither the msgctl calls nor "
                              "/proc/sysvipc/msg are available"},
    .same_object = same_object,
    .changed_elements = NULL,
    .users = KU_WAITERS,
    .waits = (1u << WAIT_MSGSND) | (1u << WAIT_MSGRCV),
    .waiter = waiter,
    .complete = complete,
    .recorded_pids = recorded_pids,
    .judge = judge,
    .describe_users = describe_users,
    .remove = sysv_remove,
    .content = KIND_MESSAGES,
    .busy = busy,
    .waiting_words = "blocked on it",
    .usage = usage,
    .json = json,
    .detail = detail,
    .summary = summary,
    .columns = msg_columns,
    .ncolumns = sizeof msg_columns / sizeof msg_columns[0],
};
