/*
 * hexdump — `hexdump -C` layout for segment bytes (pure): offset, the bytes in two groups,
 * the printable ASCII column; a line equal to the previous one squeezed to "*"; a run of
 * holes, pages not resident or unreadable bytes one line saying so with its size. The
 * viewer and --dump share it. Text never carries control bytes: non-printable bytes show
 * as '.'.
 */
#ifndef IPCTOP_HEXDUMP_H
#define IPCTOP_HEXDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hex_line_kind {
    HL_DATA,         /* one line of bytes */
    HL_SQUEEZED,     /* "*": lines equal to the one before, off..off+len */
    HL_HOLE,         /* never written */
    HL_NOT_RESIDENT, /* not in memory, not read */
    HL_UNREADABLE,   /* reading faulted */
};

struct hex_line {
    enum hex_line_kind kind;
    uint64_t off; /* first byte */
    uint64_t len; /* bytes covered (a data line: up to bytes-per-line) */
};

/* State carried from one chunk to the next so that squeezing spans chunks. */
struct hex_squeeze {
    bool have_prev;
    uint8_t prev[64]; /* the last data line shown */
    size_t prev_len;
    bool in_run; /* a "*" has been emitted for the current run */
};

/*
 * Cuts n bytes starting at offset base into display lines of bpl (8, 16 or 32) bytes.
 * kind[i] is an enum byte_kind (content.h) or NULL for all data. Adjacent lines of the
 * same span kind merge, and squeezed lines extend the last "*". Writes at most max lines;
 * returns how many bytes were consumed (whole lines only, unless it is the end).
 */
size_t hexdump_lines(uint64_t base, const uint8_t *buf, const uint8_t *kind, size_t n, unsigned bpl,
                     bool squeeze, struct hex_squeeze *sq, struct hex_line *out, size_t max,
                     size_t *nout);

/* Hex digits needed for offsets up to size (at least 8). */
int hexdump_offset_width(uint64_t size);

/* "00000010  48 65 6c 6c 6f 0a 00 00  00 00 00 00 00 00 00 00  |Hello...........|" */
void hexdump_format_data(char *out, size_t len, int offw, uint64_t off, const uint8_t *bytes,
                         size_t n, unsigned bpl);
/* "*", or "00001000  -- hole: 12K (12288 bytes), never written --" and the like. */
void hexdump_format_span(char *out, size_t len, int offw, const struct hex_line *l);

/* The classes bytes are coloured by. */
enum byte_class { BC_NUL, BC_PRINTABLE, BC_SPACE, BC_CONTROL, BC_HIGH };
enum byte_class hexdump_class(uint8_t b);

/*
 * Parses a search pattern, the same in the viewer's / prompt and in --dump --find:
 *   "text in double quotes"    the text inside the quotes, even when it looks like hex
 *                              (the closing quote may be left out);
 *   0x followed by hex digits  bytes, two digits each ("0x4142" is "AB");
 *   pairs of hex digits separated by spaces ("de ad be ef"): bytes;
 *   anything else              the text itself, byte for byte ("cafe" is 4 letters).
 * At most max bytes; *n gets how many.
 */
enum hex_pattern {
    HP_OK,
    HP_EMPTY,    /* nothing to look for: "" or "0x" */
    HP_BAD_HEX,  /* an odd number of digits, or a character that is not one */
    HP_TOO_LONG, /* more than max bytes */
};
enum hex_pattern hexdump_parse_pattern(const char *text, uint8_t *out, size_t max, size_t *n);

#endif
