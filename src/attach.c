#include "attach.h"

#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool hex(const char **p, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    const char *q = *p;
    for (; q < end; q++) {
        unsigned d;
        if (*q >= '0' && *q <= '9')
            d = (unsigned)(*q - '0');
        else if (*q >= 'a' && *q <= 'f')
            d = (unsigned)(*q - 'a' + 10);
        else
            break;
        if (x >> 60) return false;
        x = x << 4 | d;
    }
    if (q == *p) return false;
    *p = q;
    *v = x;
    return true;
}

static bool dec(const char **p, const char *end, uint64_t *v)
{
    uint64_t x = 0;
    const char *q = *p;
    for (; q < end && *q >= '0' && *q <= '9'; q++) {
        if (x > (UINT64_MAX - 9) / 10) return false;
        x = x * 10 + (uint64_t)(*q - '0');
    }
    if (q == *p) return false;
    *p = q;
    *v = x;
    return true;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c) return false;
    (*p)++;
    return true;
}

static void spaces(const char **p, const char *end)
{
    while (*p < end && **p == ' ') (*p)++;
}

/* "start-end perms offset major:minor inode path": one line, [p, end) without newline. */
static bool parse_line(const char *p, const char *end, int32_t pid, struct shm_mapping *m)
{
    uint64_t start, stop, off, maj, min, ino;
    if (!hex(&p, end, &start) || !expect(&p, end, '-') || !hex(&p, end, &stop)) return false;
    spaces(&p, end);
    if (end - p < 4) return false;
    bool writable = p[1] == 'w', shared = p[3] == 's';
    p += 4;
    spaces(&p, end);
    if (!hex(&p, end, &off)) return false;
    spaces(&p, end);
    if (!hex(&p, end, &maj) || !expect(&p, end, ':') || !hex(&p, end, &min)) return false;
    spaces(&p, end);
    if (!dec(&p, end, &ino) || ino > INT32_MAX) return false;
    spaces(&p, end);
    if (end - p < 5 || memcmp(p, "/SYSV", 5) != 0 || !shared) return false;
    *m = (struct shm_mapping){pid,      (int32_t)ino,  start,         stop,
                              writable, (uint32_t)maj, (uint32_t)min, 0};
    return true;
}

size_t attach_parse_maps(const char *buf, size_t len, int32_t pid,
                         void (*add)(void *ctx, const struct shm_mapping *m), void *ctx)
{
    size_t found = 0;
    const char *end = buf + len, *p = buf;
    /* memmem for the name is much faster than parsing every line */
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), "/SYSV", 5);
        if (!hit) break;
        const char *ls = hit;
        while (ls > buf && ls[-1] != '\n') ls--;
        const char *le = memchr(hit, '\n', (size_t)(end - hit));
        if (!le) le = end;
        struct shm_mapping m;
        if (parse_line(ls, le, pid, &m)) {
            add(ctx, &m);
            found++;
        }
        p = le;
    }
    return found;
}

bool attach_is_hugetlb_dev(const struct shm_mapping *m)
{
    /* SysV shmem lives on the kernel's internal shm mount, the first anonymous device */
    return !(m->dev_major == 0 && m->dev_minor == 1);
}

void attach_free(struct attach_scan *a)
{
    free(a->m);
    memset(a, 0, sizeof *a);
}

struct scan_ctx {
    struct attach_scan *out;
    const struct snapshot *s;
    size_t counted; /* mappings of segments of s */
    bool nomem;
};

static void add_mapping(void *vctx, const struct shm_mapping *m)
{
    struct scan_ctx *c = vctx;
    if (!snapshot_find_shm(c->s, m->shmid)) return; /* not a segment of this namespace now */
    struct attach_scan *a = c->out;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        struct shm_mapping *nm = realloc(a->m, nc * sizeof *nm);
        if (!nm) {
            c->nomem = true;
            return;
        }
        a->m = nm;
        a->cap = nc;
    }
    a->m[a->n++] = *m;
    c->counted++;
}

static void read_maps(const char *proc_root, int32_t pid, struct scan_ctx *c, char *buf,
                      size_t bufsz)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%d/maps", proc_root, pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EACCES || errno == EPERM) c->out->procs_refused++;
        return;
    }
    c->out->procs_read++;
    /* a line never spans two reads of the carried-over tail */
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, bufsz - have);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EACCES || errno == EPERM)) c->out->procs_refused++;
        if (r <= 0) break;
        have += (size_t)r;
        char *nl = memrchr(buf, '\n', have);
        if (!nl) {
            if (have == bufsz) have = 0; /* a line longer than the buffer: not ours */
            continue;
        }
        size_t upto = (size_t)(nl - buf) + 1;
        attach_parse_maps(buf, upto, pid, add_mapping, c);
        memmove(buf, buf + upto, have - upto);
        have -= upto;
    }
    if (have) attach_parse_maps(buf, have, pid, add_mapping, c);
    close(fd);
}

/* KernelPageSize of the mapping starting at start, from /proc/PID/smaps (hugetlb only). */
static uint64_t kernel_page_size(const char *proc_root, int32_t pid, uint64_t start)
{
    char path[256], line[256], want[32];
    snprintf(path, sizeof path, "%s/%d/smaps", proc_root, pid);
    snprintf(want, sizeof want, "%llx-", (unsigned long long)start);
    FILE *f = fopen(path, "re");
    if (!f) return 0;
    bool in = false;
    uint64_t kb = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0)
            in = true;
        else if (in && sscanf(line, "KernelPageSize: %llu kB", (unsigned long long *)&kb) == 1)
            break;
    }
    fclose(f);
    return kb * 1024;
}

int attach_scan(const char *proc_root, const struct proc_table *pt, const struct snapshot *s,
                struct attach_scan *out)
{
    out->n = out->procs_read = out->procs_refused = 0;
    out->complete = false;
    uint64_t expected = 0;
    for (size_t i = 0; i < s->nshm; i++)
        if (s->shm[i].c.valid & FBIT(F_NATTCH)) expected += s->shm[i].nattch;
    struct scan_ctx c = {out, s, 0, false};
    if (expected == 0) {
        out->complete = true;
        return 0;
    }
    if (!pt->ok) return 0;
    bool *done = calloc(pt->n ? pt->n : 1, sizeof *done);
    char *buf = malloc(65536);
    if (!done || !buf) {
        free(done);
        free(buf);
        return -1;
    }
    /* the creators and last attachers first: most mappings are found there */
    for (size_t i = 0; i < s->nshm && c.counted < expected; i++) {
        const struct shm_segment *g = &s->shm[i];
        if (!g->nattch) continue;
        int32_t pids[2] = {g->lpid, g->cpid};
        for (int k = 0; k < 2; k++) {
            const struct proc_info *p = procs_find(pt, pids[k]);
            if (!p || done[p - pt->p] || (p->ipc_ns && p->ipc_ns != pt->self_ipc_ns)) continue;
            done[p - pt->p] = true;
            read_maps(proc_root, p->pid, &c, buf, 65536);
        }
    }
    for (size_t i = 0; i < pt->n && c.counted < expected; i++) {
        const struct proc_info *p = &pt->p[i];
        if (done[i] || p->state == 'Z') continue;
        /* ids repeat across IPC namespaces: another namespace's mappings are not ours; a
         * process whose namespace we cannot read is not in a private one of ours (tasks.h) */
        if (p->ipc_ns && pt->self_ipc_ns && p->ipc_ns != pt->self_ipc_ns) continue;
        if (!p->ipc_ns && pt->self_ns_private) continue;
        read_maps(proc_root, p->pid, &c, buf, 65536);
    }
    out->complete = c.counted >= expected || out->procs_refused == 0;
    /* the rare hugetlb mapping: its page size says how to undo the kernel's rss error */
    for (size_t i = 0; i < out->n; i++)
        if (attach_is_hugetlb_dev(&out->m[i]))
            out->m[i].page_size = kernel_page_size(proc_root, out->m[i].pid, out->m[i].start);
    free(done);
    free(buf);
    return c.nomem ? -1 : 0;
}
