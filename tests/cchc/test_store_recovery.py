"""A damaged, foreign or old store file, and the test-only crash points."""
import hashlib
import os
import signal
import subprocess
import sys

import duckdb
import polars as pl
import pytest

from cchc import store as store_module
from cchc.delivery import atomic_output, remove_partial_outputs
from cchc.store import Store, StoreError
from transforms.schema import records_frame


def _store_with_a_record(path):
    with Store(path) as store:
        rows = [dict(record_id="r1", content_sha256="s1", file="a.txt", metric_id="tasks_completed",
                     kind="actual", value=400.0, unit="count", report_half="2024-H1")]
        records = records_frame(rows).with_columns(quarantined=pl.lit(False),
                                                   failed_rules=pl.lit([], dtype=pl.List(pl.String)))
        store.commit_batch([], pl.DataFrame(), records, "run-1")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def good_store(tmp_path):
    path = tmp_path / "good.duckdb"
    _store_with_a_record(path)
    return path


@pytest.mark.parametrize("damage", ["random bytes", "truncated", "empty", "text", "zeroed block"])
def test_a_damaged_store_is_refused_in_one_line_and_left_byte_identical(tmp_path, good_store, damage):
    data = good_store.read_bytes()
    path = tmp_path / "cchc.duckdb"
    path.write_bytes({
        "random bytes": os.urandom(64 * 1024),
        "truncated": data[:len(data) // 3],
        "empty": b"",
        "text": "không phải cơ sở dữ liệu\n".encode(),
        "zeroed block": data[:12288] + bytes(4096) + data[16384:],
    }[damage])
    before = _digest(path)
    with pytest.raises(StoreError) as err:
        Store(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "left untouched" in message
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cchc.duckdb", "good.duckdb"]


def test_a_duckdb_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t (x INT)")
    with pytest.raises(StoreError, match="not a cchc store"):
        Store(path)


CURRENT = store_module.SCHEMA_VERSION


def test_an_old_store_is_migrated_in_one_transaction_keeping_its_records(good_store, monkeypatch):
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", CURRENT + 1)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, [
        "ALTER TABLE records ADD COLUMN reviewed BOOLEAN",
        "UPDATE records SET reviewed = false",
    ]])
    with pytest.raises(StoreError, match=f"old schema version {CURRENT}"):
        Store(good_store, read_only=True)
    with Store(good_store) as store:
        assert store.schema_version == CURRENT + 1
        assert store.records()[["record_id", "value", "reviewed"]].rows() == [("r1", 400.0, False)]


def test_a_failing_migration_leaves_the_store_at_its_old_version(good_store, monkeypatch):
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", CURRENT + 1)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, [
        "ALTER TABLE records ADD COLUMN reviewed BOOLEAN",
        "UPDATE records SET reviewed = 'not a boolean'",
    ]])
    with pytest.raises(StoreError, match=f"migrating schema version {CURRENT} to {CURRENT + 1} failed.*"
                                         f"left at version {CURRENT}"):
        Store(good_store)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", CURRENT)
    with Store(good_store, read_only=True) as store:
        assert store.schema_version == CURRENT
        assert "reviewed" not in store.records().columns and store.records().height == 1


def test_a_version_1_store_gains_locality_and_the_source_position_of_its_records(good_store):
    with duckdb.connect(str(good_store)) as con:  # the store as version 1 left it
        for column in ("locality", "paragraph", "page"):
            con.execute(f"ALTER TABLE records DROP COLUMN {column}")
        con.execute("ALTER TABLE records ADD PRIMARY KEY (record_id)")  # until version 4
        # and the files and pending reports of before version 3
        con.execute("DROP TABLE report_langs")
        con.execute("DROP TABLE files")
        con.execute("""CREATE TABLE files (name VARCHAR PRIMARY KEY, size BIGINT, mtime_ns BIGINT,
                       content_sha256 VARCHAR, status VARCHAR, reason VARCHAR, failed_rules VARCHAR[],
                       first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ)""")
        con.execute("DROP TABLE pending_reports")
        con.execute("CREATE TABLE pending_reports (half VARCHAR PRIMARY KEY, since TIMESTAMPTZ)")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(good_store) as store:
        assert store.schema_version == CURRENT
        records = store.records()
    # its columns came back last, after quarantined and failed_rules: copied by name since
    assert records[["record_id", "value", "quarantined", "failed_rules", "locality", "paragraph",
                    "page"]].rows() == [("r1", 400.0, False, [], None, None, None)]


def test_a_store_of_a_newer_program_is_refused(good_store, monkeypatch):
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 0)
    with pytest.raises(StoreError, match="newer than this program"):
        Store(good_store)


def test_a_run_killed_earlier_is_marked_interrupted(good_store):
    with Store(good_store) as store:
        store.start_run("killed", None)
    with Store(good_store) as store:
        store.start_run("next", None)
        assert dict(store.con.execute("SELECT run_id, status FROM runs").fetchall()) == {
            "killed": "interrupted", "next": "running"}


def test_crash_point_kills_the_process_the_nth_time_only():
    code = ("from cchc.faults import crash_point\n"
            "for i in range(3):\n    crash_point('other'); crash_point('here'); print(i, flush=True)")
    env = {**os.environ, "CCHC_TEST_CRASH_AT": "here:2"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL and result.stdout.split() == ["0"]
    env["CCHC_TEST_CRASH_AT"] = ""
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.split() == ["0", "1", "2"]


def test_partial_outputs_of_a_killed_writer_are_removed_and_nothing_else(tmp_path):
    report = tmp_path / "bao-cao-cchc-2024-H1.xlsx"
    report.write_bytes(b"complete")
    with pytest.raises(RuntimeError):
        with atomic_output(report) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError  # a crash leaves `tmp`; the exception path would remove it
    left = tmp_path / ".bao-cao-cchc-2024-H1.xlsx.0123abcd.part"
    left.write_bytes(b"half")
    (tmp_path / ".notes.part").write_bytes(b"someone else's")
    remove_partial_outputs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.part", report.name]
    assert report.read_bytes() == b"complete"
