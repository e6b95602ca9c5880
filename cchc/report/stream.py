"""The body of a big table written as sheet XML by polars and spliced into the saved file.

openpyxl makes a Python object per cell and serialises each one through lxml (about
10 µs a cell here); Chi tiết holds every record of the half-year, 16 cells each, so at
100 000 records that alone took a minute. Its write-only mode streams, but still per
cell, and only for a whole workbook written strictly in row order. Instead, openpyxl
writes the sheet with its header and every setting (widths, frozen header, table, print
setup), and the rows below the header are built here column by column with polars
expressions, then inserted into the saved sheet: the same cells, styles and hyperlinks
the cell-by-cell path writes (tests/cchc/report/test_stream.py compares the two).

Only frames whose every value the vectorised path renders exactly are streamed
(`streamable`); anything else (text over half Excel's cell limit, numbers Excel cannot
hold, types other than text and numbers) goes through the cells, as before.
"""
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import quoteattr

import polars as pl
from openpyxl.utils import get_column_letter

from cchc.report.cells import (
    CELL_TEXT_LIMIT, DATE_FORMAT, DECIMAL_FORMAT, EXCEL_MAX_NUMBER, FORMULA_PREFIXES, INTEGER_FORMAT,
)

# clean_text's characters, but surrogates: a polars string is valid UTF-8 and has none.
XML_ILLEGAL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
# cells.FORMULA_PREFIXES as one character class
FORMULA_START = "^[" + "".join({"\t": r"\t", "\r": r"\r", "-": r"\-"}.get(c, c) for c in FORMULA_PREFIXES) + "]"
EXCEL_EPOCH = date(1899, 12, 30)
NUMERIC = (pl.Float64, pl.Float32, pl.Int64, pl.Int32, pl.Int16, pl.Int8, pl.UInt32, pl.UInt16, pl.UInt8)
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_REL = f"{REL_NS}/hyperlink"


@dataclass
class StreamedRows:
    """The rows of one sheet below its header row `after`, to splice into the sheet's XML."""
    sheet_title: str
    after: int                # the header row: the body follows it
    last_ref: str             # the bottom-right cell of the body, for <dimension>
    rows: bytes               # <row> elements, UTF-8
    links: list[tuple[str, str]] = field(default_factory=list)  # (cell, relative target)


def streamable(frame: pl.DataFrame) -> bool:
    for name, dtype in frame.schema.items():
        column = frame[name]
        if dtype == pl.String:
            if (column.str.len_chars().max() or 0) > CELL_TEXT_LIMIT // 2:
                return False  # clean_text cuts such text in UTF-16 units: the cells do it
        elif dtype in NUMERIC:
            values = column.drop_nulls().cast(pl.Float64)
            if not values.is_finite().all() or (values.abs().max() or 0) > min(EXCEL_MAX_NUMBER, 2**53):
                return False  # written as text by cells.put, or not exact as an integer
        elif dtype == pl.Date:
            if (column.drop_nulls() < date(1900, 3, 1)).any():
                return False  # Excel's 1900 leap-year bug: openpyxl counts these differently
        elif dtype != pl.Null:
            return False
    return True


def number_format(name: str, dtype) -> pl.Expr:
    """The format cells.put gives each value (null for an empty cell or text)."""
    col = pl.col(name)
    if dtype == pl.Date:
        return pl.when(col.is_null()).then(pl.lit(None, pl.String)).otherwise(pl.lit(DATE_FORMAT))
    if dtype not in NUMERIC:
        return pl.lit(None, pl.String)
    whole = col.cast(pl.Float64).round(0) == col.cast(pl.Float64)
    return pl.when(col.is_null()).then(pl.lit(None, pl.String)).when(whole).then(pl.lit(INTEGER_FORMAT)) \
        .otherwise(pl.lit(DECIMAL_FORMAT))


def clean(name: str) -> pl.Expr:
    """The text cells.put writes (clean_text; cutting is left to the cells, see streamable)."""
    return pl.col(name).str.replace_all(XML_ILLEGAL, "")


def quoted(text: pl.Expr) -> pl.Expr:
    """Clean text that would read as a formula: written as text with Excel's quote prefix."""
    return text.str.contains(FORMULA_START).fill_null(False)


def cell_xml(name: str, dtype, letter: str, style: pl.Expr, text: pl.Expr | None = None) -> pl.Expr:
    """One <c> element per row, as openpyxl's lxml writer spells it (row number in `_r`);
    `text` is the clean text of a text column."""
    col = pl.col(name)
    head = pl.concat_str([pl.lit(f'<c r="{letter}'), pl.col("_r"), pl.lit('" s="'), style.cast(pl.String)])
    empty = pl.concat_str([head, pl.lit('" t="n"></c>')])
    if dtype in NUMERIC or dtype == pl.Date:
        if dtype == pl.Date:  # Excel's day number, as openpyxl's to_excel counts it after 1/3/1900
            shown = (col - EXCEL_EPOCH).dt.total_days().cast(pl.String)
        else:
            as_float = col.cast(pl.Float64)
            shown = pl.when(as_float.round(0) == as_float).then(as_float.cast(pl.Int64).cast(pl.String)) \
                .otherwise(as_float.cast(pl.String))
        return pl.when(col.is_null()).then(empty) \
            .otherwise(pl.concat_str([head, pl.lit('" t="n"><v>'), shown, pl.lit("</v></c>")]))
    if dtype == pl.Null:
        return empty
    escaped = (text.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
               .str.replace_all(">", "&gt;", literal=True).str.replace_all("\r", "&#13;", literal=True))
    # lxml marks text with leading or trailing blanks to keep them
    space = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"')).otherwise(pl.lit(""))
    return (pl.when(col.is_null()).then(empty)
            .when(text == "").then(pl.concat_str([head, pl.lit('" t="inlineStr"></c>')]))
            .otherwise(pl.concat_str([head, pl.lit('" t="inlineStr"><is><t'), space, pl.lit(">"), escaped,
                                      pl.lit("</t></is></c>")])))


def rows_xml(cells: pl.DataFrame) -> bytes:
    """<row> elements from `_r` (the row number), `_h` (its height in points, null for
    Excel's default) and one <c> string per other column."""
    height = pl.when(pl.col("_h").is_null()).then(pl.lit("")) \
        .otherwise(pl.concat_str([pl.lit(' ht="'), pl.col("_h").cast(pl.String), pl.lit('" customHeight="1"')]))
    parts = [c for c in cells.columns if c not in ("_r", "_h")]
    return cells.select(pl.concat_str([pl.lit('<row r="'), pl.col("_r"), pl.lit('"'), height, pl.lit(">"),
                                       *parts, pl.lit("</row>")]).str.join("")).item().encode()


def with_row_numbers(frame: pl.DataFrame, first_row: int) -> pl.DataFrame:
    return frame.with_columns(_r=pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).cast(pl.String))


def last_ref(columns: int, bottom: int) -> str:
    return f"{get_column_letter(columns)}{bottom}"


# -- the saved file -----------------------------------------------------------------------
def splice(saved: bytes, sheet_paths: dict[str, str], bodies: list[StreamedRows], out) -> None:
    """Write the workbook `saved` (openpyxl's bytes) to `out` with each body inserted in its
    sheet; `sheet_paths` maps a sheet title to its part name (xl/worksheets/sheetN.xml)."""
    by_part = {sheet_paths[b.sheet_title]: b for b in bodies}
    rels = {_rels_part(part): body for part, body in by_part.items() if body.links}
    with zipfile.ZipFile(io.BytesIO(saved)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in by_part:
                # the fastest deflate: seconds saved at 100 000 records for a file about a third larger
                zout.writestr(info, _sheet(data, by_part[info.filename]), compresslevel=1)
                continue
            if info.filename in rels:
                data = _rels(data, rels.pop(info.filename))
            zout.writestr(info, data)
        for part, body in rels.items():  # a sheet that had no relationship yet
            zout.writestr(part, _rels(b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      b'relationships"></Relationships>', body))


def _rels_part(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _sheet(xml: bytes, body: StreamedRows) -> bytes:
    header = re.search(rb'<row r="%d"[ >]' % body.after, xml)
    end = xml.index(b"</row>", header.end()) + len(b"</row>")
    dimension = re.search(rb'<dimension ref="([A-Z]+\d+):([A-Z]+)(\d+)"/>', xml)
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", body.last_ref).groups()
    saved_col, saved_row = dimension.group(2).decode(), int(dimension.group(3))
    bottom_right = f"{max(saved_col, col, key=lambda c: (len(c), c))}{max(saved_row, int(row))}"
    parts = [xml[:dimension.start()], b'<dimension ref="%s:%s"/>' % (dimension.group(1), bottom_right.encode()),
             xml[dimension.end():end], body.rows]
    tail = xml[end:]
    if body.links:
        at = tail.find(b"<printOptions")
        at = at if at >= 0 else tail.index(b"<pageMargins")
        links = "".join(f'<hyperlink ref="{ref}" r:id="rIdL{n}"/>' for n, (ref, _) in enumerate(body.links, 1))
        parts += [tail[:at], f'<hyperlinks xmlns:r="{REL_NS}">{links}</hyperlinks>'.encode(), tail[at:]]
    else:
        parts.append(tail)
    return b"".join(parts)


def _rels(xml: bytes, body: StreamedRows) -> bytes:
    links = "".join(f'<Relationship Type="{HYPERLINK_REL}" Target={quoteattr(target)} TargetMode="External" '
                    f'Id="rIdL{n}"/>' for n, (_, target) in enumerate(body.links, 1))
    return xml.replace(b"</Relationships>", links.encode() + b"</Relationships>")
