/* The viewer's interface (viewer.h) and its status line (viewer_impl.h says which file owns
 * what). */
#include "viewer.h"

#include "viewer_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vw_say(struct viewer *v, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
    v->msg_error = error;
}

void vw_fmt_into(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The last read's problem (or "" when it went well). A new problem is the news: it takes
 * the status line from an older message. */
void vw_set_read_err(struct viewer *v, const char *fmt, ...)
{
    char t[sizeof v->read_err];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    if (t[0] && strcmp(t, v->read_err) != 0) v->msg[0] = '\0';
    memcpy(v->read_err, t, sizeof t);
}

/* ---- the interface ------------------------------------------------------------------------ */

struct viewer *viewer_open(int shmid, const struct shm_mapping *known, size_t nknown, char *err,
                           size_t errlen)
{
    struct viewer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->shmid = shmid;
    if (content_open_via(&v->r, shmid, known, nknown, err, errlen) < 0) {
        free(v);
        return NULL;
    }
    if (!hexwin_scratch_init(&v->sc) || !hexwin_init(&v->win, VW_MAX_LINES) ||
        !hexwin_init(&v->before, VW_MAX_LINES)) {
        snprintf(err, errlen, "out of memory");
        viewer_close(v);
        return NULL;
    }
    vw_source_init(v);
    v->last_path = v->r.path;
    vw_stat_segment(v, &v->nattch_tried);
    v->offw = hexdump_offset_width(v->r.size);
    v->bpl = 16;
    v->rows = 1;
    v->match_len = 0;
    return v;
}

void viewer_close(struct viewer *v)
{
    if (!v) return;
    hexwin_scratch_free(&v->sc);
    hexwin_free(&v->win);
    hexwin_free(&v->before);
    free(v);
}

void viewer_refresh(struct viewer *v)
{
    unsigned long nattch = 0;
    if (!vw_stat_segment(v, &nattch)) {
        int e = errno;
        vw_set_read_err(v, "shm %d %s; showing the bytes read before", v->shmid,
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
        vw_note_path(v);
    }
    if (!v->built) return;
    if (vw_rebuild(v, v->win.top, vw_pin_of(v), false)) vw_keep_cursor(v);
}

unsigned viewer_key(struct viewer *v, keycode k, bool *close)
{
    *close = false;
    if (v->prompt != P_NONE) return vw_prompt_key(v, k);
    if (!v->built) vw_fit(v, COLS, v->height > 0 ? v->height : LINES);
    v->msg[0] = '\0';
    v->msg_error = false;
    uint64_t before = v->cur;
    if (k == KC(KEY_LEFT) || k == 'h')
        vw_move_left(v);
    else if (k == KC(KEY_RIGHT) || k == 'l')
        vw_move_right(v);
    else if (k == KC(KEY_UP) || k == 'k')
        vw_move_up(v);
    else if (k == KC(KEY_DOWN) || k == 'j')
        vw_move_down(v);
    else if (k == KC(KEY_PPAGE))
        vw_page_up(v);
    else if (k == KC(KEY_NPAGE))
        vw_page_down(v);
    else if (k == KC(KEY_HOME))
        vw_jump_to(v, 0, 0);
    else if (k == KC(KEY_END))
        vw_jump_to(v, v->r.size ? v->r.size - 1 : 0, (size_t)(v->rows > 1 ? v->rows - 1 : 0));
    else if (k == KC(KEY_F(10)) || k == 'q' || k == KEY_ESCAPE)
        *close = true;
    else if (k == KC(KEY_BTAB) || k == '\t')
        v->ascii = !v->ascii;
    else if (k == 'g')
        vw_open_prompt(v, P_GOTO, NULL);
    else if (k == '/')
        vw_open_prompt(v, P_SEARCH, NULL);
    else if (k == 'n')
        vw_search_step(v, false, false);
    else if (k == 'N')
        vw_search_step(v, true, false);
    else if (k == 'w')
        vw_open_prompt(v, P_WRITE_WHICH, NULL);
    else
        return RX_NONE;
    if (v->cur != before && v->cur != v->match_off) v->match_len = 0;
    return RX_REDRAW;
}
