/*
 * Segment content and queue messages on real objects in a private IPC namespace:
 * --dump --raw gives exactly the bytes written; with an attacher, dumping changes nothing
 * anyone can see (nattch, lpid, atime, dtime); a 1 GiB SHM_NORESERVE segment with one
 * written page dumps quickly and its rss does not grow; without an attacher the fallback
 * attaches and detaches; control bytes never reach the output raw; --peek shows the
 * messages and leaves them queued.
 */
#include "attach.h"
#include "content.h"
#include "testutil.h"
#include "workload.h"

#include <sys/mman.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    return 0;
}

static struct tu_result dump(int id, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char ids[16];
    snprintf(ids, sizeof ids, "%d", id);
    char *argv[] = {(char *)tu_ipctop(), "--dump",   ids,        (char *)a1,
                    (char *)a2,          (char *)a3, (char *)a4, NULL};
    return tu_run(argv);
}

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)(i * 31 + seed);
}

static void test_raw_is_exact(void **state)
{
    (void)state;
    int id = wl_shm_create(0xd0d00001, 10000, 0600);
    uint8_t want[10000];
    pattern(want, sizeof want, 7);
    assert_int_equal(wl_shm_write(id, 0, want, sizeof want), 0);
    struct tu_result r = dump(id, "--raw", NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, sizeof want);
    assert_memory_equal(r.out, want, sizeof want);
    tu_result_free(&r);
    r = dump(id, "--raw", "--offset", "0x100", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, sizeof want - 0x100);
    assert_memory_equal(r.out, want + 0x100, sizeof want - 0x100);
    tu_result_free(&r);
    r = dump(id, "--raw", "--offset", "9990", "--length=10");
    assert_int_equal(r.status, 0);
    assert_int_equal(r.outlen, 10);
    assert_memory_equal(r.out, want + 9990, 10);
    tu_result_free(&r);
    /* out of range and missing ids: exit 1, one sentence */
    r = dump(id, "--offset", "10000", NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "past the end"));
    tu_result_free(&r);
    r = dump(id, "--offset", "9000", "--length", "2000");
    assert_int_equal(r.status, 1);
    tu_result_free(&r);
    r = dump(987654, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "does not exist"));
    assert_string_equal(r.out, "");
    tu_result_free(&r);
}

static void stat_of(int id, struct shmid_ds *d)
{
    assert_int_equal(shmctl(id, IPC_STAT, d), 0);
}

static void test_attacher_present_no_side_effects(void **state)
{
    (void)state;
    int id = wl_shm_create(0xd0d00002, 3 * 4096, 0600);
    pid_t att = wl_spawn_attacher(id, WL_ATTACH_WRITE);
    assert_true(att > 0);
    struct shmid_ds before, after;
    stat_of(id, &before);
    sleep(1); /* so that a change of atime/dtime would show */
    struct tu_result r = dump(id, "--raw", NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "side-effect free"));
    assert_int_equal(r.outlen, 3 * 4096);
    /* the attacher wrote byte[i] = i */
    for (int i = 0; i < 3 * 4096; i++) assert_int_equal((uint8_t)r.out[i], (uint8_t)i);
    tu_result_free(&r);
    stat_of(id, &after);
    assert_int_equal(after.shm_nattch, before.shm_nattch);
    assert_int_equal(after.shm_lpid, before.shm_lpid);
    assert_int_equal(after.shm_atime, before.shm_atime);
    assert_int_equal(after.shm_dtime, before.shm_dtime);
}

static long long rss_of(int id)
{
    json_object *doc = tu_ipctop_json(NULL);
    long long v = tu_int(tu_find(doc, "shm", id), "rss");
    json_object_put(doc);
    return v;
}

static void test_big_sparse_segment(void **state)
{
    (void)state;
    const size_t gib = (size_t)1 << 30;
    int id = wl_shm_create(0xd0d00003, gib, 0600 | SHM_NORESERVE);
    assert_true(id >= 0);
    const char msg[] = "one page written at 512 MiB";
    assert_int_equal(wl_shm_write(id, gib / 2, msg, sizeof msg), 0);
    assert_true(wl_spawn_attacher(id, 0) > 0);
    long long rss = rss_of(id);
    assert_int_equal(rss, 4096);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct tu_result r = dump(id, NULL, NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(r.status, 0);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* holes are skipped, not read: a gibibyte in well under a few seconds */
    assert_true(took < 3.0);
    assert_non_null(strstr(r.out, "-- hole: 512M"));
    assert_non_null(strstr(r.out, "20000000  6f 6e 65 20"));
    assert_true(tu_count(r.out, "\n") < 20);
    tu_result_free(&r);
    assert_int_equal(rss_of(id), rss);
}

static void test_no_attacher_fallback(void **state)
{
    (void)state;
    int id = wl_shm_create(0xd0d00004, 8192, 0600);
    const char text[] = "fallback";
    assert_int_equal(wl_shm_write(id, 4096, text, sizeof text), 0);
    struct shmid_ds before, after;
    stat_of(id, &before);
    assert_int_equal(before.shm_nattch, 0);
    struct tu_result r = dump(id, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "attached read-only"));
    assert_non_null(strstr(r.err, "changes nattch"));
    assert_non_null(strstr(r.out, "|fallback"));
    tu_result_free(&r);
    stat_of(id, &after);
    /* it attached (lpid is now ipctop's) and detached again */
    assert_int_equal(after.shm_nattch, 0);
    assert_int_not_equal(after.shm_lpid, before.shm_lpid);
    /* and it did not read the page nobody touched: rss stays one page */
    assert_int_equal(rss_of(id), 4096);
}

static void test_control_bytes_never_raw(void **state)
{
    (void)state;
    int id = wl_shm_create(0xd0d00005, 4096, 0600);
    const char evil[] = "\x1b[2J\x1b]0;pwned\a\x9b\x07\x08\r\n";
    assert_int_equal(wl_shm_write(id, 0, evil, sizeof evil), 0);
    struct tu_result r = dump(id, NULL, NULL, NULL, NULL);
    assert_int_equal(r.status, 0);
    for (const char *p = r.out; *p; p++) {
        unsigned char c = (unsigned char)*p;
        assert_true(c == '\n' || (c >= 0x20 && c < 0x7f));
    }
    assert_non_null(strstr(r.out, "1b 5b 32 4a"));
    tu_result_free(&r);
}

static void test_peek_leaves_messages(void **state)
{
    (void)state;
    int q = wl_msg_create(0xd0d00006, 0600);
    assert_int_equal(wl_msg_fill(q, 3, 40, 9), 0);
    char ids[16];
    snprintf(ids, sizeof ids, "%d", q);
    char *argv[] = {(char *)tu_ipctop(), "--peek", ids, NULL};
    struct tu_result r = tu_run(argv);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "3 messages"));
    assert_non_null(strstr(r.out, "message 2: type 9, 40 bytes"));
    /* wl_msg_fill writes byte[i] = i */
    assert_non_null(strstr(r.out, "00 01 02 03"));
    tu_result_free(&r);
    char *argv2[] = {(char *)tu_ipctop(), "--peek", ids, "--json", NULL};
    r = tu_run(argv2);
    assert_int_equal(r.status, 0);
    json_object *doc = json_tokener_parse(r.out), *arr;
    assert_non_null(doc);
    assert_true(json_object_object_get_ex(doc, "messages", &arr));
    assert_int_equal(json_object_array_length(arr), 3);
    json_object *m0 = json_object_array_get_idx(arr, 0);
    assert_int_equal(tu_int(m0, "type"), 9);
    assert_int_equal(tu_int(m0, "size"), 40);
    assert_string_equal(tu_str(m0, "data_base64"),
                        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==");
    json_object_put(doc);
    tu_result_free(&r);
    struct msqid_ds d;
    assert_int_equal(msgctl(q, IPC_STAT, &d), 0);
    assert_int_equal(d.msg_qnum, 3);
    assert_int_equal(d.msg_lrpid, 0); /* nobody received */
    char *argv3[] = {(char *)tu_ipctop(), "--peek", "4242", NULL};
    r = tu_run(argv3);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "does not exist"));
    tu_result_free(&r);
}

static void keep_first(void *ctx, const struct shm_mapping *m)
{
    struct shm_mapping *out = ctx;
    if (!out->pid) *out = *m;
}

/* The reader tries the mappings a snapshot knows before reading every process's maps, and
 * checks them as it checks scanned ones: a mapping that is not the segment's file is not
 * used, however it was handed over. */
static void test_known_mappings_checked(void **state)
{
    (void)state;
    int id = wl_shm_create(0xd0d00007, 2 * 4096, 0600);
    pid_t att = wl_spawn_attacher(id, WL_ATTACH_WRITE);
    assert_true(att > 0);
    /* the attacher's real mapping, as the scan reads it */
    struct shm_devs devs;
    uint64_t sizes[SHMDEV_MAX_HUGE];
    shmdev_probe(&devs, sizes, shmdev_hugepage_sizes(sizes, SHMDEV_MAX_HUGE));
    struct shm_mapping real = {0};
    char buf[65536];
    bool no_query = false;
    assert_int_equal(
        attach_read_process("/proc", att, &devs, keep_first, &real, buf, sizeof buf, &no_query), 0);
    assert_int_equal(real.pid, att);
    assert_int_equal(real.shmid, id);
    /* a mapping of this process that is not the segment, named as if it were */
    void *other = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assert_true(other != MAP_FAILED);
    struct shm_mapping forged = real;
    forged.pid = getpid();
    forged.start = (uint64_t)(uintptr_t)other;
    forged.end = forged.start + 4096;

    struct shm_reader r;
    char err[256];
    /* the right one: used as it is */
    assert_int_equal(content_open_via(&r, id, &real, 1, err, sizeof err), 0);
    assert_int_equal(r.path, CONTENT_MAPFILE);
    assert_int_equal(r.via_pid, att);
    /* the forged one alone: refused, and the scan finds the attacher */
    assert_int_equal(content_open_via(&r, id, &forged, 1, err, sizeof err), 0);
    assert_int_equal(r.path, CONTENT_MAPFILE);
    assert_int_equal(r.via_pid, att);
    assert_true(r.map_start == real.start && r.map_end == real.end);
    /* a mapping of another segment is not this one's */
    struct shm_mapping elsewhere = real;
    elsewhere.shmid = id + 1;
    assert_int_equal(content_open_via(&r, id, &elsewhere, 1, err, sizeof err), 0);
    assert_int_equal(r.via_pid, att);
    uint8_t b[16], k[16];
    assert_int_equal(content_read(&r, 0, sizeof b, b, k, err, sizeof err), (ssize_t)sizeof b);
    for (int i = 0; i < 16; i++) assert_int_equal(b[i], (uint8_t)i);
    munmap(other, 4096);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_raw_is_exact, teardown),
        cmocka_unit_test_teardown(test_attacher_present_no_side_effects, teardown),
        cmocka_unit_test_teardown(test_big_sparse_segment, teardown),
        cmocka_unit_test_teardown(test_no_attacher_fallback, teardown),
        cmocka_unit_test_teardown(test_control_bytes_never_raw, teardown),
        cmocka_unit_test_teardown(test_peek_leaves_messages, teardown),
        cmocka_unit_test_teardown(test_known_mappings_checked, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
