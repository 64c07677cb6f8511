/* The viewer's prompts: goto, search, write to a file (viewer_impl.h). */
#include "viewer_impl.h"

#include "format.h"
#include "lineedit.h"
#include "savefile.h"
#include "viewer_logic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- prompts -------------------------------------------------------------------------------- */

void vw_open_prompt(struct viewer *v, enum prompt p, const char *initial)
{
    v->prompt = p;
    snprintf(v->input, sizeof v->input, "%s", initial ? initial : "");
    v->ilen = strlen(v->input);
}

void vw_search_step(struct viewer *v, bool backward, bool fresh)
{
    if (!v->plen) {
        vw_say(v, false, "no search yet: / searches");
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
    enum hexwin_search_result r =
        hexwin_search(&v->src, &v->sc, v->pat, v->plen, from, backward, HEXWIN_SEARCH_STEP, &found,
                      &resume, err, sizeof err);
    vw_note_path(v);
    char step[FMT_BUFSZ];
    switch (r) {
    case HS_FOUND:
        vw_jump_to(v, found, 2);
        v->match_off = found;
        v->match_len = v->plen;
        vw_say(v, false, "\"%s\" found at 0x%" PRIx64 " (%" PRIu64 ")", v->pat_text, found, found);
        break;
    case HS_NOT_FOUND:
        vw_say(v, false, "\"%s\" not found %s the cursor", v->pat_text,
               backward ? "before" : "after");
        break;
    case HS_MORE:
        v->resume_valid = true;
        v->resume_back = backward;
        v->resume = resume;
        v->resume_cur = v->cur;
        fmt_size(step, backward ? from - resume : resume - from);
        vw_say(v, false,
               "\"%s\" not found %s 0x%" PRIx64 " (%s searched in this step); %s continues",
               v->pat_text, backward ? "back to" : "up to", resume, step, backward ? "N" : "n");
        break;
    case HS_ERROR: vw_say(v, true, "search stopped: %s", err); break;
    }
}

static void do_write(struct viewer *v, bool overwrite)
{
    char err[512];
    if (hexwin_write_file(&v->src, &v->sc, v->wlo, v->whi, v->wpath, overwrite, err, sizeof err) <
        0) {
        vw_say(v, true, "shm %d: not written: %s", v->shmid, err);
    } else {
        char sz[FMT_BUFSZ];
        fmt_size(sz, v->whi - v->wlo);
        vw_say(v, false,
               "wrote %s (%" PRIu64 " bytes, 0x%" PRIx64 "-0x%" PRIx64 ") of shm %d to %s", sz,
               v->whi - v->wlo, v->wlo, v->whi, v->shmid, v->wpath);
    }
    vw_note_path(v);
}

static void submit(struct viewer *v)
{
    enum prompt p = v->prompt;
    v->prompt = P_NONE;
    if (p == P_GOTO) {
        uint64_t off;
        if (!parse_bytes(v->input, &off)) {
            vw_say(v, true, "not an offset: \"%s\" (decimal, or hex as 0x1f40)", v->input);
        } else if (off >= v->r.size) {
            vw_say(v, true,
                   "offset %s is past the end of shm %d (%" PRIu64
                   " bytes: the last offset is 0x%" PRIx64 ")",
                   v->input, v->shmid, v->r.size, v->r.size ? v->r.size - 1 : 0);
        } else {
            vw_jump_to(v, off, 2);
        }
    } else if (p == P_SEARCH) {
        if (!v->ilen) return;
        size_t n;
        enum hex_pattern hp = hexdump_parse_pattern(v->input, v->pat, sizeof v->pat, &n);
        if (hp != HP_OK) {
            if (hp == HP_TOO_LONG)
                vw_say(v, true, "the pattern is too long: at most %d bytes", HEXWIN_PATTERN_MAX);
            else
                vw_say(v, true,
                       "not a byte pattern: \"%s\" (hex needs pairs of digits, like 0x4142 or de "
                       "ad be ef)",
                       v->input);
            v->plen = 0;
            return;
        }
        v->plen = n;
        vw_fmt_into(v->pat_text, sizeof v->pat_text, "%s", v->input);
        v->resume_valid = false;
        vw_search_step(v, false, true);
    } else if (p == P_WRITE_NAME) {
        if (!v->ilen) {
            vw_say(v, false, "nothing written: no file name");
            return;
        }
        if (!vl_write_path(v->input, getenv("HOME"), v->wpath, sizeof v->wpath)) {
            vw_say(v, true, "nothing written: the file name is too long");
            return;
        }
        /* a directory, a device, a pipe or a link is never replaced: said now, not after y */
        char why[512];
        if (savefile_check(v->wpath, true, why, sizeof why) < 0) {
            vw_say(v, true, "not written: %s", why);
            return;
        }
        struct stat st;
        if (lstat(v->wpath, &st) == 0) {
            vw_open_prompt(v, P_OVERWRITE, NULL);
            return;
        }
        do_write(v, false);
    }
}

unsigned vw_prompt_key(struct viewer *v, keycode k)
{
    bool esc = k == KEY_ESCAPE;
    if (v->prompt == P_WRITE_WHICH) {
        if (k == 's' || k == 'S' || k == 'a' || k == 'A') {
            bool whole = k == 'a' || k == 'A';
            if (whole) {
                v->wlo = 0;
                v->whi = v->r.size;
            } else {
                int n = vw_shown(v);
                const struct hexwin_line *l = n ? &v->win.lines[n - 1] : NULL;
                v->wlo = v->win.top;
                v->whi = l ? l->off + l->len : v->win.top;
            }
            char name[64];
            if (whole)
                snprintf(name, sizeof name, "shm-%d.bin", v->shmid);
            else
                snprintf(name, sizeof name, "shm-%d-%" PRIx64 ".bin", v->shmid, v->wlo);
            vw_open_prompt(v, P_WRITE_NAME, name);
        } else if (esc || !key_is_special(k)) {
            v->prompt = P_NONE;
            vw_say(v, false, "nothing written");
        }
        return RX_REDRAW;
    }
    if (v->prompt == P_OVERWRITE) {
        v->prompt = P_NONE;
        if (k == 'y' || k == 'Y')
            do_write(v, true);
        else
            vw_say(v, false, "not written: %s exists and was kept", v->wpath);
        return RX_REDRAW;
    }
    switch (line_edit_key(v->input, sizeof v->input, &v->ilen, k)) {
    case EDIT_CANCEL: v->prompt = P_NONE; break;
    case EDIT_SUBMIT: submit(v); break;
    default: break;
    }
    return RX_REDRAW;
}
