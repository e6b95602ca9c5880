"""What the benchmarks measure with: the machine, a stopwatch, and peak memory of a
process tree."""
import os
import platform
import threading
import time
from contextlib import contextmanager
from datetime import datetime

import psutil


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (f"{platform.node()}: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
            f"{mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")


@contextmanager
def stopwatch():
    """`with stopwatch() as t: ...` then `t()` is the seconds the block took."""
    start = time.perf_counter()
    end = None

    def elapsed() -> float:
        return (end or time.perf_counter()) - start
    try:
        yield elapsed
    finally:
        end = time.perf_counter()


class PeakRSS:
    """Samples the resident memory of a process and all its descendants (worker
    processes included) every `interval` seconds; `peak` is the largest sum seen,
    `peak_root` the largest of the process alone (the rest is its workers)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_root = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                self.peak_root = max(self.peak_root, self.root.memory_info().rss)
                for p in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass  # a worker that just ended
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)
