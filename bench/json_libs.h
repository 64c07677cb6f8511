/*
 * json_libs — the pieces of bench/json_libs (bench only): one document builder over any
 * DOM, and one file per library, since json-c and jansson cannot share a translation unit
 * (both declare json_object, json_type, ...).
 */
#ifndef IPCTOP_BENCH_JSON_LIBS_H
#define IPCTOP_BENCH_JSON_LIBS_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "snapshot.h"
#include "users.h"
#include "who.h"

/* A JSON library's tree, seen through void pointers. set and append take ownership. */
struct dom {
    void *(*object)(void);
    void *(*array)(void);
    void (*set)(void *obj, const char *key, void *val);
    void (*append)(void *arr, void *val);
    void *(*integer)(long long v);
    void *(*real)(double v);
    void *(*string)(const char *s);
    void *(*boolean)(bool v);
    void *(*null)(void);
};

/* The document output_json() writes (docs/json-schema.md), as a tree of d. */
void *json_libs_build(const struct dom *d, const struct model *m, struct users *u);

/* Build, serialize to f, free. 0, or -1 when something failed. */
int json_libs_jsonc(const struct model *m, struct users *u, FILE *f, bool constant_keys);
int json_libs_jansson(const struct model *m, struct users *u, FILE *f);

const char *json_libs_jsonc_version(void);
const char *json_libs_jansson_version(void);

#endif
