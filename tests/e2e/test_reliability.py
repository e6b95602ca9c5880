"""Reliability through the `cchc` command line: an inbox of bad files, and SIGKILL at every
kind of write (docs/reliability.md lists each case and the test that shows it)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from cchc.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BAD_INBOX = ROOT / "tests" / "fixtures" / "bad_inbox"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
HOUR_AGO = time.time() - 3600

NFC_NAME = unicodedata.normalize("NFC", "Cải cách hành chính.txt")
NFD_NAME = unicodedata.normalize("NFD", "Cải cách hành chính.txt")
INGESTED = [
    "utf8-bom.txt", "utf16-bom.txt", "windows-1258.txt", "double-decoded.txt", "nfd.txt",
    "crlf.txt", "cr-only.txt", "bao cao co dau cach.txt", NFC_NAME, NFD_NAME,
    "-leading-dash.txt", "--rf.txt", "formulas.txt", "long-sentence.txt", "control-chars.txt",
    "huge-numbers.txt", "one-line-5mb.txt",
]
REJECTED = {  # name as shown -> words of its reason
    "empty.txt": "empty file",
    "whitespace.txt": "only whitespace",
    "scan.pdf.txt": "PDF document",
    "archive.txt": "ZIP archive",
    "photo.txt": "JPEG image",
    "big-50mb.txt": "too large: 52.4 MB",
    "pipe.txt": "not a regular file but a named pipe",
    "socket.txt": "not a regular file but a socket",
    "gone.txt": "broken symbolic link",
    "outside.txt": "symbolic link to a file outside the inbox",
    "bao-cao-\\xe9.txt": "file name is not valid UTF-8",
}
SKIPPED = {  # printed; hidden files are skipped silently
    "~$bao-cao.docx": "temporary file",
    "download.txt.part": "temporary file",
    "editor.tmp": "temporary file",
    "growing.txt": "may still be being written",
}


@pytest.fixture
def bad_inbox(workspace):
    """The committed small cases, plus those too big to commit or that git cannot hold."""
    inbox = workspace.inbox
    for f in BAD_INBOX.iterdir():
        shutil.copy2(f, inbox / f.name)
    text = SEEDS[0].read_bytes()
    with open(inbox / "big-50mb.txt", "wb") as fh:
        for _ in range(50 * 2**20 // len(text) + 1):
            fh.write(text)
    line = SEEDS[1].read_text(encoding="utf-8").replace("\n", " ").encode()
    (inbox / "one-line-5mb.txt").write_bytes((line * (5 * 2**20 // len(line) + 1))[:5 * 2**20].rsplit(b" ", 1)[0])
    os.mkfifo(inbox / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "socket.txt"))
    (inbox / "gone.txt").symlink_to(inbox / "moved-away.txt")
    outside = workspace.root / "outside-article.txt"
    shutil.copy2(SEEDS[2], outside)
    (inbox / "outside.txt").symlink_to(outside)
    with open(os.path.join(os.fsencode(inbox), b"bao-cao-\xe9.txt"), "wb") as fh:  # Latin-1 "é"
        fh.write(SEEDS[3].read_bytes())
    for f in inbox.iterdir():
        if f.is_file() and not f.is_symlink():
            os.utime(f, (HOUR_AGO, HOUR_AGO))
    (inbox / "growing.txt").write_bytes(SEEDS[4].read_bytes()[:1000])  # written "now"
    yield workspace
    sock.close()


def test_every_bad_file_is_ingested_or_listed_with_its_reason(bad_inbox):
    result = bad_inbox.cchc("run", CCHC_MIN_FILE_AGE_S="600", timeout=240)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr
    for name, reason in REJECTED.items():
        assert reason in _line(out, f"từ chối  {name}: ")
        assert "— cách sửa: " in _line(out, f"từ chối  {name}: ")  # every rejection says how to fix it
    for name, reason in SKIPPED.items():
        assert reason in _line(out, f"bỏ qua   {name}: ")
    assert ".hidden.txt" not in out
    assert f"{len(INGESTED)} mới" in out and f"{len(REJECTED)} bị từ chối" in out

    with Store(bad_inbox.store, read_only=True) as store:
        files = {r["name"]: r for r in store.files().iter_rows(named=True)}
        texts = {r["file"]: r["text"] for r in store.articles().iter_rows(named=True)}
    assert {n for n, r in files.items() if r["status"] == "ingested"} == set(INGESTED)
    for name in INGESTED:  # one normal form, one line end, no mojibake left
        text = texts[name]
        assert unicodedata.is_normalized("NFC", text) and "\r" not in text, name
        assert "Ã" not in text and "\ufffd" not in text, name
    assert "hành chính" in texts["windows-1258.txt"] and "hành chính" in texts["double-decoded.txt"]

    status = bad_inbox.cchc("status")
    assert status.returncode == 0, status.stderr
    for name, reason in REJECTED.items():
        assert reason in _line(status.stdout, f"từ chối  {name}: ")


def _line(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert found, f"no line starting {start!r} in:\n{text}"
    return found[0]


# -- crashes --------------------------------------------------------------------------------

# (crash point, what the killed run was doing); batches of 2 files, halves H1 then H2
CRASHES = [
    ("read-batch:2", "ingest: batch 1 stored, batch 2 read"),
    ("store-batch:3", "store: batch 3 inside its transaction, before COMMIT"),
    ("report-write:2", "report: the H2 workbook's temporary file written, not renamed"),
    ("deliver:1", "delivery: the H1 workbook half copied to the share"),
    ("deliver:3", "delivery: the H2 workbook, after H1 was delivered"),
]


def _crash_inbox(inbox: Path) -> None:
    """Seven articles, five in 2024-H1 and two in 2024-H2 (see fake_pipeline)."""
    for f in SEEDS:
        shutil.copy2(f, inbox / f.name)
    for f in SEEDS[:2]:
        (inbox / f"H2-{f.name}").write_bytes(f.read_bytes() + b"\n2024-H2.\n")
    for f in inbox.iterdir():
        os.utime(f, (HOUR_AGO, HOUR_AGO))


def _fake_cchc(ws, *args, **env) -> subprocess.CompletedProcess:
    """`cchc` with the deterministic extractor of tests/fake_pipeline.py."""
    # tests.fake_pipeline from the project root: with tests/ itself on the path, its mirror
    # package tests/transforms would hide the real transforms
    env = ws.env(PYTHONPATH=str(ROOT), CCHC_BATCH_SIZE="2", **env)
    return subprocess.run([sys.executable, "-m", "tests.fake_pipeline", *args], cwd=ws.root, env=env,
                          capture_output=True, text=True, timeout=240)


def _state(ws) -> dict:
    """The store and the visible report files, without run ids and times."""
    with Store(ws.store, read_only=True) as store:
        state = {
            "records": store.records().sort("record_id").rows(),
            "articles": store.articles().drop("ingested_at", "run_id").sort("content_sha256").rows(),
            # without what differs between two copies of one inbox: its path, ctimes, inodes
            "files": store.files().drop("first_seen", "last_seen", "inbox", "ctime_ns", "inode",
                                        "device").rows(),
            "pending": store.pending_reports(),
        }
    for folder in (ws.reports, ws.share):
        for path in sorted(folder.glob("*.xlsx")):
            state[f"{folder.name}/{path.name}"] = _cells(path)
    return state


GENERATED = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d \(UTC[+-]\d{4}\)")


def _cells(path: Path) -> dict:
    """Every cell value of every sheet; the one generation-time cell masked."""
    wb = openpyxl.load_workbook(path)  # raises on a half-written file
    return {ws.title: [tuple("<generated>" if isinstance(v, str) and GENERATED.fullmatch(v) else v
                             for v in row) for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


def _crash_and_recover(ws, point: str) -> dict:
    crashed = _fake_cchc(ws, "run", CCHC_TEST_CRASH_AT=point)
    assert crashed.returncode == -signal.SIGKILL, f"{point} was not reached:\n{crashed.stdout}"
    # whatever the killed run left: no visible half-written workbook
    after_crash = {p.name: _cells(p) for d in (ws.reports, ws.share) for p in d.glob("*.xlsx")}
    wal = Path(f"{ws.store}.wal").exists()
    rerun = _fake_cchc(ws, "run")
    assert rerun.returncode == 0, rerun.stderr
    leftovers = [p.name for d in (ws.reports, ws.share) for p in d.iterdir() if p.name.endswith(".part")]
    with Store(ws.store, read_only=True) as store:
        statuses = store.con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
    return {"state": _state(ws), "visible_after_crash": after_crash, "wal": wal,
            "leftovers": leftovers, "runs": [s for (s,) in statuses]}


def test_sigkill_at_any_write_then_rerun_gives_the_uninterrupted_result(tmp_path, prefect_api_url):
    from tests.conftest import make_workspace

    def workspace(name):
        ws = make_workspace(tmp_path / name, prefect_api_url)
        _crash_inbox(ws.inbox)
        return ws

    reference = workspace("reference")
    with ThreadPoolExecutor(max_workers=3) as pool:
        ref_run = pool.submit(_fake_cchc, reference, "run")
        outcomes = dict(zip([p for p, _ in CRASHES],
                            pool.map(lambda c: _crash_and_recover(workspace(c[0].replace(":", "-")), c[0]),
                                     CRASHES)))
    assert ref_run.result().returncode == 0, ref_run.result().stderr
    expected = _state(reference)
    assert len(expected["records"]) > 100 and expected["pending"] == []
    assert {"reports/bao-cao-cchc-2024-H1.xlsx", "reports/bao-cao-cchc-2024-H2.xlsx",
            "share/bao-cao-cchc-2024-H1.xlsx", "share/bao-cao-cchc-2024-H2.xlsx"} <= set(expected)

    for point, doing in CRASHES:
        got = outcomes[point]
        assert got["state"] == expected, f"killed at {point} ({doing}): the rerun differs"
        assert got["leftovers"] == [], f"killed at {point}: temporary files left"
        assert got["runs"] == ["interrupted", "completed"], point
    assert outcomes["read-batch:2"]["wal"], "the store's write-ahead log was not exercised"
    # the killed run left the complete H1 workbook in reports/ but none in the share yet
    assert set(outcomes["deliver:1"]["visible_after_crash"]) == {"bao-cao-cchc-2024-H1.xlsx"}


def test_a_damaged_store_stops_the_run_in_one_line_and_is_not_touched(seeded):
    seeded.store.parent.mkdir(parents=True)
    seeded.store.write_bytes(b"DUCK" + os.urandom(40_000))
    before = seeded.store.read_bytes()
    result = seeded.cchc("run")
    assert result.returncode == 1
    assert result.stderr.startswith(f"cchc: lỗi: store {seeded.store} cannot be opened")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert seeded.store.read_bytes() == before
    assert not seeded.reports.exists() and not any(seeded.share.iterdir())
