/*
 * Harness: the parsers of /proc/sysvipc/{shm,sem,msg}. Each input is parsed as all three
 * classes, whole (procfs_parse) and in pieces of several sizes through the chunked API
 * (procfs_parse_header + procfs_parse_lines, fed as collect_procfs.c feeds them); every
 * way must give the same records and counts, and the records must be consistent. The
 * whole parse must also give what the plain reference parser gives (procfs_reference.h):
 * the fast parser accepts and refuses exactly what it did.
 */
#include <string.h>

#include "../unit/procfs_feed.h"
#include "../unit/procfs_reference.h"
#include "fuzz.h"
#include "procfs_parse.h"

static void check_snapshot(enum ipc_class cls, const struct snapshot *s,
                           const struct procfs_parse_result *res, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(snapshot_count(s, cls) == res->records);
    /* each record or bad line is a line of the input (the last may lack its newline) */
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
    FUZZ_CHECK(res->records + res->bad_lines <= lines);
    const uint64_t required = FBIT(F_KEY) | FBIT(F_ID) | FBIT(F_MODE);
    for (size_t i = 0; i < snapshot_count(s, cls); i++) {
        const struct ipc_common *c = snapshot_common(s, cls, i);
        FUZZ_CHECK((c->valid & required) == required);
        FUZZ_CHECK(c->id >= 0);
        FUZZ_CHECK(!(c->valid & FBIT(F_CTIME)) || c->ctime >= 0);
        FUZZ_CHECK(!(c->valid & (FBIT(F_SEMVAL) | FBIT(F_SEMPID) | FBIT(F_SEMCOUNT))));
    }
    size_t elems = 0;
    for (size_t i = 0; i < s->tab[IPC_SEM].n; i++) {
        FUZZ_CHECK(SNAP_SEM(s)[i].elem_off == elems);
        FUZZ_CHECK(SNAP_SEM(s)[i].nsems <= 65536);
        elems += SNAP_SEM(s)[i].nsems;
    }
    FUZZ_CHECK(elems == s->nelems);
    for (size_t i = 0; i < s->nelems; i++) FUZZ_CHECK(s->elems[i].value == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t chunks[] = {1, 2, 3, 7, 64, 4096};
    const char *text = (const char *)data;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        enum ipc_class cls = (enum ipc_class)c;
        struct snapshot whole;
        struct procfs_parse_result wres;
        snapshot_init(&whole);
        int wrc = procfs_parse(cls, text, size, &whole, &wres);
        FUZZ_CHECK(wrc == 0 || wrc == -1);
        if (wrc == 0)
            check_snapshot(cls, &whole, &wres, data, size);
        else
            FUZZ_CHECK(snapshot_count(&whole, cls) == 0);
        struct snapshot ref;
        struct procfs_parse_result rres;
        snapshot_init(&ref);
        FUZZ_CHECK(ref_procfs_parse(cls, text, size, &ref, &rres) == wrc);
        if (wrc == 0) {
            FUZZ_CHECK(rres.records == wres.records && rres.bad_lines == wres.bad_lines);
            FUZZ_CHECK(ref.nelems == whole.nelems);
            for (size_t i = 0; i < wres.records; i++)
                FUZZ_CHECK(procfs_same_record(cls, &whole, &ref, i, false));
        }
        snapshot_free(&ref);
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            /* the first piece is cut elsewhere than the rest, as reads may return less */
            size_t first = size ? (size_t)data[size / 2] % (chunks[k] + 13) : 0;
            struct snapshot part;
            struct procfs_parse_result pres;
            snapshot_init(&part);
            int prc = procfs_feed(cls, text, size, first, chunks[k], &part, &pres);
            FUZZ_CHECK(prc == wrc);
            if (wrc == 0) {
                FUZZ_CHECK(pres.records == wres.records);
                FUZZ_CHECK(pres.bad_lines == wres.bad_lines);
                FUZZ_CHECK(part.nelems == whole.nelems);
                /* every field, known or not: a field left holding stack garbage would differ
                 * between two parses of the same text */
                for (size_t i = 0; i < wres.records; i++)
                    FUZZ_CHECK(procfs_same_record(cls, &whole, &part, i, false));
            }
            snapshot_free(&part);
        }
        snapshot_free(&whole);
    }
    return 0;
}
