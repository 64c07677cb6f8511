/*
 * collect_sem: which semaphore sets can have waiters, from the task scan's hint. A wrong
 * "no" hides a blocked process (its set shows no waiters), so every way of saying "maybe"
 * is checked as well as the binary search. And when a set's values and pids may be carried
 * over from the previous snapshot: a wrong "yes" shows old values, so every stamp, every
 * unknown field and every clock step that must say "ask again" is checked.
 * (tests/integration/test_collector.c checks the same against the kernel.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collect_sem.h"

#include <math.h>
#include <string.h>

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

/* Two records of one set: prev's element pass began at 1000.5 (wall), 50.0 (monotonic). */
struct carry_case {
    struct snapshot prev, cur;
    struct sem_set p, c;
};

static void carry_case_init(struct carry_case *k)
{
    memset(k, 0, sizeof *k);
    k->prev.elems_wall = 1000.5;
    k->prev.elems_mono = 50.0;
    k->cur.elems_wall = 1001.5;
    k->cur.elems_mono = 51.0;
    const uint64_t all = FBIT(F_ID) | FBIT(F_CUID) | FBIT(F_CTIME) | FBIT(F_NSEMS) | FBIT(F_OTIME) |
                         FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT);
    k->p = (struct sem_set){
        .c = {.valid = all, .id = 7, .cuid = 1000, .ctime = 900}, .nsems = 4, .otime = 990};
    k->c = k->p;
    k->c.c.valid = all & ~(FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT));
}

static bool carries(const struct carry_case *k)
{
    return sem_elements_carry(true, &k->prev, &k->p, &k->c);
}

static void test_carry_only_when_untouched_and_old(void **state)
{
    (void)state;
    struct carry_case k;
    carry_case_init(&k);
    assert_true(carries(&k));
    /* the clock may have gone back, or no previous record */
    assert_false(sem_elements_carry(false, &k.prev, &k.p, &k.c));
    assert_false(sem_elements_carry(true, &k.prev, NULL, &k.c));
    /* a semop (otime), SETVAL/SETALL/IPC_SET (ctime), an undo at exit (otime) since */
    k.c.otime = 1001;
    assert_false(carries(&k));
    carry_case_init(&k);
    k.c.c.ctime = 1001;
    assert_false(carries(&k));
    /* another set in the same slot */
    carry_case_init(&k);
    k.c.nsems = 3;
    assert_false(carries(&k));
    carry_case_init(&k);
    k.c.c.cuid = 0;
    assert_false(carries(&k));
    /* stamps in the second prev's pass began, or within the margin before it: a change
     * after prev's read in that second leaves them equal; the last second that carries is
     * three below (two of margin) */
    for (int64_t t = 990; t <= 1001; t++) {
        carry_case_init(&k);
        k.p.otime = k.c.otime = t;
        if (carries(&k) != (t <= 997)) fail_msg("otime %lld", (long long)t);
        carry_case_init(&k);
        k.p.c.ctime = k.c.c.ctime = t;
        if (carries(&k) != (t <= 997)) fail_msg("ctime %lld", (long long)t);
    }
    /* never operated on (otime 0) carries */
    carry_case_init(&k);
    k.p.otime = k.c.otime = 0;
    assert_true(carries(&k));
    /* what prev did not know, it cannot lend; stamps the current read lacks prove nothing */
    const uint64_t need[] = {FBIT(F_SEMVAL), FBIT(F_SEMPID), FBIT(F_OTIME), FBIT(F_CTIME)};
    for (size_t i = 0; i < 4; i++) {
        carry_case_init(&k);
        k.p.c.valid &= ~need[i];
        assert_false(carries(&k));
        if (need[i] & (FBIT(F_OTIME) | FBIT(F_CTIME))) {
            carry_case_init(&k);
            k.c.c.valid &= ~need[i];
            assert_false(carries(&k));
        }
    }
}

static void test_clock_steps(void **state)
{
    (void)state;
    struct carry_case k;
    carry_case_init(&k);
    /* the watch began (or last saw the clock set) before prev's pass: fine */
    assert_false(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
    /* ... at or after it: the clock was set while the elements could change */
    assert_true(sem_clock_may_have_gone_back(50.0, &k.prev, &k.cur));
    assert_true(sem_clock_may_have_gone_back(50.5, &k.prev, &k.cur));
    assert_true(sem_clock_may_have_gone_back(INFINITY, &k.prev, &k.cur));
    /* the watch missed it, but the realtime clock came nearer the monotonic one */
    k.cur.elems_wall = 1001.4;
    assert_true(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
    /* NTP's slewing (at most 0.05 %) and rounding are not a step, forward steps harm nothing */
    k.cur.elems_wall = 1001.5 - 0.005;
    assert_false(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
    k.cur.elems_wall = 2001.5;
    assert_false(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
    /* a long interval allows more slewing, never half a second */
    k.cur.elems_mono = 50.0 + 3600;
    k.cur.elems_wall = 1000.5 + 3600 - 0.45;
    assert_false(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
    k.cur.elems_wall = 1000.5 + 3600 - 0.55;
    assert_true(sem_clock_may_have_gone_back(49.0, &k.prev, &k.cur));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_or_incomplete_hint),
        cmocka_unit_test(test_complete_hint),
        cmocka_unit_test(test_every_position),
        cmocka_unit_test(test_carry_only_when_untouched_and_old),
        cmocka_unit_test(test_clock_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
