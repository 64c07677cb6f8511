#include "removal.h"

#include "app.h"
#include "format.h"
#include "kind.h"
#include "run.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void removal_free(struct removal *rm)
{
    removal_batch_free(&rm->batch);
    free(rm->entries);
    memset(rm, 0, sizeof *rm);
}

static bool add(struct removal *rm, struct app *a, enum ipc_class cls, size_t i)
{
    const struct refresh_view *v = a->view;
    const struct snapshot *s = v->cur;
    const struct ipc_common *c = snapshot_common(s, cls, i);
    const struct leak_verdict *lv = model_verdict(&v->model, cls, i);
    const char *owner = users_name(a->users, c->uid);
    /* the person accepts what they are shown: removal is skipped if it becomes weaker */
    if (!removal_batch_add(&rm->batch, s, cls, i, (enum leak_kind)lv->kind,
                           (enum leak_kind)lv->kind, owner))
        return false;
    struct removal_entry *e = &rm->entries[rm->n++];
    char key[FMT_BUFSZ], size[FMT_BUFSZ * 2] = "";
    kind_of(cls)->summary(s, i, size, sizeof size);
    snprintf(e->text, sizeof e->text, "%s %d  key %s  owner %s  %s", ipc_class_name(cls), c->id,
             fmt_key(key, c->key), owner, size);
    e->kind = (enum leak_kind)lv->kind;
    char why[400];
    model_leak_text(&v->model, cls, i, a->users, why, sizeof why);
    sanitize_text(e->why, sizeof e->why, why, strlen(why));
    if (e->kind != LEAK_LEAKED) rm->doubtful++;
    return true;
}

bool removal_prepare(struct removal *rm, struct app *a)
{
    memset(rm, 0, sizeof *rm);
    removal_batch_init(&rm->batch);
    if (!a->view) return false;
    size_t tagged = 0;
    for (int c = 0; c < IPC_NCLASSES; c++) tagged += a->lists[c].ntags;
    const struct row *sel = list_selected(app_list(a));
    size_t want = tagged ? tagged : sel ? 1 : 0;
    if (!want) {
        app_message(a, false, "nothing to remove: this list is empty");
        return false;
    }
    if (!tagged && sel->state == OBJ_GONE) {
        app_message(a, false, "%s %d is already gone", ipc_class_name(a->kind), sel->key.id);
        return false;
    }
    rm->entries = calloc(want, sizeof *rm->entries);
    if (!rm->entries) return false;
    const struct snapshot *s = a->view->cur;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        const struct list_model *m = &a->lists[c];
        size_t count = tagged ? m->ntags : (c == (int)a->kind ? 1 : 0);
        for (size_t k = 0; k < count; k++) {
            long i = snapshot_index_of_key(s, tagged ? &m->tags[k] : &sel->key);
            if (i < 0) continue; /* a tag of an object gone since */
            if (!add(rm, a, (enum ipc_class)c, (size_t)i)) {
                removal_free(rm);
                app_message(a, true, "out of memory");
                return false;
            }
        }
    }
    if (!rm->n) {
        removal_free(rm);
        app_message(a, false, "the tagged objects are gone already");
        return false;
    }
    rm->stage = RM_CONFIRM;
    return true;
}

size_t removal_execute(struct removal *rm, struct app *a, bool only_leaked)
{
    struct removal_batch *b = &rm->batch;
    for (size_t k = 0; k < b->n; k++)
        b->items[k].left_out = only_leaked && b->items[k].verdict != LEAK_LEAKED;
    struct collect_options co = run_collect_options(a->opt);
    struct model_params mp = {a->opt->older_than};
    /* judges every object again and re-reads each right before removing it */
    long removed = actions_remove(b, NULL, &co, &mp, a->users);
    for (size_t k = 0; k < b->n; k++)
        if (b->items[k].left_out)
            snprintf(b->items[k].outcome, sizeof b->items[k].outcome,
                     "%s %d: not removed (only the certainly leaked ones were)",
                     ipc_class_name(b->items[k].cls), b->items[k].key.id);
    rm->stage = RM_DONE;
    return removed > 0 ? (size_t)removed : 0;
}
