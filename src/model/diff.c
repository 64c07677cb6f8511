#include "model.h"

#include "kind.h"

#include <stdlib.h>
#include <string.h>

const char *obj_state_name(enum obj_state s)
{
    switch (s) {
    case OBJ_NEW: return "new";
    case OBJ_CHANGED: return "chg";
    case OBJ_GONE: return "gone";
    default: return "";
    }
}

bool model_same_object(enum ipc_class cls, const struct snapshot *sa, size_t a,
                       const struct snapshot *sb, size_t b)
{
    const struct ipc_kind *k = kind_of(cls);
    return k->same_object ? k->same_object(sa, a, sb, b) : kind_fields_same(cls, sa, a, sb, b);
}

static uint64_t changed_fields(enum ipc_class cls, const struct snapshot *sa, size_t a,
                               const struct snapshot *sb, size_t b, uint8_t *elem)
{
    return kind_changed(cls, sa, a, sb, b, elem);
}

uint64_t model_changed_fields(enum ipc_class cls, const struct snapshot *sa, size_t a,
                              const struct snapshot *sb, size_t b)
{
    return changed_fields(cls, sa, a, sb, b, NULL);
}

static int diff_class(enum ipc_class cls, const struct snapshot *prev, const struct snapshot *cur,
                      struct class_diff *cd)
{
    size_t np = prev ? snapshot_count(prev, cls) : 0, nc = snapshot_count(cur, cls);
    cd->ncur = nc;
    cd->cur = calloc(nc ? nc : 1, sizeof *cd->cur);
    cd->gone = malloc((np ? np : 1) * sizeof *cd->gone);
    if (!cd->cur || !cd->gone) return -1;
    if (kind_of(cls)->element_fields && !(cd->elem = calloc(cur->nelems ? cur->nelems : 1, 1)))
        return -1;
    if (!prev) {
        for (size_t i = 0; i < nc; i++) cd->cur[i] = (struct obj_diff){OBJ_SAME, -1, 0};
        return 0;
    }
    /* both are sorted by id: one merge pass */
    size_t i = 0, j = 0;
    while (i < np || j < nc) {
        int32_t pid = i < np ? snapshot_common(prev, cls, i)->id : INT32_MAX;
        int32_t cid = j < nc ? snapshot_common(cur, cls, j)->id : INT32_MAX;
        if (i < np && (j >= nc || pid < cid)) {
            cd->gone[cd->ngone++] = i++;
        } else if (j < nc && (i >= np || cid < pid)) {
            cd->cur[j++] = (struct obj_diff){OBJ_NEW, -1, 0};
            cd->nnew++;
        } else if (kind_identical(cls, prev, i, cur, j)) {
            /* byte for byte the same: the same object, nothing changed (most of them) */
            cd->cur[j++] = (struct obj_diff){OBJ_SAME, (int64_t)i++, 0};
        } else if (!model_same_object(cls, prev, i, cur, j)) {
            cd->gone[cd->ngone++] = i++;
            cd->cur[j++] = (struct obj_diff){OBJ_NEW, -1, 0};
            cd->nnew++;
        } else {
            uint64_t m = changed_fields(cls, prev, i, cur, j, cd->elem);
            cd->cur[j] = (struct obj_diff){m ? OBJ_CHANGED : OBJ_SAME, (int64_t)i, m};
            if (m) cd->nchanged++;
            i++;
            j++;
        }
    }
    return 0;
}

int snapshot_diff(const struct snapshot *prev, const struct snapshot *cur, struct snapshot_diff *d)
{
    memset(d, 0, sizeof *d);
    d->prev = prev;
    d->cur = cur;
    d->dt = prev ? cur->monotonic - prev->monotonic : 0;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        if (diff_class((enum ipc_class)c, prev, cur, &d->cls[c]) < 0) {
            snapshot_diff_free(d);
            return -1;
        }
    }
    return 0;
}

void snapshot_diff_free(struct snapshot_diff *d)
{
    for (int c = 0; c < IPC_NCLASSES; c++) {
        free(d->cls[c].cur);
        free(d->cls[c].gone);
        free(d->cls[c].elem);
    }
    memset(d, 0, sizeof *d);
}

bool model_rate(const struct snapshot_diff *d, enum ipc_class cls, size_t i, enum ipc_field f,
                double *per_s)
{
    if (!d->prev || d->dt <= 0 || i >= d->cls[cls].ncur) return false;
    const struct obj_diff *od = &d->cls[cls].cur[i];
    const struct kind_field *kf = kind_field(kind_of(cls), f);
    if (od->prev < 0 || !kf) return false;
    const void *a = snapshot_record(d->prev, cls, (size_t)od->prev);
    const void *b = snapshot_record(d->cur, cls, i);
    const uint64_t need = FBIT(f);
    if ((((const struct ipc_common *)a)->valid & ((const struct ipc_common *)b)->valid & need) !=
        need)
        return false;
    *per_s = ((double)kind_field_get(kf, b) - (double)kind_field_get(kf, a)) / d->dt;
    return true;
}
