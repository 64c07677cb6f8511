/*
 * The settings of the monitor as the app holds them: loaded at the start (then -d and -s
 * applied for this run only), written at the end with only what the person changed
 * (settings.h does the file).
 */
#include "app.h"
#include "format.h"

#include <stdio.h>
#include <string.h>

static void apply_settings(struct app *a, const struct settings *s)
{
    a->kind = s->screen;
    a->delay = s->delay;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        a->lists[c].sort_col = s->sort_col[c];
        a->lists[c].descending = s->descending[c];
        memcpy(a->shown[c], s->shown[c], sizeof a->shown[c]);
    }
}

static void current_settings(const struct app *a, struct settings *s)
{
    s->screen = a->kind;
    s->delay = a->delay;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        s->sort_col[c] = a->lists[c].sort_col;
        s->descending[c] = a->lists[c].descending;
        memcpy(s->shown[c], a->shown[c], sizeof s->shown[c]);
    }
}

/* Loads the settings, then lets the command line override them. */
void app_settings_load(struct app *a)
{
    char msg[1200];
    a->settings_state = SETTINGS_NONE;
    settings_defaults(&a->settings);
    if (!settings_path(a->settings_path, sizeof a->settings_path)) {
        a->settings_path[0] = '\0';
    } else {
        a->settings_state = settings_load(a->settings_path, &a->settings, msg, sizeof msg);
        /* said once, at the start: a bad value, or a file that will not be written */
        if (msg[0]) app_message(a, true, "%s", msg);
    }
    apply_settings(a, &a->settings);
    if (a->opt->delay_given) a->delay = a->opt->delay;
    /* -s names a column of any list: every list that has it sorts by it */
    for (int k = 0; a->opt->sort && k < IPC_NCLASSES; k++) {
        int col = column_find((enum ipc_class)k, a->opt->sort);
        if (col >= 0) a->lists[k].sort_col = col;
    }
    current_settings(a, &a->started);
}

/* -s must name a column of at least one list. */
bool app_sort_option_valid(const char *name, char *err, size_t errlen)
{
    if (!name) return true;
    for (int k = 0; k < IPC_NCLASSES; k++)
        if (column_find((enum ipc_class)k, name) >= 0) return true;
    char shown[160];
    sanitize_text(shown, sizeof shown, name, strlen(name)); /* never a raw control byte */
    int off = snprintf(err, errlen, "-s: no column is named '%s'; columns are", shown);
    for (int k = 0; k < IPC_NCLASSES; k++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)k, &n);
        for (size_t i = 0; i < n && off > 0 && (size_t)off < errlen; i++) {
            bool dup = false;
            for (int j = 0; j < k && !dup; j++)
                dup = column_find((enum ipc_class)j, cols[i].name) >= 0;
            if (!dup) off += snprintf(err + off, errlen - (size_t)off, " %s", cols[i].name);
        }
    }
    return false;
}

/* Writes what the person changed during the run, and only that: -d and -s are for this
 * run, and a setting left as it started keeps the file's line (even a bad one). */
void app_settings_save(struct app *a)
{
    if (!a->settings_path[0] || a->settings_state == SETTINGS_KEPT) return;
    struct settings now;
    current_settings(a, &now);
    bool changed[SETTINGS_NKEYS];
    if (settings_diff(&a->started, &now, changed) == 0) return;
    char err[1200];
    if (settings_save(a->settings_path, &now, changed, err, sizeof err) < 0)
        fprintf(stderr, "ipctop: %s\n", err);
}
