/*
 * wl_obj — libipcworkload's objects: the section "objects" of workload.h (wl_shm_create,
 * wl_sem_create, wl_msg_create, wl_remove, wl_shm_write, wl_sem_setval, wl_msg_fill,
 * wl_msg_fill_to_limit) and, for the rest of the library (internal), the kernel calls on
 * objects that spawned children and wl_cleanup() share: IPC_RMID, "is it still ours?",
 * registering a new object, and message buffers with the test pattern.
 *
 * What it owns: nothing of its own; what it creates goes into wl_registry.
 * What it may call: wl_registry, libc and the System V IPC syscalls.
 */
#ifndef IPCTOP_TOOLS_WL_OBJ_H
#define IPCTOP_TOOLS_WL_OBJ_H

#include "workload.h"
#include "wl_registry.h"

#include <stddef.h>
#include <sys/types.h>

/* IPC_RMID of any class. */
int wl_obj_rmid(enum wl_class cls, int id);

/* Registers a new object and returns its id; if the registry cannot grow, the object is
 * removed again so that nothing exists that wl_cleanup() would not know about. */
int wl_obj_adopt(enum wl_class cls, int id, key_t key, pid_t cpid);

/* Is the object with this id still the one we created? 1 yes, 0 no (gone or replaced),
 * and 1 when we may not look (EACCES): the id came from our own creation. */
int wl_obj_still_ours(enum wl_class cls, const struct wl_registry_obj *e);

/* The test pattern: byte[i] = (unsigned char)i. */
void wl_obj_fill_pattern(unsigned char *p, size_t len);

/* A message buffer for msgsnd (free() it): mtype, then size bytes of pattern. */
long *wl_obj_msg_new(size_t size, long mtype);

/* msgsnd, resumed after signals. */
int wl_obj_msg_send(int msqid, const long *buf, size_t size, int flags);

#endif
