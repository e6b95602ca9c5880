"""Shared fixtures: one Prefect server for the whole session, and a CLI runner.

The server is Prefect's own test harness (a real API server on loopback with a temporary
database). In-process flow calls use it directly; `cchc` subprocesses reach it through
PREFECT_API_URL, so no test pays for a temporary server of its own.
"""
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from cchc import prefect_env

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

prefect_env.configure(quiet_console=True)


@pytest.fixture(scope="session")
def prefect_api_url():
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        prefect_env.quiet_shutdown_loggers()
        yield PREFECT_API_URL.value()


@dataclass
class Workspace:
    """Folders of one test's run: its own inbox, store, reports and share."""
    root: Path
    inbox: Path
    store: Path
    reports: Path
    share: Path
    api_url: str

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
        env.update(CCHC_INBOX=str(self.inbox), CCHC_STORE=str(self.store),
                   CCHC_REPORTS=str(self.reports), CCHC_SHARE=str(self.share),
                   PREFECT_API_URL=self.api_url, PYTHONWARNINGS="ignore",
                   # the files a test writes are complete; an idle-fast run starting within
                   # the default 2 s of writing them would leave them for the next run
                   CCHC_MIN_FILE_AGE_S="0")
        env.update(extra)
        return env

    def cchc(self, *args, timeout: float = 300, **env) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=self.root,
                              env=self.env(**env), capture_output=True, text=True, timeout=timeout)

    def settings(self) -> dict:
        return {"inbox": str(self.inbox), "store": str(self.store),
                "reports": str(self.reports), "share": str(self.share)}


def make_workspace(root: Path, api_url: str) -> Workspace:
    """An empty inbox and share under `root`; store and reports are made by the run."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    (root / "share").mkdir()  # delivery never creates the share folder
    return Workspace(root, inbox, root / "data" / "cchc.duckdb", root / "reports",
                     root / "share", api_url)


def copy_seeds(ws: Workspace) -> Workspace:
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(f, ws.inbox / f.name)
    return ws


@pytest.fixture
def workspace(tmp_path, prefect_api_url) -> Workspace:
    return make_workspace(tmp_path, prefect_api_url)


@pytest.fixture
def seeded(workspace) -> Workspace:
    """A workspace whose inbox holds the five seed articles."""
    return copy_seeds(workspace)


@pytest.fixture
def deep_folder():
    """make(parent, depth): `depth` nested folders "d" under `parent`, the deepest returned
    as a string. Removed after the test without recursion: pytest's clean-up of old
    temporary folders (shutil.rmtree) recurses, and would fail every later session."""
    made = []

    def make(parent: Path, depth: int) -> str:
        top = path = str(parent / "d")
        os.mkdir(path)
        for _ in range(depth - 1):  # mkdir(parents=True) recurses too
            path += "/d"
            os.mkdir(path)
        made.append(top)
        return path

    yield make
    for top in made:
        stack = [(top, False)]
        while stack:
            path, emptied = stack.pop()
            if os.path.islink(path) or not os.path.isdir(path):
                os.unlink(path)
            elif emptied:
                os.rmdir(path)
            else:
                stack.append((path, True))
                stack.extend((os.path.join(path, n), False) for n in os.listdir(path))
