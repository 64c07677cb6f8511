#include "settings.h"

#include "columns.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const screen_names[IPC_NCLASSES] = {"shm", "sem", "msg"};

void settings_defaults(struct settings *s)
{
    memset(s, 0, sizeof *s);
    s->screen = IPC_SHM;
    s->delay = 1.0;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        s->sort_col[c] = column_find((enum ipc_class)c, "id");
        for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++) s->shown[c][i] = cols[i].shown;
    }
}

bool settings_path(char *buf, size_t len)
{
    const char *rc = getenv("IPCTOPRC");
    if (rc && *rc) return (size_t)snprintf(buf, len, "%s", rc) < len;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return (size_t)snprintf(buf, len, "%s/ipctop/ipctoprc", xdg) < len;
    const char *home = getenv("HOME");
    if (home && *home) return (size_t)snprintf(buf, len, "%s/.config/ipctop/ipctoprc", home) < len;
    return false;
}

static int class_of(const char *name)
{
    for (int c = 0; c < IPC_NCLASSES; c++)
        if (strcmp(name, screen_names[c]) == 0) return c;
    return -1;
}

/* Parses "name=value" for one line; false when it is not a known setting with a good value. */
static bool parse_line(char *line, struct settings *s)
{
    char *eq = strchr(line, '=');
    if (!eq) return false;
    *eq = '\0';
    const char *name = line, *value = eq + 1;
    if (strcmp(name, "screen") == 0) {
        int c = class_of(value);
        if (c < 0) return false;
        s->screen = (enum ipc_class)c;
        return true;
    }
    if (strcmp(name, "delay") == 0) {
        double d;
        if (!parse_seconds(value, &d) || d < 0.05 || d > 86400) return false;
        s->delay = d;
        return true;
    }
    /* sort.<class>=<column>, order.<class>=asc|desc, columns.<class>=a,b,c */
    const char *dot = strchr(name, '.');
    if (!dot) return false;
    int c = class_of(dot + 1);
    if (c < 0) return false;
    size_t plen = (size_t)(dot - name);
    if (plen == 4 && strncmp(name, "sort", 4) == 0) {
        int col = column_find((enum ipc_class)c, value);
        if (col < 0) return false;
        s->sort_col[c] = col;
        return true;
    }
    if (plen == 5 && strncmp(name, "order", 5) == 0) {
        if (strcmp(value, "asc") && strcmp(value, "desc")) return false;
        s->descending[c] = strcmp(value, "desc") == 0;
        return true;
    }
    if (plen == 7 && strncmp(name, "columns", 7) == 0) {
        bool shown[LAYOUT_MAX_COLS] = {false};
        char buf[512];
        snprintf(buf, sizeof buf, "%s", value);
        int count = 0;
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            int col = column_find((enum ipc_class)c, t);
            if (col < 0 || col >= LAYOUT_MAX_COLS) return false;
            shown[col] = true;
            count++;
        }
        if (count == 0) return false;
        memcpy(s->shown[c], shown, sizeof shown);
        return true;
    }
    return false;
}

int settings_load(const char *path, struct settings *s, char *err, size_t errlen)
{
    settings_defaults(s);
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT) return 1;
        snprintf(err, errlen, "cannot read %s: %s; using defaults", path, strerror(errno));
        return -1;
    }
    struct settings tmp = *s;
    char line[1024];
    int lineno = 0, status = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t l = strlen(line);
        if (l && line[l - 1] != '\n' && !feof(f)) {
            status = -1;
            break;
        }
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        if (!parse_line(p, &tmp)) {
            status = -1;
            break;
        }
    }
    if (ferror(f)) status = -1;
    fclose(f);
    if (status < 0) {
        snprintf(err, errlen, "settings file %s is damaged at line %d; using defaults", path,
                 lineno);
        return -1;
    }
    *s = tmp;
    return 0;
}

/* mkdir -p of path's directory */
static int make_parent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int settings_save(const char *path, const struct settings *s, char *err, size_t errlen)
{
    if (make_parent(path) < 0) {
        snprintf(err, errlen, "cannot create the directory of %s: %s", path, strerror(errno));
        return -1;
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# ipctop settings, written by ipctop when they change\n");
    fprintf(f, "screen=%s\ndelay=%g\n", screen_names[s->screen], s->delay);
    for (int c = 0; c < IPC_NCLASSES; c++) {
        size_t n;
        const struct column *cols = columns_of((enum ipc_class)c, &n);
        fprintf(f, "sort.%s=%s\norder.%s=%s\ncolumns.%s=", screen_names[c],
                cols[s->sort_col[c]].name, screen_names[c], s->descending[c] ? "desc" : "asc",
                screen_names[c]);
        bool first = true;
        for (size_t i = 0; i < n && i < LAYOUT_MAX_COLS; i++)
            if (s->shown[c][i]) {
                fprintf(f, "%s%s", first ? "" : ",", cols[i].name);
                first = false;
            }
        fputc('\n', f);
    }
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

bool settings_equal(const struct settings *a, const struct settings *b)
{
    if (a->screen != b->screen || a->delay != b->delay) return false;
    for (int c = 0; c < IPC_NCLASSES; c++) {
        if (a->sort_col[c] != b->sort_col[c] || a->descending[c] != b->descending[c]) return false;
        if (memcmp(a->shown[c], b->shown[c], sizeof a->shown[c])) return false;
    }
    return true;
}
