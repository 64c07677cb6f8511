#include "lineedit.h"

#include <ncurses.h>
#include <string.h>

bool line_edit_printable(keycode key)
{
    return !key_is_special(key) && key != KC_NONE && key >= 0x20 && key != 0x7f &&
           !(key >= 0x80 && key < 0xa0) && key <= 0x10ffff && !(key >= 0xd800 && key <= 0xdfff);
}

/* The UTF-8 bytes of code point c into out (4 bytes of room); their number. */
static size_t utf8_encode(char *out, keycode c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3f));
    out[2] = (char)(0x80 | (c >> 6 & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

enum edit_result line_edit_key(char *text, size_t cap, size_t *len, keycode key)
{
    if (key == '\n' || key == '\r' || key == KC(KEY_ENTER)) return EDIT_SUBMIT;
    if (key == KEY_ESCAPE) return EDIT_CANCEL;
    if (key == KC(KEY_BACKSPACE) || key == 0x7f || key == 0x08) {
        if (*len == 0) return EDIT_NONE;
        /* one whole UTF-8 character */
        do --*len;
        while (*len > 0 && ((unsigned char)text[*len] & 0xc0) == 0x80);
        text[*len] = '\0';
        return EDIT_CHANGED;
    }
    if (key == KEY_CTRL('u')) {
        if (*len == 0) return EDIT_NONE;
        *len = 0;
        text[0] = '\0';
        return EDIT_CHANGED;
    }
    if (!line_edit_printable(key)) return EDIT_NONE;
    char mb[4];
    size_t n = utf8_encode(mb, key);
    if (*len + n >= cap) return EDIT_NONE;
    memcpy(text + *len, mb, n);
    *len += n;
    text[*len] = '\0';
    return EDIT_CHANGED;
}
