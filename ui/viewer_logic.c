#include "viewer_logic.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- layout ------------------------------------------------------------------------------ */

/* The columns follow hexdump_format_data: "OFFSET  xx xx .. xx  xx .. xx  |ascii|", a space
 * more after every group of 8 bytes but the last. */
int vl_hex_col(int offw, unsigned i)
{
    return offw + 2 + 3 * (int)i + (int)(i / 8);
}

int vl_ascii_bar_col(int offw, unsigned bpl)
{
    return offw + 2 + 3 * (int)bpl + (int)(bpl / 8);
}

int vl_ascii_col(int offw, unsigned bpl, unsigned i)
{
    return vl_ascii_bar_col(offw, bpl) + 1 + (int)i;
}

int vl_line_width(int offw, unsigned bpl)
{
    return vl_ascii_col(offw, bpl, bpl) + 1; /* the closing '|' */
}

unsigned vl_bpl_for_width(int cols, int offw)
{
    static const unsigned choices[] = {32, 16};
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (vl_line_width(offw, choices[i]) <= cols) return choices[i];
    return 8; /* narrower terminals cut the line at the right */
}

struct vl_rows vl_area_rows(int height, int header_want, bool prompting)
{
    struct vl_rows r = {0, 0, 0, 0};
    if (height <= 0) return r;
    r.prompt = prompting ? 1 : 0;
    int left = height - r.prompt;
    /* the bytes first, then what names them, then the inspector, then the rest */
    if (left >= 2) r.header = 1, left--;
    if (left >= 3) r.inspector = 1, left--;
    while (r.header < header_want && left >= 6) r.header++, left--;
    if (left >= 6) r.inspector = 2, left--;
    r.hex = left;
    return r;
}

/* ---- inspector --------------------------------------------------------------------------- */

void vl_inspect_u8(char *out, size_t len, const uint8_t *b, size_t avail)
{
    if (!avail) {
        snprintf(out, len, "%s", "");
        return;
    }
    snprintf(out, len, "u8 %u i8 %d", b[0], (int)(int8_t)b[0]);
}

static uint64_t load(const uint8_t *b, unsigned n, bool big)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)b[big ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

void vl_inspect_order(char *out, size_t len, const uint8_t *b, size_t avail, bool big)
{
    size_t o = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(out + o, o < len ? len - o : 0, __VA_ARGS__);                            \
        if (w_ > 0) o += (size_t)w_;                                                               \
    } while (0)
    if (len) out[0] = '\0';
    /* the signed value only when it differs, to keep the line short enough for 80 columns */
    if (avail >= 2) {
        uint16_t v = (uint16_t)load(b, 2, big);
        PUT("u16 %u", v);
        if ((int16_t)v < 0) PUT(" (i16 %d)", (int)(int16_t)v);
    }
    if (avail >= 4) {
        uint32_t v = (uint32_t)load(b, 4, big);
        PUT("  u32 %" PRIu32, v);
        if ((int32_t)v < 0) PUT(" (i32 %" PRId32 ")", (int32_t)v);
    }
    if (avail >= 8) {
        uint64_t v = load(b, 8, big);
        PUT("  u64 %" PRIu64, v);
        if ((int64_t)v < 0) PUT(" (i64 %" PRId64 ")", (int64_t)v);
    }
    if (avail >= 4) {
        uint32_t v = (uint32_t)load(b, 4, big);
        float f;
        memcpy(&f, &v, sizeof f);
        PUT("  f32 %g", (double)f);
    }
    if (avail >= 8) {
        uint64_t v = load(b, 8, big);
        double d;
        memcpy(&d, &v, sizeof d);
        PUT("  f64 %g", d);
    }
#undef PUT
}

/* ---- the goto and write prompts ---------------------------------------------------------- */

bool vl_write_path(const char *typed, const char *home, char *out, size_t len)
{
    int n;
    if (typed[0] == '~' && typed[1] == '/' && home && *home)
        n = snprintf(out, len, "%s/%s", home, typed + 2);
    else
        n = snprintf(out, len, "%s", typed);
    return n >= 0 && (size_t)n < len;
}
