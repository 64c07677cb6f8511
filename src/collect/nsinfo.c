#include "nsinfo.h"

#include <fcntl.h>
#include <stdio.h>
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
