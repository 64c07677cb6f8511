/*
 * The System V shared memory segment: its descriptor (kind.h). A segment is in use while
 * anything maps it; its creator pid is set once; rss and swap move without anyone using
 * it; only /proc/sysvipc/shm has rss and swap, so that source comes first.
 */
#include "json_fields.h"
#include "columns.h"
#include "detail.h"
#include "kind.h"
#include "leak.h"
#include "model.h"
#include "sysv.h"
#include "collect_source.h"
#include "format.h"
#include "output.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define T struct shm_segment
static const struct kind_field fields[] = {
    SYSV_COMMON_FIELDS(T),
    KIND_FIELD(T, size, F_SIZE, FS_U64, FF_SET_ONCE),
    KIND_FIELD(T, nattch, F_NATTCH, FS_U64, 0),
    KIND_FIELD(T, cpid, F_CPID, FS_I32, FF_SET_ONCE),
    KIND_FIELD(T, lpid, F_LPID, FS_I32, 0),
    KIND_FIELD(T, atime, F_ATIME, FS_I64, FF_NEVER_BACK),
    KIND_FIELD(T, dtime, F_DTIME, FS_I64, FF_NEVER_BACK),
    KIND_FIELD(T, rss, F_RSS, FS_U64, FF_PASSIVE),
    KIND_FIELD(T, swap, F_SWAP, FS_U64, FF_PASSIVE),
};
#undef T

/* ---- reading it ------------------------------------------------------------------------ */

static int info(int *in_use, size_t *nelems)
{
    struct shm_info si;
    *nelems = 0;
    int r = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si);
    *in_use = r >= 0 ? si.used_ids : 0;
    return r;
}

static int stat_one(int index, int cmd, union sysv_stat *b)
{
    return shmctl(index, cmd, &b->shm);
}

static int max_index(void)
{
    struct shminfo si;
    return shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&si);
}

static void *add(struct snapshot *s, int id, const union sysv_stat *b)
{
    struct shm_segment *r = snapshot_add_shm(s);
    if (!r) return NULL;
    sysv_fill_common(&r->c, id, &b->shm.shm_perm, b->shm.shm_ctime);
    r->size = b->shm.shm_segsz;
    r->nattch = b->shm.shm_nattch;
    r->cpid = b->shm.shm_cpid;
    r->lpid = b->shm.shm_lpid;
    r->atime = b->shm.shm_atime;
    r->dtime = b->shm.shm_dtime;
    r->c.valid |=
        FBIT(F_SIZE) | FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_ATIME) | FBIT(F_DTIME);
    return r;
}

static void *add_empty(struct snapshot *s, uint32_t nelems)
{
    (void)nelems;
    return snapshot_add_shm(s);
}

#define U32 UINT64_C(0xffffffff)
#define I32 UINT64_C(0x7fffffff)
#define U64 UINT64_MAX
static const struct procfs_col columns[] = {
    {"key", F_KEY, PH_KEY, 0},
    {"shmid", F_ID, PH_DEC, I32},
    {"perms", F_MODE, PH_OCT, U32},
    {"size", F_SIZE, PH_DEC, U64},
    {"cpid", F_CPID, PH_DEC, I32},
    {"lpid", F_LPID, PH_DEC, I32},
    {"nattch", F_NATTCH, PH_DEC, U64},
    {"uid", F_UID, PH_DEC, U32},
    {"gid", F_GID, PH_DEC, U32},
    {"cuid", F_CUID, PH_DEC, U32},
    {"cgid", F_CGID, PH_DEC, U32},
    {"atime", F_ATIME, PH_DEC, U64 >> 1},
    {"dtime", F_DTIME, PH_DEC, U64 >> 1},
    {"ctime", F_CTIME, PH_DEC, U64 >> 1},
    {"rss", F_RSS, PH_DEC, U64},
    {"swap", F_SWAP, PH_DEC, U64},
};

/* /proc/sysvipc/shm first: the only place with rss and swap, and every other field too */
static const struct collect_source *const sources[] = {
    &collect_source_procfs, &collect_source_stat_any, &collect_source_stat};

static const struct sysv_kind sysv = {
    .info = info,
    .stat_cmd = SHM_STAT,
    .stat_any_cmd = SHM_STAT_ANY,
    .ctl = stat_one,
    .add = add,
    .procfs = "sysvipc/shm",
    .columns = columns,
    .ncolumns = sizeof columns / sizeof columns[0],
    .add_empty = add_empty,
    .element_count = F_NFIELDS,
    .reread_more = NULL,
    .max_index = max_index,
};

/* ---- the model ------------------------------------------------------------------------- */

static bool same_object(const struct snapshot *sa, size_t a, const struct snapshot *sb, size_t b)
{
    return sysv_same_common(&SNAP_SHM(sa)[a].c, &SNAP_SHM(sb)[b].c, true) &&
           kind_fields_same(IPC_SHM, sa, a, sb, b);
}

static bool complete(const struct who *w, const struct snapshot *s, size_t i)
{
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    return (g->c.valid & FBIT(F_NATTCH)) && who_attachers_complete(w, s, IPC_SHM, i, g->nattch);
}

static void recorded_pids(const struct snapshot *s, size_t i, kind_pid_fn fn, void *ctx)
{
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    fn(ctx, g->cpid, g->c.ctime, LR_CREATOR);
    fn(ctx, g->lpid, g->atime > g->dtime ? g->atime : g->dtime, LR_LAST_USER);
}

static struct leak_verdict judge(const struct leak_inputs *in, size_t i)
{
    const struct snapshot *s = in->s;
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    const uint64_t need = FBIT(F_NATTCH) | FBIT(F_CPID) | FBIT(F_LPID);
    if ((g->c.valid & need) != need) return leak_no(LB_UNKNOWN);
    /* a process that attached after the kernel's count was read still counts */
    uint64_t found = in->who ? who_mappings(in->who, IPC_SHM, i) : 0;
    if (g->nattch > 0 || found > 0) {
        struct leak_verdict v = leak_no(LB_ATTACHED);
        v.count = (uint32_t)(g->nattch > found ? g->nattch : found);
        return v;
    }
    struct leak_dead d = {.n = 0};
    int64_t used = g->atime > g->dtime ? g->atime : g->dtime;
    if (leak_note_pid(&d, who_shm_cpid_alive(s, g), g->cpid, g->c.ctime, LR_CREATOR))
        return leak_alive(LR_CREATOR, g->cpid);
    if (g->lpid != g->cpid &&
        leak_note_pid(&d, who_shm_lpid_alive(s, g), g->lpid, used, LR_LAST_USER))
        return leak_alive(LR_LAST_USER, g->lpid);
    return leak_conclude(in, &g->c, g->c.ctime > used ? g->c.ctime : used, false, LD_NONE, &d);
}

static void describe_users(struct leak_words *t, const struct snapshot *s, size_t i,
                           const struct leak_verdict *v)
{
    (void)v;
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    leak_put(t, "nothing attached, creator %d", g->cpid);
    if (g->lpid > 0 && g->lpid != g->cpid) leak_put(t, " and last user %d", g->lpid);
    leak_put(t, " gone");
}

/* ---- actions --------------------------------------------------------------------------- */

static bool busy(const struct snapshot *now, size_t i, char *why, size_t len)
{
    const struct shm_segment *g = &SNAP_SHM(now)[i];
    if (g->nattch == 0) return false;
    snprintf(why, len, "%" PRIu64 " attachment(s)", g->nattch);
    return true;
}

/* ---- views ----------------------------------------------------------------------------- */

static void json(struct jsonw *w, const struct model *m, size_t i, struct users *u)
{
    const struct snapshot *s = m->cur;
    const struct shm_segment *g = &SNAP_SHM(s)[i];
    uint64_t v = g->c.valid;
    json_kv_u64(w, "size", v, F_SIZE, g->size);
    json_kv_u64(w, "nattch", v, F_NATTCH, g->nattch);
    jw_key(w, "status");
    if (v & FBIT(F_MODE)) {
        const char *words[4];
        size_t n = shm_status_words(g, words);
        jw_arr_begin(w, false);
        for (size_t k = 0; k < n; k++) jw_str_plain(w, words[k]);
        jw_arr_end(w);
    } else {
        jw_null(w);
    }
    json_kv_i64(w, "cpid", v, F_CPID, g->cpid);
    json_kv_i64(w, "lpid", v, F_LPID, g->lpid);
    json_kv_time(w, "atime", v, F_ATIME, g->atime);
    json_kv_time(w, "dtime", v, F_DTIME, g->dtime);
    json_kv_time(w, "ctime", v, F_CTIME, g->c.ctime);
    /* an rss that may be inflated by the kernel's hugetlb error is not given as a fact */
    json_kv_u64(w, "rss", (g->flags & SHM_SEG_RSS_SUSPECT) ? 0 : v, F_RSS, g->rss);
    json_kv_u64(w, "swap", v, F_SWAP, g->swap);
    json_kv_alive(w, "cpid_alive", who_shm_cpid_alive(s, g));
    json_kv_alive(w, "lpid_alive", who_shm_lpid_alive(s, g));
    json_attachers(w, s, &m->who, IPC_SHM, i, u);
}

static void usage(const struct snapshot *s, struct ipc_usage *u)
{
    uint64_t page = s->limits.page_size ? s->limits.page_size : 4096;
    u->segments = snapshot_count(s, IPC_SHM);
    for (size_t i = 0; i < u->segments; i++) {
        const struct shm_segment *g = &SNAP_SHM(s)[i];
        uint64_t pages = (g->size + page - 1) / page; /* what the kernel counts against shmall */
        u->shm_pages += pages;
        u->shm_bytes += g->size;
        if (g->c.valid & FBIT(F_RSS)) u->shm_rss += g->rss;
        if (g->c.valid & FBIT(F_SWAP)) u->shm_swap += g->swap;
    }
}

/* ---- its columns (columns.h) ---------------------------------------------------------- */

#define SHM_VALUE(fname, field, expr)                                                              \
    static bool fname(const struct col_ctx *cx, const struct row *r, int64_t *v)                   \
    {                                                                                              \
        (void)cx;                                                                                  \
        const struct shm_segment *g = row_shm(r);                                                  \
        *v = (int64_t)(expr);                                                                      \
        return g->c.valid & FBIT(field);                                                           \
    }
SHM_VALUE(shm_size, F_SIZE, g->size)
SHM_VALUE(shm_nattch, F_NATTCH, g->nattch)
SHM_VALUE(shm_cpid, F_CPID, g->cpid)
SHM_VALUE(shm_lpid, F_LPID, g->lpid)
SHM_VALUE(shm_atime, F_ATIME, g->atime)
SHM_VALUE(shm_dtime, F_DTIME, g->dtime)
SHM_VALUE(shm_swap, F_SWAP, g->swap)

static bool shm_rss(const struct col_ctx *cx, const struct row *r, int64_t *v)
{
    (void)cx;
    const struct shm_segment *g = row_shm(r);
    *v = (int64_t)g->rss;
    /* an rss that may be 512x inflated is not a number to show or sort by */
    return (g->c.valid & FBIT(F_RSS)) && !(g->flags & SHM_SEG_RSS_SUSPECT);
}

static void shm_status(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct shm_segment *g = row_shm(r);
    if (!(g->c.valid & FBIT(F_MODE)))
        snprintf(b, n, "?");
    else if (n >= FMT_BUFSZ)
        fmt_shm_status(b, g);
    else {
        char s[FMT_BUFSZ];
        snprintf(b, n, "%s", fmt_shm_status(s, g));
    }
}

/* ---- who uses what ---------------------------------------------------------------- */

static void shm_command(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    (void)cx;
    const struct shm_segment *g = row_shm(r);
    if (!(g->c.valid & FBIT(F_CPID)))
        snprintf(b, n, "?");
    else
        col_pid_command(r, g->cpid, who_shm_cpid_alive(r->snap, g), b, n);
}

static void shm_cpid_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct shm_segment *g = row_shm(r);
    col_pid_text(cx, g->c.valid & FBIT(F_CPID), g->cpid, who_shm_cpid_alive(r->snap, g), b, n);
}

static void shm_lpid_text(const struct col_ctx *cx, const struct row *r, char *b, size_t n)
{
    const struct shm_segment *g = row_shm(r);
    col_pid_text(cx, g->c.valid & FBIT(F_LPID), g->lpid, who_shm_lpid_alive(r->snap, g), b, n);
}

static bool shm_cpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return col_pid_dead(who_shm_cpid_alive(r->snap, row_shm(r)));
}

static bool shm_lpid_dead(const struct col_ctx *cx, const struct row *r)
{
    (void)cx;
    return col_pid_dead(who_shm_lpid_alive(r->snap, row_shm(r)));
}

/* B(k): the k-th of this kind's own columns in batch frames (columns.h) */
#define B(k) (COL_BATCH_OWN + (k))
static const struct column shm_columns[] = {
    COL_KEY,
    COL_ID,
    COL_OWNER,
    COL_PERMS,
    COLUMN("SIZE", "size", 6, 5, true, 0, true, B(0), FBIT(F_SIZE), CK_SIZE, shm_size, NULL),
    COLUMN("RSS", "rss", 6, 5, true, 2, false, B(1), FBIT(F_RSS), CK_SIZE, shm_rss, NULL),
    COLUMN("SWAP", "swap", 6, 5, true, 5, false, B(2), FBIT(F_SWAP), CK_SIZE, shm_swap, NULL),
    COLUMN("NATTCH", "nattch", 6, 3, true, 1, true, B(3), FBIT(F_NATTCH), CK_NUM, shm_nattch, NULL),
    COLUMN("ATTACHED", "attached", 8, 3, true, 1, true, B(4), FBIT(F_NATTCH), CK_TEXT, col_users,
           col_user_count_text),
    COLUMN("STATUS", "status", 9, 4, false, 3, true, B(5), FBIT(F_MODE), CK_TEXT, NULL, shm_status),
    COL_LEAK,
    COL_AGE,
    COLUMN_ALERT("CPID", "cpid", 7, 5, true, 4, true, B(7), FBIT(F_CPID), CK_TEXT, shm_cpid,
                 shm_cpid_text, shm_cpid_dead),
    COLUMN_ALERT("LPID", "lpid", 7, 5, true, 4, true, B(8), FBIT(F_LPID), CK_TEXT, shm_lpid,
                 shm_lpid_text, shm_lpid_dead),
    COLUMN("ATIME", "atime", 11, 8, false, 6, true, 0, FBIT(F_ATIME), CK_TIME, shm_atime, NULL),
    COLUMN_ALERT("COMMAND", "command", 16, 6, false, 2, true, B(9), FBIT(F_CPID), CK_TEXT, NULL,
                 shm_command, shm_cpid_dead),
    COLUMN("DTIME", "dtime", 11, 8, false, 7, false, 0, FBIT(F_DTIME), CK_TIME, shm_dtime, NULL),
    COL_CTIME(7, false, B(6)),
    COL_UID,
    COL_STATE,
    COL_CHANGED,
    COL_ATTACHERS,
};
#undef B

/* ---- its detail pane (detail.h) --------------------------------------------------------- */

static void detail(struct detail *d, const struct col_ctx *cx, const struct row *r)
{
    const struct shm_segment *g = row_shm(r);
    uint64_t v = g->c.valid;
    char b[128], s[FMT_BUFSZ];
    detail_size(d, r, F_SIZE, v, "size", g->size);
    if (g->flags & SHM_SEG_RSS_SUSPECT)
        detail_field(d, r, F_RSS, v, "resident (rss)",
                     "unknown: the kernel's figure may be 512x too high");
    else
        detail_size(d, r, F_RSS, v, "resident (rss)", g->rss);
    if (g->flags & SHM_SEG_RSS_CORRECTED)
        detail_addf(d, DL_NOTE, DETAIL_LABEL "%s", "",
                    "hugetlb: the kernel reports rss 512x too high; corrected");
    detail_size(d, r, F_SWAP, v, "swapped", g->swap);
    detail_num(d, r, F_NATTCH, v, "attached (nattch)", (int64_t)g->nattch);
    detail_addf(d, DL_NOTE, DETAIL_LABEL "%s", "",
                "nattch counts mappings: a fork or an mprotect split adds to it");
    snprintf(b, sizeof b, "%s", fmt_shm_status(s, g));
    detail_field(d, r, F_MODE, v, "status", b[0] ? b : "-");
    if ((v & FBIT(F_MODE)) && (g->c.mode & 01000))
        detail_addf(d, DL_NOTE, DETAIL_LABEL "%s", "",
                    "removed: the kernel keeps it until the last detach");
    detail_pid_field(d, r, F_CPID, v, "creator process", g->cpid, who_shm_cpid_alive(r->snap, g));
    detail_pid_field(d, r, F_LPID, v, "last attach/detach", g->lpid,
                     who_shm_lpid_alive(r->snap, g));
    detail_when(d, cx, r, F_ATIME, v, "last attach", g->atime);
    detail_when(d, cx, r, F_DTIME, v, "last detach", g->dtime);
    detail_attachers(d, cx, r, g->nattch);
}

static void summary(const struct snapshot *s, size_t i, char *buf, size_t len)
{
    char b[FMT_BUFSZ];
    snprintf(buf, len, "%s", fmt_size(b, SNAP_SHM(s)[i].size));
}

const struct ipc_kind kind_sysv_shm = {
    .name = "shm",
    .noun = "Shared memory segment",
    .title = "Shared memory segments",
    .tab = "Shared memory",
    .record_size = sizeof(struct shm_segment),
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .element_fields = 0,
    .sysv = &sysv,
    .collect = {.sources = sources,
                .nsources = sizeof sources / sizeof sources[0],
                .after_read = NULL,
                .finish = collect_shm_finish,
                .reread = sysv_reread,
                .worker = false,
                .procfs_only = FBIT(F_RSS) | FBIT(F_SWAP),
                .unreadable = "System V shm objects: neither the shmctl calls nor "
                              "/proc/sysvipc/shm are available"},
    .same_object = same_object,
    .changed_elements = NULL,
    .users = KU_ATTACHERS,
    .complete = complete,
    .recorded_pids = recorded_pids,
    .judge = judge,
    .describe_users = describe_users,
    .remove = sysv_remove,
    .content = KIND_BYTES,
    .busy = busy,
    .removal_deferred = true,
    .removed_mode = SHM_DEST,
    .usage = usage,
    .json = json,
    .detail = detail,
    .summary = summary,
    .columns = shm_columns,
    .ncolumns = sizeof shm_columns / sizeof shm_columns[0],
};
