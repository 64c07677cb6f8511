/*
 * procfs_feed — drives the chunked procfs API (procfs_parse_header + procfs_parse_lines) the
 * way src/collect/collect_procfs.c reads /proc/sysvipc/<class>: text arrives in pieces, whole lines
 * are parsed as soon as they are complete, the rest is carried over to the next piece, and
 * a last line without its newline is handed over at the end.
 *
 * Shared by tests/unit/test_procfs_parse.c and tests/fuzz/fuzz_procfs_parse.c, which both
 * check that this gives exactly what procfs_parse() gives on the whole text.
 */
#ifndef IPCTOP_TEST_PROCFS_FEED_H
#define IPCTOP_TEST_PROCFS_FEED_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "procfs_parse.h"

/*
 * The first piece is `first` bytes long, every later one `chunk` bytes (chunk > 0).
 * Returns what procfs_parse() returns: 0, or -1 when no header parses.
 */
static inline int procfs_feed(enum ipc_class cls, const char *text, size_t len, size_t first,
                              size_t chunk, struct snapshot *s, struct procfs_parse_result *res)
{
    char *buf = malloc(len + 1);
    if (!buf) return -1;
    struct procfs_columns cols;
    size_t pos = 0, have = 0, piece = first;
    int header = 0, rc = 0;
    res->records = res->bad_lines = 0;
    while (pos < len) {
        size_t n = piece < len - pos ? piece : len - pos;
        memcpy(buf + have, text + pos, n);
        have += n;
        pos += n;
        piece = chunk;
        char *nl = memrchr(buf, '\n', have);
        if (!nl) continue;
        size_t upto = (size_t)(nl - buf) + 1, off = 0;
        if (!header) {
            long h = procfs_parse_header(cls, buf, upto, &cols);
            if (h < 0) {
                rc = -1;
                goto out;
            }
            off = (size_t)h;
            header = 1;
        }
        if (procfs_parse_lines(&cols, buf + off, upto - off, s, res) < 0) {
            rc = -1;
            goto out;
        }
        memmove(buf, buf + upto, have - upto);
        have -= upto;
    }
    if (!header)
        rc = -1;
    else if (have && procfs_parse_lines(&cols, buf, have, s, res) < 0)
        rc = -1;
out:
    free(buf);
    return rc;
}

/*
 * Whether record i of a and record i of b hold the same values, field by field: every field,
 * or with known_only only those whose valid bit is set (the valid bits must match anyway).
 */
static inline bool procfs_same_record(enum ipc_class cls, const struct snapshot *a,
                                      const struct snapshot *b, size_t i, bool known_only)
{
    const struct ipc_common *x = snapshot_common(a, cls, i), *y = snapshot_common(b, cls, i);
    if (x->valid != y->valid) return false;
    const uint64_t all = ~UINT64_C(0), m = known_only ? x->valid : all;
#define SAME(f, u, v) (!(m & FBIT(f)) || (u) == (v))
    if (!SAME(F_ID, x->id, y->id) || !SAME(F_KEY, x->key, y->key) || !SAME(F_UID, x->uid, y->uid) ||
        !SAME(F_GID, x->gid, y->gid) || !SAME(F_CUID, x->cuid, y->cuid) ||
        !SAME(F_CGID, x->cgid, y->cgid) || !SAME(F_MODE, x->mode, y->mode) ||
        !SAME(F_CTIME, x->ctime, y->ctime))
        return false;
    switch (cls) {
    case IPC_SHM: {
        const struct shm_segment *g = &SNAP_SHM(a)[i], *h = &SNAP_SHM(b)[i];
        return SAME(F_SIZE, g->size, h->size) && SAME(F_NATTCH, g->nattch, h->nattch) &&
               SAME(F_RSS, g->rss, h->rss) && SAME(F_SWAP, g->swap, h->swap) &&
               SAME(F_CPID, g->cpid, h->cpid) && SAME(F_LPID, g->lpid, h->lpid) &&
               SAME(F_ATIME, g->atime, h->atime) && SAME(F_DTIME, g->dtime, h->dtime) &&
               g->flags == h->flags;
    }
    case IPC_SEM:
        return SNAP_SEM(a)[i].nsems == SNAP_SEM(b)[i].nsems &&
               SAME(F_OTIME, SNAP_SEM(a)[i].otime, SNAP_SEM(b)[i].otime) &&
               SNAP_SEM(a)[i].elem_off == SNAP_SEM(b)[i].elem_off;
    default: {
        const struct msg_queue *g = &SNAP_MSG(a)[i], *h = &SNAP_MSG(b)[i];
        return SAME(F_MSGS, g->msgs, h->msgs) && SAME(F_USEDBYTES, g->usedbytes, h->usedbytes) &&
               SAME(F_QBYTES, g->qbytes, h->qbytes) && SAME(F_LSPID, g->lspid, h->lspid) &&
               SAME(F_LRPID, g->lrpid, h->lrpid) && SAME(F_STIME, g->stime, h->stime) &&
               SAME(F_RTIME, g->rtime, h->rtime);
    }
    }
#undef SAME
}

#endif
