/*
 * wl_os.c — see wl_os.h.
 */
#include "wl_os.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

long long wl_os_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void wl_os_sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) continue;
}

ssize_t wl_os_read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n;
    do n = read(fd, buf, size - 1);
    while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return -1;
    }
    buf[n] = '\0';
    return n;
}

int wl_os_write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = strlen(text);
    ssize_t n;
    do n = write(fd, text, len);
    while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (n < 0 || (size_t)n != len) {
        errno = n < 0 ? saved : EIO;
        return -1;
    }
    return 0;
}

int wl_os_proc_stat(pid_t pid, char *state, pid_t *ppid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (wl_os_read_text(path, buf, sizeof buf) < 0) return -1;
    const char *p = strrchr(buf, ')'); /* the command name may contain anything */
    int pp;
    if (!p || sscanf(p + 1, " %c %d", state, &pp) != 2) {
        errno = EIO;
        return -1;
    }
    *ppid = pp;
    return 0;
}
