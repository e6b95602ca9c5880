"""Two `cchc run`s on one store at once: the second waits for the first, or, when it may
not wait that long, refuses with one clear line and exit code 3. The store stays whole.

The first run is paused (SIGSTOP) while it holds the store lock, so the second surely
meets the lock however long either takes to start.
"""
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from cli.main import EXIT_BUSY

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.slow

# One per batch. The first run holds the lock from its first batch to its last delivery,
# seconds even for a few files, and it is paused as soon as it is seen holding it.
FILES = 10


def _fill(inbox):
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(FILES):  # distinct contents, so each is a new article
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (inbox / f"article-{i:03d}.txt").write_text(f"{text}\n\n({i})\n", encoding="utf-8")


def _start_run(ws, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "run"], cwd=ws.root,
                            env=ws.env(CCHC_BATCH_SIZE="1", **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _pause_while_writing(ws, run: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until `run` holds the store lock (a probe takes it for an instant only), then
    stop the process there."""
    lock = FileLock(str(ws.store) + ".lock")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert run.poll() is None, f"the first run ended before it was seen writing: {run.communicate()}"
        try:
            lock.acquire(timeout=0)
        except Timeout:
            run.send_signal(signal.SIGSTOP)
            return
        lock.release()
        time.sleep(0.01)
    raise AssertionError("the first run never took the store lock")


def _wait_until_in_flow(ws, run: subprocess.Popen, timeout: float = 120) -> None:
    """Until `run`'s flow is running on the Prefect server beside the paused first run's:
    the flow takes the store lock first thing."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType

    running = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING])))
    deadline = time.monotonic() + timeout
    with SyncPrefectClient(ws.api_url) as client:
        while time.monotonic() < deadline:
            assert run.poll() is None, f"the second run ended before it waited: {run.communicate()}"
            ours = [r for r in client.read_flow_runs(flow_run_filter=running)
                    if r.parameters.get("settings", {}).get("inbox") == str(ws.inbox)]
            if len(ours) == 2:
                return
            time.sleep(0.2)
    raise AssertionError("the second run's flow never started")


def _stored(ws) -> tuple[str, int]:
    status = ws.cchc("status")
    assert status.returncode == 0, status.stderr
    return status.stdout, int(re.search(r"^số liệu\s+(\d+)", status.stdout, re.M).group(1))


def _extracted(stdout: str) -> int:
    match = re.search(r"^số liệu\s+(\d+) trích", stdout, re.M)
    return int(match.group(1)) if match else 0


@pytest.fixture
def busy_inbox(workspace):
    _fill(workspace.inbox)
    return workspace


def test_a_run_that_cannot_wait_refuses_with_a_clear_message(busy_inbox):
    ws = busy_inbox
    first = _start_run(ws)
    try:
        _pause_while_writing(ws, first)
        second = ws.cchc("run", CCHC_LOCK_TIMEOUT_S="1")
        first.send_signal(signal.SIGCONT)
        out, _ = first.communicate(timeout=300)
    finally:
        first.kill()
    assert second.returncode == EXIT_BUSY
    (message,) = second.stderr.strip().splitlines()
    assert message.startswith("cchc: lỗi: kho dữ liệu đang bận — another cchc run is writing"), message
    assert first.returncode == 0
    status, records = _stored(ws)
    assert f"{FILES} đã thấy, {FILES} bài" in status
    assert records == _extracted(out)


def test_a_run_started_during_another_waits_for_it(busy_inbox):
    ws = busy_inbox
    first = _start_run(ws)
    try:
        _pause_while_writing(ws, first)
        second = _start_run(ws, CCHC_LOCK_TIMEOUT_S="300")
        _wait_until_in_flow(ws, second)
        time.sleep(1)  # from its flow's start to asking for the lock: milliseconds
        assert second.poll() is None, second.communicate()
        first.send_signal(signal.SIGCONT)
        out_first, _ = first.communicate(timeout=300)
        out_second, err_second = second.communicate(timeout=300)
    finally:
        first.kill()
        second.kill()
    assert (first.returncode, second.returncode) == (0, 0), err_second
    assert f"{FILES} mới" in out_first
    assert f"0 mới, 0 thay đổi, {FILES} không đổi" in out_second  # it saw the first run's work
    status, records = _stored(ws)
    assert f"{FILES} đã thấy, {FILES} bài" in status
    assert records == _extracted(out_first)
