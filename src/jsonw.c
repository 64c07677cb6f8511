#include "jsonw.h"
#include "format.h"

#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jsonw *w, FILE *f)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->first[0] = true;
}

/* Writes the separator a new value needs at the current level. */
static void sep(struct jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth]) fputc_unlocked(',', w->f);
    if (w->depth > 0 && w->newline_items[w->depth]) fputc_unlocked('\n', w->f);
    w->first[w->depth] = false;
}

static void push(struct jsonw *w, char c, bool lines)
{
    sep(w);
    fputc_unlocked(c, w->f);
    if (w->depth + 1 < JW_MAX_DEPTH) w->depth++;
    w->first[w->depth] = true;
    w->newline_items[w->depth] = lines;
}

static void pop(struct jsonw *w, char c)
{
    if (w->newline_items[w->depth] && !w->first[w->depth]) fputc_unlocked('\n', w->f);
    if (w->depth > 0) w->depth--;
    fputc_unlocked(c, w->f);
}

void jw_obj_begin(struct jsonw *w)
{
    push(w, '{', false);
}

void jw_obj_end(struct jsonw *w)
{
    pop(w, '}');
}

void jw_arr_begin(struct jsonw *w, bool lines)
{
    push(w, '[', lines);
}

void jw_arr_end(struct jsonw *w)
{
    pop(w, ']');
}

void jw_key(struct jsonw *w, const char *key)
{
    sep(w);
    fputc_unlocked('"', w->f);
    fputs_unlocked(key, w->f);
    fputs_unlocked("\":", w->f);
    w->after_key = true;
}

static void put_u64(FILE *f, uint64_t v)
{
    char b[24];
    int i = sizeof b;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    fwrite_unlocked(b + i, 1, sizeof b - (size_t)i, f);
}

void jw_u64(struct jsonw *w, uint64_t v)
{
    sep(w);
    put_u64(w->f, v);
}

void jw_i64(struct jsonw *w, int64_t v)
{
    sep(w);
    if (v < 0) {
        fputc_unlocked('-', w->f);
        put_u64(w->f, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(w->f, (uint64_t)v);
    }
}

void jw_double(struct jsonw *w, double v, int decimals)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    sep(w);
    fprintf(w->f, "%.*f", decimals, v);
}

void jw_bool(struct jsonw *w, bool v)
{
    sep(w);
    fputs_unlocked(v ? "true" : "false", w->f);
}

void jw_null(struct jsonw *w)
{
    sep(w);
    fputs_unlocked("null", w->f);
}

void jw_str(struct jsonw *w, const char *s)
{
    size_t len = strlen(s);
    char *utf8 = malloc(len * 3 + 1);
    json_object *o = NULL;
    if (utf8) {
        sanitize_utf8(utf8, len * 3 + 1, s, len);
        o = json_object_new_string(utf8);
    }
    const char *lit = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : NULL;
    if (lit) jw_literal(w, lit);
    else jw_null(w);
    json_object_put(o);
    free(utf8);
}

static bool plain(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_.:%+-", c)))
            return false;
    }
    return true;
}

void jw_str_plain(struct jsonw *w, const char *s)
{
    if (!plain(s)) {
        jw_str(w, s);
        return;
    }
    sep(w);
    fputc_unlocked('"', w->f);
    fputs_unlocked(s, w->f);
    fputc_unlocked('"', w->f);
}

void jw_literal(struct jsonw *w, const char *lit)
{
    sep(w);
    fputs_unlocked(lit, w->f);
}

int jw_finish(struct jsonw *w)
{
    fputc_unlocked('\n', w->f);
    return fflush(w->f) == 0 && !ferror(w->f) ? 0 : -1;
}
