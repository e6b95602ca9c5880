"""Issue 16 round two through the `cchc` command line and the real flow: corrections after
a rename, rewrites that keep size and time, read errors, files that leave the inbox, two
inboxes with the same names, pending reports per language, a share that is gone, CSV for
Excel, a deep inbox, huge numbers (docs/reliability.md lists each case)."""
import csv
import json
import os
import shutil

import pytest

from cchc.store import Store
from tests.conftest import SEEDS
from transforms.extract.article import extract_article

pytestmark = pytest.mark.slow

SEED = "001_13960fbe25726a23.txt"  # about 30 records of 2024-H1, among them "400/991" tasks


def _tasks(ws, **filters):
    with Store(ws.store, read_only=True) as store:
        records = store.records(**filters)
    return sorted(records.filter(metric_id="tasks_completed", breakdown="bo_nganh")["value"].to_list())


def _run(ws, *args, **env):
    result = ws.cchc("run", *args, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_corrections_after_a_rename_and_in_place_rewrites_replace_the_old_figures(seeded):
    _run(seeded)
    old = seeded.inbox / SEED
    # renamed and corrected between two runs: the same article, its figure replaced
    os.rename(old, seeded.inbox / "bao-cao-sua.txt")
    path = seeded.inbox / "bao-cao-sua.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("400/991", "401/991"), encoding="utf-8")
    result = _run(seeded)
    assert "1 thay đổi" in result.stdout and "1 đổi tên" in result.stdout, result.stdout
    assert _tasks(seeded) == [401]  # main: [400, 401], the stale figure under the vanished name
    with Store(seeded.store, read_only=True) as store:
        assert store.counts()["articles"] == 5
        assert set(store.records()["file"]) >= {"bao-cao-sua.txt"} and SEED not in set(store.records()["file"])

    # a copy that keeps size and time (cp -p, rsync -t): the hash is compared, the figure follows
    st = path.stat()
    fixed = seeded.root / "fixed.txt"
    fixed.write_text(path.read_text(encoding="utf-8").replace("401/991", "402/991"), encoding="utf-8")
    os.utime(fixed, ns=(st.st_atime_ns, st.st_mtime_ns))
    shutil.copy2(fixed, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    result = _run(seeded)
    assert "1 thay đổi" in result.stdout, result.stdout
    assert _tasks(seeded) == [402]  # main: 401 forever, the file counted unchanged

    # nothing changed: --verify reads every file and finds nothing new
    result = _run(seeded, "--verify")
    assert "0 mới, 0 thay đổi, 5 không đổi" in result.stdout, result.stdout


def test_a_file_that_leaves_the_inbox_keeps_its_records_until_retired(seeded):
    _run(seeded)
    away = seeded.root / "da-xu-ly"
    away.mkdir()
    shutil.move(seeded.inbox / SEED, away / SEED)  # offices move processed files away
    result = _run(seeded)
    assert "1 đã rời hộp thư (số liệu của chúng được giữ" in result.stdout, result.stdout
    assert _tasks(seeded) == [400]

    result = seeded.cchc("retire", str(seeded.inbox / "nope.txt"))
    assert result.returncode == 1 and "không phải là tệp của hộp thư" in result.stderr
    with Store(seeded.store, read_only=True) as store:
        held = store.records().filter(file=SEED).height
    result = seeded.cchc("retire", SEED)
    assert result.returncode == 0, result.stderr
    assert f"đã bỏ   {SEED}: xóa {held} số liệu" in result.stdout and held > 10
    assert "2024-H1" in result.stdout  # its report is rewritten by the next run
    assert _tasks(seeded) == []


def test_two_inboxes_with_the_same_file_name_keep_both_sets_of_records(seeded):
    _run(seeded)
    other = seeded.root / "hop-thu-khac"
    other.mkdir()
    text = (seeded.inbox / SEED).read_text(encoding="utf-8")
    (other / SEED).write_text(text.replace("400/991", "500/991"), encoding="utf-8")
    result = seeded.cchc("export", "--inbox", str(other))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["value"] for r in rows if r["metric_id"] == "tasks_completed"} >= {500}
    assert 400 not in {r["value"] for r in rows if r["metric_id"] == "tasks_completed"}
    # main: the seeds' version was dropped as an orphan of the "changed" file
    assert _tasks(seeded) == [400, 500]
    result = seeded.cchc("export", "--inbox", str(seeded.inbox))
    assert result.returncode == 0 and "ingesting" not in result.stderr, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["value"] for r in rows if r["metric_id"] == "tasks_completed"} & {400, 500} == {400}


def test_a_read_error_never_retires_records_and_the_file_is_read_once_readable(seeded, monkeypatch):
    from cchc.settings import active, load_settings
    from cchc import runs
    from flows import pipeline
    # the store is not a run parameter (docs/reliability.md, threat model): the settings are
    # made this process's own, as the CLI does
    with active(load_settings({**seeded.settings(), "min_file_age_s": "0"})):
        pipeline.cchc_pipeline(make_reports=False)
        path = seeded.inbox / SEED
        path.write_text(path.read_text(encoding="utf-8").replace("400/991", "401/991"), encoding="utf-8")
        real_read = runs.read_file

        def unreadable(entry):  # as a file whose permissions an office changed mid-copy
            if entry.name == SEED:
                raise PermissionError(13, "Permission denied", str(entry.path))
            return real_read(entry)
        monkeypatch.setattr(runs, "read_file", unreadable)
        summary = pipeline.cchc_pipeline(make_reports=False)
        assert [list(r) for r in summary["rejected"]] == [
            [SEED, "cannot be read: Permission denied; it will be read again next run"]]
        assert _tasks(seeded) == [400]  # main: the old version's records were deleted
        monkeypatch.setattr(runs, "read_file", real_read)
        summary = pipeline.cchc_pipeline(make_reports=False)
        assert summary["changed"] == 1  # main: "unchanged" forever
        assert _tasks(seeded) == [401]


def test_reports_are_pending_per_language_and_a_missing_share_is_never_created(workspace):
    shutil.copy2(SEEDS / SEED, workspace.inbox / SEED)
    _run(workspace, "--lang", "en")
    status = workspace.cchc("status")
    assert "chờ      báo cáo chưa viết hoặc chưa chia sẻ: 2024-H1 (vi)" in status.stdout, status.stdout

    mount_point = workspace.root / "mnt"
    mount_point.mkdir()
    gone = mount_point / "CCHC"
    result = workspace.cchc("run", CCHC_SHARE=str(gone))
    assert result.returncode == 1
    assert f"chưa chép được vào {gone}" in result.stdout and "does not exist" in result.stdout
    assert not gone.exists()  # main: created on the local disk, "shared 2 files", exit 0
    status = workspace.cchc("status")
    assert "2024-H1 (vi)" in status.stdout and "(en)" not in status.stdout, status.stdout

    _run(workspace)  # main: the en run had cleared 2024-H1, the vi report was never refreshed
    assert (workspace.share / "bao-cao-cchc-2024-H1.xlsx").exists()
    assert (workspace.share / "cchc-report-2024-H1.xlsx").exists()
    assert "chờ      báo cáo" not in workspace.cchc("status").stdout


def test_csv_for_excel_a_deep_inbox_a_long_output_name_and_huge_numbers(workspace, deep_folder):
    deep = deep_folder(workspace.inbox, 1100)  # main: RecursionError, every run failed
    shutil.copy2(SEEDS / "004_3c780ba616a1fe93.txt", deep + "/sau.txt")
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    lines = text.split("\n")  # a related-articles box in the middle: main dropped all after it
    marked = "\n".join(lines[:len(lines) // 2] + ["Tin liên quan"] + lines[len(lines) // 2:])
    (workspace.inbox / "=1+1 bao cao.txt").write_text(marked, encoding="utf-8")
    (workspace.inbox / "so-lon.txt").write_text(
        text.replace("400/991", "400/991 và ngân sách 12.345.678.901.234.567.890.123 đồng"), encoding="utf-8")
    result = _run(workspace)
    assert "3 mới" in result.stdout, result.stdout
    # main: the number vanished without a word
    assert "cảnh báo so-lon.txt: 1 số lớn hơn 10^18 (12.345.678.901.234.567.8…) không được lấy làm số liệu" \
        in result.stdout

    with Store(workspace.store, read_only=True) as store:
        stored = store.records().filter(file="=1+1 bao cao.txt").height
    assert stored == len(extract_article(text, file="x", content_sha256="x").records) > 10

    out = workspace.root / ("b" * 237 + ".csv")  # 241 bytes; main: "File name too long"
    result = workspace.cchc("export", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")  # main: no BOM, Excel shows the Vietnamese garbled
    rows = list(csv.DictReader(raw[1:].splitlines()))
    assert {r["file"] for r in rows} == {"'=1+1 bao cao.txt", "so-lon.txt", "d/" * 1100 + "sau.txt"}
    values = [r["value"] for r in rows]
    assert "400" in values and not any(v.endswith(".0") for v in values)  # main: 400.0
