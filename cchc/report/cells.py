"""Putting untrusted values into cells: the one sanitiser for every text that reaches a
cell, in the workbook and in CSV exports alike.

Article text is data, never a formula: openpyxl stores any string starting with "="
as a formula, and Excel/LibreOffice evaluate "+", "-", "@", tab- and CR-led input as
formulas too (CSV/formula injection), so such strings are forced to text cells in the
workbook and get a leading apostrophe in CSV. Characters XML 1.0 cannot carry (C0
controls, lone surrogates, U+FFFE, U+FFFF) are dropped, since one of them makes the
whole sheet unreadable; text is cut to Excel's cell limit, and numbers Excel cannot hold
are written as text instead of corrupting the file.
"""
import math
import re
from datetime import date, datetime

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

CELL_TEXT_LIMIT = 32_767  # Excel's limit, counted in UTF-16 code units
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_NUMBER = 9.99999999999999e307

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
DATE_FORMAT = "DD/MM/YYYY"

# Not allowed in XML 1.0: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without the characters XML cannot carry, cut to Excel's cell limit."""
    text = _XML_ILLEGAL_RE.sub("", text)
    if len(text) > CELL_TEXT_LIMIT // 2 and _utf16_len(text) > CELL_TEXT_LIMIT:
        text = _cut_utf16(text, CELL_TEXT_LIMIT - 1) + "…"
    return text


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_text(value: str) -> str:
    """A text field of a CSV export: sanitised like a cell, and a formula-like text made
    inert with a leading apostrophe (what Excel itself shows for text typed as "'=...")."""
    text = clean_text(value)
    return "'" + text if looks_like_formula(text) else text


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _cut_utf16(text: str, units: int) -> str:
    used = 0
    for i, c in enumerate(text):
        used += 2 if ord(c) > 0xFFFF else 1
        if used > units:
            return text[:i]
    return text


def put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write `value` as data (never a formula) with a number format that suits it.

    Number formats use the format-code separators ("," thousands, "." decimals); Excel
    and LibreOffice show them with the reader's locale, so a Vietnamese-locale reader
    sees 1.327 and 2,34. Writing the Vietnamese separators literally would break that.
    """
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (int, float)):
        if not math.isfinite(value) or abs(value) > EXCEL_MAX_NUMBER:
            return put(ws, row, column, str(value))
        cell.value = value
        cell.number_format = INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
    elif isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        text = clean_text(str(value))
        cell.value = text
        if looks_like_formula(text):
            cell.data_type = "s"      # openpyxl made it a formula on assignment
            cell.quotePrefix = True   # and Excel keeps it text if someone edits the cell
    return cell
