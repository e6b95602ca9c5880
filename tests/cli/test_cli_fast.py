"""The command line checks its arguments before anything starts, read-only commands never
start Prefect, and each kind of failure gets its exit code and an honest message."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc.errors import EXIT_BUSY, EXIT_FAILED, EXIT_USAGE
from cchc.store import Store

ROOT = Path(__file__).resolve().parents[2]


def cchc(*args, cwd=None, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "PREFECT_"))}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd or ROOT, text=True,
                          capture_output=True, timeout=120, env={**clean, **env})


@pytest.mark.parametrize("command", ["run", "report", "export"])
def test_a_bad_half_year_is_refused_at_once_without_starting_prefect(command, tmp_path):
    start = time.monotonic()
    result = cchc(command, "--half", "2024-H3", "--store", str(tmp_path / "s.duckdb"))
    assert result.returncode == EXIT_USAGE
    assert time.monotonic() - start < 5
    assert result.stderr == ("cchc: lỗi: '2024-H3' không phải là một kỳ báo cáo; "
                             "viết dạng 2024-H1, 2024-H2 hoặc just-closed\n")
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "prefect").exists()


def test_messages_in_english_on_request(tmp_path):
    result = cchc("run", "--half", "2024-h7", "--lang", "en")
    assert (result.returncode, result.stderr) == (
        EXIT_USAGE, "cchc: error: '2024-h7' is not a half-year; write it like 2024-H1, 2024-H2 or just-closed\n")


def test_a_bad_setting_is_a_usage_error_naming_it():
    result = cchc("status", CCHC_BATCH_SIZE="many")
    assert result.returncode == EXIT_USAGE
    assert "batch_size = 'many' (environment variable CCHC_BATCH_SIZE)" in result.stderr


STATUS_WITHOUT_PREFECT = """
import sys
from cli.main import main
code = main(sys.argv[1:])
assert code == 0, code
assert not [m for m in sys.modules if m.split(".")[0] == "prefect"], "prefect was imported"
"""


def test_status_and_export_never_start_prefect(tmp_path):
    store = tmp_path / "cchc.duckdb"
    Store(store).close()
    for args in (["status"], ["export", "--half", "2024-h1"]):
        result = subprocess.run([sys.executable, "-c", STATUS_WITHOUT_PREFECT, *args, "--store", str(store)],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    assert not (tmp_path / "prefect").exists()


def test_a_store_that_cannot_be_written_is_said_so_at_once_not_busy(tmp_path):
    # /proc takes no new files, even for root: the lock file cannot be made
    start = time.monotonic()
    result = cchc("ingest", "--store", "/proc/cchc.duckdb", "--inbox", str(tmp_path),
                  CCHC_LOCK_TIMEOUT_S="30", CCHC_PREFECT_HOME=str(tmp_path / "prefect"))
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "store /proc/cchc.duckdb cannot be written" in result.stderr
    assert "another cchc run" not in result.stderr
    assert time.monotonic() - start < 30


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


def test_a_store_held_by_another_program_is_busy_not_damaged(tmp_path):
    store = tmp_path / "cchc.duckdb"
    Store(store).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        result = cchc("status", "--store", str(store))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_BUSY, result.stderr
    assert result.stderr.startswith("cchc: lỗi: kho dữ liệu đang bận — store ")
    assert f"is open in another program (process {holder.pid}" in result.stderr
    assert "backup" not in result.stderr


def test_a_prefect_home_that_cannot_be_made_is_a_setting_error(tmp_path):
    result = cchc("ingest", "--inbox", str(tmp_path), CCHC_PREFECT_HOME="/proc/cchc/prefect")
    assert result.returncode == EXIT_USAGE
    assert "prefect_home /proc/cchc/prefect cannot be created" in result.stderr


def test_half_year_values_are_normalised():
    from cli.main import half_year
    from cchc.schedule import JUST_CLOSED
    from transforms.extract.periods import HalfYear
    assert half_year(" 2024-h1 ") == HalfYear(2024, 1)
    assert half_year("Just-Closed") == JUST_CLOSED
    assert half_year(None) is None
