"""A time budget per article in extraction: one file can never hang a run.

Every regex that runs on article text is linear (docs/reliability.md), so the budget is
a second line of defence, for a pattern or a loop that turns out slow on text nobody
foresaw. A watchdog thread gives each article `budget_s` seconds; when one runs over, it
raises `BudgetExceeded` inside the extracting thread (CPython's PyThreadState_SetAsyncExc,
delivered at the next Python instruction: a single C call, one regex match say, finishes
first). The article is rejected with the reason, and the rest of its batch is extracted
again without it.
"""
import ctypes
import threading
import time
from collections.abc import Iterator

from transforms.extract.article import extract_batch
from transforms.read.document import Article


class BudgetExceeded(BaseException):
    """Raised in the extracting thread; a BaseException, so the per-article
    `except Exception` of extract_batch does not take it for an article's bug."""


def extract_within_budget(items: list[Article], calendar: str, budget_s: float):
    """extract_batch(items) with at most `budget_s` seconds per article; an article that
    runs over is in the errors with the reason."""
    errors = []
    while True:
        watch = _Watch(budget_s)
        try:
            articles, records, more = extract_batch(watch.track(items), calendar=calendar)
            return articles, records, errors + more
        except BudgetExceeded:
            slow = watch.current
            errors.append((slow.file, f"extraction took more than {budget_s:g} s (setting "
                                    "extract_budget_s): the text is unusually long or unusual; "
                                    "split the file or raise the setting, then run again"))
            items = [item for item in items if item is not slow]
        finally:
            watch.stop()


class _Watch:
    def __init__(self, budget_s: float):
        self.budget_s = budget_s
        self.current = None
        self._deadline = None
        self._target = threading.get_ident()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="extract-budget", daemon=True)
        self._thread.start()

    def track(self, items: list[Article]) -> Iterator[Article]:
        """The items, the clock restarted as each one is taken."""
        for item in items:
            with self._lock:
                self.current, self._deadline = item, time.monotonic() + self.budget_s
            yield item
        with self._lock:
            self._deadline = None

    def _run(self) -> None:
        while not self._stopped.wait(min(self.budget_s / 10, 0.5)):
            with self._lock:
                if self._deadline is not None and time.monotonic() > self._deadline:
                    self._deadline = None
                    _raise_in(self._target, BudgetExceeded)

    def stop(self) -> None:
        with self._lock:
            self._deadline = None
        self._stopped.set()
        self._thread.join()
        _raise_in(self._target, None)  # withdraw one that fired as the work ended


def _raise_in(thread_id: int, exc) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc else None)
