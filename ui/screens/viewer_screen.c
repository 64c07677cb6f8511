/*
 * The segment viewer ('x' on a segment) as a screen: the viewer (viewer.h) owns the bytes,
 * its keys and its prompts; this hands it keys, refreshes, the area to draw in, and takes
 * its status line and cursor. Esc (or q) closes it; F10 quits unless a line is being typed.
 */
#include "app.h"
#include "frame.h"
#include "viewer.h"

#include <ncurses.h>
#include <stdint.h>
#include <stdlib.h>

struct viewer_screen {
    struct ui_screen base;
    struct viewer *v;
};

static unsigned key(struct ui_screen *self, struct app *a, keycode k)
{
    struct viewer_screen *s = (struct viewer_screen *)self;
    int py, px;
    if (k == KC(KEY_F(10)) && !viewer_prompting(s->v, &py, &px)) {
        a->quit = true; /* as the key bar says */
        return RX_NONE;
    }
    bool close = false;
    unsigned rx = viewer_key(s->v, k, &close);
    return close ? app_pop(a) | RX_CLEAR : rx;
}

static unsigned mouse(struct ui_screen *self, struct app *a, enum mouse_kind m, int y, int x)
{
    (void)a;
    (void)y;
    (void)x;
    struct viewer_screen *s = (struct viewer_screen *)self;
    /* the wheel scrolls the bytes, not the list under them */
    bool close = false;
    if (m == MOUSE_WHEEL_UP) return viewer_key(s->v, KC(KEY_UP), &close);
    if (m == MOUSE_WHEEL_DOWN) return viewer_key(s->v, KC(KEY_DOWN), &close);
    return RX_NONE;
}

static void new_view(struct ui_screen *self, struct app *a)
{
    (void)a;
    viewer_refresh(((struct viewer_screen *)self)->v);
}

static void draw(const struct ui_screen *self, const struct app *a)
{
    (void)a;
    /* the viewer records where its prompt's cursor is as it draws: its own business */
    struct viewer *v = ((const struct viewer_screen *)self)->v;
    viewer_draw(v, HEADER_ROWS, LINES - HEADER_ROWS - FOOTER_ROWS);
}

static bool cursor(const struct ui_screen *self, const struct app *a, int *y, int *x)
{
    (void)a;
    return viewer_prompting(((const struct viewer_screen *)self)->v, y, x);
}

static const char *status(const struct ui_screen *self, const struct app *a, bool *error)
{
    (void)a;
    return viewer_message(((const struct viewer_screen *)self)->v, error);
}

static void destroy(struct ui_screen *self)
{
    viewer_close(((struct viewer_screen *)self)->v);
    free(self);
}

static const struct fkey fkeys[] = {{"Esc", "Close", ACT_NONE}, {"F10", "Quit", ACT_QUIT}};

static const struct ui_screen_ops ops = {
    .name = "viewer",
    .area = SA_LIST,
    .fkeys = fkeys,
    .nfkeys = sizeof fkeys / sizeof fkeys[0],
    .key = key,
    .mouse = mouse,
    .new_view = new_view,
    .draw = draw,
    .cursor = cursor,
    .status = status,
    .destroy = destroy,
};

/* The mappings of shmid the last refresh found: the viewer tries them before reading every
 * process's maps again (each is checked all the same). */
static size_t known_mappings(const struct app *a, int shmid, struct shm_mapping *out, size_t max)
{
    size_t n = 0;
    const struct attach_scan *as = a->view ? &a->view->cur->attach : NULL;
    for (size_t i = 0; as && i < as->n && n < max; i++)
        if (as->m[i].shmid == shmid) out[n++] = as->m[i];
    return n;
}

struct ui_screen *viewer_screen_new(struct app *a, int shmid)
{
    char err[256];
    struct shm_mapping known[8];
    size_t nknown = known_mappings(a, shmid, known, sizeof known / sizeof known[0]);
    struct viewer *v = viewer_open(shmid, known, nknown, err, sizeof err);
    if (!v) {
        app_message(a, true, "%s", err);
        return NULL;
    }
    struct viewer_screen *s = calloc(1, sizeof *s);
    if (!s) {
        viewer_close(v);
        return NULL;
    }
    s->base.ops = &ops;
    s->v = v;
    return &s->base;
}
