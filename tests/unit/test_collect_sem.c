/*
 * collect_sem: which semaphore sets can have waiters, from the task scan's hint. A wrong
 * "no" hides a blocked process (its set shows no waiters), so every way of saying "maybe"
 * is checked as well as the binary search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collect_sem.h"

static void test_no_or_incomplete_hint(void **state)
{
    (void)state;
    assert_true(sem_hint_may_wait(NULL, 5));
    static const int32_t ids[] = {1, 2};
    struct sem_hint h = {false, ids, 2};
    /* not every task could be read: any set may have a waiter we did not see */
    assert_true(sem_hint_may_wait(&h, 1));
    assert_true(sem_hint_may_wait(&h, 3));
    h.n = 0;
    assert_true(sem_hint_may_wait(&h, 0));
}

static void test_complete_hint(void **state)
{
    (void)state;
    static const int32_t ids[] = {0, 3, 32768, 32769, 98304, 2147483647};
    struct sem_hint h = {true, ids, sizeof ids / sizeof ids[0]};
    for (size_t i = 0; i < h.n; i++)
        if (!sem_hint_may_wait(&h, ids[i])) fail_msg("named set %d said to have no waiter", ids[i]);
    static const int32_t others[] = {-1,    1,     2,     4,          32767,
                                     32770, 98303, 98305, 2147483646, INT32_MIN};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (sem_hint_may_wait(&h, others[i])) fail_msg("set %d not named, yet may wait", others[i]);
    /* nobody is blocked anywhere */
    struct sem_hint none = {true, NULL, 0};
    assert_false(sem_hint_may_wait(&none, 0));
    /* one id; duplicates (two tasks on one set) */
    static const int32_t dup[] = {7, 7, 7, 9};
    struct sem_hint d = {true, dup, 4};
    assert_true(sem_hint_may_wait(&d, 7));
    assert_true(sem_hint_may_wait(&d, 9));
    assert_false(sem_hint_may_wait(&d, 8));
    d.n = 1;
    assert_true(sem_hint_may_wait(&d, 7));
    assert_false(sem_hint_may_wait(&d, 9));
}

static void test_every_position(void **state)
{
    (void)state;
    int32_t ids[257];
    for (int i = 0; i < 257; i++) ids[i] = i * 3 + 1;
    for (size_t n = 0; n <= 257; n++) {
        struct sem_hint h = {true, ids, n};
        for (int32_t v = -1; v < 3 * 257 + 3; v++) {
            bool named = v >= 1 && (v - 1) % 3 == 0 && (size_t)((v - 1) / 3) < n;
            if (sem_hint_may_wait(&h, v) != named) fail_msg("n=%zu id=%d", n, v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_or_incomplete_hint),
        cmocka_unit_test(test_complete_hint),
        cmocka_unit_test(test_every_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
