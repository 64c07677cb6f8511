/*
 * ui/inputfilter.c: what passes from the terminal to ncurses. Keys, valid SGR reports,
 * X10 reports (for an X10 terminal) and text pass unchanged, in any cut between reads; an
 * SGR report with more than 3 parameters or 6 digits (which overflows ncurses 6.4's stack)
 * is ended for ncurses with "!M" (an error, then a final byte: no event) and its rest dropped
 * — wherever "ESC [ <" appears in the stream ncurses reads, however it came to be there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inputfilter.h"

static bool x10; /* the terminal's mouse: X10 (kmous=\E[M) or SGR */

/* Feeds text in pieces of `piece` bytes, as reads may cut it. */
static char *through(const char *text, size_t len, size_t piece)
{
    static char out[8192];
    struct input_filter f;
    input_filter_init(&f, x10);
    size_t o = 0;
    for (size_t i = 0; i < len; i += piece) {
        size_t n = len - i < piece ? len - i : piece;
        unsigned char buf[INPUT_FILTER_OUT(64)];
        size_t k = input_filter_feed(&f, (const unsigned char *)text + i, n, buf);
        assert_true(k <= INPUT_FILTER_OUT(n));
        memcpy(out + o, buf, k);
        o += k;
    }
    out[o] = '\0';
    return out;
}

static void same_in_any_pieces(const char *text, const char *want)
{
    for (size_t piece = 1; piece <= 64; piece++) {
        const char *got = through(text, strlen(text), piece);
        if (strcmp(got, want) != 0)
            fail_msg("in pieces of %zu: '%s' came out as '%s', not '%s'", piece, text, got, want);
    }
}

static void test_passes(void **state)
{
    (void)state;
    static const char *const same[] = {
        "q",
        "caf\xc3\xa9 \xc4\x91",
        "\x1bOP\x1b[20~\x1b[21~\x1b[Z\x1b[5~\x1b[A\x1b[1;5C",
        "\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<64;3;3M\x1b[<65;120;40M",
        "\x1b[<0;999999;999999M",
        "\x1b[<\x01\x1b;5M", /* bytes ncurses skips as errors */
        "\x1b[M !!\x1b[M\x1b\x1b\x1b",
        "\x1b",
        "\x1b\x1b",
        "\x1b[",
        "x\x1b[<M",
        "\x7f\x15\r\n\t",
        "[<;;;;;;;;;;;;0M", /* no ESC: text */
    };
    for (int m = 0; m < 2; m++) {
        x10 = m;
        for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
            same_in_any_pieces(same[i], same[i]);
    }
}

static void test_forged_sgr_ended(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        x10 = m;
        same_in_any_pieces("a\x1b[<;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;0Mb", "a\x1b[<;;!Mb");
        same_in_any_pieces("\x1b[<1;1;1;1M", "\x1b[<1;1;1!M");
        same_in_any_pieces("\x1b[<1234567;1;1M", "\x1b[<123456!M");
        same_in_any_pieces("\x1b[<0;1;1M\x1b[<0;1;1;1;1;1;1;1;1;1;1;1;1M\x1b[<0;1;1m",
                           "\x1b[<0;1;1M\x1b[<0;1;1!M\x1b[<0;1;1m");
        /* "ESC [" then "ESC [ <": ncurses sees the second */
        same_in_any_pieces("\x1b[\x1b[<;;;;;;;;<;;;;;;;;;0", "\x1b[\x1b[<;;!M");
    }
    /* "ESC [ M" is a mouse report only for an X10 terminal: for an SGR one, what follows it
     * is read as usual (found by fuzz_keys) */
    x10 = false;
    same_in_any_pieces("\x1b[M\x1b[<;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;1d0", "\x1b[M\x1b[<;;!M0");
    x10 = true;
    same_in_any_pieces("\x1b[M\x1b[<;;;;;;;;1d0", "\x1b[M\x1b[<;;;;;;;;1d0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passes),
        cmocka_unit_test(test_forged_sgr_ended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
