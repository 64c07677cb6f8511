/* The viewer's drawing (curses), in the theme's roles. */
#include "viewer.h"

#include "viewer_impl.h"

#include "format.h"
#include "theme.h"
#include "viewer_logic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- drawing ------------------------------------------------------------------------------ */

/* Text clipped to the terminal's width (never wrapped onto the next row). */
static void put(int y, int x, const char *s, attr_t a)
{
    if (x >= COLS || x < 0) return;
    attron(a);
    mvaddnstr(y, x, s, COLS - x);
    attroff(a);
}

static attr_t byte_look(const struct viewer *v, const struct hexwin_line *l, unsigned i,
                        bool cursor_here, bool hex_col)
{
    uint64_t o = l->off + i;
    attr_t cls = theme_attr((enum role)(R_BYTE_NUL + (int)hexdump_class(l->bytes[i])));
    /* the cursor: reversed in its column, underlined in the other */
    if (cursor_here) return theme_attr(hex_col != v->ascii ? R_CURSOR : R_CURSOR_OTHER) | cls;
    if (l->changed >> i & 1) return theme_attr(R_BYTE_CHANGED);
    if (v->match_len && o >= v->match_off && o - v->match_off < v->match_len)
        return theme_attr(R_MATCH);
    return cls;
}

static void draw_data(const struct viewer *v, int y, const struct hexwin_line *l)
{
    char t[24];
    snprintf(t, sizeof t, "%0*" PRIx64, v->offw, l->off);
    put(y, 0, t, theme_attr(R_OFFSET));
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

static void draw_span(const struct viewer *v, int y, const struct hexwin_line *l)
{
    char t[320];
    struct hex_line hl = {l->kind, l->off, l->len};
    bool here = v->cur >= l->off && v->cur - l->off < l->len;
    if (l->kind == HL_SQUEEZED) {
        char sz[FMT_BUFSZ];
        fmt_size(sz, l->len);
        uint64_t lines = l->nbytes ? l->len / l->nbytes : 0;
        put(y, 0, "*", here ? theme_attr(R_CURSOR) : A_NORMAL);
        if (l->cut)
            snprintf(t, sizeof t,
                     "  the line above repeats for at least %s; not read further (Down "
                     "reads on)",
                     sz);
        else
            snprintf(t, sizeof t, "  the line above %" PRIu64 " more time%s (%" PRIu64 " bytes)",
                     lines, lines == 1 ? "" : "s", l->len);
        put(y, 1, t, theme_attr(R_SPAN));
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
    put(y, 0, t, theme_attr(R_SPAN));
    if (here) {
        char o[24];
        snprintf(o, sizeof o, "%0*" PRIx64, v->offw, l->off);
        put(y, 0, o, theme_attr(R_CURSOR));
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
    put(y, 0, t, theme_attr(R_TITLE));
    if (rows < 2) return;
    char p[512];
    content_path_text(&v->r, p, sizeof p);
    attr_t a = theme_attr(v->r.path == CONTENT_MAPFILE ? R_SAFE : R_UNSAFE);
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
    long i = vw_cur_line(v);
    const struct hexwin_line *l = i >= 0 ? &v->win.lines[i] : NULL;
    char t[400], u8[40], le[300], be[300];
    uint8_t b[8];
    size_t n = l ? hexwin_bytes_from(&v->win, v->cur, b, sizeof b) : 0;
    /* only what fits in the segment from the cursor */
    if (v->cur + n > v->r.size) n = (size_t)(v->r.size - v->cur);
    if (!n) {
        snprintf(t, sizeof t, "@0x%" PRIx64 "  %s", v->cur,
                 !l                           ? ""
                 : l->kind == HL_NOT_RESIDENT ? "not resident: not read, so no values"
                 : l->kind == HL_UNREADABLE   ? "unreadable: no values"
                                              : "no values");
        put(y, 0, t, theme_attr(R_VIEW_LABEL));
        return;
    }
    vl_inspect_u8(u8, sizeof u8, b, n);
    vl_inspect_order(le, sizeof le, b, n, false);
    vl_inspect_order(be, sizeof be, b, n, true);
    snprintf(t, sizeof t, "@0x%" PRIx64 "%s  %s", v->cur, l && l->kind == HL_HOLE ? " (hole)" : "",
             u8);
    int w = (int)strlen(t) + 2;
    put(y, 0, t, theme_attr(R_VIEW_LABEL));
    if (n < 2) return;
    if (rows >= 2) {
        put(y, w, "LE", theme_attr(R_VIEW_LABEL));
        put(y, w + 3, le, A_NORMAL);
        put(y + 1, w, "BE", theme_attr(R_VIEW_LABEL));
        put(y + 1, w + 3, be, A_NORMAL);
    } else {
        put(y, w, "LE", theme_attr(R_VIEW_LABEL));
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
        vw_fmt_into(label, sizeof label, "%s exists: overwrite it? (y/N) ", v->wpath);
        break;
    case P_WRITE_WHICH: {
        int n = vw_shown(v);
        const struct hexwin_line *l = n ? &v->win.lines[n - 1] : NULL;
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
    put(y, 0, safe_label, theme_attr(R_VIEW_LABEL));
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
    vw_fit(v, COLS, height);
    struct vl_rows rows = vl_area_rows(height, vw_header_want(v, COLS), v->prompt != P_NONE);
    for (int y = y0; y < y0 + height; y++) {
        move(y, 0);
        clrtoeol();
    }
    int y = y0;
    draw_header(v, y, rows.header);
    y += rows.header;
    int n = vw_shown(v);
    for (int r = 0; r < rows.hex; r++) {
        if (r < n) {
            const struct hexwin_line *l = &v->win.lines[r];
            if (l->kind == HL_DATA)
                draw_data(v, y + r, l);
            else
                draw_span(v, y + r, l);
        } else if (r == n && v->win.complete) {
            /* as hexdump does: the offset of the end */
            char t[24];
            snprintf(t, sizeof t, "%0*" PRIx64, v->offw, v->r.size);
            put(y + r, 0, t, theme_attr(R_SPAN));
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
