/*
 * actions — the only code that changes anything outside ipctop. Every action re-checks its
 * target right before acting, so that what is acted on is what the person saw: a process
 * by its pid *and* start time, an object by its id, key, owner and creation time.
 *
 * Each returns a status and writes one sentence for the person into msg.
 */
#ifndef IPCTOP_ACTIONS_H
#define IPCTOP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

enum action_status {
    ACTION_DONE = 0,
    ACTION_GONE = 1,    /* the target no longer exists */
    ACTION_CHANGED = 2, /* the target is not the one shown any more: nothing done */
    ACTION_DENIED = 3,  /* permission denied */
    ACTION_FAILED = 4,  /* another error */
};

/*
 * Sends signal sig to process pid if it is still the process that started at start_tics
 * (field 22 of /proc/PID/stat). Uses a pidfd, so a pid reused between the check and the
 * signal cannot receive it.
 */
enum action_status action_signal(int32_t pid, uint64_t start_tics, int sig, char *msg, size_t len);

/* What identifies an object as the one the person saw. */
struct ipc_identity {
    enum ipc_class cls;
    int32_t id;
    uint32_t key;
    uint32_t uid, cuid;
    int64_t ctime;
    const char *owner; /* the owner's name, for messages */
};

/* The identity of object i of class cls of a snapshot. */
struct ipc_identity ipc_identity_of(const struct snapshot *s, enum ipc_class cls, size_t i,
                                    const char *owner);

/*
 * Compare-and-remove: re-reads the object right before IPC_RMID and removes it only if it
 * is still the one described (same id, key, owner, creator and ctime). A segment that
 * still has attachers is only marked for destruction (ACTION_DONE, and msg says so).
 */
enum action_status action_remove(const struct ipc_identity *want, char *msg, size_t len);

/* Reads field 22 (starttime) of /proc/PID/stat; false when the process is gone. */
bool action_read_start_tics(int32_t pid, uint64_t *tics);

#endif
