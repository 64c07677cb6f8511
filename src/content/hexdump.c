#include "hexdump.h"

#include "content.h"
#include "format.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum byte_class hexdump_class(uint8_t b)
{
    if (b == 0) return BC_NUL;
    if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f') return BC_SPACE;
    if (b < 0x20 || b == 0x7f) return BC_CONTROL;
    if (b >= 0x80) return BC_HIGH;
    return BC_PRINTABLE;
}

int hexdump_offset_width(uint64_t size)
{
    int w = 8;
    while (w < 16 && size > 0 && (size - 1) >> (4 * w)) w++;
    return w;
}

static enum hex_line_kind span_kind(uint8_t k)
{
    switch (k) {
    case BYTE_HOLE: return HL_HOLE;
    case BYTE_NOT_RESIDENT: return HL_NOT_RESIDENT;
    case BYTE_UNREADABLE: return HL_UNREADABLE;
    default: return HL_DATA;
    }
}

static bool push(struct hex_line *out, size_t max, size_t *nout, struct hex_line l)
{
    /* the same span kind right after: one longer line */
    if (*nout && l.kind != HL_DATA && out[*nout - 1].kind == l.kind &&
        out[*nout - 1].off + out[*nout - 1].len == l.off) {
        out[*nout - 1].len += l.len;
        return true;
    }
    if (*nout == max) return false;
    out[(*nout)++] = l;
    return true;
}

size_t hexdump_lines(uint64_t base, const uint8_t *buf, const uint8_t *kind, size_t n, unsigned bpl,
                     bool squeeze, struct hex_squeeze *sq, struct hex_line *out, size_t max,
                     size_t *nout)
{
    if (bpl == 0 || bpl > sizeof sq->prev) bpl = 16;
    size_t i = 0;
    *nout = 0;
    while (i < n) {
        size_t len = n - i < bpl ? n - i : bpl;
        /* a line is a span line when its first byte is not data; data stops at the first
         * non-data byte, so a line never mixes kinds */
        uint8_t k0 = kind ? kind[i] : BYTE_DATA;
        size_t same = 1;
        while (same < len && (kind ? kind[i + same] : BYTE_DATA) == k0) same++;
        if (k0 != BYTE_DATA) {
            if (!push(out, max, nout, (struct hex_line){span_kind(k0), base + i, same})) break;
            sq->have_prev = false;
            sq->in_run = false;
            i += same;
            continue;
        }
        len = same;
        bool repeat =
            squeeze && sq->have_prev && sq->prev_len == len && memcmp(sq->prev, buf + i, len) == 0;
        if (repeat) {
            if (sq->in_run && *nout && out[*nout - 1].kind == HL_SQUEEZED) {
                out[*nout - 1].len += len;
            } else {
                if (!push(out, max, nout, (struct hex_line){HL_SQUEEZED, base + i, len})) break;
                sq->in_run = true;
            }
        } else {
            if (!push(out, max, nout, (struct hex_line){HL_DATA, base + i, len})) break;
            memcpy(sq->prev, buf + i, len);
            sq->prev_len = len;
            sq->have_prev = true;
            sq->in_run = false;
        }
        i += len;
    }
    return i;
}

void hexdump_format_data(char *out, size_t len, int offw, uint64_t off, const uint8_t *bytes,
                         size_t n, unsigned bpl)
{
    size_t o = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int w = snprintf(out + o, o < len ? len - o : 0, __VA_ARGS__);                             \
        if (w > 0) o += (size_t)w;                                                                 \
    } while (0)
    PUT("%0*" PRIx64 "  ", offw, off);
    for (unsigned i = 0; i < bpl; i++) {
        if (i < n)
            PUT("%02x ", bytes[i]);
        else
            PUT("   ");
        if (i % 8 == 7 && i + 1 < bpl) PUT(" ");
    }
    PUT(" |");
    for (size_t i = 0; i < n; i++)
        PUT("%c", hexdump_class(bytes[i]) == BC_PRINTABLE || bytes[i] == ' ' ? bytes[i] : '.');
    PUT("|");
#undef PUT
}

void hexdump_format_span(char *out, size_t len, int offw, const struct hex_line *l)
{
    char sz[FMT_BUFSZ];
    fmt_size(sz, l->len);
    switch (l->kind) {
    case HL_SQUEEZED: snprintf(out, len, "*"); break;
    case HL_HOLE:
        snprintf(out, len,
                 "%0*" PRIx64 "  -- hole: %s (%" PRIu64 " bytes), never written, reads as zeros --",
                 offw, l->off, sz, l->len);
        break;
    case HL_NOT_RESIDENT:
        snprintf(out, len,
                 "%0*" PRIx64 "  -- not resident: %s (%" PRIu64 " bytes), not read: "
                 "reading would allocate or swap it in --",
                 offw, l->off, sz, l->len);
        break;
    case HL_UNREADABLE:
        snprintf(out, len,
                 "%0*" PRIx64 "  -- unreadable: %s (%" PRIu64 " bytes) from offset %" PRIu64
                 ", reading faulted --",
                 offw, l->off, sz, l->len, l->off);
        break;
    default: snprintf(out, len, "%0*" PRIx64, offw, l->off); break;
    }
}

enum hex_pattern hexdump_parse_pattern(const char *text, uint8_t *out, size_t max, size_t *n)
{
    const char *p = text;
    bool hex = false;
    *n = 0;
    if (p[0] == '"') {
        /* "quoted" is text, even when it looks like hex ("cafe babe") */
        size_t len = strlen(p + 1);
        if (len && p[len] == '"') len--;
        if (len > max) return HP_TOO_LONG;
        memcpy(out, p + 1, len);
        *n = len;
        return len ? HP_OK : HP_EMPTY;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        hex = true;
        p += 2;
    } else {
        /* hex pairs separated by spaces, like "de ad be ef" */
        hex = strchr(text, ' ') != NULL;
        for (const char *q = text; *q && hex; q++) hex = isxdigit((unsigned char)*q) || *q == ' ';
    }
    if (!hex) {
        size_t len = strlen(text);
        if (len > max) return HP_TOO_LONG;
        memcpy(out, text, len);
        *n = len;
        return len ? HP_OK : HP_EMPTY;
    }
    size_t len = 0;
    int nib = -1;
    for (; *p; p++) {
        if (*p == ' ') {
            if (nib >= 0) return HP_BAD_HEX; /* a lone nibble */
            continue;
        }
        if (!isxdigit((unsigned char)*p)) return HP_BAD_HEX;
        int v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
        if (nib < 0) {
            nib = v;
        } else {
            if (len == max) return HP_TOO_LONG;
            out[len++] = (uint8_t)(nib << 4 | v);
            nib = -1;
        }
    }
    if (nib >= 0) return HP_BAD_HEX;
    *n = len;
    return len ? HP_OK : HP_EMPTY;
}
