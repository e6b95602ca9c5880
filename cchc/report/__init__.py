"""Stand-in until the report branch lands."""
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
import os
import tempfile
import openpyxl


@dataclass
class ReportData:
    half: str
    records: object
    outcomes: object


def report_filename(half, lang="vi"):
    return f"bao-cao-cchc-{half}.xlsx" if lang == "vi" else f"cchc-report-{half}.xlsx"


def load_report_data(store, half, settings, *, final=None, generated_at=None):
    return ReportData(half, store.records(), store.rule_outcomes())


def write_report(data, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chi tiết"
    recs = data.records.filter(data.records["report_half"] == data.half)
    ws.append(list(recs.columns))
    for row in recs.iter_rows():
        ws.append([str(v) if v is not None else None for v in row])
    path = out_dir / report_filename(data.half)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".tmp")
    os.close(fd)
    wb.save(tmp)
    os.replace(tmp, path)
    return path
