/*
 * tasks: parsing /proc/TID/syscall ("running", or "NR ARG0..ARG5 SP PC").
 *
 * Syscall numbers are per architecture. The tests that name numbers (semop 65,
 * semtimedop 220, msgsnd 69, msgrcv 70) are those of x86-64 and are compiled only there
 * (#ifdef __x86_64__); the others hold on every architecture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "tasks.h"

static enum ipc_wait parse(const char *text, uint64_t args[6])
{
    return tasks_parse_syscall(text, strlen(text), args);
}

static void test_not_blocked(void **state)
{
    (void)state;
    uint64_t a[6];
    assert_int_equal(parse("running\n", a), WAIT_NONE);
    assert_int_equal(parse("running", a), WAIT_NONE);
    assert_int_equal(parse("", a), WAIT_NONE);
    assert_int_equal(tasks_parse_syscall("220 0x3", 0, a), WAIT_NONE); /* len 0 */
    /* "-1 SP PC": blocked, but not in a system call */
    assert_int_equal(parse("-1 0x7ffd2a4c1e28 0x7f1e4f4e5d0b\n", a), WAIT_NONE);
    assert_int_equal(parse("garbage\n", a), WAIT_NONE);
    assert_int_equal(parse("\n", a), WAIT_NONE);
    assert_int_equal(parse("0x", a), WAIT_NONE);
    assert_int_equal(parse("99999999999999999999999 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8\n", a),
                     WAIT_NONE);
}

#ifdef __x86_64__

static void test_x86_64_ipc_calls(void **state)
{
    (void)state;
    uint64_t a[6] = {0};
    assert_int_equal(parse("220 0x3 0x7ffd5e1c2a40 0x1 0x0 0x0 0x0 0x7ffd5e1c2a08 "
                           "0x7f3c1a2b3c4d\n",
                           a),
                     WAIT_SEMOP);
    assert_int_equal(a[0], 3);
    assert_int_equal(a[1], 0x7ffd5e1c2a40);
    assert_int_equal(a[2], 1);
    assert_int_equal(a[3], 0);
    assert_int_equal(parse("65 0x8001 0x7ffc00000010 0x2 0x0 0x0 0x0 0x7ffc0 0x4011ab\n", a),
                     WAIT_SEMOP);
    assert_int_equal(a[0], 0x8001);
    assert_int_equal(a[2], 2);
    assert_int_equal(parse("69 0x18000 0x55d0c0de0000 0x2000 0x0 0x0 0x0 0x7ffe 0x7f00\n", a),
                     WAIT_MSGSND);
    assert_int_equal(a[0], 0x18000);
    assert_int_equal(a[2], 0x2000);
    memset(a, 0, sizeof a);
    assert_int_equal(parse("70 0x20001 0x55d0c0de1000 0x400 0xffffffffffffffff 0x0 0x0 0x7ffe "
                           "0x7f00\n",
                           a),
                     WAIT_MSGRCV);
    assert_int_equal(a[0], 0x20001);
    assert_int_equal(a[3], UINT64_MAX); /* msgtyp -1 as the kernel prints it */
    assert_int_equal(a[5], 0);
    /* what /proc printed for this very process while it ran: not blocked in IPC */
    assert_int_equal(parse("0 0x3 0x7f62045ed000 0x20000 0x7f620467eb60 0xffffffff 0x0 "
                           "0x7ffd9dc46f28 0x7f62047672ad\n",
                           a),
                     WAIT_NONE);
    assert_int_equal(SYS_semtimedop, 220);
    assert_int_equal(SYS_semop, 65);
    assert_int_equal(SYS_msgsnd, 69);
    assert_int_equal(SYS_msgrcv, 70);
}

static void test_x86_64_other_calls(void **state)
{
    (void)state;
    uint64_t a[6];
    static const char *const others[] = {
        "0 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",        /* read */
        "7 0x1 0x1 0xffffffff 0x0 0x0 0x0 0x1 0x2\n", /* poll */
        "202 0x7f 0x80 0x2 0x0 0x0 0x0 0x1 0x2\n",    /* futex */
        "64 0x1 0x1 0x1 0x0 0x0 0x0 0x1 0x2\n",       /* semget */
        "66 0x1 0x0 0x10 0x0 0x0 0x0 0x1 0x2\n",      /* semctl */
        "68 0x1 0x1 0x0 0x0 0x0 0x0 0x1 0x2\n",       /* msgget */
        "71 0x1 0x1 0x0 0x0 0x0 0x0 0x1 0x2\n",       /* msgctl */
        "30 0x1 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",       /* shmat */
        "2200 0x3 0x1 0x1 0x0 0x0 0x0 0x1 0x2\n",     /* 220 with a digit more */
        "22 0x3 0x1 0x1 0x0 0x0 0x0 0x1 0x2\n",       /* pipe: 220 with a digit less */
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (parse(others[i], a) != WAIT_NONE) fail_msg("\"%s\" taken for an IPC wait", others[i]);
}

static void test_x86_64_truncated_or_garbage(void **state)
{
    (void)state;
    uint64_t a[6];
    static const char *const bad[] = {
        "220",
        "220 0x3 0x7ffd 0x1",         /* read cut short */
        "220 0x3 0x7ffd 0x1 0x0 0x0", /* five arguments */
        "220 0x3 0x7ffd 0x1 0x0 0x0 ",
        "220 zz 0x7ffd 0x1 0x0 0x0 0x0",
        "220 0x 0x7ffd 0x1 0x0 0x0 0x0",
        "220 0xg 0x7ffd 0x1 0x0 0x0 0x0",
        "220 -0x3 0x7ffd 0x1 0x0 0x0 0x0",                /* negative argument */
        "220 0x3 0x7ffd 0x1 0x0 0x0 0x10000000000000000", /* over 64 bits */
        "-220 0x3 0x7ffd 0x1 0x0 0x0 0x0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse(bad[i], a) != WAIT_NONE) fail_msg("\"%s\" accepted", bad[i]);
    /* every prefix of a good line that lacks an argument is refused, and len is honoured */
    const char *good = "70 0x20001 0x55d0c0de1000 0x400 0x0 0x0 0x5 0x7ffe 0x7f00\n";
    size_t full = strlen("70 0x20001 0x55d0c0de1000 0x400 0x0 0x0 0x5");
    for (size_t n = 0; n <= full - strlen("0x5"); n++)
        if (tasks_parse_syscall(good, n, a) != WAIT_NONE)
            fail_msg("prefix of %zu bytes accepted", n);
    assert_int_equal(tasks_parse_syscall(good, full, a), WAIT_MSGRCV);
    assert_int_equal(a[5], 5);
    /* the last argument is read only up to len */
    assert_int_equal(tasks_parse_syscall("69 1 2 3 4 5 67", strlen("69 1 2 3 4 5 6"), a),
                     WAIT_MSGSND);
    assert_int_equal(a[5], 6);
    /* decimal arguments are numbers too */
    assert_int_equal(parse("65 1 2 3 4 5 6", a), WAIT_SEMOP);
    assert_int_equal(a[0], 1);
    assert_int_equal(a[5], 6);
}

#endif /* __x86_64__ */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_blocked),
#ifdef __x86_64__
        cmocka_unit_test(test_x86_64_ipc_calls),
        cmocka_unit_test(test_x86_64_other_calls),
        cmocka_unit_test(test_x86_64_truncated_or_garbage),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
