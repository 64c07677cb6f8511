/*
 * settings — what the monitor remembers between runs: the active screen, the refresh
 * interval, and per list the sort column, its order and the visible columns.
 *
 * The file is $IPCTOPRC, else $XDG_CONFIG_HOME/ipctop/ipctoprc, else
 * ~/.config/ipctop/ipctoprc: lines of `name=value`, `#` comments. A person's file is never
 * lost (as htop never loses an htoprc):
 *  - a name ipctop does not know (a newer ipctop's, or a typo) is kept and ignored; a bad
 *    value costs only its own setting (it keeps its default), and is reported;
 *  - a file that is not a settings file (a line that is not name=value, NUL bytes, larger
 *    than SETTINGS_MAX_BYTES), or that is not a regular file (a FIFO, /dev/zero), is read
 *    for what it holds, reported once, and never written: changes are kept for the run;
 *  - writing changes only the lines of the settings the person changed (appending those
 *    missing) and keeps every other line, comment and unknown name as it was; it goes to a
 *    temporary file in the same directory, fsync, rename — never half a file — keeping the
 *    file's permissions, and through a symbolic link to the file it names.
 * Numbers are read and written with a decimal point in every locale. No curses here; the
 * parsing and rendering are pure (tests/fuzz/fuzz_settings.c feeds them).
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

/* Larger files are not settings files (and are never read whole). */
#define SETTINGS_MAX_BYTES (64 * 1024)

/* The names a file can hold: screen, delay, then sort.X, order.X, columns.X per class. */
#define SETTINGS_NKEYS (2 + 3 * IPC_NCLASSES)

/* Defaults: shared memory screen, 1 s, sorted by id, the columns marked shown. */
void settings_defaults(struct settings *s);

/* The settings file's path into buf; false when no home can be found. */
bool settings_path(char *buf, size_t len);

enum settings_status {
    SETTINGS_READ = 0,  /* a settings file was read (msg may name a bad value) */
    SETTINGS_NONE = 1,  /* there is no file: the defaults; it is created on a change */
    SETTINGS_KEPT = -1, /* not a settings file, or not readable: never written (msg says) */
};

/* Parses the text of a settings file (pure): *s gets the defaults, then every valid
 * setting. SETTINGS_READ, with msg "" or naming the first bad value; or SETTINGS_KEPT when
 * the text is not a settings file, msg naming the line. path only names it in msg. */
enum settings_status settings_parse(const char *text, size_t len, const char *path,
                                    struct settings *s, char *msg, size_t msglen);

/* Reads path (a regular file only, never blocking, at most SETTINGS_MAX_BYTES) into *s.
 * msg gets a sentence for the person, or "". */
enum settings_status settings_load(const char *path, struct settings *s, char *msg, size_t msglen);

/* The name of setting k (< SETTINGS_NKEYS) and its value in s, as a file holds them. */
void settings_key_name(int k, char *buf, size_t len);
void settings_key_value(const struct settings *s, int k, char *buf, size_t len);

/* Which settings differ between a and b (by their values as written); how many. */
int settings_diff(const struct settings *a, const struct settings *b, bool changed[SETTINGS_NKEYS]);

/* The text of a settings file with the settings changed[k] set to their values in s: the
 * lines naming them rewritten, those missing appended, every other line kept byte for byte.
 * Pure; malloc'd (NUL-terminated, *outlen without it), NULL when out of memory. */
char *settings_render(const char *text, size_t len, const struct settings *s,
                      const bool changed[SETTINGS_NKEYS], size_t *outlen);

/* Writes the settings changed[k] into path: reads the file again as it is now and, if it
 * is still a settings file or there is none, writes it rendered, atomically (the
 * directory is created). Refuses a file that is not one. 0, or -1 with err. */
int settings_save(const char *path, const struct settings *s, const bool changed[SETTINGS_NKEYS],
                  char *err, size_t errlen);

bool settings_equal(const struct settings *a, const struct settings *b);

#endif
