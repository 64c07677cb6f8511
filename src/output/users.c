#include "users.h"
#include "format.h"
#include "jsonw.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct name_entry {
    uint32_t id;
    bool used;
    char *name; /* sanitized display name */
    char *json; /* JSON literal of the raw name */
};

struct name_cache {
    struct name_entry *slots;
    size_t cap, n;
};

struct users {
    struct name_cache uids, gids;
};

struct users *users_new(void)
{
    return calloc(1, sizeof(struct users));
}

static void cache_free(struct name_cache *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].name);
        free(c->slots[i].json);
    }
    free(c->slots);
}

void users_free(struct users *u)
{
    if (!u) return;
    cache_free(&u->uids);
    cache_free(&u->gids);
    free(u);
}

static size_t slot_of(const struct name_cache *c, uint32_t id)
{
    size_t h = (id * 2654435761u) & (c->cap - 1);
    while (c->slots[h].used && c->slots[h].id != id) h = (h + 1) & (c->cap - 1);
    return h;
}

static bool cache_grow(struct name_cache *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 64;
    struct name_entry *ns = calloc(ncap, sizeof *ns);
    if (!ns) return false;
    struct name_cache nc = {ns, ncap, 0};
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].used) {
            nc.slots[slot_of(&nc, c->slots[i].id)] = c->slots[i];
            nc.n++;
        }
    free(c->slots);
    *c = nc;
    return true;
}

/* Raw name of a uid or gid, or NULL; buf holds getpw*_r's strings. */
static const char *lookup(bool group, uint32_t id, char *buf, size_t len)
{
    if (group) {
        struct group g, *r = NULL;
        return getgrgid_r(id, &g, buf, len, &r) == 0 && r ? r->gr_name : NULL;
    }
    struct passwd p, *r = NULL;
    return getpwuid_r(id, &p, buf, len, &r) == 0 && r ? r->pw_name : NULL;
}

static struct name_entry *get(struct name_cache *c, bool group, uint32_t id)
{
    if (c->cap && c->slots[slot_of(c, id)].used) return &c->slots[slot_of(c, id)];
    if ((c->n + 1) * 2 > c->cap && !cache_grow(c)) return NULL;
    char buf[4096], num[16];
    const char *raw = lookup(group, id, buf, sizeof buf);
    if (!raw) {
        snprintf(num, sizeof num, "%u", id);
        raw = num;
    }
    struct name_entry *e = &c->slots[slot_of(c, id)];
    char disp[256];
    sanitize_text(disp, sizeof disp, raw, strlen(raw));
    size_t rlen = strlen(raw);
    e->name = strdup(disp);
    e->json = malloc(JW_QUOTED_MAX(rlen) + 1);
    if (e->json) e->json[jw_quote(e->json, raw, rlen)] = '\0';
    if (!e->name || !e->json) {
        free(e->name);
        free(e->json);
        e->name = e->json = NULL;
        return NULL;
    }
    e->id = id;
    e->used = true;
    c->n++;
    return e;
}

const char *users_name(struct users *u, uint32_t uid)
{
    struct name_entry *e = get(&u->uids, false, uid);
    return e ? e->name : "?";
}

const char *groups_name(struct users *u, uint32_t gid)
{
    struct name_entry *e = get(&u->gids, true, gid);
    return e ? e->name : "?";
}

const char *users_name_json(struct users *u, uint32_t uid)
{
    struct name_entry *e = get(&u->uids, false, uid);
    return e ? e->json : "null";
}
