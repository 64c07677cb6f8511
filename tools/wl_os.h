/*
 * wl_os — the operating-system odds and ends of libipcworkload (internal): a monotonic
 * clock, an uninterrupted sleep, reading and writing small text files (/proc, sysctls),
 * and a process's state and parent from /proc/PID/stat.
 *
 * What it owns: nothing (no state). What it may call: libc only. Used by the library's
 * modules and by ipcload (which links the library), so that both share one clock.
 */
#ifndef IPCTOP_TOOLS_WL_OS_H
#define IPCTOP_TOOLS_WL_OS_H

#include <stddef.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in microseconds. */
long long wl_os_now_us(void);

/* Sleeps us microseconds, resuming after signals. */
void wl_os_sleep_us(long us);

/* Reads a small text file into buf (NUL-terminated); returns its length or -1. */
ssize_t wl_os_read_text(const char *path, char *buf, size_t size);

/* Writes text to an existing file in one write(); 0, or -1 with errno (EIO if short). */
int wl_os_write_text(const char *path, const char *text);

/* State letter and parent of a process from /proc/PID/stat; -1 if it is gone. */
int wl_os_proc_stat(pid_t pid, char *state, pid_t *ppid);

#endif
