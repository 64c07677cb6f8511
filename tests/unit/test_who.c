/*
 * Who uses what, the pure parts: a /SYSV mapping counts only on the device System V
 * segments live on (a user's tmpfs file of the right name and inode is no attacher), and
 * an attacher list is complete only when its mappings add up to the kernel's nattch —
 * exactly, whatever the scan of /proc says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attach.h"
#include "shmdev.h"
#include "snapshot.h"
#include "who.h"

/* The devices of this machine's segments: shmem 0:1, hugetlb 2M on 0:23. */
static const struct shm_devs DEVS = {true, 0, 1, 1, {0}, {23}, {2 << 20}};

struct found {
    struct shm_mapping m[8];
    size_t n;
};

static void collect(void *ctx, const struct shm_mapping *m)
{
    struct found *f = ctx;
    if (f->n < 8) f->m[f->n++] = *m;
}

static struct found parse(const char *text, const struct shm_devs *devs)
{
    struct found f = {.n = 0};
    size_t n = attach_parse_maps(text, strlen(text), 42, devs, collect, &f);
    assert_int_equal(n, f.n);
    return f;
}

static void test_only_the_segments_device_counts(void **state)
{
    (void)state;
    const char *maps =
        "7f0000000000-7f0000001000 rw-s 00000000 00:01 32769       /SYSV0052d0a1 (deleted)\n"
        /* a user's own tmpfs: same name, the inode chosen to be the shmid */
        "7f0000002000-7f0000003000 rw-s 00000000 00:5a 32769       /SYSV0052d0a1\n"
        "7f0000004000-7f0000204000 rw-s 00000000 00:17 65538       /SYSV00000000 (deleted)\n"
        /* a hugetlbfs mount of root's, not the internal one */
        "7f0000400000-7f0000600000 rw-s 00000000 00:2c 65538       /SYSV00000000\n"
        "7f0000800000-7f0000801000 r--s 00000000 00:01 7           /memfd:x (deleted)\n";
    struct found f = parse(maps, &DEVS);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.m[0].shmid, 32769);
    assert_false(f.m[0].hugetlb);
    assert_false(f.m[0].unverified);
    assert_int_equal(f.m[1].shmid, 65538);
    assert_true(f.m[1].hugetlb);
    assert_int_equal(f.m[1].page_size, 2 << 20);

    /* devices unknown: every /SYSV mapping is kept, marked as unverified */
    struct shm_devs unknown = {.known = false};
    f = parse(maps, &unknown);
    assert_int_equal(f.n, 4);
    for (size_t i = 0; i < f.n; i++) assert_true(f.m[i].unverified);

    /* a device as the kernel never writes it (%02x:%02x of 12 and 20 bits) is not read as
     * the segments' device by its low bits */
    const char *wide = "7f0000000000-7f0000001000 rw-s 00000000 100000000:01 32769 /SYSV0052d0a1\n"
                       "7f0000000000-7f0000001000 rw-s 00000000 0000000000:01 32769 /SYSV0052d0a1\n"
                       "7f0000000000-7f0000001000 rw-s 00000000 00:0000001 32769 /SYSV0052d0a1\n"
                       "7f0000000000-7f0000001000 rw-s 00000000 0:01 32769 /SYSV0052d0a1\n"
                       "7f0000000000-7f0000001000 rw-s 00000000 1000:01 32769 /SYSV0052d0a1\n";
    assert_int_equal(parse(wide, &unknown).n, 0);
    const char *widest = "7f0000000000-7f0000001000 rw-s 00000000 fff:fffff 32769 /SYSV0052d0a1\n";
    f = parse(widest, &unknown);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.m[0].dev_major, 0xfff);
    assert_int_equal(f.m[0].dev_minor, 0xfffff);
}

/* A snapshot with one segment of nattch n and the given mappings of it. */
static void segment_with(struct snapshot *s, uint64_t nattch, size_t mappings, bool unverified)
{
    snapshot_init(s);
    struct shm_segment *g = snapshot_add_shm(s);
    g->c.id = 5;
    g->c.valid = FBIT(F_ID) | FBIT(F_NATTCH);
    g->nattch = nattch;
    s->attach.m = calloc(mappings + 1, sizeof *s->attach.m);
    for (size_t i = 0; i < mappings; i++)
        s->attach.m[i] =
            (struct shm_mapping){.pid = (int32_t)(100 + i), .shmid = 5, .unverified = unverified};
    s->attach.n = s->attach.cap = mappings;
    s->attach.unverified = unverified ? mappings : 0;
    s->attach.complete = true; /* "every process was read": not enough on its own */
}

static bool complete(uint64_t nattch, size_t mappings, bool unverified)
{
    struct snapshot s;
    struct who w;
    segment_with(&s, nattch, mappings, unverified);
    assert_int_equal(who_build(&w, &s), 0);
    bool c = who_complete(&w, &s, IPC_SHM, 0);
    who_free(&w);
    snapshot_free(&s);
    return c;
}

static void test_complete_only_when_mappings_add_up(void **state)
{
    (void)state;
    assert_true(complete(2, 2, false));
    assert_true(complete(0, 0, false));
    /* a process out of sight, or gone between the kernel's count and the scan */
    assert_false(complete(3, 2, false));
    /* one that came meanwhile: the list is not the kernel's either */
    assert_false(complete(1, 2, false));
    /* mappings that could be forgeries prove nothing */
    assert_false(complete(2, 2, true));
}

static void test_blocking_op(void **state)
{
    (void)state;
    int32_t values[] = {1, 0, 2};
    /* the first operation that cannot proceed is where the task waits */
    struct sem_op dec_then_zero[] = {{0, -1, 0}, {0, 0, 0}};
    assert_int_equal(who_blocking_op(dec_then_zero, 2, values, 3), -1);
    struct sem_op zero_on_two[] = {{0, -1, 0}, {2, 0, 0}};
    assert_int_equal(who_blocking_op(zero_on_two, 2, values, 3), 1);
    struct sem_op dec_empty[] = {{1, -1, 0}};
    assert_int_equal(who_blocking_op(dec_empty, 1, values, 3), 0);
    /* a semaphore number the set does not have: the kernel refuses it, nobody waits */
    struct sem_op beyond[] = {{7, -1, 0}};
    assert_int_equal(who_blocking_op(beyond, 1, values, 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_the_segments_device_counts),
        cmocka_unit_test(test_complete_only_when_mappings_add_up),
        cmocka_unit_test(test_blocking_op),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
