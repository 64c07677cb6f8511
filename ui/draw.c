#include "draw.h"

#include "detail.h"
#include "format.h"
#include "keys.h"
#include "layout.h"
#include "output.h"

#include <inttypes.h>
#include <math.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

/* ---- colours ------------------------------------------------------------------------- */

enum role {
    R_NORMAL,
    R_LABEL,
    R_METER_OK,
    R_METER_WARN,
    R_METER_CRIT,
    R_TAB,
    R_TAB_ACTIVE,
    R_COLHDR,
    R_COLHDR_SORT,
    R_SELECTED,
    R_NEW,
    R_CHANGED,
    R_GONE,
    R_TAGGED,
    R_FKEY,
    R_FDESC,
    R_ERROR,
    R_INFO,
    R_TITLE,
    R_DIM,
    R_ALERT,
    R_NROLES
};

static attr_t roles[R_NROLES];

void draw_init_colors(struct app *a)
{
    /* without colours, attributes say the same things */
    attr_t mono[R_NROLES] = {
        [R_NORMAL] = A_NORMAL,
        [R_LABEL] = A_BOLD,
        [R_METER_OK] = A_NORMAL,
        [R_METER_WARN] = A_BOLD,
        [R_METER_CRIT] = A_REVERSE,
        [R_TAB] = A_NORMAL,
        [R_TAB_ACTIVE] = A_REVERSE,
        [R_COLHDR] = A_REVERSE,
        [R_COLHDR_SORT] = A_REVERSE | A_BOLD,
        [R_SELECTED] = A_REVERSE,
        [R_NEW] = A_BOLD,
        [R_CHANGED] = A_BOLD | A_UNDERLINE,
        [R_GONE] = A_DIM,
        [R_TAGGED] = A_BOLD,
        [R_FKEY] = A_BOLD,
        [R_FDESC] = A_REVERSE,
        [R_ERROR] = A_REVERSE | A_BOLD,
        [R_INFO] = A_BOLD,
        [R_TITLE] = A_BOLD,
        [R_DIM] = A_DIM,
        [R_ALERT] = A_BOLD | A_UNDERLINE,
    };
    memcpy(roles, mono, sizeof roles);
    if (!a->color || !has_colors()) return;
    start_color();
    use_default_colors();
    static const struct {
        enum role r;
        short fg, bg;
        attr_t extra;
    } pairs[] = {
        {R_LABEL, COLOR_CYAN, -1, A_BOLD},
        {R_METER_OK, COLOR_GREEN, -1, 0},
        {R_METER_WARN, COLOR_YELLOW, -1, A_BOLD},
        {R_METER_CRIT, COLOR_RED, -1, A_BOLD},
        {R_TAB_ACTIVE, COLOR_BLACK, COLOR_CYAN, 0},
        {R_COLHDR, COLOR_BLACK, COLOR_GREEN, 0},
        {R_COLHDR_SORT, COLOR_BLACK, COLOR_CYAN, 0},
        {R_SELECTED, COLOR_BLACK, COLOR_CYAN, 0},
        {R_NEW, COLOR_GREEN, -1, A_BOLD},
        {R_CHANGED, COLOR_BLACK, COLOR_YELLOW, 0},
        {R_GONE, COLOR_RED, -1, 0},
        {R_TAGGED, COLOR_YELLOW, -1, A_BOLD},
        {R_FKEY, COLOR_WHITE, -1, A_BOLD},
        {R_FDESC, COLOR_BLACK, COLOR_CYAN, 0},
        {R_ERROR, COLOR_WHITE, COLOR_RED, A_BOLD},
        {R_INFO, COLOR_CYAN, -1, 0},
        {R_TITLE, COLOR_CYAN, -1, A_BOLD},
        {R_ALERT, COLOR_RED, -1, A_BOLD},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        short n = (short)(i + 1);
        init_pair(n, pairs[i].fg, pairs[i].bg);
        roles[pairs[i].r] = COLOR_PAIR(n) | pairs[i].extra;
    }
}

/* ---- text in cells ------------------------------------------------------------------- */

/*
 * Draws s at (y, x) in exactly `width` cells: cut at a character boundary, padded with
 * spaces, right-aligned when asked. s is already sanitized; its width is counted in
 * terminal cells, not bytes.
 */
static void put_cells(int y, int x, int width, const char *s, bool right, attr_t attr)
{
    if (width <= 0) return;
    wchar_t ws[512];
    int cells = 0;
    size_t n = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (const char *p = s; *p && n < sizeof ws / sizeof ws[0] - 1;) {
        wchar_t wc;
        size_t l = mbrtowc(&wc, p, strlen(p), &st);
        if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
            wc = L'?';
            l = 1;
            memset(&st, 0, sizeof st);
        }
        int w = wcwidth(wc);
        if (w < 0) wc = L'?', w = 1;
        if (cells + w > width) break;
        ws[n++] = wc;
        cells += w;
        p += l;
    }
    ws[n] = L'\0';
    attron(attr);
    int pad = width - cells;
    if (right)
        mvhline(y, x, ' ', pad), mvaddwstr(y, x + pad, ws);
    else
        mvaddwstr(y, x, ws), mvhline(y, x + cells, ' ', pad);
    attroff(attr);
}

static void put_text(int y, int x, const char *s, attr_t attr)
{
    put_cells(y, x, COLS - x, s, false, attr);
}

/* ---- regions for the mouse ----------------------------------------------------------- */

static struct {
    int tab_x[IPC_NCLASSES + 1];
    struct layout layout;
    int list_top, list_rows;
    int fkey_x[16];
    enum action fkey_action[16];
    int nfkeys;
} regions;

struct hit draw_hit_test(const struct app *a, int y, int x)
{
    struct hit h = {HIT_NONE, 0};
    (void)a;
    if (y == HEADER_ROWS - 1) {
        for (int c = 0; c < IPC_NCLASSES; c++)
            if (x >= regions.tab_x[c] && x < regions.tab_x[c + 1]) return (struct hit){HIT_TAB, c};
    } else if (y == HEADER_ROWS) {
        for (size_t i = 0; i < regions.layout.n; i++) {
            const struct layout_col *lc = &regions.layout.cols[i];
            if (x >= lc->x && x < lc->x + lc->width + 1)
                return (struct hit){HIT_COLUMN_HEADER, lc->col};
        }
    } else if (y > HEADER_ROWS && y <= HEADER_ROWS + regions.list_rows) {
        return (struct hit){HIT_ROW, y - HEADER_ROWS - 1};
    } else if (y == LINES - 1) {
        for (int i = 0; i < regions.nfkeys; i++)
            if (x >= regions.fkey_x[i] && x < regions.fkey_x[i + 1])
                return (struct hit){HIT_FKEY, (int)regions.fkey_action[i]};
    }
    return h;
}

/* ---- header -------------------------------------------------------------------------- */

/* "Label [|||||      used/limit]" in width cells, coloured by how full it is. */
static void meter(int y, int x, int width, const char *label, double used, double limit,
                  const char *text)
{
    int lw = (int)strlen(label) + 1;
    put_cells(y, x, lw, label, false, roles[R_LABEL]);
    int inner = width - lw - 2;
    if (inner < 4) return;
    double frac = limit > 0 ? used / limit : 0;
    if (frac > 1) frac = 1;
    enum role r = frac >= 0.9 ? R_METER_CRIT : frac >= 0.75 ? R_METER_WARN : R_METER_OK;
    int filled = (int)ceil(frac * inner);
    if (used > 0 && filled == 0) filled = 1;
    char bar[256];
    /* the figure whole or not at all: the tail of a cut number reads as a wrong number */
    int tl = (int)strlen(text);
    if (tl > inner) tl = 0;
    for (int i = 0; i < inner && i < (int)sizeof bar - 1; i++) {
        int ti = i - (inner - tl);
        bar[i] = ti >= 0 && ti < tl ? text[ti] : (i < filled ? '|' : ' ');
    }
    bar[inner < (int)sizeof bar - 1 ? inner : (int)sizeof bar - 1] = '\0';
    put_cells(y, x + lw, 1, "[", false, roles[R_NORMAL]);
    put_cells(y, x + lw + 1, inner, bar, false, roles[r]);
    put_cells(y, x + lw + 1 + inner, 1, "]", false, roles[R_NORMAL]);
}

static void draw_header(struct app *a)
{
    char b[256], t[FMT_BUFSZ];
    const struct snapshot *s = a->view ? a->view->cur : NULL;
    time_t now = time(NULL);
    snprintf(b, sizeof b, "ipctop - %s  every %gs", fmt_time_full(t, (int64_t)now), a->delay);
    put_text(0, 0, b, roles[R_TITLE]);
    /* not root, or some process out of reach: the process lists are partial, and say so */
    char partial[96] = "";
    if (a->view && (!a->view->model.who.attach_complete || !a->view->model.who.tasks_complete))
        snprintf(partial, sizeof partial, "process lists partial: %zu not inspectable",
                 s->attach.procs_refused + s->tasks.nunreadable);
    const char *state = a->paused ? "PAUSED" : !a->view ? "reading..." : partial;
    int room = COLS - (int)strlen(b) - 2;
    if (*state && (int)strlen(state) <= room)
        put_cells(0, COLS - (int)strlen(state) - 1, (int)strlen(state), state, false,
                  roles[R_METER_WARN]);
    if (!s || !s->limits.valid) {
        put_text(1, 0, s ? "limits unknown (cannot read /proc/sys/kernel)" : "", roles[R_DIM]);
        move(2, 0);
        clrtoeol();
        return;
    }
    struct ipc_usage u;
    ipc_usage_of(s, &u);
    const struct ipc_limits *l = &s->limits;
    int w2 = COLS / 2, w3 = COLS / 3;
    char x[FMT_BUFSZ], y[FMT_BUFSZ];
    long double shm_limit = (long double)l->shmall * (long double)l->page_size;
    uint64_t limit_b = shm_limit > (long double)UINT64_MAX ? UINT64_MAX : (uint64_t)shm_limit;
    move(1, 0);
    clrtoeol();
    move(2, 0);
    clrtoeol();
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.segments, l->shmmni);
    meter(1, 0, w2 - 1, "Segments", (double)u.segments, (double)l->shmmni, b);
    snprintf(b, sizeof b, "%s/%s", fmt_size(x, u.shm_pages * l->page_size), fmt_size(y, limit_b));
    meter(1, w2, COLS - w2, "Shm", (double)u.shm_pages, (double)l->shmall, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.sem_sets, l->semmni);
    meter(2, 0, w3 - 1, "Sem sets", (double)u.sem_sets, (double)l->semmni, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.semaphores, l->semmns);
    meter(2, w3, w3 - 1, "Sems", (double)u.semaphores, (double)l->semmns, b);
    snprintf(b, sizeof b, "%" PRIu64 "/%" PRIu64, u.queues, l->msgmni);
    meter(2, 2 * w3, COLS - 2 * w3, "Queues", (double)u.queues, (double)l->msgmni, b);
}

static void draw_tabs(struct app *a)
{
    static const char *const names[IPC_NCLASSES] = {"Shared memory", "Semaphores", "Queues"};
    int x = 0;
    move(HEADER_ROWS - 1, 0);
    clrtoeol();
    for (int c = 0; c < IPC_NCLASSES; c++) {
        char b[64];
        size_t n = a->view ? snapshot_count(a->view->cur, (enum ipc_class)c) : 0;
        snprintf(b, sizeof b, " %d %s (%zu) ", c + 1, names[c], n);
        regions.tab_x[c] = x;
        int w = (int)strlen(b);
        if (x + w > COLS) w = COLS - x;
        put_cells(HEADER_ROWS - 1, x, w, b, false,
                  roles[c == (int)a->screen ? R_TAB_ACTIVE : R_TAB]);
        x += w + 1;
    }
    regions.tab_x[IPC_NCLASSES] = x;
    const struct list_model *m = &a->lists[a->screen];
    char info[200] = "";
    if (m->filter[0] || m->leaks_only)
        snprintf(info, sizeof info, "%s%s%s%s: %zu of %zu", m->leaks_only ? "leaks" : "",
                 m->leaks_only && m->filter[0] ? ", " : "", m->filter[0] ? "filter " : "",
                 m->filter, m->n, m->total);
    if (m->ntags) {
        size_t l = strlen(info);
        snprintf(info + l, sizeof info - l, "%s%zu tagged", l ? ", " : "", m->ntags);
    }
    int iw = (int)strlen(info);
    if (iw && x + iw < COLS)
        put_cells(HEADER_ROWS - 1, COLS - iw - 1, iw, info, false, roles[R_INFO]);
}

/* ---- the list ------------------------------------------------------------------------ */

#define GUTTER 2 /* tag mark, new/gone mark */

static void draw_list(struct app *a)
{
    const struct list_model *m = &a->lists[a->screen];
    size_t ncols;
    const struct column *cols = columns_of(a->screen, &ncols);
    int flex = -1; /* spare width stays at the right edge, as in top */
    layout_columns(cols, ncols, a->shown[a->screen], COLS, GUTTER, flex, &regions.layout);
    const struct layout *lay = &regions.layout;
    int y0 = HEADER_ROWS;
    /* column header, the sort column marked */
    put_cells(y0, 0, COLS, "", false, roles[R_COLHDR]);
    for (size_t i = 0; i < lay->n; i++) {
        const struct column *c = &cols[lay->cols[i].col];
        bool sorted = lay->cols[i].col == m->sort_col;
        char t[64];
        const char *arrow =
            sorted ? (m->descending ? (a->utf8 ? "▼" : "v") : (a->utf8 ? "▲" : "^")) : "";
        /* a squeezed column still shows which way it sorts: the title gives way, not the arrow */
        int room = lay->cols[i].width - (sorted ? 1 : 0);
        snprintf(t, sizeof t, "%.*s%s", room > 0 ? room : 0, c->title, arrow);
        put_cells(y0, lay->cols[i].x, lay->cols[i].width, t, c->right,
                  roles[sorted ? R_COLHDR_SORT : R_COLHDR]);
    }
    int height = app_list_height(a);
    regions.list_top = y0 + 1;
    regions.list_rows = height;
    struct col_ctx cx = app_col_ctx(a);
    for (int r = 0; r < height; r++) {
        int y = y0 + 1 + r;
        size_t i = m->top + (size_t)r;
        if (i >= m->n) {
            move(y, 0);
            clrtoeol();
            continue;
        }
        const struct row *row = &m->rows[i];
        bool sel = i == m->sel;
        bool tagged = list_is_tagged(m, row->id);
        bool is_new =
            row->state == OBJ_NEW ||
            (row->state != OBJ_GONE && tracker_is_new_at(&a->tracker, a->screen, row->idx));
        enum role base = sel                      ? R_SELECTED
                         : row->state == OBJ_GONE ? R_GONE
                         : tagged                 ? R_TAGGED
                         : is_new                 ? R_NEW
                                                  : R_NORMAL;
        char gutter[3] = {tagged ? '*' : ' ', row->state == OBJ_GONE ? '-' : is_new ? '+' : ' ', 0};
        put_cells(y, 0, GUTTER, gutter, false, roles[base]);
        int x = GUTTER;
        for (size_t k = 0; k < lay->n; k++) {
            const struct column *c = &cols[lay->cols[k].col];
            if (lay->cols[k].x > x) put_cells(y, x, lay->cols[k].x - x, "", false, roles[base]);
            char cell[256];
            column_format(c, &cx, row, cell, sizeof cell);
            bool changed = row->state == OBJ_CHANGED && (row->changed & c->fields);
            attr_t at = roles[base];
            if (c->alert && row->state != OBJ_GONE && c->alert(&cx, row))
                at = sel ? roles[R_SELECTED] | A_BOLD : roles[R_ALERT];
            if (changed) at = sel ? roles[R_SELECTED] | A_BOLD | A_UNDERLINE : roles[R_CHANGED];
            put_cells(y, lay->cols[k].x, lay->cols[k].width, cell, c->right, at);
            x = lay->cols[k].x + lay->cols[k].width;
        }
        if (x < COLS) put_cells(y, x, COLS - x, "", false, roles[base]);
    }
    if (m->n == 0 && height > 0) {
        const char *msg = !a->view   ? "reading the kernel's objects..."
                          : m->total ? "no row matches the filter (F4 changes it)"
                                     : "no objects of this kind in this IPC namespace";
        put_cells(y0 + 1, GUTTER, COLS - GUTTER, msg, false, roles[R_DIM]);
    }
}

/* ---- overlays ------------------------------------------------------------------------ */

static void draw_detail(struct app *a)
{
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS;
    for (int y = y0; y < y0 + height; y++) {
        move(y, 0);
        clrtoeol();
    }
    struct detail d = {0};
    if (!app_detail(a, &d)) {
        a->overlay = OV_NONE;
        detail_free(&d);
        return;
    }
    /* the selected process line, kept on screen */
    size_t sel_line = (size_t)-1;
    int nproc = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.lines[i].role == DL_PROC && nproc++ == a->detail_sel) sel_line = i;
    if (a->detail_sel >= nproc) a->detail_sel = nproc - 1;
    if (sel_line != (size_t)-1) {
        if (sel_line < a->detail_scroll) a->detail_scroll = sel_line;
        if (sel_line >= a->detail_scroll + (size_t)height)
            a->detail_scroll = sel_line - (size_t)height + 1;
    }
    size_t max_scroll = d.n > (size_t)height ? d.n - (size_t)height : 0;
    if (a->detail_scroll > max_scroll) a->detail_scroll = max_scroll;
    for (int k = 0; k < height && a->detail_scroll + (size_t)k < d.n; k++) {
        size_t li = a->detail_scroll + (size_t)k;
        const struct detail_line *l = &d.lines[li];
        enum role role = li == sel_line             ? R_SELECTED
                         : l->role == DL_TITLE      ? R_TITLE
                         : l->role == DL_CHANGED    ? R_CHANGED
                         : l->role == DL_TABLE_HEAD ? R_COLHDR
                         : l->role == DL_NOTE       ? R_DIM
                                                    : R_NORMAL;
        int w = l->role == DL_TABLE_HEAD || l->role == DL_CHANGED || li == sel_line
                    ? (int)strlen(l->text)
                    : COLS - 1;
        if (w > COLS - 1) w = COLS - 1;
        put_cells(y0 + k, 1, w, l->text, false, roles[role]);
    }
    detail_free(&d);
}

/* The confirmation dialog and the results use the list area. */
static void draw_removal(struct app *a)
{
    const struct removal *rm = &a->removal;
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS;
    for (int y = y0; y < y0 + height; y++) {
        move(y, 0);
        clrtoeol();
    }
    int y = y0, end = y0 + height;
    char t[480];
    switch (rm->stage) {
    case RM_CONFIRM:
        snprintf(t, sizeof t, "Remove %zu object%s?  y removes, any other key cancels", rm->n,
                 rm->n == 1 ? "" : "s");
        put_cells(y++, 0, COLS, t, false, roles[R_COLHDR]);
        if (rm->doubtful && y < end) {
            snprintf(t, sizeof t,
                     "WARNING: %zu of them %s NOT certainly leaked - you will be asked again",
                     rm->doubtful, rm->doubtful == 1 ? "is" : "are");
            put_cells(y++, 0, COLS, t, false, roles[R_ERROR]);
        }
        break;
    case RM_CONFIRM_MORE:
        snprintf(t, sizeof t,
                 "%zu of them %s NOT certainly leaked: removing %s may break the programs "
                 "using %s.",
                 rm->doubtful, rm->doubtful == 1 ? "is" : "are", rm->doubtful == 1 ? "it" : "them",
                 rm->doubtful == 1 ? "it" : "them");
        put_cells(y++, 0, COLS, t, false, roles[R_ERROR]);
        if (y < end)
            put_cells(y++, 0, COLS,
                      "Y removes them anyway, l removes only the certainly leaked ones, any "
                      "other key cancels",
                      false, roles[R_COLHDR]);
        break;
    case RM_DONE:
        put_cells(y++, 0, COLS, "Removal results (any key closes)", false, roles[R_COLHDR]);
        break;
    }
    for (size_t i = 0; i < rm->n && y < end; i++) {
        const struct removal_entry *e = &rm->entries[i];
        if (rm->stage == RM_DONE) {
            const struct removal_item *it = &rm->batch.items[i];
            bool ok = it->status == ACTION_DONE || it->status == ACTION_GONE;
            put_cells(y++, 1, COLS - 1, it->outcome, false, roles[ok ? R_NORMAL : R_ALERT]);
            continue;
        }
        bool doubt = e->kind != LEAK_LEAKED;
        /* the second step shows only the ones it asks about */
        if (rm->stage == RM_CONFIRM_MORE && !doubt) continue;
        put_cells(y++, 1, COLS - 1, e->text, false, roles[doubt ? R_ALERT : R_NORMAL]);
        if (y < end) {
            const char *word = e->kind == LEAK_LEAKED     ? "LEAKED"
                               : e->kind == LEAK_POSSIBLY ? "POSSIBLY LEAKED"
                                                          : "NOT LEAKED";
            snprintf(t, sizeof t, "    %s: %s", word, e->why);
            put_cells(y++, 1, COLS - 1, t, false, roles[doubt ? R_ALERT : R_DIM]);
        }
    }
}

static void draw_signal_menu(struct app *a)
{
    size_t n;
    int pre;
    const struct signal_choice *sigs = app_signals(&n, &pre);
    int y0 = HEADER_ROWS, w = COLS < 60 ? COLS : 60;
    char t[256];
    snprintf(t, sizeof t, "Send signal to %s", a->signal.what);
    put_cells(y0, 0, COLS, t, false, roles[R_COLHDR]);
    if (a->signal.stopped) {
        put_cells(y0++ + 1, 0, COLS,
                  "it is STOPPED: SIGTERM and most signals take effect only after SIGCONT", false,
                  roles[R_ERROR]);
    }
    for (size_t i = 0; i < n && y0 + 1 + (int)i < LINES - FOOTER_ROWS; i++) {
        snprintf(t, sizeof t, " %2d SIG%s", sigs[i].sig, sigs[i].name);
        put_cells(y0 + 1 + (int)i, 0, 16, t, false,
                  roles[(int)i == a->signal.sel ? R_SELECTED : R_NORMAL]);
    }
    int y = y0 + 1 + (int)n;
    if (y < LINES - FOOTER_ROWS)
        put_cells(y, 0, w, " Enter sends it, any other key cancels", false, roles[R_DIM]);
}

static void draw_help(struct app *a)
{
    size_t n;
    const struct action_info *acts = keys_actions(&n);
    int y0 = HEADER_ROWS - 1, height = LINES - y0 - FOOTER_ROWS;
    for (int y = y0; y < y0 + height; y++) {
        move(y, 0);
        clrtoeol();
    }
    /* as many columns as needed to show every entry whole, if the width allows; else one
     * column that scrolls (Up/Down), the rest of the keys closing the help */
    int keyw = 0, helpw = 0;
    for (size_t i = 0; i < n; i++) {
        if ((int)strlen(acts[i].keys) > keyw) keyw = (int)strlen(acts[i].keys);
        if ((int)strlen(acts[i].help) > helpw) helpw = (int)strlen(acts[i].help);
    }
    int entryw = 1 + keyw + 2 + helpw + 2, rows = height - 2;
    if (rows < 1) return;
    int ncols = (int)((n + (size_t)rows - 1) / (size_t)rows);
    bool fits = ncols * entryw <= COLS;
    if (!fits) ncols = 1;
    a->help_fits = fits;
    size_t max_scroll = !fits && n > (size_t)rows ? n - (size_t)rows : 0;
    if (a->help_scroll > max_scroll) a->help_scroll = max_scroll;
    put_text(y0, 0,
             fits ? "ipctop keys (any key closes this help)"
                  : "ipctop keys (Up/Down scroll, any other key closes this help)",
             roles[R_TITLE]);
    int colw = fits ? COLS / ncols : COLS;
    for (size_t k = 0; k + (fits ? 0 : a->help_scroll) < n; k++) {
        size_t i = k + (fits ? 0 : a->help_scroll);
        int col = (int)k / rows, row = (int)k % rows;
        if (col >= ncols) break;
        int x = col * colw;
        put_cells(y0 + 2 + row, x + 1, keyw, acts[i].keys, false, roles[R_LABEL]);
        put_cells(y0 + 2 + row, x + 3 + keyw, colw - keyw - 4, acts[i].help, false,
                  roles[R_NORMAL]);
    }
}

/* The F6 (sort by) and F2 (columns shown) menus: every column of the list, one per line. */
static void draw_column_menu(struct app *a, bool columns)
{
    size_t n;
    const struct column *cols = columns_of(a->screen, &n);
    int y0 = HEADER_ROWS, height = LINES - HEADER_ROWS - FOOTER_ROWS, w = columns ? 20 : 16;
    put_cells(y0, 0, w, columns ? "Columns (Space)" : "Sort by", false, roles[R_COLHDR]);
    int first = a->sort_menu_sel >= height - 1 ? a->sort_menu_sel - height + 2 : 0;
    for (int k = 0; k < height - 1; k++) {
        int i = first + k;
        if (i >= (int)n) {
            put_cells(y0 + 1 + k, 0, w, "", false, roles[R_NORMAL]);
            continue;
        }
        char t[40];
        if (columns)
            snprintf(t, sizeof t, " [%c] %s", a->shown[a->screen][i] ? 'x' : ' ', cols[i].title);
        else
            snprintf(t, sizeof t, " %s%s", cols[i].title,
                     i == a->lists[a->screen].sort_col ? " *" : "");
        put_cells(y0 + 1 + k, 0, w, t, false, roles[i == a->sort_menu_sel ? R_SELECTED : R_NORMAL]);
    }
}

/* ---- footer -------------------------------------------------------------------------- */

static void draw_status(struct app *a)
{
    int y = LINES - FOOTER_ROWS;
    bool verr;
    const char *vmsg = a->overlay == OV_VIEWER ? viewer_message(a->viewer, &verr) : NULL;
    if (vmsg) {
        put_cells(y, 0, COLS, vmsg, false, roles[verr ? R_ERROR : R_INFO]);
        return;
    }
    if (a->overlay == OV_PROMPT) {
        const char *label = a->prompt.kind == PROMPT_SEARCH ? "Search: " : "Filter: ";
        put_cells(y, 0, 8, label, false, roles[R_LABEL]);
        put_cells(y, 8, COLS - 8, a->prompt.text, false, roles[R_NORMAL]);
        return;
    }
    if (a->status[0] && (a->status_until == 0 || app_now() < a->status_until)) {
        put_cells(y, 0, COLS, a->status, false, roles[a->status_error ? R_ERROR : R_INFO]);
        return;
    }
    a->status[0] = '\0';
    char b[256] = "";
    const struct list_model *m = &a->lists[a->screen];
    if (a->view) {
        const struct snapshot *s = a->view->cur;
        size_t hidden = s->hidden[a->screen];
        snprintf(b, sizeof b, "%zu row%s", m->n, m->n == 1 ? "" : "s");
        if (m->n) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, ", row %zu", m->sel + 1);
        }
        if (hidden) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, "; %zu %s objects could not be read", hidden,
                     ipc_class_name(a->screen));
        }
        if (a->screen == IPC_SEM && s->sem_unreadable) {
            size_t l = strlen(b);
            snprintf(b + l, sizeof b - l, "; %zu sets refuse reading their values (?)",
                     s->sem_unreadable);
        }
    }
    put_cells(y, 0, COLS, b, false, roles[R_DIM]);
}

static void draw_fkeys(struct app *a)
{
    static const struct {
        const char *key, *label;
        enum action act;
    } list_keys[] = {
        {"F1", "Help", ACT_HELP},        {"F3", "Search", ACT_SEARCH},
        {"F4", "Filter", ACT_FILTER},    {"F6", "SortBy", ACT_SORT_MENU},
        {"Enter", "Detail", ACT_DETAIL}, {"Tab", "List", ACT_NEXT_SCREEN},
        {"L", "Leaks", ACT_LEAKS},       {"F9", "Remove", ACT_REMOVE},
        {"F10", "Quit", ACT_QUIT},
    };
    static const struct {
        const char *key, *label;
        enum action act;
    } overlay_keys[] = {
        {"Esc", "Close", ACT_NONE}, {"F9", "Signal", ACT_NONE}, {"F10", "Quit", ACT_QUIT}};
    int y = LINES - 1, x = 0;
    move(y, 0);
    clrtoeol();
    regions.nfkeys = 0;
    bool overlay = a->overlay != OV_NONE;
    size_t n = overlay ? (a->overlay == OV_DETAIL ? 3 : 2) : sizeof list_keys / sizeof list_keys[0];
    for (size_t i = 0; i < n && x < COLS; i++) {
        /* the detail pane has F9 (signal a process); other overlays only close or quit */
        size_t oi = a->overlay == OV_DETAIL || i == 0 ? i : i + 1;
        const char *key = overlay ? overlay_keys[oi].key : list_keys[i].key;
        const char *label = overlay ? overlay_keys[oi].label : list_keys[i].label;
        regions.fkey_x[regions.nfkeys] = x;
        regions.fkey_action[regions.nfkeys++] = overlay ? overlay_keys[oi].act : list_keys[i].act;
        int kw = (int)strlen(key), lw = (int)strlen(label) + 1;
        put_cells(y, x, kw < COLS - x ? kw : COLS - x, key, false, roles[R_FKEY]);
        x += kw;
        if (x >= COLS) break;
        put_cells(y, x, lw < COLS - x ? lw : COLS - x, label, false, roles[R_FDESC]);
        x += lw;
    }
    regions.fkey_x[regions.nfkeys] = x;
    if (x < COLS) put_cells(y, x, COLS - x, "", false, roles[R_FDESC]);
}

static void draw_too_small(void)
{
    erase();
    char b[80];
    snprintf(b, sizeof b, "terminal too small (%dx%d): ipctop needs %dx%d", COLS, LINES, MIN_COLS,
             MIN_ROWS);
    /* as much of the sentence as fits, line by line */
    int len = (int)strlen(b);
    for (int y = 0, off = 0; y < LINES && off < len; y++, off += COLS)
        put_cells(y, 0, COLS, b + off, false, roles[R_NORMAL]);
    regions.list_rows = 0;
    regions.nfkeys = 0;
}

void draw_all(struct app *a)
{
    if (COLS < MIN_COLS || LINES < MIN_ROWS) {
        draw_too_small();
        refresh();
        return;
    }
    draw_header(a);
    if (a->overlay == OV_HELP) {
        draw_help(a);
    } else {
        draw_tabs(a);
        if (a->overlay == OV_VIEWER)
            viewer_draw(a->viewer, HEADER_ROWS, LINES - HEADER_ROWS - FOOTER_ROWS);
        else if (a->overlay == OV_DETAIL || a->overlay == OV_SIGNAL)
            draw_detail(a);
        else if (a->overlay == OV_CONFIRM || a->overlay == OV_RESULT)
            draw_removal(a);
        else
            draw_list(a);
        if (a->overlay == OV_SIGNAL) draw_signal_menu(a);
        if (a->overlay == OV_SORT || a->overlay == OV_COLUMNS)
            draw_column_menu(a, a->overlay == OV_COLUMNS);
    }
    draw_status(a);
    draw_fkeys(a);
    int vy, vx;
    if (a->overlay == OV_VIEWER && viewer_prompting(a->viewer, &vy, &vx)) {
        curs_set(1);
        move(vy, vx);
    } else if (a->overlay == OV_PROMPT) {
        curs_set(1);
        move(LINES - FOOTER_ROWS,
             8 + (int)a->prompt.len < COLS ? 8 + (int)a->prompt.len : COLS - 1);
    } else {
        curs_set(0);
    }
    refresh();
}
