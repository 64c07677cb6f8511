/*
 * savefile — writing a file that is never seen half written: a temporary file in the same
 * directory (so that putting it in place is one atomic link or rename), synced to the disk,
 * then put in place; on any failure removed. Used by the viewer's w and by --dump --output
 * (hexwin_write_file for bytes, a stream of out_open_file for a hexdump).
 *
 * An existing name is refused unless overwrite, and then only a regular file is replaced
 * (whole, keeping its mode): never a device, a pipe, a socket or a symbolic link — a
 * temporary file renamed over /dev/null would replace the device for everyone. Without
 * overwrite, a file that appears meanwhile is not replaced either (link, not rename, where
 * the file system has hard links). New files get 0666 less the umask.
 *
 * Problems are one sentence in err ("cannot write F: No space left on device"); nothing is
 * printed. Calls libc only.
 */
#ifndef IPCTOP_SAVEFILE_H
#define IPCTOP_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>

struct savefile {
    char path[4096];
    char tmp[4096]; /* the temporary file's name, "" when there is none */
    int fd;         /* its descriptor, -1 once closed (or handed to a stream) */
    bool overwrite;
};

/*
 * Whether path may be written: 0, or -1 with a sentence ("F exists: not overwritten",
 * "F is a directory", "F is not a regular file: not replaced"). A first look before a long
 * job; savefile_open looks again.
 */
int savefile_check(const char *path, bool overwrite, char *err, size_t errlen);

/* Creates the temporary file next to path (sf->fd). Returns 0, or -1 with a sentence. */
int savefile_open(struct savefile *sf, const char *path, bool overwrite, char *err, size_t errlen);

/* Syncs and closes the temporary file, then puts it in place. Returns 0, or -1 with a
 * sentence and the temporary file removed. */
int savefile_commit(struct savefile *sf, char *err, size_t errlen);

/* Puts the temporary file in place when its descriptor was synced and closed by its
 * owner (a stream: out_open_file, out_finish). 0, or -1 with a sentence, the file removed. */
int savefile_publish(struct savefile *sf, char *err, size_t errlen);

/* Closes and removes the temporary file, if any. */
void savefile_abort(struct savefile *sf);

#endif
