/*
 * table — ipctop's own text tables, for batch frames and --limits (no libsmartcols): each
 * cell is formatted once, straight into an arena, and measured when it ends (ASCII cells
 * by their length; others, in a UTF-8 locale, character by character with mbrtowc and
 * wcwidth); then the lines are written padded, through a 64 KiB buffer, in large writes.
 *
 * Two formats, as lsipc has them:
 *   aligned  every column as wide as its widest cell or header, one space between columns,
 *            numbers (right columns) aligned right; no line ends in a blank;
 *   raw      (TABLE_RAW) no alignment: the cells of a row separated by one space, an empty
 *            cell is empty; inside a cell a blank, a backslash and every byte that is not
 *            printable ASCII is written as \xHH (lower-case hex), as lsipc --raw writes
 *            them, so a raw line splits on single spaces and a cell decodes with printf %b.
 * TABLE_NOHEADINGS leaves out the header line.
 *
 * Cells hold sanitized text only (format.h): a cell that holds a control character or a
 * byte that is not part of valid UTF-8 is sanitized when it ends, so neither reaches the
 * output whatever a formatter wrote.
 */
#ifndef IPCTOP_TABLE_H
#define IPCTOP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest cell, in bytes; a longer one is cut at a character boundary. */
#define TABLE_CELL_MAX 1024

enum table_flags {
    TABLE_RAW = 1,
    TABLE_NOHEADINGS = 2,
};

struct table_col {
    const char *header;
    bool right; /* aligned right (numbers) */
};

struct table_cell {
    uint32_t off;   /* in the arena */
    uint16_t len;   /* bytes */
    uint16_t width; /* display columns */
};

struct table {
    const struct table_col *cols; /* the caller's, for the table's life */
    size_t ncols;
    char *text; /* the arena: every cell's bytes, one after another, no NULs */
    size_t len, cap;
    struct table_cell *cells; /* row after row */
    size_t ncells, cells_cap;
    bool utf8;                        /* the locale's LC_CTYPE is UTF-8: measure with wcwidth */
    bool failed;                      /* out of memory: table_write fails */
    char scratch[TABLE_CELL_MAX + 1]; /* where a cell goes when memory ran out */
};

/* An empty table of ncols columns; rows_hint (may be 0) sizes its memory. The locale's
 * LC_CTYPE at this moment decides how non-ASCII cells are measured. */
void table_init(struct table *t, const struct table_col *cols, size_t ncols, size_t rows_hint);
void table_free(struct table *t);
/* Empties t for another table of ncols columns, keeping its memory (the next kind of a
 * frame reuses the pages the previous one touched). */
void table_reset(struct table *t, const struct table_col *cols, size_t ncols, size_t rows_hint);

/*
 * The next cell, written in place: table_cell_room gives room for max bytes and a NUL (max
 * at most TABLE_CELL_MAX), the caller writes a NUL-terminated string there and calls
 * table_cell_done. Cells fill the rows in order, ncols to a row. Out of memory: room is a
 * scratch buffer, the cell is lost and table_write fails.
 */
char *table_cell_room(struct table *t, size_t max);
void table_cell_done(struct table *t);

/* A cell copied from s. */
void table_add(struct table *t, const char *s);

/* Complete rows so far. */
size_t table_rows(const struct table *t);

/* Writes the header (unless TABLE_NOHEADINGS) and every complete row to f. 0, or -1 when
 * out of memory (nothing written) or a write failed. */
int table_write(const struct table *t, FILE *f, unsigned flags);

/* Display width of a NUL-free UTF-8 string of len bytes, as the table measures it (utf8:
 * as table_init decided). */
int table_text_width(const char *s, size_t len, bool utf8);

#endif
