/*
 * collect/nsinfo.c: namespace links parsed strictly; the per-refresh cache reads each
 * process's /proc/PID/ns/ipc once per refresh, and again after the next begin. A made-up
 * proc root (a directory of symlinks) stands in for /proc, so the test can change a link
 * between two questions and see which answer came from the cache.
 */
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

#include "nsinfo.h"

static void test_parse_link(void **state)
{
    (void)state;
    assert_true(ns_parse_link("ipc:[4026531839]", "ipc") == UINT64_C(4026531839));
    assert_true(ns_is_initial_ipc(ns_parse_link("ipc:[4026531839]", "ipc")));
    assert_true(ns_parse_link("ipc:[4026531839]", "mnt") == 0);
    assert_true(ns_parse_link("ipc:[]", "ipc") == 0);
    assert_true(ns_parse_link("ipc:[12", "ipc") == 0);
    assert_true(ns_parse_link("ipc:[12]x", "ipc") == 0);
    assert_true(ns_parse_link("ipc:[99999999999999999999999]", "ipc") == 0);
    assert_true(ns_parse_link("ipc[12]", "ipc") == 0);
}

struct fake_proc {
    char root[64];
};

/* <root>/<dir>/ns/ipc -> "ipc:[ino]" (replacing what was there) */
static void set_link(const struct fake_proc *p, const char *dir, uint64_t ino)
{
    char path[256], target[64];
    snprintf(path, sizeof path, "%s/%s", p->root, dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/ns", p->root, dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/ns/ipc", p->root, dir);
    unlink(path);
    snprintf(target, sizeof target, "ipc:[%llu]", (unsigned long long)ino);
    assert_int_equal(symlink(target, path), 0);
}

static void test_cache(void **state)
{
    (void)state;
    struct fake_proc p;
    snprintf(p.root, sizeof p.root, "/tmp/ipctop-nsinfo-XXXXXX");
    assert_non_null(mkdtemp(p.root));
    set_link(&p, "self", 4026532100);
    set_link(&p, "42", 4026532100);
    set_link(&p, "43", 4026532200);

    struct ns_cache c = {0};
    /* outside a refresh, nothing is kept */
    assert_true(ns_cache_ipc(&c, p.root, "42") == 4026532100);
    set_link(&p, "42", 4026532300);
    assert_true(ns_cache_ipc(&c, p.root, "42") == 4026532300);

    ns_cache_begin(&c, p.root);
    assert_true(c.self == 4026532100);
    assert_true(ns_cache_ipc(&c, p.root, "self") == 4026532100);
    assert_true(ns_cache_ipc(&c, p.root, "42") == 4026532300);
    assert_true(ns_cache_ipc(&c, p.root, "43") == 4026532200);
    assert_true(ns_cache_ipc(&c, p.root, "44") == 0); /* no such process: unreadable */
    /* within the refresh, the first answer stands (read once), also for self */
    set_link(&p, "42", 4026532400);
    set_link(&p, "self", 4026532500);
    assert_true(ns_cache_ipc(&c, p.root, "42") == 4026532300);
    assert_true(ns_cache_ipc(&c, p.root, "self") == 4026532100);
    /* many processes: the table grows and keeps every answer */
    for (int pid = 1000; pid < 4000; pid++) {
        char dir[16];
        snprintf(dir, sizeof dir, "%d", pid);
        if (pid % 7 == 0) set_link(&p, dir, 4026532000 + (uint64_t)pid);
        assert_true(ns_cache_ipc(&c, p.root, dir) ==
                    (pid % 7 == 0 ? 4026532000 + (uint64_t)pid : 0));
    }
    assert_true(ns_cache_ipc(&c, p.root, "43") == 4026532200);
    assert_true(ns_cache_ipc(&c, p.root, "1001") == 4026532000 + 1001);
    /* not a pid: read, not kept */
    assert_true(ns_cache_ipc(&c, p.root, "4x") == 0);
    /* the next refresh reads again */
    ns_cache_begin(&c, p.root);
    assert_true(c.self == 4026532500);
    assert_true(ns_cache_ipc(&c, p.root, "42") == 4026532400);
    ns_cache_free(&c);
    /* NULL: no cache */
    assert_true(ns_cache_ipc(NULL, p.root, "43") == 4026532200);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p.root);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_link),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
