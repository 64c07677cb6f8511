#include "attach.h"
#include "maps_query.h"
#include "sorted.h"

#include "nsinfo.h"
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
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

/*
 * A mapping of a System V segment only when its file is on the device segments live on
 * (shmdev.h): the name and inode alone can be forged by any user. With the devices unknown
 * the mapping is kept but marked unverified.
 */
static bool make_mapping(const struct shm_devs *devs, int32_t pid, int32_t shmid, uint64_t start,
                         uint64_t end, bool writable, uint32_t maj, uint32_t min,
                         uint64_t page_size, struct shm_mapping *m)
{
    uint64_t huge = 0;
    enum shmdev_match dm = shmdev_match(devs, maj, min, &huge);
    if (dm == SHMDEV_OTHER) return false;
    if (dm == SHMDEV_HUGETLB && !page_size) page_size = huge;
    *m = (struct shm_mapping){IPC_SHM,
                              pid,
                              shmid,
                              start,
                              end,
                              writable,
                              maj,
                              min,
                              page_size,
                              dm == SHMDEV_HUGETLB,
                              dm == SHMDEV_UNCHECKED};
    return true;
}

/* "start-end perms offset major:minor inode path": one line, [p, end) without newline. */
static bool parse_line(const char *p, const char *end, int32_t pid, const struct shm_devs *devs,
                       struct shm_mapping *m)
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
    /* the kernel prints the device as %02x:%02x of a 12-bit major and a 20-bit minor:
     * 2 to 3 and 2 to 5 digits (anything wider is not a line the kernel wrote) */
    const char *d0 = p;
    if (!hex(&p, end, &maj) || p - d0 < 2 || p - d0 > 3 || !expect(&p, end, ':')) return false;
    d0 = p;
    if (!hex(&p, end, &min) || p - d0 < 2 || p - d0 > 5) return false;
    spaces(&p, end);
    if (!dec(&p, end, &ino) || ino > INT32_MAX) return false;
    spaces(&p, end);
    if (end - p < 5 || memcmp(p, "/SYSV", 5) != 0 || !shared) return false;
    return make_mapping(devs, pid, (int32_t)ino, start, stop, writable, (uint32_t)maj,
                        (uint32_t)min, 0, m);
}

size_t attach_parse_maps(const char *buf, size_t len, int32_t pid, const struct shm_devs *devs,
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
        if (parse_line(ls, le, pid, devs, &m)) {
            add(ctx, &m);
            found++;
        }
        p = le;
    }
    return found;
}

void attach_free(struct attach_scan *a)
{
    free(a->m);
    memset(a, 0, sizeof *a);
}

struct scan_ctx {
    struct attach_scan *out;
    const struct snapshot *s;
    const struct shm_devs *devs;
    uint32_t *found; /* per segment of s: mappings found */
    size_t short_of; /* segments whose mappings found do not reach their nattch yet */
    bool nomem;
    bool no_query; /* the kernel has no PROCMAP_QUERY: read the text */
};

static void add_mapping(void *vctx, const struct shm_mapping *m)
{
    struct scan_ctx *c = vctx;
    const struct shm_segment *g = snapshot_find_shm(c->s, m->shmid);
    if (!g) return; /* not a segment of this namespace now */
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
    if (m->unverified) a->unverified++;
    size_t i = (size_t)(g - SNAP_SHM(c->s));
    if ((g->c.valid & FBIT(F_NATTCH)) && ++c->found[i] == g->nattch) c->short_of--;
}

/* Mappings of one process through the ioctl; false when the kernel does not have it (its
 * first call says so: then nothing was handed over). */
static bool query_maps(int fd, int32_t pid, const struct shm_devs *devs, attach_mapping_fn fn,
                       void *ctx)
{
    char name[64];
    uint64_t addr = 0;
    for (bool first = true;; first = false) {
        struct maps_query q;
        memset(&q, 0, sizeof q);
        memset(name, 0, sizeof name); /* valgrind cannot know the ioctl fills it */
        q.size = sizeof q;
        q.query_flags = MQ_COVERING_OR_NEXT | MQ_SHARED | MQ_FILE_BACKED;
        q.query_addr = addr;
        q.vma_name_addr = (uint64_t)(uintptr_t)name;
        q.vma_name_size = sizeof name;
        if (ioctl(fd, MAPS_QUERY_IOCTL, &q) < 0) {
            if (errno == ENOENT) return true; /* no more mappings */
            return !(first && (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP));
        }
        addr = q.vma_end;
        if (q.vma_name_size == 0 || strncmp(name, "/SYSV", 5) != 0 || q.inode > INT32_MAX) continue;
        struct shm_mapping m;
        if (make_mapping(devs, pid, (int32_t)q.inode, q.vma_start, q.vma_end,
                         (q.vma_flags & MQ_WRITABLE) != 0, q.dev_major, q.dev_minor,
                         q.vma_page_size, &m))
            fn(ctx, &m);
    }
}

/* Mappings of one process from the text of /proc/PID/maps; -1 when a read was refused. */
static int text_maps(int fd, int32_t pid, const struct shm_devs *devs, attach_mapping_fn fn,
                     void *ctx, char *buf, size_t bufsz)
{
    /* a line never spans two reads of the carried-over tail */
    size_t have = 0;
    int result = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, bufsz - have);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EACCES || errno == EPERM)) result = -1;
        if (r <= 0) break;
        have += (size_t)r;
        char *nl = memrchr(buf, '\n', have);
        if (!nl) {
            if (have == bufsz) have = 0; /* a line longer than the buffer: not ours */
            continue;
        }
        size_t upto = (size_t)(nl - buf) + 1;
        attach_parse_maps(buf, upto, pid, devs, fn, ctx);
        memmove(buf, buf + upto, have - upto);
        have -= upto;
    }
    if (have) attach_parse_maps(buf, have, pid, devs, fn, ctx);
    return result;
}

int attach_read_process(const char *proc_root, int32_t pid, const struct shm_devs *devs,
                        attach_mapping_fn fn, void *ctx, char *buf, size_t bufsz, bool *no_query)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%d/maps", proc_root, pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int r = 0;
    if (*no_query || !query_maps(fd, pid, devs, fn, ctx)) {
        /* an older kernel: text from now on */
        *no_query = true;
        r = text_maps(fd, pid, devs, fn, ctx, buf, bufsz);
    }
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static void read_maps(const char *proc_root, int32_t pid, struct scan_ctx *c, char *buf,
                      size_t bufsz)
{
    if (attach_read_process(proc_root, pid, c->devs, add_mapping, c, buf, bufsz, &c->no_query) <
        0) {
        if (errno == EACCES || errno == EPERM) c->out->procs_refused++;
        return;
    }
    c->out->procs_read++;
}

static void scan_all(const char *proc_root, struct ns_cache *ns_cache, uint64_t self_ns,
                     bool private_ns, struct scan_ctx *c, const int32_t *done, size_t ndone,
                     char *buf, size_t bufsz)
{
    DIR *d = opendir(proc_root);
    if (!d) return;
    struct dirent *de = NULL;
    while (c->short_of > 0 && (de = readdir(d))) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
        int32_t pid = (int32_t)atoi(de->d_name);
        if (ndone && bsearch(&pid, done, ndone, sizeof *done, cmp_int32))
            continue; /* read already */
        /* ids repeat across IPC namespaces: another namespace's mappings are not ours; a
         * process whose namespace root cannot read is not in a private one of ours (tasks.h) */
        uint64_t ns = ns_cache_ipc(ns_cache, proc_root, de->d_name);
        if (ns && self_ns && ns != self_ns) continue;
        if (!ns && private_ns) continue;
        read_maps(proc_root, pid, c, buf, bufsz);
    }
    c->out->listed_all = de == NULL; /* the walk went to the end */
    closedir(d);
}

int attach_scan(const char *proc_root, const struct snapshot *s, const struct shm_devs *devs,
                struct ns_cache *ns_cache, struct attach_scan *out)
{
    out->n = out->procs_read = out->procs_refused = out->unverified = 0;
    out->complete = out->listed_all = false;
    struct scan_ctx c = {out, s, devs, NULL, 0, false, false};
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++)
        if ((SNAP_SHM(s)[i].c.valid & FBIT(F_NATTCH)) && SNAP_SHM(s)[i].nattch) c.short_of++;
    if (c.short_of == 0) {
        out->complete = true;
        return 0;
    }
    uint64_t self_ns = ns_cache_ipc(ns_cache, proc_root, "self");
    bool private_ns = self_ns && !ns_is_initial_ipc(self_ns) && geteuid() == 0;
    char *buf = malloc(65536);
    int32_t *done = malloc((2 * s->tab[IPC_SHM].n + 1) * sizeof *done);
    c.found = calloc(s->tab[IPC_SHM].n, sizeof *c.found);
    if (!buf || !done || !c.found) {
        free(buf);
        free(done);
        free(c.found);
        return -1;
    }
    /* the last attachers and creators first: most mappings are found there */
    size_t ndone = 0;
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) {
        const struct shm_segment *g = &SNAP_SHM(s)[i];
        if (!g->nattch) continue;
        if (g->lpid > 0) done[ndone++] = g->lpid;
        if (g->cpid > 0) done[ndone++] = g->cpid;
    }
    if (ndone > 1) qsort(done, ndone, sizeof *done, cmp_int32);
    size_t u = 0;
    for (size_t i = 0; i < ndone; i++)
        if (!u || done[u - 1] != done[i]) done[u++] = done[i];
    ndone = u;
    for (size_t i = 0; i < ndone && c.short_of > 0; i++) {
        char dir[16];
        snprintf(dir, sizeof dir, "%d", done[i]);
        uint64_t ns = ns_cache_ipc(ns_cache, proc_root, dir);
        if (ns && self_ns && ns != self_ns) continue;
        read_maps(proc_root, done[i], &c, buf, 65536);
    }
    if (c.short_of > 0)
        scan_all(proc_root, ns_cache, self_ns, private_ns, &c, done, ndone, buf, 65536);
    /* every segment's mappings were found, or every process was read: a mapping that is
     * still missing then belongs to a process out of our sight (another PID namespace) or
     * to one that came or went during the scan; who.c judges each segment on its own */
    out->complete = c.short_of == 0 || (out->listed_all && out->procs_refused == 0);
    free(c.found);
    free(done);
    free(buf);
    return c.nomem ? -1 : 0;
}
