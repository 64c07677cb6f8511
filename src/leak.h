/*
 * leak — is an object a leftover nobody will use again? A verdict with its reason, for
 * every object (pure: reads a snapshot and its who-uses-what join).
 *
 * An object is a leak candidate only when nothing uses it and nobody who used it is
 * still alive, and it has not changed for `min_age` seconds:
 *   segment: nothing attached (nattch 0), creator and last attach/detach process dead or
 *            never set, no attach, detach or change within min_age;
 *   set:     nobody waiting (ncount, zcount, stopped waiters), every element's last pid
 *            dead or never set, no semop or change within min_age;
 *   queue:   nobody blocked sending or receiving, last sender and receiver dead or never
 *            set, no send, receive or change within min_age.
 * An object in use is never a candidate. When something needed for the verdict could not
 * be seen (not root: other users' processes; a set whose counts cannot be read; /proc
 * mounted with hidepid) the verdict is "possibly leaked" and says what is missing.
 */
#ifndef IPCTOP_LEAK_H
#define IPCTOP_LEAK_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"
#include "who.h"

#define LEAK_DEFAULT_MIN_AGE 600 /* seconds: 10 minutes */

enum leak_kind {
    LEAK_NO,       /* in use, or too recent */
    LEAK_YES,      /* a leak candidate */
    LEAK_POSSIBLE, /* would be one, but part of what decides it could not be seen */
};

struct leak_verdict {
    enum leak_kind kind;
    char reason[200]; /* why it is (possibly) leaked, or why not */
};

/* The verdict on object i of class cls, as of time now (unix seconds). */
struct leak_verdict leak_judge(const struct snapshot *s, const struct who *w, enum ipc_class cls,
                               size_t i, int64_t now, int64_t min_age);

/* Only the kind, without the words: what lists and JSON ask of every object. */
enum leak_kind leak_kind_of(const struct snapshot *s, const struct who *w, enum ipc_class cls,
                            size_t i, int64_t now, int64_t min_age);

/* Parses "30s", "10m", "2h", "1d" or a plain number of seconds; false if not one. */
bool leak_parse_duration(const char *text, int64_t *seconds);

#endif
