#include "reap.h"

#include "actions.h"
#include "engine.h"
#include "format.h"
#include "jsonw.h"
#include "leak.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

static bool matches(const struct options *o, const struct ipc_common *c)
{
    if (o->owner_given && (!(c->valid & FBIT(F_UID)) || c->uid != o->owner_uid)) return false;
    if (o->nkeys == 0) return true;
    for (size_t k = 0; k < o->nkeys; k++)
        if ((c->valid & FBIT(F_KEY)) && c->key == o->keys[k]) return true;
    return false;
}

static const char *outcome_word(enum action_status st)
{
    switch (st) {
    case ACTION_DONE: return "removed";
    case ACTION_GONE: return "already gone";
    case ACTION_CHANGED: return "changed since listed - skipped";
    case ACTION_DENIED: return "permission denied";
    default: return "failed";
    }
}

int run_reap(const struct options *o)
{
    struct engine e;
    struct collect_options co = {o->force, "/proc"};
    char err[512];
    if (engine_init(&e, &co) < 0) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    if (engine_refresh(&e, err, sizeof err) < 0) {
        fprintf(stderr, "ipctop: %s\n", err);
        engine_free(&e);
        return 1;
    }
    const struct snapshot *s = engine_snapshot(&e);
    int64_t now = (int64_t)s->wall;
    struct jsonw w;
    if (o->json) {
        jw_init(&w, stdout);
        jw_obj_begin(&w);
        jw_key(&w, "candidates");
        jw_arr_begin(&w, true);
    }
    size_t listed = 0, removed = 0, failed = 0;
    for (int cls = 0; cls < IPC_NCLASSES; cls++) {
        if (!o->types[cls]) continue;
        for (size_t i = 0; i < snapshot_count(s, (enum ipc_class)cls); i++) {
            const struct ipc_common *c = snapshot_common(s, (enum ipc_class)cls, i);
            if (!matches(o, c)) continue;
            struct leak_verdict v =
                leak_judge(s, &e.who, (enum ipc_class)cls, i, now, o->older_than);
            if (v.kind == LEAK_NO) continue;
            const char *owner = users_name(e.users, c->uid);
            char msg[512] = "", key[FMT_BUFSZ];
            const char *outcome;
            if (v.kind == LEAK_POSSIBLE) {
                outcome = "skipped: possibly in use";
            } else if (o->dry_run) {
                outcome = "would remove";
            } else {
                struct ipc_identity id = ipc_identity_of(s, (enum ipc_class)cls, i, owner);
                enum action_status st = action_remove(&id, msg, sizeof msg);
                outcome = outcome_word(st);
                if (st == ACTION_DONE || st == ACTION_GONE)
                    removed++;
                else
                    failed++;
            }
            listed++;
            fmt_key(key, c->key);
            if (o->json) {
                jw_obj_begin(&w);
                jw_key(&w, "type");
                jw_str_plain(&w, ipc_class_name((enum ipc_class)cls));
                JW_KI64(&w, "id", c->id);
                jw_key(&w, "key");
                jw_str_plain(&w, key);
                jw_key(&w, "owner");
                jw_literal(&w, users_name_json(e.users, c->uid));
                jw_key(&w, "reason");
                jw_str(&w, v.reason);
                jw_key(&w, "outcome");
                jw_str(&w, outcome);
                if (msg[0]) {
                    jw_key(&w, "message");
                    jw_str(&w, msg);
                }
                jw_obj_end(&w);
            } else {
                printf("%s %d key %s owner %s: %s -> %s\n", ipc_class_name((enum ipc_class)cls),
                       c->id, key, owner, v.reason,
                       msg[0] && strcmp(outcome, "removed") ? msg : outcome);
            }
        }
    }
    if (o->json) {
        jw_arr_end(&w);
        jw_obj_end(&w);
        jw_finish(&w);
    } else if (listed == 0) {
        printf("no leaked objects%s\n", o->nkeys || o->owner_given ? " match" : "");
    }
    engine_free(&e);
    return out_finish(stdout, failed ? 1 : 0);
}
