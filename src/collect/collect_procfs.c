/*
 * The /proc/sysvipc source. The file is read in chunks and parsed line by line as it
 * comes, so 32,000 segments (5 MB of text) need a 256 KiB buffer, not a copy of the file.
 */
#include "collect_source.h"
#include "procfs_parse.h"
#include "sysv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

static enum source_status parse_fd(struct collect_ctx *ctx, int fd, enum ipc_class cls,
                                   struct snapshot *s)
{
    if (ctx->bufcap[cls] < CHUNK) {
        char *nb = realloc(ctx->buf[cls], CHUNK);
        if (!nb) return SRC_NOMEM;
        ctx->buf[cls] = nb;
        ctx->bufcap[cls] = CHUNK;
    }
    char *buf = ctx->buf[cls];
    size_t cap = ctx->bufcap[cls];
    size_t have = 0;
    bool header = false;
    struct procfs_columns cols;
    struct procfs_parse_result res = {0, 0};
    for (;;) {
        ssize_t r = read(fd, buf + have, cap - have);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return SRC_UNAVAILABLE;
        if (r == 0) break;
        have += (size_t)r;
        char *nl = memrchr(buf, '\n', have);
        if (!nl) {
            if (have == cap) return SRC_UNAVAILABLE; /* not this file's format */
            continue;
        }
        size_t upto = (size_t)(nl - buf) + 1, off = 0;
        if (!header) {
            long h = procfs_parse_header(cls, buf, upto, &cols);
            if (h < 0) return SRC_UNAVAILABLE;
            off = (size_t)h;
            header = true;
        }
        if (procfs_parse_lines(&cols, buf + off, upto - off, s, &res) < 0) return SRC_NOMEM;
        memmove(buf, buf + upto, have - upto);
        have -= upto;
    }
    if (!header) return SRC_UNAVAILABLE;
    /* a last line without its newline is cut off: counted as bad, not stored */
    if (have && procfs_parse_lines(&cols, buf, have, s, &res) < 0) return SRC_NOMEM;
    return SRC_OK;
}

static enum source_status read_procfs(struct collect_ctx *ctx, enum ipc_class cls,
                                      struct snapshot *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", ctx->proc_root, kind_of(cls)->sysv->procfs);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return SRC_UNAVAILABLE;
    size_t start = snapshot_count(s, cls);
    enum source_status st = parse_fd(ctx, fd, cls, s);
    close(fd);
    if (st != SRC_OK) collect_truncate(s, cls, start);
    return st;
}

const struct collect_source collect_source_procfs = {PATH_PROCFS, read_procfs};
