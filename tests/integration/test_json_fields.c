/*
 * `ipctop --json` against what the kernel itself reports (IPC_STAT, GETALL, ...), for
 * every field of every class, on real objects in a private IPC namespace.
 */
#include "testutil.h"
#include "semun.h"
#include "workload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cmocka.h>

static int teardown(void **state)
{
    (void)state;
    wl_cleanup();
    return 0;
}

static void check_key(json_object *o, uint32_t key)
{
    char want[16];
    snprintf(want, sizeof want, "0x%08x", key);
    assert_string_equal(tu_str(o, "key"), want);
}

static void check_time(json_object *o, const char *field, time_t t)
{
    if (t == 0)
        assert_true(tu_is_null(o, field));
    else
        assert_int_equal(tu_int(o, field), (long long)t);
}

static void check_perm(json_object *o, const struct ipc_perm *p)
{
    check_key(o, (uint32_t)p->__key);
    assert_string_equal(tu_str(o, "owner"), "root");
    assert_int_equal(tu_int(o, "uid"), p->uid);
    assert_int_equal(tu_int(o, "gid"), p->gid);
    assert_int_equal(tu_int(o, "cuid"), p->cuid);
    assert_int_equal(tu_int(o, "cgid"), p->cgid);
    char perms[8];
    snprintf(perms, sizeof perms, "%03o", p->mode & 0777);
    assert_string_equal(tu_str(o, "perms"), perms);
}

static void test_shm_fields(void **state)
{
    (void)state;
    int id = wl_shm_create(0x1c0ffee1, 12345, 0640);
    assert_true(id >= 0);
    pid_t att = wl_spawn_attacher(id, WL_ATTACH_WRITE);
    assert_true(att > 0);
    struct shmid_ds ds;
    assert_int_equal(shmctl(id, IPC_STAT, &ds), 0);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *o = tu_find(doc, "shm", id);
    assert_non_null(o);
    check_perm(o, &ds.shm_perm);
    assert_int_equal(tu_int(o, "id"), id);
    assert_int_equal(tu_int(o, "size"), 12345);
    assert_int_equal(tu_int(o, "nattch"), 1);
    assert_int_equal(tu_int(o, "cpid"), ds.shm_cpid);
    assert_int_equal(tu_int(o, "lpid"), att);
    check_time(o, "atime", ds.shm_atime);
    check_time(o, "dtime", ds.shm_dtime);
    check_time(o, "ctime", ds.shm_ctime);
    /* the attacher wrote every byte: every page of the segment is resident */
    long page = sysconf(_SC_PAGESIZE);
    assert_int_equal(tu_int(o, "rss"), (12345 + page - 1) / page * page);
    assert_int_equal(tu_int(o, "swap"), 0);
    json_object *status;
    assert_true(json_object_object_get_ex(o, "status", &status));
    assert_int_equal(json_object_array_length(status), 0);
    json_object_put(doc);
}

static void test_shm_removed_while_attached_is_dest(void **state)
{
    (void)state;
    int id = wl_shm_create(0x1c0ffee2, 4096, 0600);
    assert_true(id >= 0);
    assert_true(wl_spawn_attacher(id, 0) > 0);
    assert_int_equal(shmctl(id, IPC_RMID, NULL), 0);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *o = tu_find(doc, "shm", id);
    assert_non_null(o);
    /* the kernel keeps it for its attacher, with key 0 and SHM_DEST */
    assert_string_equal(tu_str(o, "key"), "0x00000000");
    json_object *status;
    assert_true(json_object_object_get_ex(o, "status", &status));
    assert_int_equal(json_object_array_length(status), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(status, 0)), "dest");
    json_object_put(doc);
}

static void test_sem_fields(void **state)
{
    (void)state;
    /* /proc prints this key as -27234923: it must come out unsigned */
    int id = wl_sem_create((key_t)0xfe606d95, 3, 0600);
    assert_true(id >= 0);
    assert_int_equal(wl_sem_setval(id, 1, 7), 0);
    struct sembuf op = {2, 1, 0};
    assert_int_equal(semop(id, &op, 1), 0);
    struct semid_ds ds;
    union semun u = {.buf = &ds};
    assert_int_equal(semctl(id, 0, IPC_STAT, u), 0);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *o = tu_find(doc, "sem", id);
    assert_non_null(o);
    check_perm(o, &ds.sem_perm);
    assert_string_equal(tu_str(o, "key"), "0xfe606d95");
    assert_int_equal(tu_int(o, "nsems"), 3);
    check_time(o, "otime", ds.sem_otime);
    assert_true(tu_int(o, "otime") > 0);
    check_time(o, "ctime", ds.sem_ctime);
    json_object *el;
    assert_true(json_object_object_get_ex(o, "elements", &el));
    assert_int_equal(json_object_array_length(el), 3);
    for (int i = 0; i < 3; i++) {
        json_object *e = json_object_array_get_idx(el, (size_t)i);
        assert_int_equal(tu_int(e, "semnum"), i);
        assert_int_equal(tu_int(e, "value"), semctl(id, i, GETVAL));
        assert_int_equal(tu_int(e, "pid"), semctl(id, i, GETPID));
        assert_int_equal(tu_int(e, "ncount"), 0);
        assert_int_equal(tu_int(e, "zcount"), 0);
    }
    /* the values themselves, not only agreement: SETVAL 7 on 1, semop +1 on 2 */
    assert_int_equal(tu_int(json_object_array_get_idx(el, 1), "value"), 7);
    assert_int_equal(tu_int(json_object_array_get_idx(el, 2), "value"), 1);
    assert_int_equal(tu_int(json_object_array_get_idx(el, 2), "pid"), getpid());
    assert_int_equal(tu_int(json_object_array_get_idx(el, 0), "pid"), 0);
    json_object_put(doc);
}

static void test_msg_fields(void **state)
{
    (void)state;
    int id = wl_msg_create(0x7fffffff, 0620);
    assert_true(id >= 0);
    assert_int_equal(wl_msg_fill(id, 3, 100, 5), 0);
    struct msqid_ds ds;
    assert_int_equal(msgctl(id, IPC_STAT, &ds), 0);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *o = tu_find(doc, "msg", id);
    assert_non_null(o);
    check_perm(o, &ds.msg_perm);
    assert_int_equal(tu_int(o, "msgs"), 3);
    assert_int_equal(tu_int(o, "usedbytes"), 300);
    assert_int_equal(tu_int(o, "qbytes"), (long long)ds.msg_qbytes);
    assert_int_equal(tu_int(o, "lspid"), getpid());
    assert_int_equal(tu_int(o, "lrpid"), 0);
    check_time(o, "stime", ds.msg_stime);
    assert_true(tu_is_null(o, "rtime"));
    check_time(o, "ctime", ds.msg_ctime);
    json_object_put(doc);
}

static void test_every_object_listed(void **state)
{
    (void)state;
    int ids[3][40];
    for (int i = 0; i < 40; i++) {
        ids[0][i] = wl_shm_create(IPC_PRIVATE, 4096, 0600);
        ids[1][i] = wl_sem_create(IPC_PRIVATE, 2, 0600);
        ids[2][i] = wl_msg_create(IPC_PRIVATE, 0600);
    }
    /* remove some so that indices have holes */
    for (int i = 0; i < 40; i += 3) {
        assert_int_equal(wl_remove(WL_SHM, ids[0][i]), 0);
        assert_int_equal(wl_remove(WL_SEM, ids[1][i]), 0);
        assert_int_equal(wl_remove(WL_MSG, ids[2][i]), 0);
    }
    json_object *doc = tu_ipctop_json(NULL);
    const char *cls[3] = {"shm", "sem", "msg"};
    for (int c = 0; c < 3; c++) {
        json_object *arr;
        assert_true(json_object_object_get_ex(doc, cls[c], &arr));
        assert_int_equal(json_object_array_length(arr), 40 - 14);
        for (int i = 0; i < 40; i++)
            if (i % 3 == 0)
                assert_null(tu_find(doc, cls[c], ids[c][i]));
            else
                assert_non_null(tu_find(doc, cls[c], ids[c][i]));
    }
    /* top level: a timestamp close to now */
    json_object *ts;
    assert_true(json_object_object_get_ex(doc, "timestamp", &ts));
    double t = json_object_get_double(ts);
    assert_true(t > (double)tu_now() - 5 && t < (double)tu_now() + 5);
    json_object_put(doc);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_shm_fields, teardown),
        cmocka_unit_test_teardown(test_shm_removed_while_attached_is_dest, teardown),
        cmocka_unit_test_teardown(test_sem_fields, teardown),
        cmocka_unit_test_teardown(test_msg_fields, teardown),
        cmocka_unit_test_teardown(test_every_object_listed, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
