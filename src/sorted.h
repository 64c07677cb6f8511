/*
 * sorted — the one comparator of 32-bit numbers and the one search of sorted arrays that
 * every stage uses (pids, ids, uids: records sorted by a leading 32-bit member).
 */
#ifndef IPCTOP_SORTED_H
#define IPCTOP_SORTED_H

#include <stddef.h>
#include <stdint.h>

/* qsort/bsearch order of two int32_t, or of two records that begin with one. */
static inline int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The same for uint32_t. */
static inline int cmp_uint32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The index of the first of n elements of base (sorted by cmp) that is not before key:
 * where key is, or would go (n when after all). Unlike bsearch, it finds the first of
 * equal elements. */
static inline size_t sorted_lower_bound(const void *base, size_t n, size_t size, const void *key,
                                        int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp((const char *)base + mid * size, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#endif
