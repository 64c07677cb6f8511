#include "theme.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- colours ------------------------------------------------------------------------- */

static attr_t roles[R_NROLES];

attr_t theme_attr(enum role r)
{
    return roles[r];
}

void theme_init(bool color)
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
        /* the viewer: dim NULs, underlined whitespace, bold for the rest that is not text */
        [R_BYTE_NUL] = A_DIM,
        [R_BYTE_PRINTABLE] = A_NORMAL,
        [R_BYTE_SPACE] = A_UNDERLINE,
        [R_BYTE_CONTROL] = A_BOLD,
        [R_BYTE_HIGH] = A_BOLD | A_UNDERLINE,
        [R_BYTE_CHANGED] = A_REVERSE | A_BOLD,
        [R_MATCH] = A_BOLD | A_UNDERLINE,
        [R_CURSOR] = A_REVERSE | A_UNDERLINE,
        [R_CURSOR_OTHER] = A_UNDERLINE,
        [R_OFFSET] = A_NORMAL,
        [R_SPAN] = A_DIM,
        [R_SAFE] = A_NORMAL,
        [R_UNSAFE] = A_BOLD,
        [R_VIEW_LABEL] = A_BOLD,
    };
    memcpy(roles, mono, sizeof roles);
    if (!color || !has_colors()) return;
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
        {R_BYTE_NUL, COLOR_WHITE, -1, 0}, /* grey where the terminal has it: below */
        {R_BYTE_PRINTABLE, COLOR_CYAN, -1, 0},
        {R_BYTE_SPACE, COLOR_GREEN, -1, 0},
        {R_BYTE_CONTROL, COLOR_MAGENTA, -1, 0},
        {R_BYTE_HIGH, COLOR_YELLOW, -1, 0},
        {R_BYTE_CHANGED, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
        {R_MATCH, COLOR_BLACK, COLOR_GREEN, 0},
        {R_SAFE, COLOR_GREEN, -1, 0},
        {R_UNSAFE, COLOR_YELLOW, -1, A_BOLD},
        {R_VIEW_LABEL, COLOR_CYAN, -1, 0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        short n = (short)(i + 1);
        short fg = pairs[i].fg;
        attr_t extra = pairs[i].extra;
        if (pairs[i].r == R_BYTE_NUL) {
            if (COLORS >= 16)
                fg = 8; /* bright black: grey */
            else
                extra |= A_DIM;
        }
        if (init_pair(n, fg, pairs[i].bg) == ERR) continue; /* the attributes alone */
        roles[pairs[i].r] = COLOR_PAIR(n) | extra;
    }
    roles[R_CURSOR] = A_REVERSE; /* over a byte's colour */
}

/* ---- text in cells ------------------------------------------------------------------- */

/*
 * Draws s at (y, x) in exactly `width` cells: cut at a character boundary, padded with
 * spaces, right-aligned when asked. s is already sanitized; its width is counted in
 * terminal cells, not bytes.
 */
void put_cells(int y, int x, int width, const char *s, bool right, attr_t attr)
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

void put_text(int y, int x, const char *s, attr_t attr)
{
    put_cells(y, x, COLS - x, s, false, attr);
}

void clear_rows(int y0, int n)
{
    for (int y = y0; y < y0 + n; y++) {
        move(y, 0);
        clrtoeol();
    }
}
