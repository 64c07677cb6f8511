/*
 * content — reading the bytes of a segment and the messages of a queue, with as few side
 * effects as the kernel allows. An action (DESIGN.md): it re-checks its object each time.
 *
 * Segments, two paths:
 *   - side-effect free, when a process has the segment mapped and we may open its
 *     /proc/PID/map_files entry (CAP_SYS_ADMIN): pread on the segment's own file. nattch,
 *     lpid and atime do not move, and holes (pages never written) are found with
 *     SEEK_DATA/SEEK_HOLE and read as nothing: no memory is allocated for them. The file's
 *     inode must be the shmid, so a reused mapping address cannot mislead.
 *   - attaching, when nothing has it mapped: shmat(SHM_RDONLY), mincore() to skip pages
 *     that are not resident (reading them would allocate them, or raise SIGBUS on hugetlb
 *     without free huge pages), a SIGBUS/SIGSEGV guard around the copy, shmdt at once.
 *     Everyone sees nattch, lpid and atime change: the caller must say so.
 * Neither path ever writes to a segment, and only the bytes asked for are read.
 *
 * Queues: msgrcv with MSG_COPY | IPC_NOWAIT copies the message at an index without
 * removing it (needs CONFIG_CHECKPOINT_RESTORE; ENOSYS says it is missing).
 */
#ifndef IPCTOP_CONTENT_H
#define IPCTOP_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shmdev.h"

enum content_path {
    CONTENT_NONE,
    CONTENT_MAPFILE, /* pread through an attacher's /proc/PID/map_files entry */
    CONTENT_ATTACH,  /* shmat(SHM_RDONLY) for the time of one read */
};

/* What a byte of a read is. */
enum byte_kind {
    BYTE_DATA = 0,
    BYTE_HOLE,         /* never written: reads as 0, nothing allocated (map_files path) */
    BYTE_NOT_RESIDENT, /* not in memory: not read, so as not to allocate or swap it in */
    BYTE_UNREADABLE,   /* reading faulted (SIGBUS/SIGSEGV) */
};

struct shm_reader {
    int shmid;
    uint64_t size;
    enum content_path path;
    int32_t via_pid; /* map_files: whose mapping */
    uint64_t map_start, map_end;
    char why_attach[160]; /* attach path: why the side-effect-free path was not possible */
    struct shm_devs devs; /* where segments' files live: a mapping elsewhere is not one */
};

/*
 * Opens segment shmid for reading: finds an attacher's mapping (scanning /proc/PID/maps of
 * the processes of our IPC namespace) and checks that map_files works, else falls back to
 * attaching. Returns 0, or -1 with a sentence in err (no such segment, permission denied).
 */
int content_open(struct shm_reader *r, int shmid, char *err, size_t errlen);
/* The same, trying first the nknown mappings a snapshot found (who.h: the attachers), so
 * that a screen that knows them does not read every process's maps again. Each is checked
 * as a scanned one is: its map_files entry must be the segment's file. */
struct shm_mapping;
int content_open_via(struct shm_reader *r, int shmid, const struct shm_mapping *known,
                     size_t nknown, char *err, size_t errlen);

/*
 * Reads [off, off + len) into buf (bytes past the end of the segment are not read) and
 * says for every byte what it is (kind may be NULL). Returns the number of bytes covered,
 * or -1 with a sentence in err. A fault does not fail the read: those bytes are
 * BYTE_UNREADABLE and err says "unreadable at offset X".
 */
ssize_t content_read(struct shm_reader *r, uint64_t off, size_t len, uint8_t *buf, uint8_t *kind,
                     char *err, size_t errlen);

/* The next offset >= off that holds data (skipping holes and pages not resident), or the
 * segment's size when none. Cheap on the map_files path (SEEK_DATA); on the attaching path
 * it asks mincore window by window. When the mapping can no longer be opened it returns off
 * (the next content_read finds another way, and says so) rather than attaching silently. */
uint64_t content_next_data(struct shm_reader *r, uint64_t off);
/* The same, looking no further than limit: returns limit when no data comes before it. */
uint64_t content_next_data_within(struct shm_reader *r, uint64_t off, uint64_t limit);

/* A segment's metadata now, by IPC_STAT (no side effects): 0, or -1 with errno. */
struct shm_meta {
    uint32_t key;
    bool removed; /* SHM_DEST: IPC_RMID'd, kept for its attachers */
    uint64_t nattch;
    uint64_t size;
};
int content_stat(int shmid, struct shm_meta *m);

/* "side-effect free, through process 1234's mapping" / "attached read-only: ..." */
const char *content_path_text(const struct shm_reader *r, char *buf, size_t len);

/* One message of a queue, copied, not removed. */
struct queue_message {
    long type;
    size_t size;   /* the message's size */
    uint8_t *data; /* its first bytes (up to the limit asked), malloc'd */
    size_t have;   /* how many of them */
};

/*
 * Copies up to max messages of queue msqid (each's first `prefix` bytes). Returns how many,
 * or -1 with a sentence in err (no such queue, permission denied, no MSG_COPY support).
 */
ssize_t content_peek(int msqid, size_t max, size_t prefix, struct queue_message *out, char *err,
                     size_t errlen);
void content_peek_free(struct queue_message *m, size_t n);

#endif
