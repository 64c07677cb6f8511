/*
 * viewer_impl — private to the segment viewer (viewer*.c): its state and what its files
 * call of one another. ui/viewer.h is its public face; nothing else includes this.
 *
 * The viewer's files and what each owns:
 *   viewer.c         the interface of viewer.h: opening and closing, refreshes, keys (moves
 *                    here, prompts in viewer_prompt.c), the status line's message
 *   viewer_move.c    reading (the byte source over content.h, the reading path, the
 *                    segment's metadata), the window of lines (hexwin.h) fitted to the
 *                    area, the cursor and every move
 *   viewer_prompt.c  the prompts: goto, search (hexwin_search, in bounded steps), write to
 *                    a file (hexwin_write_file)
 *   viewer_draw.c    drawing (curses) and the looks of the cells; drawing changes nothing
 *                    but where the prompt's cursor goes, and fits the window to the area
 * They call src/content (content.h, hexwin.h, hexdump.h), src/output/format.h,
 * viewer_logic.h, lineedit.h and keys.h; only viewer_draw.c and viewer.c call curses.
 */
#ifndef IPCTOP_UI_VIEWER_IMPL_H
#define IPCTOP_UI_VIEWER_IMPL_H

#include <ncurses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content.h"
#include "hexwin.h"
#include "keys.h"

#define VW_MAX_LINES        1024 /* display lines a window can hold: taller terminals show this many */
#define VW_JUMP_CONTEXT_MAX (1u << 20) /* how far above a goto target context is looked for */

enum prompt {
    P_NONE,
    P_GOTO,
    P_SEARCH,
    P_WRITE_WHICH, /* shown range or whole segment? */
    P_WRITE_NAME,
    P_OVERWRITE, /* the file exists: y/N */
};

struct viewer {
    int shmid;
    struct shm_reader r;
    enum content_path last_path; /* to tell when the path changed under us */
    struct hexwin_source src;
    struct hexwin_scratch sc;
    struct hexwin win, before; /* the lines shown; the ones read before (change marks) */
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

    uint8_t pat[HEXWIN_PATTERN_MAX];
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
};

/* ---- viewer.c -------------------------------------------------------------------------------- */

/* A sentence for the status line (long file names are cut, not refused). */
void vw_say(struct viewer *v, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* snprintf that may cut (file names in labels). */
void vw_fmt_into(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The last read's problem (or "" when it went well). A new problem is the news: it takes
 * the status line from an older message. */
void vw_set_read_err(struct viewer *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- viewer_move.c --------------------------------------------------------------------------- */

/* The byte source over v->r (content.h). */
void vw_source_init(struct viewer *v);
/* The reading path can change under a read (the attacher went away): says so. */
void vw_note_path(struct viewer *v);
/* Key, removal and attach count (metadata, not content: no side effects). */
bool vw_stat_segment(struct viewer *v, unsigned long *nattch);
/* Rebuilds the window at top. carry keeps the change marks of the bytes still shown
 * (moving around); a refresh marks only what changed since the last read. */
bool vw_rebuild(struct viewer *v, uint64_t top, uint64_t pin, bool carry);
/* Lines shown; the line holding the cursor (or -1); the pin that keeps it data. */
int vw_shown(const struct viewer *v);
long vw_cur_line(const struct viewer *v);
uint64_t vw_pin_of(const struct viewer *v);
/* After a rebuild that was not a move (refresh, resize): the cursor stays where it was,
 * the window follows it if it went out of sight. */
void vw_keep_cursor(struct viewer *v);
/* Shows the byte at off under the cursor: the window starts `context` lines above. */
void vw_jump_to(struct viewer *v, uint64_t off, size_t context);
void vw_move_down(struct viewer *v);
void vw_move_up(struct viewer *v);
void vw_move_left(struct viewer *v);
void vw_move_right(struct viewer *v);
void vw_page_down(struct viewer *v);
void vw_page_up(struct viewer *v);
/* Header rows the path line wants at this width (2, or 3 when it wraps). */
int vw_header_want(const struct viewer *v, int cols);
/* Fits the window to the area (width, height): rebuilds when they changed. */
void vw_fit(struct viewer *v, int cols, int height);

/* ---- viewer_prompt.c ------------------------------------------------------------------------- */

void vw_open_prompt(struct viewer *v, enum prompt p, const char *initial);
/* n (forward) and N: one bounded step of the search; fresh: from the cursor itself. */
void vw_search_step(struct viewer *v, bool backward, bool fresh);
/* A key while a prompt is open. */
unsigned vw_prompt_key(struct viewer *v, keycode k);

/* ---- viewer_draw.c --------------------------------------------------------------------------- */

/* The looks of the cells: colour pairs when color and the terminal has them. */

#endif
