"""The `cchc-pipeline` flow: discover → read → extract (clean first) → validate → store →
report → deliver.

Thin orchestration only: which task runs when, on what batch, with what retries. The
work itself is in `transforms/` (pure) and `cchc/` (store, inbox, report, delivery).
Extraction batches go to the task runner (local processes or Dask: flows/runners.py); validation,
store writes and reports run in the flow's own process, one batch at a time, so one
process writes the store.
"""
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff

from cchc import progress
from cchc.delivery import DeliveryError, deliver_file, remove_partial_outputs
from cchc.faults import crash_point
from cchc.inbox import ChangedWhileReading, InboxFile, Scan, inbox_key, read_file, scan_inbox
from cchc.locking import store_lock
from cchc.notify import notify_failure
from cchc.report import load_report_data, report_filename, write_report
from cchc.schedule import JUST_CLOSED, closed_half, run_day
from cchc.settings import Settings, for_run
from cchc.store import Store
from cchc.report.validation_page import write_validation_page
from flows.runners import extract_in_order, extraction_runner, in_flight
from transforms.read.clean import oversized_numbers
from transforms.read.decode import UnreadableFile
from transforms.read.document import Article, read_document
from transforms.schema import FileStatus
from transforms.validate.validation import Suites, load_suites, validate


@dataclass
class RunSummary:
    run_id: str
    inbox: str
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    renamed: int = 0      # of the new and changed: a known file under a new name
    unchanged: int = 0
    gone: int = 0         # known files that left the inbox in this run (setting vanished_files)
    duplicates: int = 0
    rejected: list = field(default_factory=list)   # [name, reason]
    skipped: list = field(default_factory=list)    # [name, reason]: hidden, temporary, still being written
    articles: int = 0
    records: int = 0
    quarantined: int = 0
    quarantine_rules: dict = field(default_factory=dict)  # rule id -> records
    rule_outcomes: dict = field(default_factory=dict)     # rule id -> (checked, failed) in this run
    reports: list = field(default_factory=list)
    no_data: list = field(default_factory=list)    # half-years asked for with no figure: no workbook
    delivered: list = field(default_factory=list)
    delivery_errors: list = field(default_factory=list)  # [report, reason]
    warnings: list = field(default_factory=list)   # [name, what to check]: stored, but look at it


@dataclass
class ReadBatch:
    items: list[Article] = field(default_factory=list)  # to extract
    files: list = field(default_factory=list)       # rows for the store's files table
    rejected: list = field(default_factory=list)    # (name, reason)
    unchanged: int = 0                              # read to verify: the same content after all
    gone: list = field(default_factory=list)        # renamed names that turned out not to be
    skipped: list = field(default_factory=list)     # (name, reason)


# -- tasks ----------------------------------------------------------------------------------

@task(name="discover-files", cache_policy=NO_CACHE)
def discover_files(settings: Settings, known: dict[str, tuple], rebuild: bool, verify: bool) -> Scan:
    return scan_inbox(settings.inbox, known, settings.max_file_bytes, rebuild=rebuild,
                      min_age_s=settings.min_file_age_s, verify=verify)


@task(name="read-files", cache_policy=NO_CACHE)
def read_files(entries: list[InboxFile], known_contents: set[str], seen_this_run: set[str],
               rebuild: bool) -> ReadBatch:
    """Read, hash and decode; content already stored becomes a second name, not a record.

    A file that cannot be read now (permissions, gone since the scan) gets no row: the
    store keeps what it had, and the next run reads it again."""
    batch = ReadBatch()
    for entry in entries:
        try:
            data, sha = read_file(entry)
        except ChangedWhileReading:
            batch.skipped.append((entry.name, "still being written; left for the next run"))
            continue
        except OSError as e:
            batch.rejected.append((entry.name, f"cannot be read: {e.strerror or e}; "
                                               "it will be read again next run"))
            continue
        if entry.verify and sha == entry.known.content_sha256 and not rebuild:
            batch.files.append({**entry.touch_row(), "verified": True})  # same bytes, new ctime or inode
            batch.unchanged += 1
            continue
        row = entry.row(content_sha256=sha)
        if sha in seen_this_run or (sha in known_contents and not rebuild):
            batch.files.append({**row, "status": FileStatus.DUPLICATE, "reason": None})
            continue
        try:
            doc = read_document(data, entry.name)
        except UnreadableFile as e:
            batch.rejected.append((entry.name, str(e)))
            batch.files.append({**row, "status": FileStatus.REJECTED, "reason": str(e)})
            continue
        seen_this_run.add(sha)
        batch.items.append(Article(entry.name, doc, sha, entry.file_date))
        # what was repaired while reading (a damaged byte replaced) stays beside the file
        note = "; ".join(doc.notes) or None
        if note:
            get_run_logger().warning("%s: %s", entry.name, note)
        batch.files.append({**row, "status": FileStatus.INGESTED, "reason": note})
    return batch


@task(name="validate-records", cache_policy=NO_CACHE)
def validate_records(articles: pl.DataFrame, records: pl.DataFrame, suites: Suites):
    return validate(articles, records, suites)


@task(name="store-batch", cache_policy=NO_CACHE)
def store_batch(store: Store, files: list[dict], articles: pl.DataFrame, records: pl.DataFrame,
                run_id: str, cfg: Settings, gone: list[str]) -> None:
    store.commit_batch(files, articles, records, run_id, inbox=inbox_key(cfg.inbox), gone=gone,
                       retire_gone=cfg.vanished_files == "retire")


@task(name="write-report", cache_policy=NO_CACHE)
def write_half_report(store: Store, settings: Settings, half: str, final: bool | None) -> Path | None:
    """The workbook and validation page of `half`; None (nothing written) when the
    half-year has no figure for the reporting unit: an empty report helps nobody."""
    data = load_report_data(store, half, settings, final=final)
    if data.is_empty:
        return None
    path = write_report(data, settings.reports)
    quarantined = data.records.filter(pl.col("quarantined") & (pl.col("report_half") == half))
    write_validation_page(path.with_suffix(".html"), data.outcomes, quarantined,
                          title=path.stem, lang=settings.lang)
    return path


@task(name="deliver-report", cache_policy=NO_CACHE, retry_jitter_factor=0.5)
def deliver_report(path: Path, share: Path) -> Path:
    return deliver_file(path, share)


def _delivery(cfg: Settings):
    """deliver_report with the retries of the settings: share_retries more attempts, the
    first after share_retry_delay_s, each wait twice the one before."""
    return deliver_report.with_options(
        retries=cfg.share_retries,
        retry_delay_seconds=exponential_backoff(backoff_factor=cfg.share_retry_delay_s)
        if cfg.share_retries and cfg.share_retry_delay_s else 0)


# -- flows ----------------------------------------------------------------------------------

@flow(name="cchc-pipeline", log_prints=False, on_failure=[notify_failure], on_crashed=[notify_failure])
def cchc_pipeline(half_year: str | None = None, inbox: str | None = None, share_dir: str | None = None,
                  rebuild: bool = False, final: bool | None = None, make_reports: bool = True,
                  settings: dict | None = None, verify: bool = False) -> dict:
    """Ingest what is new in the inbox, then refresh and deliver the reports that changed.

    half_year: also (re)write this half-year's report even if nothing in it changed;
    "just-closed" is the half-year whose deadline last passed before the run's date.
    rebuild: re-read and re-extract every inbox file with the current catalog.
    verify: read every inbox file whose size and time are unchanged and compare its hash.
    final: mark the reports FINAL (True) or PROVISIONAL (False); None decides by deadline.
    settings: overrides of the settings in cchc.settings.RUN_OVERRIDABLE (the CLI passes
    what it resolved, to show in the UI); the rest are those of the process running the
    flow: the CLI's resolved settings, or the environment and config file of `cchc serve`
    or the worker.
    """
    cfg = for_run({**(settings or {}), "inbox": inbox, "share": share_dir})
    log = get_run_logger()
    if half_year == JUST_CLOSED:  # the half-year-close deployment: the run's date decides
        half_year = str(closed_half(run_day(cfg.timezone), cfg.calendar))
        log.info("closing %s", half_year)
    run_id = str(flow_run.get_id() or datetime.now(timezone.utc).strftime("local-%Y%m%dT%H%M%S"))
    summary = RunSummary(run_id=run_id, inbox=str(cfg.inbox))
    with store_lock(cfg.store, cfg.lock_timeout_s), Store(cfg.store) as store:
        store.start_run(run_id, run_id)
        store.use_lang(cfg.lang)
        try:
            _ingest(store, cfg, rebuild, verify, summary, log)
            if make_reports:
                halves = sorted(set(store.pending_reports(cfg.lang)) | ({half_year} if half_year else set())
                                | _missing_reports(store, cfg))
                _report_and_deliver(store, cfg, halves, final, summary, log)
        except BaseException as e:
            store.finish_run(run_id, "failed", {**asdict(summary), "error": str(e)})
            raise
        store.finish_run(run_id, _outcome(summary), _with_error(summary))
    _publish_artifacts(summary)
    return asdict(summary)


@flow(name="cchc-report", log_prints=False, on_failure=[notify_failure], on_crashed=[notify_failure])
def cchc_report(half_year: str | None = None, final: bool | None = None,
                settings: dict | None = None) -> dict:
    """Write and deliver the report of one half-year, or of every half-year with data."""
    cfg = for_run(settings)
    log = get_run_logger()
    run_id = str(flow_run.get_id())
    summary = RunSummary(run_id=run_id, inbox=str(cfg.inbox))
    with store_lock(cfg.store, cfg.lock_timeout_s), Store(cfg.store) as store:
        store.use_lang(cfg.lang)
        halves = [half_year] if half_year else store.halves()
        _report_and_deliver(store, cfg, halves, final, summary, log)
    _publish_artifacts(summary)
    return asdict(summary)


# -- steps ----------------------------------------------------------------------------------

def _outcome(summary: RunSummary) -> str:
    """The run's status in the store: a report left undelivered is not a completed run."""
    return "not delivered" if summary.delivery_errors else "completed"


def _with_error(summary: RunSummary) -> dict:
    done = asdict(summary)
    if summary.delivery_errors:
        done["error"] = "; ".join(f"{Path(p).name}: {reason}" for p, reason in summary.delivery_errors)
    return done


def _ingest(store: Store, cfg: Settings, rebuild: bool, verify: bool, summary: RunSummary, log) -> None:
    known_index = store.file_index(inbox_key(cfg.inbox))
    scan = discover_files(cfg, known_index, rebuild, verify)
    # Only when there is something to validate: loading the suites (Great Expectations)
    # is a third of a run with nothing new. Still before anything is written.
    suites = load_suites(cfg.expectations) if scan.to_read else None
    summary.files_seen = len(scan.to_read) + len(scan.unchanged) + len(scan.rejected) + len(scan.unreadable)
    summary.unchanged = len(scan.unchanged)
    summary.skipped += scan.skipped
    summary.rejected += scan.rejected + scan.unreadable  # unreadable ones get no row: read next run
    summary.gone = len(scan.vanished)
    if scan.rejected or scan.touched or scan.vanished:
        rows = [{"name": n, "status": FileStatus.REJECTED, "reason": r} for n, r in scan.rejected]
        store_batch(store, rows + [e.touch_row() for e in scan.touched], pl.DataFrame(), pl.DataFrame(),
                    summary.run_id, cfg, scan.vanished)
    known_contents = store.known_contents()
    seen_this_run: set[str] = set()
    total = len(scan.to_read)
    done = 0
    starts = range(0, total, cfg.batch_size)
    # read lazily, in order (duplicates are judged against what was read before)
    batches = (read_files(scan.to_read[start:start + cfg.batch_size], known_contents, seen_this_run, rebuild)
               for start in starts)
    with extraction_runner(cfg, len(starts)) as runner:
        for batch, (articles, records, errors) in extract_in_order(
                runner, batches, in_flight(cfg, runner), cfg.calendar, cfg.extract_budget_s):
            _store_extracted(store, cfg, suites, batch, articles, records, errors, summary, known_index)
            done = min(done + cfg.batch_size, total)
            progress.update(done, total)
    log.info("ingest: %d new, %d changed, %d unchanged, %d rejected, %d gone; %d records (%d quarantined)",
             summary.new, summary.changed, summary.unchanged, len(summary.rejected), summary.gone,
             summary.records, summary.quarantined)


def _store_extracted(store: Store, cfg: Settings, suites: Suites, batch: ReadBatch, articles: pl.DataFrame,
                     records: pl.DataFrame, errors: list, summary: RunSummary, known_index: dict) -> None:
    crash_point("read-batch")
    for name, reason in errors:
        batch.rejected.append((name, f"extraction failed: {reason}"))
        for row in batch.files:
            if row["name"] == name:
                row.update(status=FileStatus.REJECTED, reason=f"extraction failed: {reason}")
    result = validate_records(articles, records, suites)
    failed_articles = result.article_failures
    if failed_articles:
        _reject_failed_articles(batch, failed_articles, suites)
        articles = articles.filter(~pl.col("content_sha256").is_in(list(failed_articles)))
    _confirm_renames(store, batch, articles, known_index)
    # a record stated twice at one place is quarantined by metrics.unique; keep one copy
    kept = (result.records.filter(~pl.col("content_sha256").is_in(list(failed_articles)))
            .unique("record_id", keep="first", maintain_order=True))
    store_batch(store, batch.files, articles, kept, summary.run_id, cfg, batch.gone)
    _count(summary, batch, kept, known_index, result.outcomes)
    for file, text in articles.select("file", "text").iter_rows():
        if huge := oversized_numbers(text):
            summary.warnings.append([file, f"{len(huge)} numbers above 10^18 ({huge[0]}) are not taken "
                                           "as figures; check the source if one is a real figure"])


def _confirm_renames(store: Store, batch: ReadBatch, articles: pl.DataFrame, known_index: dict) -> None:
    """A new name on the inode of a vanished one replaces it only when it is the same
    article: the same content, or the same title. An inode number can be reused by a new
    file once the old one was moved to another disk; that file must not replace it."""
    for row in batch.files:
        old_name = row.get("replaces")
        if not old_name or row["status"] != FileStatus.INGESTED:
            continue
        old_sha = known_index[old_name].content_sha256
        old = store.articles([old_sha]) if old_sha else None
        new = articles.filter(pl.col("content_sha256") == row["content_sha256"])
        if old is not None and old.height and new.height and \
                _title(old["title"][0]) != _title(new["title"][0]):
            row["replaces"] = None
            batch.gone.append(old_name)


def _title(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def _reject_failed_articles(batch: ReadBatch, failures: dict[str, list[str]], suites: Suites) -> None:
    for row in batch.files:
        rules = failures.get(row.get("content_sha256"))
        if rules and row["status"] == FileStatus.INGESTED:
            reason = "; ".join(f"{suites.describe(rule, 'en')} ({rule})" for rule in rules)
            row.update(status=FileStatus.REJECTED, reason=reason, failed_rules=rules)
            batch.rejected.append((row["name"], reason))


def _count(summary: RunSummary, batch: ReadBatch, records: pl.DataFrame, known: dict,
           outcomes: pl.DataFrame) -> None:
    summary.unchanged += batch.unchanged
    summary.gone += len(batch.gone)
    extracted = {item.file for item in batch.items}  # not the rows of files verified unchanged
    for row in batch.files:
        if row.get("verified"):
            continue  # counted unchanged
        summary.renamed += bool(row.get("replaces"))
        if row["status"] == FileStatus.INGESTED and row["name"] in extracted:
            summary.articles += 1
            if row["name"] in known or row.get("replaces"):
                summary.changed += 1
            else:
                summary.new += 1
        elif row["status"] == FileStatus.DUPLICATE:
            summary.duplicates += 1
    summary.rejected += batch.rejected
    summary.skipped += batch.skipped
    summary.records += records.height
    quarantined = records.filter(pl.col("quarantined"))
    summary.quarantined += quarantined.height
    rules = Counter(rule for rules in quarantined["failed_rules"].to_list() for rule in rules)
    for rule, n in rules.items():
        summary.quarantine_rules[rule] = summary.quarantine_rules.get(rule, 0) + n
    for row in outcomes.iter_rows(named=True):
        checked, failed = summary.rule_outcomes.get(row["rule_id"], (0, 0))
        summary.rule_outcomes[row["rule_id"]] = (checked + row["checked"], failed + row["failed"])


def _missing_reports(store: Store, cfg: Settings) -> set[str]:
    """Half-years with data whose workbook is not in the reports folder (deleted by hand)."""
    return {h for h in store.halves() if not (cfg.reports / report_filename(h, cfg.lang, cfg.province)).exists()}


def _report_and_deliver(store: Store, cfg: Settings, halves: list[str], final: bool | None,
                        summary: RunSummary, log) -> None:
    for folder in (cfg.reports, cfg.share):  # what a killed run was writing
        remove_partial_outputs(folder)
    for half in halves:
        path = write_half_report(store, cfg, half, final)
        if path is None:
            summary.no_data.append(half)
            log.info("%s has no figures%s: no report written", half,
                     f" for {cfg.province}" if cfg.province else "")
            store.report_done(half, cfg.lang)
            continue
        summary.reports.append(str(path))
        try:
            for produced in (path, path.with_suffix(".html")):
                summary.delivered.append(str(_delivery(cfg)(produced, cfg.share)))
        except DeliveryError as e:
            summary.delivery_errors.append([str(path), str(e)])
            log.warning("delivery of %s to %s failed after retries: %s; the report stays in %s",
                        path.name, cfg.share, e, cfg.reports)
            continue
        store.report_done(half, cfg.lang)


def _publish_artifacts(summary: RunSummary) -> None:
    create_table_artifact(
        key="cchc-run-summary",
        table=[{"what": k, "count": v} for k, v in (
            ("files new", summary.new), ("files changed", summary.changed),
            ("files unchanged", summary.unchanged), ("files duplicate", summary.duplicates),
            ("files rejected", len(summary.rejected)), ("records extracted", summary.records),
            ("records quarantined", summary.quarantined), ("reports written", len(summary.reports)))],
        description="What this run did",
    )
    lines = ["# Validation", "", f"{summary.records} records checked, {summary.quarantined} quarantined.",
             "", "| rule | checked | failed |", "|---|---:|---:|"]
    lines += [f"| `{rule}` | {checked} | {failed} |" for rule, (checked, failed) in summary.rule_outcomes.items()]
    lines += ["", "## Rejected files", ""] + [f"- `{n}`: {r}" for n, r in summary.rejected]
    create_markdown_artifact(key="cchc-validation", markdown="\n".join(lines),
                             description="Validation summary")
    # Paths as text, not link artifacts: browsers do not follow file:// links from the
    # http:// UI, and a path can be pasted into a file explorer.
    reports = [f"- delivered `{Path(p).resolve()}`" for p in summary.delivered]
    reports += [f"- not delivered ({reason}), kept at `{Path(p).resolve()}`"
                for p, reason in summary.delivery_errors]
    if reports:
        create_markdown_artifact(key="cchc-reports", markdown="\n".join(["# Reports", ""] + reports),
                                 description="Reports")
