"""The DuckDB store: atomic batches, replacement of changed files, schema checks."""
import duckdb
import polars as pl
import pytest

from cchc.store import INDEX_BYTES_PER_ROW, SCHEMA_VERSION, WORKING_MEMORY, Store, StoreError
from transforms.schema import articles_frame, records_frame


def _batch(sha: str, values: list[float], half: str = "2024-H1"):
    articles = articles_frame([{"content_sha256": sha, "file": f"{sha}.txt", "text": "x",
                                "periods": [], "provinces": []}])
    records = records_frame([{"record_id": f"{sha}-{i}", "content_sha256": sha, "file": f"{sha}.txt",
                              "metric_id": "decrees_issued", "kind": "actual", "value": v,
                              "report_half": half, "char_start": i} for i, v in enumerate(values)])
    records = records.with_columns(pl.lit(False).alias("quarantined"),
                                   pl.lit([], dtype=pl.List(pl.String)).alias("failed_rules"))
    return articles, records


def _file(name, sha, status="ingested"):
    return {"name": name, "size": 1, "mtime_ns": 1, "content_sha256": sha, "status": status}


def test_batch_is_stored_and_marks_its_half_pending(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_file("a.txt", "A")], *_batch("A", [1, 2]), run_id="r1")
        assert store.counts()["records"] == 2
        assert store.pending_reports() == ["2024-H1"]
        store.report_done("2024-H1", "vi")
        assert store.pending_reports() == []


def _memory_limit(store: Store) -> float:
    """DuckDB's memory_limit of the store's connection, in bytes ('256.0 MiB')."""
    value, unit = store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0].split()
    return float(value) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit]


def test_memory_limit_is_bounded_and_grows_with_the_keyed_rows(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        empty = _memory_limit(store)
        assert empty == WORKING_MEMORY  # not DuckDB's default of 80 % of RAM
        # records have no key, so no index: 4000 of them leave the limit as it was (shown to 0.1 MiB)
        store.commit_batch([_file("a.txt", "A")], *_batch("A", list(range(4000))), run_id="r1")
        assert _memory_limit(store) == pytest.approx(empty + INDEX_BYTES_PER_ROW * 2, abs=0.1 * 2**20)
        # articles and files have keys: 1000 more of each
        articles = articles_frame([{"content_sha256": f"S{i}", "file": f"{i}.txt"} for i in range(1000)])
        _, no_records = _batch("S0", [])
        store.commit_batch([_file(f"{i}.txt", f"S{i}") for i in range(1000)], articles, no_records, run_id="r2")
        assert _memory_limit(store) == pytest.approx(empty + INDEX_BYTES_PER_ROW * 2002, abs=0.1 * 2**20)


def test_changed_file_replaces_the_records_of_its_old_version(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_file("a.txt", "A")], *_batch("A", [1, 2], "2023-H2"), run_id="r1")
        store.report_done("2023-H2", "vi")
        store.commit_batch([_file("a.txt", "B")], *_batch("B", [3]), run_id="r2")
        assert store.records()["value"].to_list() == [3]
        assert store.articles()["content_sha256"].to_list() == ["B"]
        # the half that lost records needs its report rewritten too
        assert store.pending_reports() == ["2023-H2", "2024-H1"]


def test_re_extracting_an_article_never_duplicates(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        for _ in range(2):
            store.commit_batch([_file("a.txt", "A")], *_batch("A", [1, 2]), run_id="r")
        assert store.counts()["records"] == 2


def test_failed_batch_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        articles, records = _batch("A", [1, 1])
        unmarked = records.with_columns(pl.lit(None, pl.Boolean).alias("quarantined"))  # NOT NULL
        with pytest.raises(duckdb.Error):
            store.commit_batch([_file("a.txt", "A")], articles, unmarked, run_id="r")
        twice = records.with_columns(pl.lit("same-id").alias("record_id"))
        with pytest.raises(StoreError, match="record same-id twice"):
            store.commit_batch([_file("a.txt", "A")], articles, twice, run_id="r")
        assert store.counts() == {"files": 0, "files_rejected": 0, "files_gone": 0, "articles": 0,
                                  "records": 0, "quarantined": 0}


def test_records_already_stored_are_refused_when_their_article_is_not_replaced(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        articles, records = _batch("A", [1, 2])
        store.commit_batch([_file("a.txt", "A")], articles, records, run_id="r")
        other, _ = _batch("B", [1])  # A's records again, with B's article: A's are not replaced
        with pytest.raises(StoreError, match="record A-0 is already stored"):
            store.commit_batch([_file("b.txt", "B")], other, records, run_id="r")
        assert store.counts()["records"] == 2 and store.articles()["content_sha256"].to_list() == ["A"]
        store.commit_batch([_file("b.txt", "B")], *_batch("B", [3]), run_id="r")  # new records are fine
        assert store.records()["record_id"].to_list() == ["A-0", "A-1", "B-0"]


def test_a_version_3_store_loses_the_key_on_records_and_keeps_them(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.commit_batch([_file("a.txt", "A")], *_batch("A", [1, 2]), run_id="r")
        store.con.execute("ALTER TABLE records ADD PRIMARY KEY (record_id)")  # as version 3 had it
        store.con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 4
        assert store.records()["value"].to_list() == [1, 2]
        assert store.con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'records' "
                                 "AND constraint_type = 'PRIMARY KEY'").fetchone()[0] == 0
        store.commit_batch([_file("a.txt", "A")], *_batch("A", [1, 2]), run_id="r")  # re-ingested
        assert store.counts()["records"] == 2


def test_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "s.duckdb"
    path.write_bytes(b"not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="cannot be opened"):
        Store(path)
    assert path.read_bytes() == before


def test_foreign_duckdb_and_newer_schema_are_refused(tmp_path):
    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(StoreError, match="not a cchc store"):
        Store(foreign)
    newer = tmp_path / "newer.duckdb"
    Store(newer).close()
    con = duckdb.connect(str(newer))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="newer than this program"):
        Store(newer)


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(StoreError, match="does not exist yet"):
        Store(tmp_path / "none.duckdb", read_only=True)
