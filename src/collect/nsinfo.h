/*
 * nsinfo — the answers to namespace questions every stage asks: which IPC namespace a
 * process is in, whether a namespace is the machine's initial one, whether we see every
 * pid. Reads /proc and nothing else; no state.
 */
#ifndef IPCTOP_NSINFO_H
#define IPCTOP_NSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The initial IPC namespace has a fixed inode (the kernel's PROC_IPC_INIT_INO). */
#define NS_INITIAL_IPC_INO UINT64_C(4026531839)

/* Inode of <proc_root>/<pid_dir>/ns/ipc ("ipc:[4026531839]"), 0 when it cannot be read. */
uint64_t ns_ipc_of(const char *proc_root, const char *pid_dir);
/* The same relative to an open /proc directory. */
uint64_t ns_ipc_at(int procfd, const char *pid_dir);

static inline bool ns_is_initial_ipc(uint64_t ino)
{
    return ino == NS_INITIAL_IPC_INO;
}

/*
 * The IPC namespaces of processes as one refresh reads them: each /proc/PID/ns/ipc (and
 * /proc/self/ns/ipc) is read once per refresh however many scans ask (the task, mapping,
 * process and owner scans all do). Not thread-safe: one thread asks.
 */
struct ns_cache {
    struct ns_slot {
        int32_t pid; /* 0: empty slot */
        uint64_t ns; /* 0: could not be read */
    } * slot;
    size_t cap, n; /* cap: a power of two */
    uint64_t self; /* our own, read at ns_cache_begin */
    bool on;       /* between begin and end */
};

/* Forgets what the last refresh read (keeps the memory) and reads our own namespace. */
void ns_cache_begin(struct ns_cache *c, const char *proc_root);
void ns_cache_free(struct ns_cache *c);
/* The IPC namespace of <proc_root>/<pid_dir> ("1234" or "self"), from the cache when this
 * refresh read it already. c may be NULL (then it is read). */
uint64_t ns_cache_ipc(struct ns_cache *c, const char *proc_root, const char *pid_dir);

/* Whether <proc_root> shows the initial PID namespace (only it has kernel threads, and
 * kthreadd is always pid 2 there): then no process can hide in a parent namespace. */
bool ns_initial_pid(const char *proc_root);
bool ns_initial_pid_at(int procfd);

/* Whether <proc_root> is mounted with hidepid= (other users' processes are hidden from
 * everyone but root). */
bool ns_proc_hides_pids(const char *proc_root);

/* Parses a namespace link's text "ipc:[123]" (pure); 0 when it is not one. */
uint64_t ns_parse_link(const char *text, const char *type);

#endif
