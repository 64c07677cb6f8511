/*
 * collect_shm — what reading segments needs beyond their records: the kernel's rss of
 * hugetlb segments is 512x too high, corrected or flagged here once the attachers' mappings
 * (which prove a segment hugetlb) are known. The shm kind's finish hook (kinds/sysv.h).
 */
#include "collect_source.h"
#include "hugetlb.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* Whether any huge page is allocated now (only then can a hugetlb segment have rss). */
static bool hugepages_in_use(void)
{
    DIR *d = opendir("/sys/kernel/mm/hugepages");
    if (!d) return false;
    bool used = false;
    struct dirent *de;
    while (!used && (de = readdir(d))) {
        if (strncmp(de->d_name, "hugepages-", 10) != 0) continue;
        unsigned long long nr = 0, fr = 0;
        char p[320];
        snprintf(p, sizeof p, "/sys/kernel/mm/hugepages/%s/nr_hugepages", de->d_name);
        FILE *f = fopen(p, "re");
        if (f) {
            if (fscanf(f, "%llu", &nr) != 1) nr = 0;
            fclose(f);
        }
        snprintf(p, sizeof p, "/sys/kernel/mm/hugepages/%s/free_hugepages", de->d_name);
        f = fopen(p, "re");
        if (f) {
            if (fscanf(f, "%llu", &fr) != 1) fr = nr;
            fclose(f);
        }
        used = nr > fr;
    }
    closedir(d);
    return used;
}

/* A hugetlb page size proven by an attacher's mapping of segment id, else 0. */
static uint64_t mapped_hugepage(const struct snapshot *s, int32_t id, uint64_t base_page)
{
    for (size_t i = 0; i < s->attach.n; i++)
        if (s->attach.m[i].shmid == id && s->attach.m[i].page_size > base_page)
            return s->attach.m[i].page_size;
    return 0;
}

/* rss of hugetlb segments is inflated by the kernel: correct or flag it. */
void collect_shm_finish(struct collect_ctx *ctx, struct snapshot *s)
{
    int in_use = -1; /* read lazily: only a suspicious rss needs it */
    bool any_huge = false;
    for (size_t i = 0; i < s->attach.n && !any_huge; i++)
        any_huge = s->attach.m[i].page_size > ctx->page_size;
    for (size_t i = 0; i < s->tab[IPC_SHM].n; i++) {
        struct shm_segment *seg = &SNAP_SHM(s)[i];
        uint64_t known = any_huge ? mapped_hugepage(s, seg->c.id, ctx->page_size) : 0;
        if (known) seg->flags |= SHM_SEG_HUGETLB;
        if (!(seg->c.valid & FBIT(F_RSS)) || seg->rss == 0) continue;
        struct hugetlb_verdict v = hugetlb_check_rss(
            seg->rss, seg->size, ctx->page_size, ctx->hugepage_sizes, ctx->nhugepage, true, known);
        if (v.flags == SHM_SEG_RSS_SUSPECT) {
            if (in_use < 0) in_use = hugepages_in_use();
            if (!in_use) continue;
        }
        seg->flags |= v.flags;
        seg->rss = v.rss;
    }
}
