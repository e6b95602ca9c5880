"""The shapes of the frames that flow between stages and into the store.

`EXPORT_FIELDS` is the record contract of shared/spec/metrics.md; the other record
columns are what the product adds to trace, validate and report a figure.
"""
from enum import StrEnum

import polars as pl


class FileStatus(StrEnum):
    """What became of a file name (the store's `files.status`). Str-valued: the stored
    text is the value, so stores written before the enum read the same."""
    INGESTED = "ingested"    # its content's article and records are stored
    DUPLICATE = "duplicate"  # the same content as a file stored before: a second name for it
    REJECTED = "rejected"    # not read or not extracted, with the reason


# The record contract of metrics.md, in its order: what `cchc export` writes.
EXPORT_FIELDS = (
    "file", "metric_id", "kind", "value", "total", "unit", "qualifier",
    "breakdown", "geography", "locality", "period", "evidence",
)

RECORD_SCHEMA = pl.Schema({
    # identity: one row per fact per article version
    "record_id": pl.String,        # sha1 of (content_sha256, metric_id, kind, breakdown, geography, period, char_start)
    "content_sha256": pl.String,   # the article version the record was read from
    # the metrics.md contract
    "file": pl.String,
    "metric_id": pl.String,
    "kind": pl.String,             # actual / target / change
    "value": pl.Float64,
    "total": pl.Float64,
    "unit": pl.String,             # count / percent / rank / vnd / places
    "qualifier": pl.String,        # exact / more_than / about / at_least / at_most
    "breakdown": pl.String,
    "geography": pl.String,        # "VN" or a pre-2025 province name
    "locality": pl.String,         # district, commune, ministry or agency the figure is about (contract v2)
    "period": pl.String,           # 2024-H1, 2024-H2, 2021
    "evidence": pl.String,         # the cleaned sentence the fact was read from
    # traceability and attribution
    "value_text": pl.String,       # the figure as written ("1.327/3.009", "hai")
    "char_start": pl.Int64,        # offsets of value_text in the cleaned article text
    "char_end": pl.Int64,
    "sentence_start": pl.Int64,    # offsets of the evidence sentence in the cleaned text
    "sentence_end": pl.Int64,
    "period_basis": pl.String,     # explicit / article_date / file_metadata / due_year
    "geography_basis": pl.String,  # sentence / paragraph / carried / article / default
    "area": pl.String,
    "catalog_version": pl.String,
    "confidence": pl.Float64,      # 0..1
    "fact_key": pl.String,         # equal for the same fact stated by several articles
    "report_half": pl.String,      # the half-year report the record appears in (periods.report_half)
    # where in the source the figure is: 1-based paragraph of the cleaned text (the title is
    # paragraph 1) and, for a PDF, its page (transforms.read.document.paragraph_pages)
    "paragraph": pl.Int64,
    "page": pl.Int64,
})

ARTICLE_SCHEMA = pl.Schema({
    "content_sha256": pl.String,
    "file": pl.String,             # the first name it was seen under
    "title": pl.String,
    "source_site": pl.String,
    "author": pl.String,
    "article_date": pl.Date,
    "date_basis": pl.String,       # text / file_metadata / none
    "periods": pl.List(pl.String), # reporting periods the article speaks of
    "provinces": pl.List(pl.String),
    "scope": pl.String,            # national / provincial
    "article_half": pl.String,     # the half-year whose window holds article_date
    "char_count": pl.Int64,
    "text": pl.String,             # the cleaned text; record offsets point into it
})


def empty_records() -> pl.DataFrame:
    return pl.DataFrame(schema=RECORD_SCHEMA)


def _frame(rows: list[dict], schema: pl.Schema) -> pl.DataFrame:
    # Column lists build a frame faster than polars reading the dicts row by row.
    return pl.DataFrame({k: [r.get(k) for r in rows] for k in schema}, schema=schema)


def records_frame(rows: list[dict]) -> pl.DataFrame:
    """Rows (dicts with RECORD_SCHEMA keys; missing keys become null) as a typed frame."""
    return _frame(rows, RECORD_SCHEMA) if rows else empty_records()


def articles_frame(rows: list[dict]) -> pl.DataFrame:
    return _frame(rows, ARTICLE_SCHEMA) if rows else pl.DataFrame(schema=ARTICLE_SCHEMA)
