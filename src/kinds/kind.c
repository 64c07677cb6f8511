#include "kind.h"

#include <string.h>

#define IPC_KIND_DECLARE(index, descriptor) extern const struct ipc_kind descriptor;
IPC_KIND_LIST(IPC_KIND_DECLARE)
#undef IPC_KIND_DECLARE

#define IPC_KIND_ENTRY(index, descriptor) [index] = &descriptor,
const struct ipc_kind *const ipc_kinds[IPC_NCLASSES] = {IPC_KIND_LIST(IPC_KIND_ENTRY)};
#undef IPC_KIND_ENTRY

int kind_by_name(const char *name)
{
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (strcmp(ipc_kinds[k]->name, name) == 0) return k;
    return -1;
}

int64_t kind_field_get(const struct kind_field *f, const void *rec)
{
    const char *p = (const char *)rec + f->offset;
    switch (f->store) {
    case FS_U32: {
        uint32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    case FS_I32: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    case FS_U64: {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return (int64_t)v;
    }
    default: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    }
}

void kind_field_set(const struct kind_field *f, void *rec, uint64_t v)
{
    char *p = (char *)rec + f->offset;
    switch (f->store) {
    case FS_U32: {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, sizeof x);
        break;
    }
    case FS_I32: {
        int32_t x = (int32_t)v;
        memcpy(p, &x, sizeof x);
        break;
    }
    default: memcpy(p, &v, sizeof v); break;
    }
}

const struct kind_field *kind_field(const struct ipc_kind *k, enum ipc_field bit)
{
    for (size_t i = 0; i < k->nfields; i++)
        if (k->fields[i].bit == bit) return &k->fields[i];
    return NULL;
}

uint64_t kind_changed(enum ipc_class cls, const struct snapshot *sa, size_t a,
                      const struct snapshot *sb, size_t b, uint8_t *elem)
{
    const struct ipc_kind *k = ipc_kinds[cls];
    const void *ra = snapshot_record(sa, cls, a), *rb = snapshot_record(sb, cls, b);
    uint64_t va = ((const struct ipc_common *)ra)->valid,
             vb = ((const struct ipc_common *)rb)->valid;
    /* a field that became known, or unknown, changed too; one not read in either (no view
     * wanted it) did not */
    uint64_t m = (va ^ vb) & ~k->element_fields & ~(sa->unasked[cls] | sb->unasked[cls]);
    for (size_t i = 0; i < k->nfields; i++) {
        const struct kind_field *f = &k->fields[i];
        if ((va & vb & FBIT(f->bit)) && kind_field_get(f, ra) != kind_field_get(f, rb))
            m |= FBIT(f->bit);
    }
    if (k->changed_elements) m |= k->changed_elements(sa, a, sb, b, elem);
    return m;
}

bool kind_identical(enum ipc_class cls, const struct snapshot *sa, size_t a,
                    const struct snapshot *sb, size_t b)
{
    const struct ipc_kind *k = ipc_kinds[cls];
    if (memcmp(snapshot_record(sa, cls, a), snapshot_record(sb, cls, b), k->record_size) != 0)
        return false;
    if (!k->element_bytes) return true;
    size_t la, lb;
    const void *ea = k->element_bytes(sa, a, &la), *eb = k->element_bytes(sb, b, &lb);
    return la == lb && (la == 0 || memcmp(ea, eb, la) == 0);
}

bool kind_fields_same(enum ipc_class cls, const struct snapshot *sa, size_t a,
                      const struct snapshot *sb, size_t b)
{
    const struct ipc_kind *k = ipc_kinds[cls];
    const void *ra = snapshot_record(sa, cls, a), *rb = snapshot_record(sb, cls, b);
    uint64_t both = ((const struct ipc_common *)ra)->valid & ((const struct ipc_common *)rb)->valid;
    for (size_t i = 0; i < k->nfields; i++) {
        const struct kind_field *f = &k->fields[i];
        if (!(both & FBIT(f->bit))) continue;
        int64_t x = kind_field_get(f, ra), y = kind_field_get(f, rb);
        if ((f->flags & FF_SET_ONCE) && x != y) return false;
        if ((f->flags & FF_NEVER_BACK) && x != 0 && y == 0) return false;
    }
    return true;
}
