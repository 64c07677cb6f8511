/*
 * settings — what the monitor remembers between runs: the active screen, the refresh
 * interval, and per list the sort column, its order and the visible columns.
 *
 * The file is $IPCTOPRC, else $XDG_CONFIG_HOME/ipctop/ipctoprc, else
 * ~/.config/ipctop/ipctoprc: lines of `name=value`, `#` comments. It is written only when
 * something changed, atomically (a temporary file in the same directory, then rename),
 * so a crash never leaves half a file. A file that does not parse is reported and
 * ignored (defaults are used), never fatal. No curses here.
 */
#ifndef IPCTOP_UI_SETTINGS_H
#define IPCTOP_UI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "snapshot.h"

struct settings {
    enum ipc_class screen;
    double delay;
    int sort_col[IPC_NCLASSES]; /* index into columns_of(cls) */
    bool descending[IPC_NCLASSES];
    bool shown[IPC_NCLASSES][LAYOUT_MAX_COLS];
};

/* Defaults: shared memory screen, 1 s, sorted by id, the columns marked shown. */
void settings_defaults(struct settings *s);

/* The settings file's path into buf; false when no home can be found. */
bool settings_path(char *buf, size_t len);

/* Reads path into *s. Returns 0 when read, 1 when there is no file (defaults), -1 when
 * it could not be read or parsed: *s holds the defaults and err a sentence naming the
 * file and line. */
int settings_load(const char *path, struct settings *s, char *err, size_t errlen);

/* Writes *s to path atomically, creating the directory. 0, or -1 with err. */
int settings_save(const char *path, const struct settings *s, char *err, size_t errlen);

bool settings_equal(const struct settings *a, const struct settings *b);

#endif
