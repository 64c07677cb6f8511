/*
 * Removal done safely, on real objects in a private IPC namespace: leaked objects (made by
 * processes that exited) are found and removed by --reap; objects in use are never
 * candidates; --dry-run removes nothing; compare-and-remove skips an object replaced
 * between listing and removal; permission denied is reported per object while the others
 * proceed.
 */
#include "testutil.h"
#include "workload.h"

#include "actions.h"
#include "collect.h"
#include "engine.h"
#include "snapshot.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static bool exists(enum wl_class cls, int id)
{
    struct shmid_ds s;
    struct msqid_ds q;
    switch (cls) {
    case WL_SHM: return shmctl(id, IPC_STAT, &s) == 0;
    case WL_SEM: return semctl(id, 0, GETVAL) >= 0;
    default: return msgctl(id, IPC_STAT, &q) == 0;
    }
}

/* The candidates array of `ipctop --reap --json ARGS`, with the exit status. */
static json_object *reap_json(int *status, const char *a1, const char *a2, const char *a3)
{
    char *argv[] = {(char *)tu_ipctop(), "--reap",   "--json", (char *)a1,
                    (char *)a2,          (char *)a3, NULL};
    struct tu_result r = tu_run(argv);
    *status = r.status;
    json_object *doc = json_tokener_parse(r.out);
    if (!doc) fprintf(stderr, "not JSON: %s\n%s\n", r.out, r.err);
    assert_non_null(doc);
    tu_result_free(&r);
    return doc;
}

static json_object *candidate(json_object *doc, const char *type, int id)
{
    json_object *arr;
    assert_true(json_object_object_get_ex(doc, "candidates", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        if (strcmp(tu_str(c, "type"), type) == 0 && tu_int(c, "id") == id) return c;
    }
    return NULL;
}

static void test_leaks_found_and_removed(void **state)
{
    (void)state;
    int shm = wl_create_orphan(WL_SHM, 0x7ea50001, 8192, 0600, NULL);
    int sem = wl_create_orphan(WL_SEM, 0x7ea50002, 3, 0600, NULL);
    int msg = wl_create_orphan(WL_MSG, 0x7ea50003, 0, 0600, NULL);
    assert_true(shm >= 0 && sem >= 0 && msg >= 0);

    /* too young for the default 10 minutes */
    int st;
    json_object *doc = reap_json(&st, NULL, NULL, NULL);
    assert_int_equal(st, 0);
    assert_null(candidate(doc, "shm", shm));
    json_object_put(doc);

    /* --dry-run names them and removes nothing */
    doc = reap_json(&st, "--dry-run", "--older-than", "0s");
    assert_int_equal(st, 0);
    assert_string_equal(tu_str(candidate(doc, "shm", shm), "outcome"), "would remove");
    assert_string_equal(tu_str(candidate(doc, "sem", sem), "outcome"), "would remove");
    assert_string_equal(tu_str(candidate(doc, "msg", msg), "outcome"), "would remove");
    assert_string_equal(tu_str(candidate(doc, "shm", shm), "key"), "0x7ea50001");
    assert_string_equal(tu_str(candidate(doc, "shm", shm), "owner"), "root");
    assert_non_null(strstr(tu_str(candidate(doc, "shm", shm), "reason"), "creator"));
    json_object_put(doc);
    assert_true(exists(WL_SHM, shm) && exists(WL_SEM, sem) && exists(WL_MSG, msg));

    /* a filter by type keeps the others */
    doc = reap_json(&st, "--older-than", "0", "--type=sem");
    assert_int_equal(st, 0);
    assert_string_equal(tu_str(candidate(doc, "sem", sem), "outcome"), "removed");
    assert_null(candidate(doc, "shm", shm));
    json_object_put(doc);
    assert_false(exists(WL_SEM, sem));
    assert_true(exists(WL_SHM, shm));

    /* text output, one line per object, then they are gone */
    char *argv[] = {(char *)tu_ipctop(), "--reap", "--older-than", "0", NULL};
    struct tu_result r = tu_run(argv);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count(r.out, "\n"), 2);
    assert_non_null(strstr(r.out, "-> removed"));
    tu_result_free(&r);
    assert_false(exists(WL_SHM, shm));
    assert_false(exists(WL_MSG, msg));
}

static void test_in_use_never_candidates(void **state)
{
    (void)state;
    /* attached segment; set with a blocked waiter; queue with a blocked receiver; objects
     * whose creator (this process) is alive and has used them */
    int att = wl_create_orphan(WL_SHM, 0x7ea50010, 4096, 0600, NULL);
    assert_true(wl_spawn_attacher(att, 0) > 0);
    int waited = wl_create_orphan(WL_SEM, 0x7ea50011, 1, 0600, NULL);
    struct sembuf dec = {0, -1, 0};
    assert_true(wl_spawn_sem_waiter(waited, &dec, 1) > 0);
    int recv = wl_create_orphan(WL_MSG, 0x7ea50012, 0, 0600, NULL);
    assert_true(wl_spawn_msg_receiver(recv, 0) > 0);
    int mine_shm = wl_shm_create(0x7ea50013, 4096, 0600);
    int mine_sem = wl_sem_create(0x7ea50014, 1, 0600);
    assert_int_equal(wl_sem_setval(mine_sem, 0, 1), 0);
    int mine_msg = wl_msg_create(0x7ea50015, 0600);
    assert_int_equal(wl_msg_fill(mine_msg, 1, 10, 1), 0);
    int leaked = wl_create_orphan(WL_SHM, 0x7ea50016, 4096, 0600, NULL);

    int st;
    json_object *doc = reap_json(&st, "--older-than", "0", NULL);
    assert_int_equal(st, 0);
    assert_null(candidate(doc, "shm", att));
    assert_null(candidate(doc, "sem", waited));
    assert_null(candidate(doc, "msg", recv));
    assert_null(candidate(doc, "shm", mine_shm));
    assert_null(candidate(doc, "sem", mine_sem));
    assert_null(candidate(doc, "msg", mine_msg));
    assert_non_null(candidate(doc, "shm", leaked)); /* the control: reap does work */
    json_object_put(doc);
    assert_true(exists(WL_SHM, att) && exists(WL_SEM, waited) && exists(WL_MSG, recv));

    /* --json's verdicts agree: null for those in use, the reason for the leak */
    doc = tu_ipctop_json("--older-than", "0", NULL);
    assert_true(tu_is_null(tu_find(doc, "shm", att), "leak"));
    assert_true(tu_is_null(tu_find(doc, "sem", waited), "leak"));
    assert_true(tu_is_null(tu_find(doc, "msg", recv), "leak"));
    json_object_put(doc);
}

static void test_filters_by_owner_and_key(void **state)
{
    (void)state;
    int a = wl_create_orphan(WL_SHM, 0x7ea50020, 4096, 0600, NULL);
    int b = wl_create_orphan(WL_SHM, 0x7ea50021, 4096, 0600, NULL);
    int st;
    json_object *doc = reap_json(&st, "--older-than=0", "--key=0x7ea50021", "--dry-run");
    assert_null(candidate(doc, "shm", a));
    assert_non_null(candidate(doc, "shm", b));
    json_object_put(doc);
    doc = reap_json(&st, "--older-than=0", "--owner=nobody", "--dry-run");
    assert_null(candidate(doc, "shm", a));
    assert_null(candidate(doc, "shm", b));
    json_object_put(doc);
    /* bad arguments: exit 2, one sentence */
    const char *bad[][2] = {{"--older-than", "ten"},
                            {"--type", "shm,pipe"},
                            {"--owner", "no-such-user-x"},
                            {"--key", "0xzz"}};
    for (size_t i = 0; i < 4; i++) {
        char *argv[] = {(char *)tu_ipctop(), "--reap", (char *)bad[i][0], (char *)bad[i][1], NULL};
        struct tu_result r = tu_run(argv);
        assert_int_equal(r.status, 2);
        assert_int_equal(tu_count(r.err, "\n"), 1);
        tu_result_free(&r);
    }
}

/* The model of now, as a screen would have shown it. */
static void model_now(struct engine *e)
{
    struct collect_options o = {FORCE_AUTO, "/proc", false};
    struct model_params mp = {0};
    char err[256];
    assert_int_equal(engine_init(e, &o, &mp, false), 0);
    assert_int_equal(engine_refresh(e, err, sizeof err), 0);
}

/* A batch of one object of the model, as judged there, accepting down to accept. */
static void batch_of(struct removal_batch *b, const struct engine *e, enum ipc_class cls, int id,
                     enum leak_kind accept)
{
    long i = snapshot_index_of(engine_snapshot(e), cls, id);
    assert_true(i >= 0);
    removal_batch_init(b);
    enum leak_kind v = (enum leak_kind)model_verdict(&e->model, cls, (size_t)i)->kind;
    assert_true(removal_batch_add(b, engine_snapshot(e), cls, (size_t)i, v, accept, "root"));
}

/* Removes a batch as F9 does: judged again from a fresh pipeline. */
static int remove_batch(struct removal_batch *b)
{
    struct collect_options o = {FORCE_AUTO, "/proc", false};
    struct model_params mp = {0};
    struct users *u = users_new();
    actions_remove(b, NULL, &o, &mp, u);
    users_free(u);
    return b->items[0].status;
}

static void test_compare_and_remove_skips_replaced(void **state)
{
    (void)state;
    int old = wl_create_orphan(WL_SEM, 0x7ea50030, 1, 0600, NULL);
    int other = wl_create_orphan(WL_MSG, 0x7ea50031, 0, 0600, NULL);
    struct engine e;
    model_now(&e);
    struct removal_batch shown, shown_q;
    batch_of(&shown, &e, IPC_SEM, old, LEAK_LEAKED);
    batch_of(&shown_q, &e, IPC_MSG, other, LEAK_LEAKED);
    engine_free(&e);

    /* replaced between listing and removal: same key, new object (a new id) */
    assert_int_equal(wl_remove(WL_SEM, old), 0);
    int fresh = wl_create_orphan(WL_SEM, 0x7ea50030, 1, 0600, NULL);
    assert_true(fresh >= 0 && fresh != old);
    assert_int_equal(remove_batch(&shown), ACTION_GONE);
    assert_non_null(strstr(shown.items[0].outcome, "already gone"));
    assert_true(exists(WL_SEM, fresh));

    /* the same id, but changed since shown (its owner): skipped, not removed */
    struct msqid_ds q;
    assert_int_equal(msgctl(other, IPC_STAT, &q), 0);
    q.msg_perm.uid = 65534;
    assert_int_equal(msgctl(other, IPC_SET, &q), 0);
    assert_int_equal(remove_batch(&shown_q), ACTION_CHANGED);
    assert_non_null(strstr(shown_q.items[0].outcome, "used since it was judged (uid changed)"));
    assert_true(exists(WL_MSG, other));
    removal_batch_free(&shown);
    removal_batch_free(&shown_q);
}

/* Ids come back (after the sequence wraps, or set by checkpoint/restore): an object made
 * again under the same id and key is another object, never a change of the old one. */
static void test_recreated_under_same_id(void **state)
{
    (void)state;
    int id = wl_create_orphan(WL_SHM, 0x7ea50032, 4096, 0600, NULL);
    assert_true(id >= 0);
    struct engine e;
    model_now(&e);
    struct removal_batch shown;
    batch_of(&shown, &e, IPC_SHM, id, LEAK_LEAKED);

    /* the kernel hands out the next id from shm_next_id (this namespace's own) */
    assert_int_equal(wl_remove(WL_SHM, id), 0);
    tu_next_id("shm", id);
    sleep(1); /* a ctime of another second, as a real re-creation has */
    int again = wl_create_orphan(WL_SHM, 0x7ea50032, 4096, 0600, NULL);
    assert_int_equal(again, id);

    /* the diff says gone + new, not changed */
    char err[256];
    assert_int_equal(engine_refresh(&e, err, sizeof err), 0);
    long i = snapshot_index_of(engine_snapshot(&e), IPC_SHM, id);
    assert_true(i >= 0);
    assert_int_equal(e.model.diff.cls[IPC_SHM].cur[i].state, OBJ_NEW);
    assert_int_equal(e.model.diff.cls[IPC_SHM].ngone, 1);
    engine_free(&e);

    /* and the removal confirmed for the old one does not hit the new one */
    assert_int_equal(remove_batch(&shown), ACTION_CHANGED);
    assert_non_null(strstr(shown.items[0].outcome, "not the same object"));
    assert_true(exists(WL_SHM, again));
    removal_batch_free(&shown);
}

/* A segment attached between listing and removal is not removed. */
static void test_attached_after_listing_not_removed(void **state)
{
    (void)state;
    int id = wl_create_orphan(WL_SHM, 0x7ea50033, 4096, 0600, NULL);
    struct engine e;
    model_now(&e);
    struct removal_batch shown;
    batch_of(&shown, &e, IPC_SHM, id, LEAK_LEAKED);
    assert_int_equal(shown.items[0].verdict, LEAK_LEAKED);
    engine_free(&e);
    assert_true(wl_spawn_attacher(id, 0) > 0);
    assert_int_equal(remove_batch(&shown), ACTION_SKIPPED);
    assert_non_null(strstr(shown.items[0].outcome, "not leaked now"));
    assert_non_null(strstr(shown.items[0].outcome, "in use: 1 attachment"));
    assert_true(exists(WL_SHM, id));
    removal_batch_free(&shown);
}

/* Removing a segment in use, confirmed as such, only marks it; the text says so. */
static void test_remove_attached_segment_marks_dest(void **state)
{
    (void)state;
    int id = wl_shm_create(0x7ea50040, 4096, 0600);
    assert_true(wl_spawn_attacher(id, 0) > 0);
    struct engine e;
    model_now(&e);
    struct removal_batch want;
    batch_of(&want, &e, IPC_SHM, id, LEAK_NO);
    assert_int_equal(want.items[0].verdict, LEAK_NO);
    engine_free(&e);
    assert_int_equal(remove_batch(&want), ACTION_DONE);
    assert_non_null(strstr(want.items[0].outcome, "marked for destruction"));
    removal_batch_free(&want);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *g = tu_find(doc, "shm", id);
    assert_non_null(g);
    assert_non_null(
        strstr(json_object_to_json_string(json_object_object_get(g, "status")), "dest"));
    json_object_put(doc);
}

static void test_permission_denied_per_object(void **state)
{
    (void)state;
    /* as nobody: root's leaked segment is refused, nobody's own leaked segment goes */
    int roots = wl_create_orphan(WL_SHM, 0x7ea50050, 4096, 0644, NULL);
    assert_true(roots >= 0);
    struct tu_result r = tu_run_as_nobody("/usr/bin/ipcmk", "-M", "4096", "-p", "0600", NULL);
    assert_int_equal(r.status, 0);
    int nobodys = -1;
    assert_int_equal(sscanf(r.out, "Shared memory id: %d", &nobodys), 1);
    tu_result_free(&r);

    /* root has live processes here that nobody cannot see into: only possibly leaked */
    r = tu_run_as_nobody(tu_ipctop(), "--reap", "--older-than", "0", "--dry-run", NULL);
    assert_int_equal(r.status, 0);
    char line[512];
    assert_true(tu_line_with(r.out, "key 0x7ea50050", line, sizeof line));
    assert_non_null(strstr(line, "possibly leaked"));
    assert_non_null(strstr(line, "skipped"));
    tu_result_free(&r);

    /* with them included, the dry run says who may not remove what; then the real run */
    r = tu_run_as_nobody(tu_ipctop(), "--reap", "--older-than", "0", "--include-possible",
                         "--dry-run", NULL);
    assert_true(tu_line_with(r.out, "key 0x7ea50050", line, sizeof line));
    assert_non_null(strstr(line, "permission denied"));
    assert_null(strstr(line, "would remove"));
    tu_result_free(&r);
    r = tu_run_as_nobody(tu_ipctop(), "--reap", "--older-than", "0", "--include-possible", NULL);
    assert_int_equal(r.status, 1); /* one removal was refused */
    assert_true(tu_line_with(r.out, "key 0x7ea50050", line, sizeof line));
    assert_non_null(strstr(line, "permission denied"));
    snprintf(line, sizeof line, "shm %d ", nobodys);
    assert_non_null(strstr(r.out, line));
    tu_result_free(&r);
    assert_true(exists(WL_SHM, roots));
    assert_false(exists(WL_SHM, nobodys));
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_leaks_found_and_removed, teardown),
        cmocka_unit_test_teardown(test_in_use_never_candidates, teardown),
        cmocka_unit_test_teardown(test_filters_by_owner_and_key, teardown),
        cmocka_unit_test_teardown(test_compare_and_remove_skips_replaced, teardown),
        cmocka_unit_test_teardown(test_recreated_under_same_id, teardown),
        cmocka_unit_test_teardown(test_attached_after_listing_not_removed, teardown),
        cmocka_unit_test_teardown(test_remove_attached_segment_marks_dest, teardown),
        cmocka_unit_test_teardown(test_permission_denied_per_object, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
