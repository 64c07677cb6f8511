/* Writing a range of a segment's bytes to a file, sparse, through savefile.h (hexwin.h). */
#include "hexwin.h"

#include "content.h"
#include "savefile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_at(int fd, const uint8_t *p, size_t n, off_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return 0;
}

/* Writes what [lo, hi) holds to fd at its offset less lo; -1 with a sentence. */
static int copy_range(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t lo,
                      uint64_t hi, int fd, const char *path, char *err, size_t errlen)
{
    char e[256];
    for (uint64_t at = lo; at < hi;) {
        uint64_t len = hi - at < HEXWIN_CHUNK ? hi - at : HEXWIN_CHUNK;
        e[0] = '\0';
        ssize_t got = s->read(s->ctx, at, (size_t)len, sc->buf, sc->kind, e, sizeof e);
        if (got <= 0) {
            snprintf(err, errlen, "%s", got < 0 && e[0] ? e : "the segment ended early");
            return -1;
        }
        for (size_t i = 0; i < (size_t)got;) {
            uint8_t k = sc->kind[i];
            size_t j = i;
            while (j < (size_t)got && sc->kind[j] == k) j++;
            if (k == BYTE_NOT_RESIDENT || k == BYTE_UNREADABLE) {
                snprintf(err, errlen, "the bytes at offset 0x%" PRIx64 " (%" PRIu64 ") %s", at + i,
                         at + i,
                         k == BYTE_UNREADABLE
                             ? "are unreadable"
                             : "are not resident: reading them would allocate memory");
                return -1;
            }
            if (k == BYTE_DATA && write_at(fd, sc->buf + i, j - i, (off_t)(at + i - lo)) < 0) {
                snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
                return -1;
            } /* a hole stays a hole of the file: nothing written */
            i = j;
        }
        uint64_t cend = at + (uint64_t)got;
        at = cend;
        /* the chunk ended in a hole: jump to where the data resumes */
        if (sc->kind[got - 1] == BYTE_HOLE && cend < hi) {
            uint64_t d = s->next_data(s->ctx, cend);
            if (d > cend) at = d < hi ? d : hi;
        }
    }
    /* a hole at the end is the file's size, with nothing written */
    if (ftruncate(fd, (off_t)(hi - lo)) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int hexwin_write_file(const struct hexwin_source *s, struct hexwin_scratch *sc, uint64_t lo,
                      uint64_t hi, const char *path, bool overwrite, char *err, size_t errlen)
{
    if (hi > s->size) hi = s->size;
    if (lo > hi) lo = hi;
    struct savefile sf;
    if (savefile_open(&sf, path, overwrite, err, errlen) < 0) return -1;
    if (copy_range(s, sc, lo, hi, sf.fd, path, err, errlen) < 0) {
        savefile_abort(&sf);
        return -1;
    }
    return savefile_commit(&sf, err, errlen);
}
