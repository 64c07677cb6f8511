/*
 * json_fields — the pieces of an object's JSON that the kinds' writers (kind.h: json)
 * share with output_json.c: a field or null, a time or null, a pid's liveness, the
 * attacher and waiter lists. docs/json-schema.md is the schema.
 */
#ifndef IPCTOP_JSON_FIELDS_H
#define IPCTOP_JSON_FIELDS_H

#include "jsonw.h"
#include "procs.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

/* "key": value, or null when the field is unknown */
void json_kv_u64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, uint64_t v);
void json_kv_i64(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t v);
/* times: unix seconds, null when never (0) or unknown */
void json_kv_time(struct jsonw *w, const char *k, uint64_t valid, enum ipc_field f, int64_t t);
/* true / false / null for a pid's liveness (null: never set or unknown) */
void json_kv_alive(struct jsonw *w, const char *k, enum liveness l);
/* "attached", "attachers", "attachers_complete" of object i of an attached kind */
void json_attachers(struct jsonw *w, const struct snapshot *s, const struct who *who,
                    enum ipc_class cls, size_t i, struct users *u);
/* "waiters", "waiters_complete" of object i of cls */
void json_waiters(struct jsonw *w, const struct snapshot *s, const struct who *who,
                  enum ipc_class cls, size_t i, struct users *u);

#endif
