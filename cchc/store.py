"""The embedded store: one DuckDB file with the inbox files seen, the articles, their
records with their validation outcome, the rules run and the run history.

Every write of a batch is one transaction, so a crash leaves the store as it was before
the batch or after it, never between. Polars frames go in and out through Arrow.
"""
import json
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import polars as pl

from cchc.errors import CchcError
from cchc.faults import crash_point
from cchc.locking import StoreBusy
from transforms.schema import ARTICLE_SCHEMA, RECORD_SCHEMA, FileStatus

SCHEMA_VERSION = 4

# DuckDB's memory_limit of a writing connection is what the primary-key indexes need plus
# this: the cache of table blocks, a batch's transaction (~40 MB at a batch of 500) and a
# checkpoint's buffers. Unbounded, DuckDB caches blocks up to 80 % of RAM and a checkpoint
# took the flow process ~150 MB higher than 128 MB does; 64 MB made commits slower; too low
# a limit makes inserts fail, as the indexes must fit (docs/benchmarks.md).
WORKING_MEMORY = 128 * 2**20
# Index memory per keyed row (articles, files; records have no key): ~110 B measured at
# 250 000 rows, doubled for headroom.
INDEX_BYTES_PER_ROW = 256

# Statuses of a file name that hold its content's records (a rejected name holds none).
HOLDING = (FileStatus.INGESTED, FileStatus.DUPLICATE)
# The inbox of the rows of a store made before version 3, which keyed files by name only:
# the first inbox that has a file of that name adopts the row (Store.commit_batch).
LEGACY_INBOX = ""

_DUCK_TYPES = {
    pl.String: "VARCHAR", pl.Float64: "DOUBLE", pl.Int64: "BIGINT", pl.Date: "DATE",
    pl.Boolean: "BOOLEAN", pl.List(pl.String): "VARCHAR[]",
}


def _columns(schema: pl.Schema) -> str:
    return ", ".join(f"{name} {_DUCK_TYPES[dtype]}" for name, dtype in schema.items())


# No primary key: its index grew the flow process ~200 B per record (5 KB per article) and
# slowed each commit as the store grew (docs/benchmarks.md). record_id stays unique without
# it: it is a SHA-1 of the content's SHA-256 and the figure's place in it
# (transforms/extract/article.py, _record), so records of different contents never share
# an id; commit_batch deletes all the stored records of each article of a batch before it
# inserts the batch's, so a re-ingested or changed content replaces its records; and it
# refuses a batch with a record twice, or with records already stored of a content it does
# not replace (_check_records, _refuse_stored_records).
_RECORDS_TABLE = f"""CREATE TABLE records ({_columns(RECORD_SCHEMA)}, quarantined BOOLEAN NOT NULL,
    failed_rules VARCHAR[])"""

# The current version. Every change to it appends a migration to MIGRATIONS that brings an
# older store to the same tables.
_CREATE = [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    # one row per file ever seen, by its inbox (absolute path) and its name in it; status
    # ingested / duplicate / rejected; the stat fields that reveal a rewrite or a rename
    # without reading the file; gone_since once it left the inbox
    """CREATE TABLE files (inbox VARCHAR NOT NULL, name VARCHAR NOT NULL, size BIGINT,
        mtime_ns BIGINT, ctime_ns BIGINT, inode BIGINT, device BIGINT,
        content_sha256 VARCHAR, status VARCHAR, reason VARCHAR, failed_rules VARCHAR[],
        first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, gone_since TIMESTAMPTZ,
        PRIMARY KEY (inbox, name))""",
    f"""CREATE TABLE articles ({_columns(ARTICLE_SCHEMA)}, ingested_at TIMESTAMPTZ,
        run_id VARCHAR, PRIMARY KEY (content_sha256))""",
    _RECORDS_TABLE,
    # (half-year, language) reports that must be (re)written: set with the batch that
    # changed their records, cleared once the report is written and delivered, so a crash
    # in between is finished by the next run, and a run in one language never clears
    # the other's
    """CREATE TABLE pending_reports (half VARCHAR NOT NULL, lang VARCHAR NOT NULL,
        since TIMESTAMPTZ, PRIMARY KEY (half, lang))""",
    # the languages reports are made in: new records make each of them pending
    "CREATE TABLE report_langs (lang VARCHAR PRIMARY KEY)",
    "INSERT INTO report_langs VALUES ('vi')",
    """CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, flow_run_id VARCHAR,
        started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR, summary JSON)""",
]

# A row of the files table as commit_batch receives it; `replaces` is the name the file
# had before a rename (same inode, old name gone in the same scan).
_FILE_ROW = pl.Schema({"name": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64,
                       "ctime_ns": pl.Int64, "inode": pl.Int64, "device": pl.Int64,
                       "content_sha256": pl.String, "status": pl.String, "reason": pl.String,
                       "failed_rules": pl.List(pl.String), "replaces": pl.String})

# MIGRATIONS[n] brings a store from version n+1 to n+2.
MIGRATIONS: list[list[str]] = [
    # 1 -> 2 (contract v2): a record's `locality`, and where its figure is in the source
    # (paragraph, page: transforms.schema); records stored before have no paragraph or page
    # until `cchc run --rebuild`
    ["ALTER TABLE records ADD COLUMN locality VARCHAR", "ALTER TABLE records ADD COLUMN paragraph BIGINT",
     "ALTER TABLE records ADD COLUMN page BIGINT"],
    # 2 -> 3: files keyed by (inbox, name), so two inboxes with the same file name keep
    # both; the stat fields that reveal a rewrite or a rename without reading the file;
    # names that left the inbox marked (gone_since) rather than forgotten. Pending reports
    # per (half-year, language), so a run in one language never clears the other's.
    [
        """CREATE TABLE files_v2 (inbox VARCHAR NOT NULL, name VARCHAR NOT NULL, size BIGINT,
            mtime_ns BIGINT, ctime_ns BIGINT, inode BIGINT, device BIGINT,
            content_sha256 VARCHAR, status VARCHAR, reason VARCHAR, failed_rules VARCHAR[],
            first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, gone_since TIMESTAMPTZ,
            PRIMARY KEY (inbox, name))""",
        f"""INSERT INTO files_v2 SELECT '{LEGACY_INBOX}', name, size, mtime_ns, NULL, NULL, NULL,
            content_sha256, status, reason, failed_rules, first_seen, last_seen, NULL FROM files""",
        "DROP TABLE files",
        "ALTER TABLE files_v2 RENAME TO files",
        """CREATE TABLE pending_v2 (half VARCHAR NOT NULL, lang VARCHAR NOT NULL,
            since TIMESTAMPTZ, PRIMARY KEY (half, lang))""",
        # version 2 had no language: its pending reports were the default, Vietnamese
        "INSERT INTO pending_v2 SELECT half, 'vi', since FROM pending_reports",
        "DROP TABLE pending_reports",
        "ALTER TABLE pending_v2 RENAME TO pending_reports",
        # the languages reports are made in: new records make each of them pending
        "CREATE TABLE report_langs (lang VARCHAR PRIMARY KEY)",
        "INSERT INTO report_langs VALUES ('vi')",
    ],
    # 3 -> 4: records without the primary key on record_id (_RECORDS_TABLE); copied by
    # name, as a store migrated from version 1 has locality, paragraph, page last
    [
        "ALTER TABLE records RENAME TO records_v3",
        _RECORDS_TABLE,
        "INSERT INTO records BY NAME SELECT * FROM records_v3",
        "DROP TABLE records_v3",
    ],
]


class KnownFile(NamedTuple):
    """A files row as discovery compares it with the inbox."""
    size: int | None
    mtime_ns: int | None
    ctime_ns: int | None
    inode: int | None
    device: int | None
    content_sha256: str | None
    status: str
    reason: str | None
    failed_rules: list | None
    gone: bool
    legacy: bool       # a row of a store older than version 3, not yet adopted by an inbox


class StoreError(CchcError):
    """The store cannot be used; the message says which file and why."""


def _held_by_another_process(error: Exception) -> bool:
    """DuckDB's "Could not set lock on file … Conflicting lock is held in … (PID n)"."""
    return "Conflicting lock is held" in str(error)


def _holder(error: Exception) -> str:
    m = re.search(r"held in (.+?) \(PID (\d+)\)", str(error))
    return f"process {m.group(2)}, {Path(m.group(1)).name}" if m else "another process"


class Store:
    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"store {self.path} does not exist yet: run `cchc run` first")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # DuckDB is imported where a store is opened, not with this module: every extraction
        # worker imports this module (Prefect ships the flow, and so flows.pipeline, with
        # each task) and never opens a store; DuckDB would cost each one 29 MB.
        import duckdb

        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            if _held_by_another_process(e):  # busy, not damaged: the file is fine
                raise StoreBusy(f"store {self.path} is open in another program ({_holder(e)}); "
                                "try again when it has finished") from None
            raise StoreError(self._damaged(e)) from None
        try:
            self._ensure_schema(read_only)
            if not read_only:
                self._bound_memory()
        except BaseException as e:
            self.con.close()  # refused: let go of the file as it was
            if isinstance(e, duckdb.Error):  # a damaged file can open and fail on the first read
                raise StoreError(self._damaged(e)) from None
            raise

    def _bound_memory(self) -> None:
        """Size DuckDB's memory_limit to the store's keyed rows: it grows with them, so
        inserts never fail for want of index memory, and DuckDB no longer keeps every block
        it reads or writes."""
        rows = self.con.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM files)").fetchone()[0]
        self.con.execute(f"SET memory_limit = '{WORKING_MEMORY + INDEX_BYTES_PER_ROW * rows}B'")

    def _damaged(self, error: Exception) -> str:
        return (f"store {self.path} cannot be opened ({_first_line(error)}); it was left untouched: "
                "restore it from a backup, or move it away to start a new store")

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- schema -------------------------------------------------------------------------
    def _ensure_schema(self, read_only: bool) -> None:
        import duckdb  # loaded by __init__ already: see there

        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if not tables:
            if read_only:
                raise StoreError(f"store {self.path} is empty: run `cchc run` first")
            with self.transaction():
                for stmt in _CREATE:
                    self.con.execute(stmt)
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            return
        if "meta" not in tables:
            raise StoreError(f"store {self.path} is a DuckDB file but not a cchc store "
                             f"(tables: {', '.join(sorted(tables))}); it was left untouched")
        version = int(self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"store {self.path} has schema version {version}, newer than this "
                             f"program's {SCHEMA_VERSION}: upgrade cchc-report")
        if version < SCHEMA_VERSION:
            if read_only:
                raise StoreError(f"store {self.path} has the old schema version {version}: "
                                 "run `cchc run` once to migrate it")
            try:
                with self.transaction():
                    for steps in MIGRATIONS[version - 1:]:
                        for stmt in steps:
                            self.con.execute(stmt)
                    self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                                     [str(SCHEMA_VERSION)])
            except duckdb.Error as e:
                raise StoreError(f"store {self.path}: migrating schema version {version} to "
                                 f"{SCHEMA_VERSION} failed ({_first_line(e)}); it was left at "
                                 f"version {version}") from None

    @property
    def schema_version(self) -> int:
        return int(self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])

    @contextmanager
    def transaction(self):
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- files ---------------------------------------------------------------------------
    def files(self) -> pl.DataFrame:
        return self.con.execute("SELECT * FROM files ORDER BY name, inbox").pl()

    def file_index(self, inbox: str) -> dict[str, KnownFile]:
        """name -> what the store knows of that file of `inbox`: what discovery compares
        with. Rows of a store older than version 3 stand in for names the inbox has no row for."""
        rows = self.con.execute(
            """SELECT name, size, mtime_ns, ctime_ns, inode, device, content_sha256, status, reason,
                      failed_rules, gone_since IS NOT NULL, inbox = ? FROM files
               WHERE inbox = ? OR inbox = ? ORDER BY inbox = ?""",
            [LEGACY_INBOX, inbox, LEGACY_INBOX, LEGACY_INBOX]).fetchall()
        index: dict[str, KnownFile] = {}
        for r in rows:  # this inbox's own rows first
            index.setdefault(r[0], KnownFile(*r[1:]))
        return index

    def known_contents(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT content_sha256 FROM articles").fetchall()}

    # -- writes --------------------------------------------------------------------------
    def commit_batch(self, files: list[dict], articles: pl.DataFrame, records: pl.DataFrame,
                     run_id: str, inbox: str = LEGACY_INBOX, gone: list[str] = (),
                     retire_gone: bool = False) -> None:
        """Write one batch atomically.

        `files`: dicts with the `_FILE_ROW` fields (name, stat, content_sha256, status,
        reason, failed_rules for an article the validation rejected, `replaces` for a
        rename) of files of `inbox`.
        `articles`/`records`: new article versions and all their records (records carry
        `quarantined` and `failed_rules`). An article version already stored is replaced
        whole, so re-extracting it (rebuild) never duplicates a record; records of a
        content no file name holds any more are removed with it.
        `gone`: names of `inbox` that left it; they are marked gone and keep their records,
        or with `retire_gone` are forgotten with the records only they held.
        Refused whole (StoreError) when it holds a record twice, or a record already stored
        whose article it does not replace.
        """
        _check_records(records)
        now = datetime.now(timezone.utc)
        with self.transaction():
            if articles.height:
                self.con.register("new_articles", articles.select(list(ARTICLE_SCHEMA)).to_arrow())
                self.con.execute("DELETE FROM records WHERE content_sha256 IN (SELECT content_sha256 FROM new_articles)")
                self.con.execute("DELETE FROM articles WHERE content_sha256 IN (SELECT content_sha256 FROM new_articles)")
                cols = ", ".join(ARTICLE_SCHEMA)
                self.con.execute(f"INSERT INTO articles ({cols}, ingested_at, run_id) "
                                 f"SELECT {cols}, ?, ? FROM new_articles", [now, run_id])
                self.con.unregister("new_articles")
            if records.height:
                cols = ", ".join([*RECORD_SCHEMA, "quarantined", "failed_rules"])
                self.con.register("new_records", records.select(cols.split(", ")).to_arrow())
                if not articles.height or not records["content_sha256"].is_in(
                        articles["content_sha256"].implode()).all():
                    self._refuse_stored_records()
                self.con.execute(f"INSERT INTO records ({cols}) SELECT {cols} FROM new_records")
                self.con.execute("""INSERT INTO pending_reports SELECT DISTINCT report_half, lang, ?
                                    FROM new_records, report_langs WHERE report_half IS NOT NULL
                                    ON CONFLICT DO NOTHING""", [now])
                self.con.unregister("new_records")
            replaced: list[str] = []
            if files:
                replaced += self._write_files(files, inbox, now)
            if gone:
                replaced += self._leave(inbox, list(gone), retire_gone, now)
            self._drop_orphans(replaced)
            crash_point("store-batch")
        self._bound_memory()

    def _refuse_stored_records(self) -> None:
        """Records of contents whose article is not in the batch were not replaced: none of
        them may be stored already. (The pipeline sends records with their articles; this
        scans every stored record_id, so it runs only for a batch that does not.)"""
        again = self.con.execute("SELECT record_id FROM new_records WHERE record_id IN "
                                 "(SELECT record_id FROM records) LIMIT 1").fetchone()
        if again:
            raise StoreError(f"record {again[0]} is already stored; nothing of the batch was stored")

    def _write_files(self, files: list[dict], inbox: str, now: datetime) -> list[str]:
        """Upsert the rows; the contents the names (and renamed names) held until now."""
        self.con.register("new_files", pl.DataFrame(
            [{k: f.get(k) for k in _FILE_ROW} for f in files], schema=_FILE_ROW).to_arrow())
        # the versions these names pointed to until now: the only ones this batch can
        # orphan (a pre-version-3 row of the same name is adopted by this inbox)
        replaced = [r[0] for r in self.con.execute(
            """SELECT DISTINCT content_sha256 FROM files WHERE content_sha256 IS NOT NULL
               AND ((inbox = ? AND name IN (SELECT name FROM new_files UNION ALL
                                            SELECT replaces FROM new_files))
                    OR (inbox = ? AND name IN (SELECT name FROM new_files)))""",
            [inbox, LEGACY_INBOX]).fetchall()]
        # a renamed file: its articles and records are shown under the new name
        for table in ("articles", "records"):
            self.con.execute(f"""UPDATE {table} SET file = n.name FROM new_files n
                                 WHERE n.replaces IS NOT NULL AND {table}.file = n.replaces
                                 AND {table}.content_sha256 = n.content_sha256""")
        self.con.execute("DELETE FROM files WHERE inbox = ? AND name IN (SELECT replaces FROM new_files)",
                         [inbox])
        if inbox != LEGACY_INBOX:
            self.con.execute("DELETE FROM files WHERE inbox = ? AND name IN (SELECT name FROM new_files)",
                             [LEGACY_INBOX])
        self.con.execute(
            """INSERT INTO files SELECT ?, name, size, mtime_ns, ctime_ns, inode, device,
                 content_sha256, status, reason, coalesce(failed_rules, []), ?, ?, NULL FROM new_files
               ON CONFLICT (inbox, name) DO UPDATE SET size = excluded.size,
                 mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, inode = excluded.inode,
                 device = excluded.device, content_sha256 = excluded.content_sha256,
                 status = excluded.status, reason = excluded.reason,
                 failed_rules = excluded.failed_rules, last_seen = excluded.last_seen,
                 gone_since = NULL""",
            [inbox, now, now])
        self.con.unregister("new_files")
        return replaced

    def _leave(self, inbox: str, names: list[str], retire: bool, now: datetime) -> list[str]:
        """Names that left `inbox`: marked gone (their records stay), or retired: forgotten,
        and the contents they held returned as candidates for removal."""
        if not retire:
            self.con.execute("""UPDATE files SET gone_since = ? WHERE inbox = ?
                                AND list_contains(?, name) AND gone_since IS NULL""", [now, inbox, names])
            return []
        held = [r[0] for r in self.con.execute(
            """SELECT DISTINCT content_sha256 FROM files WHERE inbox = ? AND list_contains(?, name)
               AND content_sha256 IS NOT NULL""", [inbox, names]).fetchall()]
        self.con.execute("DELETE FROM files WHERE inbox = ? AND list_contains(?, name)", [inbox, names])
        return held

    def retire(self, inbox: str, name: str) -> int:
        """Forget `name` of `inbox` (or of a store older than version 3) and the records only it held;
        the number of records removed. Raises KeyError when the store does not know it."""
        row = self.con.execute("SELECT inbox FROM files WHERE name = ? AND inbox IN (?, ?) "
                               "ORDER BY inbox = ? LIMIT 1", [name, inbox, LEGACY_INBOX,
                                                              LEGACY_INBOX]).fetchone()
        if row is None:
            raise KeyError(name)
        before = self.counts()["records"]
        with self.transaction():
            self._drop_orphans(self._leave(row[0], [name], retire=True, now=datetime.now(timezone.utc)))
        return before - self.counts()["records"]

    def _drop_orphans(self, candidates: list[str]) -> None:
        """Of the article versions in `candidates`, those no file name holds any more (the
        file changed, was renamed and changed, or was retired): they go with their
        records, and their half-years' reports must be rewritten."""
        if not candidates:
            return
        orphans = [r[0] for r in self.con.execute(
            """SELECT unnest(?::VARCHAR[]) EXCEPT SELECT content_sha256 FROM files
               WHERE content_sha256 IS NOT NULL AND list_contains(?, status)""",
            [candidates, list(HOLDING)]).fetchall()]
        if not orphans:
            return
        self.con.execute("""INSERT INTO pending_reports SELECT DISTINCT report_half, lang, now()
                            FROM records, report_langs
                            WHERE list_contains(?, content_sha256) AND report_half IS NOT NULL
                            ON CONFLICT DO NOTHING""", [orphans])
        self.con.execute("DELETE FROM records WHERE list_contains(?, content_sha256)", [orphans])
        self.con.execute("DELETE FROM articles WHERE list_contains(?, content_sha256)", [orphans])

    def pending_reports(self, lang: str | None = None) -> list[str]:
        """Half-years whose report in `lang` (in any language: None) must be rewritten."""
        sql, params = "SELECT DISTINCT half FROM pending_reports", []
        if lang:
            sql, params = sql + " WHERE lang = ?", [lang]
        return [r[0] for r in self.con.execute(sql + " ORDER BY half", params).fetchall()]

    def pending_by_lang(self) -> list[tuple[str, str]]:
        return self.con.execute("SELECT half, lang FROM pending_reports ORDER BY half, lang").fetchall()

    def use_lang(self, lang: str) -> None:
        """From now on new records make reports in `lang` pending too."""
        self.con.execute("INSERT INTO report_langs VALUES (?) ON CONFLICT DO NOTHING", [lang])

    def report_done(self, half: str, lang: str) -> None:
        self.con.execute("DELETE FROM pending_reports WHERE half = ? AND lang = ?", [half, lang])

    def start_run(self, run_id: str, flow_run_id: str | None) -> None:
        # Called under the store lock, so a run still marked running was killed.
        self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        self.con.execute("INSERT INTO runs VALUES (?, ?, ?, NULL, 'running', NULL)",
                         [run_id, flow_run_id, datetime.now(timezone.utc)])

    def finish_run(self, run_id: str, status: str, summary: dict) -> None:
        self.con.execute("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE run_id = ?",
                         [datetime.now(timezone.utc), status, json.dumps(summary, ensure_ascii=False), run_id])

    # -- reads ---------------------------------------------------------------------------
    def records(self, half: str | None = None, quarantined: bool | None = None,
                inbox: str | None = None) -> pl.DataFrame:
        """Records ordered by file and position; `half` filters on report_half, `inbox` keeps
        the records of the files now in that inbox."""
        where, params = [], []
        if half:
            where.append("report_half = ?")
            params.append(half)
        if quarantined is not None:
            where.append("quarantined = ?")
            params.append(quarantined)
        if inbox is not None:
            where.append("""content_sha256 IN (SELECT content_sha256 FROM files WHERE inbox = ?
                            AND gone_since IS NULL AND list_contains(?, status))""")
            params += [inbox, list(HOLDING)]
        sql = "SELECT * FROM records" + (" WHERE " + " AND ".join(where) if where else "")
        return self.con.execute(sql + " ORDER BY file, char_start, metric_id, kind", params).pl()

    def articles(self, shas: list[str] | None = None) -> pl.DataFrame:
        sql = "SELECT * FROM articles"
        params = []
        if shas is not None:
            sql += " WHERE list_contains(?, content_sha256)"
            params.append(shas)
        return self.con.execute(sql + " ORDER BY file", params).pl()

    def halves(self) -> list[str]:
        rows = self.con.execute("SELECT DISTINCT report_half FROM records WHERE report_half IS NOT NULL "
                                "ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def half_counts(self) -> list[tuple[str | None, int, int]]:
        """(report half-year, records, quarantined) for each half-year, None last."""
        return self.con.execute("SELECT report_half, count(*), count(*) FILTER (WHERE quarantined) "
                                "FROM records GROUP BY 1 ORDER BY 1 NULLS LAST").fetchall()

    def last_run(self) -> dict | None:
        row = self.con.execute("SELECT run_id, started_at, finished_at, status, summary FROM runs "
                               "ORDER BY started_at DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return {"run_id": row[0], "started_at": row[1], "finished_at": row[2], "status": row[3],
                "summary": json.loads(row[4]) if row[4] else None}

    def counts(self) -> dict:
        one = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": one("SELECT count(*) FROM files"),
            "files_rejected": one(f"SELECT count(*) FROM files WHERE status = '{FileStatus.REJECTED}'"),
            "files_gone": one("SELECT count(*) FROM files WHERE gone_since IS NOT NULL"),
            "articles": one("SELECT count(*) FROM articles"),
            "records": one("SELECT count(*) FROM records"),
            "quarantined": one("SELECT count(*) FROM records WHERE quarantined"),
        }


def _check_records(records: pl.DataFrame) -> None:
    """No record twice in one batch (the other half of record_id's uniqueness: _RECORDS_TABLE)."""
    twice = records.filter(pl.col("record_id").is_duplicated())["record_id"] if records.height else []
    if len(twice):
        raise StoreError(f"a batch holds record {twice[0]} twice; nothing of it was stored")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
