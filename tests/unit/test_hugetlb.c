/*
 * hugetlb: undoing the kernel's inflated rss of SHM_HUGETLB segments in /proc/sysvipc/shm
 * (pages_per_huge_page x nrpages base pages: one touched 2 MiB page shows as 1 GiB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hugetlb.h"
#include "snapshot.h"

#define KiB  (UINT64_C(1) << 10)
#define MiB  (UINT64_C(1) << 20)
#define GiB  (UINT64_C(1) << 30)
#define PAGE (4 * KiB)

static const uint64_t hp_x86[] = {2 * MiB, 1 * GiB}; /* default first */

static struct hugetlb_verdict check(uint64_t reported, uint64_t size, bool in_use)
{
    return hugetlb_check_rss(reported, size, PAGE, hp_x86, 2, in_use, 0);
}

static void test_zero_rss(void **state)
{
    (void)state;
    for (int in_use = 0; in_use < 2; in_use++) {
        struct hugetlb_verdict v = check(0, 64 * GiB, in_use);
        assert_int_equal(v.flags, 0);
        assert_int_equal(v.rss, 0);
        assert_int_equal(v.hugepage, 0);
    }
}

static void test_normal_shmem(void **state)
{
    (void)state;
    /* rss up to the size is what shmem reports: left alone */
    static const uint64_t cases[][2] = {
        {PAGE, 4 * MiB},      {2 * MiB, 4 * MiB},        {4 * MiB, 4 * MiB},
        {10 * MiB, 10 * MiB}, {3 * PAGE, 5 * PAGE},      {PAGE, 100}, /* size rounds up to a page */
        {512 * MiB, 1 * GiB}, {1 * GiB + PAGE, 2 * GiB},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int in_use = 0; in_use < 2; in_use++) {
            struct hugetlb_verdict v = check(cases[i][0], cases[i][1], in_use);
            if (v.flags != 0 || v.rss != cases[i][0] || v.hugepage != 0)
                fail_msg("case %zu (in use %d): flags %u rss %llu", i, in_use, v.flags,
                         (unsigned long long)v.rss);
        }
    }
}

static void test_one_2m_page_of_4m_segment(void **state)
{
    (void)state;
    /* 1 touched 2 MiB page is printed as 512 x 2 MiB = 1 GiB, more than the 4 MiB segment */
    for (int in_use = 0; in_use < 2; in_use++) {
        struct hugetlb_verdict v = check(1 * GiB, 4 * MiB, in_use);
        assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED);
        assert_int_equal(v.rss, 2 * MiB);
        assert_int_equal(v.hugepage, 2 * MiB);
    }
    /* both pages touched */
    struct hugetlb_verdict v = check(2 * GiB, 4 * MiB, true);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED);
    assert_int_equal(v.rss, 4 * MiB);
}

static void test_1g_pages(void **state)
{
    (void)state;
    /* one 1 GiB page: 262144 x 1 GiB = 256 TiB reported for a 2 GiB segment */
    uint64_t reported = (1 * GiB / PAGE) * GiB;
    struct hugetlb_verdict v = check(reported, 2 * GiB, true);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED);
    assert_int_equal(v.rss, 1 * GiB);
    assert_int_equal(v.hugepage, 1 * GiB);
    /* the same segment on a machine whose default is 1 GiB */
    static const uint64_t hp_1g_first[] = {1 * GiB, 2 * MiB};
    v = hugetlb_check_rss(reported, 2 * GiB, PAGE, hp_1g_first, 2, false, 0);
    assert_int_equal(v.rss, 1 * GiB);
    assert_int_equal(v.hugepage, 1 * GiB);
}

static void test_big_segment_one_touched_page(void **state)
{
    (void)state;
    /* 64 GiB hugetlb segment, one 2 MiB page touched: 1 GiB reported fits the size, so it
     * could be 1 GiB of ordinary shmem. Suspect only when huge pages are in use. */
    struct hugetlb_verdict v = check(1 * GiB, 64 * GiB, false);
    assert_int_equal(v.flags, 0);
    assert_int_equal(v.rss, 1 * GiB);
    v = check(1 * GiB, 64 * GiB, true);
    assert_int_equal(v.flags, SHM_SEG_RSS_SUSPECT);
    assert_int_equal(v.rss, 1 * GiB); /* not corrected: it may be right */
    assert_int_equal(v.hugepage, 0);
    /* not a whole number of inflated huge pages: cannot be hugetlb */
    v = check(1 * GiB + PAGE, 64 * GiB, true);
    assert_int_equal(v.flags, 0);
}

static void test_more_than_size_without_candidate(void **state)
{
    (void)state;
    /* impossible for shmem, but no huge page size explains it */
    struct hugetlb_verdict v = check(8 * MiB + PAGE, 4 * MiB, false);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_SUSPECT);
    assert_int_equal(v.rss, 8 * MiB + PAGE);
    assert_int_equal(v.hugepage, 0);
    /* no huge page sizes known at all */
    v = hugetlb_check_rss(1 * GiB, 4 * MiB, PAGE, NULL, 0, true, 0);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_SUSPECT);
    assert_int_equal(v.rss, 1 * GiB);
}

static void test_known_hugepage(void **state)
{
    (void)state;
    /* an attacher's mapping proved it: divide whatever was reported */
    struct hugetlb_verdict v =
        hugetlb_check_rss(1 * GiB, 64 * GiB, PAGE, hp_x86, 2, false, 2 * MiB);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED);
    assert_int_equal(v.rss, 2 * MiB);
    assert_int_equal(v.hugepage, 2 * MiB);
    v = hugetlb_check_rss(0, 64 * GiB, PAGE, hp_x86, 2, true, 2 * MiB);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB);
    assert_int_equal(v.rss, 0);
    v = hugetlb_check_rss(256 * GiB * 1024, 2 * GiB, PAGE, NULL, 0, false, 1 * GiB);
    assert_int_equal(v.rss, 1 * GiB);
    assert_int_equal(v.hugepage, 1 * GiB);
}

static void test_odd_inputs(void **state)
{
    (void)state;
    /* no page size: nothing can be concluded */
    struct hugetlb_verdict v = hugetlb_check_rss(1 * GiB, 4 * MiB, 0, hp_x86, 2, true, 0);
    assert_int_equal(v.flags, 0);
    assert_int_equal(v.rss, 1 * GiB);
    /* huge page sizes that are not multiples of the page, or not larger, are ignored */
    static const uint64_t weird[] = {PAGE, 3 * PAGE + 1, 0};
    v = hugetlb_check_rss(1 * GiB, 4 * MiB, PAGE, weird, 3, true, 0);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_SUSPECT);
    /* a huge page so large that its inflated figure overflows 64 bits is not a candidate */
    static const uint64_t giant[] = {UINT64_C(1) << 40};
    v = hugetlb_check_rss(UINT64_C(1) << 62, 4 * MiB, PAGE, giant, 1, true, 0);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_SUSPECT);
    /* the largest segment the kernel can make (MAX_LFS_FILESIZE): no overflow rounding it */
    v = hugetlb_check_rss(PAGE, INT64_MAX, PAGE, hp_x86, 2, true, 0);
    assert_int_equal(v.flags, 0);
    assert_int_equal(v.rss, PAGE);
    /* 64 KiB base pages (arm64, ppc64) with 512 MiB huge pages */
    static const uint64_t hp_arm[] = {512 * MiB};
    v = hugetlb_check_rss((512 * MiB / (64 * KiB)) * 512 * MiB, 1 * GiB, 64 * KiB, hp_arm, 1, true,
                          0);
    assert_int_equal(v.flags, SHM_SEG_HUGETLB | SHM_SEG_RSS_CORRECTED);
    assert_int_equal(v.rss, 512 * MiB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_rss),
        cmocka_unit_test(test_normal_shmem),
        cmocka_unit_test(test_one_2m_page_of_4m_segment),
        cmocka_unit_test(test_1g_pages),
        cmocka_unit_test(test_big_segment_one_touched_page),
        cmocka_unit_test(test_more_than_size_without_candidate),
        cmocka_unit_test(test_known_hugepage),
        cmocka_unit_test(test_odd_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
