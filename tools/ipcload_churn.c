/*
 * ipcload_churn.c — see ipcload_churn.h.
 */
#include "ipcload_churn.h"
#include "ipcload_say.h"

#include <errno.h>
#include <string.h>

static uint64_t rng_next(struct ipcload_churn *ch)
{
    ch->rng ^= ch->rng >> 12;
    ch->rng ^= ch->rng << 25;
    ch->rng ^= ch->rng >> 27;
    return ch->rng * 0x2545f4914f6cdd1dULL;
}

/* Fixed: runs are reproducible. */
#define RNG_SEED 0x9e3779b97f4a7c15ULL

void ipcload_churn_start(struct ipcload_churn *ch, long long now)
{
    *ch = (struct ipcload_churn){.last = now, .rng = RNG_SEED};
}

/* One step for one class: remove a free object when at or above the initial count,
 * otherwise create one, so each class swings between its initial count and one less. */
static void churn_step(struct ipcload_churn *ch, struct ipcload_pool *p,
                       const struct ipcload_options *o)
{
    size_t removable = p->n - p->npinned;
    if (removable > 0 && p->n >= p->initial) {
        size_t i = p->npinned + (size_t)(rng_next(ch) % removable);
        wl_remove(p->cls, p->v[i].id);
        if (o->key_base) p->free_keys[p->nfree++] = p->v[i].key;
        p->v[i] = p->v[--p->n];
        return;
    }
    if (ipcload_pools_reserve(p, p->n + 1) < 0) return;
    key_t key = IPC_PRIVATE;
    if (o->key_base)
        key = p->nfree ? p->free_keys[--p->nfree] : (key_t)(o->key_base + p->next_key++);
    int id = ipcload_pools_new_object(o, p->cls, key);
    if (id < 0) {
        if (!ch->warned++)
            ipcload_say("churn: cannot create a %s: %s; carrying on",
                        ipcload_pools_class_name(p->cls), strerror(errno));
        if (o->key_base) p->free_keys[p->nfree++] = key;
        return;
    }
    p->v[p->n++] = (struct ipcload_obj){.id = id, .key = key};
}

void ipcload_churn_run(struct ipcload_churn *ch, struct ipcload_pool pools[3],
                       const struct ipcload_options *o, long long now)
{
    ch->credit += o->churn * (double)(now - ch->last) / 1e6;
    ch->last = now;
    if (ch->credit > o->churn / 2 + 1) ch->credit = o->churn / 2 + 1; /* no bursts */
    for (; ch->credit >= 1; ch->credit -= 1) churn_step(ch, &pools[ch->next_class++ % 3], o);
}
