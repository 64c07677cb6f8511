/*
 * Counts that only real processes make: ncount/zcount from processes blocked in semop,
 * nattch from attached processes, msgs from queued messages.
 */
#include "testutil.h"
#include "workload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
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

static json_object *element(json_object *set, int semnum)
{
    json_object *el;
    assert_true(json_object_object_get_ex(set, "elements", &el));
    return json_object_array_get_idx(el, (size_t)semnum);
}

static void test_blocked_semop_counts(void **state)
{
    (void)state;
    int id = wl_sem_create(0x5e5e0001, 3, 0600);
    assert_true(id >= 0);
    /* one waits to decrement semaphore 0 (value 0) */
    struct sembuf dec = {0, -1, 0};
    assert_true(wl_spawn_sem_waiter(id, &dec, 1) > 0);
    /* semaphore 2 is 1; two wait for it to become zero */
    assert_int_equal(wl_sem_setval(id, 2, 1), 0);
    struct sembuf zero = {2, 0, 0};
    assert_true(wl_spawn_sem_waiter(id, &zero, 1) > 0);
    assert_true(wl_spawn_sem_waiter(id, &zero, 1) > 0);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *set = tu_find(doc, "sem", id);
    assert_non_null(set);
    assert_int_equal(tu_int(element(set, 0), "ncount"), 1);
    assert_int_equal(tu_int(element(set, 0), "zcount"), 0);
    assert_int_equal(tu_int(element(set, 1), "ncount"), 0);
    assert_int_equal(tu_int(element(set, 1), "zcount"), 0);
    assert_int_equal(tu_int(element(set, 2), "ncount"), 0);
    assert_int_equal(tu_int(element(set, 2), "zcount"), 2);
    json_object_put(doc);

    /* batch shows the values and the totals: VALUES 0,0,1 WAITERS 3, NCOUNT 1, ZCOUNT 2 */
    struct tu_result r = tu_ipctop_run("-b", "-n", "1", NULL);
    assert_int_equal(r.status, 0);
    char line[512];
    assert_true(tu_line_with(r.out, "0x5e5e0001", line, sizeof line));
    int nsems, waiters, ncount, zcount;
    char key[16], values[32];
    assert_int_equal(sscanf(line, " %15s %*d %*s %*s %d %31s %d %d %d", key, &nsems, values,
                            &waiters, &ncount, &zcount),
                     6);
    assert_int_equal(nsems, 3);
    assert_string_equal(values, "0,0,1");
    assert_int_equal(waiters, 3);
    assert_int_equal(ncount, 1);
    assert_int_equal(zcount, 2);
    tu_result_free(&r);
}

static void test_two_attachers_nattch(void **state)
{
    (void)state;
    int id = wl_shm_create(0x5e5e0002, 8192, 0600);
    assert_true(id >= 0);
    pid_t a = wl_spawn_attacher(id, 0);
    pid_t b = wl_spawn_attacher(id, SHM_RDONLY);
    assert_true(a > 0 && b > 0);
    json_object *doc = tu_ipctop_json(NULL);
    assert_int_equal(tu_int(tu_find(doc, "shm", id), "nattch"), 2);
    assert_int_equal(tu_int(tu_find(doc, "shm", id), "lpid"), b);
    json_object_put(doc);

    /* one attach, then a fork: the kernel counts the mapping twice */
    int id2 = wl_shm_create(0x5e5e0003, 4096, 0600);
    pid_t child;
    assert_true(wl_spawn_attacher_forking(id2, 0, &child) > 0);
    doc = tu_ipctop_json(NULL);
    assert_int_equal(tu_int(tu_find(doc, "shm", id2), "nattch"), 2);
    json_object_put(doc);
}

static void test_queue_with_three_messages(void **state)
{
    (void)state;
    int id = wl_msg_create(0x5e5e0004, 0600);
    assert_true(id >= 0);
    assert_int_equal(wl_msg_fill(id, 3, 10, 1), 0);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *q = tu_find(doc, "msg", id);
    assert_int_equal(tu_int(q, "msgs"), 3);
    assert_int_equal(tu_int(q, "usedbytes"), 30);
    json_object_put(doc);
}

static void test_blocked_receiver_and_sender(void **state)
{
    (void)state;
    /* they do not change the counts, but the queue must still read right around them */
    int empty = wl_msg_create(0x5e5e0005, 0600);
    assert_true(wl_spawn_msg_receiver(empty, 7) > 0);
    int full = wl_msg_create(0x5e5e0006, 0600);
    assert_int_equal(wl_msg_fill_to_limit(full, 1024, 1), 0);
    assert_true(wl_spawn_msg_sender(full, 100) > 0);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *q = tu_find(doc, "msg", full);
    assert_int_equal(tu_int(q, "usedbytes"), tu_int(q, "qbytes"));
    assert_int_equal(tu_int(tu_find(doc, "msg", empty), "msgs"), 0);
    json_object_put(doc);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_blocked_semop_counts, teardown),
        cmocka_unit_test_teardown(test_two_attachers_nattch, teardown),
        cmocka_unit_test_teardown(test_queue_with_three_messages, teardown),
        cmocka_unit_test_teardown(test_blocked_receiver_and_sender, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
