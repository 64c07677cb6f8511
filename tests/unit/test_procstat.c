/*
 * src/collect/procstat.c: /proc/PID/stat and /proc/TID/sched. Names with spaces, parentheses,
 * controls and bytes that are not UTF-8 come back raw; the fields after the name are
 * counted from the last ')'; damaged lines are refused; the sched value is read with a
 * decimal point whatever the locale. And the live files of this process parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include "locale_de.h"
#include "procstat.h"

#define TAIL                                                                                       \
    " S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 67151 3133440 408 18446744073709551615 "     \
    "1 2 3 4 5 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"

static bool parse(const char *text, struct proc_stat *st)
{
    memset(st, 0x5a, sizeof *st);
    return procstat_parse(text, strlen(text), st);
}

static void test_stat_fields(void **state)
{
    (void)state;
    struct proc_stat st;
    assert_true(parse("4242 (postgres)" TAIL, &st));
    assert_int_equal(st.pid, 4242);
    assert_string_equal(st.comm, "postgres");
    assert_int_equal(st.comm_len, 8);
    assert_int_equal(st.state, 'S');
    assert_int_equal(st.flags, 4194560);
    assert_int_equal(st.start_tics, 67151);
}

static void test_stat_names_raw(void **state)
{
    (void)state;
    struct proc_stat st;
    static const char *const names[] = {
        "caf\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
        "a b",
        "x) S 9 9 (y",
        "((",
        "))",
        "bad\xff\xfe",
        "\x1b[31mred\a",
        "",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char line[512];
        snprintf(line, sizeof line, "7 (%s)" TAIL, names[i]);
        if (!parse(line, &st)) fail_msg("refused the name \"%s\"", names[i]);
        assert_string_equal(st.comm, names[i]);
        assert_int_equal(st.comm_len, strlen(names[i]));
        /* the fields are found after the last ')', whatever the name holds */
        assert_int_equal(st.start_tics, 67151);
        assert_int_equal(st.state, 'S');
    }
    /* a name longer than any kernel's is cut, not overflowed */
    char line[512], longname[200];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    snprintf(line, sizeof line, "7 (%s)" TAIL, longname);
    assert_true(parse(line, &st));
    assert_int_equal(st.comm_len, PROCSTAT_COMM_MAX);
    assert_int_equal(strlen(st.comm), PROCSTAT_COMM_MAX);
}

static void test_stat_refused(void **state)
{
    (void)state;
    struct proc_stat st;
    static const char *const bad[] = {
        "",
        "4242",
        "4242 (x",
        "x (y)" TAIL,
        "0 (zero)" TAIL,
        "-1 (neg)" TAIL,
        "99999999999 (big)" TAIL,
        "7(x)" TAIL,
        "7 (x)S 1 2",
        "7 (x) S",
        "7 (x) S 1 2 3",                                                /* cut before starttime */
        "7 (x) S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0",        /* no starttime */
        "7 (x) S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 -5 1\n", /* negative */
        "7 (x) S 1 2 3 0 -1 -4 100 0 0 0 5 6 0 0 20 0 1 0 5 1\n",       /* negative flags */
        "7 (x) S 1 2 3 0 -1 4 100 0 0 0 5 6 0 0 20 0 1 0 5x 1\n",       /* junk */
        "7 (x) S 1  2 3 0 -1 4 100 0 0 0 5 6 0 0 20 0 1 0 5 1\n",       /* two spaces */
        "7 (x) S 1 2 3 0 -1 4 100 0 0 0 5 6 0 0 20 0 1 0 18446744073709551616 1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse(bad[i], &st)) fail_msg("accepted \"%s\"", bad[i]);
    /* the length is honoured: no NUL needed, nothing read after it */
    const char *text = "7 (x)" TAIL;
    assert_false(procstat_parse(text, strlen("7 (x) S 1 2 3"), &st));
    assert_true(procstat_parse(text, strlen(text), &st));
}

static void test_stat_live(void **state)
{
    (void)state;
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    assert_true(n > 0);
    struct proc_stat st;
    assert_true(procstat_parse(buf, (size_t)n, &st));
    assert_int_equal(st.pid, getpid());
    assert_int_equal(st.state, 'R');
    assert_true(st.start_tics > 0);
}

#define SCHED                                                                                      \
    "head (21139, #threads: 1)\n"                                                                  \
    "-------------------------------------------------------------------\n"                        \
    "se.exec_start                                :        641222.929577\n"                        \
    "se.vruntime                                  :         75469.417625\n"

static void test_sched(void **state)
{
    (void)state;
    double ms = -1;
    assert_true(procstat_sched_exec_start(SCHED, strlen(SCHED), &ms));
    assert_true(ms > 641222.929 && ms < 641222.930);
    /* a decimal-comma locale does not cut the fraction (sscanf("%lf") did) */
    assert_true(locale_de_use());
    ms = -1;
    assert_true(procstat_sched_exec_start(SCHED, strlen(SCHED), &ms));
    assert_true(ms > 641222.929 && ms < 641222.930);
    locale_de_done();
    static const char *const bad[] = {
        "",
        "se.exec_start : \n",
        "se.exec_start : -5.0\n",
        "se.exec_start : 1.\n",
        "se.exec_start : 1.5x\n",
        "se.exec_start : nan\n",
        "se.exec_start : 1e5\n",
        "se.exec_startx : 5\n",
        " se.exec_start : 5\n",
        "se.exec_start 5\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (procstat_sched_exec_start(bad[i], strlen(bad[i]), &ms))
            fail_msg("accepted \"%s\"", bad[i]);
    assert_true(procstat_sched_exec_start("se.exec_start:7", 15, &ms));
    assert_true(ms == 7);
    /* the live file */
    char buf[4096];
    int fd = open("/proc/self/sched", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        close(fd);
        assert_true(n > 0);
        assert_true(procstat_sched_exec_start(buf, (size_t)n, &ms));
        assert_true(ms > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat_fields),  cmocka_unit_test(test_stat_names_raw),
        cmocka_unit_test(test_stat_refused), cmocka_unit_test(test_stat_live),
        cmocka_unit_test(test_sched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
