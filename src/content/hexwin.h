/*
 * hexwin — the display lines of a segment's bytes, built in one place for the viewer and
 * `ipctop --dump`: a window of lines (data, squeezed runs of equal lines, holes, pages not
 * resident, unreadable bytes) from a byte source, moving a window up by display lines,
 * marking changed bytes, searching in bounded steps, and writing a range to a file without
 * ever leaving half a file.
 *
 * Everything reads through struct hexwin_source (content.h in the program, a fake in the
 * unit tests), never more than a window (plus a bounded look-ahead for squeezing), and
 * holds nothing proportional to the segment's size. The line format is hexdump.h's; files
 * are written through savefile.h. No curses, no printing: problems are sentences in err.
 *
 * Files: hexwin.c (building a window, the bytes it knows, change marks, moving down),
 * hexwin_back.c (moving up), hexwin_print.c (a dump's text), hexwin_search.c,
 * hexwin_write.c; hexwin_runs.h is private to them.
 */
#ifndef IPCTOP_HEXWIN_H
#define IPCTOP_HEXWIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hexdump.h"

#define HEXWIN_MAX_BPL     32
#define HEXWIN_CHUNK       (1u << 20)    /* the largest single read */
#define HEXWIN_LOOKAHEAD   (16ull << 20) /* bytes read per window build, at most */
#define HEXWIN_BACK_BUDGET (16ull << 20) /* bytes read to move up, at most */
#define HEXWIN_SEARCH_STEP (64ull << 20) /* bytes searched per step (a key press), at most */
#define HEXWIN_PATTERN_MAX 256           /* bytes of a search pattern, at most */
#define HEXWIN_NO_PIN      UINT64_MAX

/* Where bytes come from: content_read / content_next_data in the program. */
struct hexwin_source {
    void *ctx;
    uint64_t size; /* the end: nothing at or after it is read */
    /* As content_read: the bytes of [off, off + len), an enum byte_kind per byte; the
     * number covered, or -1 with a sentence in err. A non-fatal problem (unreadable
     * bytes) leaves a sentence in err and still returns the count. */
    ssize_t (*read)(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind, char *err,
                    size_t errlen);
    /* As content_next_data: the first offset >= off holding data, or size (or more). */
    uint64_t (*next_data)(void *ctx, uint64_t off);
    /* next_data is cheap wherever it starts (SEEK_DATA), so it may be probed backwards and
     * spans are skipped with it; on the attaching path it scans with mincore up to the next
     * data and is not. A source has holes (map_files) or pages not resident (attaching),
     * never both: a span skipped with next_data keeps the kind it started with. */
    bool seek_cheap;
};

/* Reading buffers, allocated once (HEXWIN_CHUNK bytes each). */
struct hexwin_scratch {
    uint8_t *buf, *kind;
};
bool hexwin_scratch_init(struct hexwin_scratch *sc);
void hexwin_scratch_free(struct hexwin_scratch *sc);

/* ---- the lines of a window ---------------------------------------------------------------- */

struct hexwin_line {
    enum hex_line_kind kind;
    uint64_t off, len;
    uint8_t bytes[HEXWIN_MAX_BPL]; /* data: its bytes; squeezed: the line it repeats */
    uint8_t nbytes;                /* meaningful bytes in bytes[] */
    uint32_t changed;              /* data: bit i set when bytes[i] differs from the last read */
    bool cut;                      /* squeezed/span: its end was not looked for (read budget) */
};

struct hexwin {
    struct hexwin_line *lines; /* the shown lines, then one more (where the next one starts) */
    size_t n, cap;
    uint64_t top; /* offset of lines[0] */
    unsigned bpl;
    bool complete; /* the lines reach the end of the source */
};

bool hexwin_init(struct hexwin *w, size_t cap);
void hexwin_free(struct hexwin *w);
void hexwin_copy(struct hexwin *dst, const struct hexwin *src);

/*
 * Builds the lines starting at top: `want` lines to show plus one more, squeezing
 * repeated lines (the first line is always shown as data), a hole or a run of pages not
 * resident as one line (skipped with next_data when seek_cheap, else looked at chunk by
 * chunk), reading at most HEXWIN_LOOKAHEAD bytes' worth (bytes not read count 1/64): a
 * longer squeezed run or span is cut and marked. The line holding pin (HEXWIN_NO_PIN for
 * none) is shown as data even inside a run. Lines start at multiples of bpl, but for the
 * first when top is not one. Returns 0, or -1 with a sentence in err; a warning
 * (unreadable bytes) leaves a sentence in err and returns 0.
 */
int hexwin_build(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t top,
                 uint64_t pin, unsigned bpl, size_t want, struct hexwin *w, char *err,
                 size_t errlen);

/*
 * The same for a dump that goes on from the window before (printed, then built again at
 * the end of its last line): prev is the last data line before top when only equal lines
 * (a squeezed run) came after it, or NULL; lines equal to it at top are squeezed, so a run
 * cut by a window's end goes on as the same run.
 */
int hexwin_build_after(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t top,
                       const struct hexwin_line *prev, unsigned bpl, size_t want, struct hexwin *w,
                       char *err, size_t errlen);

/* Index of the line holding off (among all n lines), or -1. */
long hexwin_line_of(const struct hexwin *w, uint64_t off);
/* The byte at off as the window knows it (data, squeezed, hole); false when unknown. */
bool hexwin_byte_at(const struct hexwin *w, uint64_t off, uint8_t *b);
/* How many known bytes follow from off (at most max), copied to out. */
size_t hexwin_bytes_from(const struct hexwin *w, uint64_t off, uint8_t *out, size_t max);

/* Sets the changed bits of now's data lines: bytes whose value differs from what before
 * knew at the same offset; with carry, bits already set in before are kept. */
void hexwin_mark_changes(const struct hexwin *before, struct hexwin *now, bool carry);

/* Where the window starts after moving down one line (a squeezed run is passed in one
 * step); top itself when there is nothing below. */
uint64_t hexwin_next_top(const struct hexwin *w);

/*
 * The start of the display line n lines above x (x a line start): one data line, or the
 * start of a run of equal lines (shown as data then "*"), or the start of a hole or of
 * pages not resident. Reads at most HEXWIN_BACK_BUDGET bytes' worth (bytes not read count
 * 1/64) and nothing more than max_back below x (UINT64_MAX: no limit); a longer run or
 * span is cut there. Returns x when x is 0; on a read error stops where it got (err set).
 */
uint64_t hexwin_prev_lines(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t x,
                           unsigned bpl, size_t n, uint64_t max_back, char *err, size_t errlen);

/* The end of the last data before x: e <= x with byte e-1 data and no data in [e, x);
 * 0 when there is none. Probes next_data (for sources with seek_cheap). */
uint64_t hexwin_prev_data_end(const struct hexwin_source *s, uint64_t x);

/* ---- a dump ------------------------------------------------------------------------------------
 */

/*
 * Prints [lo, hi) to out as `hexdump -C` does, 16 bytes a line and offsets of offw digits,
 * then the offset of hi: windows of `want` lines built one after another
 * (hexwin_build_after), so that a run of equal lines is one "*" and a hole or a run of pages
 * not resident one line with its whole size wherever a window ends. Lines start at
 * multiples of 16 after the first. Returns 0; 1 when bytes were unreadable (shown as such,
 * a sentence in err, no final offset); -1 when reading failed (a sentence in err). Write
 * errors stay in out's error flag, for out_finish.
 */
int hexwin_print(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t lo, uint64_t hi,
                 int offw, size_t want, FILE *out, char *err, size_t errlen);

/* ---- search -----------------------------------------------------------------------------------
 */

enum hexwin_search_result { HS_FOUND, HS_NOT_FOUND, HS_MORE, HS_ERROR };

/*
 * One bounded step of a search for pat (hexdump_parse_pattern's bytes) among data bytes
 * (holes and bytes not read never match): forward, the first match starting at or after
 * from; backward, the last match starting before from. Searches at most `budget` bytes'
 * worth (bytes not read count 1/64), skipping holes and pages not resident with next_data
 * (forward; backward only where seek_cheap). HS_FOUND sets *found; HS_MORE sets *resume to
 * the `from` of the next step; HS_ERROR leaves a sentence in err.
 */
enum hexwin_search_result hexwin_search(const struct hexwin_source *s, struct hexwin_scratch *sc,
                                        const uint8_t *pat, size_t plen, uint64_t from,
                                        bool backward, uint64_t budget, uint64_t *found,
                                        uint64_t *resume, char *err, size_t errlen);

/* ---- writing to a file --------------------------------------------------------------------------
 */

/*
 * Writes bytes [lo, hi) to path through savefile.h (a temporary file in the same
 * directory, synced, then put in place: path is never half written); holes become holes of
 * the file. Refuses an existing path unless overwrite. Bytes that could not be read (not
 * resident, unreadable) fail the write: no zeros are invented. Returns 0, or -1 with a
 * sentence in err, the temporary file removed.
 */
int hexwin_write_file(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t lo,
                      uint64_t hi, const char *path, bool overwrite, char *err, size_t errlen);

#endif
