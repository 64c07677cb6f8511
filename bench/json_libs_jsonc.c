/* json_libs with json-c's DOM (see json_libs.h). */
#include "json_libs.h"

#include <json-c/json.h>

static void *jc_object(void)
{
    return json_object_new_object();
}

static void *jc_array(void)
{
    return json_object_new_array();
}

/* how most code fills an object: the key is copied, an existing key is looked up */
static void jc_set(void *o, const char *k, void *v)
{
    json_object_object_add(o, k, v);
}

/* json-c's fastest way: keys are literals that outlive the tree, each set once */
static void jc_set_const(void *o, const char *k, void *v)
{
    json_object_object_add_ex(o, k, v,
                              JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

static void jc_append(void *a, void *v)
{
    json_object_array_add(a, v);
}

static void *jc_integer(long long v)
{
    return json_object_new_int64(v);
}

static void *jc_real(double v)
{
    return json_object_new_double(v);
}

static void *jc_string(const char *s)
{
    return json_object_new_string(s);
}

static void *jc_boolean(bool v)
{
    return json_object_new_boolean(v);
}

static void *jc_null(void)
{
    return NULL; /* json-c's null is the NULL object */
}

static const struct dom dom_plain = {jc_object, jc_array,  jc_set,     jc_append, jc_integer,
                                     jc_real,   jc_string, jc_boolean, jc_null};
static const struct dom dom_const = {jc_object, jc_array,  jc_set_const, jc_append, jc_integer,
                                     jc_real,   jc_string, jc_boolean,   jc_null};

int json_libs_jsonc(const struct model *m, struct users *u, FILE *f, bool constant_keys)
{
    json_object *root = json_libs_build(constant_keys ? &dom_const : &dom_plain, m, u);
    const char *text = root ? json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN) : NULL;
    int r = text && fputs(text, f) != EOF && fputc('\n', f) != EOF ? 0 : -1;
    json_object_put(root);
    return r;
}

const char *json_libs_jsonc_version(void)
{
    return json_c_version();
}
