#include "shmdev.h"

#include <dirent.h>
#include <linux/memfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

size_t shmdev_hugepage_sizes(uint64_t *sizes, size_t max)
{
    size_t n = 0;
    uint64_t def = 0;
    FILE *f = fopen("/proc/meminfo", "re");
    if (f) {
        char line[256];
        unsigned long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Hugepagesize: %llu kB", &kb) == 1) def = (uint64_t)kb * 1024;
        fclose(f);
    }
    if (def && n < max) sizes[n++] = def;
    DIR *d = opendir("/sys/kernel/mm/hugepages");
    if (!d) return n;
    struct dirent *de;
    while (n < max && (de = readdir(d))) {
        unsigned long long kb;
        if (sscanf(de->d_name, "hugepages-%llukB", &kb) == 1 && (uint64_t)kb * 1024 != def)
            sizes[n++] = (uint64_t)kb * 1024;
    }
    closedir(d);
    return n;
}

/* st_dev of a memfd made with flags, false when the kernel refuses it. */
static bool memfd_dev(unsigned flags, uint32_t *major_out, uint32_t *minor_out)
{
    int fd = memfd_create("ipctop-shmdev-probe", MFD_CLOEXEC | flags);
    if (fd < 0) return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0;
    close(fd);
    if (!ok) return false;
    *major_out = major(st.st_dev);
    *minor_out = minor(st.st_dev);
    return true;
}

void shmdev_probe(struct shm_devs *d, const uint64_t *huge_sizes, size_t nsizes)
{
    memset(d, 0, sizeof *d);
    d->known = memfd_dev(0, &d->major, &d->minor);
    for (size_t i = 0; i < nsizes && d->nhuge < SHMDEV_MAX_HUGE; i++) {
        uint64_t size = huge_sizes[i];
        if (!size || (size & (size - 1))) continue;
        unsigned shift = (unsigned)__builtin_ctzll(size);
        if (shift > MFD_HUGE_MASK) continue;
        uint32_t ma, mi;
        if (!memfd_dev(MFD_HUGETLB | (shift << MFD_HUGE_SHIFT), &ma, &mi)) continue;
        d->huge_major[d->nhuge] = ma;
        d->huge_minor[d->nhuge] = mi;
        d->huge_size[d->nhuge] = size;
        d->nhuge++;
    }
}

enum shmdev_match shmdev_match(const struct shm_devs *d, uint32_t major_n, uint32_t minor_n,
                               uint64_t *page_size)
{
    if (!d || !d->known) return SHMDEV_UNCHECKED;
    if (major_n == d->major && minor_n == d->minor) return SHMDEV_SHMEM;
    for (size_t i = 0; i < d->nhuge; i++)
        if (major_n == d->huge_major[i] && minor_n == d->huge_minor[i]) {
            if (page_size) *page_size = d->huge_size[i];
            return SHMDEV_HUGETLB;
        }
    return SHMDEV_OTHER;
}
