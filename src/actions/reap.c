#include "reap.h"

#include "actions.h"
#include "engine.h"
#include "format.h"
#include "run.h"
#include "jsonw.h"
#include "leak.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool matches(const struct options *o, const struct ipc_common *c)
{
    if (o->owner_given && (!(c->valid & FBIT(F_UID)) || c->uid != o->owner_uid)) return false;
    if (o->nkeys == 0 && o->nids == 0) return true;
    for (size_t k = 0; k < o->nkeys; k++)
        if ((c->valid & FBIT(F_KEY)) && c->key == o->keys[k]) return true;
    for (size_t k = 0; k < o->nids; k++)
        if (c->id == o->ids[k]) return true;
    return false;
}

/* One candidate of the run, in the order listed. */
struct candidate {
    enum ipc_class cls;
    size_t i;          /* in the snapshot */
    long item;         /* in the removal batch, -1 when not removed */
    const char *word;  /* outcome when not in the batch */
    char message[200]; /* ... and its sentence */
};

static void print_candidate(const struct candidate *c, const struct removal_batch *b,
                            const struct model *m, struct users *u, bool json, struct jsonw *w)
{
    const struct snapshot *s = m->cur;
    const struct ipc_common *ic = snapshot_common(s, c->cls, c->i);
    const struct leak_verdict *v = model_verdict(m, c->cls, c->i);
    const struct removal_item *it = c->item >= 0 ? &b->items[c->item] : NULL;
    const char *outcome = it ? it->word : c->word;
    const char *msg = it ? it->outcome : c->message;
    /* a removal that went as planned needs no second sentence */
    if (it && it->status == ACTION_DONE && strcmp(it->word, "removed") == 0) msg = "";
    char reason[512], key[FMT_BUFSZ];
    model_leak_text(m, c->cls, c->i, u, reason, sizeof reason);
    fmt_key(key, ic->key);
    const char *word = leak_kind_word((enum leak_kind)v->kind);
    if (json) {
        jw_obj_begin(w);
        jw_key(w, "type");
        jw_str_plain(w, ipc_class_name(c->cls));
        JW_KI64(w, "id", ic->id);
        jw_key(w, "key");
        jw_str_plain(w, key);
        jw_key(w, "owner");
        jw_literal(w, users_name_json(u, ic->uid));
        jw_key(w, "verdict");
        jw_str_plain(w, word);
        jw_key(w, "reason");
        jw_str(w, reason);
        jw_key(w, "outcome");
        jw_str(w, outcome);
        if (msg[0]) {
            jw_key(w, "message");
            jw_str(w, msg);
        }
        jw_obj_end(w);
        return;
    }
    printf("%s %d key %s owner %s: %s%s: %s -> %s\n", ipc_class_name(c->cls), ic->id, key,
           users_name(u, ic->uid), word, v->kind == LEAK_POSSIBLY ? " leaked" : "", reason,
           msg[0] ? msg : outcome);
}

int run_reap(const struct options *o)
{
    struct engine e;
    struct collect_options co = run_collect_options(o);
    struct model_params mp = {o->older_than};
    char err[512];
    if (engine_init(&e, &co, &mp, false) < 0) {
        fprintf(stderr, "ipctop: out of memory\n");
        return 1;
    }
    if (engine_refresh(&e, err, sizeof err) < 0) {
        fprintf(stderr, "ipctop: %s\n", err);
        engine_free(&e);
        return 1;
    }
    const struct model *m = &e.model;
    const struct snapshot *s = m->cur;
    enum leak_kind accept = o->include_possible ? LEAK_POSSIBLY : LEAK_LEAKED;
    struct removal_batch b;
    removal_batch_init(&b);
    struct candidate *cand = NULL;
    size_t ncand = 0, cap = 0;
    int status = 0;
    for (int cls = 0; cls < IPC_NCLASSES && status == 0; cls++) {
        if (!o->types[cls]) continue;
        for (size_t i = 0; i < snapshot_count(s, (enum ipc_class)cls); i++) {
            const struct ipc_common *c = snapshot_common(s, (enum ipc_class)cls, i);
            const struct leak_verdict *v = model_verdict(m, (enum ipc_class)cls, i);
            if (v->kind == LEAK_NO || !matches(o, c)) continue;
            if (ncand == cap) {
                cap = cap ? cap * 2 : 64;
                struct candidate *nc = realloc(cand, cap * sizeof *nc);
                if (!nc) {
                    status = 1;
                    break;
                }
                cand = nc;
            }
            struct candidate *k = &cand[ncand++];
            *k = (struct candidate){(enum ipc_class)cls, i, -1, "", ""};
            if ((enum leak_kind)v->kind < accept) {
                k->word = "skipped: possibly leaked";
                snprintf(k->message, sizeof k->message,
                         "skipped: possibly leaked (--include-possible removes it)");
            } else if (!action_may_remove(c)) {
                k->word = "permission denied";
                snprintf(k->message, sizeof k->message,
                         "permission denied: only its owner, its creator or root may remove it");
                if (!o->dry_run) status = 1;
            } else if (o->dry_run) {
                k->word = "would remove";
            } else if (removal_batch_add(&b, s, (enum ipc_class)cls, i, (enum leak_kind)v->kind,
                                         accept, users_name(e.users, c->uid))) {
                k->item = (long)b.n - 1;
            } else {
                status = 1;
            }
        }
    }
    if (status && !cand) {
        fprintf(stderr, "ipctop: out of memory\n");
        removal_batch_free(&b);
        engine_free(&e);
        return 1;
    }
    /* the verdicts were made from the kernel a moment ago: each object is re-read and
     * re-checked right before its removal */
    if (b.n) actions_remove(&b, m, &co, &mp, e.users);
    for (size_t k = 0; k < b.n; k++)
        if (b.items[k].status == ACTION_DENIED || b.items[k].status == ACTION_FAILED) status = 1;

    struct jsonw w;
    if (o->json) {
        jw_init(&w, stdout);
        jw_obj_begin(&w);
        jw_key(&w, "candidates");
        jw_arr_begin(&w, true);
    }
    for (size_t k = 0; k < ncand; k++) print_candidate(&cand[k], &b, m, e.users, o->json, &w);
    int wrote = 0;
    if (o->json) {
        jw_arr_end(&w);
        jw_obj_end(&w);
        wrote = jw_finish(&w);
    } else if (ncand == 0) {
        printf("no leaked objects%s\n", o->nkeys || o->nids || o->owner_given ? " match" : "");
    }
    (void)wrote; /* out_finish says why a write failed */
    free(cand);
    removal_batch_free(&b);
    engine_free(&e);
    return out_finish(stdout, status);
}
