"""`cchc serve` against a real Prefect server: a manual run started through the API runs,
shows its artifacts and delivers to the share folder it was given; and without
PREFECT_API_URL, `cchc serve` starts and stops a server of its own. No process outlives a test.
"""
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import httpx
import psutil
import pytest

from cli.serve import _free_port, local_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture
def prefect_server(tmp_path):
    """A `prefect server start` on loopback with a temporary PREFECT_HOME."""
    with local_server(tmp_path / "prefect-home", _free_port()) as api_url:
        yield api_url


def _env(tmp_path: Path, **extra) -> dict:
    # Not the test session's quiet console: serve.log shows what `cchc serve` logs in use.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CCHC_", "PREFECT_API_URL", "PREFECT_LOGGING_HANDLERS_CONSOLE"))}
    env.update(CCHC_INBOX=str(tmp_path / "inbox"), CCHC_STORE=str(tmp_path / "data" / "cchc.duckdb"),
               CCHC_REPORTS=str(tmp_path / "reports"), CCHC_SHARE=str(tmp_path / "share"),
               PYTHONWARNINGS="ignore", **extra)
    return env


def _start_serve(tmp_path: Path, *args, **env) -> subprocess.Popen:
    (tmp_path / "inbox").mkdir(exist_ok=True)
    for f in SEEDS.glob("*.txt"):
        shutil.copy2(f, tmp_path / "inbox" / f.name)
    with (tmp_path / "serve.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "cli.main", "serve", *args], cwd=ROOT,
                                env=_env(tmp_path, **env), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _stop(proc: subprocess.Popen) -> tuple[int, list[psutil.Process]]:
    """SIGTERM as a service manager would; the exit code and what is left of its processes."""
    family = [psutil.Process(proc.pid)] + psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=60)
    finally:  # whatever happened, leave nothing behind
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    _, alive = psutil.wait_procs(family, timeout=30)
    return code, alive


async def _served(api_url: str, serve: subprocess.Popen, timeout: float = 120,
                  home: Path | None = None) -> dict:
    """The deployments once `cchc serve` has registered all three and their schedules run;
    `home`: the Prefect home of a server `cchc serve` started, whose API wants its password."""
    from prefect.client.orchestration import PrefectClient

    from cchc.prefect_env import read_auth
    found = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert serve.poll() is None, f"cchc serve exited with {serve.returncode}"
        try:
            async with PrefectClient(api_url, auth_string=read_auth(home) if home else None) as client:
                found = {d.name: d for d in await client.read_deployments()}
        except httpx.ConnectError:
            pass  # a server `cchc serve` starts itself is not listening yet
        if len(found) == 3 and not any(d.paused for d in found.values()):
            return found
        await asyncio.sleep(1)
    raise AssertionError(f"deployments not served within {timeout} s: "
                         f"{ {name: d.paused for name, d in found.items()} }")


def _wait_idle(serve: subprocess.Popen, timeout: float = 60) -> None:
    """Until the finished run's process has exited (its final state is reported before)."""
    deadline = time.monotonic() + timeout
    while psutil.Process(serve.pid).children() and time.monotonic() < deadline:
        time.sleep(0.5)


async def _run_manual(api_url: str, parameters: dict, timeout: float = 180):
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    async with PrefectClient(api_url) as client:
        (manual,) = [d for d in await client.read_deployments() if d.name == "manual"]
        run = await client.create_flow_run_from_deployment(manual.id, parameters=parameters)
        deadline = time.monotonic() + timeout
        while not (run := await client.read_flow_run(run.id)).state.is_final():
            assert time.monotonic() < deadline, f"run still {run.state.name} after {timeout} s"
            await asyncio.sleep(1)
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
        return run, {a.key: a for a in artifacts}


def test_manual_run_through_cchc_serve(tmp_path, prefect_server):
    serve = _start_serve(tmp_path, PREFECT_API_URL=prefect_server)
    try:
        served = asyncio.run(_served(prefect_server, serve))
        assert (served["daily"].schedules[0].schedule.cron,
                served["daily"].schedules[0].schedule.timezone) == ("0 6 * * *", "Asia/Ho_Chi_Minh")
        assert served["half-year-close"].parameters["half_year"] == "just-closed"

        other_share = tmp_path / "share-for-this-run"
        other_share.mkdir()  # a share is never created by cchc (docs/reliability.md)
        run, artifacts = asyncio.run(_run_manual(
            prefect_server, {"half_year": "2024-H1", "share_dir": str(other_share)}))
        assert run.state.is_completed(), (run.state.message, (tmp_path / "serve.log").read_text())
        assert {"cchc-run-summary", "cchc-validation"} <= set(artifacts)
        counts = {row["what"]: row["count"] for row in json.loads(artifacts["cchc-run-summary"].data)}
        assert counts["files new"] == 5
        delivered = sorted(p.name for p in other_share.glob("*.xlsx"))
        assert len(delivered) == counts["reports written"]
        if counts["records extracted"]:
            assert "bao-cao-cchc-2024-H1.xlsx" in delivered
        if delivered:
            assert str(other_share) in artifacts["cchc-reports"].data
        assert not (tmp_path / "share").exists()  # the run's share_dir, not the served default
        _wait_idle(serve)
    finally:
        code, alive = _stop(serve)
    assert code == 0
    assert not alive
    # Stopped, it pauses its schedules: no runs pile up while nothing would run them.
    assert all(d.paused for d in asyncio.run(_deployments(prefect_server)))


async def _deployments(api_url: str) -> list:
    from prefect.client.orchestration import PrefectClient
    async with PrefectClient(api_url) as client:
        return await client.read_deployments()


def test_serve_starts_its_own_server_whose_api_wants_its_password_and_resumes_after_a_restart(tmp_path):
    """Without PREFECT_API_URL `cchc serve` starts a server of its own, beside the store, and
    stops it with itself; a restart finds the schedules paused and resumes them. One server
    start also serves the checks of what runs on it (_check_password_and_terminal_run)."""
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    home = tmp_path / "data" / "prefect"
    for start in ("first start", "restart"):
        serve = _start_serve(tmp_path, "--port", str(port))
        try:
            asyncio.run(_served(api_url, serve, timeout=180, home=home))
            assert (home / "prefect.db").exists()  # beside the store
            if start == "first start":
                _check_password_and_terminal_run(tmp_path, api_url, home, serve)
        finally:
            code, alive = _stop(serve)
        assert code == 0
        assert not alive, f"left running: {[p.cmdline() for p in alive]}"
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{api_url}/health", timeout=2)
        assert not (home / "serve.json").exists()  # stopped: the next `cchc run` starts its own server


def _check_password_and_terminal_run(tmp_path: Path, api_url: str, home: Path, serve: subprocess.Popen) -> None:
    """One Prefect home: `cchc run` from a terminal finds the server of the running
    `cchc serve` (serve.json in the home) and runs on it, so the office sees it in the UI.
    That server refuses requests without its password, and writes without a CSRF token."""
    from prefect.client.orchestration import PrefectClient

    auth = (home / "api-auth").read_text(encoding="utf-8").strip()
    assert (home / "api-auth").stat().st_mode & 0o077 == 0  # this user's only
    assert auth not in (tmp_path / "serve.log").read_text(encoding="utf-8")
    user, password = auth.split(":", 1)
    assert httpx.get(f"{api_url}/health", timeout=5).status_code == 200  # open for probes
    for request in (httpx.get(f"{api_url}/flows/count", timeout=5),
                    httpx.get(f"{api_url}/flows/count", auth=(user, "wrong"), timeout=5)):
        assert request.status_code == 401
    # a write without the password: refused (the CSRF check answers first)
    assert httpx.post(f"{api_url}/flow_runs/filter", json={}, timeout=5).status_code in (401, 403)
    assert httpx.get(f"{api_url}/admin/version", auth=(user, password), timeout=5).status_code == 200
    csrf = httpx.post(f"{api_url}/flow_runs/filter", json={}, auth=(user, password), timeout=5)
    assert csrf.status_code == 403 and "CSRF" in csrf.text

    (tmp_path / "share").mkdir()
    run = subprocess.run([sys.executable, "-m", "cli.main", "run"], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr

    async def terminal_runs():
        async with PrefectClient(api_url, auth_string=auth) as client:
            return [r for r in await client.read_flow_runs() if r.deployment_id is None]
    (terminal,) = asyncio.run(terminal_runs())
    assert terminal.state.is_completed()
    _wait_idle(serve)
