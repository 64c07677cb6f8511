/* json_libs with jansson's DOM (see json_libs.h). */
#include "json_libs.h"

#include <jansson.h>

static void *ja_object(void)
{
    return json_object();
}

static void *ja_array(void)
{
    return json_array();
}

static void ja_set(void *o, const char *k, void *v)
{
    json_object_set_new(o, k, v);
}

static void ja_append(void *a, void *v)
{
    json_array_append_new(a, v);
}

static void *ja_integer(long long v)
{
    return json_integer(v);
}

static void *ja_real(double v)
{
    return json_real(v);
}

static void *ja_string(const char *s)
{
    return json_string(s);
}

static void *ja_boolean(bool v)
{
    return json_boolean(v);
}

static void *ja_null(void)
{
    return json_null();
}

static const struct dom dom_jansson = {ja_object, ja_array,  ja_set,     ja_append, ja_integer,
                                       ja_real,   ja_string, ja_boolean, ja_null};

int json_libs_jansson(const struct model *m, struct users *u, FILE *f)
{
    json_t *root = json_libs_build(&dom_jansson, m, u);
    /* json_dumpf streams the text out; only the tree is held in memory */
    int r = root && json_dumpf(root, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(root);
    return r;
}

const char *json_libs_jansson_version(void)
{
    return jansson_version_str();
}
