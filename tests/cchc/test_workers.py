"""Local extraction workers (cchc/workers.py): started without the current folder on their
import path, dead within seconds of their parent, and their log records reach the parent."""
import importlib.util
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from cchc.workers import process_pool

ROOT = Path(__file__).resolve().parents[2]


def test_a_module_in_the_current_folder_is_not_importable_in_a_worker(tmp_path, monkeypatch):
    (tmp_path / "planted.py").write_text("raise SystemExit('planted code ran')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # as when `cchc` is run from the inbox: the folder on this process's path too
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), *sys.path])
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)  # an earlier pool set it in this process
    with process_pool(1) as pool:
        assert pool.submit(importlib.util.find_spec, "planted").result() is None
        assert pool.submit(importlib.util.find_spec, "json").result() is not None  # the check can see


def test_a_workers_log_record_reaches_the_parents_logger(caplog):
    with caplog.at_level(logging.WARNING), process_pool(1) as pool:
        pool.submit(logging.getLogger("transforms.read.clean").warning, "cut %d%%", 90).result()
    # the record is handed over by the pool's listener thread, which is stopped on leaving the pool
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("transforms.read.clean", logging.WARNING, "cut 90%")]


PARENT = """
import os, sys, time
from cchc.workers import process_pool

if __name__ == "__main__":
    with process_pool(1) as pool:
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
