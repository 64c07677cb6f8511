/*
 * kind_list — the registered kinds of IPC object, in the order they are shown. Adding a
 * kind is one line here, its descriptor file (kinds/), its collector source (collect/)
 * and its tests: docs/architecture.md walks through it.
 *
 * X(index, descriptor): the index names the kind in code that belongs to it; code that
 * works on every kind iterates over ipc_kinds[] and never switches on the index.
 */
#ifndef IPCTOP_KIND_LIST_H
#define IPCTOP_KIND_LIST_H

#define IPC_KIND_LIST(X)                                                                           \
    X(IPC_SHM, kind_sysv_shm)                                                                      \
    X(IPC_SEM, kind_sysv_sem)                                                                      \
    X(IPC_MSG, kind_sysv_msg)

#define IPC_KIND_ENUM(index, descriptor) index,
enum ipc_class { IPC_KIND_LIST(IPC_KIND_ENUM) IPC_NCLASSES };
#undef IPC_KIND_ENUM

#endif
