#include "content.h"

#include "attach.h"
#include "nsinfo.h"
#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ---- finding a mapping ---------------------------------------------------------------- */

struct find_ctx {
    int shmid;
    bool found;
    struct shm_mapping m;
};

static void on_mapping(void *vctx, const struct shm_mapping *m)
{
    struct find_ctx *c = vctx;
    if (!c->found && m->shmid == c->shmid) {
        c->found = true;
        c->m = *m;
    }
}

static int open_map_file(const struct shm_reader *r, int32_t pid, uint64_t start, uint64_t end)
{
    int shmid = r->shmid;
    char path[128];
    snprintf(path, sizeof path, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, pid, start, end);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    /* the file of a SysV segment has the shmid as its inode and lives on the device of
     * segments (shmdev.h): anything else is not ours — a file a user made to look like one */
    enum shmdev_match dm = SHMDEV_OTHER;
    if (fstat(fd, &st) == 0 && st.st_ino == (ino_t)shmid)
        dm = shmdev_match(&r->devs, major(st.st_dev), minor(st.st_dev), NULL);
    if (dm != SHMDEV_SHMEM && dm != SHMDEV_HUGETLB) {
        close(fd);
        errno = ESTALE;
        return -1;
    }
    return fd;
}

/* Whether mapping m of the segment can be read through its map_files entry: then the
 * reader uses it. Says why not in why_attach. */
static bool try_mapping(struct shm_reader *r, const struct shm_mapping *m)
{
    if (m->shmid != r->shmid) return false;
    int mf = open_map_file(r, m->pid, m->start, m->end);
    if (mf < 0) {
        snprintf(r->why_attach, sizeof r->why_attach,
                 "process %d has it mapped, but its map_files cannot be opened (%s: needs "
                 "CAP_SYS_ADMIN)",
                 m->pid, strerror(errno));
        return false;
    }
    close(mf);
    r->via_pid = m->pid;
    r->map_start = m->start;
    r->map_end = m->end;
    return true;
}

/* Looks through the processes of our IPC namespace for one mapping shmid that we can open:
 * the mappings a snapshot already knows first (checked all the same: the file must be the
 * segment's), then every process's maps, read by the scan's own reader. */
static bool find_mapping(struct shm_reader *r, const struct shm_mapping *known, size_t nknown)
{
    for (size_t i = 0; i < nknown; i++)
        if (try_mapping(r, &known[i])) return true;
    uint64_t self_ns = ns_ipc_of("/proc", "self");
    DIR *d = opendir("/proc");
    if (!d) return false;
    struct dirent *de;
    char *buf = malloc(65536);
    bool ok = false, no_query = false;
    while (buf && !ok && (de = readdir(d))) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
        if (ns_ipc_of("/proc", de->d_name) != self_ns) continue;
        struct find_ctx c = {r->shmid, false, {0}};
        if (attach_read_process("/proc", (int32_t)atoi(de->d_name), &r->devs, on_mapping, &c, buf,
                                65536, &no_query) < 0 ||
            !c.found)
            continue;
        ok = try_mapping(r, &c.m);
    }
    free(buf);
    closedir(d);
    return ok;
}

int content_open(struct shm_reader *r, int shmid, char *err, size_t errlen)
{
    return content_open_via(r, shmid, NULL, 0, err, errlen);
}

int content_open_via(struct shm_reader *r, int shmid, const struct shm_mapping *known,
                     size_t nknown, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->shmid = shmid;
    uint64_t sizes[SHMDEV_MAX_HUGE];
    shmdev_probe(&r->devs, sizes, shmdev_hugepage_sizes(sizes, SHMDEV_MAX_HUGE));
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) < 0) {
        int e = errno;
        if (e == EINVAL || e == EIDRM)
            snprintf(err, errlen, "shm %d does not exist", shmid);
        else if (e == EACCES)
            snprintf(err, errlen, "shm %d: permission denied: this user may not read it", shmid);
        else
            snprintf(err, errlen, "shm %d: %s", shmid, strerror(e));
        return -1;
    }
    r->size = ds.shm_segsz;
    if (ds.shm_nattch > 0 && find_mapping(r, known, nknown)) {
        r->path = CONTENT_MAPFILE;
        return 0;
    }
    if (ds.shm_nattch == 0)
        snprintf(r->why_attach, sizeof r->why_attach, "no process has it attached");
    else if (!r->why_attach[0])
        snprintf(r->why_attach, sizeof r->why_attach,
                 "its attachers are not in reach (other namespace, or their maps are unreadable)");
    r->path = CONTENT_ATTACH;
    return 0;
}

const char *content_path_text(const struct shm_reader *r, char *buf, size_t len)
{
    if (r->path == CONTENT_MAPFILE)
        snprintf(buf, len,
                 "side-effect free: read through process %d's mapping (nattch, lpid "
                 "and atime do not change)",
                 r->via_pid);
    else
        snprintf(buf, len,
                 "attached read-only for each read: %s; attaching changes nattch, "
                 "lpid and atime for everyone",
                 r->why_attach);
    return buf;
}

/* ---- reading through map_files -------------------------------------------------------- */

static ssize_t read_mapfile(struct shm_reader *r, uint64_t off, size_t len, uint8_t *buf,
                            uint8_t *kind, char *err, size_t errlen)
{
    int fd = open_map_file(r, r->via_pid, r->map_start, r->map_end);
    if (fd < 0) {
        /* the attacher went away: look again (maybe another one, maybe attach); a failed
         * look leaves the reader as it was */
        struct shm_reader again;
        if (content_open(&again, r->shmid, err, errlen) < 0) return -1;
        *r = again;
        if (r->path != CONTENT_MAPFILE) return -2;
        fd = open_map_file(r, r->via_pid, r->map_start, r->map_end);
        if (fd < 0) {
            snprintf(err, errlen, "shm %d: cannot open its mapping: %s", r->shmid, strerror(errno));
            return -1;
        }
    }
    uint64_t end = off + len;
    for (uint64_t at = off; at < end;) {
        /* the extent of data or hole that starts at `at` */
        off_t data = lseek(fd, (off_t)at, SEEK_DATA);
        if (data < 0) data = (off_t)end; /* ENXIO: only a hole up to the end */
        if ((uint64_t)data > at) {
            uint64_t stop = (uint64_t)data < end ? (uint64_t)data : end;
            memset(buf + (at - off), 0, stop - at);
            if (kind) memset(kind + (at - off), BYTE_HOLE, stop - at);
            at = stop;
            continue;
        }
        off_t hole = lseek(fd, (off_t)at, SEEK_HOLE);
        uint64_t stop = hole < 0 || (uint64_t)hole > end ? end : (uint64_t)hole;
        while (at < stop) {
            ssize_t n = pread(fd, buf + (at - off), stop - at, (off_t)at);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                snprintf(err, errlen, "shm %d: unreadable at offset %" PRIu64 ": %s", r->shmid, at,
                         n < 0 ? strerror(errno) : "end of file");
                memset(buf + (at - off), 0, end - at);
                if (kind) memset(kind + (at - off), BYTE_UNREADABLE, end - at);
                close(fd);
                return (ssize_t)len;
            }
            if (kind) memset(kind + (at - off), BYTE_DATA, (size_t)n);
            at += (uint64_t)n;
        }
    }
    close(fd);
    return (ssize_t)len;
}

/* ---- reading by attaching ------------------------------------------------------------- */

static __thread sigjmp_buf *fault_jump;

static void on_fault(int sig)
{
    if (fault_jump) siglongjmp(*fault_jump, sig);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Copies one page, or returns false when touching it faults. */
static bool guarded_copy(uint8_t *dst, const volatile uint8_t *src, size_t n)
{
    sigjmp_buf jb;
    if (sigsetjmp(jb, 1)) {
        fault_jump = NULL;
        return false;
    }
    fault_jump = &jb;
    for (size_t i = 0; i < n; i++) dst[i] = src[i];
    fault_jump = NULL;
    return true;
}

static ssize_t read_attached(struct shm_reader *r, uint64_t off, size_t len, uint8_t *buf,
                             uint8_t *kind, char *err, size_t errlen)
{
    void *base = shmat(r->shmid, NULL, SHM_RDONLY);
    if (base == (void *)-1) {
        int e = errno;
        snprintf(err, errlen, "shm %d: cannot attach it: %s", r->shmid,
                 e == EACCES                 ? "permission denied"
                 : e == EINVAL || e == EIDRM ? "it is gone"
                                             : strerror(e));
        return -1;
    }
    long ps = sysconf(_SC_PAGESIZE);
    uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
    uint64_t first = off / page * page, last = (off + len + page - 1) / page * page;
    size_t npages = (size_t)((last - first) / page);
    unsigned char *vec = malloc(npages ? npages : 1);
    bool have_vec = vec && mincore((uint8_t *)base + first, last - first, vec) == 0;
    struct sigaction sa, old_bus, old_segv;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &old_bus);
    sigaction(SIGSEGV, &sa, &old_segv);
    bool faulted = false;
    uint64_t fault_at = 0;
    for (size_t p = 0; p < npages; p++) {
        uint64_t pstart = first + p * page, a = pstart > off ? pstart : off;
        uint64_t b = pstart + page < off + len ? pstart + page : off + len;
        size_t n = (size_t)(b - a);
        if (have_vec && !(vec[p] & 1)) {
            /* not resident: reading would allocate (or swap in, or SIGBUS on hugetlb) */
            memset(buf + (a - off), 0, n);
            if (kind) memset(kind + (a - off), BYTE_NOT_RESIDENT, n);
            continue;
        }
        if (!guarded_copy(buf + (a - off), (const volatile uint8_t *)base + a, n)) {
            memset(buf + (a - off), 0, n);
            if (kind) memset(kind + (a - off), BYTE_UNREADABLE, n);
            if (!faulted) fault_at = a;
            faulted = true;
            continue;
        }
        if (kind) memset(kind + (a - off), BYTE_DATA, n);
    }
    sigaction(SIGBUS, &old_bus, NULL);
    sigaction(SIGSEGV, &old_segv, NULL);
    free(vec);
    shmdt(base);
    if (faulted) snprintf(err, errlen, "shm %d: unreadable at offset %" PRIu64, r->shmid, fault_at);
    return (ssize_t)len;
}

ssize_t content_read(struct shm_reader *r, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind,
                     char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (off >= r->size) return 0;
    if (len > r->size - off) len = (size_t)(r->size - off);
    if (r->path == CONTENT_MAPFILE) {
        ssize_t n = read_mapfile(r, off, len, buf, kind, err, errlen);
        if (n != -2) return n;
        /* the mapping is gone and content_open fell back to attaching */
    }
    return read_attached(r, off, len, buf, kind, err, errlen);
}

uint64_t content_next_data(struct shm_reader *r, uint64_t off)
{
    return content_next_data_within(r, off, r->size);
}

uint64_t content_next_data_within(struct shm_reader *r, uint64_t off, uint64_t limit)
{
    if (limit > r->size) limit = r->size;
    if (off >= limit) return limit;
    if (r->path == CONTENT_MAPFILE) {
        int fd = open_map_file(r, r->via_pid, r->map_start, r->map_end);
        if (fd < 0) return off; /* never attach behind a "side-effect free" label */
        off_t d = lseek(fd, (off_t)off, SEEK_DATA);
        close(fd);
        return d < 0 || (uint64_t)d > limit ? limit : (uint64_t)d;
    }
    /* attached: ask mincore window by window, up to limit */
    void *base = shmat(r->shmid, NULL, SHM_RDONLY);
    if (base == (void *)-1) return off;
    long ps = sysconf(_SC_PAGESIZE);
    uint64_t page = ps > 0 ? (uint64_t)ps : 4096, at = off / page * page, found = limit;
    unsigned char vec[4096];
    while (at < limit && found == limit) {
        uint64_t span = (uint64_t)sizeof vec * page;
        if (span > r->size - at) span = (r->size - at + page - 1) / page * page;
        if (mincore((uint8_t *)base + at, span, vec) < 0) {
            found = at;
            break;
        }
        for (uint64_t k = 0; k < span / page; k++)
            if (vec[k] & 1) {
                found = at + k * page;
                break;
            }
        at += span;
    }
    shmdt(base);
    if (found > limit) found = limit;
    return found < off ? off : found;
}

int content_stat(int shmid, struct shm_meta *m)
{
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) < 0) return -1;
    *m = (struct shm_meta){(uint32_t)ds.shm_perm.__key, (ds.shm_perm.mode & SHM_DEST) != 0,
                           ds.shm_nattch, ds.shm_segsz};
    return 0;
}

/* ---- queues --------------------------------------------------------------------------- */

static size_t msgmax(void)
{
    FILE *f = fopen("/proc/sys/kernel/msgmax", "re");
    unsigned long v = 8192;
    if (f) {
        if (fscanf(f, "%lu", &v) != 1) v = 8192;
        fclose(f);
    }
    return v < 8192 ? 8192 : v;
}

ssize_t content_peek(int msqid, size_t max, size_t prefix, struct queue_message *out, char *err,
                     size_t errlen)
{
    size_t cap = msgmax();
    struct {
        long mtype;
        char mtext[];
    } *buf = malloc(sizeof(long) + cap);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t n = 0;
    for (; n < max; n++) {
        ssize_t got = msgrcv(msqid, buf, cap, (long)n, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
        if (got < 0) {
            int e = errno;
            if (e == ENOMSG) break; /* no message at this index: the end */
            content_peek_free(out, n);
            free(buf);
            if (e == ENOSYS)
                snprintf(err, errlen,
                         "msg %d: this kernel cannot copy messages without removing "
                         "them (it lacks CONFIG_CHECKPOINT_RESTORE)",
                         msqid);
            else if (e == EACCES)
                snprintf(err, errlen, "msg %d: permission denied: this user may not read it",
                         msqid);
            else if (e == EINVAL || e == EIDRM)
                snprintf(err, errlen, "msg %d does not exist", msqid);
            else
                snprintf(err, errlen, "msg %d: %s", msqid, strerror(e));
            return -1;
        }
        size_t keep = (size_t)got < prefix ? (size_t)got : prefix;
        out[n].type = buf->mtype;
        out[n].size = (size_t)got;
        out[n].have = keep;
        out[n].data = malloc(keep ? keep : 1);
        if (out[n].data)
            memcpy(out[n].data, buf->mtext, keep);
        else
            out[n].have = 0;
    }
    free(buf);
    return (ssize_t)n;
}

void content_peek_free(struct queue_message *m, size_t n)
{
    for (size_t i = 0; i < n; i++) free(m[i].data);
}
