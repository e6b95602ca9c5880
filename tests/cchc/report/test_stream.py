"""The big sheets' rows built by polars (cchc.report.stream) read back exactly as the
cell-by-cell path writes them: values, types, number formats, fonts, alignment, links,
row heights, and every sheet setting."""
import openpyxl
import polars as pl
import pytest

import cchc.report.stream as stream
import cchc.report.workbook as workbook_module
from cchc.report import write_report
from tests.cchc.report.test_workbook import data
from tests.report_sample import NATIONAL, rec, sample_records, sample_rows

STREAMED = {"Theo lĩnh vực", "Chi tiết", "Nguồn"}


def tricky_records():
    """Text that needs escaping, kept blanks, dropped control characters, formula-like
    text, money in thousands of millions, decimals, a missing file name, and parts added
    up on a subtotal row."""
    records = sample_records(sample_rows() + [
        rec(NATIONAL, "decrees_issued", "actual", 12.0, "count", evidence=" a & b < c > d "),
        rec(NATIONAL, "procedures_cut", "actual", 3.25, "count", evidence="\tbắt đầu bằng tab\r\nvà CR"),
        rec(NATIONAL, "draft_laws_approved", "actual", 5.0, "count", evidence="ký tự\x01điều khiển"),
        rec(NATIONAL, "procedures_cut", "actual", 7.0, "count", evidence="-5 thủ tục"),
        rec(NATIONAL, "salary_reform_fund", "actual", 7.5e11, "vnd", evidence="750 tỷ đồng"),
        rec(NATIONAL, "salary_reform_fund", "actual", 1_234_567.0, "vnd", evidence="1.234.567 đồng"),
        rec(NATIONAL, "dossiers_received", "actual", 1200, "count", breakdown="cap_tinh"),
        rec(NATIONAL, "dossiers_received", "actual", 800, "count", breakdown="cap_huyen"),
    ])
    return records.with_columns(file=pl.when(pl.col("evidence") == "-5 thủ tục").then(pl.lit(""))
                                .otherwise(pl.col("file")))


def sheet_facts(ws) -> dict:
    cells = [(c.coordinate, c.value, c.data_type, c.number_format, repr(c.font), repr(c.alignment), repr(c.border),
              repr(c.fill), c.quotePrefix, c.style, c.hyperlink.target if c.hyperlink else None)
             for row in ws.iter_rows() for c in row]
    return {
        "cells": cells,
        "dimensions": ws.dimensions,
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        "widths": {c: d.width for c, d in ws.column_dimensions.items()},
        "tables": [(t.name, t.ref, [c.name for c in t.tableColumns], t.autoFilter.ref) for t in ws.tables.values()],
        "settings": (ws.freeze_panes, ws.print_title_rows, ws.page_setup.scale, ws.page_setup.orientation,
                     ws.page_setup.fitToWidth, ws.sheet_properties.pageSetUpPr.fitToPage,
                     ws.oddHeader.center.text, ws.oddFooter.left.text, ws.oddFooter.center.text),
    }


@pytest.mark.parametrize("max_rows", [workbook_module.EXCEL_MAX_ROWS, 8])  # 8: Chi tiết split over sheets
def test_streamed_sheets_read_back_as_the_cell_by_cell_ones(tmp_path, monkeypatch, max_rows):
    monkeypatch.setattr(workbook_module, "EXCEL_MAX_ROWS", max_rows)
    report = data(records=tricky_records())
    spliced = []
    splice = stream.splice
    monkeypatch.setattr(stream, "splice", lambda saved, paths, bodies, out: (
        spliced.extend(b.sheet_title for b in bodies), splice(saved, paths, bodies, out)))
    streamed = openpyxl.load_workbook(write_report(report, tmp_path / "streamed"))
    assert STREAMED <= set(spliced)

    monkeypatch.setattr(stream, "streamable", lambda frame: False)  # every row through openpyxl's cells
    by_cells = openpyxl.load_workbook(write_report(report, tmp_path / "cells"))

    assert streamed.sheetnames == by_cells.sheetnames
    for name in streamed.sheetnames:
        assert sheet_facts(streamed[name]) == sheet_facts(by_cells[name]), name
    assert any(c.font.b and c.font.i for c in streamed["Theo lĩnh vực"]["A"])  # the subtotal
    details = [streamed[n] for n in streamed.sheetnames if n.startswith("Chi tiết")]
    shown = {c.value: c for ws in details for c in ws["N"]}  # Câu trích dẫn
    assert " a & b < c > d " in shown and "ký tựđiều khiển" in shown and shown["-5 thủ tục"].quotePrefix
    files = [c for ws in details for c in ws["O"][1:]]  # Tệp bài viết: a link wherever there is a name
    assert any(c.hyperlink for c in files) and all(bool(c.hyperlink) == bool(c.value) for c in files)


def test_text_the_vectorised_path_cannot_cut_goes_through_the_cells(tmp_path):
    long = "x" * 20_000  # over half of Excel's cell limit: cut in UTF-16 units by cells.clean_text
    frame = sample_records([rec(NATIONAL, "decrees_issued", "actual", 1.0, "count", evidence=long)])
    assert stream.streamable(frame.select("evidence").head(0))
    assert not stream.streamable(frame.select("evidence"))
