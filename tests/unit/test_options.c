/*
 * options: every option in its short and long form, the values they refuse and the
 * sentences that say why, mode combinations, NO_COLOR, help and version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

static struct options opt;
static char err[256];

/* Runs options_parse on "ipctop" followed by the given arguments (NULL-terminated). */
static enum options_result run_args(const char *first, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"ipctop";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        assert_true(argc < 31);
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    argv[argc] = NULL;
    memset(&opt, 0xa5, sizeof opt); /* everything must be set by the parser */
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    return options_parse(argc, argv, &opt, err, sizeof err);
}
#define RUN(...) run_args(__VA_ARGS__, (const char *)NULL)

/* An error sentence: not empty, printable, naming `what` (or `alt`, when not NULL). */
static void assert_error2(enum options_result r, const char *what, const char *alt)
{
    if (r != OPT_ERROR) fail_msg("accepted, expected an error naming %s", what);
    assert_true(strlen(err) > 10);
    for (const char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            fail_msg("error sentence has byte 0x%02x: \"%s\"", (unsigned char)*p, err);
    if (!strstr(err, what) && !(alt && strstr(err, alt)))
        fail_msg("\"%s\" does not name %s", err, what);
}
#define assert_error(r, what) assert_error2(r, what, NULL)

static int env_setup(void **state)
{
    (void)state;
    unsetenv("NO_COLOR");
    return 0;
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(RUN(NULL), OPT_RUN);
    assert_int_equal(opt.mode, MODE_TUI);
    assert_false(opt.json);
    assert_true(opt.delay == 1.0);
    assert_int_equal(opt.iterations, 0);
    assert_false(opt.bytes);
    assert_int_equal(opt.force, FORCE_AUTO);
    assert_null(opt.sort);
    assert_false(opt.no_color);
    assert_false(opt.no_mouse);
    assert_false(opt.readonly);
    assert_false(opt.demo);
    assert_false(opt.delay_given);
    assert_int_equal(opt.older_than, 600);
    assert_true(opt.types[0] && opt.types[1] && opt.types[2]);
    assert_false(opt.dry_run);
    assert_false(opt.owner_given);
    assert_int_equal(opt.nkeys, 0);
    assert_false(opt.raw);
    assert_false(opt.dump_length_given);
    assert_int_equal(opt.dump_offset, 0);
    assert_null(opt.find_text);
    assert_int_equal(opt.find_len, 0);
    assert_null(opt.output);
    assert_null(opt.columns);
    assert_false(opt.noheadings);
    assert_false(opt.raw_table);
    assert_string_equal(err, "");
}

static void test_modes(void **state)
{
    (void)state;
    assert_int_equal(RUN("-b"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_BATCH);
    assert_int_equal(RUN("--batch"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_BATCH);
    assert_int_equal(RUN("-j"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_JSON);
    assert_true(opt.json);
    assert_int_equal(RUN("--json"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_JSON);
    assert_int_equal(RUN("-l"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_LIMITS);
    assert_false(opt.json);
    assert_int_equal(RUN("--limits", "--json"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_LIMITS);
    assert_true(opt.json);
    assert_int_equal(RUN("-jl"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_LIMITS);
    assert_true(opt.json);
}

static void test_mode_conflicts(void **state)
{
    (void)state;
    assert_error(RUN("-b", "--json"), "--json");
    assert_error(RUN("--json", "--batch"), "-b");
    assert_error(RUN("-bj"), "--json");
    assert_error(RUN("-b", "-l"), "--limits");
    assert_error(RUN("-b", "-l", "-j"), "--limits");
}

static void test_demo(void **state)
{
    (void)state;
    assert_int_equal(RUN("--demo"), OPT_RUN);
    assert_true(opt.demo);
    assert_int_equal(opt.mode, MODE_TUI);
    assert_int_equal(RUN("--demo", "-d", "0.5", "--readonly", "-M"), OPT_RUN);
    assert_true(opt.demo && opt.readonly && opt.no_mouse);
    assert_error(RUN("--demo", "-b"), "--demo");
    assert_error(RUN("--json", "--demo"), "--demo");
    assert_error(RUN("--demo", "--limits"), "--demo");
}

static void test_delay(void **state)
{
    (void)state;
    assert_int_equal(RUN("-d", "2"), OPT_RUN);
    assert_true(opt.delay == 2.0);
    assert_int_equal(RUN("-d0.5"), OPT_RUN);
    assert_true(opt.delay == 0.5);
    assert_int_equal(RUN("--delay", "0.25"), OPT_RUN);
    assert_true(opt.delay == 0.25);
    assert_int_equal(RUN("--delay=.5"), OPT_RUN);
    assert_true(opt.delay == 0.5);
    assert_int_equal(RUN("-d", "3."), OPT_RUN);
    assert_true(opt.delay == 3.0);
    assert_int_equal(RUN("-d", "0.05"), OPT_RUN); /* the smallest */
    assert_true(opt.delay == 0.05);
    assert_int_equal(RUN("-d", "86400"), OPT_RUN); /* the largest */
    assert_true(opt.delay == 86400.0);
}

static void test_delay_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {"0",
                                      "-1",
                                      "abc",
                                      "1e3",
                                      "inf",
                                      "nan",
                                      "",
                                      ".",
                                      "1.2.3",
                                      "0x10",
                                      " 1",
                                      "1 ",
                                      "+1",
                                      "0.01",
                                      "86401",
                                      "1,5",
                                      "99999999999999999999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_error(RUN("-d", bad[i]), "-d");
        assert_non_null(strstr(err, bad[i])); /* and quotes what it got */
    }
    assert_error(RUN("--delay=0"), "-d");
    assert_error(RUN("--delay", "-1"), "-d");
}

static void test_parse_seconds(void **state)
{
    (void)state;
    double v = -1;
    assert_true(parse_seconds("1.5", &v));
    assert_true(v == 1.5);
    assert_true(parse_seconds("0", &v));
    assert_true(v == 0);
    v = 7;
    assert_false(parse_seconds(NULL, &v));
    assert_false(parse_seconds("", &v));
    assert_false(parse_seconds("-2", &v));
    assert_false(parse_seconds("2s", &v));
    assert_false(parse_seconds("1e1", &v));
    assert_false(parse_seconds("INF", &v));
    assert_false(parse_seconds("..", &v));
    assert_true(v == 7); /* untouched on failure */
}

static void test_iterations(void **state)
{
    (void)state;
    assert_int_equal(RUN("-n", "3"), OPT_RUN);
    assert_int_equal(opt.iterations, 3);
    assert_int_equal(RUN("--iterations=1"), OPT_RUN);
    assert_int_equal(opt.iterations, 1);
    assert_int_equal(RUN("-n10"), OPT_RUN);
    assert_int_equal(opt.iterations, 10);
    static const char *const bad[] = {"0", "x", "-1", "1.5", "", "3x", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_error(RUN("-n", bad[i]), "-n");
}

/* Modes that refresh again and again are the ones that trade wall time for CPU (collect.h:
 * one_thread) and keep their memory (main.c) */
static void test_repeats(void **state)
{
    (void)state;
    assert_int_equal(RUN(NULL), OPT_RUN);
    assert_true(options_repeats(&opt));
    assert_int_equal(RUN("-b"), OPT_RUN);
    assert_true(options_repeats(&opt));
    assert_int_equal(RUN("-b", "-n", "3"), OPT_RUN);
    assert_true(options_repeats(&opt));
    assert_int_equal(RUN("-b", "-n", "1"), OPT_RUN);
    assert_false(options_repeats(&opt));
    assert_int_equal(RUN("--json"), OPT_RUN);
    assert_false(options_repeats(&opt));
    assert_int_equal(RUN("--limits"), OPT_RUN);
    assert_false(options_repeats(&opt));
    assert_int_equal(RUN("--reap", "--dry-run"), OPT_RUN);
    assert_false(options_repeats(&opt));
}

static void test_display_options(void **state)
{
    (void)state;
    assert_int_equal(RUN("--bytes", "-s", "size", "-M", "--readonly"), OPT_RUN);
    assert_true(opt.bytes);
    assert_string_equal(opt.sort, "size");
    assert_true(opt.no_mouse);
    assert_true(opt.readonly);
    assert_int_equal(RUN("--sort=nattch", "--no-mouse"), OPT_RUN);
    assert_string_equal(opt.sort, "nattch");
    assert_true(opt.no_mouse);
    assert_int_equal(RUN("--no-color"), OPT_RUN);
    assert_true(opt.no_color);
    assert_int_equal(RUN("--no-colour"), OPT_RUN);
    assert_true(opt.no_color);
    /* long options may be abbreviated when unambiguous */
    assert_int_equal(RUN("--read"), OPT_RUN);
    assert_true(opt.readonly);
}

static void test_no_color_env(void **state)
{
    (void)state;
    setenv("NO_COLOR", "1", 1);
    assert_int_equal(RUN("-b"), OPT_RUN);
    assert_true(opt.no_color);
    setenv("NO_COLOR", "", 1); /* no-color.org: set and not empty */
    assert_int_equal(RUN("-b"), OPT_RUN);
    assert_false(opt.no_color);
    unsetenv("NO_COLOR");
    assert_int_equal(RUN("-b"), OPT_RUN);
    assert_false(opt.no_color);
}

static void test_source(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum collect_force f;
    } ok[] = {{"auto", FORCE_AUTO},
              {"stat_any", FORCE_STAT_ANY},
              {"stat", FORCE_STAT},
              {"procfs", FORCE_PROCFS}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(RUN("--source", ok[i].name), OPT_RUN);
        assert_int_equal(opt.force, ok[i].f);
        char eq[32];
        snprintf(eq, sizeof eq, "--source=%s", ok[i].name);
        assert_int_equal(RUN(eq), OPT_RUN);
        assert_int_equal(opt.force, ok[i].f);
    }
    assert_error(RUN("--source", "sysfs"), "--source");
    assert_non_null(strstr(err, "sysfs"));
    assert_error(RUN("--source", "PROCFS"), "--source");
    assert_error(RUN("--source", ""), "--source");
    assert_error(RUN("--source", "stat_"), "--source");
}

static void test_reap(void **state)
{
    (void)state;
    assert_int_equal(RUN("--reap"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_REAP);
    assert_int_equal(RUN("--reap", "--dry-run", "--json"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_REAP);
    assert_true(opt.dry_run && opt.json);
    assert_int_equal(RUN("--reap", "--type", "sem,msg", "--owner", "root", "--older-than=2h"),
                     OPT_RUN);
    assert_false(opt.types[0]);
    assert_true(opt.types[1] && opt.types[2]);
    assert_true(opt.owner_given);
    assert_int_equal(opt.owner_uid, 0);
    assert_int_equal(opt.older_than, 7200);
    assert_int_equal(RUN("--reap", "--owner", "4000000000"), OPT_RUN);
    assert_int_equal(opt.owner_uid, 4000000000u);
    assert_int_equal(
        RUN("--reap", "--key", "0x1234abcd", "--key", "-27234923", "--key", "4294967295"), OPT_RUN);
    assert_int_equal(opt.nkeys, 3);
    assert_int_equal(opt.keys[0], 0x1234abcd);
    assert_int_equal(opt.keys[1], 0xfe606d95);
    assert_int_equal(opt.keys[2], 0xffffffff);
    /* --older-than also feeds the monitor's leak column: no --reap needed */
    assert_int_equal(RUN("--older-than", "30s"), OPT_RUN);
    assert_int_equal(opt.older_than, 30);
    assert_int_equal(RUN("--older-than", "1d"), OPT_RUN);
    assert_int_equal(opt.older_than, 86400);
    assert_int_equal(RUN("--older-than", "45"), OPT_RUN);
    assert_int_equal(opt.older_than, 45);
}

static void test_reap_rejected(void **state)
{
    (void)state;
    /* options of --reap alone */
    assert_error(RUN("--dry-run"), "--dry-run");
    assert_error(RUN("--type", "shm"), "--type");
    assert_error(RUN("--owner", "root"), "--owner");
    assert_error(RUN("-b", "--key", "1"), "--key");
    /* values */
    static const char *const durations[] = {
        "", "-1", "1.5h", "10x", "1mm", "m", "9223372036854775807d"};
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++)
        assert_error(RUN("--older-than", durations[i]), "--older-than");
    static const char *const types[] = {"", "shm,foo", "SHM", "all", ",", "shm sem"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        assert_error(RUN("--reap", "--type", types[i]), "--type");
    assert_error(RUN("--reap", "--owner", "no-such-user-here"), "no-such-user-here");
    assert_error(RUN("--reap", "--owner", "4294967296"), "--owner");
    static const char *const keys[] = {"",    "0x",   "0x100000000", "4294967296", "-2147483649",
                                       "key", "12ab", "0xfg"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_error(RUN("--reap", "--key", keys[i]), "--key");
    /* combinations */
    assert_error(RUN("--reap", "-b"), "--reap");
    assert_error(RUN("--reap", "--limits"), "--reap");
    assert_error(RUN("--demo", "--reap"), "--reap");
}

static void test_key_sign_inside_hex(void **state)
{
    (void)state;
    /* "0x hex or decimal": a sign after 0x is neither, not key 0xfffffffb */
    assert_error(RUN("--reap", "--key", "0x-5"), "--key");
    assert_error(RUN("--reap", "--key", "0x+5"), "--key");
}

static void test_too_many_keys(void **state)
{
    (void)state;
    char *argv[2 + 2 * (OPT_MAX_KEYS + 1) + 1];
    char vals[OPT_MAX_KEYS + 1][16];
    int argc = 0;
    argv[argc++] = (char *)"ipctop";
    argv[argc++] = (char *)"--reap";
    for (int i = 0; i < OPT_MAX_KEYS; i++) {
        snprintf(vals[i], sizeof vals[i], "%d", i + 1);
        argv[argc++] = (char *)"--key";
        argv[argc++] = vals[i];
    }
    argv[argc] = NULL;
    assert_int_equal(options_parse(argc, argv, &opt, err, sizeof err), OPT_RUN);
    assert_int_equal(opt.nkeys, OPT_MAX_KEYS);
    assert_int_equal(opt.keys[OPT_MAX_KEYS - 1], OPT_MAX_KEYS);
    snprintf(vals[OPT_MAX_KEYS], sizeof vals[0], "%d", OPT_MAX_KEYS + 1);
    argv[argc++] = (char *)"--key";
    argv[argc++] = vals[OPT_MAX_KEYS];
    argv[argc] = NULL;
    assert_error2(options_parse(argc, argv, &opt, err, sizeof err), "--key", NULL);
}

static void test_dump_peek(void **state)
{
    (void)state;
    assert_int_equal(RUN("--dump", "32769"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_DUMP);
    assert_int_equal(opt.dump_id, 32769);
    assert_false(opt.dump_length_given);
    assert_int_equal(RUN("--dump=0x8001", "--offset", "0x1000", "--length", "256", "--raw"),
                     OPT_RUN);
    assert_int_equal(opt.dump_id, 0x8001);
    assert_int_equal(opt.dump_offset, 0x1000);
    assert_int_equal(opt.dump_length, 256);
    assert_true(opt.dump_length_given);
    assert_true(opt.raw);
    assert_int_equal(RUN("--dump", "0", "--length", "0"), OPT_RUN);
    assert_true(opt.dump_length_given);
    assert_int_equal(opt.dump_length, 0);
    assert_int_equal(RUN("--dump", "2147483647", "--offset", "18446744073709551615"), OPT_RUN);
    assert_int_equal(opt.dump_id, INT32_MAX);
    assert_true(opt.dump_offset == UINT64_MAX);
    /* sizes as the viewer's goto takes them (one parser: parse_bytes) */
    assert_int_equal(RUN("--dump", "1", "--offset", "4K", "--length", "0x10k"), OPT_RUN);
    assert_true(opt.dump_offset == 4096 && opt.dump_length == 16384);
    assert_int_equal(RUN("--dump", "1", "--offset", "1g", "--length", "2M"), OPT_RUN);
    assert_true(opt.dump_offset == (UINT64_C(1) << 30) && opt.dump_length == (UINT64_C(2) << 20));
    assert_int_equal(RUN("--dump", "1", "--offset", "17179869183G"), OPT_RUN);
    /* --find: text, "quoted text", hex bytes, as the viewer's search takes them */
    assert_int_equal(RUN("--dump", "1", "--find", "needle"), OPT_RUN);
    assert_string_equal(opt.find_text, "needle");
    assert_int_equal(opt.find_len, 6);
    assert_memory_equal(opt.find, "needle", 6);
    assert_null(opt.output);
    assert_int_equal(RUN("--dump", "1", "--find=0x4142"), OPT_RUN);
    assert_int_equal(opt.find_len, 2);
    assert_memory_equal(opt.find, "AB", 2);
    assert_int_equal(RUN("--dump", "1", "--find", "de ad be ef", "--raw"), OPT_RUN);
    assert_int_equal(opt.find_len, 4);
    assert_memory_equal(opt.find, "\xde\xad\xbe\xef", 4);
    assert_int_equal(RUN("--dump", "1", "--find", "\"de ad\""), OPT_RUN);
    assert_int_equal(opt.find_len, 5);
    assert_memory_equal(opt.find, "de ad", 5);
    assert_int_equal(RUN("--dump", "1", "--find", "cafe"), OPT_RUN); /* one word: text */
    assert_memory_equal(opt.find, "cafe", 4);
    /* --output: a file name, for the hexdump or the raw bytes */
    assert_int_equal(RUN("--dump", "1", "--output", "out.txt", "--offset", "16"), OPT_RUN);
    assert_string_equal(opt.output, "out.txt");
    assert_int_equal(opt.dump_offset, 16);
    assert_int_equal(RUN("--dump", "1", "--output=-", "--raw", "--find", "x"), OPT_RUN);
    assert_string_equal(opt.output, "-"); /* a file named "-": stdout is without --output */
    assert_true(opt.raw);
    assert_int_equal(RUN("--peek", "65536"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_PEEK);
    assert_int_equal(opt.peek_id, 65536);
    assert_int_equal(RUN("--peek", "1", "--json"), OPT_RUN); /* messages as JSON */
    assert_int_equal(opt.mode, MODE_PEEK);
    assert_true(opt.json);
}

static void test_dump_peek_rejected(void **state)
{
    (void)state;
    static const char *const ids[] = {"",   "-1", "2147483648", "abc", "010",
                                      "0x", " 5", "5 ",         "+5",  "1e3"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_error(RUN("--dump", ids[i]), "--dump");
        assert_error(RUN("--peek", ids[i]), "--peek");
    }
    static const char *const sizes[] = {"",    "-1",           "18446744073709551616",
                                        "08",  "0x",           "1KB",
                                        "1T",  "17179869184G", "K",
                                        "1 K", "0xK",          "1e3",
                                        "4K4"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_error(RUN("--dump", "1", "--offset", sizes[i]), "--offset");
        assert_error(RUN("--dump", "1", "--length", sizes[i]), "--length");
    }
    /* options of --dump alone */
    assert_error(RUN("--offset", "1"), "--offset");
    assert_error(RUN("--length", "1"), "--length");
    assert_error(RUN("--raw"), "--raw");
    assert_error(RUN("--peek", "1", "--raw"), "--raw");
    assert_error(RUN("--find", "x"), "--find");
    assert_error(RUN("--peek", "1", "--find", "x"), "--find");
    assert_error(RUN("--output", "f"), "--output");
    assert_error(RUN("-b", "--output", "f"), "--output");
    /* what --find cannot look for, --output cannot write to */
    static const char *const pats[] = {"", "0x", "\"\"", "0x414", "0xZZ", "de a be", "0x41 4"};
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
        assert_error(RUN("--dump", "1", "--find", pats[i]), "--find");
    assert_error(RUN("--dump", "1", "--find", "0x\x1b[2J"), "--find"); /* shown sanitized */
    assert_null(strchr(err, '\x1b'));
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_error(RUN("--dump", "1", "--find", big), "at most 256 bytes");
    big[256] = '\0';
    assert_int_equal(RUN("--dump", "1", "--find", big), OPT_RUN);
    assert_int_equal(opt.find_len, 256);
    assert_error(RUN("--dump", "1", "--output", ""), "--output");
    assert_error(RUN("--dump", "1", "--output"), "--output");
    /* modes of their own */
    assert_error(RUN("--dump", "1", "--peek", "2"), "--dump");
    assert_error(RUN("--dump", "1", "--reap"), "--dump");
    assert_error(RUN("--peek", "1", "-b"), "--peek");
    assert_error(RUN("--peek", "1", "--limits"), "--peek");
    assert_error(RUN("--demo", "--dump", "1"), "--dump");
    assert_error(RUN("--dump", "1", "--json"), "--dump");
}

static void test_help_version(void **state)
{
    (void)state;
    assert_int_equal(RUN("-h"), OPT_HELP);
    assert_int_equal(RUN("--help"), OPT_HELP);
    assert_int_equal(RUN("-V"), OPT_VERSION);
    assert_int_equal(RUN("--version"), OPT_VERSION);
    assert_int_equal(RUN("-b", "--help"), OPT_HELP);
    /* an error before --help is still an error */
    assert_int_equal(RUN("-n", "0", "--help"), OPT_ERROR);
    const char *u = options_usage();
    static const char *const documented[] = {
        "--batch", "--json",     "--limits",   "--delay",    "--iterations", "--bytes",
        "--sort",  "--no-color", "--no-mouse", "--readonly", "--demo",       "--source",
        "--help",  "--version",  "stat_any",   "procfs",     "--find",       "--output"};
    for (size_t i = 0; i < sizeof documented / sizeof documented[0]; i++)
        if (!strstr(u, documented[i])) fail_msg("--help does not mention %s", documented[i]);
}

static void test_unknown_and_stray(void **state)
{
    (void)state;
    assert_error(RUN("-x"), "-x");
    assert_error(RUN("--frobnicate"), "--frobnicate");
    assert_error(RUN("-bx"), "-x");
    assert_error(RUN("extra"), "extra");
    assert_error(RUN("-b", "--", "extra"), "extra");
    assert_error(RUN("--no"), "--no"); /* ambiguous: --no-color or --no-mouse */
}

static void test_missing_value(void **state)
{
    (void)state;
    assert_error(RUN("-d"), "-d");
    assert_error(RUN("-n"), "-n");
    assert_error(RUN("-s"), "-s");
    /* the long form may be named by its short one */
    assert_error2(RUN("-b", "--delay"), "--delay", "-d");
    assert_error2(RUN("--iterations"), "--iterations", "-n");
    assert_error2(RUN("--sort"), "--sort", "-s");
}

static void test_missing_value_long_only(void **state)
{
    (void)state;
    /* --source has no short form: the sentence must still name it, in plain text */
    assert_error(RUN("--source"), "--source");
}

/* A value given to an option that takes none. */
static void test_value_to_flag(void **state)
{
    (void)state;
    /* -j exists: calling it unknown sends the user to the wrong fix */
    assert_error(RUN("--json=yes"), "--json");
}

static void test_value_to_long_only_flag(void **state)
{
    (void)state;
    assert_error(RUN("--bytes=1"), "--bytes");
    assert_error(RUN("--readonly=no"), "--readonly");
}

static void test_parse_twice(void **state)
{
    (void)state;
    assert_int_equal(RUN("-b", "-n", "3", "-d", "0.5"), OPT_RUN);
    assert_int_equal(opt.iterations, 3);
    /* getopt state from the first run must not leak into the second */
    assert_int_equal(RUN("-j"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_JSON);
    assert_int_equal(opt.iterations, 0);
    assert_true(opt.delay == 1.0);
    assert_error(RUN("-q"), "-q");
    assert_int_equal(RUN("-b", "-n", "2"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_BATCH);
    assert_int_equal(opt.iterations, 2);
    assert_int_equal(RUN("-n", "2", "-b"), OPT_RUN);
    assert_int_equal(opt.mode, MODE_BATCH);
}

/* lsipc's options for batch frames: -o/--output, --noheadings, --raw (which with --dump
 * keeps its meaning: the bytes themselves). */
static void test_batch_output(void **state)
{
    (void)state;
    assert_int_equal(RUN("-b", "-o", "key,ID,msg/s"), OPT_RUN);
    assert_string_equal(opt.columns, "key,ID,msg/s");
    assert_int_equal(RUN("-b", "--output=+rss"), OPT_RUN);
    assert_string_equal(opt.columns, "+rss");
    assert_int_equal(RUN("-bo", "nsems"), OPT_RUN);
    assert_string_equal(opt.columns, "nsems");
    assert_int_equal(RUN("-b", "--noheadings", "--raw"), OPT_RUN);
    assert_true(opt.noheadings);
    assert_true(opt.raw_table);
    assert_false(opt.raw); /* not the bytes of --dump */
    assert_int_equal(RUN("--raw", "-b"), OPT_RUN);
    assert_true(opt.raw_table);
    assert_int_equal(RUN("--dump", "1", "--raw"), OPT_RUN);
    assert_true(opt.raw);
    assert_false(opt.raw_table);

    assert_error(RUN("-b", "-o", "nosuch"), "'nosuch'");
    assert_error(RUN("-b", "-o", "key,,id"), "-o");
    assert_error(RUN("-b", "-o", ""), "-o");
    assert_error(RUN("-b", "-o"), "-o");
    assert_error(RUN("-b", "--output"), "--output");
    assert_error(RUN("-b", "--output", "nosuch"), "--output: no column is named 'nosuch'");
    /* an empty value: what it may be, and the names (the completion reads them) */
    assert_error(RUN("-o", ""), "columns are key id");
    /* -o is the file with --dump */
    assert_int_equal(RUN("--dump", "1", "-o", "out.txt"), OPT_RUN);
    assert_string_equal(opt.output, "out.txt");
    assert_null(opt.columns);
    assert_int_equal(RUN("-b", "-o", "key"), OPT_RUN);
    assert_null(opt.output);
    /* they shape batch frames only */
    assert_error(RUN("-o", "key"), "-b");
    assert_error(RUN("--noheadings"), "-b");
    assert_error(RUN("--json", "-o", "key"), "-b");
    assert_error(RUN("--raw"), "-b");
    assert_error(RUN("--raw"), "--dump");
    assert_error(RUN("--limits", "--raw"), "--raw");
}

static void test_small_error_buffer(void **state)
{
    (void)state;
    char *argv[] = {(char *)"ipctop", (char *)"-d", (char *)"nope", NULL};
    char small[8];
    memset(small, 'Q', sizeof small);
    assert_int_equal(options_parse(3, argv, &opt, small, 5), OPT_ERROR);
    assert_int_equal(strlen(small), 4);
    assert_int_equal(small[5], 'Q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_mode_conflicts),
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_delay),
        cmocka_unit_test(test_delay_rejected),
        cmocka_unit_test(test_parse_seconds),
        cmocka_unit_test(test_iterations),
        cmocka_unit_test(test_repeats),
        cmocka_unit_test(test_display_options),
        cmocka_unit_test(test_no_color_env),
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_reap),
        cmocka_unit_test(test_reap_rejected),
        cmocka_unit_test(test_key_sign_inside_hex),
        cmocka_unit_test(test_too_many_keys),
        cmocka_unit_test(test_dump_peek),
        cmocka_unit_test(test_dump_peek_rejected),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_unknown_and_stray),
        cmocka_unit_test(test_missing_value),
        cmocka_unit_test(test_missing_value_long_only),
        cmocka_unit_test(test_value_to_flag),
        cmocka_unit_test(test_value_to_long_only_flag),
        cmocka_unit_test(test_parse_twice),
        cmocka_unit_test(test_batch_output),
        cmocka_unit_test(test_small_error_buffer),
    };
    return cmocka_run_group_tests(tests, env_setup, NULL);
}
