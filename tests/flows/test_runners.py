"""The runner choice, the bounded, in-order hand-off of extraction batches, and workers
that start safely and die with their parent."""
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psutil

from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from cchc.settings import Settings
from flows.runners import extract_in_order, extraction_runner, in_flight

ROOT = Path(__file__).resolve().parents[2]


class FakeRunner:
    """Runs nothing: a future's result is its batch's items, and it counts what is open."""

    def __init__(self):
        self.open = 0
        self.most_open = 0

    def submit(self, task, parameters):
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        runner = self

        class Future:
            def result(self):
                runner.open -= 1
                return parameters["items"]
        return Future()


def test_results_come_in_input_order_with_a_bounded_number_in_flight():
    read = []

    def batches():
        for n in range(10):
            read.append(n)
            yield SimpleNamespace(items=[n])

    runner = FakeRunner()
    seen = []
    for batch, result in extract_in_order(runner, batches(), limit=3, calendar="decree09", budget_s=60):
        assert result == batch.items
        seen.append(result[0])
        assert len(read) - len(seen) <= 2  # files are read just ahead of the store, not all first
    assert seen == list(range(10))
    assert runner.most_open == 3


def test_local_runs_use_processes_only_when_there_is_work_for_several():
    assert isinstance(extraction_runner(Settings(workers=2), batches=5), ProcessPoolTaskRunner)
    assert isinstance(extraction_runner(Settings(workers=2), batches=1), ThreadPoolTaskRunner)
    assert isinstance(extraction_runner(Settings(workers=1), batches=5), ThreadPoolTaskRunner)


def test_a_dask_address_selects_the_dask_runner():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=1)
    assert type(runner).__name__ == "DaskTaskRunner"
    assert runner.address == "tcp://scheduler:8786"


def test_nothing_to_extract_starts_no_worker_and_contacts_no_cluster():
    runner = extraction_runner(Settings(dask_address="tcp://scheduler:8786"), batches=0)
    assert isinstance(runner, ThreadPoolTaskRunner)


def test_two_batches_per_local_worker_may_be_in_flight():
    assert in_flight(Settings(workers=3), ThreadPoolTaskRunner()) == 6


def test_local_workers_exit_with_their_parent_and_start_without_the_current_folder():
    from flows.runners import exit_with_parent
    runner = extraction_runner(Settings(workers=2), batches=5)
    assert runner._initializer is exit_with_parent
    assert "" not in sys.path and os.getcwd() not in sys.path
    assert os.environ["PYTHONSAFEPATH"] == "1"


PARENT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from flows.runners import exit_with_parent

if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent, initargs=(os.getpid(),))
    pool.submit(time.sleep, 600)
    while not pool._processes:
        time.sleep(0.05)
    print(*pool._processes, flush=True)
    time.sleep(600)
"""


def test_a_worker_dies_within_seconds_of_a_kill_9_of_its_parent(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        worker = psutil.Process(int(parent.stdout.readline()))
        time.sleep(1)  # the worker is busy sleeping in its task
        assert worker.is_running()
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(worker):
        worker.kill()
        raise AssertionError("the worker outlived its killed parent by 5 s")


def _alive(process: psutil.Process) -> bool:
    # An orphan's new parent may be slow to reap it (PID 1 in a container): a zombie is dead.
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
