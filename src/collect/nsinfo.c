#include "nsinfo.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t ns_parse_link(const char *text, const char *type)
{
    size_t tl = strlen(type);
    if (strncmp(text, type, tl) != 0 || text[tl] != ':' || text[tl + 1] != '[') return 0;
    uint64_t v = 0;
    const char *p = text + tl + 2;
    if (*p < '0' || *p > '9') return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10) return 0;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    return *p == ']' && p[1] == '\0' ? v : 0;
}

static uint64_t read_link(int dirfd, const char *path)
{
    char link[64];
    ssize_t n = readlinkat(dirfd, path, link, sizeof link - 1);
    if (n <= 0) return 0;
    link[n] = '\0';
    return ns_parse_link(link, "ipc");
}

uint64_t ns_ipc_of(const char *proc_root, const char *pid_dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/ns/ipc", proc_root, pid_dir);
    return read_link(AT_FDCWD, path);
}

uint64_t ns_ipc_at(int procfd, const char *pid_dir)
{
    char path[96];
    snprintf(path, sizeof path, "%s/ns/ipc", pid_dir);
    return read_link(procfd, path);
}

void ns_cache_begin(struct ns_cache *c, const char *proc_root)
{
    if (c->slot) memset(c->slot, 0, c->cap * sizeof *c->slot);
    c->n = 0;
    c->self = ns_ipc_of(proc_root, "self");
    c->on = true;
}

void ns_cache_free(struct ns_cache *c)
{
    free(c->slot);
    memset(c, 0, sizeof *c);
}

static size_t slot_of(const struct ns_cache *c, int32_t pid)
{
    size_t h = ((uint32_t)pid * UINT32_C(2654435761)) & (c->cap - 1);
    while (c->slot[h].pid && c->slot[h].pid != pid) h = (h + 1) & (c->cap - 1);
    return h;
}

/* Room for one more at a load of at most a half; false when out of memory. */
static bool cache_grow(struct ns_cache *c)
{
    if ((c->n + 1) * 2 <= c->cap) return true;
    size_t ncap = c->cap ? c->cap * 2 : 1024;
    struct ns_slot *old = c->slot;
    size_t ocap = c->cap;
    c->slot = calloc(ncap, sizeof *c->slot);
    if (!c->slot) {
        c->slot = old;
        return false;
    }
    c->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].pid) c->slot[slot_of(c, old[i].pid)] = old[i];
    free(old);
    return true;
}

uint64_t ns_cache_ipc(struct ns_cache *c, const char *proc_root, const char *pid_dir)
{
    if (c && c->on && strcmp(pid_dir, "self") == 0) return c->self;
    int32_t pid = 0;
    for (const char *p = pid_dir; *p; p++) {
        if (*p < '0' || *p > '9' || pid > (INT32_MAX - 9) / 10) {
            pid = 0;
            break;
        }
        pid = pid * 10 + (*p - '0');
    }
    if (!c || !c->on || pid <= 0) return ns_ipc_of(proc_root, pid_dir);
    if (c->cap) {
        size_t h = slot_of(c, pid);
        if (c->slot[h].pid == pid) return c->slot[h].ns;
    }
    uint64_t ns = ns_ipc_of(proc_root, pid_dir);
    if (cache_grow(c)) {
        c->slot[slot_of(c, pid)] = (struct ns_slot){pid, ns};
        c->n++;
    }
    return ns;
}

bool ns_initial_pid_at(int procfd)
{
    char buf[64] = "";
    int fd = openat(procfd, "2/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = '\0';
    return strncmp(buf, "2 (kthreadd) ", 13) == 0;
}

bool ns_initial_pid(const char *proc_root)
{
    int fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool yes = ns_initial_pid_at(fd);
    close(fd);
    return yes;
}

/* Whether proc_root is mounted with hidepid= (other users' processes hidden). */
bool ns_proc_hides_pids(const char *proc_root)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) return false;
    char line[1024];
    bool hide = false;
    while (fgets(line, sizeof line, f)) {
        char mnt[512];
        /* id parent major:minor root mountpoint options ... - fstype source superoptions */
        if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 || strcmp(mnt, proc_root) != 0)
            continue;
        const char *sep = strstr(line, " - proc ");
        if (sep && (strstr(sep, "hidepid=1") || strstr(sep, "hidepid=2") ||
                    strstr(sep, "hidepid=invisible") || strstr(sep, "hidepid=noaccess")))
            hide = true;
    }
    fclose(f);
    return hide;
}
