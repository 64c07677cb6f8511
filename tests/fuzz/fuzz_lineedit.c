/*
 * Harness: line_edit_key, the editor of every prompt (search, filter, goto, search bytes,
 * file name). The input is a sequence of keys, 4 bytes each: a code point, or with the top
 * bit of the first byte a curses special key. After every key the line is NUL-terminated,
 * within its buffer, valid UTF-8 with no control character; EDIT_CHANGED exactly when the
 * text changed; a special key never adds text; Backspace removes exactly one character.
 */
#include <string.h>

#include "fuzz.h"
#include "lineedit.h"

static size_t chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static bool clean(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t l;
        if (u[i] < 0x80)
            c = u[i], l = 1;
        else if (u[i] >= 0xc2 && u[i] < 0xe0)
            c = u[i] & 0x1f, l = 2;
        else if (u[i] >= 0xe0 && u[i] < 0xf0)
            c = u[i] & 0x0f, l = 3;
        else if (u[i] >= 0xf0 && u[i] < 0xf5)
            c = u[i] & 0x07, l = 4;
        else
            return false;
        if (i + l > len) return false;
        for (size_t k = 1; k < l; k++) {
            if ((u[i + k] & 0xc0) != 0x80) return false;
            c = c << 6 | (u[i + k] & 0x3f);
        }
        if ((l == 3 && c < 0x800) || (l == 4 && c < 0x10000) || c > 0x10ffff ||
            (c >= 0xd800 && c <= 0xdfff) || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
            return false;
        i += l;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the first byte sizes the buffer (1 to 64 bytes), so that full lines are common */
    if (size == 0) return 0;
    size_t cap = (size_t)(data[0] % 64) + 1;
    char *text = malloc(cap);
    FUZZ_CHECK(text);
    text[0] = '\0';
    size_t len = 0;
    char before[64];
    for (size_t i = 1; i + 4 <= size; i += 4) {
        uint32_t v = (uint32_t)data[i] << 24 | (uint32_t)data[i + 1] << 16 |
                     (uint32_t)data[i + 2] << 8 | data[i + 3];
        keycode k = key_decode((v & 0x80000000u) != 0, v & 0x7fffffffu);
        if (!(v & 0x80000000u) && (v & 0x7fffffffu) > 0x10ffff) k = v & 0x10ffff; /* more letters */
        memcpy(before, text, len + 1);
        size_t blen = len;
        enum edit_result r = line_edit_key(text, cap, &len, k);
        FUZZ_CHECK(len < cap && text[len] == '\0' && strlen(text) == len);
        FUZZ_CHECK(clean(text, len));
        bool same = blen == len && memcmp(before, text, len) == 0;
        FUZZ_CHECK((r == EDIT_CHANGED) == !same);
        if (key_is_special(k) && r == EDIT_CHANGED) FUZZ_CHECK(len < blen); /* Backspace only */
        if (r == EDIT_CHANGED && len < blen && len > 0)
            FUZZ_CHECK(chars(before, blen) == chars(text, len) + 1 || len == 0);
        if (r == EDIT_CHANGED && len > blen) FUZZ_CHECK(memcmp(before, text, blen) == 0);
    }
    free(text);
    return 0;
}
