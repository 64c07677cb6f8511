/*
 * testutil — what the integration tests share: entering a private IPC namespace, running
 * the real ipctop binary and capturing what it prints, reading its JSON.
 *
 * Every integration test calls tu_enter_private_ns() first, so the objects it creates
 * live and die in a namespace of its own; wl_cleanup() removes them after each test.
 */
#ifndef IPCTOP_TESTUTIL_H
#define IPCTOP_TESTUTIL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Enters a private IPC namespace or fails the whole program (never the host's). */
void tu_enter_private_ns(void);

/* The next object of a kind ("shm", "sem" or "msg") is made with this id:
 * /proc/sys/kernel/KIND_next_id, the private namespace's own (fails the test otherwise). */
void tu_next_id(const char *kind, int id);

/* Path of the binary under test ($IPCTOP_BIN), of ipcload, of a test helper program. */
const char *tu_ipctop(void);
const char *tu_ipcload(void);
const char *tu_helper(const char *name);

struct tu_result {
    int status;    /* exit status, or 128+signal */
    char *out;     /* stdout, NUL-terminated */
    size_t outlen; /* its length (it may hold NUL bytes) */
    char *err;     /* stderr */
};

/* Runs argv (argv[0] is a path) and waits; captures stdout and stderr. */
struct tu_result tu_run(char *const argv[]);
void tu_result_free(struct tu_result *r);

/* A program running with its stdout on a pipe the test reads as it goes. */
struct tu_proc {
    pid_t pid;
    int out; /* read end of its stdout */
};

struct tu_proc tu_spawn(char *const argv[]);
/* Reads what the program writes until it has written something and then nothing more for
 * quiet_ms (or EOF, or timeout_ms in all). Returns a malloc'd string. */
char *tu_read_burst(struct tu_proc *p, int quiet_ms, int timeout_ms);
/* Reads everything until EOF, then waits for it; returns the output, sets *status. */
char *tu_finish(struct tu_proc *p, int *status);

/* Runs `ipctop ARGS...` (NULL-terminated). */
struct tu_result tu_ipctop_run(const char *arg, ...);

/* Runs `PROG ARGS...` (NULL-terminated; PROG a path) as nobody:nogroup without
 * supplementary groups, through setpriv. */
struct tu_result tu_run_as_nobody(const char *prog, ...);

/* Runs `ipctop --json EXTRA...`, asserts exit 0 and valid JSON, returns the document
 * (json_object_put when done). */
json_object *tu_ipctop_json(const char *extra, ...);

/* The object of class cls ("shm", "sem", "msg") with this id in a --json document. */
json_object *tu_find(json_object *doc, const char *cls, int id);

/* Field accessors that fail the test when the field is missing. */
long long tu_int(json_object *obj, const char *field);
const char *tu_str(json_object *obj, const char *field);
bool tu_is_null(json_object *obj, const char *field);

/* The unix time now, for comparing times the kernel set. */
long long tu_now(void);

/* Count of non-overlapping occurrences of needle in hay. */
size_t tu_count(const char *hay, const char *needle);

/* The line of text (without newline) that contains needle, copied into buf; false if none. */
bool tu_line_with(const char *text, const char *needle, char *buf, size_t len);

#endif
