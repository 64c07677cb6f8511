/*
 * `ipctop -b`: frames, and what the second frame says changed — an object removed
 * between two frames is listed once more as gone, a new one as new, a changed one with
 * the fields that changed — on real objects changed between two real frames.
 */
#include "testutil.h"
#include "workload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <cmocka.h>

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    return 0;
}

/* Starts `ipctop -b -n N -d D`, returns once its first frame has been printed. */
static struct tu_proc start_batch(const char *n, const char *d, char **first)
{
    char *argv[] = {(char *)tu_ipctop(), "-b", "-n", (char *)n, "-d", (char *)d, NULL};
    struct tu_proc p = tu_spawn(argv);
    *first = tu_read_burst(&p, 300, 10000);
    assert_non_null(strstr(*first, "ipctop - "));
    assert_non_null(strstr(*first, "Message queues"));
    return p;
}

/* The state column (first word before the key) of the row of key in frame. */
static void row_of(const char *frame, const char *key, char *line, size_t len)
{
    if (!tu_line_with(frame, key, line, len)) {
        fprintf(stderr, "no row for %s in:\n%s\n", key, frame);
        fail();
    }
}

static void test_gone_new_changed(void **state)
{
    (void)state;
    int doomed = wl_shm_create(0x0b0b0001, 4096, 0600);
    int watched = wl_shm_create(0x0b0b0002, 4096, 0600);
    int set = wl_sem_create(0x0b0b0003, 2, 0600);
    assert_true(doomed >= 0 && watched >= 0 && set >= 0);
    char *f1;
    struct tu_proc p = start_batch("3", "1", &f1);
    char line[512];
    row_of(f1, "0x0b0b0001", line, sizeof line);
    assert_null(strstr(line, "gone"));
    /* a frame has its header first */
    assert_true(strncmp(f1, "ipctop - ", 9) == 0);

    /* between frame 1 and 2: remove one, attach another, change a semaphore, add one */
    assert_int_equal(wl_remove(WL_SHM, doomed), 0);
    assert_true(wl_spawn_attacher(watched, 0) > 0);
    assert_int_equal(wl_sem_setval(set, 1, 5), 0);
    int fresh = wl_msg_create(0x0b0b0004, 0600);
    assert_true(fresh >= 0);

    char *f2 = tu_read_burst(&p, 300, 10000);
    assert_true(strncmp(f2, "ipctop - ", 9) == 0);
    row_of(f2, "0x0b0b0001", line, sizeof line);
    assert_true(strncmp(line, "gone ", 5) == 0);
    row_of(f2, "0x0b0b0002", line, sizeof line);
    assert_true(strncmp(line, "chg ", 4) == 0);
    assert_non_null(strstr(line, "nattch"));
    assert_non_null(strstr(line, "lpid"));
    assert_non_null(strstr(line, "atime"));
    assert_null(strstr(line, "size"));
    row_of(f2, "0x0b0b0003", line, sizeof line);
    assert_true(strncmp(line, "chg ", 4) == 0);
    assert_non_null(strstr(line, "value"));
    assert_non_null(strstr(line, "pid"));
    row_of(f2, "0x0b0b0004", line, sizeof line);
    assert_true(strncmp(line, "new ", 4) == 0);
    assert_non_null(strstr(f2, "Shared memory segments: 1 (0 new, 1 changed, 1 gone)"));

    /* frame 3: the gone one has left, nothing else changed */
    int status;
    char *f3 = tu_finish(&p, &status);
    assert_int_equal(status, 0);
    assert_null(strstr(f3, "0x0b0b0001"));
    row_of(f3, "0x0b0b0002", line, sizeof line);
    assert_false(strncmp(line, "chg", 3) == 0 || strncmp(line, "new", 3) == 0);
    assert_int_equal(tu_count(f3, "ipctop - "), 1);
    free(f1);
    free(f2);
    free(f3);
}

static void test_recreated_is_not_changed(void **state)
{
    (void)state;
    int a = wl_sem_create(0x0b0b0010, 1, 0600);
    assert_true(a >= 0);
    char *f1;
    struct tu_proc p = start_batch("2", "1", &f1);
    /* removed and created again with the same key: a new object, not a changed one */
    assert_int_equal(wl_remove(WL_SEM, a), 0);
    int b = wl_sem_create(0x0b0b0010, 1, 0600);
    assert_true(b >= 0 && b != a);
    int status;
    char *f2 = tu_finish(&p, &status);
    assert_int_equal(status, 0);
    assert_int_equal(tu_count(f2, "0x0b0b0010"), 2);
    assert_non_null(strstr(f2, "Semaphore sets: 1 (1 new, 0 changed, 1 gone)"));
    free(f1);
    free(f2);
}

static void test_queue_rates(void **state)
{
    (void)state;
    int q = wl_msg_create(0x0b0b0020, 0600);
    assert_true(q >= 0);
    char *f1;
    struct tu_proc p = start_batch("2", "1", &f1);
    assert_int_equal(wl_msg_fill(q, 10, 100, 1), 0);
    int status;
    char *f2 = tu_finish(&p, &status);
    assert_int_equal(status, 0);
    char line[512];
    row_of(f2, "0x0b0b0020", line, sizeof line);
    /* 10 messages and 1000 bytes arrived within about one second */
    char *plus = strchr(line, '+');
    assert_non_null(plus);
    double mps = strtod(plus + 1, NULL);
    assert_true(mps > 5 && mps < 20);
    assert_non_null(strstr(line, "msgs,usedbytes"));
    free(f1);
    free(f2);
}

static void test_bad_options(void **state)
{
    (void)state;
    const char *bad[][3] = {{"-d", "0", NULL},       {"-d", "abc", NULL},    {"-n", "-1", NULL},
                            {"--bogus", NULL, NULL}, {"-b", "--json", NULL}, {"-d", NULL, NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tu_result r = tu_ipctop_run(bad[i][0], bad[i][1], NULL);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.out, "");
        /* one sentence, one line */
        assert_true(strncmp(r.err, "ipctop: ", 8) == 0);
        assert_int_equal(tu_count(r.err, "\n"), 1);
        tu_result_free(&r);
    }
    struct tu_result r = tu_ipctop_run("--help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--json"));
    tu_result_free(&r);
    r = tu_ipctop_run("--version", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "ipctop ", 7) == 0);
    tu_result_free(&r);
}

static void test_frames_keep_rhythm(void **state)
{
    (void)state;
    /* -n 4 -d 0.2: four frames, about 0.6 s */
    long long t0 = tu_now();
    struct tu_result r = tu_ipctop_run("-b", "-n", "4", "-d", "0.2", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count(r.out, "ipctop - "), 4);
    assert_true(tu_now() - t0 < 4);
    tu_result_free(&r);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_gone_new_changed, teardown),
        cmocka_unit_test_teardown(test_recreated_is_not_changed, teardown),
        cmocka_unit_test_teardown(test_queue_rates, teardown),
        cmocka_unit_test_teardown(test_bad_options, teardown),
        cmocka_unit_test_teardown(test_frames_keep_rhythm, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
