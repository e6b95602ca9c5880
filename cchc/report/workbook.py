"""The half-year workbook: lays out the tables of `transforms.report.tables` in Excel.

Figures are decided in transforms.report.tables; wording in transforms.report.labels; cell safety in cells.
This module only does layout: Excel tables with filters, frozen headers, widths,
number formats, print settings, the trend charts and the document properties.
"""
import math
import os
from copy import copy
from datetime import timezone
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from cchc.delivery import atomic_output
from cchc.faults import crash_point
from cchc.report import stream
from cchc.report.cells import clean_text, put
from cchc.report.data import ReportData, report_filename
from transforms.report import tables as rt
from transforms.extract.periods import HalfYear
from transforms.report.labels import (
    COLUMNS, EMPTY, NATIONWIDE, NO_DATA, QUALIFIER_WORDS, SHEETS, TEXT, VOCAB, figure_text, money_scale, number_text, pick,
)

# Columns holding prose: wide and wrapped. Other widths follow their content.
WRAPPED = {"evidence": 55, "title": 45, "description": 50, "area": 20, "metric": 28}
MIN_WIDTH, MAX_WIDTH = 8, 42
SHORT_HEADER = 16  # characters: kept on one line
SIGNED = {"change", "movement"}  # shown with an explicit + sign
MONEY_COLUMNS = {"value", "total", "target", "actual", "previous", "change"}
SIGNED_FORMATS = {"#,##0": "+#,##0;-#,##0;0", "#,##0.0#": "+#,##0.0#;-#,##0.0#;0"}
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_ROW_HEIGHT = 300
TREND_CHARTS = 4  # the most reported metrics get a chart each
# Rows (15 pt each) a trend chart and its gap take: two 6 cm charts and the repeated
# header fit one A4 landscape page even at 100 %.
CHART_ROWS = 13
OVERVIEW_CHART_ROWS = 17  # a 7.5 cm chart
EXCEL_MAX_ROWS = 1_048_576
DETAILS_SCALE = 75  # % of 11 pt Calibri: 8.25 pt printed
ROWS_TO_JUDGE_WIDTH = 500  # enough to judge a column's width

TITLE_FONT = Font(name="Calibri", bold=True, size=14)
BOLD = Font(name="Calibri", bold=True)
# Styled by hand as well as by the table style: LibreOffice ignores Excel table styles.
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
STATUS_FILL = {False: PatternFill("solid", fgColor="FFF2CC"), True: PatternFill("solid", fgColor="E2EFDA")}
SUBTOTAL_FONT = Font(name="Calibri", bold=True, italic=True)
TOP = Alignment(vertical="top")
RIGHT = Alignment(horizontal="right", vertical="top")
NUMBER = Alignment(horizontal="right", vertical="top", indent=1)
WARNING_FONT = Font(name="Calibri", bold=True, color="C00000")
BETTER, WORSE = "2E7D32", "C62828"
_THIN = Side(style="thin", color="808080")
THIN_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_report(data: ReportData, out_dir: Path) -> Path:
    """Write the workbook of `data.half` into `out_dir` atomically; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_filename(data.half, data.lang, data.province)
    wb, streamed = build_workbook(data, data.share_dir or out_dir)
    with atomic_output(path) as tmp:
        wb.save(tmp)
        if streamed:  # openpyxl's file, rewritten with the streamed rows in it
            stream.splice(Path(tmp).read_bytes(), {ws.title: ws.path.lstrip("/") for ws in wb.worksheets},
                          streamed, tmp)
        crash_point("report-write")
    return path


def build_workbook(data: ReportData, link_base: Path | None = None) -> tuple[Workbook, list[stream.StreamedRows]]:
    """The workbook of `data`, and the rows to splice into it when it is saved (the big
    sheets' bodies, see cchc.report.stream); Chi tiết links to articles relative to `link_base` (the
    folder the workbook is read from)."""
    lang, half = data.lang, data.half
    streamed: list[stream.StreamedRows] = []
    recs = rt.scoped(data.records, data.province)
    wb = Workbook()
    wb.remove(wb.active)
    title = _title(data)
    status = pick(TEXT["final" if data.final else "provisional"], lang)
    header = f"{title} – {status}"
    indicators = rt.indicators(recs, data.articles, half, lang)

    _overview(wb.create_sheet(pick(SHEETS["overview"], lang)), data, recs, indicators, title)
    _annex(wb.create_sheet(pick(SHEETS["annex"], lang)), data, indicators)
    by_area = rt.by_area(recs, half, lang)
    _table(wb.create_sheet(pick(SHEETS["by_area"], lang)), by_area.drop("is_subtotal"), 1, "by_area", lang,
           subtotals=by_area["is_subtotal"], streamed=streamed)
    _table(wb.create_sheet(pick(SHEETS["by_province"], lang)), rt.by_province(recs, half, lang), 1,
           "by_province", lang)
    _table(wb.create_sheet(pick(SHEETS["rankings"], lang)), rt.rankings(recs, half, lang), 1, "rankings", lang)
    _table(wb.create_sheet(pick(SHEETS["targets"], lang)), rt.targets(recs, half, lang), 1, "targets", lang)
    _trends(wb.create_sheet(pick(SHEETS["trends"], lang)), rt.trends(recs, half, lang), lang)
    _details(wb, rt.details(recs, half, lang), data, link_base, streamed)
    _table(wb.create_sheet(pick(SHEETS["sources"], lang)), rt.sources(recs, data.articles, half, lang), 1,
           "sources", lang, streamed=streamed)
    _checks(wb.create_sheet(pick(SHEETS["checks"], lang)), data, recs)
    _technical(wb.create_sheet(pick(SHEETS["technical"], lang)), data, recs)

    for sheet in wb.worksheets:
        _print_setup(sheet, header, lang)
    props = wb.properties
    props.title, props.subject = title, f"CCHC {half} – {status}"
    props.creator, props.language = "cchc-report", "en-GB" if lang == "en" else "vi-VN"
    props.created = data.generated_at.astimezone(timezone.utc).replace(tzinfo=None)
    return wb, streamed


def _title(data: ReportData, key: str = "title") -> str:
    h = HalfYear.parse(data.half)
    unit = data.province or pick(NATIONWIDE, data.lang)
    return pick(TEXT[key], data.lang).format(half_words=pick(TEXT[f"half_{h.half}"], data.lang),
                                             year=h.year, unit=unit)


# -- one Excel table ----------------------------------------------------------------------
def _table(ws: Worksheet, frame: pl.DataFrame, top: int, name: str, lang: str,
           freeze: bool = True, links: pl.Series | None = None, subtotals: pl.Series | None = None,
           streamed: list[stream.StreamedRows] | None = None) -> int:
    """Write `frame` as an Excel table whose header is on row `top`; returns the row
    after it. An empty frame gets one "no data" row, as Excel rejects header-only tables.
    `links` holds a hyperlink target (or null) per row for the "file" column;
    `subtotals` is true for the rows printed in bold italic. With
    `streamed`, a body the vectorised path renders exactly is added to it instead of
    written cell by cell (cchc.report.stream)."""
    headers = [pick(COLUMNS[c], lang) if c in COLUMNS else c for c in frame.columns]
    for j, text in enumerate(headers, 1):
        cell = put(ws, top, j, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = WRAP
    rows = frame.rows() if frame.height <= ROWS_TO_JUDGE_WIDTH else frame.head(ROWS_TO_JUDGE_WIDTH).rows()
    if not rows:
        rows = [(pick(EMPTY.get(name, NO_DATA), lang),) + (None,) * (len(headers) - 1)]
    _widths(ws, frame.columns, headers, rows)
    if streamed is not None and frame.height and _streamable(frame):
        streamed.append(_stream_body(ws, frame, top, lang, links, subtotals))
    else:
        rows = frame.rows() or rows
        _body_cells(ws, frame.columns, rows, top, lang,
                    subtotals.to_list() if subtotals is not None and frame.height else [False] * len(rows))
        _heights(ws, [j for j, c in enumerate(frame.columns) if c in WRAPPED], rows, top + 1)
        if links is not None:
            _link_cells(ws, frame.columns.index("file") + 1, links, top + 1)
    bottom = top + max(frame.height, 1)
    ref = f"A{top}:{get_column_letter(len(headers))}{bottom}"
    # columns named here: left to openpyxl, they are named from the header cells when the
    # file is saved, which makes a cell object for every cell of the table first
    table = Table(displayName=f"T_{name}", ref=ref, autoFilter=AutoFilter(ref=ref),
                  tableColumns=[TableColumn(id=j, name=clean_text(h)) for j, h in enumerate(headers, 1)])
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    _heights(ws, list(range(len(headers))), [tuple(headers)], top)
    if freeze:
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
        ws.print_title_rows = f"{top}:{top}"
    return bottom + 1


def _body_style(ws: Worksheet, column: str, number_format: str, quote: bool, is_number: bool,
                subtotal: bool) -> StyleArray:
    """The style of a body cell: its number format, and how it sits in the cell."""
    cell = Cell(ws)
    cell.number_format, cell.quotePrefix = number_format, quote
    if subtotal:
        cell.font = SUBTOTAL_FONT
    # a number keeps a space from the text column to its right
    cell.alignment = WRAP if column in WRAPPED else NUMBER if is_number else TOP
    return cell._style


def _number_format(column: str, value, number_format: str, is_money: bool, lang: str) -> str:
    """Money in thousands of millions beside a unit saying "đồng"; changes signed."""
    if is_money and column in MONEY_COLUMNS and isinstance(value, float) and math.isfinite(value):
        return _money_format(value, lang)  # 700.000 tỷ | đồng
    if column in SIGNED and number_format in SIGNED_FORMATS:
        return SIGNED_FORMATS[number_format]
    return number_format


def _body_cells(ws: Worksheet, columns: list[str], rows: list[tuple], top: int, lang: str,
                subtotals: list[bool]) -> None:
    unit_at = columns.index("unit") if "unit" in columns else None
    money = pick(VOCAB["unit"]["vnd"], lang)
    # Styling a cell through openpyxl's descriptors costs a hash per attribute; with
    # 100 000 rows that dominates. Each distinct (column, number format) is styled once
    # and its style copied to the other cells.
    styles: dict[tuple, StyleArray] = {}
    for i, (row, subtotal) in enumerate(zip(rows, subtotals), top + 1):
        is_money = unit_at is not None and row[unit_at] == money
        for j, (column, value) in enumerate(zip(columns, row), 1):
            cell = put(ws, i, j, value)
            number_format = _number_format(column, value, cell.number_format, is_money, lang)
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            key = (column, number_format, cell.quotePrefix, is_number, subtotal)
            if key not in styles:
                styles[key] = _body_style(ws, *key)
            cell._style = copy(styles[key])


def _streamable(frame: pl.DataFrame) -> bool:
    """The vectorised body sizes rows by text length only: wrapped columns must be text."""
    return stream.streamable(frame) and all(frame.schema[c] == pl.String for c in frame.columns if c in WRAPPED)


def _stream_body(ws: Worksheet, frame: pl.DataFrame, top: int, lang: str,
                 links: pl.Series | None, subtotals: pl.Series | None) -> stream.StreamedRows:
    """The rows _body_cells, _heights and _link_cells would write, built as XML by polars."""
    wb = ws.parent
    first = top + 1
    money = pick(VOCAB["unit"]["vnd"], lang)
    is_money = (pl.col("unit") == money).fill_null(False) if "unit" in frame.columns else pl.lit(False)
    work = stream.with_row_numbers(frame, first)
    work = work.with_columns(_link=links if links is not None else pl.lit(None, pl.String),
                             _subtotal=subtotals if subtotals is not None else pl.lit(False))
    work = work.with_columns(stream.clean(c).alias(f"_t{j}")
                             for j, (c, dtype) in enumerate(frame.schema.items(), 1) if dtype == pl.String)
    xf_ids: dict[str, int] = {}
    cells = []
    for j, (column, dtype) in enumerate(frame.schema.items(), 1):
        number_format = stream.number_format(column, dtype).fill_null("General")
        if column in MONEY_COLUMNS and dtype in (pl.Float64, pl.Float32):
            values = frame.filter(is_money)[column].drop_nulls().unique().to_list()
            money_formats = {v: _money_format(v, lang) for v in values}
            number_format = (pl.when(is_money & pl.col(column).is_not_null())
                             .then(pl.col(column).replace_strict(money_formats, default=None, return_dtype=pl.String))
                             .otherwise(number_format))
        if column in SIGNED:
            number_format = number_format.replace(SIGNED_FORMATS)
        is_number = pl.col(column).is_not_null() if dtype in stream.NUMERIC else pl.lit(False)
        text = pl.col(f"_t{j}") if dtype == pl.String else None
        quoted = stream.quoted(text) if text is not None else pl.lit(False)
        key = pl.concat_str([number_format, quoted.cast(pl.String),
                             is_number.cast(pl.String), pl.col("_subtotal").cast(pl.String)], separator="\x1f")
        for k in work.select(key.unique())[:, 0].to_list():
            fmt, *flags = k.split("\x1f")
            # the style's number in the file, as openpyxl's writer gets it (Cell.style_id)
            xf_ids[f"{column}\x1f{k}"] = wb._cell_styles.add(
                _body_style(ws, column, fmt, *(flag == "true" for flag in flags)))
        style = pl.concat_str([pl.lit(f"{column}\x1f"), key]).replace_strict(xf_ids, return_dtype=pl.Int64)
        if column == "file" and links is not None:
            style = pl.when(pl.col("_link").is_not_null()).then(pl.lit(_hyperlink_xf(ws))).otherwise(style)
        cells.append(stream.cell_xml(column, dtype, get_column_letter(j), style, text).alias(f"_c{j}"))
    wrapped = {c: ws.column_dimensions[get_column_letter(j)].width
               for j, c in enumerate(frame.columns, 1) if c in WRAPPED}
    lines = pl.max_horizontal([pl.lit(1)] + [
        (pl.col(c).str.len_chars().fill_null(0) / (width * 0.95)).ceil().cast(pl.Int64) for c, width in wrapped.items()])
    height = pl.when(lines > 1).then(pl.min_horizontal(lines * LINE_HEIGHT, pl.lit(MAX_ROW_HEIGHT)))
    body = work.select("_r", *cells, _h=height)
    file_links = []
    if links is not None:
        letter = get_column_letter(frame.columns.index("file") + 1)
        linked = work.filter(pl.col("_link").is_not_null())
        file_links = list(zip((letter + linked["_r"]).to_list(), linked["_link"].to_list()))
    return stream.StreamedRows(ws.title, top, stream.last_ref(frame.width, top + frame.height),
                               stream.rows_xml(body), file_links)


def _widths(ws: Worksheet, columns: list[str], headers: list[str], rows: list[tuple]) -> None:
    for j, (column, header) in enumerate(zip(columns, headers), 1):
        letter = get_column_letter(j)
        if column in WRAPPED:
            width = WRAPPED[column]
        else:
            # headers wrap onto two lines, in bold (wider than the character count says),
            # so they get room to spare and never touch the next one
            header_room = 3 + (len(header) if len(header) <= SHORT_HEADER else
                               max(len(header) // 2 + 1, max(map(len, header.split()), default=0)))
            longest = max([len(_shown(r[j - 1])) + 2 for r in rows[:ROWS_TO_JUDGE_WIDTH]] + [header_room])
            width = min(max(longest, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return "" if value is None else str(value)


def _heights(ws: Worksheet, wrapped: list[int], rows: list[tuple], first: int) -> None:
    """Excel does not grow rows for wrapped text it did not type itself: estimate from
    the text length and the width of the wrapped columns (0-based indexes)."""
    if not wrapped:
        return
    widths = {j: ws.column_dimensions[get_column_letter(j + 1)].width for j in wrapped}
    for i, row in enumerate(rows, first):
        lines = max(math.ceil(len(_shown(row[j])) / (widths[j] * 0.95)) or 1 for j in wrapped)
        if lines > 1:
            ws.row_dimensions[i].height = min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


# -- sheets -------------------------------------------------------------------------------
def _overview(ws: Worksheet, data: ReportData, recs: pl.DataFrame, indicators: pl.DataFrame, title: str) -> None:
    """One A4 page: what the report is, the headline indicators against the previous
    half-year, cùng kỳ and plan, a chart of the headline rates, and one line on quality."""
    lang, half = data.lang, data.half
    h = HalfYear.parse(half)
    start, end = h.window(data.calendar)
    deadline = h.deadline(data.calendar).strftime("%d/%m/%Y")
    counts = rt.overview_counts(recs, data.articles, data.files, half)
    put(ws, 1, 1, title).font = TITLE_FONT
    window = pick(TEXT["window_value"], lang).format(
        start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"),
        calendar=pick(TEXT[f"calendar_{data.calendar}"], lang))
    put(ws, 2, 1, pick(TEXT["summary_line"], lang).format(
        window=window, status=pick(TEXT["final" if data.final else "provisional"], lang),
        status_note=pick(TEXT["final_note" if data.final else "provisional_note"], lang).format(deadline=deadline)))
    # The generation time in a cell of its own (the only cell that changes between two
    # runs on the same data), right-aligned at the right edge so it spreads left over the
    # empty cells beside it.
    put(ws, 3, 5, pick(TEXT["generated"], lang)).alignment = RIGHT
    put(ws, 3, 8, data.generated_at.strftime("%d/%m/%Y %H:%M (UTC%z)")).alignment = RIGHT
    ws.cell(row=2, column=1).fill = STATUS_FILL[data.final]
    put(ws, 3, 1, pick(TEXT["quality_line"], lang).format(**counts))
    row = 4
    if rt.rests_on_file_times(recs, half):
        put(ws, row, 1, pick(TEXT["file_times_only"], lang)).font = WARNING_FONT
        row += 1

    headline = rt.headline_indicators(indicators, data.province)
    if verdict := _verdict(headline, data.province, lang):
        put(ws, row, 1, verdict).font = BOLD
        row += 1
    columns = ["indicator", "done", "previous", "same_period", "vs_previous", "plan", "rate", "n_sources"]
    top = row + 1
    for j, key in enumerate(columns, 1):
        cell = put(ws, top, j, pick(COLUMNS[key], lang))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    if headline.is_empty():
        put(ws, top + 1, 1, pick(TEXT["headline_empty"], lang))
    for i, r in enumerate(headline.iter_rows(named=True), top + 1):
        text = lambda v: figure_text(v, r["unit"], lang) if v is not None else ""  # noqa: E731
        values = [
            _indicator_name(r, data.province),
            figure_text(r["value"], r["unit"], lang, r["qualifier"], r["total"] if r["unit"] == "rank" else None),
            text(r["previous"]), text(r["same_period"]), _change_text(r, lang), text(r["plan"]),
            f"{number_text(r['rate'], lang, 1)}%" if r["rate"] is not None else "",
            r["sources"],
        ]
        for j, value in enumerate(values, 1):
            cell = put(ws, i, j, value)
            cell.alignment = WRAP if j == 1 else RIGHT
            cell.border = THIN_BORDER
        if r["change"]:  # more done, or places gained by a rank: better
            ws.cell(row=i, column=5).font = Font(name="Calibri", color=BETTER if r["change"] > 0 else WORSE)
    for j, width in enumerate([46, 18, 14, 14, 16, 16, 10, 9], 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    _heights(ws, [0], [(_indicator_name(r, data.province),) for r in headline.iter_rows(named=True)], top + 1)
    ws.row_dimensions[top].height = 2 * LINE_HEIGHT
    bottom = top + max(headline.height, 1)

    rates = rt.rate_history(recs, half, data.province, lang)
    if not rates.is_empty():
        chart_row = bottom + 2
        data_row = chart_row + OVERVIEW_CHART_ROWS
        put(ws, data_row, 1, pick(TEXT["rates_table"], lang)).font = BOLD
        _plain_table(ws, rates.rename({"metric": pick(COLUMNS["indicator"], lang)}), data_row + 1)
        chart = _line_chart(pick(TEXT["rates_chart"], lang), "%")
        for n in range(rates.height):
            values = Reference(ws, min_col=1, max_col=rates.width, min_row=data_row + 2 + n)
            chart.add_data(values, titles_from_data=True, from_rows=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=rates.width, min_row=data_row + 1))
        _mark_points(chart)
        chart.legend.position = "b"
        chart.height, chart.width = 7.5, 24
        ws.add_chart(chart, f"A{chart_row}")
    ws.print_title_rows = None
    ws.sheet_view.showGridLines = False
    ws.page_setup.fitToHeight = 1  # the whole sheet on one page


def _verdict(headline: pl.DataFrame, province: str | None, lang: str) -> str:
    """The 30-second reading: how many headline indicators got better or worse, and which
    lags its plan most."""
    parts = []
    changes = headline["change"].drop_nulls()
    if changes.len():
        parts.append(pick(TEXT["verdict_moves"], lang).format(up=(changes > 0).sum(), down=(changes < 0).sum()))
    behind = headline.filter(pl.col("rate").is_not_null() & (pl.col("rate") < 100)).sort("rate")
    if behind.height:
        r = behind.row(0, named=True)
        parts.append(pick(TEXT["verdict_lag"], lang).format(
            name=_indicator_name(r, province), rate=f"{number_text(r['rate'], lang, 1)}%"))
    return " ".join(parts)


def _indicator_name(r: dict, province: str | None) -> str:
    name = r["metric"] + (f" – {r['breakdown_label']}" if r["breakdown_label"] else "")
    if province and r["geography"] != province:  # one of the provinces merged into the unit
        name += f" ({r['geography_label']})"
    return name


def _change_text(r: dict, lang: str) -> str:
    """▲ +100, ▼ −3,2; a rank's change is in places gained (▲ 2 bậc = 2 places up)."""
    change = r["change"]
    if change is None:
        return ""
    if change == 0:
        return "= 0"
    arrow = "▲" if change > 0 else "▼"
    if r["unit"] in ("rank", "places"):
        return f"{arrow} {number_text(abs(change), lang)} {pick(VOCAB['unit']['places'], lang)}"
    unit = "đ.%" if r["unit"] == "percent" and lang == "vi" else ("pp" if r["unit"] == "percent" else "")
    amount = figure_text(abs(change), r["unit"], lang) if r["unit"] == "vnd" else number_text(abs(change), lang)
    return f"{arrow} {'+' if change > 0 else '−'}{amount}{(' ' + unit) if unit else ''}"


def _annex(ws: Worksheet, data: ReportData, indicators: pl.DataFrame) -> None:
    """The template's annex: one row per indicator with data, in catalog order, ready to
    paste into a báo cáo (a plain bordered range, the area named once per group)."""
    lang = data.lang
    put(ws, 1, 1, _title(data, "annex_title")).font = BOLD
    columns = ["area", "indicator", "unit", "plan", "done", "rate", "same_period", "source"]
    top = 3
    for j, key in enumerate(columns, 1):
        cell = put(ws, top, j, pick(COLUMNS[key], lang))
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, WRAP, THIN_BORDER
    rows = list(indicators.iter_rows(named=True))
    if not rows:
        put(ws, top + 1, 1, pick(NO_DATA, lang))
    previous_area = None
    shown = []  # the rows as written, to size their heights
    styles: dict[tuple, StyleArray] = {}
    for i, r in enumerate(rows, top + 1):
        divisor, money_words = money_scale(r["value"] or 0) if r["unit"] == "vnd" else (1, None)
        unit = pick(money_words, lang) if money_words else r["unit_label"]
        if r["unit"] == "rank" and r["total"]:
            unit = f"{unit} (/{number_text(r['total'], lang)})"
        values = [r["area"] if r["area"] != previous_area else None, _annex_name(r, data.province), unit,
                  r["plan"], r["value"], r["rate"], r["same_period"], r["sites"]]
        shown.append(tuple(values))
        previous_area = r["area"]
        for j, value in enumerate(values, 1):
            cell = put(ws, i, j, value)
            number_format = cell.number_format
            if j in (4, 5, 7) and isinstance(value, float):
                number_format = _figure_format(value, r["unit"], divisor, r["qualifier"] if j == 5 else None, lang)
            elif j == 6 and value is not None:
                number_format = "0.0"
            key = (j, number_format, cell.quotePrefix, r["is_sum"])
            if key not in styles:  # each distinct style set once (see _body_cells)
                cell.border = THIN_BORDER
                cell.alignment = WRAP if j in (1, 2, 8) else RIGHT if j in (4, 5, 6, 7) else TOP
                cell.number_format = number_format
                if r["is_sum"]:
                    cell.font = SUBTOTAL_FONT
                styles[key] = copy(cell._style)
            cell._style = copy(styles[key])
    for j, width in enumerate([24, 46, 11, 11, 14, 9, 11, 30], 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    _heights(ws, [0, 1, 7], shown, top + 1)
    ws.row_dimensions[top].height = 2 * LINE_HEIGHT
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.print_title_rows = f"{top}:{top}"


def _annex_name(r: dict, province: str | None) -> str:
    """Chỉ tiêu: the metric and its part; another place's figure names the place, a
    district's or agency's figure (locality) sits under its province, indented."""
    name = r["metric"] + (f" – {r['breakdown_label']}" if r["breakdown_label"] else "")
    own = r["geography"] == (province or "VN")
    if not own:
        name += f" ({r['geography_label']})"
    if r["locality"]:
        name = f"    – {r['locality']}: {name}"
    return name


def _figure_format(value: float, unit: str, divisor: float, qualifier: str | None, lang: str) -> str:
    """A number format that keeps the cell a number but reads like the report's text:
    "hơn "#,##0 for "hơn 1.800", #,##0,,, for thousands of millions (tỷ đồng)."""
    base = "#,##0" if float(value / divisor).is_integer() else "#,##0.0#"
    base += "," * {1e9: 3, 1e6: 2}.get(divisor, 0)
    if qualifier in QUALIFIER_WORDS:
        base = f'"{pick(QUALIFIER_WORDS[qualifier], lang)} "{base}'
    return base


def _money_format(value: float, lang: str) -> str:
    """Thousands of millions as "700.000 tỷ" beside a unit column saying "đồng"."""
    divisor, words = money_scale(value)
    scale = pick(words, lang).split()[0] if divisor > 1 else ""
    return _figure_format(value, "vnd", divisor, None, lang) + (f'" {scale}"' if scale else "")


def _plain_table(ws: Worksheet, frame: pl.DataFrame, top: int) -> None:
    """A small bordered table (no Excel table: a chart reads it)."""
    for j, name in enumerate(frame.columns, 1):
        cell = put(ws, top, j, name)
        cell.font, cell.border = BOLD, THIN_BORDER
    for i, row in enumerate(frame.rows(), top + 1):
        for j, value in enumerate(row, 1):
            cell = put(ws, i, j, value)
            cell.border = THIN_BORDER


def _line_chart(title: str, y_title: str) -> LineChart:
    chart = LineChart()
    chart.title = clean_text(title)
    chart.y_axis.title = y_title
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.display_blanks = "gap"  # a half-year without a figure is a gap, not a zero
    return chart


def _mark_points(chart: LineChart) -> None:
    """Markers on every point: a series with one figure, or figures around a gap, would
    draw nothing with lines alone."""
    for series in chart.series:
        series.marker.symbol = "circle"
        series.marker.size = 7
        series.smooth = False


def _trends(ws: Worksheet, frame: pl.DataFrame, lang: str) -> None:
    """The table, then a chart for each of the most reported rows below it, two charts
    per printed page with a page break before each pair, so no chart is cut."""
    bottom = _table(ws, frame, 1, "trends", lang)
    halves = [c for c in frame.columns if c[:4].isdigit()]
    if not halves:
        return
    first_col = frame.columns.index(halves[0]) + 1
    last_col = first_col + len(halves) - 1
    categories = Reference(ws, min_col=first_col, max_col=last_col, min_row=1, max_row=1)
    for n, row in enumerate(frame.head(TREND_CHARTS).iter_rows(named=True)):
        name = row["metric"] + (f" – {row['breakdown']}" if row["breakdown"] else "")
        chart = _line_chart(pick(TEXT["trend_chart"], lang).format(metric=name, geography=row["geography"]),
                            row["unit"])
        chart.legend = None
        values = Reference(ws, min_col=first_col, max_col=last_col, min_row=n + 2, max_row=n + 2)
        chart.append(Series(values, title=name))
        chart.set_categories(categories)
        _mark_points(chart)
        chart.height, chart.width = 6, 20
        # a blank row between the break and the chart: LibreOffice also draws (clipped) an
        # object touching the page above
        anchor = bottom + 2 + n * CHART_ROWS
        if n % 2 == 0:
            ws.row_breaks.append(Break(id=anchor - 2))
        ws.add_chart(chart, f"A{anchor}")


def _details(wb: Workbook, frame: pl.DataFrame, data: ReportData, link_base: Path | None,
             streamed: list[stream.StreamedRows]) -> None:
    """Every record, on as many sheets as Excel's row limit needs ("Chi tiết (2)", …),
    each saying where it continues; printed at DETAILS_SCALE % so text stays ≥ 8 pt."""
    name = pick(SHEETS["details"], data.lang)
    per_sheet = EXCEL_MAX_ROWS - 2  # a header row, and the row saying where the table continues
    links = _link_targets(frame, data, link_base)
    starts = range(0, max(frame.height, 1), per_sheet)
    for n, k in enumerate(starts, 1):
        ws = wb.create_sheet(name if n == 1 else f"{name} ({n})")
        bottom = _table(ws, frame.slice(k, per_sheet), 1, "details" if n == 1 else f"details_{n}", data.lang,
                        links=links.slice(k, per_sheet), streamed=streamed)
        if n < len(starts):
            put(ws, bottom, 1, pick(TEXT["details_capped"], data.lang).format(next=f"{name} ({n + 1})")).font = BOLD
        ws.page_setup.scale = DETAILS_SCALE
        ws.sheet_properties.pageSetUpPr.fitToPage = False


def _link_targets(frame: pl.DataFrame, data: ReportData, link_base: Path | None) -> pl.Series:
    """Links to the article files relative to the folder the workbook is read from, so
    they work on any PC that sees the share (an absolute file:// path would not)."""
    article_dir = Path(data.article_dir).absolute()
    base = Path(link_base).absolute() if link_base else article_dir
    folder = Path(os.path.relpath(article_dir, base)).as_posix()
    prefix = "" if folder == "." else folder + "/"
    return frame.select(pl.when(pl.col("file") != "").then(pl.lit(prefix) + pl.col("file"))).to_series()


def _link_cells(ws: Worksheet, column: int, links: pl.Series, first: int) -> None:
    for i, target in enumerate(links.to_list(), first):
        if target is not None:
            cell = ws.cell(row=i, column=column)
            cell.hyperlink = target
            cell.style = "Hyperlink"


def _hyperlink_xf(ws: Worksheet) -> int:
    cell = Cell(ws)
    cell.style = "Hyperlink"
    return ws.parent._cell_styles.add(cell._style)


def _checks(ws: Worksheet, data: ReportData, recs: pl.DataFrame) -> None:
    lang = data.lang
    put(ws, 1, 1, pick(TEXT["rules_title"], lang)).font = BOLD
    row = _table(ws, rt.rule_checks(data.outcomes, lang), 2, "rules", lang) + 1
    put(ws, row, 1, pick(TEXT["quarantined_title"], lang)).font = BOLD
    _table(ws, rt.quarantined(recs, data.half, lang, data.outcomes), row + 1, "quarantined", lang, freeze=False)


def _technical(ws: Worksheet, data: ReportData, recs: pl.DataFrame) -> None:
    """The validation's rule ids and Great Expectations types, for whoever maintains the rules."""
    lang = data.lang
    put(ws, 1, 1, pick(TEXT["rules_title"], lang)).font = BOLD
    row = _table(ws, rt.rule_checks(data.outcomes, lang, technical=True), 2, "rules_technical", lang) + 1
    put(ws, row, 1, pick(TEXT["quarantined_title"], lang)).font = BOLD
    _table(ws, rt.quarantined(recs, data.half, lang), row + 1, "quarantined_technical", lang, freeze=False)


def _print_setup(ws: Worksheet, header: str, lang: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    if ws.page_setup.fitToHeight is None:
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
    if ws.sheet_properties.pageSetUpPr is None or ws.sheet_properties.pageSetUpPr.fitToPage is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = clean_text(header)
    ws.oddFooter.left.text = "&A"  # the sheet's name: a printed page says where it comes from
    ws.oddFooter.center.text = pick(TEXT["page"], lang)
