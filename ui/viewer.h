/*
 * viewer — the segment viewer: a live `hexdump -C` of a shared memory segment, read
 * through content.h (side-effect free when a process has the segment mapped), with a
 * byte cursor, an inspector line, goto, search, change highlighting and write-to-file.
 *
 * Owns its state (struct viewer) and everything it draws in the area it is given; the
 * app opens it with 'x' on a segment and hands it keys and refreshes while it is open.
 * Reads only what is shown (plus a bounded look-ahead to squeeze repeated lines), and
 * only when the window moves or a refresh arrives, since on the attaching path every
 * read is visible to everyone.
 */
#ifndef IPCTOP_UI_VIEWER_H
#define IPCTOP_UI_VIEWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"

struct viewer;

struct shm_mapping;

/* Opens the viewer on segment shmid, trying first the nknown mappings of it a snapshot
 * found (content_open_via); NULL with a sentence in err (gone, permission). */
struct viewer *viewer_open(int shmid, const struct shm_mapping *known, size_t nknown, char *err,
                           size_t errlen);
void viewer_close(struct viewer *v);

/* A new refresh arrived: re-read what is shown and mark the bytes that changed. */
void viewer_refresh(struct viewer *v);

/* Reaction to a key (the same flags as keys.h); *close set when the viewer is done. */
unsigned viewer_key(struct viewer *v, keycode k, bool *close);

/* Draws into rows [y0, y0 + height) of the full terminal width (curses). Leaves the
 * status line to the app: a message for it, if any, is in viewer_message(). */
void viewer_draw(struct viewer *v, int y0, int height);

/* A message for the status line (one sentence), or NULL; error says how to show it. */
const char *viewer_message(struct viewer *v, bool *error);

/* Whether the viewer is asking for a line of input; then *y, *x is where the terminal's
 * cursor belongs (set by the last viewer_draw). */
bool viewer_prompting(const struct viewer *v, int *y, int *x);

#endif
