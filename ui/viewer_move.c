/* The viewer's reading, its window of lines and the cursor's moves (viewer_impl.h). */
#include "viewer_impl.h"

#include "viewer_logic.h"

#include <stdio.h>
#include <string.h>

/* ---- reading -------------------------------------------------------------------------- */

static ssize_t src_read(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind, char *err,
                        size_t errlen)
{
    struct viewer *v = ctx;
    struct shm_reader saved = v->r;
    ssize_t n = content_read(&v->r, off, len, buf, kind, err, errlen);
    /* a failed re-open (the attacher left and the segment is gone) clears the reader:
     * keep what we knew, so that the next try says the same thing */
    if (n < 0) v->r = saved;
    return n;
}

static uint64_t src_next_data(void *ctx, uint64_t off)
{
    struct viewer *v = ctx;
    return content_next_data(&v->r, off);
}

void vw_source_init(struct viewer *v)
{
    v->src =
        (struct hexwin_source){v, v->r.size, src_read, src_next_data, v->r.path == CONTENT_MAPFILE};
}

/* The reading path can change under a read (the attacher went away): say so. */
void vw_note_path(struct viewer *v)
{
    v->src.seek_cheap = v->r.path == CONTENT_MAPFILE;
    if (v->r.path == v->last_path) return;
    if (v->r.path == CONTENT_ATTACH)
        vw_say(v, true,
               "shm %d: no process maps it for us any more: now reading by attaching, "
               "which changes nattch, lpid and atime",
               v->shmid);
    else
        vw_say(v, false, "shm %d: now reading through process %d's mapping, without side effects",
               v->shmid, v->r.via_pid);
    v->last_path = v->r.path;
}

/* Key, removal and attach count (metadata, not content: no side effects). */
bool vw_stat_segment(struct viewer *v, unsigned long *nattch)
{
    struct shm_meta m;
    if (content_stat(v->shmid, &m) < 0) return false;
    v->key = m.key;
    v->key_known = true;
    v->removed = m.removed;
    if (nattch) *nattch = (unsigned long)m.nattch;
    return true;
}

/* Rebuilds the window at top. carry keeps the change marks of the bytes still shown
 * (moving around); a refresh marks only what changed since the last read. */
bool vw_rebuild(struct viewer *v, uint64_t top, uint64_t pin, bool carry)
{
    hexwin_copy(&v->before, &v->win);
    char err[512];
    int want = v->rows < VW_MAX_LINES - 1 ? v->rows : VW_MAX_LINES - 1;
    int rc = hexwin_build(&v->src, &v->sc, top, pin, v->bpl, (size_t)(want > 0 ? want : 1), &v->win,
                          err, sizeof err);
    vw_note_path(v);
    if (rc < 0) {
        hexwin_copy(&v->win, &v->before);
        vw_set_read_err(v, "%s; showing the bytes read before", err);
        return false;
    }
    vw_set_read_err(v, "%s", err);
    if (v->built) hexwin_mark_changes(&v->before, &v->win, carry);
    v->built = true;
    return true;
}

/* ---- the cursor ------------------------------------------------------------------------- */

int vw_shown(const struct viewer *v)
{
    return (int)v->win.n < v->rows ? (int)v->win.n : v->rows;
}

long vw_cur_line(const struct viewer *v)
{
    return hexwin_line_of(&v->win, v->cur);
}

/* The line holding the cursor is kept as data when rebuilding (not squeezed away). */
uint64_t vw_pin_of(const struct viewer *v)
{
    long i = vw_cur_line(v);
    return i >= 0 && v->win.lines[i].kind == HL_DATA ? v->cur : HEXWIN_NO_PIN;
}

/* Puts the cursor on line i at the wanted column (the start of a "*" or span line). */
static void cursor_to_line(struct viewer *v, long i)
{
    if (i < 0 || (size_t)i >= v->win.n) return;
    const struct hexwin_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA)
        v->cur = l->off + (v->want_col < l->len ? v->want_col : l->len - 1);
    else
        v->cur = l->off;
}

/* After the window changed: the cursor on a line of it, on a "*" line at its start. */
static void settle_cursor(struct viewer *v)
{
    if (!v->win.n) return;
    long i = vw_cur_line(v);
    if (i < 0 || i >= vw_shown(v)) {
        long last = vw_shown(v) - 1;
        i = v->cur < v->win.top ? 0 : (last >= 0 ? last : 0);
        cursor_to_line(v, i);
        return;
    }
    if (v->win.lines[i].kind == HL_SQUEEZED) v->cur = v->win.lines[i].off;
}

/* After a rebuild that was not a move (refresh, resize): the cursor stays where it was,
 * the window follows it if it went out of sight. */
void vw_keep_cursor(struct viewer *v)
{
    long i = vw_cur_line(v);
    if (i < 0 || i >= vw_shown(v))
        vw_jump_to(v, v->cur, 2);
    else
        settle_cursor(v);
}

/* Shows the cursor's byte: the window starts `context` lines above its line. */
void vw_jump_to(struct viewer *v, uint64_t off, size_t context)
{
    if (off >= v->r.size) off = v->r.size ? v->r.size - 1 : 0;
    v->cur = off;
    uint64_t line = off - off % v->bpl;
    char err[256];
    /* context above, but only nearby where spans are not cheap to pass (attaching): the
     * window must still reach the cursor */
    uint64_t top =
        hexwin_prev_lines(&v->src, &v->sc, line, v->bpl, context,
                          v->src.seek_cheap ? UINT64_MAX : VW_JUMP_CONTEXT_MAX, err, sizeof err);
    vw_rebuild(v, top, off, true);
    long i = vw_cur_line(v);
    if (i < 0 || i >= vw_shown(v)) vw_rebuild(v, line, off, true); /* runs above took the room */
    long j = vw_cur_line(v);
    if (j >= 0 && v->win.lines[j].kind == HL_DATA)
        v->want_col = (unsigned)(v->cur - v->win.lines[j].off);
    settle_cursor(v);
}

void vw_move_down(struct viewer *v)
{
    long i = vw_cur_line(v);
    if (i < 0) return;
    if (i + 1 < vw_shown(v)) {
        cursor_to_line(v, i + 1);
        return;
    }
    if ((size_t)i + 1 >= v->win.n && v->win.complete) return; /* the end */
    /* scroll so that the next line is the last shown */
    const struct hexwin_line *next = (size_t)i + 1 < v->win.n ? &v->win.lines[i + 1] : NULL;
    uint64_t target = next ? next->off : v->win.lines[i].off + v->win.lines[i].len;
    bool data = next && next->kind == HL_DATA;
    uint64_t col_off =
        data ? target + (v->want_col < next->len ? v->want_col : next->len - 1) : target;
    uint64_t top = hexwin_next_top(&v->win);
    if (top == v->win.top) top = target;
    if (!vw_rebuild(v, top, data ? col_off : HEXWIN_NO_PIN, true)) return;
    long j = hexwin_line_of(&v->win, target);
    if (j < 0 || j >= vw_shown(v)) {
        if (!vw_rebuild(v, target, data ? col_off : HEXWIN_NO_PIN, true)) return;
        j = hexwin_line_of(&v->win, target);
    }
    cursor_to_line(v, j);
}

void vw_move_up(struct viewer *v)
{
    long i = vw_cur_line(v);
    if (i > 0) {
        cursor_to_line(v, i - 1);
        return;
    }
    if (v->win.top == 0) return;
    uint64_t old = v->win.top;
    char err[256];
    uint64_t top = hexwin_prev_lines(&v->src, &v->sc, old, v->bpl, 1, UINT64_MAX, err, sizeof err);
    if (top >= old) {
        if (err[0]) vw_set_read_err(v, "%s", err);
        return;
    }
    if (!vw_rebuild(v, top, HEXWIN_NO_PIN, true)) return;
    cursor_to_line(v, hexwin_line_of(&v->win, old - 1));
    settle_cursor(v);
}

void vw_move_left(struct viewer *v)
{
    long i = vw_cur_line(v);
    if (i < 0) return;
    const struct hexwin_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA && v->cur > l->off) {
        v->cur--;
        v->want_col = (unsigned)(v->cur - l->off);
        return;
    }
    v->want_col = HEXWIN_MAX_BPL; /* the end of the line above */
    vw_move_up(v);
    long j = vw_cur_line(v);
    if (j >= 0 && v->win.lines[j].kind == HL_DATA)
        v->want_col = (unsigned)(v->cur - v->win.lines[j].off);
}

void vw_move_right(struct viewer *v)
{
    long i = vw_cur_line(v);
    if (i < 0) return;
    const struct hexwin_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA && v->cur + 1 < l->off + l->len) {
        v->cur++;
        v->want_col = (unsigned)(v->cur - l->off);
        return;
    }
    v->want_col = 0;
    vw_move_down(v);
}

void vw_page_down(struct viewer *v)
{
    long row = vw_cur_line(v);
    int n = vw_shown(v);
    if ((size_t)n >= v->win.n && v->win.complete) {
        cursor_to_line(v, n - 1); /* all shown already */
        return;
    }
    const struct hexwin_line *last = &v->win.lines[v->win.n - 1];
    uint64_t top = (size_t)n < v->win.n ? v->win.lines[n].off : last->off + last->len;
    if (!vw_rebuild(v, top, HEXWIN_NO_PIN, true)) return;
    cursor_to_line(v, row < vw_shown(v) ? row : vw_shown(v) - 1);
}

void vw_page_up(struct viewer *v)
{
    long row = vw_cur_line(v);
    if (v->win.top == 0) {
        cursor_to_line(v, 0);
        return;
    }
    char err[256];
    uint64_t top = hexwin_prev_lines(&v->src, &v->sc, v->win.top, v->bpl, (size_t)vw_shown(v),
                                     UINT64_MAX, err, sizeof err);
    if (!vw_rebuild(v, top, HEXWIN_NO_PIN, true)) return;
    cursor_to_line(v, row >= 0 && row < vw_shown(v) ? row : 0);
}

/* ---- layout ------------------------------------------------------------------------------ */

static const char *path_text(const struct viewer *v, char *buf, size_t len)
{
    return content_path_text(&v->r, buf, len);
}

int vw_header_want(const struct viewer *v, int cols)
{
    char p[512];
    return (int)strlen(path_text(v, p, sizeof p)) > cols ? 3 : 2;
}

/* Fits the window to the area (width, height): rebuilds when they changed. */
void vw_fit(struct viewer *v, int cols, int height)
{
    v->height = height;
    struct vl_rows rows = vl_area_rows(height, vw_header_want(v, cols), false);
    unsigned bpl = vl_bpl_for_width(cols, v->offw);
    int nrows = rows.hex > 0 ? rows.hex : 1;
    if (v->built && bpl == v->bpl && nrows == v->rows) return;
    uint64_t top = v->built ? v->win.top : 0;
    v->bpl = bpl;
    v->rows = nrows;
    /* a new width moves line boundaries: start at the boundary before the old top */
    if (top % bpl) top -= top % bpl;
    bool was = v->built;
    vw_rebuild(v, top, was ? vw_pin_of(v) : HEXWIN_NO_PIN, true);
    if (was) vw_keep_cursor(v);
}
