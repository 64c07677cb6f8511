#include "jsonw.h"
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jsonw *w, FILE *f)
{
    w->f = f;
    w->len = 0;
    w->failed = false;
    w->depth = 0;
    w->after_key = false;
    memset(w->first, 0, sizeof w->first);
    memset(w->newline_items, 0, sizeof w->newline_items);
    w->first[0] = true;
}

static void flush_buf(struct jsonw *w) __attribute__((noinline));
static void flush_buf(struct jsonw *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len) w->failed = true;
    w->len = 0;
}

static inline void put(struct jsonw *w, const char *s, size_t n)
{
    if (w->len + n > sizeof w->buf) {
        flush_buf(w);
        if (n > sizeof w->buf) {
            if (fwrite(s, 1, n, w->f) != n) w->failed = true;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void putch(struct jsonw *w, char c)
{
    if (w->len == sizeof w->buf) flush_buf(w);
    w->buf[w->len++] = c;
}

/* Writes the separator a new value needs at the current level. */
static inline void sep(struct jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth]) putch(w, ',');
    if (w->depth > 0 && w->newline_items[w->depth]) putch(w, '\n');
    w->first[w->depth] = false;
}

static void push(struct jsonw *w, char c, bool lines)
{
    sep(w);
    putch(w, c);
    if (w->depth + 1 < JW_MAX_DEPTH) w->depth++;
    w->first[w->depth] = true;
    w->newline_items[w->depth] = lines;
}

static void pop(struct jsonw *w, char c)
{
    if (w->newline_items[w->depth] && !w->first[w->depth]) putch(w, '\n');
    if (w->depth > 0) w->depth--;
    putch(w, c);
}

void jw_obj_begin(struct jsonw *w)
{
    push(w, '{', false);
}

void jw_obj_end(struct jsonw *w)
{
    pop(w, '}');
}

void jw_arr_begin(struct jsonw *w, bool lines)
{
    push(w, '[', lines);
}

void jw_arr_end(struct jsonw *w)
{
    pop(w, ']');
}

void jw_key(struct jsonw *w, const char *key)
{
    sep(w);
    putch(w, '"');
    put(w, key, strlen(key));
    put(w, "\":", 2);
    w->after_key = true;
}

static inline void put_u64(struct jsonw *w, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "62636465666768697071727374757677787980818283848586878889909192"
                                "93949596979899";
    char b[24];
    int i = sizeof b;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100) * 2;
        v /= 100;
        b[--i] = pairs[r + 1];
        b[--i] = pairs[r];
    }
    if (v >= 10) {
        b[--i] = pairs[v * 2 + 1];
        b[--i] = pairs[v * 2];
    } else {
        b[--i] = (char)('0' + v);
    }
    put(w, b + i, sizeof b - (size_t)i);
}

void jw_u64(struct jsonw *w, uint64_t v)
{
    sep(w);
    put_u64(w, v);
}

void jw_i64(struct jsonw *w, int64_t v)
{
    sep(w);
    if (v < 0) {
        putch(w, '-');
        put_u64(w, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(w, (uint64_t)v);
    }
}

void jw_double(struct jsonw *w, double v, int decimals)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    sep(w);
    /* %f of a double needs up to 309 digits before the point */
    char b[400];
    if (decimals < 0) decimals = 0;
    if (decimals > 9) decimals = 9;
    int n = snprintf_c(b, sizeof b, "%.*f", decimals, v); /* a decimal point in every locale */
    if (n > 0 && (size_t)n < sizeof b)
        put(w, b, (size_t)n);
    else
        put(w, "null", 4);
}

void jw_bool(struct jsonw *w, bool v)
{
    sep(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void jw_null(struct jsonw *w)
{
    sep(w);
    put(w, "null", 4);
}

/*
 * The body of a JSON string (RFC 8259, section 7): only '"', '\\' and the controls
 * U+0000..U+001F are escaped ('/' and DEL are not: nothing requires it); valid UTF-8 is
 * copied as it is and every byte that is not part of a valid character becomes U+FFFD.
 * out has room for 6 * len bytes (every byte a control written as \u00XX). Returns the
 * bytes written.
 */
static size_t escape_body(char *out, const unsigned char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = (char)c;
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t l = utf8_char_len(s + i, len - i);
            if (l == 0) {
                memcpy(o, "\xef\xbf\xbd", 3);
                o += 3;
                i++;
            } else {
                memcpy(o, s + i, l);
                o += l;
                i += l;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 0xf];
            o += 5;
            break;
        }
        i++;
    }
    return (size_t)(o - out);
}

size_t jw_quote(char *out, const char *s, size_t len)
{
    out[0] = '"';
    size_t n = 1 + escape_body(out + 1, (const unsigned char *)s, len);
    out[n++] = '"';
    return n;
}

/* Pieces of a long string are escaped this many bytes at a time, straight into the buffer. */
#define ESCAPE_PIECE 4096

void jw_str(struct jsonw *w, const char *s)
{
    sep(w);
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    putch(w, '"');
    while (len) {
        size_t n = len;
        if (n > ESCAPE_PIECE) {
            /* cut before a character's first byte, so that no valid character is split */
            n = ESCAPE_PIECE;
            for (size_t back = 0; back < 3 && (u[n] & 0xc0) == 0x80; back++) n--;
        }
        if (w->len + 6 * n > sizeof w->buf) flush_buf(w);
        w->len += escape_body(w->buf + w->len, u, n);
        u += n;
        len -= n;
    }
    putch(w, '"');
}

static bool plain(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_.:%+-", c)))
            return false;
    }
    return true;
}

void jw_str_plain(struct jsonw *w, const char *s)
{
    if (!plain(s)) {
        jw_str(w, s);
        return;
    }
    sep(w);
    putch(w, '"');
    put(w, s, strlen(s));
    putch(w, '"');
}

void jw_literal(struct jsonw *w, const char *lit)
{
    sep(w);
    put(w, lit, strlen(lit));
}

int jw_finish(struct jsonw *w)
{
    putch(w, '\n');
    flush_buf(w);
    return !w->failed && fflush(w->f) == 0 && !ferror(w->f) ? 0 : -1;
}
