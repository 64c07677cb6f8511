#include "owners.h"
#include "sorted.h"

#include "nsinfo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value after "Name:\t" on a line of buf, or NULL. */
static const char *field(const char *buf, size_t len, const char *name, const char **end)
{
    size_t nl = strlen(name);
    const char *p = buf, *stop = buf + len;
    while (p < stop) {
        const char *e = memchr(p, '\n', (size_t)(stop - p));
        if (!e) e = stop;
        if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < e && (*v == '\t' || *v == ' ')) v++;
            *end = e;
            return v;
        }
        p = e + 1;
    }
    return NULL;
}

static bool num(const char **p, const char *end, uint64_t *v)
{
    while (*p < end && (**p == '\t' || **p == ' ')) (*p)++;
    const char *q = *p;
    uint64_t x = 0;
    for (; q < end && *q >= '0' && *q <= '9'; q++) {
        if (x > (UINT64_MAX - 9) / 10) return false;
        x = x * 10 + (uint64_t)(*q - '0');
    }
    if (q == *p) return false;
    *p = q;
    *v = x;
    return true;
}

bool owners_parse_status(const char *buf, size_t len, struct owner_proc *p, bool *kthread,
                         bool *zombie)
{
    const char *e, *v;
    uint64_t ppid, ruid, euid, k = 0;
    p->name[0] = '\0';
    if ((v = field(buf, len, "Name", &e))) {
        /* the kernel escapes a newline in the name as \n: it stays on its line */
        size_t n = (size_t)(e - v) < sizeof p->name - 1 ? (size_t)(e - v) : sizeof p->name - 1;
        memcpy(p->name, v, n);
        p->name[n] = '\0';
    }
    if (!(v = field(buf, len, "State", &e)) || v >= e) return false;
    *zombie = *v == 'Z' || *v == 'X';
    if (!(v = field(buf, len, "PPid", &e)) || !num(&v, e, &ppid) || ppid > INT32_MAX) return false;
    if (!(v = field(buf, len, "Uid", &e)) || !num(&v, e, &ruid) || !num(&v, e, &euid) ||
        ruid > UINT32_MAX || euid > UINT32_MAX)
        return false;
    /* "Kthread:" since Linux 6.1; before it, kernel threads are kthreadd's children */
    if ((v = field(buf, len, "Kthread", &e)) && num(&v, e, &k))
        *kthread = k != 0;
    else
        *kthread = ppid == 2;
    p->ppid = (int32_t)ppid;
    p->ruid = (uint32_t)ruid;
    p->euid = (uint32_t)euid;
    return true;
}

void owners_free(struct owner_scan *o)
{
    free(o->p);
    free(o->ancestors);
    memset(o, 0, sizeof *o);
}

const struct owner_proc *owners_find(const struct owner_scan *o, int32_t pid)
{
    struct owner_proc key = {.pid = pid};
    return o->n ? bsearch(&key, o->p, o->n, sizeof *o->p, cmp_int32) : NULL;
}

bool owners_is_self(const struct owner_scan *o, int32_t pid)
{
    for (size_t i = 0; i < o->nancestors; i++)
        if (o->ancestors[i] == pid) return true;
    return pid == o->self;
}

static bool push(struct owner_scan *o, const struct owner_proc *p)
{
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 256;
        struct owner_proc *np = realloc(o->p, nc * sizeof *np);
        if (!np) return false;
        o->p = np;
        o->cap = nc;
    }
    o->p[o->n++] = *p;
    return true;
}

/* Our parent, its parent, ... as far as the table knows them (they are of our namespace). */
static void find_ancestors(struct owner_scan *o)
{
    o->nancestors = 0;
    const struct owner_proc *me = owners_find(o, o->self);
    int32_t pid = me ? me->ppid : getppid();
    while (pid > 1 && o->nancestors < 64) {
        if (o->nancestors == o->capanc) {
            size_t nc = o->capanc ? o->capanc * 2 : 16;
            int32_t *na = realloc(o->ancestors, nc * sizeof *na);
            if (!na) return;
            o->ancestors = na;
            o->capanc = nc;
        }
        o->ancestors[o->nancestors++] = pid;
        const struct owner_proc *p = owners_find(o, pid);
        if (!p) break;
        pid = p->ppid;
    }
}

int owners_scan(const char *proc_root, struct ns_cache *ns_cache, struct owner_scan *o)
{
    o->n = o->refused = 0;
    o->read = o->sees_all = false;
    o->self = getpid();
    int procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) return -1;
    DIR *d = fdopendir(dup(procfd));
    if (!d) {
        close(procfd);
        return -1;
    }
    uint64_t self_ns = ns_cache_ipc(ns_cache, proc_root, "self");
    bool root = geteuid() == 0;
    /* a task whose namespace cannot be read: see tasks.h for why only root in a private
     * namespace may take it to be elsewhere */
    bool unreadable_elsewhere = root && self_ns && !ns_is_initial_ipc(self_ns);
    bool nomem = false;
    struct dirent *de;
    char path[300], buf[4096];
    while ((de = readdir(d)) && !nomem) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
        struct owner_proc p = {.pid = (int32_t)atoi(de->d_name)};
        uint64_t ns = ns_cache_ipc(ns_cache, proc_root, de->d_name);
        if (ns && self_ns && ns != self_ns) continue;
        if (!ns && unreadable_elsewhere) continue;
        p.ns_unknown = !ns || !self_ns;
        snprintf(path, sizeof path, "%s/status", de->d_name);
        int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
        if (fd >= 0) close(fd);
        bool kthread = false, zombie = false;
        if (n <= 0 || !owners_parse_status(buf, (size_t)n, &p, &kthread, &zombie)) {
            /* gone meanwhile (ENOENT/ESRCH) is not a refusal */
            if (n < 0 && errno != ENOENT && errno != ESRCH) o->refused++;
            continue;
        }
        if (kthread || zombie) continue;
        nomem = !push(o, &p);
    }
    closedir(d);
    bool all_pids = ns_initial_pid_at(procfd);
    close(procfd);
    if (nomem) return -1;
    if (o->n > 1) qsort(o->p, o->n, sizeof *o->p, cmp_int32);
    find_ancestors(o);
    o->read = true;
    /* under hidepid other users' processes are simply absent: root is exempt */
    o->sees_all = all_pids && o->refused == 0 && (root || !ns_proc_hides_pids(proc_root));
    return 0;
}
