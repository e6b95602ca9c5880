"""What a half-year report is made from, read from the store in one place."""
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from transforms.report import tables as report_tables
from transforms.extract.periods import HalfYear
from transforms.validate.rules import outcomes_of, read_rules


@dataclass(frozen=True)
class ReportData:
    half: str                  # "2024-H1"
    records: pl.DataFrame      # ALL records of the store (previous half-year, trends), with quarantined/failed_rules
    articles: pl.DataFrame
    outcomes: pl.DataFrame     # each rule's outcome over the half-year's records (validation.outcomes_of)
    files: pl.DataFrame        # the inbox files seen
    calendar: str              # decree09 / calendar (transforms.extract.periods)
    final: bool                # past the report deadline: FINAL, else PROVISIONAL
    generated_at: datetime     # shown in one cell and the document properties only
    article_dir: Path          # the inbox: the folder the Chi tiết hyperlinks point into
    lang: str = "vi"
    province: str | None = None  # the reporting unit: a province since 1/7/2025, None = whole country
    share_dir: Path | None = None  # where the workbook is read; article links are relative to it

    def __post_init__(self):
        HalfYear.parse(self.half)  # fail early on "2024H1" rather than print an empty report

    @property
    def is_empty(self) -> bool:
        """No record of the half-year for the reporting unit: no report is written."""
        return report_tables.half_records(report_tables.scoped(self.records, self.province), self.half).is_empty()


def load_report_data(store, half: str, settings, *, final: bool | None = None,
                     generated_at: datetime | None = None) -> ReportData:
    """Everything the report of `half` shows. `final=None` decides from the report
    deadline and the date of `generated_at` (now, in the settings' time zone)."""
    generated_at = generated_at or datetime.now(ZoneInfo(settings.timezone))
    if final is None:
        final = HalfYear.parse(half).is_final(generated_at.date(), settings.calendar)
    records, files = store.records(), store.files()
    outcomes = outcomes_of(records.filter(pl.col("report_half") == half), files,
                           read_rules(settings.expectations))
    return ReportData(half=half, records=records, articles=store.articles(),
                      outcomes=outcomes, files=files, calendar=settings.calendar,
                      final=final, generated_at=generated_at, article_dir=settings.inbox,
                      lang=settings.lang, province=settings.province, share_dir=settings.share)


def report_filename(half: str, lang: str = "vi", province: str | None = None) -> str:
    """bao-cao-cchc-2024-H1.xlsx; a province's report adds its name without tone marks
    (bao-cao-cchc-2024-H1-quang-ngai.xlsx) so the units' reports sit side by side."""
    HalfYear.parse(half)
    stem = f"cchc-report-{half}" if lang == "en" else f"bao-cao-cchc-{half}"
    if province:
        plain = unicodedata.normalize("NFKD", province.replace("Đ", "D").replace("đ", "d"))
        stem += "-" + "-".join("".join(c for c in plain if c.isascii()).lower().split())
    return f"{stem}.xlsx"
