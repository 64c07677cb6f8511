#include "hugetlb.h"

#include "snapshot.h"

static uint64_t round_up(uint64_t v, uint64_t to)
{
    return to ? (v + to - 1) / to * to : v;
}

/* Whether `reported` can be the kernel's inflated figure for huge pages of size hp. */
static bool fits(uint64_t reported, uint64_t size, uint64_t page, uint64_t hp)
{
    if (hp <= page || hp % page) return false;
    uint64_t factor = hp / page;
    if (hp > UINT64_MAX / factor) return false;
    uint64_t unit = factor * hp; /* what one touched huge page is reported as */
    return reported % unit == 0 && reported / factor <= round_up(size, hp);
}

struct hugetlb_verdict hugetlb_check_rss(uint64_t reported, uint64_t size, uint64_t page,
                                         const uint64_t *hp, size_t nhp, bool hp_in_use,
                                         uint64_t known_hugepage)
{
    struct hugetlb_verdict v = {0, reported, 0};
    if (page == 0) return v;
    if (known_hugepage) {
        v.flags = SHM_SEG_HUGETLB;
        v.hugepage = known_hugepage;
        if (reported && known_hugepage > page) {
            v.rss = reported / (known_hugepage / page);
            v.flags |= SHM_SEG_RSS_CORRECTED;
        }
        return v;
    }
    if (reported == 0) return v;
    uint64_t cand = 0;
    for (size_t i = 0; i < nhp && !cand; i++)
        if (fits(reported, size, page, hp[i])) cand = hp[i];
    if (reported > round_up(size, page)) {
        /* more than the segment can hold: only the hugetlb accounting does that */
        v.flags = SHM_SEG_HUGETLB;
        if (cand) {
            v.rss = reported / (cand / page);
            v.hugepage = cand;
            v.flags |= SHM_SEG_RSS_CORRECTED;
        } else {
            v.flags |= SHM_SEG_RSS_SUSPECT;
        }
        return v;
    }
    if (cand && hp_in_use) v.flags = SHM_SEG_RSS_SUSPECT;
    return v;
}
