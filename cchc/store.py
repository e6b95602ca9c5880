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

import duckdb
import polars as pl

from cchc.errors import CchcError
from cchc.faults import crash_point
from cchc.locking import StoreBusy
from transforms.schema import ARTICLE_SCHEMA, RECORD_SCHEMA

SCHEMA_VERSION = 1

_DUCK_TYPES = {
    pl.String: "VARCHAR", pl.Float64: "DOUBLE", pl.Int64: "BIGINT", pl.Date: "DATE",
    pl.Boolean: "BOOLEAN", pl.List(pl.String): "VARCHAR[]",
}


def _columns(schema: pl.Schema) -> str:
    return ", ".join(f"{name} {_DUCK_TYPES[dtype]}" for name, dtype in schema.items())


# Version 1. A later version appends a migration to MIGRATIONS instead of editing this.
_CREATE = [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    # one row per file name ever seen in the inbox; status ingested / duplicate / rejected
    """CREATE TABLE files (name VARCHAR PRIMARY KEY, size BIGINT, mtime_ns BIGINT,
        content_sha256 VARCHAR, status VARCHAR, reason VARCHAR, failed_rules VARCHAR[],
        first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ)""",
    f"""CREATE TABLE articles ({_columns(ARTICLE_SCHEMA)}, ingested_at TIMESTAMPTZ,
        run_id VARCHAR, PRIMARY KEY (content_sha256))""",
    f"""CREATE TABLE records ({_columns(RECORD_SCHEMA)}, quarantined BOOLEAN NOT NULL,
        failed_rules VARCHAR[], PRIMARY KEY (record_id))""",
    # half-years whose report must be (re)written: set with the batch that changed their
    # records, cleared once the report is written and delivered, so a crash in between
    # is finished by the next run
    "CREATE TABLE pending_reports (half VARCHAR PRIMARY KEY, since TIMESTAMPTZ)",
    """CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, flow_run_id VARCHAR,
        started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR, summary JSON)""",
]

# A row of the files table as commit_batch receives it.
_FILE_ROW = pl.Schema({"name": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64,
                       "content_sha256": pl.String, "status": pl.String, "reason": pl.String,
                       "failed_rules": pl.List(pl.String)})

# MIGRATIONS[n] brings a store from version n+1 to n+2.
MIGRATIONS: list[list[str]] = []


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
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            if _held_by_another_process(e):  # busy, not damaged: the file is fine
                raise StoreBusy(f"store {self.path} is open in another program ({_holder(e)}); "
                                "try again when it has finished") from None
            raise StoreError(self._damaged(e)) from None
        try:
            self._ensure_schema(read_only)
        except BaseException as e:
            self.con.close()  # refused: let go of the file as it was
            if isinstance(e, duckdb.Error):  # a damaged file can open and fail on the first read
                raise StoreError(self._damaged(e)) from None
            raise

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
        return self.con.execute("SELECT * FROM files ORDER BY name").pl()

    def file_index(self) -> dict[str, tuple[int, int, str | None, str]]:
        """name -> (size, mtime_ns, content_sha256, status): what discovery compares with."""
        rows = self.con.execute("SELECT name, size, mtime_ns, content_sha256, status FROM files").fetchall()
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def known_contents(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT content_sha256 FROM articles").fetchall()}

    # -- writes --------------------------------------------------------------------------
    def commit_batch(self, files: list[dict], articles: pl.DataFrame, records: pl.DataFrame,
                     run_id: str) -> None:
        """Write one batch atomically.

        `files`: dicts with name, size, mtime_ns, content_sha256, status, reason and, for
        an article the validation rejected, failed_rules.
        `articles`/`records`: new article versions and all their records (records carry
        `quarantined` and `failed_rules`). An article version already stored is replaced
        whole, so re-extracting it (rebuild) never duplicates a record; records of a
        content no file name points to any more are removed with it.
        """
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
                self.con.execute(f"INSERT INTO records ({cols}) SELECT {cols} FROM new_records")
                self.con.execute("""INSERT INTO pending_reports SELECT DISTINCT report_half, ?
                                    FROM new_records WHERE report_half IS NOT NULL
                                    ON CONFLICT DO NOTHING""", [now])
                self.con.unregister("new_records")
            if files:
                self.con.register("new_files", pl.DataFrame(
                    [{k: f.get(k) for k in _FILE_ROW} for f in files], schema=_FILE_ROW).to_arrow())
                # the versions these names pointed to until now: the only ones this batch can orphan
                replaced = [r[0] for r in self.con.execute(
                    """SELECT DISTINCT content_sha256 FROM files WHERE content_sha256 IS NOT NULL
                       AND name IN (SELECT name FROM new_files)""").fetchall()]
                self.con.execute(
                    """INSERT INTO files SELECT name, size, mtime_ns, content_sha256, status, reason,
                         coalesce(failed_rules, []), ?, ? FROM new_files
                       ON CONFLICT (name) DO UPDATE SET size = excluded.size,
                         mtime_ns = excluded.mtime_ns, content_sha256 = excluded.content_sha256,
                         status = excluded.status, reason = excluded.reason,
                         failed_rules = excluded.failed_rules, last_seen = excluded.last_seen""",
                    [now, now])
                self.con.unregister("new_files")
                self._drop_orphans(replaced)
            crash_point("store-batch")

    def _drop_orphans(self, candidates: list[str]) -> None:
        """Of the article versions in `candidates`, those no inbox file name points to any
        more (the file changed): they go with their records, and their half-years' reports
        must be rewritten."""
        if not candidates:
            return
        orphans = [r[0] for r in self.con.execute(
            """SELECT unnest(?::VARCHAR[]) EXCEPT SELECT content_sha256 FROM files
               WHERE content_sha256 IS NOT NULL AND status IN ('ingested', 'duplicate')""",
            [candidates]).fetchall()]
        if not orphans:
            return
        self.con.execute("""INSERT INTO pending_reports SELECT DISTINCT report_half, now() FROM records
                            WHERE list_contains(?, content_sha256) AND report_half IS NOT NULL
                            ON CONFLICT DO NOTHING""", [orphans])
        self.con.execute("DELETE FROM records WHERE list_contains(?, content_sha256)", [orphans])
        self.con.execute("DELETE FROM articles WHERE list_contains(?, content_sha256)", [orphans])

    def pending_reports(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT half FROM pending_reports ORDER BY half").fetchall()]

    def report_done(self, half: str) -> None:
        self.con.execute("DELETE FROM pending_reports WHERE half = ?", [half])

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
                files: list[str] | None = None) -> pl.DataFrame:
        """Records ordered by file and position; `half` filters on report_half."""
        where, params = [], []
        if half:
            where.append("report_half = ?")
            params.append(half)
        if quarantined is not None:
            where.append("quarantined = ?")
            params.append(quarantined)
        if files is not None:
            where.append("content_sha256 IN (SELECT content_sha256 FROM files WHERE list_contains(?, name))")
            params.append(files)
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
            "files_rejected": one("SELECT count(*) FROM files WHERE status = 'rejected'"),
            "articles": one("SELECT count(*) FROM articles"),
            "records": one("SELECT count(*) FROM records"),
            "quarantined": one("SELECT count(*) FROM records WHERE quarantined"),
        }


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
