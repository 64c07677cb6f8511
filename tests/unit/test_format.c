/*
 * format: the short texts of tables (keys, perms, sizes, times, ages, rates, percentages,
 * status words) and the sanitizers that stand between kernel-provided text and a terminal
 * or a JSON document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "format.h"

static void test_fmt_key(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_key(b, 0), "0x00000000");
    assert_string_equal(fmt_key(b, 0x1234abcd), "0x1234abcd");
    assert_string_equal(fmt_key(b, 0xfe606d95), "0xfe606d95"); /* /proc said -27234923 */
    assert_string_equal(fmt_key(b, UINT32_MAX), "0xffffffff");
    assert_ptr_equal(fmt_key(b, 1), b);
}

static void test_fmt_perms(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_perms(b, 0640), "640");
    assert_string_equal(fmt_perms(b, 0), "000");
    assert_string_equal(fmt_perms(b, 07), "007");
    /* SHM_DEST / SHM_LOCKED are status words, not permission digits */
    assert_string_equal(fmt_perms(b, 01600), "600");
    assert_string_equal(fmt_perms(b, 03777), "777");
}

static void test_fmt_size(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_size(b, 0), "0");
    assert_string_equal(fmt_size(b, 512), "512");
    assert_string_equal(fmt_size(b, 1023), "1023");
    assert_string_equal(fmt_size(b, 1024), "1K");
    assert_string_equal(fmt_size(b, 1536), "1.5K");
    assert_string_equal(fmt_size(b, 4096), "4K");
    assert_string_equal(fmt_size(b, 10240), "10K");
    assert_string_equal(fmt_size(b, 15 * 1024 + 512), "16K"); /* no decimal from 10 up */
    assert_string_equal(fmt_size(b, 10 << 20), "10M");
    assert_string_equal(fmt_size(b, 3 << 19), "1.5M");
    assert_string_equal(fmt_size(b, UINT64_C(16) << 30), "16G");
    assert_string_equal(fmt_size(b, UINT64_C(1) << 40), "1T");
    assert_string_equal(fmt_size(b, UINT64_C(1) << 50), "1P");
    assert_string_equal(fmt_size(b, UINT64_C(1) << 60), "1E");
    assert_string_equal(fmt_size(b, UINT64_MAX), "16E");
    assert_string_equal(fmt_size(b, UINT64_MAX - 4096), "16E");
    /* no "1.0K": a whole value drops its decimal */
    assert_string_equal(fmt_size(b, 1025), "1K");
}

static int64_t utc(int y, int mon, int d, int h, int mi, int s)
{
    struct tm t = {.tm_year = y - 1900,
                   .tm_mon = mon - 1,
                   .tm_mday = d,
                   .tm_hour = h,
                   .tm_min = mi,
                   .tm_sec = s};
    return (int64_t)timegm(&t);
}

static int utc_setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

static void test_fmt_time(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    int64_t now = utc(2026, 11, 21, 14, 5, 33);
    assert_string_equal(fmt_time(b, 0, now), "-");
    assert_string_equal(fmt_time(b, utc(2026, 11, 21, 0, 0, 1), now), "00:00:01");
    assert_string_equal(fmt_time(b, utc(2026, 11, 21, 23, 59, 59), now), "23:59:59");
    assert_string_equal(fmt_time(b, utc(2025, 11, 21, 9, 7, 0), now), "2025-11-21");
    assert_string_equal(fmt_time(b, utc(1970, 1, 2, 0, 0, 0), now), "1970-01-02");
    assert_string_equal(fmt_time(b, utc(2027, 1, 1, 0, 0, 0), now), "2027-01-01");
}

static void test_fmt_time_same_year(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    int64_t now = utc(2026, 11, 21, 14, 5, 33);
    /* format.h: "MonDD HH:MM" the same year, as lsipc */
    assert_string_equal(fmt_time(b, utc(2026, 11, 20, 23, 59, 0), now), "Nov20 23:59");
    assert_string_equal(fmt_time(b, utc(2026, 3, 5, 9, 7, 0), now), "Mar05 09:07");
}

static void test_fmt_time_full(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_time_full(b, 0), "-");
    assert_string_equal(fmt_time_full(b, utc(2026, 11, 21, 14, 5, 33)), "2026-11-21 14:05:33");
}

static void test_fmt_age(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_age(b, -1), "-");
    assert_string_equal(fmt_age(b, INT64_MIN), "-");
    assert_string_equal(fmt_age(b, 0), "0s");
    assert_string_equal(fmt_age(b, 42), "42s");
    assert_string_equal(fmt_age(b, 59), "59s");
    assert_string_equal(fmt_age(b, 60), "1m00s");
    assert_string_equal(fmt_age(b, 192), "3m12s");
    assert_string_equal(fmt_age(b, 3599), "59m59s");
    assert_string_equal(fmt_age(b, 3600), "1h00m");
    assert_string_equal(fmt_age(b, 2 * 3600 + 5 * 60 + 59), "2h05m");
    assert_string_equal(fmt_age(b, 86399), "23h59m");
    assert_string_equal(fmt_age(b, 86400), "1d00h");
    assert_string_equal(fmt_age(b, 4 * 86400 + 2 * 3600 + 3599), "4d02h");
    assert_string_equal(fmt_age(b, INT64_MAX), "106751991167300d15h");
}

static void test_fmt_rate(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_rate(b, 0, false), "0/s");
    assert_string_equal(fmt_rate(b, 0.04, false), "0/s");
    assert_string_equal(fmt_rate(b, -0.04, true), "0/s");
    assert_string_equal(fmt_rate(b, 12, false), "+12/s");
    assert_string_equal(fmt_rate(b, -3.5, false), "-3.5/s");
    assert_string_equal(fmt_rate(b, 0.5, false), "+0.5/s");
    assert_string_equal(fmt_rate(b, 2.0, false), "+2/s");
    assert_string_equal(fmt_rate(b, 12.7, false), "+13/s");
    assert_string_equal(fmt_rate(b, 1536, false), "+1536/s"); /* messages: no units */
    assert_string_equal(fmt_rate(b, 1536, true), "+1.5K/s");
    assert_string_equal(fmt_rate(b, -1536, true), "-1.5K/s");
    assert_string_equal(fmt_rate(b, 512, true), "+512/s");
    assert_string_equal(fmt_rate(b, -10485760, true), "-10M/s");
    assert_string_equal(fmt_rate(b, INFINITY, true), "?");
    assert_string_equal(fmt_rate(b, NAN, false), "?");
}

static void test_fmt_percent(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    assert_string_equal(fmt_percent(b, 12, 100), "12%");
    assert_string_equal(fmt_percent(b, 0, 100), "0%");
    assert_string_equal(fmt_percent(b, 100, 100), "100%");
    assert_string_equal(fmt_percent(b, 3, 2), "150%");
    assert_string_equal(fmt_percent(b, 15, 1000), "1.5%");
    assert_string_equal(fmt_percent(b, 1, 1000), "0.1%");
    assert_string_equal(fmt_percent(b, 1, 100000), "<0.1%"); /* not "0%": something is used */
    assert_string_equal(fmt_percent(b, 5, 0), "?");
    assert_string_equal(fmt_percent(b, 5, -1), "?");
}

static void test_fmt_shm_status(void **state)
{
    (void)state;
    char b[FMT_BUFSZ];
    struct shm_segment g = {0};
    g.c.valid = FBIT(F_MODE);
    g.c.mode = 0600;
    assert_string_equal(fmt_shm_status(b, &g), "");
    g.c.mode = 01600;
    assert_string_equal(fmt_shm_status(b, &g), "dest");
    g.c.mode = 02600;
    assert_string_equal(fmt_shm_status(b, &g), "locked");
    g.c.mode = 03600;
    g.flags = SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED;
    assert_string_equal(fmt_shm_status(b, &g), "dest,locked,hugetlb");
    const char *w[4];
    assert_int_equal(shm_status_words(&g, w), 3);
    assert_string_equal(w[2], "hugetlb");
    /* unknown mode: its bits say nothing */
    g.c.valid = 0;
    assert_string_equal(fmt_shm_status(b, &g), "hugetlb");
    g.flags = 0;
    assert_int_equal(shm_status_words(&g, w), 0);
}

/* Strict UTF-8 check: shortest forms, no surrogates, nothing above U+10FFFF. */
static int valid_utf8(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        size_t n;
        uint32_t cp;
        if (c < 0x80)
            n = 1, cp = c;
        else if (c >= 0xc2 && c <= 0xdf)
            n = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 4, cp = c & 0x07;
        else
            return 0;
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xc0) != 0x80) return 0;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        s += n;
    }
    return 1;
}

static const char *san(const char *in, size_t inlen)
{
    static char out[256];
    return sanitize_text(out, sizeof out, in, inlen);
}
#define SAN(lit) san(lit, sizeof(lit) - 1)
#define FFFD     "\xef\xbf\xbd"

static void test_sanitize_text_controls(void **state)
{
    (void)state;
    assert_string_equal(SAN("plain text 123"), "plain text 123");
    assert_string_equal(SAN("\x1b[31mred\x1b[0m"), "?[31mred?[0m");
    assert_string_equal(SAN("bell\a"), "bell?");
    assert_string_equal(SAN("del\x7f"), "del?");
    assert_string_equal(SAN("tab\tnl\ncr\r"), "tab?nl?cr?");
    assert_string_equal(SAN("nul\0after"), "nul?after");
    /* 8-bit C1 controls (CSI is 0x9b): not UTF-8, one U+FFFD each, never the byte */
    assert_string_equal(SAN("\x9b"
                            "31m\x90"),
                        FFFD "31m" FFFD);
    assert_string_equal(san("", 0), "");
}

static void test_sanitize_text_c1_as_utf8(void **state)
{
    (void)state;
    /* C1 controls written as UTF-8 characters (U+009B CSI, U+0085 NEL): one control
     * character, one '?' (format.h: "control characters (C0, DEL, C1) ... become '?'") */
    const char *out = SAN("a\xc2\x9b"
                          "31mb");
    assert_null(strchr(out, '\xc2'));
    assert_null(strchr(out, '\x9b'));
    assert_string_equal(out, "a?31mb");
    assert_string_equal(SAN("\xc2\x85"), "?");
}

static void test_sanitize_text_invalid_utf8(void **state)
{
    (void)state;
    /* each byte that is not part of a valid character: U+FFFD, as in JSON, never '?' */
    assert_string_equal(SAN("\xff\xfe"), FFFD FFFD);
    assert_string_equal(SAN("a\x80z"), "a" FFFD "z");                  /* lone continuation */
    assert_string_equal(SAN("\xc0\xaf"), FFFD FFFD);                   /* overlong '/' */
    assert_string_equal(SAN("\xc1\xbf"), FFFD FFFD);                   /* overlong */
    assert_string_equal(SAN("\xe0\x80\xaf"), FFFD FFFD FFFD);          /* overlong, 3 bytes */
    assert_string_equal(SAN("\xf0\x80\x80\xaf"), FFFD FFFD FFFD FFFD); /* overlong, 4 bytes */
    assert_string_equal(SAN("\xed\xa0\x80"), FFFD FFFD FFFD);          /* surrogate U+D800 */
    assert_string_equal(SAN("\xed\xbf\xbf"), FFFD FFFD FFFD);          /* surrogate U+DFFF */
    assert_string_equal(SAN("\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    assert_string_equal(SAN("\xf5\x80\x80\x80"), FFFD FFFD FFFD FFFD);
    assert_string_equal(SAN("ab\xe2\x82"), "ab" FFFD FFFD); /* truncated at the end */
    assert_string_equal(SAN("\xe2\x82z"), FFFD FFFD "z");   /* truncated in the middle */
    assert_string_equal(SAN("\xf0\x9f\x98"), FFFD FFFD FFFD);
    /* a truncated input length cuts a valid character */
    assert_string_equal(san("x\xe2\x82\xac", 3), "x" FFFD FFFD);
}

static void test_sanitize_text_keeps_valid_multibyte(void **state)
{
    (void)state;
    const char *ok[] = {"caf\xc3\xa9",  "\xe2\x82\xac 5", "\xf0\x9f\x98\x80",
                        "\xc2\xa0nbsp", "\xef\xbf\xbd",   "\xf4\x8f\xbf\xbf",
                        "\xed\x9f\xbf", "\xee\x80\x80",   "\xe4\xb8\xad\xe6\x96\x87"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_string_equal(san(ok[i], strlen(ok[i])), ok[i]);
}

static void test_sanitize_text_limits(void **state)
{
    (void)state;
    char buf[16];
    /* outsz 0 writes nothing at all */
    memset(buf, 'Z', sizeof buf);
    sanitize_text(buf, 0, "abc", 3);
    assert_int_equal(buf[0], 'Z');
    /* outsz 1: just the terminator */
    sanitize_text(buf, 1, "abc", 3);
    assert_string_equal(buf, "");
    assert_int_equal(buf[1], 'Z');
    /* plain text is cut to outsz - 1 bytes */
    memset(buf, 'Z', sizeof buf);
    assert_string_equal(sanitize_text(buf, 4, "abcdef", 6), "abc");
    assert_int_equal(buf[4], 'Z');
    /* a character that does not fit is left out whole, never split */
    const char *euro = "a\xe2\x82\xac";
    for (size_t outsz = 1; outsz <= 6; outsz++) {
        memset(buf, 'Z', sizeof buf);
        sanitize_text(buf, outsz, euro, 4);
        assert_true(strlen(buf) < outsz);
        assert_int_equal(buf[outsz], 'Z');
        assert_true(valid_utf8(buf));
        assert_string_equal(buf, outsz <= 1 ? "" : outsz < 5 ? "a" : euro);
    }
    /* input longer than the output, made of replacements */
    memset(buf, 'Z', sizeof buf);
    sanitize_text(buf, 8, "\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b", 10);
    assert_string_equal(buf, "???????");
    assert_int_equal(buf[8], 'Z');
    /* a replacement character (3 bytes) fits only whole */
    for (size_t outsz = 1; outsz <= 8; outsz++) {
        memset(buf, 'Z', sizeof buf);
        sanitize_text(buf, outsz, "\xff\xff", 2);
        assert_int_equal(buf[outsz], 'Z');
        assert_true(valid_utf8(buf));
        assert_string_equal(buf, outsz < 4 ? "" : outsz < 7 ? FFFD : FFFD FFFD);
    }
    /* inlen is honoured: nothing after it is read */
    assert_string_equal(sanitize_text(buf, sizeof buf, "abcdef", 2), "ab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_key),
        cmocka_unit_test(test_fmt_perms),
        cmocka_unit_test(test_fmt_size),
        cmocka_unit_test(test_fmt_time),
        cmocka_unit_test(test_fmt_time_same_year),
        cmocka_unit_test(test_fmt_time_full),
        cmocka_unit_test(test_fmt_age),
        cmocka_unit_test(test_fmt_rate),
        cmocka_unit_test(test_fmt_percent),
        cmocka_unit_test(test_fmt_shm_status),
        cmocka_unit_test(test_sanitize_text_controls),
        cmocka_unit_test(test_sanitize_text_c1_as_utf8),
        cmocka_unit_test(test_sanitize_text_invalid_utf8),
        cmocka_unit_test(test_sanitize_text_keeps_valid_multibyte),
        cmocka_unit_test(test_sanitize_text_limits),
    };
    return cmocka_run_group_tests(tests, utc_setup, NULL);
}
