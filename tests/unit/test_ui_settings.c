/*
 * ui/settings.c: defaults; save then load gives the same settings; the write is atomic
 * (a new file renamed over the old one, no temporary file left) and creates the
 * directory; damaged lines are refused with their line number and leave the defaults; a
 * missing file is 1; settings_path follows IPCTOPRC, XDG_CONFIG_HOME, HOME in that order.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "columns.h"
#include "settings.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/ipctop-settings-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) return 0;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return -1;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
        closedir(d);
        return rmdir(path);
    }
    return unlink(path);
}

static int teardown(void **state)
{
    (void)state;
    return rm_tree(dir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static size_t files_in(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void test_defaults(void **state)
{
    (void)state;
    struct settings s;
    memset(&s, 0x5a, sizeof s);
    settings_defaults(&s);
    assert_int_equal(s.screen, IPC_SHM);
    assert_true(s.delay == 1.0);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        assert_int_equal(s.sort_col[c], column_find((enum ipc_class)c, "id"));
        assert_false(s.descending[c]);
        for (size_t i = 0; i < n; i++) assert_int_equal(s.shown[c][i], cols[i].shown);
        for (size_t i = n; i < LAYOUT_MAX_COLS; i++) assert_false(s.shown[c][i]);
    }
    struct settings t;
    settings_defaults(&t);
    assert_true(settings_equal(&s, &t));
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/new/sub/dir/ipctoprc", dir); /* directories made */
    struct settings s, back;
    settings_defaults(&s);
    s.screen = IPC_MSG;
    s.delay = 0.25;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        columns_of((enum ipc_class)c, &n);
        s.sort_col[c] = (int)n - 1 - c;
        s.descending[c] = c != 1;
        for (size_t i = 0; i < n; i++) s.shown[c][i] = (i + (size_t)c) % 2 == 0 || i == 0;
    }
    assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
    assert_int_equal(settings_load(path, &back, err, sizeof err), 0);
    assert_true(settings_equal(&s, &back));
    assert_int_equal(back.screen, IPC_MSG);
    assert_true(back.delay == 0.25);

    /* every interval the + and - keys step through survives the trip exactly */
    static const double delays[] = {0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 3600};
    for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
        s.delay = delays[i];
        assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
        assert_int_equal(settings_load(path, &back, err, sizeof err), 0);
        if (!settings_equal(&s, &back)) fail_msg("delay %g came back as %g", delays[i], back.delay);
    }
    /* each screen */
    for (int c = 0; c < IPC_NCLASSES; c++) {
        s.screen = (enum ipc_class)c;
        assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
        assert_int_equal(settings_load(path, &back, err, sizeof err), 0);
        assert_int_equal(back.screen, c);
    }
}

static void test_atomic_write(void **state)
{
    (void)state;
    char sub[512], path[600], err[1200];
    snprintf(sub, sizeof sub, "%s/atomic", dir);
    snprintf(path, sizeof path, "%s/ipctoprc", sub);
    struct settings s;
    settings_defaults(&s);
    assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
    assert_int_equal(files_in(sub), 1); /* no temporary file left */
    struct stat a, b;
    assert_int_equal(stat(path, &a), 0);
    /* a hard link to the old file keeps the old content: the new one is another inode */
    char old[640];
    snprintf(old, sizeof old, "%s/old", sub);
    assert_int_equal(link(path, old), 0);
    s.screen = IPC_SEM;
    assert_int_equal(settings_save(path, &s, err, sizeof err), 0);
    assert_int_equal(stat(path, &b), 0);
    assert_true(a.st_ino != b.st_ino);
    struct settings back;
    assert_int_equal(settings_load(old, &back, err, sizeof err), 0);
    assert_int_equal(back.screen, IPC_SHM); /* untouched */
    assert_int_equal(settings_load(path, &back, err, sizeof err), 0);
    assert_int_equal(back.screen, IPC_SEM);
    assert_int_equal(files_in(sub), 2);
    /* the file is private to its owner */
    assert_int_equal(b.st_mode & 077, 0);

    /* cannot write: an error sentence naming the file, nothing left behind */
    char blocked[640];
    snprintf(blocked, sizeof blocked, "%s/file-not-dir", sub);
    write_file(blocked, "x");
    char inside[700];
    snprintf(inside, sizeof inside, "%s/ipctoprc", blocked);
    err[0] = '\0';
    assert_int_equal(settings_save(inside, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, blocked));
    assert_int_equal(files_in(sub), 3);
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/nothing/here", dir);
    struct settings s, def;
    memset(&s, 0x11, sizeof s);
    settings_defaults(&def);
    assert_int_equal(settings_load(path, &s, err, sizeof err), 1);
    assert_true(settings_equal(&s, &def));
}

static void test_damaged_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
    } bad[] = {
        {"screen=sem\nbogus\n", 2},
        {"# comment\n\nscreen=nope\n", 3},
        {"delay=0\n", 1},
        {"delay=-2\n", 1},
        {"delay=abc\n", 1},
        {"delay=99999999\n", 1},
        {"screen=sem\ndelay=1\nsort.shm=nosuch\n", 3},
        {"sort.nosuch=id\n", 1},
        {"order.sem=sideways\n", 1},
        {"columns.msg=\n", 1},
        {"columns.msg=key,,nosuch\n", 1},
        {"=\n", 1},
        {"screen\n", 1},
        {"sort=id\n", 1},
    };
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/damaged", dir);
    struct settings def;
    settings_defaults(&def);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i].text);
        struct settings s;
        err[0] = '\0';
        if (settings_load(path, &s, err, sizeof err) != -1) fail_msg("accepted: %s", bad[i].text);
        char want[32];
        snprintf(want, sizeof want, "line %d", bad[i].line);
        if (!strstr(err, want))
            fail_msg("'%s': the message '%s' does not say %s", bad[i].text, err, want);
        assert_non_null(strstr(err, path));
        /* the defaults, not the lines read before the damage */
        if (!settings_equal(&s, &def)) fail_msg("'%s': not the defaults", bad[i].text);
    }
    /* a line longer than any setting */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("screen=sem\nsort.shm=", f);
    for (int i = 0; i < 3000; i++) fputc('a', f);
    fputs("\n", f);
    fclose(f);
    struct settings s;
    assert_int_equal(settings_load(path, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2"));
    assert_true(settings_equal(&s, &def));
}

static void test_tolerated(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/ok", dir);
    /* comments, blank lines, CRLF, trailing blanks, leading blanks, no final newline,
     * names by title or name in any case */
    write_file(path, "# ipctop\n\n  screen=sem  "
                     "\r\ndelay=2\r\n\tsort.msg=MSGS\norder.msg=desc\ncolumns.shm=key,ID,size");
    struct settings s;
    assert_int_equal(settings_load(path, &s, err, sizeof err), 0);
    assert_int_equal(s.screen, IPC_SEM);
    assert_true(s.delay == 2);
    assert_int_equal(s.sort_col[IPC_MSG], column_find(IPC_MSG, "msgs"));
    assert_true(s.descending[IPC_MSG]);
    assert_true(s.shown[IPC_SHM][column_find(IPC_SHM, "key")]);
    assert_true(s.shown[IPC_SHM][column_find(IPC_SHM, "id")]);
    assert_true(s.shown[IPC_SHM][column_find(IPC_SHM, "size")]);
    assert_false(s.shown[IPC_SHM][column_find(IPC_SHM, "owner")]);
    /* an empty file: the defaults */
    write_file(path, "");
    struct settings def;
    settings_defaults(&def);
    assert_int_equal(settings_load(path, &s, err, sizeof err), 0);
    assert_true(settings_equal(&s, &def));
}

static void test_equal(void **state)
{
    (void)state;
    struct settings a, b;
    settings_defaults(&a);
    b = a;
    assert_true(settings_equal(&a, &b));
    b.screen = IPC_MSG;
    assert_false(settings_equal(&a, &b));
    b = a;
    b.delay = 2;
    assert_false(settings_equal(&a, &b));
    for (int c = 0; c < IPC_NCLASSES; c++) {
        b = a;
        b.sort_col[c]++;
        assert_false(settings_equal(&a, &b));
        b = a;
        b.descending[c] = !b.descending[c];
        assert_false(settings_equal(&a, &b));
        b = a;
        b.shown[c][2] = !b.shown[c][2];
        assert_false(settings_equal(&a, &b));
    }
}

static void restore_env(const char *name, const char *value)
{
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_path_precedence(void **state)
{
    (void)state;
    char *rc = getenv("IPCTOPRC") ? strdup(getenv("IPCTOPRC")) : NULL;
    char *xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char buf[1024];

    setenv("IPCTOPRC", "/x/rc", 1);
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    setenv("HOME", "/home/u", 1);
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/x/rc");
    setenv("IPCTOPRC", "", 1); /* empty: not set */
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/xdg/ipctop/ipctoprc");
    unsetenv("IPCTOPRC");
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/xdg/ipctop/ipctoprc");
    setenv("XDG_CONFIG_HOME", "", 1);
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/home/u/.config/ipctop/ipctoprc");
    unsetenv("XDG_CONFIG_HOME");
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/home/u/.config/ipctop/ipctoprc");
    unsetenv("HOME");
    assert_false(settings_path(buf, sizeof buf));
    /* a path that does not fit the buffer is refused, not cut */
    setenv("IPCTOPRC", "/a/very/long/path/to/the/settings/file", 1);
    char small[8];
    assert_false(settings_path(small, sizeof small));

    restore_env("IPCTOPRC", rc);
    restore_env("XDG_CONFIG_HOME", xdg);
    restore_env("HOME", home);
    free(rc);
    free(xdg);
    free(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),      cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_atomic_write),  cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_damaged_lines), cmocka_unit_test(test_tolerated),
        cmocka_unit_test(test_equal),         cmocka_unit_test(test_path_precedence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
