/*
 * jsonw — a streaming JSON writer, so that 96,000 objects print in constant memory.
 *
 * A DOM library would hold the whole document: measured here at 96,000 objects json-c
 * took 1.5 s and 570 MB, jansson 0.95 s and 374 MB, this writer 60 ms (docs/performance.md).
 * It emits structure and numbers as it goes. Strings that may hold arbitrary text (user
 * names, commands) are escaped here (jw_str, RFC 8259: only '"', '\\' and U+0000..U+001F;
 * valid UTF-8 as it is, invalid bytes as U+FFFD), without a JSON library and without a
 * malloc per string; strings ipctop builds itself from a fixed alphabet (keys like
 * "0x1234abcd", octal perms, status words) go through jw_str_plain, which checks that
 * alphabet instead of escaping.
 */
#ifndef IPCTOP_JSONW_H
#define IPCTOP_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct jsonw {
    FILE *f;
    char buf[65536]; /* written to f when full: one fwrite per 64 KiB, not per token */
    size_t len;
    bool failed;
    int depth;
    bool first[JW_MAX_DEPTH]; /* nothing written yet at this level */
    bool after_key;
    bool newline_items[JW_MAX_DEPTH]; /* put each item of this array on its own line */
};

void jw_init(struct jsonw *w, FILE *f);
void jw_obj_begin(struct jsonw *w);
void jw_obj_end(struct jsonw *w);
/* lines: each element on its own line (for the long arrays of objects) */
void jw_arr_begin(struct jsonw *w, bool lines);
void jw_arr_end(struct jsonw *w);
/* key must be a literal of [a-z0-9_]: it is written as is */
void jw_key(struct jsonw *w, const char *key);
void jw_u64(struct jsonw *w, uint64_t v);
void jw_i64(struct jsonw *w, int64_t v);
void jw_double(struct jsonw *w, double v, int decimals);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
/* any text: valid UTF-8 as it is, invalid bytes as U+FFFD, '"' '\\' and controls escaped */
void jw_str(struct jsonw *w, const char *s);
/* The JSON string literal of s[0..len) (quotes included, as jw_str writes it) into out,
 * which has room for JW_QUOTED_MAX(len) bytes; returns its length (no NUL is added). */
#define JW_QUOTED_MAX(len) (6 * (len) + 2)
size_t jw_quote(char *out, const char *s, size_t len);
/* a string ipctop built from [A-Za-z0-9_.:%+-]; anything else is escaped through jw_str */
void jw_str_plain(struct jsonw *w, const char *s);
/* an already escaped JSON literal, e.g. from users_name_json() */
void jw_literal(struct jsonw *w, const char *lit);
/* finishes the document with a newline; returns 0 or -1 if writing failed */
int jw_finish(struct jsonw *w);

/* shorthands for "key": value */
#define JW_KU64(w, k, v) (jw_key(w, k), jw_u64(w, v))
#define JW_KI64(w, k, v) (jw_key(w, k), jw_i64(w, v))

#endif
