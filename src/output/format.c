#include "format.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SHM_DEST_BIT   01000
#define SHM_LOCKED_BIT 02000

char *fmt_key(char *buf, uint32_t key)
{
    /* once per object in every JSON and table: no printf machinery */
    static const char hex[] = "0123456789abcdef";
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 8; i++) buf[2 + i] = hex[(key >> (28 - 4 * i)) & 0xf];
    buf[10] = '\0';
    return buf;
}

char *fmt_perms(char *buf, uint32_t mode)
{
    /* once per object in every table: no printf machinery */
    buf[0] = (char)('0' + (mode >> 6 & 7));
    buf[1] = (char)('0' + (mode >> 3 & 7));
    buf[2] = (char)('0' + (mode & 7));
    buf[3] = '\0';
    return buf;
}

/* An unsigned number without printf; returns the end (the NUL). */
static char *put_u64(char *p, uint64_t v)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = t[--n];
    *p = '\0';
    return p;
}

char *fmt_size(char *buf, uint64_t bytes)
{
    static const char units[] = "KMGTPE";
    if (bytes < 1024) {
        put_u64(buf, bytes);
        return buf;
    }
    /* a whole number of its unit (sizes are mostly powers of two): no floating point */
    int w = 1; /* the unit is 1024^w */
    while (w < 6 && bytes >> (10 * (w + 1))) w++;
    if (!(bytes & ((UINT64_C(1) << (10 * w)) - 1))) {
        char *e = put_u64(buf, bytes >> (10 * w));
        e[0] = units[w - 1];
        e[1] = '\0';
        return buf;
    }
    int u = -1;
    double v = (double)bytes;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    /* one decimal below 10 units, as lsipc does; drop a trailing ".0" */
    if (v < 10 && fabs(v - round(v)) >= 0.05)
        snprintf(buf, FMT_BUFSZ, "%.1f%c", v, units[u]);
    else
        snprintf(buf, FMT_BUFSZ, "%.0f%c", v, units[u]);
    return buf;
}

char *fmt_time(char *buf, int64_t t, int64_t now)
{
    if (t == 0) {
        memcpy(buf, "-", 2);
        return buf;
    }
    time_t tt = (time_t)t, tn = (time_t)now;
    struct tm a, b;
    localtime_r(&tt, &a);
    localtime_r(&tn, &b);
    const char *f = (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) ? "%H:%M:%S"
                    : a.tm_year == b.tm_year                           ? "%b%d %H:%M"
                                                                       : "%Y-%m-%d";
    if (strftime(buf, FMT_BUFSZ, f, &a) == 0) snprintf(buf, FMT_BUFSZ, "%" PRId64, t);
    return buf;
}

char *fmt_time_full(char *buf, int64_t t)
{
    if (t == 0) {
        snprintf(buf, FMT_BUFSZ, "-");
        return buf;
    }
    time_t tt = (time_t)t;
    struct tm a;
    localtime_r(&tt, &a);
    if (strftime(buf, FMT_BUFSZ, "%Y-%m-%d %H:%M:%S", &a) == 0)
        snprintf(buf, FMT_BUFSZ, "%" PRId64, t);
    return buf;
}

char *fmt_age(char *buf, int64_t s)
{
    if (s < 0)
        snprintf(buf, FMT_BUFSZ, "-");
    else if (s < 60)
        snprintf(buf, FMT_BUFSZ, "%" PRId64 "s", s);
    else if (s < 3600)
        snprintf(buf, FMT_BUFSZ, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
    else if (s < 86400)
        snprintf(buf, FMT_BUFSZ, "%" PRId64 "h%02" PRId64 "m", s / 3600, s % 3600 / 60);
    else
        snprintf(buf, FMT_BUFSZ, "%" PRId64 "d%02" PRId64 "h", s / 86400, s % 86400 / 3600);
    return buf;
}

char *fmt_rate(char *buf, double r, bool bytes)
{
    if (!isfinite(r)) {
        snprintf(buf, FMT_BUFSZ, "?");
        return buf;
    }
    if (fabs(r) < 0.05) {
        snprintf(buf, FMT_BUFSZ, "0/s");
        return buf;
    }
    const char *sign = r < 0 ? "-" : "+";
    double a = fabs(r);
    if (bytes && a >= 1024) {
        char sz[FMT_BUFSZ];
        fmt_size(sz, (uint64_t)llround(a));
        snprintf(buf, FMT_BUFSZ, "%s%.16s/s", sign, sz);
    } else if (a < 10 && fabs(a - round(a)) >= 0.05) {
        snprintf(buf, FMT_BUFSZ, "%s%.1f/s", sign, a);
    } else {
        snprintf(buf, FMT_BUFSZ, "%s%.0f/s", sign, a);
    }
    return buf;
}

size_t shm_status_words(const struct shm_segment *seg, const char *words[4])
{
    size_t n = 0;
    if (seg->c.valid & FBIT(F_MODE)) {
        if (seg->c.mode & SHM_DEST_BIT) words[n++] = "dest";
        if (seg->c.mode & SHM_LOCKED_BIT) words[n++] = "locked";
    }
    if (seg->flags & SHM_SEG_HUGETLB) words[n++] = "hugetlb";
    return n;
}

char *fmt_shm_status(char *buf, const struct shm_segment *seg)
{
    const char *w[4];
    size_t n = shm_status_words(seg, w);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(buf, ",");
        strcat(buf, w[i]);
    }
    return buf;
}

char *fmt_sem_values(char *buf, size_t len, const struct sem_element *e, uint32_t n, size_t width)
{
    if (!len) return buf;
    if (width >= len) width = len - 1;
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t k = 0; k < n; k++) {
        char one[16];
        int l = 0;
        if (k) one[l++] = ',';
        if (e[k].value < 0) one[l++] = '-';
        l = (int)(put_u64(one + l, e[k].value < 0 ? (uint64_t)0 - (uint64_t)(int64_t)e[k].value
                                                  : (uint64_t)e[k].value) -
                  one);
        /* room for this value, and for "..." unless it is the last */
        size_t need = (size_t)l + (k + 1 < n ? 3 : 0);
        if (at + need > width) {
            if (at + 3 <= width)
                memcpy(buf + at, "...", 4);
            else if (width >= 3)
                memcpy(buf + width - 3, "...", 4);
            return buf;
        }
        memcpy(buf + at, one, (size_t)l + 1);
        at += (size_t)l;
    }
    return buf;
}

char *fmt_percent(char *buf, double used, double limit)
{
    if (limit <= 0)
        snprintf(buf, FMT_BUFSZ, "?");
    else {
        double p = 100.0 * used / limit;
        if (p > 0 && p < 0.1)
            snprintf(buf, FMT_BUFSZ, "<0.1%%");
        else if (p < 10 && fabs(p - round(p)) >= 0.05)
            snprintf(buf, FMT_BUFSZ, "%.1f%%", p);
        else
            snprintf(buf, FMT_BUFSZ, "%.0f%%", p);
    }
    return buf;
}

size_t utf8_char_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

char *sanitize_text(char *out, size_t outsz, const char *in, size_t inlen)
{
    /* a control can be shown as nothing else; a byte that is not UTF-8 is what U+FFFD
     * stands for (as in JSON) */
    size_t o = 0;
    const unsigned char *s = (const unsigned char *)in;
    for (size_t i = 0; i < inlen && o + 1 < outsz;) {
        size_t l = utf8_char_len(s + i, inlen - i);
        bool control = s[i] < 0x20 || s[i] == 0x7f || (l == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0);
        const char *put = l == 0 ? "\xef\xbf\xbd" : control ? "?" : (const char *)s + i;
        size_t plen = l == 0 ? 3 : control ? 1 : l;
        if (o + plen >= outsz) break;
        memcpy(out + o, put, plen);
        o += plen;
        i += l ? l : 1;
    }
    if (outsz) out[o] = '\0';
    return out;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t the_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

int snprintf_c(char *buf, size_t len, const char *fmt, ...)
{
    locale_t c = the_c_locale();
    locale_t old = c ? uselocale(c) : (locale_t)0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (c) uselocale(old);
    return n;
}

double strtod_c(const char *s, char **end)
{
    locale_t c = the_c_locale();
    return c ? strtod_l(s, end, c) : strtod(s, end);
}

bool parse_bytes(const char *text, uint64_t *out)
{
    while (*text == ' ' || *text == '\t') text++;
    int base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
        if (!isxdigit((unsigned char)*text)) return false;
    } else if (!isdigit((unsigned char)*text) ||
               (text[0] == '0' && isdigit((unsigned char)text[1]))) {
        return false;
    }
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, base);
    if (errno || end == text) return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k':
    case 'K': shift = 10, end++; break;
    case 'm':
    case 'M': shift = 20, end++; break;
    case 'g':
    case 'G': shift = 30, end++; break;
    default: break;
    }
    while (*end == ' ' || *end == '\t') end++;
    if (*end || (shift && v > (UINT64_MAX >> shift))) return false;
    *out = (uint64_t)v << shift;
    return true;
}
