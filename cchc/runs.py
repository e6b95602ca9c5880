"""The bookkeeping of a run, apart from its orchestration (flows/pipeline.py): what a run
did (RunSummary), what became of each file read (its FileStatus, renames, rejections), the
run's status in the store, and the text of the run's Prefect artifacts."""
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from cchc.inbox import ChangedWhileReading, InboxFile, Scan, read_file
from cchc.report import report_filename
from cchc.settings import Settings
from cchc.store import Store
from transforms.read.clean import oversized_numbers
from transforms.read.decode import UnreadableFile
from transforms.read.document import Article, read_document
from transforms.schema import FileStatus
from transforms.validate.validation import Suites


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
    warnings: list = field(default_factory=list)   # [name, message key, its fields]: stored, but look at it


@dataclass
class ReadBatch:
    items: list[Article] = field(default_factory=list)  # to extract
    files: list = field(default_factory=list)       # rows for the store's files table
    rejected: list = field(default_factory=list)    # (name, reason)
    unchanged: int = 0                              # read to verify: the same content after all
    gone: list = field(default_factory=list)        # renamed names that turned out not to be
    skipped: list = field(default_factory=list)     # (name, reason)


def count_scan(summary: RunSummary, scan: Scan) -> None:
    """What the scan alone tells the summary: files seen, unchanged, skipped, rejected, gone."""
    summary.files_seen = len(scan.to_read) + len(scan.unchanged) + len(scan.rejected) + len(scan.unreadable)
    summary.unchanged = len(scan.unchanged)
    summary.skipped += scan.skipped
    summary.rejected += scan.rejected + scan.unreadable  # unreadable ones get no row: read next run
    summary.gone = len(scan.vanished)


def scan_rows(scan: Scan) -> list[dict]:
    """The file rows the scan alone decides: names rejected before reading, and unchanged
    files whose ctime or inode moved."""
    return ([{"name": n, "status": FileStatus.REJECTED, "reason": r} for n, r in scan.rejected]
            + [e.touch_row() for e in scan.touched])


def read_batch(entries: list[InboxFile], known_contents: set[str], seen_this_run: set[str],
               rebuild: bool, warn: Callable[[str, str], None]) -> ReadBatch:
    """Read, hash and decode; content already stored becomes a second name, not a record.

    A file that cannot be read now (permissions, gone since the scan) gets no row: the
    store keeps what it had, and the next run reads it again. `warn(name, note)` is told
    what was repaired while reading."""
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
            warn(entry.name, note)
        batch.files.append({**row, "status": FileStatus.INGESTED, "reason": note})
    return batch


def run_status(summary: RunSummary) -> str:
    """The run's status in the store: a report left undelivered is not a completed run."""
    return "not delivered" if summary.delivery_errors else "completed"


def summary_with_error(summary: RunSummary) -> dict:
    done = asdict(summary)
    if summary.delivery_errors:
        done["error"] = "; ".join(f"{Path(p).name}: {reason}" for p, reason in summary.delivery_errors)
    return done


def reject_unextracted(batch: ReadBatch, errors: list[tuple[str, str]]) -> None:
    """The files extraction failed on (file, reason) are rejected with the reason."""
    for name, reason in errors:
        batch.rejected.append((name, f"extraction failed: {reason}"))
        for row in batch.files:
            if row["name"] == name:
                row.update(status=FileStatus.REJECTED, reason=f"extraction failed: {reason}")


def confirm_renames(store: Store, batch: ReadBatch, articles: pl.DataFrame, known_index: dict) -> None:
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
                title_key(old["title"][0]) != title_key(new["title"][0]):
            row["replaces"] = None
            batch.gone.append(old_name)


def title_key(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def reject_failed_articles(batch: ReadBatch, failures: dict[str, list[str]], suites: Suites) -> None:
    for row in batch.files:
        rules = failures.get(row.get("content_sha256"))
        if rules and row["status"] == FileStatus.INGESTED:
            reason = "; ".join(f"{suites.describe(rule, 'en')} ({rule})" for rule in rules)
            row.update(status=FileStatus.REJECTED, reason=reason, failed_rules=rules)
            batch.rejected.append((row["name"], reason))


def count_batch(summary: RunSummary, batch: ReadBatch, records: pl.DataFrame, known: dict,
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


def warn_oversized_numbers(summary: RunSummary, articles: pl.DataFrame) -> None:
    for file, text in articles.select("file", "text").iter_rows():
        if huge := oversized_numbers(text):
            summary.warnings.append([file, "oversized_numbers", {"n": len(huge), "example": huge[0]}])


def missing_reports(store: Store, cfg: Settings) -> set[str]:
    """Half-years with data whose workbook is not in the reports folder (deleted by hand)."""
    return {h for h in store.halves() if not (cfg.reports / report_filename(h, cfg.lang, cfg.province)).exists()}


def summary_table(summary: RunSummary) -> list[dict]:
    """The rows of the run-summary table artifact."""
    return [{"what": k, "count": v} for k, v in (
        ("files new", summary.new), ("files changed", summary.changed),
        ("files unchanged", summary.unchanged), ("files duplicate", summary.duplicates),
        ("files rejected", len(summary.rejected)), ("records extracted", summary.records),
        ("records quarantined", summary.quarantined), ("reports written", len(summary.reports)))]


def validation_markdown(summary: RunSummary) -> str:
    lines = ["# Validation", "", f"{summary.records} records checked, {summary.quarantined} quarantined.",
             "", "| rule | checked | failed |", "|---|---:|---:|"]
    lines += [f"| `{rule}` | {checked} | {failed} |" for rule, (checked, failed) in summary.rule_outcomes.items()]
    lines += ["", "## Rejected files", ""] + [f"- `{n}`: {r}" for n, r in summary.rejected]
    return "\n".join(lines)


def reports_markdown(summary: RunSummary) -> str | None:
    """The delivered and undelivered reports, None when there were none.
    Paths as text, not link artifacts: browsers do not follow file:// links from the
    http:// UI, and a path can be pasted into a file explorer."""
    reports = [f"- delivered `{Path(p).resolve()}`" for p in summary.delivered]
    reports += [f"- not delivered ({reason}), kept at `{Path(p).resolve()}`"
                for p, reason in summary.delivery_errors]
    return "\n".join(["# Reports", ""] + reports) if reports else None
