/*
 * Harness: what a person types into the segment viewer's prompts — goto (vl_parse_offset),
 * search (hexdump_parse_pattern, then hexwin_search over a segment) and write (vl_write_path).
 *
 * The input is "FLAGS TEXT\n SEGMENT": TEXT is what was typed; SEGMENT the bytes of a fake
 * segment whose blocks are data, holes or pages not resident, repeated up to a size of
 * 2 MiB and more (so that searches cross the viewer's 1 MiB reads). Properties: an offset
 * accepted reads back the same in decimal and in hex; a pattern is at most HEXWIN_PATTERN_MAX
 * bytes; hexwin_search, stepped with a small budget as the viewer steps it on 'n' and 'N',
 * finds exactly the match a plain scan of the data bytes finds, forward and backward; a
 * file name is the typed one, or under HOME for "~/"; and, on the smaller segments, the
 * text of a dump (hexwin_print) is the same whether its windows are one line or a thousand.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "fuzz.h"
#include "hexdump.h"
#include "hexwin.h"
#include "format.h"
#include "viewer_logic.h"

#define BLOCK 4096

/* The harness's own loops over megabytes are not what is fuzzed: no coverage tracing there
 * (its per-byte comparisons would cost the fuzzer most of its time). */
#if defined(__clang__)
#define NOT_TRACED __attribute__((no_sanitize("coverage")))
#else
#define NOT_TRACED
#endif

/* The segment, laid out whole (at most MAXSEG bytes): its bytes and their kinds. */
#define MAXSEG (2 * HEXWIN_CHUNK + 8)
static uint8_t seg_bytes[MAXSEG], seg_kinds[MAXSEG];

struct seg {
    uint64_t size;
};

NOT_TRACED static ssize_t seg_read(void *ctx, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind,
                                   char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const struct seg *g = ctx;
    if (off >= g->size) return 0;
    if (len > g->size - off) len = (size_t)(g->size - off);
    memcpy(buf, seg_bytes + off, len);
    memcpy(kind, seg_kinds + off, len);
    return (ssize_t)len;
}

NOT_TRACED static uint64_t seg_next_data(void *ctx, uint64_t off)
{
    const struct seg *g = ctx;
    /* kinds change only at block boundaries */
    for (uint64_t o = off; o < g->size; o = (o / BLOCK + 1) * BLOCK)
        if (seg_kinds[o] == BYTE_DATA) return o;
    return g->size;
}

/* The reference: a plain scan of the data bytes. */
NOT_TRACED static bool scan(const struct seg *g, const uint8_t *pat, size_t plen, uint64_t from,
                            bool back, uint64_t *at)
{
    if (plen == 0 || plen > g->size) return false;
    uint64_t last = g->size - plen; /* the last place a match can start */
    bool have = false;
    for (uint64_t p = 0; p < g->size;) {
        if (seg_kinds[p] != BYTE_DATA) {
            p++;
            continue;
        }
        uint64_t e = p;
        while (e < g->size && seg_kinds[e] == BYTE_DATA) e++;
        /* matches in the run [p, e) */
        for (uint64_t q = p; q + plen <= e;) {
            const uint8_t *m = memmem(seg_bytes + q, (size_t)(e - q), pat, plen);
            if (!m) break;
            uint64_t pos = (uint64_t)(m - seg_bytes);
            if (pos > last) break;
            if (!back && pos >= from) return *at = pos, true;
            if (back && pos < from) *at = pos, have = true;
            if (back && pos >= from) return have;
            q = pos + 1;
        }
        p = e;
    }
    return back && have;
}

/* Fills seg_bytes and seg_kinds: the content repeated, then the blocks that are not data
 * zeroed. */
NOT_TRACED static void lay_out(const struct seg *g, const uint8_t *kinds, size_t nk,
                               const uint8_t *bytes, size_t nbytes)
{
    size_t have = nbytes < g->size ? nbytes : (size_t)g->size;
    memcpy(seg_bytes, bytes, have);
    while (have < g->size) {
        size_t n = have < g->size - have ? have : (size_t)(g->size - have);
        memcpy(seg_bytes + have, seg_bytes, n);
        have += n;
    }
    for (uint64_t b = 0; b * BLOCK < g->size; b++) {
        uint64_t o = b * BLOCK, n = g->size - o < BLOCK ? g->size - o : BLOCK;
        uint8_t k = kinds[b % nk];
        memset(seg_kinds + o, k, (size_t)n);
        if (k != BYTE_DATA) memset(seg_bytes + o, 0, (size_t)n);
    }
}

/* The viewer's way: steps of a bounded budget until found or not. */
static bool search(struct hexwin_source *src, struct hexwin_scratch *sc, const uint8_t *pat,
                   size_t plen, uint64_t from, bool back, uint64_t budget, uint64_t *at)
{
    for (int steps = 0; steps < 100000; steps++) {
        uint64_t found = 0, resume = 0;
        char err[256];
        enum hexwin_search_result r =
            hexwin_search(src, sc, pat, plen, from, back, budget, &found, &resume, err, sizeof err);
        FUZZ_CHECK(r != HS_ERROR);
        if (r == HS_FOUND) return *at = found, true;
        if (r == HS_NOT_FOUND) return false;
        /* HS_MORE: progress is made */
        FUZZ_CHECK(back ? resume < from : resume > from);
        from = resume;
    }
    FUZZ_CHECK(!"the search never ends");
    return false;
}

static struct hexwin_scratch scratch;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    if (!scratch.buf) FUZZ_CHECK(hexwin_scratch_init(&scratch));
    uint8_t flags = data[0];
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    size_t tlen = nl ? (size_t)(nl - data - 1) : size - 1;
    char text[512];
    if (tlen >= sizeof text) tlen = sizeof text - 1;
    memcpy(text, data + 1, tlen);
    text[tlen] = '\0';
    if (memchr(text, '\0', tlen)) return 0; /* a prompt never holds a NUL */

    /* goto */
    uint64_t off;
    if (parse_bytes(text, &off)) {
        char dec[32], hex[32];
        snprintf(dec, sizeof dec, "%" PRIu64, off);
        snprintf(hex, sizeof hex, "0x%" PRIx64, off);
        uint64_t a = 1, b = 2;
        FUZZ_CHECK(parse_bytes(dec, &a) && a == off);
        FUZZ_CHECK(parse_bytes(hex, &b) && b == off);
    }

    /* write */
    char path[64];
    if (vl_write_path(text, "/home/u", path, sizeof path)) {
        if (text[0] == '~' && text[1] == '/')
            FUZZ_CHECK(strncmp(path, "/home/u/", 8) == 0 && strcmp(path + 8, text + 2) == 0);
        else
            FUZZ_CHECK(strcmp(path, text) == 0);
    } else {
        FUZZ_CHECK(strlen(text) + 6 >= sizeof path);
    }

    /* search */
    uint8_t pat[HEXWIN_PATTERN_MAX];
    size_t plen;
    enum hex_pattern hp = hexdump_parse_pattern(text, pat, sizeof pat, &plen);
    FUZZ_CHECK(plen <= sizeof pat);
    FUZZ_CHECK((hp == HP_OK) == (plen > 0));
    /* text (not hex, not quoted) is taken byte for byte, or refused as too long */
    if (text[0] != '"' && !strchr(text, ' ') && !(text[0] == '0' && (text[1] | 0x20) == 'x'))
        FUZZ_CHECK(hp == (tlen > sizeof pat ? HP_TOO_LONG
                          : tlen            ? HP_OK
                                            : HP_EMPTY) &&
                   (hp != HP_OK || memcmp(pat, text, plen) == 0));
    const uint8_t *rest = nl ? nl + 1 : data + size;
    size_t rlen = (size_t)(data + size - rest);
    if (plen == 0 || rlen < 2) return 0;
    /* the segment: kinds of its 4 KiB blocks from the first bytes, content from the rest */
    size_t nk = (size_t)(rest[0] % 8) + 1;
    if (nk >= rlen) return 0;
    uint8_t kinds[8];
    for (size_t i = 0; i < nk; i++) {
        uint8_t k = rest[1 + i] % 4;
        kinds[i] = k == 3 ? BYTE_DATA : k; /* data, hole, not resident, data */
    }
    const uint8_t *bytes = rest + 1 + nk;
    size_t nbytes = rlen - 1 - nk;
    if (nbytes == 0) return 0;
    /* sizes around the viewer's reads (HEXWIN_CHUNK) are the slow ones: a few of the inputs */
    static const uint64_t sizes[] = {
        1, 4097, 65536, 65537, HEXWIN_CHUNK - 3, HEXWIN_CHUNK + 5, 2 * HEXWIN_CHUNK + 7, 100000};
    struct seg g = {flags & 0x80 ? sizes[flags % 8] : nbytes * ((flags % 5) + 1)};
    if (g.size > MAXSEG) g.size = MAXSEG;
    lay_out(&g, kinds, nk, bytes, nbytes);
    struct hexwin_source src = {&g, g.size, seg_read, seg_next_data, (flags & 0x40) != 0};
    uint64_t from = (uint64_t)((flags >> 3) & 7) * g.size / 7;
    /* a budget that makes several steps (the viewer's is HEXWIN_SEARCH_STEP) */
    uint64_t budget = flags & 0x20 ? HEXWIN_SEARCH_STEP : 64 * 1024;
    /* a real source has holes (map_files) or pages not resident (attaching), never both
     * (hexwin.h): a span skipped with next_data keeps the kind it started with */
    bool holes = false, not_resident = false;
    for (size_t i = 0; i < nk; i++) {
        holes |= kinds[i] == BYTE_HOLE;
        not_resident |= kinds[i] == BYTE_NOT_RESIDENT;
    }
    if (g.size <= 8192 && !(holes && not_resident)) {
        /* a dump's text does not depend on where its windows end */
        char *t1 = NULL, *t2 = NULL, err[256];
        size_t l1 = 0, l2 = 0;
        FILE *f1 = open_memstream(&t1, &l1), *f2 = open_memstream(&t2, &l2);
        FUZZ_CHECK(f1 && f2);
        int r1 = hexwin_print(&src, &scratch, from, g.size, 8, 1, f1, err, sizeof err);
        int r2 = hexwin_print(&src, &scratch, from, g.size, 8, 1000, f2, err, sizeof err);
        fclose(f1);
        fclose(f2);
        FUZZ_CHECK(r1 == 0 && r2 == 0 && l1 == l2 && memcmp(t1, t2, l1) == 0);
        free(t1);
        free(t2);
    }
    for (int back = 0; back < 2; back++) {
        uint64_t want = 0, got = 0;
        bool w = scan(&g, pat, plen, from, back, &want);
        bool f = search(&src, &scratch, pat, plen, from, back, budget, &got);
        FUZZ_CHECK(w == f);
        if (w) FUZZ_CHECK(want == got);
    }
    return 0;
}
