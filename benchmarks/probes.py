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
    `peak_root` the largest of the process alone (the rest is its workers), and
    `peak_child` the largest of any one descendant (an extraction worker)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_root = 0
        self.peak_child = 0
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
            try:
                total = self.root.memory_info().rss
                self.peak_root = max(self.peak_root, total)
                for p in self.root.children(recursive=True):
                    try:
                        rss = p.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue  # a worker that just ended
                    total += rss
                    self.peak_child = max(self.peak_child, rss)
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)
