/*
 * Every way ipctop can read the kernel gives the same objects: *_STAT_ANY, *_STAT and
 * /proc/sysvipc chosen by --source, and the automatic fallbacks when a path is really
 * taken away (seccomp makes *_STAT_ANY or the ctl calls fail; a tmpfs hides
 * /proc/sysvipc). As nobody, mode-000 objects are listed, with unknown fields null.
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

static int shm_id, sem_id, msg_id;

/* One object of each class, the same for every test of this file. */
static int setup(void **state)
{
    (void)state;
    shm_id = wl_shm_create(0x9a7b0001, 10000, 0640);
    sem_id = wl_sem_create(0x9a7b0002, 2, 0600);
    msg_id = wl_msg_create(0x9a7b0003, 0600);
    if (shm_id < 0 || sem_id < 0 || msg_id < 0) return -1;
    if (wl_sem_setval(sem_id, 1, 3) < 0 || wl_msg_fill(msg_id, 2, 50, 1) < 0) return -1;
    return wl_spawn_attacher(shm_id, WL_ATTACH_WRITE) > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    return 0;
}

/* What every path must agree on; which fields a path cannot know is checked by callers. */
static void check_common(json_object *doc)
{
    json_object *g = tu_find(doc, "shm", shm_id), *s = tu_find(doc, "sem", sem_id),
                *q = tu_find(doc, "msg", msg_id);
    assert_non_null(g);
    assert_non_null(s);
    assert_non_null(q);
    assert_string_equal(tu_str(g, "key"), "0x9a7b0001");
    assert_string_equal(tu_str(g, "perms"), "640");
    assert_int_equal(tu_int(g, "size"), 10000);
    assert_int_equal(tu_int(g, "nattch"), 1);
    assert_string_equal(tu_str(s, "key"), "0x9a7b0002");
    assert_int_equal(tu_int(s, "nsems"), 2);
    assert_string_equal(tu_str(q, "key"), "0x9a7b0003");
    assert_int_equal(tu_int(q, "msgs"), 2);
    assert_int_equal(tu_int(q, "usedbytes"), 100);
}

static void check_sem_values(json_object *doc)
{
    json_object *el;
    assert_true(json_object_object_get_ex(tu_find(doc, "sem", sem_id), "elements", &el));
    assert_int_equal(tu_int(json_object_array_get_idx(el, 1), "value"), 3);
}

static void test_source_stat_any(void **state)
{
    (void)state;
    json_object *doc = tu_ipctop_json("--source", "stat_any", NULL);
    check_common(doc);
    check_sem_values(doc);
    /* rss and swap exist only in /proc/sysvipc/shm */
    assert_true(tu_is_null(tu_find(doc, "shm", shm_id), "rss"));
    assert_int_equal(tu_int(tu_find(doc, "msg", msg_id), "qbytes"), 16384);
    json_object_put(doc);
}

static void test_source_stat(void **state)
{
    (void)state;
    json_object *doc = tu_ipctop_json("--source", "stat", NULL);
    check_common(doc);
    check_sem_values(doc);
    assert_true(tu_is_null(tu_find(doc, "shm", shm_id), "rss"));
    json_object_put(doc);
}

static void test_source_procfs(void **state)
{
    (void)state;
    json_object *doc = tu_ipctop_json("--source", "procfs", NULL);
    check_common(doc);
    check_sem_values(doc);
    assert_int_equal(tu_int(tu_find(doc, "shm", shm_id), "rss"), 12288);
    /* /proc/sysvipc/msg has no qbytes column */
    assert_true(tu_is_null(tu_find(doc, "msg", msg_id), "qbytes"));
    json_object_put(doc);
}

/* The batch header names the path each class was read through. */
static char *header_through(const char *modes)
{
    char *argv[] = {(char *)tu_helper("helper_restrict"),
                    (char *)modes,
                    "--",
                    (char *)tu_ipctop(),
                    "-b",
                    "-n",
                    "1",
                    NULL};
    struct tu_result r = tu_run(argv);
    if (r.status) fprintf(stderr, "%s\n", r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

static void test_auto_default_paths(void **state)
{
    (void)state;
    struct tu_result r = tu_ipctop_run("-b", "-n", "1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "shm via procfs, sem via stat_any, msg via stat_any"));
    tu_result_free(&r);
}

static void test_auto_falls_back_when_stat_any_refused(void **state)
{
    (void)state;
    char *out = header_through("no-stat-any");
    assert_non_null(strstr(out, "shm via procfs, sem via stat, msg via stat"));
    assert_non_null(strstr(out, "0x9a7b0002"));
    free(out);
    out = header_through("no-stat-any,no-procfs");
    assert_non_null(strstr(out, "shm via stat, sem via stat, msg via stat"));
    assert_non_null(strstr(out, "0x9a7b0001"));
    free(out);
}

static void test_auto_falls_back_when_calls_fail(void **state)
{
    (void)state;
    char *out = header_through("no-ipc-ctl");
    assert_non_null(strstr(out, "shm via procfs, sem via procfs, msg via procfs"));
    assert_non_null(strstr(out, "0x9a7b0003"));
    free(out);
    /* no call and no /proc: one clear sentence, exit 1 */
    char *argv[] = {(char *)tu_helper("helper_restrict"),
                    "no-ipc-ctl,no-procfs",
                    "--",
                    (char *)tu_ipctop(),
                    "--json",
                    NULL};
    struct tu_result r = tu_run(argv);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot read System V shm objects"));
    assert_string_equal(r.out, "");
    tu_result_free(&r);
}

/* ipctop --json run as nobody (through the restrict helper when modes are given). */
static json_object *json_as_nobody(const char *modes, const char *source)
{
    char *argv[16];
    int n = 0;
    if (modes) {
        argv[n++] = (char *)tu_helper("helper_restrict");
        argv[n++] = (char *)modes;
        argv[n++] = "--";
        argv[n++] = "/usr/bin/setpriv";
    } else {
        argv[n++] = "/usr/bin/setpriv";
    }
    argv[n++] = "--reuid=nobody";
    argv[n++] = "--regid=nogroup";
    argv[n++] = "--clear-groups";
    argv[n++] = (char *)tu_ipctop();
    argv[n++] = "--json";
    if (source) {
        argv[n++] = "--source";
        argv[n++] = (char *)source;
    }
    argv[n] = NULL;
    struct tu_result r = tu_run(argv);
    if (r.status) fprintf(stderr, "%s\n", r.err);
    assert_int_equal(r.status, 0);
    json_object *doc = json_tokener_parse(r.out);
    assert_non_null(doc);
    tu_result_free(&r);
    return doc;
}

static void test_mode_000_as_nobody(void **state)
{
    (void)state;
    int g = wl_shm_create(0x9a7b0100, 4096, 0);
    int s = wl_sem_create(0x9a7b0101, 2, 0);
    int q = wl_msg_create(0x9a7b0102, 0);
    int open_set = wl_sem_create(0x9a7b0103, 1, 0644);
    assert_true(g >= 0 && s >= 0 && q >= 0 && open_set >= 0);
    assert_int_equal(wl_sem_setval(open_set, 0, 9), 0);

    json_object *doc = json_as_nobody(NULL, NULL);
    json_object *go = tu_find(doc, "shm", g), *so = tu_find(doc, "sem", s),
                *qo = tu_find(doc, "msg", q);
    assert_non_null(go);
    assert_non_null(so);
    assert_non_null(qo);
    assert_string_equal(tu_str(go, "perms"), "000");
    assert_int_equal(tu_int(go, "size"), 4096);
    assert_int_equal(tu_int(so, "nsems"), 2);
    assert_int_equal(tu_int(qo, "qbytes"), 16384);
    /* the values of an unreadable set are unknown, not 0 */
    json_object *el;
    assert_true(json_object_object_get_ex(so, "elements", &el));
    assert_int_equal(json_object_array_length(el), 2);
    for (size_t i = 0; i < 2; i++) {
        json_object *e = json_object_array_get_idx(el, i);
        assert_int_equal(tu_int(e, "semnum"), (long long)i);
        assert_true(tu_is_null(e, "value"));
        assert_true(tu_is_null(e, "ncount"));
        assert_true(tu_is_null(e, "zcount"));
        assert_true(tu_is_null(e, "pid"));
    }
    /* a set nobody may read, next to it, still has its values */
    assert_true(json_object_object_get_ex(tu_find(doc, "sem", open_set), "elements", &el));
    assert_int_equal(tu_int(json_object_array_get_idx(el, 0), "value"), 9);
    json_object_put(doc);

    /* an old kernel (no *_STAT_ANY): *_STAT refuses them, /proc/sysvipc supplies them */
    doc = json_as_nobody("no-stat-any", NULL);
    assert_non_null(tu_find(doc, "shm", g));
    assert_non_null(tu_find(doc, "sem", s));
    assert_non_null(tu_find(doc, "msg", q));
    assert_int_equal(tu_int(tu_find(doc, "msg", q), "msgs"), 0);
    json_object_put(doc);

    /* forced to *_STAT alone, what cannot be read is counted, not invented */
    doc = json_as_nobody(NULL, "stat");
    assert_null(tu_find(doc, "sem", s));
    json_object *unreadable, *n;
    assert_true(json_object_object_get_ex(doc, "unreadable", &unreadable));
    /* setup()'s 0600 set and the 000 set; the 0644 one is read */
    assert_true(json_object_object_get_ex(unreadable, "sem", &n));
    assert_int_equal(json_object_get_int(n), 2);
    assert_non_null(tu_find(doc, "sem", open_set));
    json_object_put(doc);

    struct tu_result r = tu_run_as_nobody(tu_ipctop(), "-b", "-n", "1", NULL);
    assert_int_equal(r.status, 0);
    char line[512];
    assert_true(tu_line_with(r.out, "0x9a7b0101", line, sizeof line));
    assert_non_null(strstr(line, "?"));
    /* setup()'s 0600 set and the 000 set */
    assert_non_null(strstr(r.out, "2 semaphore sets do not let this user read their values"));
    tu_result_free(&r);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_stat_any),
        cmocka_unit_test(test_source_stat),
        cmocka_unit_test(test_source_procfs),
        cmocka_unit_test(test_auto_default_paths),
        cmocka_unit_test(test_auto_falls_back_when_stat_any_refused),
        cmocka_unit_test(test_auto_falls_back_when_calls_fail),
        cmocka_unit_test(test_mode_000_as_nobody),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
