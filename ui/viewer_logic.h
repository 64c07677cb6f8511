/*
 * viewer_logic — the segment viewer's pure parts, without curses, so that unit tests can
 * drive them over a fake segment: the layout of a line per terminal width, building the
 * display lines of a window (data, squeezed runs, holes) from a byte source, moving a
 * window up by display lines, marking changed bytes, the inspector's values, searching in
 * bounded steps, and writing a range to a file without ever leaving half a file.
 *
 * Everything reads through struct vl_source (content.h in the program), never more than a
 * window (plus a bounded look-ahead for squeezing), and holds nothing proportional to the
 * segment's size. The line format itself is hexdump.h's.
 */
#ifndef IPCTOP_UI_VIEWER_LOGIC_H
#define IPCTOP_UI_VIEWER_LOGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hexdump.h"

#define VL_MAX_BPL     32
#define VL_CHUNK       (1u << 20)    /* the largest single read */
#define VL_LOOKAHEAD   (16ull << 20) /* bytes read per window build, at most */
#define VL_BACK_BUDGET (16ull << 20) /* bytes read to move up, at most */
#define VL_SEARCH_STEP (64ull << 20) /* bytes searched per key press, at most */
#define VL_PATTERN_MAX 256
#define VL_NO_PIN      UINT64_MAX

/* Where bytes come from: content_read / content_next_data in the program. */
struct vl_source {
    void *ctx;
    uint64_t size;
    /* As content_read: the bytes of [off, off + len), an enum byte_kind per byte; the
     * number covered, or -1 with a sentence in err. A non-fatal problem (unreadable
     * bytes) leaves a sentence in err and still returns the count. */
    ssize_t (*read)(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind, char *err,
                    size_t errlen);
    /* As content_next_data: the first offset >= off holding data, or size. */
    uint64_t (*next_data)(void *ctx, uint64_t off);
    /* next_data is cheap wherever it starts (SEEK_DATA), so it may be probed backwards;
     * on the attaching path it scans with mincore up to the next data and is not. */
    bool seek_cheap;
};

/* Reading buffers, allocated once (VL_CHUNK bytes each). */
struct vl_scratch {
    uint8_t *buf, *kind;
};
bool vl_scratch_init(struct vl_scratch *sc);
void vl_scratch_free(struct vl_scratch *sc);

/* ---- layout of a line (the columns of hexdump_format_data) ------------------------------ */

/* Cells a full data line takes with offsets of offw digits and bpl bytes per line. */
int vl_line_width(int offw, unsigned bpl);
/* The most bytes per line (32, 16 or 8) whose line fits in cols cells; 8 if none does. */
unsigned vl_bpl_for_width(int cols, int offw);
/* Column of byte i's two hex digits, of the '|' opening the ASCII column, of byte i's
 * ASCII cell. */
int vl_hex_col(int offw, unsigned i);
int vl_ascii_bar_col(int offw, unsigned bpl);
int vl_ascii_col(int offw, unsigned bpl, unsigned i);

/* How the viewer's rows are shared (header, hex lines, inspector, prompt). */
struct vl_rows {
    int header, hex, inspector, prompt;
};
struct vl_rows vl_area_rows(int height, int header_want, bool prompting);

/* ---- the lines of a window ---------------------------------------------------------------- */

struct vl_line {
    enum hex_line_kind kind;
    uint64_t off, len;
    uint8_t bytes[VL_MAX_BPL]; /* data: its bytes; squeezed: the line it repeats */
    uint8_t nbytes;            /* meaningful bytes in bytes[] */
    uint32_t changed;          /* data: bit i set when bytes[i] differs from the last read */
    bool cut;                  /* squeezed/span: its end was not looked for (read budget) */
};

struct vl_window {
    struct vl_line *lines; /* the shown lines, then one more (where the next one starts) */
    size_t n, cap;
    uint64_t top; /* offset of lines[0] */
    unsigned bpl;
    bool complete; /* the lines reach the end of the segment */
};

bool vl_window_init(struct vl_window *w, size_t cap);
void vl_window_free(struct vl_window *w);
void vl_window_copy(struct vl_window *dst, const struct vl_window *src);

/*
 * Builds the lines starting at top: `want` lines to show plus one more, squeezing
 * repeated lines (the first line is always shown as data), a hole or a run of pages not
 * resident as one line (skipped with next_data when seek_cheap, else looked at chunk by
 * chunk), reading at most VL_LOOKAHEAD bytes' worth (bytes not read count 1/64): a longer
 * squeezed run or span is cut and marked. The line holding pin (VL_NO_PIN for none) is
 * shown as data even inside a run. Returns 0, or -1 with a sentence in err; a warning
 * (unreadable bytes) leaves a sentence in err and returns 0.
 */
int vl_build(const struct vl_source *s, struct vl_scratch *sc, uint64_t top, uint64_t pin,
             unsigned bpl, size_t want, struct vl_window *w, char *err, size_t errlen);

/* Index of the line holding off (among all n lines), or -1. */
long vl_line_of(const struct vl_window *w, uint64_t off);
/* The byte at off as the window knows it (data, squeezed, hole); false when unknown. */
bool vl_byte_at(const struct vl_window *w, uint64_t off, uint8_t *b);
/* How many known bytes follow from off (at most max), copied to out. */
size_t vl_bytes_from(const struct vl_window *w, uint64_t off, uint8_t *out, size_t max);

/* Sets the changed bits of now's data lines: bytes whose value differs from what before
 * knew at the same offset; with carry, bits already set in before are kept. */
void vl_mark_changes(const struct vl_window *before, struct vl_window *now, bool carry);

/* Where the window starts after moving down one line (a squeezed run is passed in one
 * step); top itself when there is nothing below. */
uint64_t vl_next_top(const struct vl_window *w);

/*
 * The start of the display line n lines above x (x a line start): one data line, or the
 * start of a run of equal lines (shown as data then "*"), or the start of a hole or of
 * pages not resident. Reads at most VL_BACK_BUDGET bytes' worth (bytes not read count
 * 1/64) and nothing more than max_back below x (UINT64_MAX: no limit); a longer run or
 * span is cut there. Returns x when x is 0; on a read error stops where it got (err set).
 */
uint64_t vl_prev_lines(const struct vl_source *s, struct vl_scratch *sc, uint64_t x, unsigned bpl,
                       size_t n, uint64_t max_back, char *err, size_t errlen);

/* The end of the last data before x: e <= x with byte e-1 data and no data in [e, x);
 * 0 when there is none. Probes next_data (for sources with seek_cheap). */
uint64_t vl_prev_data_end(const struct vl_source *s, uint64_t x);

/* ---- inspector ------------------------------------------------------------------------------ */

/* "u8 255 i8 -1" for b[0], or "" when avail is 0. */
void vl_inspect_u8(char *out, size_t len, const uint8_t *b, size_t avail);
/* "u16 65535 (i16 -1)  u32 …  u64 …  f32 …  f64 …" in one byte order: the signed value
 * only when it is negative, only the widths that fit in avail bytes. */
void vl_inspect_order(char *out, size_t len, const uint8_t *b, size_t avail, bool big_endian);

/* ---- goto and search ---------------------------------------------------------------------- */

/* Parses "1234", "0x4d2", optionally with a K, M or G suffix (binary). */
bool vl_parse_offset(const char *text, uint64_t *off);

enum vl_search_result { VS_FOUND, VS_NOT_FOUND, VS_MORE, VS_ERROR };

/*
 * One bounded step of a search for pat among data bytes (holes and bytes not read never
 * match): forward, the first match starting at or after from; backward, the last match
 * starting before from. Searches at most `budget` bytes' worth (bytes not read count 1/64),
 * skipping holes and pages not resident with next_data (forward; backward only where
 * seek_cheap). VS_FOUND sets *found; VS_MORE sets *resume to the `from` of the next step;
 * VS_ERROR leaves a sentence in err.
 */
enum vl_search_result vl_search(const struct vl_source *s, struct vl_scratch *sc,
                                const uint8_t *pat, size_t plen, uint64_t from, bool backward,
                                uint64_t budget, uint64_t *found, uint64_t *resume, char *err,
                                size_t errlen);

/* ---- writing to a file ---------------------------------------------------------------------- */

/* The file a typed name means: "~/x" is x in home (when there is one), anything else as
 * typed. False when it does not fit in len bytes (nothing is cut). */
bool vl_write_path(const char *typed, const char *home, char *out, size_t len);

/*
 * Writes bytes [lo, hi) to path through a temporary file in the same directory renamed
 * over it at the end (so path is never half written); holes become holes of the file.
 * Refuses an existing path unless overwrite. Bytes that could not be read (not resident,
 * unreadable) fail the write: no zeros are invented. Returns 0, or -1 with a sentence in
 * err, the temporary file removed.
 */
int vl_write_file(const struct vl_source *s, struct vl_scratch *sc, uint64_t lo, uint64_t hi,
                  const char *path, bool overwrite, char *err, size_t errlen);

#endif
