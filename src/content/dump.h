/*
 * dump — `ipctop --dump SHMID` (a segment's bytes as a squeezed hexdump, or raw) and
 * `ipctop --peek MSQID` (a queue's messages, left in the queue). For scripts.
 * Exit status: 0, 1 for a missing object or an unreadable range (one sentence on stderr).
 */
#ifndef IPCTOP_DUMP_H
#define IPCTOP_DUMP_H

#include "options.h"

int run_dump(const struct options *o);
int run_peek(const struct options *o);

/* base64 of n bytes into out (4*ceil(n/3)+1 bytes) */
void base64_encode(const uint8_t *in, size_t n, char *out);

#endif
