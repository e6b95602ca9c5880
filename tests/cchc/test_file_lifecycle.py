"""The life of an inbox file in the store: renames, rewrites that keep size and time,
files that leave the inbox, two inboxes with the same names, pending reports per
language, and stores made before schema version 2."""
import os
import shutil

import duckdb
import polars as pl

from cchc import store as store_module
from cchc.inbox import InboxFile, inbox_key, scan_inbox
from cchc.store import Store
from transforms.schema import articles_frame, records_frame


def _batch(sha: str, values: list[float], half: str = "2024-H1", title: str = "Tin CCHC"):
    articles = articles_frame([{"content_sha256": sha, "file": "a.txt", "text": "x", "title": title,
                                "periods": [], "provinces": []}])
    records = records_frame([{"record_id": f"{sha}-{i}", "content_sha256": sha, "file": "a.txt",
                              "metric_id": "decrees_issued", "kind": "actual", "value": v,
                              "report_half": half, "char_start": i} for i, v in enumerate(values)])
    return articles, records.with_columns(pl.lit(False).alias("quarantined"),
                                          pl.lit([], dtype=pl.List(pl.String)).alias("failed_rules"))


def _row(name, sha, status="ingested", **more):
    return {"name": name, "size": 1, "mtime_ns": 1, "content_sha256": sha, "status": status, **more}


def test_two_inboxes_with_the_same_file_name_keep_both_sets_of_records(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_row("a.txt", "A")], *_batch("A", [1]), run_id="r1", inbox="/srv/one")
        store.commit_batch([_row("a.txt", "B")], *_batch("B", [2]), run_id="r2", inbox="/srv/two")
        assert sorted(store.records()["value"].to_list()) == [1, 2]
        assert store.records(inbox="/srv/one")["value"].to_list() == [1]
        assert store.records(inbox="/srv/two")["value"].to_list() == [2]


def test_a_renamed_and_corrected_file_replaces_the_records_of_its_old_name(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_row("a.txt", "A")], *_batch("A", [1, 2]), run_id="r1", inbox="/i")
        store.commit_batch([_row("b.txt", "B", replaces="a.txt")], *_batch("B", [3]), run_id="r2",
                           inbox="/i")
        assert store.records()["value"].to_list() == [3]
        assert store.files()["name"].to_list() == ["b.txt"]


def test_a_pure_rename_keeps_the_records_under_the_new_name(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_row("a.txt", "A")], *_batch("A", [1]), run_id="r1", inbox="/i")
        store.commit_batch([_row("b.txt", "A", "duplicate", replaces="a.txt")], pl.DataFrame(),
                           pl.DataFrame(), run_id="r2", inbox="/i")
        assert store.records()[["file", "value"]].rows() == [("b.txt", 1)]
        assert store.articles()["file"].to_list() == ["b.txt"]


def test_a_file_that_left_the_inbox_keeps_its_records_by_default_and_can_be_retired(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_row("a.txt", "A"), _row("b.txt", "B")], *_batch("A", [1]), run_id="r1",
                           inbox="/i")
        store.report_done("2024-H1", "vi")
        store.commit_batch([], pl.DataFrame(), pl.DataFrame(), run_id="r2", inbox="/i", gone=["a.txt"])
        assert store.records()["value"].to_list() == [1]
        assert store.file_index("/i")["a.txt"].gone
        assert store.records(inbox="/i").height == 0  # not a file of the inbox any more
        assert store.retire("/i", "a.txt") == 1
        assert store.records().height == 0 and store.pending_reports() == ["2024-H1"]


def test_the_retire_setting_removes_the_records_of_a_file_that_left(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.commit_batch([_row("a.txt", "A")], *_batch("A", [1]), run_id="r1", inbox="/i")
        store.commit_batch([], pl.DataFrame(), pl.DataFrame(), run_id="r2", inbox="/i",
                           gone=["a.txt"], retire_gone=True)
        assert store.records().height == 0 and store.files().height == 0


def test_pending_reports_are_per_language(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.use_lang("en")
        store.commit_batch([_row("a.txt", "A")], *_batch("A", [1]), run_id="r1", inbox="/i")
        store.report_done("2024-H1", "en")
        assert store.pending_reports("vi") == ["2024-H1"] and store.pending_reports("en") == []


# The tables version 3 changed, as stores of versions 1 and 2 (main before issue 16) have them.
_V2_FILES = """CREATE TABLE files (name VARCHAR PRIMARY KEY, size BIGINT, mtime_ns BIGINT,
    content_sha256 VARCHAR, status VARCHAR, reason VARCHAR, failed_rules VARCHAR[],
    first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ)"""
_V2_PENDING = "CREATE TABLE pending_reports (half VARCHAR PRIMARY KEY, since TIMESTAMPTZ)"


def _v2_store(path):
    """A store as main made it before version 3: its other tables are today's."""
    con = duckdb.connect(str(path))
    for stmt in store_module._CREATE:
        if stmt.split("(")[0].split()[-1] in ("meta", "articles", "records", "runs"):
            con.execute(stmt)
    con.execute(_V2_FILES)
    con.execute(_V2_PENDING)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute("INSERT INTO files VALUES ('a.txt', 5, 7, 'A', 'ingested', NULL, [], now(), now())")
    con.execute("INSERT INTO articles (content_sha256, file) VALUES ('A', 'a.txt')")
    con.execute("""INSERT INTO records (record_id, content_sha256, file, value, report_half, quarantined)
                   VALUES ('r1', 'A', 'a.txt', 1, '2024-H1', false)""")
    con.execute("INSERT INTO pending_reports VALUES ('2024-H1', now())")
    con.close()


def test_a_version_2_store_migrates_and_its_rows_are_adopted_by_the_inbox(tmp_path):
    _v2_store(tmp_path / "s.duckdb")
    with Store(tmp_path / "s.duckdb") as store:
        assert store.schema_version == store_module.SCHEMA_VERSION == 4
        assert store.pending_by_lang() == [("2024-H1", "vi")]
        known = store.file_index("/i")["a.txt"]
        assert known.legacy and (known.size, known.mtime_ns, known.content_sha256) == (5, 7, "A")
        # the first inbox with that name adopts the row; the records stay
        store.commit_batch([_row("a.txt", "A", size=5, mtime_ns=7)], pl.DataFrame(), pl.DataFrame(),
                           run_id="r", inbox="/i")
        assert store.files()[["inbox", "name"]].rows() == [("/i", "a.txt")]
        assert store.records()["value"].to_list() == [1]


def test_a_new_store_has_the_tables_a_migrated_one_has(tmp_path):
    _v2_store(tmp_path / "old.duckdb")
    Store(tmp_path / "old.duckdb").close()
    Store(tmp_path / "new.duckdb").close()

    def tables(path):
        con = duckdb.connect(str(path), read_only=True)
        rows = con.execute("""SELECT table_name, column_name, data_type FROM information_schema.columns
                              ORDER BY table_name, column_name""").fetchall()
        con.close()
        return rows
    assert tables(tmp_path / "old.duckdb") == tables(tmp_path / "new.duckdb")


# -- discovery ------------------------------------------------------------------------------

def _known_after_ingest(store, inbox, sha="A"):
    """Store every file of `inbox` as ingested with content `sha`, as a run would."""
    scan = scan_inbox(inbox, {}, 2**20)
    store.commit_batch([e.row(content_sha256=sha, status="ingested") for e in scan.to_read],
                       *_batch(sha, [1]), run_id="r", inbox=inbox_key(inbox))
    return store.file_index(inbox_key(inbox))


def test_a_rename_is_recognised_by_its_inode(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("bài viết")
    with Store(tmp_path / "s.duckdb") as store:
        known = _known_after_ingest(store, inbox)
    os.rename(inbox / "a.txt", inbox / "b.txt")
    (inbox / "c.txt").write_text("bài khác")
    scan = scan_inbox(inbox, known, 2**20)
    assert [(e.name, e.replaces) for e in scan.to_read] == [("b.txt", "a.txt"), ("c.txt", None)]
    assert scan.vanished == []


def test_a_copy_keeping_size_and_time_is_read_again_to_compare_its_hash(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    path = inbox / "a.txt"
    path.write_text("Đạt 98%")
    with Store(tmp_path / "s.duckdb") as store:
        known = _known_after_ingest(store, inbox)
    st = path.stat()
    source = tmp_path / "fixed.txt"
    source.write_text("Đạt 99%")                 # same size
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    shutil.copy2(source, path)                   # cp -p: same size and time, new ctime
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    [entry] = scan_inbox(inbox, known, 2**20).to_read
    assert isinstance(entry, InboxFile) and entry.verify
    # untouched files are not read, unless --verify
    assert scan_inbox(inbox, store_index_after(entry, known), 2**20).to_read == []
    assert [e.name for e in scan_inbox(inbox, store_index_after(entry, known), 2**20, verify=True).to_read] \
        == ["a.txt"]


def store_index_after(entry, known):
    """`known` as the store holds it after the run that saw `entry`."""
    return {entry.name: known[entry.name]._replace(ctime_ns=entry.ctime_ns, inode=entry.inode,
                                                   device=entry.device)}


def test_a_folder_nested_1100_deep_is_walked(tmp_path, deep_folder):
    inbox = tmp_path / "in"
    inbox.mkdir()
    deep = deep_folder(inbox, 1100)
    with open(deep + "/a.txt", "w") as fh:
        fh.write("bài viết")
    scan = scan_inbox(inbox, {}, 2**20)  # main: RecursionError in os.walk
    assert [e.name for e in scan.to_read] == ["d/" * 1100 + "a.txt"]
