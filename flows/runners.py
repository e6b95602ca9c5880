"""Where extraction batches run: the one place that chooses the task runner.

Extraction is CPU-bound pure Python, so threads do not make it faster (the GIL; see
docs/benchmarks.md). Batches therefore go to

- a Dask cluster when `dask_address` is set (docs/scaling.md);
- else a local pool of `workers` processes (0 = one per core): plain processes that import
  only the extractor (cchc/workers.py), each batch's task run a thread of the flow's
  process that waits for its batch;
- else, with `workers = 1`, a single batch or none, the flow's own process, which then pays
  nothing for starting workers.

Only extraction is submitted: reading, validation and the store writes stay in the
flow's process, so one process writes the store. At most `in_flight` batches are read
ahead of the store, so the batches held in memory do not grow with the inbox.
"""
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from contextlib import ExitStack

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from cchc.budget import extract_within_budget
from cchc.errors import SettingsError
from cchc.settings import Settings
from cchc.workers import process_pool
from transforms.read.document import Article

# Batches queued per worker: one running, one ready, so a worker never waits on the flow.
QUEUED_PER_WORKER = 2


# The one task whose work leaves the flow's process: it gets texts and returns frames, so a
# worker needs the code but none of the inbox, store or share folders.
@task(name="extract-records", cache_policy=NO_CACHE)
def extract_records(items: list[Article], calendar: str, budget_s: float, pool: Executor | None = None):
    """Extracts where the task runs (a Dask worker, the flow's process) or, given `pool`,
    in one of its processes while this task run waits."""
    if pool is None:
        return extract_within_budget(items, calendar, budget_s)
    return pool.submit(extract_within_budget, items, calendar, budget_s).result()


class LocalProcesses(ThreadPoolTaskRunner):
    """Local extraction on `workers` processes. Each `extract-records` task run is a thread
    of the flow's process that hands its batch to `pool` and waits for it, so the workers
    run no Prefect (cchc/workers.py). A thread per batch in flight: each submitted batch
    is queued in the pool at once, so a worker never waits on the flow."""

    def __init__(self, workers: int):
        super().__init__(max_workers=QUEUED_PER_WORKER * workers)
        self.workers = workers
        self.pool: Executor | None = None

    def __enter__(self):
        with ExitStack() as stack:  # undone in reverse order on leaving, or if the pool fails to start
            super().__enter__()
            stack.push(super().__exit__)
            # left first: batches not yet started are dropped, so the threads waiting on them end
            self.pool = stack.enter_context(process_pool(self.workers))
            self._leave = stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        self._leave.__exit__(*exc)


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
    return LocalProcesses(workers)


def local_workers(cfg: Settings) -> int:
    return cfg.workers or os.cpu_count() or 1


def in_flight(cfg: Settings, runner: TaskRunner) -> int:
    """How many batches may be submitted and not yet stored."""
    if isinstance(runner, ThreadPoolTaskRunner):  # LocalProcesses is one
        workers = local_workers(cfg)
    else:  # Dask: the cluster's size at run time
        workers = sum(runner.client.nthreads().values())
    return QUEUED_PER_WORKER * max(workers, 1)


def extract_in_order(runner: TaskRunner, batches: Iterable, limit: int, calendar: str,
                     budget_s: float) -> Iterator[tuple]:
    """(batch, extract_batch's result for its `items`) for each batch, in input order,
    with at most `limit` batches submitted and not yet consumed; `batches` is advanced
    only when there is room, so it may read files lazily."""
    pool = {"pool": quote(runner.pool)} if isinstance(runner, LocalProcesses) else {}
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, runner.submit(extract_records, {"items": batch.items, "calendar": calendar,
                                                              "budget_s": budget_s, **pool})))
        if len(pending) >= limit:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
