/* Use of the kernel's limits, summed over a snapshot (usage.h). */
#include "usage.h"

#include "kind.h"

void ipc_usage_of(const struct snapshot *s, struct ipc_usage *u)
{
    *u = (struct ipc_usage){0};
    for (int k = 0; k < IPC_NCLASSES; k++) kind_of((enum ipc_class)k)->usage(s, u);
}
