/*
 * ui/settings.c: defaults; save then load gives the same settings; the write is atomic
 * (a new file renamed over the old one, no temporary file left), creates the directory,
 * keeps the file's mode and a symbolic link; unknown names are kept and ignored, and
 * survive a rewrite with every comment; a bad value costs only its setting; a file that is
 * not a settings file (a copy of /etc/passwd, NUL bytes, too large) or not a regular file
 * (FIFO, /dev/zero, a character device) is reported, read for what it holds, never
 * written, never blocks; numbers are the same in a decimal-comma locale; settings_path
 * follows IPCTOPRC, XDG_CONFIG_HOME, HOME in that order.
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
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "columns.h"
#include "locale_de.h"
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

static bool all[SETTINGS_NKEYS];

static void mark_all(void)
{
    for (int k = 0; k < SETTINGS_NKEYS; k++) all[k] = true;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static enum settings_status load(const char *path, struct settings *s, char *msg)
{
    memset(s, 0x11, sizeof *s);
    return settings_load(path, s, msg, 1200);
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/new/sub/dir/ipctoprc", dir); /* directories made */
    mark_all();
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
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
    assert_int_equal(load(path, &back, err), SETTINGS_READ);
    assert_string_equal(err, "");
    assert_true(settings_equal(&s, &back));
    assert_int_equal(back.screen, IPC_MSG);
    assert_true(back.delay == 0.25);

    /* every interval the + and - keys step through survives the trip exactly */
    static const double delays[] = {0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 3600};
    for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
        s.delay = delays[i];
        assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
        assert_int_equal(load(path, &back, err), SETTINGS_READ);
        if (!settings_equal(&s, &back)) fail_msg("delay %g came back as %g", delays[i], back.delay);
    }
    /* each screen */
    for (int c = 0; c < IPC_NCLASSES; c++) {
        s.screen = (enum ipc_class)c;
        assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
        assert_int_equal(load(path, &back, err), SETTINGS_READ);
        assert_int_equal(back.screen, c);
    }
}

static void test_atomic_write(void **state)
{
    (void)state;
    char sub[512], path[600], err[1200];
    snprintf(sub, sizeof sub, "%s/atomic", dir);
    snprintf(path, sizeof path, "%s/ipctoprc", sub);
    mark_all();
    struct settings s;
    settings_defaults(&s);
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
    assert_int_equal(files_in(sub), 1); /* no temporary file left */
    struct stat a, b;
    assert_int_equal(stat(path, &a), 0);
    /* a hard link to the old file keeps the old content: the new one is another inode */
    char old[640];
    snprintf(old, sizeof old, "%s/old", sub);
    assert_int_equal(link(path, old), 0);
    s.screen = IPC_SEM;
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
    assert_int_equal(stat(path, &b), 0);
    assert_true(a.st_ino != b.st_ino);
    struct settings back;
    assert_int_equal(load(old, &back, err), SETTINGS_READ);
    assert_int_equal(back.screen, IPC_SHM); /* untouched */
    assert_int_equal(load(path, &back, err), SETTINGS_READ);
    assert_int_equal(back.screen, IPC_SEM);
    assert_int_equal(files_in(sub), 2);
    /* a new file is private to its owner */
    assert_int_equal(b.st_mode & 077, 0);
    /* a file the person made readable keeps its mode */
    assert_int_equal(chmod(path, 0644), 0);
    s.screen = IPC_MSG;
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
    assert_int_equal(stat(path, &b), 0);
    assert_int_equal(b.st_mode & 07777, 0644);

    /* cannot write: an error sentence naming the file, nothing left behind */
    char blocked[640];
    snprintf(blocked, sizeof blocked, "%s/file-not-dir", sub);
    write_file(blocked, "x");
    char inside[700];
    snprintf(inside, sizeof inside, "%s/ipctoprc", blocked);
    err[0] = '\0';
    assert_int_equal(settings_save(inside, &s, all, err, sizeof err), -1);
    assert_non_null(strstr(err, blocked));
    assert_int_equal(files_in(sub), 3);
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/nothing/here", dir);
    struct settings s, def;
    settings_defaults(&def);
    assert_int_equal(load(path, &s, err), SETTINGS_NONE);
    assert_string_equal(err, "");
    assert_true(settings_equal(&s, &def));
}

/* A bad value costs its own setting only; the file stays a settings file. */
static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int k; /* the setting that keeps its default */
    } bad[] = {
        {"screen=nope", 0},
        {"delay=0", 1},
        {"delay=-2", 1},
        {"delay=abc", 1},
        {"delay=99999999", 1},
        {"delay=0,5", 1},
        {"sort.shm=nosuch", 2},
        {"sort.shm=rsss", 2},
        {"order.shm=sideways", 3},
        {"columns.msg=", 10},
        {"columns.msg=key,,nosuch", 10},
    };
    char path[512], err[1200], text[2048];
    snprintf(path, sizeof path, "%s/bad", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* the bad line, then the person's other settings */
        snprintf(text, sizeof text,
                 "# mine\n\n%s\n%s%ssort.sem=owner\norder.msg=desc\ncolumns.shm=key,id\n",
                 bad[i].line, bad[i].k == 0 ? "" : "screen=sem\n",
                 bad[i].k == 1 ? "" : "delay=2\n");
        write_file(path, text);
        struct settings s;
        if (load(path, &s, err) != SETTINGS_READ) fail_msg("'%s': %s", bad[i].line, err);
        if (!strstr(err, "line 3"))
            fail_msg("'%s': the message '%s' lacks line 3", bad[i].line, err);
        assert_non_null(strstr(err, path));
        assert_int_equal(s.screen, bad[i].k == 0 ? IPC_SHM : IPC_SEM);
        assert_true(s.delay == (bad[i].k == 1 ? 1.0 : 2.0));
        assert_int_equal(s.sort_col[IPC_SEM], column_find(IPC_SEM, "owner"));
        assert_true(s.descending[IPC_MSG]);
        assert_false(s.shown[IPC_SHM][column_find(IPC_SHM, "size")]);
        struct settings def;
        settings_defaults(&def);
        if (bad[i].k == 10)
            assert_memory_equal(s.shown[IPC_MSG], def.shown[IPC_MSG], sizeof def.shown[IPC_MSG]);
        if (bad[i].k == 2) assert_int_equal(s.sort_col[IPC_SHM], def.sort_col[IPC_SHM]);
    }
    /* a value longer than any setting's */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("screen=sem\nsort.shm=", f);
    for (int i = 0; i < 3000; i++) fputc('a', f);
    fputs("\n", f);
    fclose(f);
    struct settings s;
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_non_null(strstr(err, "line 2"));
    assert_int_equal(s.screen, IPC_SEM);
}

/* Names this ipctop does not know: a newer one's, a typo. Ignored, kept, silent. */
static void test_unknown_names_kept(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/unknown", dir);
    const char *text = "# my settings\n"
                       "theme=dark\n"
                       "screen=sem\n"
                       "sort.pshm=name\n"
                       "sort=id\n"
                       "  # indented comment\n"
                       "\n"
                       "delay = 2\n"
                       "future.setting=a=b\n";
    write_file(path, text);
    struct settings s;
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_string_equal(err, "");
    assert_int_equal(s.screen, IPC_SEM);
    assert_true(s.delay == 2);
    /* the person changes the screen and the sort of one list: only those lines change,
     * the missing one is appended, everything else is kept byte for byte */
    struct settings now = s;
    now.screen = IPC_MSG;
    now.sort_col[IPC_SHM] = column_find(IPC_SHM, "size");
    bool changed[SETTINGS_NKEYS];
    assert_int_equal(settings_diff(&s, &now, changed), 2);
    assert_int_equal(settings_save(path, &now, changed, err, sizeof err), 0);
    size_t len;
    char *back = slurp(path, &len);
    assert_string_equal(back, "# my settings\n"
                              "theme=dark\n"
                              "screen=msg\n"
                              "sort.pshm=name\n"
                              "sort=id\n"
                              "  # indented comment\n"
                              "\n"
                              "delay = 2\n"
                              "future.setting=a=b\n"
                              "sort.shm=size\n");
    free(back);
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_true(settings_equal(&s, &now));
}

static void assert_unchanged(const char *path, const char *text)
{
    size_t len;
    char *back = slurp(path, &len);
    if (len != strlen(text) || memcmp(back, text, len) != 0)
        fail_msg("%s was changed: '%.80s'", path, back);
    free(back);
}

/* Files that are not settings files: reported, read for what they hold, never written. */
static void test_not_settings_files(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t size;
        int line;
    } bad[] = {
#define T(lit, line) {lit, sizeof(lit) - 1, line}
        T("screen=sem\nbogus\ndelay=2\n", 2),
        T("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", 1),
        T("=\n", 1),
        T("screen\n", 1),
        T("delay=2\nna me=1\n", 2),
        T("screen=sem\n# a\0b\n", 2),
        T("screen=s\0m\n", 1),
#undef T
    };
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/damaged", dir);
    mark_all();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t tl = bad[i].size;
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(bad[i].text, 1, tl, f);
        fclose(f);
        struct settings s;
        if (load(path, &s, err) != SETTINGS_KEPT) fail_msg("taken as settings: %s", bad[i].text);
        char want[32];
        snprintf(want, sizeof want, "line %d", bad[i].line);
        if (!strstr(err, want))
            fail_msg("'%s': the message '%s' does not say %s", bad[i].text, err, want);
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, "for this run only"));
        /* never written, whatever changed */
        struct settings now;
        settings_defaults(&now);
        now.screen = IPC_MSG;
        assert_int_equal(settings_save(path, &now, all, err, sizeof err), -1);
        size_t len;
        char *back = slurp(path, &len);
        assert_int_equal(len, tl);
        assert_memory_equal(back, bad[i].text, tl);
        free(back);
    }
    /* the settings of a damaged file still count */
    write_file(path, "screen=sem\nbogus\ndelay=2\n");
    struct settings s;
    assert_int_equal(load(path, &s, err), SETTINGS_KEPT);
    assert_int_equal(s.screen, IPC_SEM);
    assert_true(s.delay == 2);
    /* a copy of the real /etc/passwd */
    size_t plen;
    char *passwd = slurp("/etc/passwd", &plen);
    write_file(path, passwd);
    assert_int_equal(load(path, &s, err), SETTINGS_KEPT);
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), -1);
    assert_unchanged(path, passwd);
    free(passwd);
    /* larger than a settings file can be */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 8000; i++) fputs("screen=sem\n", f);
    fclose(f);
    assert_int_equal(load(path, &s, err), SETTINGS_KEPT);
    assert_non_null(strstr(err, "larger than"));
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), -1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A FIFO, /dev/zero, a character device, a directory: not read (never blocking, never
 * without end), never replaced. */
static void test_not_regular_files(void **state)
{
    (void)state;
    char fifo[512], chr[512], sub[512], err[1200];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(chr, sizeof chr, "%s/full", dir);
    snprintf(sub, sizeof sub, "%s/adir", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* a private copy of /dev/full (the real one is never put at risk) */
    bool have_chr = mknod(chr, S_IFCHR | 0600, makedev(1, 7)) == 0;
    assert_int_equal(mkdir(sub, 0700), 0);
    const char *paths[] = {fifo, "/dev/zero", "/dev/null", sub, have_chr ? chr : "/dev/full"};
    mark_all();
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct settings s, def;
        settings_defaults(&def);
        double t0 = now_s();
        assert_int_equal(load(paths[i], &s, err), SETTINGS_KEPT);
        assert_true(now_s() - t0 < 1.0);
        assert_non_null(strstr(err, "not a regular file"));
        assert_true(settings_equal(&s, &def));
        if (strncmp(paths[i], "/dev/", 5) == 0) continue; /* never try to replace those */
        struct stat before, after;
        assert_int_equal(lstat(paths[i], &before), 0);
        assert_int_equal(settings_save(paths[i], &s, all, err, sizeof err), -1);
        assert_int_equal(lstat(paths[i], &after), 0);
        assert_int_equal(before.st_ino, after.st_ino);
        assert_int_equal(before.st_mode, after.st_mode);
    }
    assert_true(have_chr); /* root in the test suite: the device copy was tested */
}

/* A symbolic link (a dotfiles manager's) stays a link: the file it names is written. */
static void test_symlink_kept(void **state)
{
    (void)state;
    char real[512], link_path[512], err[1200];
    snprintf(real, sizeof real, "%s/real-rc", dir);
    snprintf(link_path, sizeof link_path, "%s/link-rc", dir);
    write_file(real, "screen=sem\n");
    assert_int_equal(symlink(real, link_path), 0);
    struct settings s;
    assert_int_equal(load(link_path, &s, err), SETTINGS_READ);
    s.screen = IPC_MSG;
    bool changed[SETTINGS_NKEYS] = {false};
    changed[0] = true;
    assert_int_equal(settings_save(link_path, &s, changed, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_unchanged(real, "screen=msg\n");
}

/* In a decimal-comma locale, "delay=0.5" is written and read as such. */
static void test_locale_independent(void **state)
{
    (void)state;
    char path[512], err[1200];
    snprintf(path, sizeof path, "%s/locale", dir);
    assert_true(locale_de_use());
    struct settings s;
    settings_defaults(&s);
    s.delay = 0.5;
    mark_all();
    assert_int_equal(settings_save(path, &s, all, err, sizeof err), 0);
    size_t len;
    char *text = slurp(path, &len);
    if (!strstr(text, "\ndelay=0.5\n")) fail_msg("written in de_DE: %s", text);
    free(text);
    write_file(path, "delay=0.25\n");
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_string_equal(err, "");
    assert_true(s.delay == 0.25);
    locale_de_done();
}

/* settings_render on its own: the lines of changed settings replaced (each occurrence), the
 * missing ones appended after a last line without newline, nothing else touched. */
static void test_render(void **state)
{
    (void)state;
    struct settings s;
    settings_defaults(&s);
    s.delay = 3;
    bool changed[SETTINGS_NKEYS] = {false};
    changed[1] = true; /* delay */
    changed[0] = true; /* screen, not in the text */
    const char *text = "delay=1\r\n# x\ndelay=5\nzz=1";
    size_t len;
    char *out = settings_render(text, strlen(text), &s, changed, &len);
    assert_non_null(out);
    assert_string_equal(out, "delay=3\n# x\ndelay=3\nzz=1\nscreen=shm\n");
    assert_int_equal(len, strlen(out));
    free(out);
    /* an empty file gets a first comment line */
    out = settings_render("", 0, &s, changed, &len);
    assert_non_null(out);
    assert_int_equal(out[0], '#');
    assert_non_null(strstr(out, "\nscreen=shm\ndelay=3\n"));
    free(out);
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
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_string_equal(err, "");
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
    assert_int_equal(load(path, &s, err), SETTINGS_READ);
    assert_true(settings_equal(&s, &def));
}

static void test_equal(void **state)
{
    (void)state;
    struct settings a, b;
    settings_defaults(&a);
    b = a;
    assert_true(settings_equal(&a, &b));
    bool changed[SETTINGS_NKEYS];
    assert_int_equal(settings_diff(&a, &b, changed), 0);
    b.screen = IPC_MSG;
    assert_false(settings_equal(&a, &b));
    assert_int_equal(settings_diff(&a, &b, changed), 1);
    assert_true(changed[0]);
    b = a;
    b.delay = 2;
    assert_false(settings_equal(&a, &b));
    assert_int_equal(settings_diff(&a, &b, changed), 1);
    assert_true(changed[1]);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        b = a;
        b.sort_col[c]++;
        assert_false(settings_equal(&a, &b));
        assert_int_equal(settings_diff(&a, &b, changed), 1);
        b = a;
        b.descending[c] = !b.descending[c];
        assert_false(settings_equal(&a, &b));
        assert_int_equal(settings_diff(&a, &b, changed), 1);
        b = a;
        b.shown[c][2] = !b.shown[c][2];
        assert_false(settings_equal(&a, &b));
        assert_int_equal(settings_diff(&a, &b, changed), 1);
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
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_unknown_names_kept),
        cmocka_unit_test(test_not_settings_files),
        cmocka_unit_test(test_not_regular_files),
        cmocka_unit_test(test_symlink_kept),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_tolerated),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_path_precedence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
