"""Where extraction batches run: the one place that chooses the task runner.

Extraction is CPU-bound pure Python, so threads do not make it faster (the GIL; see
docs/benchmarks.md). Batches therefore go to

- a Dask cluster when `dask_address` is set (docs/scaling.md);
- else a local pool of `workers` processes (0 = one per core);
- else, with `workers = 1`, a single batch or none, the flow's own process, which then pays
  nothing for starting workers.

Only extraction is submitted: reading, validation and the store writes stay in the
flow's process, so one process writes the store. At most `in_flight` batches are read
ahead of the store, so the batches held in memory do not grow with the inbox.

Local workers are started safely: the current folder (often the inbox, full of files
from outside) is never on their import path, so a planted `multiprocessing/` or `json.py`
there is never run; and each worker exits within a second of its parent's death, so a
`kill -9` of a run leaves no worker computing for minutes.
"""
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from cchc.budget import extract_within_budget
from cchc.errors import SettingsError
from cchc.settings import Settings
from transforms.read.document import Article

# Batches queued per worker: one running, one ready, so a worker never waits on the flow.
QUEUED_PER_WORKER = 2


# The one task that leaves the flow's process: it gets texts and returns frames, so a
# worker needs the code but none of the inbox, store or share folders.
@task(name="extract-records", cache_policy=NO_CACHE)
def extract_records(items: list[Article], calendar: str, budget_s: float):
    return extract_within_budget(items, calendar, budget_s)


def extraction_runner(cfg: Settings, batches: int) -> TaskRunner:
    """A task runner (a context manager) for a run with `batches` extraction batches."""
    if not batches:  # nothing new: start no worker, connect to no cluster
        return ThreadPoolTaskRunner(max_workers=1)
    if cfg.dask_address:
        try:
            from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for
        except ImportError:
            raise SettingsError("dask_address is set but the optional Dask packages are not "
                                "installed: uv pip install -r requirements-dev.lock, or "
                                "pip install 'cchc-report[dask]'", setting="dask_address") from None
        return DaskTaskRunner(address=cfg.dask_address)
    workers = min(local_workers(cfg), batches)
    if workers <= 1:
        return ThreadPoolTaskRunner(max_workers=1)
    _no_current_folder_on_import_path()
    return ProcessPoolTaskRunner(max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),))


def _no_current_folder_on_import_path() -> None:
    """Prefect starts workers with 'spawn': `python -c "from multiprocessing.spawn import …"`,
    which puts the current folder first on the import path before any of our code runs,
    then copies this process's path. PYTHONSAFEPATH (Python 3.11) stops the first; dropping
    the current folder from this process's path stops the second."""
    os.environ["PYTHONSAFEPATH"] = "1"
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]


PARENT_CHECK_S = 0.5


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


def local_workers(cfg: Settings) -> int:
    return cfg.workers or os.cpu_count() or 1


def in_flight(cfg: Settings, runner: TaskRunner) -> int:
    """How many batches may be submitted and not yet stored."""
    if isinstance(runner, (ProcessPoolTaskRunner, ThreadPoolTaskRunner)):
        workers = local_workers(cfg)
    else:  # Dask: the cluster's size at run time
        workers = sum(runner.client.nthreads().values())
    return QUEUED_PER_WORKER * max(workers, 1)


def extract_in_order(runner: TaskRunner, batches: Iterable, limit: int, calendar: str,
                     budget_s: float) -> Iterator[tuple]:
    """(batch, extract_batch's result for its `items`) for each batch, in input order,
    with at most `limit` batches submitted and not yet consumed; `batches` is advanced
    only when there is room, so it may read files lazily."""
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, runner.submit(extract_records, {"items": batch.items, "calendar": calendar,
                                                              "budget_s": budget_s})))
        if len(pending) >= limit:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
