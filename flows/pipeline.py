"""The `cchc-pipeline` flow: discover → read → extract (clean first) → validate → store →
report → deliver.

Thin orchestration only: which task runs when, on what batch, with what retries. The
work itself is in `transforms/` (pure) and `cchc/` (store, inbox, report, delivery).
Extraction batches go to the task runner (local processes or Dask: flows/runners.py); validation,
store writes and reports run in the flow's own process, one batch at a time, so one
process writes the store.
"""
import gc
from dataclasses import asdict
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from cchc import progress
from cchc.delivery import DeliveryError, deliver_file, remove_partial_outputs
from cchc.faults import crash_point
from cchc.inbox import InboxFile, Scan, inbox_key, scan_inbox
from cchc.locking import store_lock
from cchc.notify import notify_failure
from cchc.report import load_report_data, write_report
from cchc.report.validation_page import write_validation_page
from cchc.runs import (ReadBatch, RunSummary, confirm_renames, count_batch, count_scan, missing_reports,
                       read_batch, reject_failed_articles, reject_unextracted, reports_markdown, run_status,
                       scan_rows, summary_table, summary_with_error, validation_markdown, warn_oversized_numbers)
from cchc.schedule import JUST_CLOSED, closed_half, run_day
from cchc.settings import Settings, for_run
from cchc.store import Store
from flows.runners import extract_in_order, extraction_runner, in_flight
from transforms.validate.validation import Suites, load_suites, validate


# -- tasks ----------------------------------------------------------------------------------
# Prefect walks every task argument, element by element, looking for upstream results: a set
# of 60 000 content hashes took 0.3 s per call, so a 100 000-file run slowed as it went.
# Arguments that grow with the inbox or the store, and the suites (a deep object), are
# passed in quote(), which Prefect does not walk; the task gets the object itself.

@task(name="discover-files", cache_policy=NO_CACHE)
def discover_files(settings: Settings, known: dict[str, tuple], rebuild: bool, verify: bool) -> Scan:
    return scan_inbox(settings.inbox, known, settings.max_file_bytes, rebuild=rebuild,
                      min_age_s=settings.min_file_age_s, verify=verify)


@task(name="read-files", cache_policy=NO_CACHE)
def read_files(entries: list[InboxFile], known_contents: set[str], seen_this_run: set[str],
               rebuild: bool) -> ReadBatch:
    return read_batch(entries, known_contents, seen_this_run, rebuild,
                      warn=lambda name, note: get_run_logger().warning("%s: %s", name, note))


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
                                | missing_reports(store, cfg))
                _report_and_deliver(store, cfg, halves, final, summary, log)
        except BaseException as e:
            store.finish_run(run_id, "failed", {**asdict(summary), "error": str(e)})
            raise
        store.finish_run(run_id, run_status(summary), summary_with_error(summary))
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

def _ingest(store: Store, cfg: Settings, rebuild: bool, verify: bool, summary: RunSummary, log) -> None:
    known_index = store.file_index(inbox_key(cfg.inbox))
    scan = discover_files(cfg, quote(known_index), rebuild, verify)
    # Only when there is something to validate: loading the suites (Great Expectations)
    # is a third of a run with nothing new. Still before anything is written.
    suites = load_suites(cfg.expectations) if scan.to_read else None
    if suites is not None:
        _exempt_long_lived_objects()
    count_scan(summary, scan)
    if scan.rejected or scan.touched or scan.vanished:
        store_batch(store, quote(scan_rows(scan)), pl.DataFrame(), pl.DataFrame(),
                    summary.run_id, cfg, quote(scan.vanished))
    known_contents = store.known_contents()
    seen_this_run: set[str] = set()
    total = len(scan.to_read)
    done = 0
    starts = range(0, total, cfg.batch_size)
    # read lazily, in order (duplicates are judged against what was read before)
    batches = (read_files(scan.to_read[start:start + cfg.batch_size], quote(known_contents),
                          quote(seen_this_run), rebuild)
               for start in starts)
    with extraction_runner(cfg, len(starts)) as runner:
        for batch, (articles, records, errors) in extract_in_order(
                runner, batches, in_flight(cfg, runner), cfg.calendar, cfg.extract_budget_s):
            _store_extracted(store, cfg, suites, batch, articles, records, errors, summary, known_index)
            # Validating a batch leaves reference cycles: GX's metric graphs, and the pydantic
            # errors GX catches while building each expectation, whose frames chain back to
            # _store_extracted and so hold the batch's articles and frames. Only Python's rare
            # full collection frees them, with the native buffers they hold (~40 KB per
            # article until then); one full collection per batch frees them now.
            gc.collect()
            done = min(done + cfg.batch_size, total)
            progress.update(done, total)
    log.info("ingest: %d new, %d changed, %d unchanged, %d rejected, %d gone; %d records (%d quarantined)",
             summary.new, summary.changed, summary.unchanged, len(summary.rejected), summary.gone,
             summary.records, summary.quarantined)


@cache
def _exempt_long_lived_objects() -> None:
    """Move what is alive once the suites are loaded (modules, Prefect, GX: ~300 000 objects
    that live as long as the process) out of the garbage collector's reach, once per
    process: the full collection after each batch then takes milliseconds instead of ~0.35 s."""
    gc.collect()
    gc.freeze()


def _store_extracted(store: Store, cfg: Settings, suites: Suites, batch: ReadBatch, articles: pl.DataFrame,
                     records: pl.DataFrame, errors: list, summary: RunSummary, known_index: dict) -> None:
    crash_point("read-batch")
    reject_unextracted(batch, errors)
    result = validate_records(articles, records, quote(suites))
    failed_articles = result.article_failures
    if failed_articles:
        reject_failed_articles(batch, failed_articles, suites)
        articles = articles.filter(~pl.col("content_sha256").is_in(list(failed_articles)))
    confirm_renames(store, batch, articles, known_index)
    # a record stated twice at one place is quarantined by metrics.unique; keep one copy
    kept = (result.records.filter(~pl.col("content_sha256").is_in(list(failed_articles)))
            .unique("record_id", keep="first", maintain_order=True))
    store_batch(store, batch.files, articles, kept, summary.run_id, cfg, batch.gone)
    count_batch(summary, batch, kept, known_index, result.outcomes)
    warn_oversized_numbers(summary, articles)


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
    create_table_artifact(key="cchc-run-summary", table=summary_table(summary),
                          description="What this run did")
    create_markdown_artifact(key="cchc-validation", markdown=validation_markdown(summary),
                             description="Validation summary")
    if reports := reports_markdown(summary):
        create_markdown_artifact(key="cchc-reports", markdown=reports, description="Reports")
