"""Python's multiprocessing, as its documentation uses it: a Pool, a Queue, a Lock, a
Semaphore, shared Value and Array, and a multiprocessing.shared_memory.SharedMemory block,
all kept alive (the Pool's workers too) until the process is killed. Whatever IPC objects
multiprocessing makes on this system, they exist while it sleeps.

Usage: mp_workload.py READY_FILE   (writes the pids of the processes to READY_FILE)
"""
import multiprocessing as mp
import os
import sys
import time
from multiprocessing import shared_memory


def square(x):
    return x * x


def worker(q, lock, counter, arr):
    with lock:
        counter.value += 1
        arr[0] = os.getpid()
    q.put(os.getpid())


if __name__ == "__main__":
    lock = mp.Lock()
    sem = mp.Semaphore(2)
    q = mp.Queue()
    counter = mp.Value("i", 0)
    arr = mp.Array("i", 4)
    block = shared_memory.SharedMemory(create=True, size=4096)
    block.buf[:5] = b"hello"
    procs = [mp.Process(target=worker, args=(q, lock, counter, arr)) for _ in range(2)]
    for p in procs:
        p.start()
    got = [q.get() for _ in procs]
    for p in procs:
        p.join()
    pool = mp.Pool(2)
    assert pool.map(square, range(10)) == [x * x for x in range(10)]
    with sem:
        pass
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("main %d workers %s pool %s shm %s counter %d\n"
                % (os.getpid(), got, [p.pid for p in pool._pool], block.name, counter.value))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        time.sleep(1)
