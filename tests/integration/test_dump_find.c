/*
 * --dump --find and --dump --output on real segments in a private IPC namespace:
 *  - a hexdump is the text `hexdump -C` prints for the same bytes (--raw), a run of equal
 *    lines one "*" however long (it spans the dump's windows and its 1 MiB reads);
 *  - --find prints from the first match at or after --offset (text, "quoted text", hex
 *    bytes as 0x… or pairs), found across a line and a 1 MiB read boundary and past a run
 *    of equal lines; --length counts from the match; no match is one sentence and status 1,
 *    with nothing on stdout; a pattern that is not one is status 2;
 *  - --output writes the hexdump or the raw bytes to a new file (the same bytes as stdout
 *    would get, mode 0666 less the umask) and nothing to stdout; an existing file (a
 *    regular one, /dev/full) is refused and left as it was; a full file system (a 64 KiB
 *    tmpfs in a private mount namespace) and a directory the user may not write to are one
 *    sentence and status 1, and leave no file, not even a temporary one.
 */
#include "testutil.h"
#include "workload.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[256]; /* the test's own directory for output files */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/ipctop-dump-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return -1;
    return chmod(dir, 0755); /* nobody may look, not write */
}

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[600];
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    if (d) closedir(d);
    return rmdir(dir);
}

/* The names in dir, sorted, space-separated ("" when empty). */
static char *listing(char *buf, size_t len)
{
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) && n < 64)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) names[n++] = strdup(de->d_name);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return buf;
}

/* `ipctop --dump ID ARGS...` (NULL-terminated) */
static struct tu_result dump(int id, ...)
{
    char ids[16];
    snprintf(ids, sizeof ids, "%d", id);
    char *argv[32] = {(char *)tu_ipctop(), "--dump", ids};
    int n = 3;
    va_list ap;
    va_start(ap, id);
    for (const char *a; (a = va_arg(ap, const char *)) && n < 31;) argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return tu_run(argv);
}

static size_t count_lines(const char *s)
{
    return tu_count(s, "\n");
}

/* The messages ipctop says on stderr besides "shm N: <how it reads>", "found at". */
static void expect_one_sentence(const struct tu_result *r, const char *words)
{
    if (!strstr(r->err, words)) fail_msg("stderr lacks \"%s\":\n%s", words, r->err);
    char line[1024];
    assert_true(tu_line_with(r->err, words, line, sizeof line));
    assert_non_null(strstr(line, "ipctop: "));
}

static void file_bytes(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc((size_t)n + 1);
    assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
    (*out)[n] = '\0';
    *len = (size_t)n;
    fclose(f);
}

/* A 4 MiB segment, every byte written: one line repeated (a run across the dump's windows
 * and its 1 MiB reads), "needle" after it at 3 MiB + 5, "de ad be ef" at 0x9000, "ACROSS"
 * over a line boundary at 0x100e, "cafe babe" (text) at 0x2000, "STRADDLE" over the first
 * 1 MiB boundary. */
#define BIG (4u << 20)
static int big_segment(key_t key)
{
    int id = wl_shm_create(key, BIG, 0644);
    assert_true(id >= 0);
    static uint8_t buf[BIG];
    for (size_t i = 0; i < BIG; i++) buf[i] = (uint8_t)("ABCDEFGHIJKLMNOP"[i % 16]);
    memcpy(buf + 0x1000, "0123456789abcdefXXXXXXXXXXXXXXXX", 32);
    memcpy(buf + 0x100e, "ACROSS", 6);
    memcpy(buf + 0x2000, "cafe babe", 9);
    memcpy(buf + 0x9000, "\xde\xad\xbe\xef", 4);
    memcpy(buf + (1u << 20) - 3, "STRADDLE", 8);
    memcpy(buf + (3u << 20) + 5, "needle", 6);
    assert_int_equal(wl_shm_write(id, 0, buf, BIG), 0);
    return id;
}

static void test_hexdump_as_hexdump_c(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00001);
    char raw[400];
    snprintf(raw, sizeof raw, "%s/raw.bin", dir);
    struct tu_result r = dump(id, "--raw", "--output", raw, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, 0);
    tu_result_free(&r);
    char *argv[] = {"hexdump", "-C", raw, NULL};
    struct tu_result want = tu_run(argv);
    assert_int_equal(want.status, 0);
    r = dump(id, NULL);
    assert_int_equal(r.status, 0);
    if (strcmp(r.out, want.out) != 0)
        fail_msg("ipctop --dump differs from hexdump -C:\n%.3000s\n---\n%.3000s", r.out, want.out);
    /* six runs of equal lines (the longest 2 MiB, one more 1 MiB), one "*" each */
    assert_true(count_lines(r.out) < 40);
    assert_int_equal(tu_count(r.out, "\n*\n"), 6);
    tu_result_free(&r);
    tu_result_free(&want);
}

static void test_find(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00002);
    /* text after a 3 MiB run of equal lines: the output starts at the match */
    struct tu_result r = dump(id, "--find", "needle", NULL);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "00300005  6e 65 65 64 6c 65 4c 4d  4e 4f 50 ", 44);
    assert_non_null(strstr(r.out, "|needleLMNOP|\n00300010  41 42 43 44"));
    assert_non_null(strstr(r.out, "|\n*\n00400000\n"));
    assert_int_equal(count_lines(r.out), 4);
    expect_one_sentence(&r, "\"needle\" found at offset 0x300005 (3145733)");
    tu_result_free(&r);
    /* across a line boundary: the match's line is short, the next ones aligned */
    r = dump(id, "--find", "ACROSS", "--length", "32", NULL);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "0000100e  41 43    ", 19);
    assert_non_null(strstr(r.out, "|AC|\n00001010  52 4f 53 53 58 58"));
    assert_non_null(strstr(r.out, "|ROSSXXXXXXXXXXXX|\n00001020  41 42"));
    assert_non_null(strstr(r.out, "|ABCDEFGHIJKLMN|\n0000102e\n"));
    assert_int_equal(count_lines(r.out), 4);
    tu_result_free(&r);
    /* across the first 1 MiB read, with --raw: the bytes from the match */
    r = dump(id, "--find", "STRADDLE", "--raw", "--length", "8", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, 8);
    assert_memory_equal(r.out, "STRADDLE", 8);
    expect_one_sentence(&r, "found at offset 0xffffd (1048573)");
    tu_result_free(&r);
    /* hex bytes, both ways; a quoted text that looks like hex is text */
    static const char *const hex[] = {"0xdeadbeef", "de ad be ef", "0XDEADBE"};
    for (size_t i = 0; i < 3; i++) {
        r = dump(id, "--find", hex[i], "--length", "4", NULL);
        assert_int_equal(r.status, 0);
        assert_memory_equal(r.out, "00009000  de ad be ef    ", 25);
        assert_non_null(strstr(r.out, "|....|\n00009004\n"));
        tu_result_free(&r);
    }
    r = dump(id, "--find", "\"de ad\"", NULL);
    assert_int_equal(r.status, 1); /* the text "de ad" is nowhere */
    assert_int_equal(r.outlen, 0);
    tu_result_free(&r);
    r = dump(id, "--find", "\"cafe babe\"", "--length", "9", NULL); /* quoted: the text */
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "00002000  63 61 66 65 20 62 61 62  65 ", 38);
    tu_result_free(&r);
    r = dump(id, "--find", "cafe babe", NULL); /* unquoted: the bytes ca fe ba be */
    assert_int_equal(r.status, 1);
    expect_one_sentence(&r, "\"cafe babe\" not found");
    tu_result_free(&r);
    /* inside a run of equal lines: the first match, at or after --offset */
    r = dump(id, "--find", "KLMNOPAB", "--length", "40", NULL);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "0000000a  4b 4c 4d 4e 4f 50    ", 30);
    assert_non_null(strstr(r.out, "|KLMNOP|\n00000010  41 42"));
    tu_result_free(&r);
    r = dump(id, "--find", "KLMNOPAB", "--offset", "0x200000", "--length", "40", NULL);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "0020000a  4b 4c 4d 4e 4f 50    ", 30);
    expect_one_sentence(&r, "found at offset 0x20000a (2097162)");
    tu_result_free(&r);
}

static void test_find_none(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00003);
    /* nowhere; nowhere after --offset: status 1, one sentence, nothing on stdout */
    struct tu_result r = dump(id, "--find", "haystack", NULL);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.outlen, 0);
    expect_one_sentence(&r, "shm ");
    expect_one_sentence(&r, "\"haystack\" not found at or after offset 0x0 (0)");
    tu_result_free(&r);
    r = dump(id, "--find", "needle", "--offset", "0x300006", NULL);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.outlen, 0);
    expect_one_sentence(&r, "\"needle\" not found at or after offset 0x300006 (3145734)");
    tu_result_free(&r);
    /* more bytes asked from the match than there are */
    r = dump(id, "--find", "needle", "--length", "1048576", NULL);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.outlen, 0);
    expect_one_sentence(&r, "has only 1048571 bytes after the match at offset 3145733");
    tu_result_free(&r);
    /* not a pattern: a bad option, status 2 */
    static const char *const bad[] = {"", "0x", "0xabc", "0xZZ", "de a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = dump(id, "--find", bad[i], NULL);
        assert_int_equal(r.status, 2);
        assert_int_equal(r.outlen, 0);
        assert_int_equal(count_lines(r.err), 1);
        assert_non_null(strstr(r.err, "ipctop: --find"));
        tu_result_free(&r);
    }
}

static void test_output(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00004);
    char text[400], raw[400], names[512];
    snprintf(text, sizeof text, "%s/dump.txt", dir);
    snprintf(raw, sizeof raw, "%s/dump.bin", dir);
    struct tu_result want = dump(id, "--find", "needle", NULL);
    assert_int_equal(want.status, 0);
    struct tu_result r = dump(id, "--find", "needle", "--output", text, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, 0); /* all of it in the file */
    expect_one_sentence(&r, "wrote 1024K (1048571 bytes, 0x300005-0x400000) as a hexdump");
    char *got;
    size_t len;
    file_bytes(text, &got, &len);
    assert_string_equal(got, want.out);
    free(got);
    struct stat st;
    assert_int_equal(stat(text, &st), 0);
    mode_t um = umask(0);
    umask(um);
    assert_int_equal(st.st_mode & 07777, 0666 & ~um);
    tu_result_free(&r);
    tu_result_free(&want);
    /* the raw bytes, the same as on stdout */
    want = dump(id, "--raw", "--offset", "0x9000", "--length", "0x20000", NULL);
    assert_int_equal(want.status, 0);
    r = dump(id, "--raw", "--offset", "0x9000", "--length", "0x20000", "--output", raw, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, 0);
    file_bytes(raw, &got, &len);
    assert_int_equal(len, 0x20000);
    assert_memory_equal(got, want.out, len);
    free(got);
    tu_result_free(&r);
    tu_result_free(&want);
    assert_string_equal(listing(names, sizeof names), "dump.bin dump.txt");

    /* an existing file is refused, whatever the mode, and stays as it was */
    struct stat before, after;
    assert_int_equal(stat(text, &before), 0);
    const char *modes[][2] = {{"--find", "needle"}, {"--raw", NULL}};
    for (size_t i = 0; i < 2; i++) {
        r = dump(id, "--output", text, modes[i][0], modes[i][1], NULL);
        assert_int_equal(r.status, 1);
        assert_int_equal(r.outlen, 0);
        expect_one_sentence(&r, "exists: not overwritten (it writes only new files)");
        assert_int_equal(count_lines(r.err), 1); /* before reading anything */
        tu_result_free(&r);
    }
    assert_int_equal(stat(text, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_size, before.st_size);
    assert_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
                after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    assert_string_equal(listing(names, sizeof names), "dump.bin dump.txt");
    /* a name with control bytes: said, never written raw to the terminal */
    char evil[400];
    snprintf(evil, sizeof evil, "%s/x\x1b[2Jy", dir);
    FILE *ef = fopen(evil, "w");
    assert_non_null(ef);
    fclose(ef);
    r = dump(id, "--output", evil, NULL);
    assert_int_equal(r.status, 1);
    expect_one_sentence(&r, "/x?[2Jy exists: not overwritten");
    assert_null(strchr(r.err, '\x1b'));
    tu_result_free(&r);
    unlink(evil);
    snprintf(evil, sizeof evil, "%s/new\x1b]0;t\x07", dir);
    r = dump(id, "--output", evil, "--find", "needle", NULL);
    assert_int_equal(r.status, 0);
    expect_one_sentence(&r, "/new?]0;t?");
    assert_null(strchr(r.err, '\x1b'));
    assert_null(strchr(r.err, '\x07'));
    tu_result_free(&r);
    assert_int_equal(unlink(evil), 0);
    /* /dev/full exists too: refused, not replaced, not written to */
    r = dump(id, "--output", "/dev/full", NULL);
    assert_int_equal(r.status, 1);
    expect_one_sentence(&r, "/dev/full exists: not overwritten");
    tu_result_free(&r);
    assert_int_equal(lstat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    /* a directory */
    r = dump(id, "--output", dir, NULL);
    assert_int_equal(r.status, 1);
    expect_one_sentence(&r, "is a directory");
    tu_result_free(&r);
}

/* stdout that cannot be written: the found bytes are not lost silently */
static void test_stdout_full(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00005);
    char ids[16], cmd[600];
    snprintf(ids, sizeof ids, "%d", id);
    /* "$@": the binary, after the words of IPCTOP_WRAPPER when there is one */
    snprintf(cmd, sizeof cmd, "exec \"$@\" --dump %s --find needle > /dev/full", ids);
    char *argv[] = {"sh", "-c", cmd, "sh", (char *)tu_ipctop(), NULL};
    struct tu_result r = tu_run(argv);
    assert_int_equal(r.status, 1);
    expect_one_sentence(&r, "cannot write the output: No space left on device");
    tu_result_free(&r);
}

/* A file system that fills up while the file is written: the sentence names the file,
 * and neither it nor the temporary file is left. In a mount namespace of its own, with a
 * tmpfs of 64 KiB: the dump is larger. */
static void test_output_disk_full(void **state)
{
    (void)state;
    /* 1 MiB where no two lines are equal: its hexdump is 5 MB of text */
    int id = wl_shm_create(0xf1d00006, 1u << 20, 0600);
    assert_true(id >= 0);
    static uint8_t buf[1u << 20];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 31 + i / 251);
    assert_int_equal(wl_shm_write(id, 0, buf, sizeof buf), 0);
    char ids[16];
    snprintf(ids, sizeof ids, "%d", id);
    static const char *const script = "mount -t tmpfs -o size=64k ipctop-test \"$0\" || exit 99\n"
                                      "\"$IPCTOP_BIN\" --dump \"$1\" $2 --output \"$0/out\"\n"
                                      "echo \"status $?\"\n"
                                      "ls -A \"$0\"\n";
    for (int raw = 0; raw < 2; raw++) {
        char *argv[] = {
            "unshare", "--mount", "--propagation",    "private", "sh", "-c", (char *)script,
            dir,       ids,       raw ? "--raw" : "", NULL};
        struct tu_result r = tu_run(argv);
        assert_int_equal(r.status, 0);
        char want[600];
        snprintf(want, sizeof want, "cannot write %s/out: No space left on device", dir);
        if (!strstr(r.err, want)) fail_msg("no \"%s\" in:\n%s", want, r.err);
        assert_int_equal(tu_count(r.err, "No space left"), 1);
        assert_string_equal(r.out, "status 1\n"); /* and nothing in the directory */
        tu_result_free(&r);
    }
}

/* A directory the user may not write to: one sentence, status 1. */
static void test_output_unwritable_dir(void **state)
{
    (void)state;
    int id = big_segment(0xf1d00007);
    char ids[16], out[400], names[512];
    snprintf(ids, sizeof ids, "%d", id);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    for (int raw = 0; raw < 2; raw++) {
        struct tu_result r = tu_run_as_nobody(tu_ipctop(), "--dump", ids, "--find", "needle",
                                              "--output", out, raw ? "--raw" : NULL, NULL);
        assert_int_equal(r.status, 1);
        assert_int_equal(r.outlen, 0);
        char want[600];
        snprintf(want, sizeof want, "cannot create a file next to %s: Permission denied", out);
        expect_one_sentence(&r, want);
        tu_result_free(&r);
    }
    assert_string_equal(listing(names, sizeof names), "");
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hexdump_as_hexdump_c, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdout_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_unwritable_dir, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
