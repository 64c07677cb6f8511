/*
 * bench_util — clocks and small helpers shared by the benchmark programs (bench/ only).
 *
 * Wall time is CLOCK_MONOTONIC; CPU time is CLOCK_PROCESS_CPUTIME_ID, which sums every
 * thread of the process (ipctop reads semaphores in a second thread, so a refresh can use
 * more CPU than wall time).
 */
#ifndef IPCTOP_BENCH_UTIL_H
#define IPCTOP_BENCH_UTIL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static inline int64_t bench_clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n), which it sorts; 0 when n is 0. */
static inline double bench_median(double *v, size_t n)
{
    if (!n) return 0;
    qsort(v, n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A point in time for both clocks. */
struct bench_mark {
    int64_t wall, cpu;
};

static inline struct bench_mark bench_now(void)
{
    struct bench_mark m = {bench_clock_ns(CLOCK_MONOTONIC),
                           bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID)};
    return m;
}

/*
 * Prints one measurement in the line protocol the driver reads:
 *   "M <wall_ns> <cpu_ns> <label>"  — label is the rest of the line.
 */
static inline void bench_report(const char *label, struct bench_mark a, struct bench_mark b)
{
    printf("M %lld %lld %s\n", (long long)(b.wall - a.wall), (long long)(b.cpu - a.cpu), label);
}

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"); -1 when absent. */
static inline long bench_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            if (sscanf(line + n + 1, "%ld", &kb) != 1) kb = -1;
            break;
        }
    fclose(f);
    return kb;
}

/* The state letter of /proc/PID/stat ('S' sleeping), '?' when it cannot be read. */
static inline char bench_proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return '?';
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return '?';
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] ? p[2] : '?';
}

#endif
