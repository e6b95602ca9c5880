"""Local extraction worker processes: a plain process pool, started safely, whose workers
import the extractor and nothing of Prefect.

A worker gets a batch of texts and returns frames (`cchc.budget.extract_within_budget`);
the `extract-records` task runs that Prefect shows stay in the flow's process
(flows/runners.py). Had the workers run the task runs themselves, as Prefect's
ProcessPoolTaskRunner does, each would unpickle the flow run context, and with it import
the flow (flows/pipeline.py and all it imports) and every installed Prefect collection
(prefect_dask, distributed): ~270 MB a worker instead of ~110 MB (docs/benchmarks.md).

Workers are started safely: the current folder (often the inbox, full of files from
outside) is never on their import path, so a planted `multiprocessing/` or `json.py` there
is never run; and each worker exits within a second of its parent's death, so a `kill -9`
of a run leaves no worker computing for minutes. What the extractor logs in a worker
reaches the parent's loggers, as if it had run there.
"""
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from logging.handlers import QueueHandler, QueueListener

PARENT_CHECK_S = 0.5


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` fresh ('spawn') processes; on leaving, batches not yet started
    are dropped and the ones running are waited for."""
    _no_current_folder_on_import_path()
    spawn = multiprocessing.get_context("spawn")
    logs = spawn.Queue()
    listener = QueueListener(logs, _ToParentLoggers())
    listener.start()
    pool = ProcessPoolExecutor(workers, mp_context=spawn, initializer=_start_worker,
                               initargs=(os.getpid(), logs, logging.getLogger().getEffectiveLevel()))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)
        listener.stop()


def _no_current_folder_on_import_path() -> None:
    """Workers start with 'spawn': `python -c "from multiprocessing.spawn import …"`, which
    puts the current folder first on the import path before any of our code runs, then
    copies this process's path. PYTHONSAFEPATH (Python 3.11) stops the first; dropping the
    current folder from this process's path stops the second."""
    os.environ["PYTHONSAFEPATH"] = "1"
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]


def _start_worker(parent_pid: int, logs, level: int) -> None:
    exit_with_parent(parent_pid)
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(logs)]
    root.setLevel(level)


def exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: a daemon thread that ends the worker once `parent_pid` is gone
    (its parent then changes: Linux re-parents orphans). Portable, unlike PR_SET_PDEATHSIG,
    which also fires when the parent's *thread* that started the worker ends."""
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    if os.getppid() != parent_pid:  # the parent died while this worker started
        os._exit(1)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class _ToParentLoggers(logging.Handler):
    """Hands a worker's log record to the parent's logger of the same name, so its level,
    handlers and propagation decide, as for a record logged in the parent."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)
