"""A forger: what any user can do with a user namespace. Run as root of a user namespace of
its own, in a mount namespace of its own, with a tmpfs mounted on DIR: for each KEY:INODE it
makes a file named SYSV<key as 8 hex digits> whose inode number is INODE (creating files
until the number comes up), maps it shared, writes MARKER into it, then detaches the tmpfs
(umount -l): the mapping stays, and /proc/PID/maps shows it just like a System V segment's
("/SYSV0000abcd", inode = the shmid), only on another device.

Usage: forge_sysv_mapping.py DIR MARKER READY_FILE KEY:INODE...
(writes "PID DEV" to READY_FILE once the mappings are in place)
"""
import ctypes
import mmap
import os
import sys
import time

MNT_DETACH = 2

mnt, marker, ready = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
targets = sorted((int(i), int(k, 0)) for k, i in (a.split(":") for a in sys.argv[4:]))
maps, filler = [], 0
for ino, key in targets:
    path = os.path.join(mnt, "SYSV%08x" % key)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        got = os.fstat(fd).st_ino
        if got == ino:
            break
        os.close(fd)
        if got > ino:
            sys.exit("inode %d is already past %d" % (got, ino))
        os.rename(path, os.path.join(mnt, "filler%d" % filler))
        filler += 1
    os.ftruncate(fd, mmap.PAGESIZE)
    m = mmap.mmap(fd, mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    m[: len(marker)] = marker
    os.close(fd)
    maps.append(m)
dev = os.stat(mnt).st_dev
libc = ctypes.CDLL(None, use_errno=True)
if libc.umount2(mnt.encode(), MNT_DETACH) != 0:
    sys.exit("umount2: " + os.strerror(ctypes.get_errno()))
with open(ready + ".tmp", "w") as f:
    f.write("%d %d:%d\n" % (os.getpid(), os.major(dev), os.minor(dev)))
os.rename(ready + ".tmp", ready)
while True:
    time.sleep(1)
