/*
 * nsinfo — the answers to namespace questions every stage asks: which IPC namespace a
 * process is in, whether a namespace is the machine's initial one, whether we see every
 * pid. Reads /proc and nothing else; no state.
 */
#ifndef IPCTOP_NSINFO_H
#define IPCTOP_NSINFO_H

#include <stdbool.h>
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
