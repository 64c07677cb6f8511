#include "savefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The mode a new file gets: 0666 less the umask (mkstemp makes 0600). */
static mode_t new_file_mode(void)
{
    mode_t m = umask(022);
    umask(m);
    return 0666 & ~m;
}

/* -1 with the sentence when an existing st at path may not be written. */
static int refuse(const char *path, const struct stat *st, bool overwrite, char *err, size_t errlen)
{
    if (S_ISDIR(st->st_mode)) {
        snprintf(err, errlen, "%s is a directory", path);
        return -1;
    }
    if (!overwrite) {
        snprintf(err, errlen, "%s exists: not overwritten", path);
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        snprintf(err, errlen, "%s is not a regular file: not replaced", path);
        return -1;
    }
    return 0;
}

int savefile_check(const char *path, bool overwrite, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) < 0) return 0;
    return refuse(path, &st, overwrite, err, errlen);
}

int savefile_open(struct savefile *sf, const char *path, bool overwrite, char *err, size_t errlen)
{
    memset(sf, 0, sizeof *sf);
    sf->fd = -1;
    sf->overwrite = overwrite;
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && refuse(path, &st, overwrite, err, errlen) < 0) return -1;
    /* a temporary file in the same directory, so that putting it in place is atomic */
    const char *slash = strrchr(path, '/');
    int n = slash ? snprintf(sf->tmp, sizeof sf->tmp, "%.*s/.%s.ipctop-XXXXXX", (int)(slash - path),
                             path, slash + 1)
                  : snprintf(sf->tmp, sizeof sf->tmp, ".%s.ipctop-XXXXXX", path);
    int np = snprintf(sf->path, sizeof sf->path, "%s", path);
    if (!path[0] || n < 0 || (size_t)n >= sizeof sf->tmp || np < 0 ||
        (size_t)np >= sizeof sf->path || (slash && !slash[1])) {
        snprintf(err, errlen, "%s: not a usable file name", path);
        sf->tmp[0] = '\0';
        return -1;
    }
    sf->fd = mkostemp(sf->tmp, O_CLOEXEC);
    if (sf->fd < 0) {
        snprintf(err, errlen, "cannot create a file next to %s: %s", path, strerror(errno));
        sf->tmp[0] = '\0';
        return -1;
    }
    mode_t mode = exists ? st.st_mode & 07777 : new_file_mode();
    if (fchmod(sf->fd, mode) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        savefile_abort(sf);
        return -1;
    }
    return 0;
}

int savefile_commit(struct savefile *sf, char *err, size_t errlen)
{
    int status = 0;
    if (sf->fd >= 0) {
        if (fsync(sf->fd) < 0) {
            snprintf(err, errlen, "cannot write %s: %s", sf->path, strerror(errno));
            status = -1;
        }
        if (close(sf->fd) < 0 && status == 0) {
            snprintf(err, errlen, "cannot write %s: %s", sf->path, strerror(errno));
            status = -1;
        }
        sf->fd = -1;
    }
    if (status < 0) {
        savefile_abort(sf);
        return -1;
    }
    return savefile_publish(sf, err, errlen);
}

int savefile_publish(struct savefile *sf, char *err, size_t errlen)
{
    if (!sf->tmp[0]) {
        snprintf(err, errlen, "cannot write %s: nothing was written", sf->path);
        return -1;
    }
    int r, le;
    bool renamed = false;
    if (sf->overwrite) {
        /* refused above when not a regular file; looked at again, it may have changed */
        struct stat st;
        if (lstat(sf->path, &st) == 0 && refuse(sf->path, &st, true, err, errlen) < 0) {
            savefile_abort(sf);
            return -1;
        }
        r = rename(sf->tmp, sf->path);
        le = errno;
        renamed = r == 0;
    } else {
        /* link, not rename: a file that appeared meanwhile is not replaced */
        r = link(sf->tmp, sf->path);
        le = errno;
        if (r < 0 && (le == EPERM || le == EOPNOTSUPP || le == EMLINK)) {
            /* a file system without hard links: check, then rename */
            struct stat st;
            if (lstat(sf->path, &st) == 0)
                le = EEXIST;
            else if ((r = rename(sf->tmp, sf->path)) == 0)
                renamed = true;
            else
                le = errno;
        }
    }
    if (r < 0) {
        if (le == EEXIST)
            snprintf(err, errlen, "%s exists: not overwritten", sf->path);
        else
            snprintf(err, errlen, "cannot write %s: %s", sf->path, strerror(le));
    }
    /* after link, the temporary name; after a failure, the whole file */
    if (!renamed) unlink(sf->tmp);
    sf->tmp[0] = '\0';
    return r < 0 ? -1 : 0;
}

void savefile_abort(struct savefile *sf)
{
    if (sf->fd >= 0) close(sf->fd);
    sf->fd = -1;
    if (sf->tmp[0]) unlink(sf->tmp);
    sf->tmp[0] = '\0';
}
