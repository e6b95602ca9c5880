"""Putting untrusted values into cells: the one place that makes article text safe.

Article text is data, never a formula: openpyxl stores any string starting with "="
as a formula, and Excel/LibreOffice evaluate "+", "-" and "@" input as formulas too
(CSV/formula injection), so such strings are forced to text cells. Characters XML cannot
carry are dropped, text is cut to Excel's cell limit, and numbers Excel cannot hold are
written as text instead of corrupting the file.
"""
import math
from datetime import date, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

CELL_TEXT_LIMIT = 32_767
FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_NUMBER = 9.99999999999999e307

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
DATE_FORMAT = "DD/MM/YYYY"


def clean_text(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > CELL_TEXT_LIMIT:
        text = text[:CELL_TEXT_LIMIT - 1] + "…"
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
        if text.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"      # openpyxl made it a formula on assignment
            cell.quotePrefix = True   # and Excel keeps it text if someone edits the cell
    return cell
