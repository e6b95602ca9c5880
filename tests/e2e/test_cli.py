"""The pipeline end to end through the `cchc` command line, on the seed articles."""
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cchc.store import Store
from tests.conftest import copy_seeds, make_workspace
from transforms.schema import EXPORT_FIELDS

pytestmark = pytest.mark.slow


def _records(ws):
    with Store(ws.store, read_only=True) as store:
        return store.records()


@pytest.fixture(scope="module")
def ran_seeds(tmp_path_factory, prefect_api_url):
    """One `cchc run` on the seeds and its result, shared by the tests that only read what
    it left (each test that changes the inbox or store runs on a workspace of its own)."""
    ws = copy_seeds(make_workspace(tmp_path_factory.mktemp("ran-seeds"), prefect_api_url))
    return ws, ws.cchc("run")


def test_run_on_seeds_writes_store_reports_and_share(ran_seeds):
    seeded, result = ran_seeds
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "5 mới" in result.stdout
    reports = sorted(p.name for p in seeded.reports.glob("*.xlsx"))
    assert "bao-cao-cchc-2024-H1.xlsx" in reports
    assert sorted(p.name for p in seeded.share.glob("*.xlsx")) == reports
    assert _records(seeded).height > 0
    # the seed figures in their places, read back by a real reader from the share
    h1 = openpyxl.load_workbook(seeded.share / "bao-cao-cchc-2024-H1.xlsx")
    assert h1.sheetnames == SHEETS
    assert ("Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành", "400") in _rows(h1["Tổng quan"])
    assert any(r[3:5] == (400, 991) for r in _rows(h1["Chi tiết"]))
    # Hậu Giang's PAR INDEX for 2021, stated in an article of 2022-H2
    h2 = openpyxl.load_workbook(seeded.share / "bao-cao-cchc-2022-H2.xlsx")
    assert ("PAR INDEX", "Hậu Giang", "2021", "27/63", 1) in _rows(h2["Xếp hạng chỉ số"])


SHEETS = ["Tổng quan", "Phụ lục", "Theo lĩnh vực", "Theo địa phương", "Xếp hạng chỉ số", "Mục tiêu",
          "Xu hướng", "Chi tiết", "Nguồn", "Kiểm tra dữ liệu", "Kỹ thuật"]


def _rows(sheet) -> set[tuple]:
    """Each row's non-empty cells, as prefixes: a row (a, b, c) gives (a,), (a, b), (a, b, c)."""
    rows = set()
    for row in sheet.iter_rows(values_only=True):
        cells = tuple(v for v in row if v is not None)
        rows.update(cells[:n] for n in range(1, len(cells) + 1))
    return rows


# `cchc run` in this process, failing if it imported Prefect
RUN_WITHOUT_PREFECT = """
import sys
from cli.main import main
code = main(sys.argv[1:])
assert not [m for m in sys.modules if m.split(".")[0] == "prefect"], "prefect was imported"
sys.exit(code)
"""


def test_second_run_extracts_nothing_keeps_records_and_is_recorded_without_prefect(seeded):
    assert seeded.cchc("run").returncode == 0
    before = _records(seeded)
    second = subprocess.run([sys.executable, "-c", RUN_WITHOUT_PREFECT, "run"], cwd=seeded.root,
                            env=seeded.env(), capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "0 mới, 0 thay đổi, 5 không đổi" in second.stdout
    assert "không có gì mới để trích xuất" in second.stdout
    after = _records(seeded)
    assert after.height == before.height
    assert sorted(after["record_id"].to_list()) == sorted(before["record_id"].to_list())
    # the run is in the store's history: `cchc status` shows it as the last run
    with Store(seeded.store, read_only=True) as store:
        runs = store.con.execute("SELECT flow_run_id, status FROM runs ORDER BY started_at").fetchall()
        last = store.last_run()
    assert [status for _, status in runs] == ["completed", "completed"]
    assert runs[0][0] and runs[1][0] is None  # a flow run, then one recorded without Prefect
    assert (last["summary"]["unchanged"], last["summary"]["new"]) == (5, 0)
    status = seeded.cchc("status")
    assert f"lần chạy cuối {last['started_at']:%Y-%m-%d %H:%M} hoàn thành: 0 mới" in status.stdout


def test_a_run_that_fails_before_finding_anything_is_a_failed_flow_run(seeded):
    assert seeded.cchc("run").returncode == 0
    result = seeded.cchc("run", "--inbox", str(seeded.root / "nope"))  # e.g. a share not mounted
    assert result.returncode != 0 and "not a folder" in result.stderr
    with Store(seeded.store, read_only=True) as store:
        (flow_run_id, status), = store.con.execute(
            "SELECT flow_run_id, status FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()
    assert flow_run_id and status == "failed"  # recorded, and notified, as any failed flow run


def test_a_report_due_makes_the_run_a_flow_run(seeded):
    assert seeded.cchc("run").returncode == 0
    (seeded.reports / "bao-cao-cchc-2024-H1.xlsx").unlink()  # deleted by hand: missing
    again = seeded.cchc("run")
    assert again.returncode == 0, again.stderr
    assert (seeded.reports / "bao-cao-cchc-2024-H1.xlsx").exists()
    with Store(seeded.store, read_only=True) as store:
        flow_runs = store.con.execute("SELECT flow_run_id FROM runs ORDER BY started_at").fetchall()
    assert all(run_id for run_id, in flow_runs)


def test_export_jsonl_has_exactly_the_fields_of_the_contract(ran_seeds):
    seeded, run = ran_seeds
    assert run.returncode == 0
    result = seeded.cchc("export", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, "no records exported"
    assert all(tuple(row) == EXPORT_FIELDS for row in rows)
    assert {r["file"] for r in rows} <= {p.name for p in seeded.inbox.iterdir()}


def test_export_csv_to_a_file(ran_seeds, tmp_path):
    seeded, run = ran_seeds
    assert run.returncode == 0
    out = tmp_path / "records.csv"
    # the half-year in any case: on main "2024-h1" exported nothing, silently
    result = seeded.cchc("export", "--format", "csv", "--half", "2024-h1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows and tuple(rows[0]) == EXPORT_FIELDS
    # the 2024-H1 report holds its half-year's results and the 2024 target stated then
    assert {r["period"] for r in rows} == {"2024-H1", "2024"}


def test_status_describes_the_store(ran_seeds):
    seeded, run = ran_seeds
    assert run.returncode == 0
    result = seeded.cchc("status")
    assert result.returncode == 0, result.stderr
    assert "5 đã thấy, 5 bài" in result.stdout
    assert "lần chạy cuối" in result.stdout and "hoàn thành" in result.stdout


def test_changed_file_replaces_its_records_and_a_copy_is_stored_once(seeded):
    assert seeded.cchc("run").returncode == 0
    target = seeded.inbox / "001_13960fbe25726a23.txt"
    text = target.read_text(encoding="utf-8")
    (seeded.inbox / "copy-of-001.txt").write_text(text, encoding="utf-8")
    target.write_text(text.replace("400/991", "401/991"), encoding="utf-8")
    result = seeded.cchc("run")
    assert result.returncode == 0, result.stderr
    # the copy's bytes are the old version's: a second name for stored content
    assert "0 mới, 1 thay đổi" in result.stdout and "1 trùng" in result.stdout
    records = _records(seeded)
    tasks = records.filter(metric_id="tasks_completed", breakdown="bo_nganh")["value"].to_list()
    # the changed file has 401, the copy keeps the old text's 400: two article versions
    assert sorted(tasks) == [400, 401]
    with Store(seeded.store, read_only=True) as store:
        files = store.files()
    assert files.height == 6


def test_same_content_under_two_names_is_one_article(seeded):
    src = seeded.inbox / "004_3c780ba616a1fe93.txt"
    (seeded.inbox / "ban sao.txt").write_bytes(src.read_bytes())
    result = seeded.cchc("run")
    assert result.returncode == 0, result.stderr
    assert "1 trùng" in result.stdout
    with Store(seeded.store, read_only=True) as store:
        files = store.files()
        assert store.counts()["articles"] == 5
    same = files.filter(files["content_sha256"] == files.filter(name="ban sao.txt")["content_sha256"][0])
    assert sorted(same["name"].to_list()) == ["004_3c780ba616a1fe93.txt", "ban sao.txt"]


def test_bad_settings_and_missing_inbox_give_one_line_errors(workspace):
    result = workspace.cchc("run", "--inbox", str(workspace.root / "nope"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nope" in result.stderr and "not a folder" in result.stderr
    result = workspace.cchc("run", CCHC_BATCH_SIZE="many")
    assert result.returncode == 2
    assert "batch_size" in result.stderr


def test_a_failed_delivery_is_not_a_completed_run(seeded):
    shutil.rmtree(seeded.share, ignore_errors=True)  # the workspace made the share folder
    seeded.share.write_text("a file where the share folder should be", encoding="utf-8")
    result = seeded.cchc("run", CCHC_SHARE_RETRIES="0")
    assert result.returncode == 1
    assert "chưa chép được vào" in result.stdout and "Traceback" not in result.stderr
    assert sorted(p.name for p in seeded.reports.glob("*.xlsx"))  # kept in reports/
    status = seeded.cchc("status").stdout
    last = [line for line in status.splitlines() if line.startswith("lần chạy cuối")]
    assert len(last) == 1 and "chưa chia sẻ được báo cáo" in last[0] and "hoàn thành" not in last[0]
    assert "lỗi: bao-cao-cchc-" in last[0]


PLANTED = """
from pathlib import Path
Path({marker!r}).write_text("planted code ran")
raise SystemExit("planted multiprocessing")
"""


def test_a_module_planted_in_the_current_folder_never_runs_in_a_worker(seeded, tmp_path):
    """A run started from the inbox folder with local worker processes: a planted
    `multiprocessing` package there must not be imported by the workers (on main the
    spawned worker's `python -c` put the current folder first on its import path)."""
    marker = tmp_path / "planted-ran"
    (seeded.inbox / "multiprocessing").mkdir()
    (seeded.inbox / "multiprocessing" / "__init__.py").write_text(PLANTED.format(marker=str(marker)))
    cchc = Path(sys.executable).parent / "cchc"  # the installed command, as users run it
    result = subprocess.run([str(cchc), "ingest"], cwd=seeded.inbox, capture_output=True, text=True,
                            timeout=300, env=seeded.env(CCHC_WORKERS="2", CCHC_BATCH_SIZE="1"))
    assert not marker.exists(), "the planted module ran"
    assert result.returncode == 0, result.stderr
    assert "5 mới" in result.stdout
