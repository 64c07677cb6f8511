/* Kernel limits of the IPC namespace, from /proc/sys/kernel (part of collect). */
#include "collect.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool limits_parse(const char *buf, size_t len, unsigned long long *v, int n)
{
    const char *p = buf, *end = buf + len;
    for (int i = 0; i < n; i++) {
        /* blanks before the first number, at least one between two */
        const char *b = p;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (i > 0 && p == b) return false;
        if (p == end || *p < '0' || *p > '9') return false;
        unsigned long long x = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            unsigned d = (unsigned)(*p - '0');
            if (x > (ULLONG_MAX - d) / 10) return false;
            x = x * 10 + d;
        }
        v[i] = x;
    }
    /* then blanks and one newline, and nothing more */
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p < end && *p == '\n') p++;
    return p == end;
}

static bool read_u64s(const char *root, const char *name, unsigned long long *v, int n)
{
    char path[512], buf[256];
    snprintf(path, sizeof path, "%s/sys/kernel/%s", root, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, buf + len, sizeof buf - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
        if (len == sizeof buf) break; /* longer than any limit file: refused below */
    }
    close(fd);
    return len < sizeof buf && limits_parse(buf, len, v, n);
}

int collect_limits(const char *proc_root, struct ipc_limits *lim)
{
    unsigned long long v[4];
    memset(lim, 0, sizeof *lim);
    bool ok = true;
#define ONE(field, name) v[0] = 0, ok = read_u64s(proc_root, name, v, 1) && ok, lim->field = v[0]
    ONE(shmmax, "shmmax");
    ONE(shmall, "shmall");
    ONE(shmmni, "shmmni");
    ONE(msgmax, "msgmax");
    ONE(msgmnb, "msgmnb");
    ONE(msgmni, "msgmni");
#undef ONE
    if (read_u64s(proc_root, "sem", v, 4)) {
        lim->semmsl = v[0];
        lim->semmns = v[1];
        lim->semopm = v[2];
        lim->semmni = v[3];
    } else {
        ok = false;
    }
    lim->shmmin = 1;     /* SHMMIN: fixed in the kernel */
    lim->semvmx = 32767; /* SEMVMX: fixed in the kernel */
    long ps = sysconf(_SC_PAGESIZE);
    lim->page_size = ps > 0 ? (unsigned long long)ps : 4096;
    lim->valid = ok;
    return ok ? 0 : -1;
}
