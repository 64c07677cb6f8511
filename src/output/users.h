/*
 * users — uid/gid to name, each looked up once (ipcs re-reads /etc/passwd for every row).
 *
 * Owns a small open-addressing cache per kind. A uid with no passwd entry is shown as its
 * number. Names are kept sanitized for terminals, and in JSON-escaped form for JSON.
 */
#ifndef IPCTOP_USERS_H
#define IPCTOP_USERS_H

#include <stdint.h>

struct users;

struct users *users_new(void);
void users_free(struct users *u);

/* Display name of a uid / gid: the (sanitized) name, or the number when unknown. */
const char *users_name(struct users *u, uint32_t uid);
const char *groups_name(struct users *u, uint32_t gid);
/* The same name as a JSON string literal, quotes included (jw_quote). */
const char *users_name_json(struct users *u, uint32_t uid);

#endif
