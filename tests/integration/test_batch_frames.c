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
#include <signal.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* The table of a kind in frame: its lines after "title: N...", up to the blank line. */
static char *table_of(const char *frame, const char *title)
{
    const char *p = strstr(frame, title);
    if (!p) fail_msg("no table '%s' in:\n%s", title, frame);
    p = strchr(p, '\n');
    assert_non_null(p);
    p++;
    const char *e = strstr(p, "\n\n");
    if (!e) e = p + strlen(p);
    char *t = strndup(p, (size_t)(e - p) + 1);
    assert_non_null(t);
    return t;
}

/* A process named name that creates a segment with key (so it is the creator, CPID) and
 * sleeps until killed. */
static pid_t named_creator(const char *name, key_t key)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        prctl(PR_SET_NAME, name);
        int id = shmget(key, 4096, IPC_CREAT | 0600);
        if (write(ready[1], &id, sizeof id) != sizeof id) _exit(1);
        for (;;) pause();
    }
    close(ready[1]);
    int id = -1;
    assert_int_equal(read(ready[0], &id, sizeof id), (ssize_t)sizeof id);
    close(ready[0]);
    assert_true(id >= 0);
    return pid;
}

/* -o picks the columns of every table, in its order; a name a kind lacks is left out of its
 * table; --raw --noheadings leaves only the cells, one space apart. */
static void test_output_columns(void **state)
{
    (void)state;
    int seg = wl_shm_create(0x0b0b0030, 8192, 0600);
    int set = wl_sem_create(0x0b0b0031, 3, 0600);
    int q = wl_msg_create(0x0b0b0032, 0600);
    assert_true(seg >= 0 && set >= 0 && q >= 0);
    pid_t att = wl_spawn_attacher(seg, 0);
    assert_true(att > 0);
    assert_int_equal(wl_sem_setval(set, 1, 2), 0);
    assert_int_equal(wl_msg_fill(q, 2, 10, 1), 0);

    struct tu_result r = tu_ipctop_run("-b", "-n", "1", "--raw", "--noheadings", "-o",
                                       "KEY,nsems,Nattch,values,msgs,usedbytes", NULL);
    assert_int_equal(r.status, 0);
    char *shm = table_of(r.out, "Shared memory segments: 1");
    assert_string_equal(shm, "0x0b0b0030 1\n");
    char *sem = table_of(r.out, "Semaphore sets: 1");
    assert_string_equal(sem, "0x0b0b0031 3 0,2,0\n");
    char *msg = table_of(r.out, "Message queues: 1");
    assert_string_equal(msg, "0x0b0b0032 2 20\n");
    free(shm), free(sem), free(msg);
    /* the frame's header stays */
    assert_true(strncmp(r.out, "ipctop - ", 9) == 0);
    tu_result_free(&r);

    /* headers: the catalog's titles, in -o's order */
    r = tu_ipctop_run("-b", "-n", "1", "-o", "id,key,attachers,msg/s", NULL);
    assert_int_equal(r.status, 0);
    shm = table_of(r.out, "Shared memory segments: 1");
    char want[256];
    snprintf(want, sizeof want, "ID KEY        ATTACHERS\n%2d 0x0b0b0030 %d(integ_test_batc)\n",
             seg, att);
    assert_string_equal(shm, want);
    msg = table_of(r.out, "Message queues: 1");
    snprintf(want, sizeof want, "ID KEY        MSG/S\n%2d 0x0b0b0032     -\n", q);
    assert_string_equal(msg, want);
    free(shm), free(msg);
    tu_result_free(&r);

    /* +COLUMNS: the defaults, then what is added, each column once */
    r = tu_ipctop_run("-b", "-n", "1", "-o", "+uid,key,atime", NULL);
    assert_int_equal(r.status, 0);
    shm = table_of(r.out, "Shared memory segments: 1");
    /* the header's words (the widths follow the cells) */
    char head[512];
    size_t h = 0;
    for (const char *c = shm; *c && *c != '\n' && h + 1 < sizeof head; c++)
        if (*c != ' ' || (h && head[h - 1] != ' ')) head[h++] = *c;
    head[h] = '\0';
    assert_string_equal(head, "STATE KEY ID OWNER PERMS SIZE RSS SWAP NATTCH ATTACHED STATUS CTIME "
                              "CPID LPID COMMAND LEAK CHANGED ATTACHERS UID ATIME");
    free(shm);
    tu_result_free(&r);
}

/* --raw escapes what would break a line into cells, as lsipc --raw does; the aligned table
 * keeps the text as it is. */
static void test_raw_escapes(void **state)
{
    (void)state;
    pid_t p = named_creator("a b\\c", 0x0b0b0033);
    struct tu_result r = tu_ipctop_run("-b", "-n", "1", "--raw", "-o", "key,command", NULL);
    assert_int_equal(r.status, 0);
    char *shm = table_of(r.out, "Shared memory segments: 1");
    assert_string_equal(shm, "KEY COMMAND\n0x0b0b0033 a\\x20b\\x5cc\n");
    free(shm);
    tu_result_free(&r);
    r = tu_ipctop_run("-b", "-n", "1", "-o", "key,command", NULL);
    shm = table_of(r.out, "Shared memory segments: 1");
    assert_string_equal(shm, "KEY        COMMAND\n0x0b0b0033 a b\\c\n");
    free(shm);
    tu_result_free(&r);
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
    assert_int_equal(shmctl(shmget(0x0b0b0033, 0, 0), IPC_RMID, NULL), 0);
}

/* STATE and CHANGED through -o, in raw lines: an empty state is an empty cell. */
static void test_states_raw(void **state)
{
    (void)state;
    int stay = wl_shm_create(0x0b0b0040, 4096, 0600);
    int doomed = wl_shm_create(0x0b0b0041, 4096, 0600);
    int watched = wl_shm_create(0x0b0b0042, 4096, 0600);
    assert_true(stay >= 0 && doomed >= 0 && watched >= 0);
    char *argv[] = {(char *)tu_ipctop(), "-b", "-n", "2", "-d", "1", "--raw", "--noheadings", "-o",
                    "state,key,changed", NULL};
    struct tu_proc p = tu_spawn(argv);
    char *f1 = tu_read_burst(&p, 300, 10000);
    assert_non_null(strstr(f1, "\n 0x0b0b0041 \n"));
    assert_int_equal(wl_remove(WL_SHM, doomed), 0);
    assert_true(wl_spawn_attacher(watched, 0) > 0);
    int status;
    char *f2 = tu_finish(&p, &status);
    assert_int_equal(status, 0);
    char *shm = table_of(f2, "Shared memory segments: 2");
    assert_string_equal(shm, " 0x0b0b0040 \n"
                             "gone 0x0b0b0041 \n"
                             "chg 0x0b0b0042 nattch,lpid,atime\n");
    free(shm);
    free(f1);
    free(f2);
}

static void test_bad_options(void **state)
{
    (void)state;
    const char *bad[][4] = {{"-d", "0", NULL},      {"-d", "abc", NULL},
                            {"-n", "-1", NULL},     {"--bogus", NULL, NULL},
                            {"-b", "--json", NULL}, {"-d", NULL, NULL},
                            {"-b", "-o", "nosuch"}, {"-b", "-o", "key,,id"},
                            {"-o", "key", NULL},    {"--noheadings", NULL, NULL},
                            {"--raw", NULL, NULL},  {"-b", "--output", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tu_result r = tu_ipctop_run(bad[i][0], bad[i][1], bad[i][2], NULL);
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
        cmocka_unit_test_teardown(test_output_columns, teardown),
        cmocka_unit_test_teardown(test_raw_escapes, teardown),
        cmocka_unit_test_teardown(test_states_raw, teardown),
        cmocka_unit_test_teardown(test_bad_options, teardown),
        cmocka_unit_test_teardown(test_frames_keep_rhythm, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
