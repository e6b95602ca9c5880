"""`cchc export`: records as JSON lines or as CSV for Excel.

CSV is for people opening it in Excel: UTF-8 with a BOM (without it Excel reads the
Vietnamese as Windows-1252), whole numbers without ".0", lists joined with "; ", and every
text field through the same sanitiser as the workbook's cells (cchc/report/cells.py), so
article text never becomes a formula. JSON lines are for programs and stay as stored.
"""
import json
import math

import polars as pl

from cchc.report.cells import csv_text

CSV_BOM = "\ufeff"


def render(records: pl.DataFrame, fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n"
                       for row in records.iter_rows(named=True))
    if fmt == "csv":
        return CSV_BOM + _for_csv(records).write_csv()
    raise ValueError(f"unknown export format {fmt!r}")


def number_text(value: float | None) -> str | None:
    """1327.0 -> "1327", 98.22 -> "98.22": the figure as a person writes it."""
    if value is None:
        return None
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value)


def _for_csv(records: pl.DataFrame) -> pl.DataFrame:
    columns = []
    for name, dtype in records.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            col = col.list.join("; ")
            dtype = pl.String
        if dtype == pl.Float64:
            col = col.map_elements(number_text, return_dtype=pl.String)
        elif dtype == pl.String:
            col = col.map_elements(csv_text, return_dtype=pl.String)
        columns.append(col.alias(name))
    return records.select(columns)
