/*
 * Harness: settings_parse and settings_render (ui/settings.c), the reading and rewriting
 * of a person's settings file. For any text: parsing never fails hard and says why when it
 * refuses; rendering with nothing changed gives the text back byte for byte; rendering with
 * some settings changed gives a text that parses to those values (and to the old values of
 * the others) with the same status, keeps every line that does not name a changed setting,
 * and rendering it again changes nothing. The first input byte picks the changed settings.
 */
#include <string.h>

#include "fuzz.h"
#include "settings.h"

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) lines += s[i] == '\n';
    return lines + (n && s[n - 1] != '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    unsigned pick = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char msg[1200];
    struct settings s;
    enum settings_status st = settings_parse(text, len, "rc", &s, msg, sizeof msg);
    FUZZ_CHECK(st == SETTINGS_READ || st == SETTINGS_KEPT);
    FUZZ_CHECK(memchr(msg, '\0', sizeof msg));
    if (st == SETTINGS_KEPT) FUZZ_CHECK(strstr(msg, "for this run only"));
    FUZZ_CHECK(s.screen >= 0 && s.screen < IPC_NCLASSES);
    FUZZ_CHECK(s.delay >= 0.05 && s.delay <= 86400);
    /* messages are sentences: no control character of the file reaches the terminal */
    for (const char *m = msg; *m; m++) FUZZ_CHECK((unsigned char)*m >= 0x20 && *m != 0x7f);

    /* nothing changed: the same bytes */
    bool none[SETTINGS_NKEYS] = {false};
    size_t outlen;
    char *out = settings_render(text, len, &s, none, &outlen);
    FUZZ_CHECK(out);
    if (len) FUZZ_CHECK(outlen == len && memcmp(out, text, len) == 0);
    free(out);

    /* some settings changed to other values */
    struct settings now = s;
    now.screen = (enum ipc_class)((s.screen + 1) % IPC_NCLASSES);
    now.delay = s.delay == 0.5 ? 2.5 : 0.5;
    now.descending[pick % IPC_NCLASSES] = !s.descending[pick % IPC_NCLASSES];
    bool changed[SETTINGS_NKEYS];
    for (int k = 0; k < SETTINGS_NKEYS; k++) changed[k] = (pick >> (k % 8)) & 1;
    out = settings_render(text, len, &now, changed, &outlen);
    FUZZ_CHECK(out && strlen(out) <= outlen);
    struct settings back;
    char msg2[1200];
    enum settings_status st2 = settings_parse(out, outlen, "rc", &back, msg2, sizeof msg2);
    FUZZ_CHECK(st2 == st);
    for (int k = 0; k < SETTINGS_NKEYS; k++) {
        char want[512], got[512];
        /* a changed setting has its new value; another keeps what the text gave it */
        settings_key_value(changed[k] ? &now : &s, k, want, sizeof want);
        settings_key_value(&back, k, got, sizeof got);
        FUZZ_CHECK(strcmp(want, got) == 0);
    }
    /* every line is kept or replaced, and only appended to */
    size_t added = 0;
    for (int k = 0; k < SETTINGS_NKEYS; k++) added += changed[k];
    FUZZ_CHECK(count_lines(out, outlen) <= count_lines(text, len) + added + 1);
    /* rendering the result again with the same changes is a fixed point */
    size_t out2len;
    char *out2 = settings_render(out, outlen, &now, changed, &out2len);
    FUZZ_CHECK(out2 && out2len == outlen && memcmp(out2, out, outlen) == 0);
    free(out2);
    free(out);
    return 0;
}
