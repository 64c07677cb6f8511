#include "removal.h"

#include "app.h"
#include "format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void removal_free(struct removal *rm)
{
    free(rm->items);
    memset(rm, 0, sizeof *rm);
}

/* Appends "pid command" of a process to a comma list. */
static void add_proc(char *buf, size_t len, const struct snapshot *s, int32_t pid)
{
    const struct proc_info *p = procs_find(&s->procs, pid);
    char comm[48] = "?";
    if (p)
        sanitize_text(comm, sizeof comm, procs_comm(&s->procs, p),
                      strlen(procs_comm(&s->procs, p)));
    size_t l = strlen(buf);
    snprintf(buf + l, len - l, "%s%d %s", l ? ", " : "", pid, comm);
}

static void describe_use(struct removal_item *it, const struct snapshot *s, const struct who *w,
                         enum ipc_class cls, size_t i)
{
    char procs[200] = "";
    size_t n;
    switch (cls) {
    case IPC_SHM: {
        const struct shm_segment *g = &s->shm[i];
        const struct who_attacher *a = who_attachers(w, i, &n);
        for (size_t k = 0; k < n && k < 4; k++) add_proc(procs, sizeof procs, s, a[k].pid);
        if (g->nattch > 0)
            snprintf(it->use, sizeof it->use, "attached %" PRIu64 " time(s)%s%s%s", g->nattch,
                     n ? " by " : "", procs, n > 4 ? ", ..." : "");
        else if (who_shm_cpid_alive(s, g) == LIVE_ALIVE)
            add_proc(procs, sizeof procs, s, g->cpid),
                snprintf(it->use, sizeof it->use, "its creator is alive: %s", procs);
        else if (who_shm_lpid_alive(s, g) == LIVE_ALIVE)
            add_proc(procs, sizeof procs, s, g->lpid),
                snprintf(it->use, sizeof it->use, "its last user is alive: %s", procs);
        break;
    }
    case IPC_SEM: {
        const struct sem_set *set = &s->sem[i];
        const struct who_waiter *wt = who_waiters(w, IPC_SEM, i, &n);
        for (size_t k = 0; k < n && k < 4; k++) add_proc(procs, sizeof procs, s, wt[k].pid);
        int64_t counted = sem_set_waiters(s, set);
        if (n || counted > 0) {
            snprintf(it->use, sizeof it->use, "%zu process(es) waiting on it%s%s",
                     n ? n : (size_t)counted, n ? ": " : "", procs);
            break;
        }
        for (uint32_t k = 0; k < set->nsems; k++)
            if (who_sem_pid_alive(s, set, k) == LIVE_ALIVE) {
                add_proc(procs, sizeof procs, s, sem_elements(s, set)[k].pid);
                snprintf(it->use, sizeof it->use, "its last user is alive: %s", procs);
                break;
            }
        break;
    }
    default: {
        const struct msg_queue *q = &s->msg[i];
        const struct who_waiter *wt = who_waiters(w, IPC_MSG, i, &n);
        for (size_t k = 0; k < n && k < 4; k++) add_proc(procs, sizeof procs, s, wt[k].pid);
        if (n)
            snprintf(it->use, sizeof it->use, "%zu process(es) blocked on it: %s", n, procs);
        else if (who_msg_lspid_alive(s, q) == LIVE_ALIVE)
            add_proc(procs, sizeof procs, s, q->lspid),
                snprintf(it->use, sizeof it->use, "its last sender is alive: %s", procs);
        else if (who_msg_lrpid_alive(s, q) == LIVE_ALIVE)
            add_proc(procs, sizeof procs, s, q->lrpid),
                snprintf(it->use, sizeof it->use, "its last receiver is alive: %s", procs);
        break;
    }
    }
    it->in_use = it->use[0] != '\0';
}

static void describe(struct removal_item *it, struct app *a, enum ipc_class cls, size_t i)
{
    const struct snapshot *s = a->view->cur;
    const struct ipc_common *c = snapshot_common(s, cls, i);
    char key[FMT_BUFSZ], size[FMT_BUFSZ * 2] = "";
    snprintf(it->owner, sizeof it->owner, "%s", users_name(a->users, c->uid));
    it->id = ipc_identity_of(s, cls, i, NULL);
    if (cls == IPC_SHM)
        fmt_size(size, s->shm[i].size);
    else if (cls == IPC_SEM)
        snprintf(size, sizeof size, "%u semaphores", s->sem[i].nsems);
    else
        snprintf(size, sizeof size, "%" PRIu64 " messages", s->msg[i].msgs);
    snprintf(it->text, sizeof it->text, "%s %d  key %s  owner %s  %s", ipc_class_name(cls), c->id,
             fmt_key(key, c->key), it->owner, size);
    describe_use(it, s, &a->view->who, cls, i);
}

/* Index of id in the current snapshot's class, or -1. */
static long index_of(const struct snapshot *s, enum ipc_class cls, int32_t id)
{
    for (size_t i = 0; i < snapshot_count(s, cls); i++)
        if (snapshot_common(s, cls, i)->id == id) return (long)i;
    return -1;
}

bool removal_prepare(struct removal *rm, struct app *a)
{
    memset(rm, 0, sizeof *rm);
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
        app_message(a, false, "%s %d is already gone", ipc_class_name(a->screen), sel->id);
        return false;
    }
    rm->items = calloc(want, sizeof *rm->items);
    if (!rm->items) return false;
    const struct snapshot *s = a->view->cur;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        const struct list_model *m = &a->lists[c];
        size_t count = tagged ? m->ntags : (c == (int)a->screen ? 1 : 0);
        for (size_t k = 0; k < count; k++) {
            int32_t id = tagged ? m->tags[k] : sel->id;
            long i = index_of(s, (enum ipc_class)c, id);
            if (i < 0) continue; /* a tag of an object gone since */
            describe(&rm->items[rm->n], a, (enum ipc_class)c, (size_t)i);
            rm->in_use += rm->items[rm->n].in_use;
            rm->n++;
        }
    }
    if (!rm->n) {
        removal_free(rm);
        app_message(a, false, "the tagged objects are gone already");
        return false;
    }
    return true;
}

void removal_execute(struct removal *rm)
{
    for (size_t i = 0; i < rm->n; i++) {
        struct removal_item *it = &rm->items[i];
        it->id.owner = it->owner;
        it->status = action_remove(&it->id, it->outcome, sizeof it->outcome);
    }
    rm->executed = true;
}
