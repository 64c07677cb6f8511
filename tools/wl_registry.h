/*
 * wl_registry — the registry of libipcworkload (internal): every object created and every
 * process spawned through the library, so that wl_cleanup() can undo all of it and
 * wl_remove() / wl_kill_wait() act only on what the library made.
 *
 * What it owns: the per-class object tables (open addressing, looked up by id), the list
 * of processes, and the pid of the process they belong to (a forked child that starts
 * using the library starts from an empty registry). It also answers wl_process_count()
 * and wl_object_count() of workload.h.
 *
 * What it may call: libc only. It never talks to the kernel's IPC: the callers do.
 */
#ifndef IPCTOP_TOOLS_WL_REGISTRY_H
#define IPCTOP_TOOLS_WL_REGISTRY_H

#include "workload.h"

#include <stddef.h>
#include <sys/types.h>

struct wl_registry_obj {
    int id;
    key_t key;           /* as created: checked again before removal */
    pid_t cpid;          /* creator, checked for segments (the only class that records it) */
    unsigned char state; /* the table's own */
};

struct wl_registry_proc {
    pid_t pid;
    pid_t parent; /* 0: our own child; else the registered process that forked it */
};

/* Makes the calling process the owner, emptying a registry inherited through fork. */
void wl_registry_claim(void);

/* 1 if the calling process owns the registry. */
int wl_registry_owned(void);

/* 1 if the calling process has registered nothing (or owns nothing). */
int wl_registry_empty(void);

/* Forgets everything and frees the memory (the objects and processes are untouched). */
void wl_registry_free(void);

/* --- objects ---------------------------------------------------------------------------- */

/* The entry of a registered object, or NULL. */
struct wl_registry_obj *wl_registry_obj_find(enum wl_class cls, int id);

/* Registers an object (an id already registered is updated: the kernel reused it after an
 * outside removal). -1 with errno if the table cannot grow. */
int wl_registry_obj_add(enum wl_class cls, int id, key_t key, pid_t cpid);

/* Forgets an entry returned by wl_registry_obj_find(). */
void wl_registry_obj_forget(enum wl_class cls, struct wl_registry_obj *e);

/* The registered objects of a class in table order: start with *cursor = 0, NULL at the
 * end. Not valid across additions. */
struct wl_registry_obj *wl_registry_obj_next(enum wl_class cls, size_t *cursor);

/* --- processes -------------------------------------------------------------------------- */

/* Makes room for more entries, so that wl_registry_proc_add() cannot fail after a fork. */
int wl_registry_proc_reserve(size_t more);

/* Adds an entry; room must have been reserved. */
void wl_registry_proc_add(pid_t pid, pid_t parent);

/* The entry of a process, or NULL. */
struct wl_registry_proc *wl_registry_proc_find(pid_t pid);

/* Removes an entry: the last one takes its place, so pointers and positions past it
 * change. */
void wl_registry_proc_drop(struct wl_registry_proc *p);

/* The process entries as an array of *n; valid until the next add or drop. */
struct wl_registry_proc *wl_registry_procs(size_t *n);

/* Forgets every process entry. */
void wl_registry_proc_clear(void);

#endif
