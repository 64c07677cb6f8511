/*
 * procstat — the parsers of /proc/PID/stat and /proc/TID/sched (pure: text in, fields out).
 *
 * /proc/PID/stat is "PID (COMM) STATE PPID ... FLAGS(9) ... STARTTIME(22) ...". COMM is
 * the task's name as raw bytes (at most 15 on today's kernels, 64 for kernel threads on
 * newer ones): it may hold spaces, parentheses, controls and bytes that are not UTF-8, so
 * it ends at the last ')' of the text. libproc2 hands over an escaped copy of it that
 * depends on the locale ("caf??" in the C locale); the table takes the raw one from here
 * and sanitizes it where it is shown.
 *
 * Shared by the process table (procs.c), the task scan (tasks.c) and the signal action
 * (actions.c); fed by tests/fuzz/fuzz_procstat.c.
 */
#ifndef IPCTOP_PROCSTAT_H
#define IPCTOP_PROCSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROCSTAT_COMM_MAX 64

struct proc_stat {
    int32_t pid;
    char comm[PROCSTAT_COMM_MAX + 1]; /* raw bytes, NUL-terminated (a NUL inside ends it) */
    size_t comm_len;                  /* bytes kept (a longer name is cut) */
    char state;                       /* R S D T t Z X I ... */
    uint64_t flags;                   /* field 9 (PF_KTHREAD is 0x00200000) */
    uint64_t start_tics;              /* field 22: clock ticks after boot */
};

/* Parses the text of /proc/PID/stat (len bytes, no NUL needed). False unless the pid, the
 * name in parentheses, the state and every field up to starttime are there and numeric. */
bool procstat_parse(const char *buf, size_t len, struct proc_stat *out);

/* se.exec_start from the text of /proc/TID/sched: milliseconds on the scheduler's clock
 * ("se.exec_start   :   641222.929577"), read with a decimal point in every locale.
 * False when the line is missing or its value is not a non-negative number. */
bool procstat_sched_exec_start(const char *buf, size_t len, double *ms);

#endif
