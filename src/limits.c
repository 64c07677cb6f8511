/* Kernel limits of the IPC namespace, from /proc/sys/kernel (part of collect). */
#include "collect.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool read_u64s(const char *root, const char *name, unsigned long long *v, int n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sys/kernel/%s", root, name);
    FILE *f = fopen(path, "re");
    if (!f) return false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) ok = fscanf(f, "%llu", &v[i]) == 1;
    fclose(f);
    return ok;
}

int collect_limits(const char *proc_root, struct ipc_limits *lim)
{
    unsigned long long v[4];
    memset(lim, 0, sizeof *lim);
    bool ok = true;
#define ONE(field, name) v[0] = 0, ok = read_u64s(proc_root, name, v, 1) && ok, lim->field = v[0]
    ONE(shmmax, "shmmax");
    ONE(shmall, "shmall");
    ONE(shmmni, "shmmni");
    ONE(msgmax, "msgmax");
    ONE(msgmnb, "msgmnb");
    ONE(msgmni, "msgmni");
#undef ONE
    if (read_u64s(proc_root, "sem", v, 4)) {
        lim->semmsl = v[0];
        lim->semmns = v[1];
        lim->semopm = v[2];
        lim->semmni = v[3];
    } else {
        ok = false;
    }
    lim->shmmin = 1;     /* SHMMIN: fixed in the kernel */
    lim->semvmx = 32767; /* SEMVMX: fixed in the kernel */
    long ps = sysconf(_SC_PAGESIZE);
    lim->page_size = ps > 0 ? (unsigned long long)ps : 4096;
    lim->valid = ok;
    return ok ? 0 : -1;
}
