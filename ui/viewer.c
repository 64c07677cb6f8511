#include "viewer.h"

#include "content.h"
#include "format.h"
#include "hexdump.h"
#include "keys.h"
#include "lineedit.h"
#include "viewer_logic.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>

#define MAX_LINES        1024 /* display lines a window can hold: taller terminals show this many */
#define JUMP_CONTEXT_MAX (1u << 20) /* how far above a goto target context is looked for */

enum prompt {
    P_NONE,
    P_GOTO,
    P_SEARCH,
    P_WRITE_WHICH, /* shown range or whole segment? */
    P_WRITE_NAME,
    P_OVERWRITE, /* the file exists: y/N */
};

/* What each kind of cell is drawn with (colours, or attributes under NO_COLOR). */
enum look {
    L_NUL,
    L_PRINTABLE,
    L_SPACE,
    L_CONTROL,
    L_HIGH, /* the byte classes of hexdump_class, in its order */
    L_CHANGED,
    L_MATCH,
    L_CURSOR,
    L_CURSOR_OTHER, /* the same byte in the column the cursor is not in */
    L_OFFSET,
    L_SPAN,
    L_TITLE,
    L_SAFE,   /* the header's path line when reading has no side effects */
    L_UNSAFE, /* ... and when it attaches */
    L_LABEL,
    L_NLOOKS
};

struct viewer {
    int shmid;
    struct shm_reader r;
    enum content_path last_path; /* to tell when the path changed under us */
    struct vl_source src;
    struct vl_scratch sc;
    struct vl_window win, before; /* the lines shown; the ones read before (change marks) */
    bool built;

    uint32_t key;
    bool key_known, removed;
    unsigned long nattch_tried; /* nattch when we last looked for a side-effect-free path */

    int height; /* the area's rows at the last draw */
    int rows;   /* hex rows the window is built for */
    int offw;
    unsigned bpl;
    uint64_t cur;       /* the byte at the cursor */
    unsigned want_col;  /* column kept by up and down */
    bool ascii;         /* the cursor is in the ASCII column */
    uint64_t match_off; /* the last search match, highlighted while the cursor is on it */
    size_t match_len;

    enum prompt prompt;
    char input[512];
    size_t ilen;
    int prompt_y, prompt_x;

    uint8_t pat[VL_PATTERN_MAX];
    size_t plen;
    char pat_text[128];
    bool resume_valid; /* a search stopped at its budget: n/N continue from resume */
    bool resume_back;
    uint64_t resume, resume_cur;

    uint64_t wlo, whi; /* the range to write */
    char wpath[4096];

    char msg[640];
    bool msg_error;
    char read_err[512]; /* the last read's problem: stays until a read goes well */
    char hint[256];
    attr_t look[L_NLOOKS];
};

/* A sentence for the status line (long file names are cut, not refused). */
static void say(struct viewer *v, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct viewer *v, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
    v->msg_error = error;
}

static void fmt_into(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fmt_into(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The last read's problem (or "" when it went well). A new problem is the news: it takes
 * the status line from an older message. */
static void set_read_err(struct viewer *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_read_err(struct viewer *v, const char *fmt, ...)
{
    char t[sizeof v->read_err];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    if (t[0] && strcmp(t, v->read_err) != 0) v->msg[0] = '\0';
    memcpy(v->read_err, t, sizeof t);
}

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

/* The reading path can change under a read (the attacher went away): say so. */
static void note_path(struct viewer *v)
{
    v->src.seek_cheap = v->r.path == CONTENT_MAPFILE;
    if (v->r.path == v->last_path) return;
    if (v->r.path == CONTENT_ATTACH)
        say(v, true,
            "shm %d: no process maps it for us any more: now reading by attaching, "
            "which changes nattch, lpid and atime",
            v->shmid);
    else
        say(v, false, "shm %d: now reading through process %d's mapping, without side effects",
            v->shmid, v->r.via_pid);
    v->last_path = v->r.path;
}

/* Key, removal and attach count (metadata, not content: no side effects). */
static bool stat_segment(struct viewer *v, unsigned long *nattch)
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
static bool rebuild(struct viewer *v, uint64_t top, uint64_t pin, bool carry)
{
    vl_window_copy(&v->before, &v->win);
    char err[512];
    int want = v->rows < MAX_LINES - 1 ? v->rows : MAX_LINES - 1;
    int rc = vl_build(&v->src, &v->sc, top, pin, v->bpl, (size_t)(want > 0 ? want : 1), &v->win,
                      err, sizeof err);
    note_path(v);
    if (rc < 0) {
        vl_window_copy(&v->win, &v->before);
        set_read_err(v, "%s; showing the bytes read before", err);
        return false;
    }
    set_read_err(v, "%s", err);
    if (v->built) vl_mark_changes(&v->before, &v->win, carry);
    v->built = true;
    return true;
}

/* ---- the cursor ------------------------------------------------------------------------- */

static int shown(const struct viewer *v)
{
    return (int)v->win.n < v->rows ? (int)v->win.n : v->rows;
}

static long cur_line(const struct viewer *v)
{
    return vl_line_of(&v->win, v->cur);
}

/* The line holding the cursor is kept as data when rebuilding (not squeezed away). */
static uint64_t pin_of(const struct viewer *v)
{
    long i = cur_line(v);
    return i >= 0 && v->win.lines[i].kind == HL_DATA ? v->cur : VL_NO_PIN;
}

/* Puts the cursor on line i at the wanted column (the start of a "*" or span line). */
static void cursor_to_line(struct viewer *v, long i)
{
    if (i < 0 || (size_t)i >= v->win.n) return;
    const struct vl_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA)
        v->cur = l->off + (v->want_col < l->len ? v->want_col : l->len - 1);
    else
        v->cur = l->off;
}

/* After the window changed: the cursor on a line of it, on a "*" line at its start. */
static void settle_cursor(struct viewer *v)
{
    if (!v->win.n) return;
    long i = cur_line(v);
    if (i < 0 || i >= shown(v)) {
        long last = shown(v) - 1;
        i = v->cur < v->win.top ? 0 : (last >= 0 ? last : 0);
        cursor_to_line(v, i);
        return;
    }
    if (v->win.lines[i].kind == HL_SQUEEZED) v->cur = v->win.lines[i].off;
}

static void jump_to(struct viewer *v, uint64_t off, size_t context);

/* After a rebuild that was not a move (refresh, resize): the cursor stays where it was,
 * the window follows it if it went out of sight. */
static void keep_cursor(struct viewer *v)
{
    long i = cur_line(v);
    if (i < 0 || i >= shown(v))
        jump_to(v, v->cur, 2);
    else
        settle_cursor(v);
}

/* Shows the cursor's byte: the window starts `context` lines above its line. */
static void jump_to(struct viewer *v, uint64_t off, size_t context)
{
    if (off >= v->r.size) off = v->r.size ? v->r.size - 1 : 0;
    v->cur = off;
    uint64_t line = off - off % v->bpl;
    char err[256];
    /* context above, but only nearby where spans are not cheap to pass (attaching): the
     * window must still reach the cursor */
    uint64_t top =
        vl_prev_lines(&v->src, &v->sc, line, v->bpl, context,
                      v->src.seek_cheap ? UINT64_MAX : JUMP_CONTEXT_MAX, err, sizeof err);
    rebuild(v, top, off, true);
    long i = cur_line(v);
    if (i < 0 || i >= shown(v)) rebuild(v, line, off, true); /* runs above took the room */
    long j = cur_line(v);
    if (j >= 0 && v->win.lines[j].kind == HL_DATA)
        v->want_col = (unsigned)(v->cur - v->win.lines[j].off);
    settle_cursor(v);
}

static void move_down(struct viewer *v)
{
    long i = cur_line(v);
    if (i < 0) return;
    if (i + 1 < shown(v)) {
        cursor_to_line(v, i + 1);
        return;
    }
    if ((size_t)i + 1 >= v->win.n && v->win.complete) return; /* the end */
    /* scroll so that the next line is the last shown */
    const struct vl_line *next = (size_t)i + 1 < v->win.n ? &v->win.lines[i + 1] : NULL;
    uint64_t target = next ? next->off : v->win.lines[i].off + v->win.lines[i].len;
    bool data = next && next->kind == HL_DATA;
    uint64_t col_off =
        data ? target + (v->want_col < next->len ? v->want_col : next->len - 1) : target;
    uint64_t top = vl_next_top(&v->win);
    if (top == v->win.top) top = target;
    if (!rebuild(v, top, data ? col_off : VL_NO_PIN, true)) return;
    long j = vl_line_of(&v->win, target);
    if (j < 0 || j >= shown(v)) {
        if (!rebuild(v, target, data ? col_off : VL_NO_PIN, true)) return;
        j = vl_line_of(&v->win, target);
    }
    cursor_to_line(v, j);
}

static void move_up(struct viewer *v)
{
    long i = cur_line(v);
    if (i > 0) {
        cursor_to_line(v, i - 1);
        return;
    }
    if (v->win.top == 0) return;
    uint64_t old = v->win.top;
    char err[256];
    uint64_t top = vl_prev_lines(&v->src, &v->sc, old, v->bpl, 1, UINT64_MAX, err, sizeof err);
    if (top >= old) {
        if (err[0]) set_read_err(v, "%s", err);
        return;
    }
    if (!rebuild(v, top, VL_NO_PIN, true)) return;
    cursor_to_line(v, vl_line_of(&v->win, old - 1));
    settle_cursor(v);
}

static void move_left(struct viewer *v)
{
    long i = cur_line(v);
    if (i < 0) return;
    const struct vl_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA && v->cur > l->off) {
        v->cur--;
        v->want_col = (unsigned)(v->cur - l->off);
        return;
    }
    v->want_col = VL_MAX_BPL; /* the end of the line above */
    move_up(v);
    long j = cur_line(v);
    if (j >= 0 && v->win.lines[j].kind == HL_DATA)
        v->want_col = (unsigned)(v->cur - v->win.lines[j].off);
}

static void move_right(struct viewer *v)
{
    long i = cur_line(v);
    if (i < 0) return;
    const struct vl_line *l = &v->win.lines[i];
    if (l->kind == HL_DATA && v->cur + 1 < l->off + l->len) {
        v->cur++;
        v->want_col = (unsigned)(v->cur - l->off);
        return;
    }
    v->want_col = 0;
    move_down(v);
}

static void page_down(struct viewer *v)
{
    long row = cur_line(v);
    int n = shown(v);
    if ((size_t)n >= v->win.n && v->win.complete) {
        cursor_to_line(v, n - 1); /* all shown already */
        return;
    }
    const struct vl_line *last = &v->win.lines[v->win.n - 1];
    uint64_t top = (size_t)n < v->win.n ? v->win.lines[n].off : last->off + last->len;
    if (!rebuild(v, top, VL_NO_PIN, true)) return;
    cursor_to_line(v, row < shown(v) ? row : shown(v) - 1);
}

static void page_up(struct viewer *v)
{
    long row = cur_line(v);
    if (v->win.top == 0) {
        cursor_to_line(v, 0);
        return;
    }
    char err[256];
    uint64_t top = vl_prev_lines(&v->src, &v->sc, v->win.top, v->bpl, (size_t)shown(v), UINT64_MAX,
                                 err, sizeof err);
    if (!rebuild(v, top, VL_NO_PIN, true)) return;
    cursor_to_line(v, row >= 0 && row < shown(v) ? row : 0);
}

/* ---- layout ------------------------------------------------------------------------------ */

static const char *path_text(const struct viewer *v, char *buf, size_t len)
{
    return content_path_text(&v->r, buf, len);
}

static int header_want(const struct viewer *v, int cols)
{
    char p[512];
    return (int)strlen(path_text(v, p, sizeof p)) > cols ? 3 : 2;
}

/* Fits the window to the area (width, height): rebuilds when they changed. */
static void fit(struct viewer *v, int cols, int height)
{
    v->height = height;
    struct vl_rows rows = vl_area_rows(height, header_want(v, cols), false);
    unsigned bpl = vl_bpl_for_width(cols, v->offw);
    int nrows = rows.hex > 0 ? rows.hex : 1;
    if (v->built && bpl == v->bpl && nrows == v->rows) return;
    uint64_t top = v->built ? v->win.top : 0;
    v->bpl = bpl;
    v->rows = nrows;
    /* a new width moves line boundaries: start at the boundary before the old top */
    if (top % bpl) top -= top % bpl;
    bool was = v->built;
    rebuild(v, top, was ? pin_of(v) : VL_NO_PIN, true);
    if (was) keep_cursor(v);
}

/* ---- prompts -------------------------------------------------------------------------------- */

static void open_prompt(struct viewer *v, enum prompt p, const char *initial)
{
    v->prompt = p;
    snprintf(v->input, sizeof v->input, "%s", initial ? initial : "");
    v->ilen = strlen(v->input);
}

static void search_step(struct viewer *v, bool backward, bool fresh)
{
    if (!v->plen) {
        say(v, false, "no search yet: / searches");
        return;
    }
    uint64_t from;
    if (v->resume_valid && v->resume_back == backward && v->resume_cur == v->cur)
        from = v->resume;
    else
        from = fresh ? v->cur : backward ? v->cur : v->cur + 1;
    v->resume_valid = false;
    uint64_t found = 0, resume = 0;
    char err[256];
    enum vl_search_result r = vl_search(&v->src, &v->sc, v->pat, v->plen, from, backward,
                                        VL_SEARCH_STEP, &found, &resume, err, sizeof err);
    note_path(v);
    char step[FMT_BUFSZ];
    switch (r) {
    case VS_FOUND:
        jump_to(v, found, 2);
        v->match_off = found;
        v->match_len = v->plen;
        say(v, false, "\"%s\" found at 0x%" PRIx64 " (%" PRIu64 ")", v->pat_text, found, found);
        break;
    case VS_NOT_FOUND:
        say(v, false, "\"%s\" not found %s the cursor", v->pat_text, backward ? "before" : "after");
        break;
    case VS_MORE:
        v->resume_valid = true;
        v->resume_back = backward;
        v->resume = resume;
        v->resume_cur = v->cur;
        fmt_size(step, backward ? from - resume : resume - from);
        say(v, false, "\"%s\" not found %s 0x%" PRIx64 " (%s searched in this step); %s continues",
            v->pat_text, backward ? "back to" : "up to", resume, step, backward ? "N" : "n");
        break;
    case VS_ERROR: say(v, true, "search stopped: %s", err); break;
    }
}

static void do_write(struct viewer *v, bool overwrite)
{
    char err[512];
    if (vl_write_file(&v->src, &v->sc, v->wlo, v->whi, v->wpath, overwrite, err, sizeof err) < 0) {
        say(v, true, "shm %d: not written: %s", v->shmid, err);
    } else {
        char sz[FMT_BUFSZ];
        fmt_size(sz, v->whi - v->wlo);
        say(v, false, "wrote %s (%" PRIu64 " bytes, 0x%" PRIx64 "-0x%" PRIx64 ") of shm %d to %s",
            sz, v->whi - v->wlo, v->wlo, v->whi, v->shmid, v->wpath);
    }
    note_path(v);
}

static void submit(struct viewer *v)
{
    enum prompt p = v->prompt;
    v->prompt = P_NONE;
    if (p == P_GOTO) {
        uint64_t off;
        if (!vl_parse_offset(v->input, &off)) {
            say(v, true, "not an offset: \"%s\" (decimal, or hex as 0x1f40)", v->input);
        } else if (off >= v->r.size) {
            say(v, true,
                "offset %s is past the end of shm %d (%" PRIu64
                " bytes: the last offset is 0x%" PRIx64 ")",
                v->input, v->shmid, v->r.size, v->r.size ? v->r.size - 1 : 0);
        } else {
            jump_to(v, off, 2);
        }
    } else if (p == P_SEARCH) {
        if (!v->ilen) return;
        size_t n = hexdump_parse_pattern(v->input, v->pat, sizeof v->pat);
        if (!n) {
            say(v, true,
                "not a byte pattern: \"%s\" (hex needs pairs of digits, like 0x4142 or de ad "
                "be ef)",
                v->input);
            v->plen = 0;
            return;
        }
        v->plen = n;
        fmt_into(v->pat_text, sizeof v->pat_text, "%s", v->input);
        v->resume_valid = false;
        search_step(v, false, true);
    } else if (p == P_WRITE_NAME) {
        if (!v->ilen) {
            say(v, false, "nothing written: no file name");
            return;
        }
        if (!vl_write_path(v->input, getenv("HOME"), v->wpath, sizeof v->wpath)) {
            say(v, true, "nothing written: the file name is too long");
            return;
        }
        struct stat st;
        if (lstat(v->wpath, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                say(v, true, "not written: %s is a directory", v->wpath);
                return;
            }
            open_prompt(v, P_OVERWRITE, NULL);
            return;
        }
        do_write(v, false);
    }
}

static unsigned prompt_key(struct viewer *v, keycode k)
{
    bool esc = k == KEY_ESCAPE;
    if (v->prompt == P_WRITE_WHICH) {
        if (k == 's' || k == 'S' || k == 'a' || k == 'A') {
            bool whole = k == 'a' || k == 'A';
            if (whole) {
                v->wlo = 0;
                v->whi = v->r.size;
            } else {
                int n = shown(v);
                const struct vl_line *l = n ? &v->win.lines[n - 1] : NULL;
                v->wlo = v->win.top;
                v->whi = l ? l->off + l->len : v->win.top;
            }
            char name[64];
            if (whole)
                snprintf(name, sizeof name, "shm-%d.bin", v->shmid);
            else
                snprintf(name, sizeof name, "shm-%d-%" PRIx64 ".bin", v->shmid, v->wlo);
            open_prompt(v, P_WRITE_NAME, name);
        } else if (esc || !key_is_special(k)) {
            v->prompt = P_NONE;
            say(v, false, "nothing written");
        }
        return RX_REDRAW;
    }
    if (v->prompt == P_OVERWRITE) {
        v->prompt = P_NONE;
        if (k == 'y' || k == 'Y')
            do_write(v, true);
        else
            say(v, false, "not written: %s exists and was kept", v->wpath);
        return RX_REDRAW;
    }
    switch (line_edit_key(v->input, sizeof v->input, &v->ilen, k)) {
    case EDIT_CANCEL: v->prompt = P_NONE; break;
    case EDIT_SUBMIT: submit(v); break;
    default: break;
    }
    return RX_REDRAW;
}

/* ---- the interface ------------------------------------------------------------------------ */

static void init_looks(struct viewer *v, bool color)
{
    /* without colours: dim NULs, underlined whitespace, bold for the rest that is not text */
    static const attr_t mono[L_NLOOKS] = {
        [L_NUL] = A_DIM,
        [L_PRINTABLE] = A_NORMAL,
        [L_SPACE] = A_UNDERLINE,
        [L_CONTROL] = A_BOLD,
        [L_HIGH] = A_BOLD | A_UNDERLINE,
        [L_CHANGED] = A_REVERSE | A_BOLD,
        [L_MATCH] = A_BOLD | A_UNDERLINE,
        [L_CURSOR] = A_REVERSE | A_UNDERLINE,
        [L_CURSOR_OTHER] = A_UNDERLINE,
        [L_OFFSET] = A_NORMAL,
        [L_SPAN] = A_DIM,
        [L_TITLE] = A_BOLD,
        [L_SAFE] = A_NORMAL,
        [L_UNSAFE] = A_BOLD,
        [L_LABEL] = A_BOLD,
    };
    memcpy(v->look, mono, sizeof v->look);
    /* pairs above the app's own (draw.c uses the first twenty or so) */
    enum { FIRST_PAIR = 48 };
    if (!color || !has_colors() || COLOR_PAIRS < FIRST_PAIR + 12) return;
    short grey = COLORS >= 16 ? 8 : COLOR_WHITE;
    static const struct {
        enum look l;
        short fg, bg;
        attr_t extra;
    } pairs[] = {
        {L_NUL, 0, -1, 0},
        {L_PRINTABLE, COLOR_CYAN, -1, 0},
        {L_SPACE, COLOR_GREEN, -1, 0},
        {L_CONTROL, COLOR_MAGENTA, -1, 0},
        {L_HIGH, COLOR_YELLOW, -1, 0},
        {L_CHANGED, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
        {L_MATCH, COLOR_BLACK, COLOR_GREEN, 0},
        {L_SAFE, COLOR_GREEN, -1, 0},
        {L_UNSAFE, COLOR_YELLOW, -1, A_BOLD},
        {L_TITLE, COLOR_CYAN, -1, A_BOLD},
        {L_LABEL, COLOR_CYAN, -1, 0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        short n = (short)(FIRST_PAIR + i);
        short fg = pairs[i].l == L_NUL ? grey : pairs[i].fg;
        if (init_pair(n, fg, pairs[i].bg) == ERR) continue;
        v->look[pairs[i].l] =
            COLOR_PAIR(n) | pairs[i].extra | (pairs[i].l == L_NUL && COLORS < 16 ? A_DIM : 0);
    }
    v->look[L_CURSOR] = A_REVERSE;
}

struct viewer *viewer_open(int shmid, bool color, char *err, size_t errlen)
{
    struct viewer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->shmid = shmid;
    if (content_open(&v->r, shmid, err, errlen) < 0) {
        free(v);
        return NULL;
    }
    if (!vl_scratch_init(&v->sc) || !vl_window_init(&v->win, MAX_LINES) ||
        !vl_window_init(&v->before, MAX_LINES)) {
        snprintf(err, errlen, "out of memory");
        viewer_close(v);
        return NULL;
    }
    v->src =
        (struct vl_source){v, v->r.size, src_read, src_next_data, v->r.path == CONTENT_MAPFILE};
    v->last_path = v->r.path;
    stat_segment(v, &v->nattch_tried);
    v->offw = hexdump_offset_width(v->r.size);
    v->bpl = 16;
    v->rows = 1;
    v->match_len = 0;
    init_looks(v, color);
    return v;
}

void viewer_close(struct viewer *v)
{
    if (!v) return;
    vl_scratch_free(&v->sc);
    vl_window_free(&v->win);
    vl_window_free(&v->before);
    free(v);
}

void viewer_refresh(struct viewer *v)
{
    unsigned long nattch = 0;
    if (!stat_segment(v, &nattch)) {
        int e = errno;
        set_read_err(v, "shm %d %s; showing the bytes read before", v->shmid,
                     e == EINVAL || e == EIDRM ? "no longer exists" : "cannot be read any more");
        return;
    }
    /* attaching has side effects: when someone else has it attached now, look again for
     * their mapping (once per change of nattch, the scan of /proc costs) */
    if (v->r.path == CONTENT_ATTACH && nattch > 0 && nattch != v->nattch_tried) {
        v->nattch_tried = nattch;
        struct shm_reader r;
        char err[256];
        if (content_open(&r, v->shmid, err, sizeof err) == 0 && r.path == CONTENT_MAPFILE) v->r = r;
        note_path(v);
    }
    if (!v->built) return;
    if (rebuild(v, v->win.top, pin_of(v), false)) keep_cursor(v);
}

unsigned viewer_key(struct viewer *v, keycode k, bool *close)
{
    *close = false;
    if (v->prompt != P_NONE) return prompt_key(v, k);
    if (!v->built) fit(v, COLS, v->height > 0 ? v->height : LINES);
    v->msg[0] = '\0';
    v->msg_error = false;
    uint64_t before = v->cur;
    if (k == KC(KEY_LEFT) || k == 'h')
        move_left(v);
    else if (k == KC(KEY_RIGHT) || k == 'l')
        move_right(v);
    else if (k == KC(KEY_UP) || k == 'k')
        move_up(v);
    else if (k == KC(KEY_DOWN) || k == 'j')
        move_down(v);
    else if (k == KC(KEY_PPAGE))
        page_up(v);
    else if (k == KC(KEY_NPAGE))
        page_down(v);
    else if (k == KC(KEY_HOME))
        jump_to(v, 0, 0);
    else if (k == KC(KEY_END))
        jump_to(v, v->r.size ? v->r.size - 1 : 0, (size_t)(v->rows > 1 ? v->rows - 1 : 0));
    else if (k == KC(KEY_F(10)) || k == 'q' || k == KEY_ESCAPE)
        *close = true;
    else if (k == KC(KEY_BTAB) || k == '\t')
        v->ascii = !v->ascii;
    else if (k == 'g')
        open_prompt(v, P_GOTO, NULL);
    else if (k == '/')
        open_prompt(v, P_SEARCH, NULL);
    else if (k == 'n')
        search_step(v, false, false);
    else if (k == 'N')
        search_step(v, true, false);
    else if (k == 'w')
        open_prompt(v, P_WRITE_WHICH, NULL);
    else
        return RX_NONE;
    if (v->cur != before && v->cur != v->match_off) v->match_len = 0;
    return RX_REDRAW;
}

/* ---- drawing ------------------------------------------------------------------------------ */

/* Text clipped to the terminal's width (never wrapped onto the next row). */
static void put(int y, int x, const char *s, attr_t a)
{
    if (x >= COLS || x < 0) return;
    attron(a);
    mvaddnstr(y, x, s, COLS - x);
    attroff(a);
}

static attr_t byte_look(const struct viewer *v, const struct vl_line *l, unsigned i,
                        bool cursor_here, bool hex_col)
{
    uint64_t o = l->off + i;
    attr_t cls = v->look[hexdump_class(l->bytes[i])];
    /* the cursor: reversed in its column, underlined in the other */
    if (cursor_here) return v->look[hex_col != v->ascii ? L_CURSOR : L_CURSOR_OTHER] | cls;
    if (l->changed >> i & 1) return v->look[L_CHANGED];
    if (v->match_len && o >= v->match_off && o - v->match_off < v->match_len)
        return v->look[L_MATCH];
    return cls;
}

static void draw_data(const struct viewer *v, int y, const struct vl_line *l)
{
    char t[24];
    snprintf(t, sizeof t, "%0*" PRIx64, v->offw, l->off);
    put(y, 0, t, v->look[L_OFFSET]);
    for (unsigned i = 0; i < l->nbytes; i++) {
        bool here = v->cur == l->off + i;
        snprintf(t, sizeof t, "%02x", l->bytes[i]);
        put(y, vl_hex_col(v->offw, i), t, byte_look(v, l, i, here, true));
        /* the ASCII column: printable ASCII as itself, anything else as '.' */
        uint8_t b = l->bytes[i];
        t[0] = hexdump_class(b) == BC_PRINTABLE || b == ' ' ? (char)b : '.';
        t[1] = '\0';
        put(y, vl_ascii_col(v->offw, v->bpl, i), t, byte_look(v, l, i, here, false));
    }
    put(y, vl_ascii_bar_col(v->offw, v->bpl), "|", A_NORMAL);
    put(y, vl_ascii_col(v->offw, v->bpl, l->nbytes), "|", A_NORMAL);
}

static void draw_span(const struct viewer *v, int y, const struct vl_line *l)
{
    char t[320];
    struct hex_line hl = {l->kind, l->off, l->len};
    bool here = v->cur >= l->off && v->cur - l->off < l->len;
    if (l->kind == HL_SQUEEZED) {
        char sz[FMT_BUFSZ];
        fmt_size(sz, l->len);
        uint64_t lines = l->nbytes ? l->len / l->nbytes : 0;
        put(y, 0, "*", here ? v->look[L_CURSOR] : A_NORMAL);
        if (l->cut)
            snprintf(t, sizeof t,
                     "  the line above repeats for at least %s; not read further (Down "
                     "reads on)",
                     sz);
        else
            snprintf(t, sizeof t, "  the line above %" PRIu64 " more time%s (%" PRIu64 " bytes)",
                     lines, lines == 1 ? "" : "s", l->len);
        put(y, 1, t, v->look[L_SPAN]);
        return;
    }
    if (l->cut) {
        /* the span goes on past what was looked at: its size is a lower bound */
        char sz[FMT_BUFSZ];
        fmt_size(sz, l->len);
        snprintf(t, sizeof t,
                 "%0*" PRIx64 "  -- %s: at least %s; not looked at further (Down goes on) --",
                 v->offw, l->off,
                 l->kind == HL_HOLE           ? "hole"
                 : l->kind == HL_NOT_RESIDENT ? "not resident, not read"
                                              : "unreadable",
                 sz);
    } else {
        hexdump_format_span(t, sizeof t, v->offw, &hl);
    }
    put(y, 0, t, v->look[L_SPAN]);
    if (here) {
        char o[24];
        snprintf(o, sizeof o, "%0*" PRIx64, v->offw, l->off);
        put(y, 0, o, v->look[L_CURSOR]);
    }
}

static void draw_header(const struct viewer *v, int y, int rows)
{
    char t[512], sz[FMT_BUFSZ], key[32] = "";
    fmt_size(sz, v->r.size);
    if (v->key_known) snprintf(key, sizeof key, "  key 0x%08" PRIx32, v->key);
    snprintf(t, sizeof t,
             "shm %d%s  size %s (%" PRIu64 " bytes)  cursor 0x%" PRIx64 " (%" PRIu64 ") in %s%s",
             v->shmid, key, sz, v->r.size, v->cur, v->cur, v->ascii ? "ASCII" : "hex",
             v->removed ? "  removed: alive while attached" : "");
    put(y, 0, t, v->look[L_TITLE]);
    if (rows < 2) return;
    char p[512];
    path_text(v, p, sizeof p);
    attr_t a = v->look[v->r.path == CONTENT_MAPFILE ? L_SAFE : L_UNSAFE];
    size_t len = strlen(p);
    if (rows >= 3 && (int)len > COLS && COLS > 20) {
        /* two rows, cut at a space */
        size_t cut = (size_t)COLS;
        while (cut > (size_t)COLS / 2 && p[cut] != ' ') cut--;
        char first[512];
        snprintf(first, sizeof first, "%.*s", (int)cut, p);
        put(y + 1, 0, first, a);
        put(y + 2, 2, p + cut + (p[cut] == ' '), a);
    } else {
        put(y + 1, 0, p, a);
    }
}

static void draw_inspector(const struct viewer *v, int y, int rows)
{
    if (rows <= 0) return;
    long i = cur_line(v);
    const struct vl_line *l = i >= 0 ? &v->win.lines[i] : NULL;
    char t[400], u8[40], le[300], be[300];
    uint8_t b[8];
    size_t n = l ? vl_bytes_from(&v->win, v->cur, b, sizeof b) : 0;
    /* only what fits in the segment from the cursor */
    if (v->cur + n > v->r.size) n = (size_t)(v->r.size - v->cur);
    if (!n) {
        snprintf(t, sizeof t, "@0x%" PRIx64 "  %s", v->cur,
                 !l                           ? ""
                 : l->kind == HL_NOT_RESIDENT ? "not resident: not read, so no values"
                 : l->kind == HL_UNREADABLE   ? "unreadable: no values"
                                              : "no values");
        put(y, 0, t, v->look[L_LABEL]);
        return;
    }
    vl_inspect_u8(u8, sizeof u8, b, n);
    vl_inspect_order(le, sizeof le, b, n, false);
    vl_inspect_order(be, sizeof be, b, n, true);
    snprintf(t, sizeof t, "@0x%" PRIx64 "%s  %s", v->cur, l && l->kind == HL_HOLE ? " (hole)" : "",
             u8);
    int w = (int)strlen(t) + 2;
    put(y, 0, t, v->look[L_LABEL]);
    if (n < 2) return;
    if (rows >= 2) {
        put(y, w, "LE", v->look[L_LABEL]);
        put(y, w + 3, le, A_NORMAL);
        put(y + 1, w, "BE", v->look[L_LABEL]);
        put(y + 1, w + 3, be, A_NORMAL);
    } else {
        put(y, w, "LE", v->look[L_LABEL]);
        put(y, w + 3, le, A_NORMAL);
    }
}

static void draw_prompt(struct viewer *v, int y)
{
    char label[512];
    char sz[FMT_BUFSZ], szs[FMT_BUFSZ];
    switch (v->prompt) {
    case P_GOTO: snprintf(label, sizeof label, "Go to offset (decimal, or hex as 0x...): "); break;
    case P_SEARCH:
        snprintf(label, sizeof label, "Search (text, or hex: 0x4142 / de ad be ef): ");
        break;
    case P_WRITE_NAME: snprintf(label, sizeof label, "Write to file: "); break;
    case P_OVERWRITE:
        fmt_into(label, sizeof label, "%s exists: overwrite it? (y/N) ", v->wpath);
        break;
    case P_WRITE_WHICH: {
        int n = shown(v);
        const struct vl_line *l = n ? &v->win.lines[n - 1] : NULL;
        uint64_t end = l ? l->off + l->len : v->win.top;
        fmt_size(sz, v->r.size);
        fmt_size(szs, end - v->win.top);
        snprintf(label, sizeof label,
                 "Write to a file: s the shown range (%s), a the whole segment "
                 "(%s); Esc cancels ",
                 szs, sz);
        break;
    }
    default: return;
    }
    char safe_label[512], safe_input[512];
    sanitize_text(safe_label, sizeof safe_label, label, strlen(label));
    sanitize_text(safe_input, sizeof safe_input, v->input, v->ilen);
    move(y, 0);
    clrtoeol();
    put(y, 0, safe_label, v->look[L_LABEL]);
    int x = (int)mbstowcs(NULL, safe_label, 0); /* cells: the name in it may be UTF-8 */
    if (x < 0) x = (int)strlen(safe_label);
    bool edits = v->prompt == P_GOTO || v->prompt == P_SEARCH || v->prompt == P_WRITE_NAME;
    if (edits) {
        /* the end of a long input, so that what is typed stays in sight */
        int room = COLS - x - 1;
        int cells = (int)mbstowcs(NULL, safe_input, 0);
        const char *s = safe_input;
        while (cells > room && *s) {
            s++;
            while ((*s & 0xc0) == 0x80) s++;
            cells--;
        }
        put(y, x, s, A_NORMAL);
        x += cells > 0 ? cells : 0;
    }
    v->prompt_y = y;
    v->prompt_x = x < COLS ? x : COLS - 1;
}

void viewer_draw(struct viewer *v, int y0, int height)
{
    fit(v, COLS, height);
    struct vl_rows rows = vl_area_rows(height, header_want(v, COLS), v->prompt != P_NONE);
    for (int y = y0; y < y0 + height; y++) {
        move(y, 0);
        clrtoeol();
    }
    int y = y0;
    draw_header(v, y, rows.header);
    y += rows.header;
    int n = shown(v);
    for (int r = 0; r < rows.hex; r++) {
        if (r < n) {
            const struct vl_line *l = &v->win.lines[r];
            if (l->kind == HL_DATA)
                draw_data(v, y + r, l);
            else
                draw_span(v, y + r, l);
        } else if (r == n && v->win.complete) {
            /* as hexdump does: the offset of the end */
            char t[24];
            snprintf(t, sizeof t, "%0*" PRIx64, v->offw, v->r.size);
            put(y + r, 0, t, v->look[L_SPAN]);
        }
    }
    y += rows.hex;
    draw_inspector(v, y, rows.inspector);
    y += rows.inspector;
    if (rows.prompt) draw_prompt(v, y);
}

const char *viewer_message(struct viewer *v, bool *error)
{
    if (v->msg[0]) {
        *error = v->msg_error;
        return v->msg;
    }
    if (v->read_err[0]) {
        *error = true;
        return v->read_err;
    }
    *error = false;
    snprintf(v->hint, sizeof v->hint,
             "arrows PgUp PgDn Home End move, g offset, / search (n N), "
             "Tab hex/ASCII, w write to a file, q close");
    return v->hint;
}

bool viewer_prompting(const struct viewer *v, int *y, int *x)
{
    *y = v->prompt_y;
    *x = v->prompt_x;
    return v->prompt != P_NONE;
}
