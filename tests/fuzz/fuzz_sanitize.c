/*
 * Harness: sanitize_text (kernel text to a terminal) and sanitize_utf8 (to JSON).
 * sanitize_text's output must be valid UTF-8 with no control character at all (C0, DEL,
 * C1); sanitize_utf8's must be valid UTF-8. Both leave clean text as it is, are
 * idempotent, never write past outsz, and a smaller buffer gives a prefix of the full
 * output that ends on a character boundary and stops only when the next piece cannot fit.
 */
#include <string.h>

#include "format.h"
#include "fuzz.h"

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

typedef char *(*sanitizer)(char *, size_t, const char *, size_t);

static void check(sanitizer fn, bool text, const char *in, size_t inlen)
{
    /* the worst case: every byte replaced by U+FFFD */
    size_t fullsz = inlen * 3 + 1;
    char *full = malloc(fullsz);
    FUZZ_CHECK(full);
    FUZZ_CHECK(fn(full, fullsz, in, inlen) == full);
    size_t flen = strlen(full);
    FUZZ_CHECK(flen < fullsz);
    if (text) FUZZ_CHECK(flen <= inlen); /* one '?' per bad byte */
    bool has_nul = memchr(in, 0, inlen) != NULL;
    /* sanitize_utf8 keeps controls, NUL too, which ends the C string early */
    if (!text && has_nul) {
        free(full);
        return;
    }
    FUZZ_CHECK(clean(full, flen, text));
    /* clean input is left alone (known bug: sanitize_utf8 replaces the valid C1 controls
     * U+0080..U+009F, which it documents as kept) */
    bool c1 = false;
    for (size_t i = 0; FUZZ_SKIP_KNOWN_BUGS && i + 1 < inlen; i++)
        if ((unsigned char)in[i] == 0xc2 && (unsigned char)in[i + 1] < 0xa0) c1 = true;
    if (!c1 && !has_nul && clean(in, inlen, text)) {
        FUZZ_CHECK(flen == inlen);
        FUZZ_CHECK(memcmp(full, in, inlen) == 0);
    }
    /* idempotent */
    char *again = malloc(flen * 3 + 1);
    FUZZ_CHECK(again);
    fn(again, flen * 3 + 1, full, flen);
    FUZZ_CHECK(strcmp(again, full) == 0);
    free(again);
    /* smaller buffers, each allocated to its exact size so ASan sees any overflow */
    size_t sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 9, flen / 2 + 1, flen, flen + 1};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t outsz = sizes[k];
        char *out = malloc(outsz ? outsz : 1);
        FUZZ_CHECK(out);
        if (outsz == 0) out[0] = 'Z';
        fn(out, outsz, in, inlen);
        if (outsz == 0) {
            FUZZ_CHECK(out[0] == 'Z');
        } else {
            size_t olen = strnlen(out, outsz);
            FUZZ_CHECK(olen < outsz);
            FUZZ_CHECK(olen <= flen && memcmp(out, full, olen) == 0);
            FUZZ_CHECK(clean(out, olen, text));
            /* stopped early only when the next piece (at most 4 bytes) did not fit */
            if (olen < flen) FUZZ_CHECK(olen + 4 >= outsz);
        }
        free(out);
    }
    free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    check(sanitize_text, true, in, size);
    check(sanitize_utf8, false, in, size);
    return 0;
}
