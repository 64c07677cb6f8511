/*
 * viewer_logic — the segment viewer's pure parts that are about the screen, without
 * curses, so that unit tests can drive them: the columns of a line per terminal width, how
 * the viewer's rows are shared, the inspector's values, and what the goto and write
 * prompts take (an offset, a file name). The lines themselves, search and writing are
 * src/content/hexwin.h's, shared with --dump.
 *
 * Calls hexdump.h (the line format it lays out) and libc only.
 */
#ifndef IPCTOP_UI_VIEWER_LOGIC_H
#define IPCTOP_UI_VIEWER_LOGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* ---- inspector ------------------------------------------------------------------------------ */

/* "u8 255 i8 -1" for b[0], or "" when avail is 0. */
void vl_inspect_u8(char *out, size_t len, const uint8_t *b, size_t avail);
/* "u16 65535 (i16 -1)  u32 …  u64 …  f32 …  f64 …" in one byte order: the signed value
 * only when it is negative, only the widths that fit in avail bytes. */
void vl_inspect_order(char *out, size_t len, const uint8_t *b, size_t avail, bool big_endian);

/* ---- the goto and write prompts ---------------------------------------------------------- */

/* The file a typed name means: "~/x" is x in home (when there is one), anything else as
 * typed. False when it does not fit in len bytes (nothing is cut). */
bool vl_write_path(const char *typed, const char *home, char *out, size_t len);

#endif
