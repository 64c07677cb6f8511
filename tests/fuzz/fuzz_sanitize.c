/*
 * Harness: the two ways kernel text leaves ipctop — sanitize_text (to a terminal) and
 * jw_quote (a JSON string literal).
 *
 * sanitize_text's output must be valid UTF-8 with no control character at all (C0, DEL,
 * C1); it leaves clean text as it is, is idempotent, never writes past outsz, and a
 * smaller buffer gives a prefix of the full output that ends on a character boundary and
 * stops only when the next piece cannot fit.
 *
 * jw_quote's literal must fit JW_QUOTED_MAX, be valid UTF-8 with no raw byte below 0x20,
 * escape nothing RFC 8259 does not require ('/' and DEL stay as they are), and decode to
 * the input with each byte that is not part of a valid character replaced by U+FFFD.
 */
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "jsonw.h"

/* Length of the strict UTF-8 character at s (1-4), 0 if invalid; *cp gets its value. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80)
        len = 1, v = c;
    else if (c >= 0xc2 && c <= 0xdf)
        len = 2, v = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, v = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, v = c & 0x07;
    else
        return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10ffff ||
        (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* Valid UTF-8 over n bytes; with no_controls, no control character either. */
static bool clean(const char *s, size_t n, bool no_controls)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_char(u + i, n - i, &cp);
        if (l == 0 || (no_controls && is_control(cp))) return false;
        i += l;
    }
    return true;
}

static void check_text(const char *in, size_t inlen)
{
    /* the worst case: every byte replaced by U+FFFD */
    size_t fullsz = inlen * 3 + 1;
    char *full = malloc(fullsz);
    FUZZ_CHECK(full);
    FUZZ_CHECK(sanitize_text(full, fullsz, in, inlen) == full);
    size_t flen = strlen(full);
    FUZZ_CHECK(flen < fullsz);
    FUZZ_CHECK(clean(full, flen, true));
    /* clean input is left alone */
    if (clean(in, inlen, true)) {
        FUZZ_CHECK(flen == inlen);
        FUZZ_CHECK(memcmp(full, in, inlen) == 0);
    }
    /* idempotent */
    char *again = malloc(flen * 3 + 1);
    FUZZ_CHECK(again);
    sanitize_text(again, flen * 3 + 1, full, flen);
    FUZZ_CHECK(strcmp(again, full) == 0);
    free(again);
    /* smaller buffers, each allocated to its exact size so ASan sees any overflow */
    size_t sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 9, flen / 2 + 1, flen, flen + 1};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t outsz = sizes[k];
        char *out = malloc(outsz ? outsz : 1);
        FUZZ_CHECK(out);
        if (outsz == 0) out[0] = 'Z';
        sanitize_text(out, outsz, in, inlen);
        if (outsz == 0) {
            FUZZ_CHECK(out[0] == 'Z');
        } else {
            size_t olen = strnlen(out, outsz);
            FUZZ_CHECK(olen < outsz);
            FUZZ_CHECK(olen <= flen && memcmp(out, full, olen) == 0);
            FUZZ_CHECK(clean(out, olen, true));
            /* stopped early only when the next piece (at most 4 bytes) did not fit */
            if (olen < flen) FUZZ_CHECK(olen + 4 >= outsz);
        }
        free(out);
    }
    free(full);
}

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void check_json(const char *in, size_t inlen)
{
    size_t cap = JW_QUOTED_MAX(inlen);
    char *lit = malloc(cap ? cap : 1);
    FUZZ_CHECK(lit);
    size_t n = jw_quote(lit, in, inlen);
    FUZZ_CHECK(n >= 2 && n <= cap);
    FUZZ_CHECK(lit[0] == '"' && lit[n - 1] == '"');
    FUZZ_CHECK(clean(lit, n, false));
    /* what the input should read as: valid characters kept, bad bytes U+FFFD */
    char *want = malloc(inlen * 3 + 1), *got = malloc(inlen * 3 + 1);
    FUZZ_CHECK(want && got);
    size_t wl = 0, gl = 0;
    const unsigned char *u = (const unsigned char *)in;
    for (size_t i = 0; i < inlen;) {
        uint32_t cp;
        size_t l = utf8_char(u + i, inlen - i, &cp);
        if (l == 0) {
            memcpy(want + wl, "\xef\xbf\xbd", 3);
            wl += 3;
            i++;
        } else {
            memcpy(want + wl, u + i, l);
            wl += l;
            i += l;
        }
    }
    /* decode the literal: only the escapes RFC 8259 requires may appear */
    const unsigned char *q = (const unsigned char *)lit;
    for (size_t i = 1; i + 1 < n;) {
        unsigned char c = q[i];
        FUZZ_CHECK(c >= 0x20 && c != '"');
        if (c != '\\') {
            got[gl++] = (char)c;
            i++;
            continue;
        }
        FUZZ_CHECK(i + 2 < n);
        unsigned char e = q[i + 1];
        const char *shorts = "\"\\bfnrt", *vals = "\"\\\b\f\n\r\t";
        const char *at = strchr(shorts, e);
        if (e && at) {
            got[gl++] = vals[at - shorts];
            i += 2;
            continue;
        }
        FUZZ_CHECK(e == 'u' && i + 6 < n && q[i + 2] == '0' && q[i + 3] == '0');
        int hi = hexval(q[i + 4]), lo = hexval(q[i + 5]);
        FUZZ_CHECK(hi >= 0 && lo >= 0);
        int v = hi * 16 + lo;
        /* \u00XX only for the controls without a short form */
        FUZZ_CHECK(v < 0x20 && (v == 0 || !strchr("\b\f\n\r\t", v)));
        got[gl++] = (char)v;
        i += 6;
    }
    FUZZ_CHECK(gl == wl && memcmp(got, want, wl) == 0);
    free(want);
    free(got);
    free(lit);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    check_text(in, size);
    check_json(in, size);
    return 0;
}
