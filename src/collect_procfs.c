/* The /proc/sysvipc source: one read of a text file per class, parsed by procfs_parse. */
#include "collect_source.h"
#include "procfs_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t collect_read_proc_file(struct collect_ctx *ctx, const char *relpath)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", ctx->proc_root, relpath);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = 0;
    for (;;) {
        if (ctx->bufcap - len < 65536) {
            size_t ncap = ctx->bufcap ? ctx->bufcap * 2 : 1 << 20;
            char *nb = realloc(ctx->buf, ncap);
            if (!nb) {
                close(fd);
                errno = ENOMEM;
                return -1;
            }
            ctx->buf = nb;
            ctx->bufcap = ncap;
        }
        ssize_t r = read(fd, ctx->buf + len, ctx->bufcap - len);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    close(fd);
    return (ssize_t)len;
}

static enum source_status read_procfs(struct collect_ctx *ctx, enum ipc_class cls, struct snapshot *s)
{
    static const char *const files[IPC_NCLASSES] = {"sysvipc/shm", "sysvipc/sem", "sysvipc/msg"};
    ssize_t len = collect_read_proc_file(ctx, files[cls]);
    if (len < 0) return errno == ENOMEM ? SRC_NOMEM : SRC_UNAVAILABLE;
    size_t start = snapshot_count(s, cls);
    struct procfs_parse_result res;
    int r = cls == IPC_SHM   ? procfs_parse_shm(ctx->buf, (size_t)len, s, &res)
            : cls == IPC_SEM ? procfs_parse_sem(ctx->buf, (size_t)len, s, &res)
                             : procfs_parse_msg(ctx->buf, (size_t)len, s, &res);
    if (r < 0) {
        collect_truncate(s, cls, start);
        return SRC_UNAVAILABLE;
    }
    return SRC_OK;
}

const struct collect_source collect_source_procfs = {PATH_PROCFS, read_procfs};
