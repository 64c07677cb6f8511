#include "procfs_parse.h"

#include <string.h>

enum col_kind { K_KEY, K_OCT, K_DEC };

struct col_spec {
    const char *name;
    enum ipc_field field;
    enum col_kind kind;
    uint64_t max;
};

#define U32 UINT64_C(0xffffffff)
#define I32 UINT64_C(0x7fffffff)
#define U64 UINT64_MAX

static const struct col_spec shm_cols[] = {
    {"key", F_KEY, K_KEY, 0},
    {"shmid", F_ID, K_DEC, I32},
    {"perms", F_MODE, K_OCT, U32},
    {"size", F_SIZE, K_DEC, U64},
    {"cpid", F_CPID, K_DEC, I32},
    {"lpid", F_LPID, K_DEC, I32},
    {"nattch", F_NATTCH, K_DEC, U64},
    {"uid", F_UID, K_DEC, U32},
    {"gid", F_GID, K_DEC, U32},
    {"cuid", F_CUID, K_DEC, U32},
    {"cgid", F_CGID, K_DEC, U32},
    {"atime", F_ATIME, K_DEC, U64 >> 1},
    {"dtime", F_DTIME, K_DEC, U64 >> 1},
    {"ctime", F_CTIME, K_DEC, U64 >> 1},
    {"rss", F_RSS, K_DEC, U64},
    {"swap", F_SWAP, K_DEC, U64},
};

static const struct col_spec sem_cols[] = {
    {"key", F_KEY, K_KEY, 0},
    {"semid", F_ID, K_DEC, I32},
    {"perms", F_MODE, K_OCT, U32},
    {"nsems", F_NSEMS, K_DEC, 65536},
    {"uid", F_UID, K_DEC, U32},
    {"gid", F_GID, K_DEC, U32},
    {"cuid", F_CUID, K_DEC, U32},
    {"cgid", F_CGID, K_DEC, U32},
    {"otime", F_OTIME, K_DEC, U64 >> 1},
    {"ctime", F_CTIME, K_DEC, U64 >> 1},
};

static const struct col_spec msg_cols[] = {
    {"key", F_KEY, K_KEY, 0},
    {"msqid", F_ID, K_DEC, I32},
    {"perms", F_MODE, K_OCT, U32},
    {"cbytes", F_USEDBYTES, K_DEC, U64},
    {"qnum", F_MSGS, K_DEC, U64},
    {"lspid", F_LSPID, K_DEC, I32},
    {"lrpid", F_LRPID, K_DEC, I32},
    {"uid", F_UID, K_DEC, U32},
    {"gid", F_GID, K_DEC, U32},
    {"cuid", F_CUID, K_DEC, U32},
    {"cgid", F_CGID, K_DEC, U32},
    {"stime", F_STIME, K_DEC, U64 >> 1},
    {"rtime", F_RTIME, K_DEC, U64 >> 1},
    {"ctime", F_CTIME, K_DEC, U64 >> 1},
};

/* Parsed values of one line, indexed by field. */
struct line_values {
    uint64_t present; /* FBIT(field) */
    uint64_t v[F_NFIELDS];
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Next whitespace-separated token in [*p, end) without crossing a newline. */
static bool next_token(const char **p, const char *end, const char **tok, size_t *toklen)
{
    const char *q = *p;
    while (q < end && is_space(*q)) q++;
    if (q >= end || *q == '\n') {
        *p = q;
        return false;
    }
    const char *t = q;
    while (q < end && !is_space(*q) && *q != '\n') q++;
    *tok = t;
    *toklen = (size_t)(q - t);
    *p = q;
    return true;
}

static bool parse_unsigned(const char *t, size_t n, unsigned base, uint64_t max, uint64_t *out)
{
    if (n == 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(t[i] - '0');
        if (d >= base) return false;
        if (v > (max - d) / base) return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* The kernel prints keys with %d; accept any value that fits 32 bits either way. */
static bool parse_key(const char *t, size_t n, uint64_t *out)
{
    uint64_t v;
    if (n > 0 && t[0] == '-') {
        if (!parse_unsigned(t + 1, n - 1, 10, UINT64_C(0x80000000), &v)) return false;
        *out = (uint32_t)(-(int64_t)v);
        return true;
    }
    if (!parse_unsigned(t, n, 10, U32, &v)) return false;
    *out = v;
    return true;
}

/*
 * Maps header columns to specs: map[i] is the spec index of column i, or -1 for a column
 * this parser does not know. Returns the number of columns, or -1 when a required column
 * is missing.
 */
static int parse_header(const char **p, const char *end, const struct col_spec *specs,
                        size_t nspecs, int *map)
{
    const char *tok;
    size_t len;
    int ncols = 0;
    uint64_t seen = 0;
    while (next_token(p, end, &tok, &len)) {
        if (ncols == PROCFS_MAX_COLS) return -1;
        map[ncols] = -1;
        for (size_t s = 0; s < nspecs; s++) {
            if (strlen(specs[s].name) == len && memcmp(specs[s].name, tok, len) == 0 &&
                !(seen & FBIT(specs[s].field))) {
                map[ncols] = (int)s;
                seen |= FBIT(specs[s].field);
                break;
            }
        }
        ncols++;
    }
    if (*p >= end || **p != '\n') return -1; /* a header without its newline is cut off */
    (*p)++;
    uint64_t required = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_MODE);
    return (seen & required) == required ? ncols : -1;
}

/* Parses one data line; *p ends after the line's newline. False if the line is malformed. */
static bool parse_line(const char **p, const char *end, const struct col_spec *specs,
                       const int *map, int ncols, struct line_values *lv)
{
    const char *tok;
    size_t len;
    bool ok = true;
    int col = 0;
    /* a column the header lacks must read as 0 in the record (its valid bit stays clear) */
    memset(lv, 0, sizeof *lv);
    while (next_token(p, end, &tok, &len)) {
        if (col >= ncols) {
            ok = false;
            continue;
        }
        int si = map[col++];
        if (si < 0 || !ok) continue;
        const struct col_spec *sp = &specs[si];
        uint64_t v;
        bool good = sp->kind == K_KEY   ? parse_key(tok, len, &v)
                    : sp->kind == K_OCT ? parse_unsigned(tok, len, 8, sp->max, &v)
                                        : parse_unsigned(tok, len, 10, sp->max, &v);
        if (!good) {
            ok = false;
            continue;
        }
        lv->v[sp->field] = v;
        lv->present |= FBIT(sp->field);
    }
    if (*p >= end) return false; /* no newline: the line was cut off */
    (*p)++;
    return ok && col == ncols;
}

static bool is_blank_line(const char *p, const char *end)
{
    while (p < end && is_space(*p)) p++;
    return p < end && *p == '\n';
}

static void fill_common(struct ipc_common *c, const struct line_values *lv)
{
    c->key = (uint32_t)lv->v[F_KEY];
    c->id = (int32_t)lv->v[F_ID];
    c->uid = (uint32_t)lv->v[F_UID];
    c->gid = (uint32_t)lv->v[F_GID];
    c->cuid = (uint32_t)lv->v[F_CUID];
    c->cgid = (uint32_t)lv->v[F_CGID];
    c->mode = (uint32_t)lv->v[F_MODE];
    c->ctime = (int64_t)lv->v[F_CTIME];
}

static const uint64_t common_bits = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_UID) | FBIT(F_GID) |
                                    FBIT(F_CUID) | FBIT(F_CGID) | FBIT(F_MODE) | FBIT(F_CTIME);

static bool add_shm(struct snapshot *s, const struct line_values *lv)
{
    struct shm_segment *r = snapshot_add_shm(s);
    if (!r) return false;
    fill_common(&r->c, lv);
    r->size = lv->v[F_SIZE];
    r->cpid = (int32_t)lv->v[F_CPID];
    r->lpid = (int32_t)lv->v[F_LPID];
    r->nattch = lv->v[F_NATTCH];
    r->atime = (int64_t)lv->v[F_ATIME];
    r->dtime = (int64_t)lv->v[F_DTIME];
    r->rss = lv->v[F_RSS];
    r->swap = lv->v[F_SWAP];
    r->c.valid =
        lv->present & (common_bits | FBIT(F_SIZE) | FBIT(F_CPID) | FBIT(F_LPID) | FBIT(F_NATTCH) |
                       FBIT(F_ATIME) | FBIT(F_DTIME) | FBIT(F_RSS) | FBIT(F_SWAP));
    return true;
}

static bool add_sem(struct snapshot *s, const struct line_values *lv)
{
    /* nsems sizes the element pool; an unknown count gives an empty set */
    uint32_t nsems = (lv->present & FBIT(F_NSEMS)) ? (uint32_t)lv->v[F_NSEMS] : 0;
    struct sem_set *r = snapshot_add_sem(s, nsems);
    if (!r) return false;
    fill_common(&r->c, lv);
    r->otime = (int64_t)lv->v[F_OTIME];
    r->c.valid = lv->present & (common_bits | FBIT(F_NSEMS) | FBIT(F_OTIME));
    return true;
}

static bool add_msg(struct snapshot *s, const struct line_values *lv)
{
    struct msg_queue *r = snapshot_add_msg(s);
    if (!r) return false;
    fill_common(&r->c, lv);
    r->usedbytes = lv->v[F_USEDBYTES];
    r->msgs = lv->v[F_MSGS];
    r->lspid = (int32_t)lv->v[F_LSPID];
    r->lrpid = (int32_t)lv->v[F_LRPID];
    r->stime = (int64_t)lv->v[F_STIME];
    r->rtime = (int64_t)lv->v[F_RTIME];
    r->c.valid = lv->present & (common_bits | FBIT(F_USEDBYTES) | FBIT(F_MSGS) | FBIT(F_LSPID) |
                                FBIT(F_LRPID) | FBIT(F_STIME) | FBIT(F_RTIME));
    return true;
}

static void specs_of(enum ipc_class cls, const struct col_spec **specs, size_t *n,
                     bool (**add)(struct snapshot *, const struct line_values *))
{
#define NSPECS(a) (sizeof(a) / sizeof((a)[0]))
    switch (cls) {
    case IPC_SHM: *specs = shm_cols, *n = NSPECS(shm_cols), *add = add_shm; break;
    case IPC_SEM: *specs = sem_cols, *n = NSPECS(sem_cols), *add = add_sem; break;
    default: *specs = msg_cols, *n = NSPECS(msg_cols), *add = add_msg; break;
    }
#undef NSPECS
}

long procfs_parse_header(enum ipc_class cls, const char *buf, size_t len,
                         struct procfs_columns *cols)
{
    const struct col_spec *specs;
    size_t nspecs;
    bool (*add)(struct snapshot *, const struct line_values *);
    specs_of(cls, &specs, &nspecs, &add);
    const char *p = buf;
    cols->cls = cls;
    cols->ncols = parse_header(&p, buf + len, specs, nspecs, cols->map);
    return cols->ncols < 0 ? -1 : (long)(p - buf);
}

int procfs_parse_lines(const struct procfs_columns *cols, const char *buf, size_t len,
                       struct snapshot *s, struct procfs_parse_result *res)
{
    const struct col_spec *specs;
    size_t nspecs;
    bool (*add)(struct snapshot *, const struct line_values *);
    specs_of(cols->cls, &specs, &nspecs, &add);
    const char *p = buf, *end = buf + len;
    struct line_values lv;
    while (p < end) {
        if (is_blank_line(p, end)) {
            p = memchr(p, '\n', (size_t)(end - p)) + 1;
            continue;
        }
        /* parse_line always consumes the whole line, good or bad */
        if (!parse_line(&p, end, specs, cols->map, cols->ncols, &lv)) {
            res->bad_lines++;
            continue;
        }
        if (!add(s, &lv)) return -1;
        res->records++;
    }
    return 0;
}

static int parse_table(enum ipc_class cls, const char *buf, size_t len, struct snapshot *s,
                       struct procfs_parse_result *res)
{
    struct procfs_columns cols;
    res->records = res->bad_lines = 0;
    long h = procfs_parse_header(cls, buf, len, &cols);
    if (h < 0) return -1;
    return procfs_parse_lines(&cols, buf + h, len - (size_t)h, s, res);
}

int procfs_parse(enum ipc_class cls, const char *buf, size_t len, struct snapshot *s,
                 struct procfs_parse_result *res)
{
    return parse_table(cls, buf, len, s, res);
}
