/*
 * Who uses what, on real processes in a private IPC namespace: attachers from
 * /proc/PID/maps, semop/msgrcv/msgsnd waiters from /proc/TID/syscall and their operations,
 * stopped waiters, liveness of creators (pid reuse in a private PID namespace), and the
 * unprivileged view marked partial.
 */
#include "testutil.h"
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/msg.h>
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

static json_object *array(json_object *o, const char *name)
{
    json_object *a;
    assert_true(json_object_object_get_ex(o, name, &a));
    assert_true(json_object_is_type(a, json_type_array));
    return a;
}

static bool has_pid(json_object *list, pid_t pid)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (tu_int(json_object_array_get_idx(list, i), "pid") == pid) return true;
    return false;
}

static json_object *entry_of(json_object *list, pid_t pid)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (tu_int(json_object_array_get_idx(list, i), "pid") == pid)
            return json_object_array_get_idx(list, i);
    return NULL;
}

static bool flag(json_object *o, const char *name)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, name, &v));
    assert_true(json_object_is_type(v, json_type_boolean));
    return json_object_get_boolean(v);
}

static void test_three_attachers(void **state)
{
    (void)state;
    int id = wl_shm_create(0x3a0a0001, 8192, 0600);
    assert_true(id >= 0);
    pid_t child;
    pid_t parent = wl_spawn_attacher_forking(id, 0, &child); /* attach, then fork */
    pid_t ro = wl_spawn_attacher(id, SHM_RDONLY);
    assert_true(parent > 0 && child > 0 && ro > 0);
    pid_t other = wl_spawn_attacher(wl_shm_create(0x3a0a0002, 4096, 0600), 0);
    assert_true(other > 0);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *g = tu_find(doc, "shm", id);
    json_object *att = array(g, "attachers");
    assert_int_equal(json_object_array_length(att), 3);
    assert_int_equal(tu_int(g, "attached"), 3);
    assert_int_equal(tu_int(g, "nattch"), 3);
    assert_true(has_pid(att, parent));
    assert_true(has_pid(att, child));
    assert_true(has_pid(att, ro));
    assert_false(has_pid(att, other));
    assert_false(flag(entry_of(att, ro), "writable"));
    assert_true(flag(entry_of(att, parent), "writable"));
    assert_string_equal(tu_str(entry_of(att, ro), "command"), "integ_test_who");
    assert_string_equal(tu_str(entry_of(att, ro), "user"), "root");
    assert_true(flag(g, "attachers_complete"));
    assert_true(flag(g, "cpid_alive")); /* we created it, and we are alive */
    json_object_put(doc);

    /* removed while attached: the kernel keeps it, and so do the lists */
    assert_int_equal(shmctl(id, IPC_RMID, NULL), 0);
    doc = tu_ipctop_json(NULL);
    g = tu_find(doc, "shm", id);
    assert_string_equal(tu_str(g, "key"), "0x00000000");
    att = array(g, "attachers");
    assert_int_equal(json_object_array_length(att), 3);
    assert_true(has_pid(att, ro));
    json_object_put(doc);

    /* batch: the creator (cpid) with its command, the attacher with its command */
    struct tu_result r =
        tu_ipctop_run("-b", "-n", "1", "--raw", "-o", "key,cpid,command,attachers", NULL);
    assert_int_equal(r.status, 0);
    char line[512];
    assert_true(tu_line_with(r.out, "0x3a0a0002", line, sizeof line));
    char want[128];
    snprintf(want, sizeof want, "0x3a0a0002 %d integ_test_who %d(integ_test_who)", getpid(), other);
    assert_string_equal(line, want);
    tu_result_free(&r);
}

static json_object *waiter_of(json_object *obj, pid_t pid)
{
    json_object *w = entry_of(array(obj, "waiters"), pid);
    if (!w) fprintf(stderr, "no waiter %d in %s\n", pid, json_object_to_json_string(obj));
    assert_non_null(w);
    return w;
}

static void test_sem_waiters(void **state)
{
    (void)state;
    int id = wl_sem_create(0x3a0a0010, 3, 0600);
    assert_int_equal(wl_sem_setval(id, 2, 1), 0);
    /* one op that proceeds (sem 0 +1) then one that blocks (sem 1 -2): the kernel waits on
     * the first that cannot proceed, and so must ipctop */
    struct sembuf dec[2] = {{0, 1, 0}, {1, -2, 0}};
    struct sembuf zero = {2, 0, 0};
    pid_t d = wl_spawn_sem_waiter(id, dec, 2);
    pid_t z = wl_spawn_sem_waiter(id, &zero, 1);
    pid_t s = wl_spawn_sem_waiter(id, &zero, 1);
    assert_true(d > 0 && z > 0 && s > 0);
    /* a stopped waiter keeps its syscall but leaves zcount */
    assert_int_equal(kill(s, SIGSTOP), 0);
    for (int i = 0; i < 200 && semctl(id, 2, GETZCNT) != 1; i++) usleep(10000);
    assert_int_equal(semctl(id, 2, GETZCNT), 1);

    json_object *doc = tu_ipctop_json(NULL);
    json_object *set = tu_find(doc, "sem", id);
    json_object *w = waiter_of(set, d);
    assert_int_equal(tu_int(w, "semnum"), 1);
    assert_int_equal(tu_int(w, "op"), -2);
    assert_string_equal(tu_str(w, "state"), "waiting");
    assert_string_equal(tu_str(w, "command"), "integ_test_who");
    assert_true(tu_int(w, "since") <= tu_now() && tu_int(w, "since") > tu_now() - 30);
    w = waiter_of(set, z);
    assert_int_equal(tu_int(w, "semnum"), 2);
    assert_int_equal(tu_int(w, "op"), 0);
    assert_string_equal(tu_str(w, "state"), "waiting");
    w = waiter_of(set, s);
    assert_string_equal(tu_str(w, "state"), "stopped");
    assert_int_equal(json_object_array_length(array(set, "waiters")), 3);
    json_object_put(doc);
    kill(s, SIGCONT);
}

static void test_msg_waiters(void **state)
{
    (void)state;
    int empty = wl_msg_create(0x3a0a0020, 0600);
    pid_t rcv = wl_spawn_msg_receiver(empty, 42);
    int full = wl_msg_create(0x3a0a0021, 0600);
    assert_int_equal(wl_msg_fill_to_limit(full, 1000, 3), 0);
    pid_t snd = wl_spawn_msg_sender(full, 100);
    assert_true(rcv > 0 && snd > 0);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *w = waiter_of(tu_find(doc, "msg", empty), rcv);
    assert_string_equal(tu_str(w, "kind"), "receive");
    assert_int_equal(tu_int(w, "msgtyp"), 42);
    w = waiter_of(tu_find(doc, "msg", full), snd);
    assert_string_equal(tu_str(w, "kind"), "send");
    assert_int_equal(tu_int(w, "size"), 100);
    assert_int_equal(tu_int(w, "msgtyp"), 1); /* the type of the message it tries to send */
    assert_false(has_pid(array(tu_find(doc, "msg", empty), "waiters"), snd));
    json_object_put(doc);
}

/*
 * In a PID namespace of our own, ns_last_pid decides the next pid: a creator that exits
 * and whose pid then goes to a newer process. Runs in a child (pid 1 of the new namespace,
 * with its own /proc); returns what went wrong, or NULL.
 */
static const char *pid_reuse_scenario(void)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("proc", "/proc", "proc", 0, NULL) < 0)
        return "cannot mount a /proc for the new PID namespace";
    pid_t creator;
    int id = wl_create_orphan(WL_SHM, 0x3a0a0030, 4096, 0600, &creator);
    if (id < 0) return "cannot create the orphan";
    /* a second later, a new process gets the creator's pid */
    sleep(2);
    char last[32];
    snprintf(last, sizeof last, "%d", creator - 1);
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
    if (fd < 0 || write(fd, last, strlen(last)) < 0) return "cannot set ns_last_pid";
    close(fd);
    pid_t squatter = fork();
    if (squatter == 0) {
        pause();
        _exit(0);
    }
    if (squatter != creator) return "the pid was not reused";
    char *argv[] = {(char *)tu_ipctop(), "--json", NULL};
    struct tu_result r = tu_run(argv);
    kill(squatter, SIGKILL);
    waitpid(squatter, NULL, 0);
    if (r.status != 0) return "ipctop failed";
    const char *verdict = NULL;
    json_object *doc = json_tokener_parse(r.out);
    json_object *g = doc ? tu_find(doc, "shm", id) : NULL, *v;
    if (!g || !json_object_object_get_ex(g, "cpid", &v) || json_object_get_int(v) != creator)
        verdict = "the segment or its cpid is missing";
    else if (!json_object_object_get_ex(g, "cpid_alive", &v) ||
             !json_object_is_type(v, json_type_boolean) || json_object_get_boolean(v))
        verdict = "a reused creator pid is shown alive";
    else if (!json_object_object_get_ex(g, "lpid_alive", &v) || json_object_get_boolean(v))
        verdict = "the dead last attacher is shown alive";
    json_object_put(doc);
    tu_result_free(&r);
    wl_cleanup();
    return verdict;
}

static void test_reused_creator_pid_is_dead(void **state)
{
    (void)state;
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t outer = fork();
    assert_true(outer >= 0);
    if (outer == 0) {
        close(pipefd[0]);
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) _exit(2);
        pid_t init = fork(); /* pid 1 of the new namespace */
        if (init == 0) {
            const char *why = pid_reuse_scenario();
            if (why && write(pipefd[1], why, strlen(why)) < 0) _exit(3);
            _exit(why ? 1 : 0);
        }
        int st;
        waitpid(init, &st, 0);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 4);
    }
    close(pipefd[1]);
    char why[256] = "";
    ssize_t n = read(pipefd[0], why, sizeof why - 1);
    why[n > 0 ? n : 0] = '\0';
    close(pipefd[0]);
    int st;
    assert_int_equal(waitpid(outer, &st, 0), outer);
    if (why[0]) fprintf(stderr, "pid reuse: %s\n", why);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_dead_creator_and_live_one(void **state)
{
    (void)state;
    pid_t creator;
    int orphan = wl_create_orphan(WL_SEM, 0x3a0a0040, 2, 0600, &creator);
    int mine = wl_sem_create(0x3a0a0041, 1, 0600);
    assert_int_equal(wl_sem_setval(mine, 0, 1), 0);
    assert_true(orphan >= 0 && mine >= 0);
    json_object *doc = tu_ipctop_json(NULL);
    json_object *el = array(tu_find(doc, "sem", orphan), "elements");
    json_object *e0 = json_object_array_get_idx(el, 0);
    assert_int_equal(tu_int(e0, "pid"), creator);
    assert_false(flag(e0, "pid_alive"));
    assert_true(tu_is_null(json_object_array_get_idx(el, 1), "pid_alive")); /* never set */
    el = array(tu_find(doc, "sem", mine), "elements");
    assert_true(flag(json_object_array_get_idx(el, 0), "pid_alive"));
    json_object_put(doc);
}

static void test_unprivileged_view_is_partial(void **state)
{
    (void)state;
    int id = wl_shm_create(0x3a0a0050, 4096, 0644);
    assert_true(wl_spawn_attacher(id, 0) > 0);
    struct tu_result r = tu_run_as_nobody(tu_ipctop(), "--json", NULL);
    assert_int_equal(r.status, 0);
    json_object *doc = json_tokener_parse(r.out);
    assert_non_null(doc);
    json_object *g = tu_find(doc, "shm", id);
    /* root's attacher cannot be seen by nobody: the list must not claim to be whole */
    assert_int_equal(json_object_array_length(array(g, "attachers")), 0);
    assert_false(flag(g, "attachers_complete"));
    json_object *procs;
    assert_true(json_object_object_get_ex(doc, "processes", &procs));
    assert_false(flag(procs, "maps_complete"));
    json_object_put(doc);
    tu_result_free(&r);

    r = tu_run_as_nobody(tu_ipctop(), "-b", "-n", "1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "attacher and waiter lists are partial"));
    char line[512];
    assert_true(tu_line_with(r.out, "0x3a0a0050", line, sizeof line));
    assert_non_null(strstr(line, " 0+ "));
    tu_result_free(&r);
}

int main(void)
{
    tu_enter_private_ns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_three_attachers, teardown),
        cmocka_unit_test_teardown(test_sem_waiters, teardown),
        cmocka_unit_test_teardown(test_msg_waiters, teardown),
        cmocka_unit_test_teardown(test_reused_creator_pid_is_dead, teardown),
        cmocka_unit_test_teardown(test_dead_creator_and_live_one, teardown),
        cmocka_unit_test_teardown(test_unprivileged_view_is_partial, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
