"""The one sanitiser for text that reaches a cell: workbook and CSV export alike."""
import csv
import io

import openpyxl
import polars as pl
import pytest

from cchc.export import render
from cchc.report.cells import CELL_TEXT_LIMIT, clean_text, csv_text, put

HOSTILE = {
    "noncharacters": "Tỉnh\uffff đạt\ufffe 98%",
    "lone surrogates": "Tỉnh \ud800đạt\udfff 98%",
    "C0 controls": "Tỉnh\x00\x01\x0b\x1f đạt 98%",
    "formula": "=HYPERLINK(\"http://x\",\"bấm\")",
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(A1)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
    "huge": "ă" * 40_000,
    "astral": "😀" * 20_000,  # two UTF-16 units each: 40 000 units
}


def test_every_hostile_text_survives_a_saved_and_reopened_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, text in enumerate(HOSTILE.values(), start=1):
        put(ws, row, 1, text)
    path = tmp_path / "w.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path).active  # main: U+FFFF made this raise
    for row, (case, text) in enumerate(HOSTILE.items(), start=1):
        cell = back.cell(row=row, column=1)
        assert cell.data_type == "s", case  # text, never a formula
        # an XML reader may turn CR into LF
        assert cell.value.replace("\r", "\n") == clean_text(text).replace("\r", "\n"), case


@pytest.mark.parametrize("case", list(HOSTILE))
def test_clean_text_leaves_nothing_xml_cannot_carry_and_fits_a_cell(case):
    text = clean_text(HOSTILE[case])
    assert not any(c in text for c in "\uffff\ufffe\x00\x01\x0b\x1f")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert len(text.encode("utf-16-le")) // 2 <= CELL_TEXT_LIMIT


def test_csv_fields_that_look_like_formulas_get_an_apostrophe():
    assert [csv_text(t) for t in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "Tỉnh")] == \
        ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "Tỉnh"]


def test_csv_export_has_a_bom_whole_numbers_and_inert_text():
    records = pl.DataFrame({"file": ["=cmd|' /C calc'!A0.txt", "a.txt"], "value": [1327.0, 98.22],
                            "total": [None, 1e20], "evidence": ["Tỉnh\uffff đạt", "- gạch đầu dòng"],
                            "breakdown": [["a", "b"], []]})
    text = render(records, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["value"] for r in rows] == ["1327", "98.22"]
    assert [r["total"] for r in rows] == ["", "100000000000000000000"]
    assert rows[0]["file"] == "'=cmd|' /C calc'!A0.txt"
    assert [r["evidence"] for r in rows] == ["Tỉnh đạt", "'- gạch đầu dòng"]
    assert rows[0]["breakdown"] == "a; b"
