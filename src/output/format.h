/*
 * format — turning field values into the short text shown in tables (pure).
 *
 * Shared by batch output and the screens so that both say the same thing the same way.
 * Every function writes a NUL-terminated string into a caller buffer of at least
 * FMT_BUFSZ bytes and returns it.
 */
#ifndef IPCTOP_FORMAT_H
#define IPCTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

#define FMT_BUFSZ 64

/* "0x1234abcd": keys are unsigned 32-bit, whatever sign /proc printed. */
char *fmt_key(char *buf, uint32_t key);
/* "640": the permission bits in octal. */
char *fmt_perms(char *buf, uint32_t mode);
/* Human size like lsipc: "0", "512", "4K", "1.5M", "16G" (binary units). */
char *fmt_size(char *buf, uint64_t bytes);
/* A unix time: "-" when 0 (never); "HH:MM:SS" the same day as now, "MonDD HH:MM" (as
 * lsipc, "Nov20 23:59") the same year, else "YYYY-MM-DD". Local time. */
char *fmt_time(char *buf, int64_t t, int64_t now);
/* "2026-11-21 14:05:33" local time, "-" when 0. */
char *fmt_time_full(char *buf, int64_t t);
/* An age in seconds: "42s", "3m12s", "2h05m", "4d02h"; "-" when negative. */
char *fmt_age(char *buf, int64_t seconds);
/* A rate per second with a sign: "+12/s", "-3.5/s", "0/s"; bytes as "+1.5K/s" when bytes. */
char *fmt_rate(char *buf, double per_s, bool bytes);
/* "dest,locked,hugetlb": a segment's status words joined by commas; "" when none. */
char *fmt_shm_status(char *buf, const struct shm_segment *seg);
/* Percentage of used in limit: "12%", "0.1%", "?" when limit is 0. */
char *fmt_percent(char *buf, double used, double limit);

/* A set's values joined by commas, "1,0,0,3", cut to at most width characters with a
 * trailing "..." when they do not fit; writes into buf of len bytes. */
char *fmt_sem_values(char *buf, size_t len, const struct sem_element *e, uint32_t n, size_t width);

/* Status words of a segment, for JSON arrays and the above: returns how many were put. */
size_t shm_status_words(const struct shm_segment *seg, const char *words[4]);

/*
 * Makes kernel-provided text safe for a terminal: control characters (C0, DEL, C1) become
 * '?', each byte that is not part of a valid UTF-8 character becomes U+FFFD, every valid
 * character is kept. Writes at most outsz-1 bytes plus NUL, never part of a character;
 * returns out.
 */
char *sanitize_text(char *out, size_t outsz, const char *in, size_t inlen);

/* Length of the valid UTF-8 character at s (1-4 bytes), or 0 when the byte at s does not
 * start one that is complete within n bytes (overlong forms, surrogates and code points
 * above U+10FFFF are invalid). n must be at least 1. */
size_t utf8_char_len(const unsigned char *s, size_t n);

/* A size or offset as a person types it, the same on the command line (--offset,
 * --length) and in the viewer (goto): decimal ("4096"; no leading zero, so that no one
 * expects octal) or 0x hex ("0x1000"), optionally followed by K, M or G (binary units, any
 * case: "4K" = 4096, "0x10K" = 16384); blanks around it are ignored. false when it is not
 * exactly that or does not fit in 64 bits. */
bool parse_bytes(const char *text, uint64_t *out);

/* Numbers in files, JSON and on the command line are read and written the same way in
 * every locale (a decimal point, never a comma): snprintf and strtod in the C locale,
 * whatever setlocale() the program made. Thread-safe. */
int snprintf_c(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
double strtod_c(const char *s, char **end);

#endif
