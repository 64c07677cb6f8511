/*
 * procfs_parse — pure parsers of the text of /proc/sysvipc/{shm,sem,msg}.
 *
 * Owns nothing but the parsing: each function reads a buffer (not necessarily
 * NUL-terminated) and appends records to a snapshot. No I/O, so unit tests and the
 * fuzzer feed them anything.
 *
 * Columns are located by the names in the header line, so a kernel that adds, drops or
 * reorders columns (older kernels have no rss/swap) still parses; a record's valid bits
 * say which fields were present. Keys are printed by the kernel as signed decimals and
 * stored here as their unsigned 32-bit value.
 *
 * A line that does not parse (too few fields, a non-number, a value out of range, a
 * last line cut off without its newline) is skipped and counted, never half-stored.
 */
#ifndef IPCTOP_PROCFS_PARSE_H
#define IPCTOP_PROCFS_PARSE_H

#include "snapshot.h"

struct procfs_parse_result {
    size_t records;   /* records appended */
    size_t bad_lines; /* lines skipped as malformed */
};

/*
 * Parses a whole file's text. Returns 0 and fills *res, or -1 when the header is missing
 * or lacks a required column (key, id, perms) or memory runs out.
 */
int procfs_parse(enum ipc_class cls, const char *buf, size_t len, struct snapshot *s,
                 struct procfs_parse_result *res);

/* The same in pieces, for reading a large file in chunks: */
#define PROCFS_MAX_COLS 24
struct kind_field;
struct procfs_columns {
    enum ipc_class cls;
    int ncols;
    int map[PROCFS_MAX_COLS]; /* column -> internal spec, -1 for columns not known */
    /* the same, resolved for the line parser: per column how it is read (enum procfs_how,
     * -1 not read), the largest value it may hold, and the record's field it sets (NULL:
     * none); the column that counts a record's elements (-1 none); the valid bits a record
     * of a good line gets */
    struct procfs_column_read {
        int how;
        uint64_t max;
        const struct kind_field *field;
    } read[PROCFS_MAX_COLS];
    int element_col;
    uint64_t valid;
};

/* Parses the header line; returns the bytes it took (through its newline) or -1. */
long procfs_parse_header(enum ipc_class cls, const char *buf, size_t len,
                         struct procfs_columns *cols);

/* Parses the lines of buf, adding to *res's counts; a last line without its newline is
 * counted as bad. 0, or -1 when out of memory. */
int procfs_parse_lines(const struct procfs_columns *cols, const char *buf, size_t len,
                       struct snapshot *s, struct procfs_parse_result *res);

#endif
