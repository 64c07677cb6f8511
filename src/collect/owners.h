/*
 * owners — every live process of our IPC namespace with its user, for one refresh: the
 * evidence that an object's owner is still active (leak.h). A System V object is found by
 * its key, and nothing in the kernel says which process holds a key, so a process of the
 * object's user that is alive may use it again at any time.
 *
 * Read from /proc/PID/status (real and effective uid, parent, state) and /proc/PID/ns/ipc;
 * only when a refresh has an object whose users are otherwise all gone (collect decides).
 * Kernel threads and zombies are left out: neither uses IPC any more.
 */
#ifndef IPCTOP_OWNERS_H
#define IPCTOP_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsinfo.h"

struct owner_proc {
    int32_t pid, ppid;
    uint32_t ruid, euid;
    char name[16];   /* the command name (status "Name:", as the kernel cuts it) */
    bool ns_unknown; /* its namespace could not be read: it may or may not be in ours */
};

struct owner_scan {
    struct owner_proc *p; /* sorted by pid */
    size_t n, cap;
    size_t refused; /* processes whose status could not be read */
    bool read;      /* the scan ran for this snapshot */
    bool sees_all;  /* every process that may share our namespace was seen and read: the
                       initial PID namespace, no hidepid, nothing refused */
    int32_t self;   /* our pid, and our ancestors' (they wait for us, they use nothing) */
    int32_t *ancestors;
    size_t nancestors, capanc;
};

/* Scans <proc_root>; the arrays are reused. 0, or -1 when /proc cannot be listed or out of
 * memory (then read is false). */
int owners_scan(const char *proc_root, struct ns_cache *ns, struct owner_scan *o);
void owners_free(struct owner_scan *o);

/* The entry of pid, or NULL. */
const struct owner_proc *owners_find(const struct owner_scan *o, int32_t pid);
/* Whether pid is ipctop itself or one of its ancestors. */
bool owners_is_self(const struct owner_scan *o, int32_t pid);

/*
 * Parses the text of /proc/PID/status (pure): Name, State, PPid, Uid (real, effective) and
 * Kthread. Returns false when a needed line is missing or malformed. *kthread is true for
 * a kernel thread, *zombie for a zombie or dead task.
 */
bool owners_parse_status(const char *buf, size_t len, struct owner_proc *p, bool *kthread,
                         bool *zombie);

#endif
