"""The half-year workbook: lays out the tables of `transforms.report_tables` in Excel.

Figures are decided in report_tables; wording in report_labels; cell safety in cells.
This module only does layout: Excel tables with filters, frozen headers, widths,
number formats, print settings, the trend charts and the document properties.
"""
import math
from datetime import timezone
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from cchc.delivery import atomic_output
from cchc.faults import crash_point
from cchc.report.cells import clean_text, put
from cchc.report.data import ReportData, report_filename
from transforms import report_tables as rt
from transforms.catalog import load_catalog
from transforms.periods import HalfYear
from transforms.report_labels import COLUMNS, NO_DATA, SHEETS, TEXT, pick

# Columns holding prose: wide and wrapped. Other widths follow their content.
WRAPPED = {"evidence": 55, "title": 45, "description": 50, "area": 20, "metric": 28}
MIN_WIDTH, MAX_WIDTH = 8, 42
SIGNED = {"change", "movement"}  # shown with an explicit + sign
SIGNED_FORMATS = {"#,##0": "+#,##0;-#,##0;0", "#,##0.0#": "+#,##0.0#;-#,##0.0#;0"}
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_ROW_HEIGHT = 300
TREND_CHARTS = 4  # the most reported metrics get a chart each

TITLE_FONT = Font(name="Calibri", bold=True, size=14)
BOLD = Font(name="Calibri", bold=True)
# Styled by hand as well as by the table style: LibreOffice ignores Excel table styles.
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
STATUS_FILL = {False: PatternFill("solid", fgColor="FFF2CC"), True: PatternFill("solid", fgColor="E2EFDA")}
SUBTOTAL_FONT = Font(name="Calibri", bold=True, italic=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")


def write_report(data: ReportData, out_dir: Path) -> Path:
    """Write the workbook of `data.half` into `out_dir` atomically; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_filename(data.half, data.lang)
    wb = build_workbook(data)
    with atomic_output(path) as tmp:
        wb.save(tmp)
        crash_point("report-write")
    return path


def build_workbook(data: ReportData) -> Workbook:
    lang, half = data.lang, data.half
    recs = data.records
    wb = Workbook()
    wb.remove(wb.active)
    title = _title(half, lang)
    status = pick(TEXT["final" if data.final else "provisional"], lang)
    header = f"{title} – {status}"

    _overview(wb.create_sheet(pick(SHEETS["overview"], lang)), data, title)
    ws = wb.create_sheet(pick(SHEETS["by_area"], lang))
    by_area = rt.by_area(recs, half, lang)
    _table(ws, by_area.drop("is_subtotal"), 1, "by_area", lang)
    for i, is_sub in enumerate(by_area["is_subtotal"].to_list()):
        if is_sub:
            for cell in ws[i + 2]:
                cell.font = SUBTOTAL_FONT
    _table(wb.create_sheet(pick(SHEETS["by_province"], lang)), rt.by_province(recs, half, lang), 1,
           "by_province", lang)
    _table(wb.create_sheet(pick(SHEETS["rankings"], lang)), rt.rankings(recs, half, lang), 1, "rankings", lang)
    _table(wb.create_sheet(pick(SHEETS["targets"], lang)), rt.targets(recs, half, lang), 1, "targets", lang)
    _trends(wb.create_sheet(pick(SHEETS["trends"], lang)), rt.trends(recs, half, lang), lang)
    _details(wb.create_sheet(pick(SHEETS["details"], lang)), rt.details(recs, half, lang), data)
    _table(wb.create_sheet(pick(SHEETS["sources"], lang)), rt.sources(recs, data.articles, half, lang), 1,
           "sources", lang)
    _checks(wb.create_sheet(pick(SHEETS["checks"], lang)), data)

    for sheet in wb.worksheets:
        _print_setup(sheet, header, lang)
    props = wb.properties
    props.title, props.subject = title, f"CCHC {half} – {status}"
    props.creator, props.language = "cchc-report", "en-GB" if lang == "en" else "vi-VN"
    props.created = data.generated_at.astimezone(timezone.utc).replace(tzinfo=None)
    return wb


def _title(half: str, lang: str) -> str:
    h = HalfYear.parse(half)
    return pick(TEXT["title"], lang).format(half_words=pick(TEXT[f"half_{h.half}"], lang), year=h.year)


# -- one Excel table ----------------------------------------------------------------------
def _table(ws: Worksheet, frame: pl.DataFrame, top: int, name: str, lang: str,
           freeze: bool = True) -> int:
    """Write `frame` as an Excel table whose header is on row `top`; returns the row
    after it. An empty frame gets one "no data" row, as Excel rejects header-only tables."""
    headers = [pick(COLUMNS[c], lang) if c in COLUMNS else c for c in frame.columns]
    for j, text in enumerate(headers, 1):
        cell = put(ws, top, j, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = WRAP
    rows = frame.rows() or [(pick(NO_DATA, lang),) + (None,) * (len(headers) - 1)]
    for i, row in enumerate(rows, top + 1):
        for j, (column, value) in enumerate(zip(frame.columns, row), 1):
            cell = put(ws, i, j, value)
            if column in SIGNED and cell.number_format in SIGNED_FORMATS:
                cell.number_format = SIGNED_FORMATS[cell.number_format]
            cell.alignment = WRAP if column in WRAPPED else TOP
    bottom = top + len(rows)
    ref = f"A{top}:{get_column_letter(len(headers))}{bottom}"
    table = Table(displayName=f"T_{name}", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    _widths(ws, frame.columns, headers, rows)
    _heights(ws, list(range(len(headers))), [tuple(headers)], top)
    _heights(ws, [j for j, c in enumerate(frame.columns) if c in WRAPPED], rows, top + 1)
    if freeze:
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
        ws.print_title_rows = f"{top}:{top}"
    return bottom + 1


def _widths(ws: Worksheet, columns: list[str], headers: list[str], rows: list[tuple]) -> None:
    for j, (column, header) in enumerate(zip(columns, headers), 1):
        letter = get_column_letter(j)
        if column in WRAPPED:
            width = WRAPPED[column]
        else:
            # headers wrap onto two lines; 500 rows are enough to judge a column
            longest = max([len(_shown(r[j - 1])) for r in rows[:500]] + [len(header) // 2 + 1])
            width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
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
def _overview(ws: Worksheet, data: ReportData, title: str) -> None:
    lang, half = data.lang, data.half
    h = HalfYear.parse(half)
    start, end = h.window(data.calendar)
    deadline = h.deadline(data.calendar).strftime("%d/%m/%Y")
    counts = rt.overview_counts(data.records, data.articles, data.files, half)
    put(ws, 1, 1, title).font = TITLE_FONT
    facts = [
        ("window", pick(TEXT["window_value"], lang).format(
            start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"),
            calendar=pick(TEXT[f"calendar_{data.calendar}"], lang))),
        ("status", pick(TEXT["final" if data.final else "provisional"], lang)),
        (None, pick(TEXT["final_note" if data.final else "provisional_note"], lang).format(deadline=deadline)),
        # The only cell that changes between two runs on the same data.
        ("generated", data.generated_at.strftime("%d/%m/%Y %H:%M (UTC%z)")),
        ("basis", pick(TEXT["basis_value"], lang).format(**counts)),
    ]
    for i, (key, value) in enumerate(facts, 3):
        if key:
            put(ws, i, 1, pick(TEXT[key], lang)).font = BOLD
        put(ws, i, 2, value)
    status_cell = ws.cell(row=4, column=2)
    status_cell.font, status_cell.fill = BOLD, STATUS_FILL[data.final]

    row = 3 + len(facts) + 1
    put(ws, row, 1, pick(TEXT["headline"], lang)).font = Font(name="Calibri", bold=True, size=12)
    put(ws, row + 1, 1, pick(TEXT["headline_note"], lang)).font = Font(name="Calibri", italic=True)
    row += 3
    # Wide enough for the labels above; set first so the tables' row heights fit it.
    ws.column_dimensions["A"].width = 38
    headline = rt.headline(data.records, half, lang)
    catalog = load_catalog()
    for area_id in catalog.areas:
        part = headline.filter(pl.col("area_id") == area_id)
        if part.is_empty():
            continue
        put(ws, row, 1, catalog.area_label(area_id, lang)).font = BOLD
        row = _table(ws, part.drop("area_id", "area"), row + 1, f"overview_{area_id}", lang, freeze=False) + 1
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"


def _trends(ws: Worksheet, frame: pl.DataFrame, lang: str) -> None:
    _table(ws, frame, 1, "trends", lang)
    halves = [c for c in frame.columns if c[:4].isdigit()]
    if not halves:
        return
    first_col = frame.columns.index(halves[0]) + 1
    last_col = first_col + len(halves) - 1
    categories = Reference(ws, min_col=first_col, max_col=last_col, min_row=1, max_row=1)
    anchor_col = get_column_letter(len(frame.columns) + 2)
    for n, row in enumerate(frame.head(TREND_CHARTS).iter_rows(named=True)):
        chart = LineChart()
        name = row["metric"] + (f" – {row['breakdown']}" if row["breakdown"] else "")
        chart.title = clean_text(pick(TEXT["trend_chart"], lang).format(metric=name, geography=row["geography"]))
        chart.y_axis.title = row["unit"]
        chart.legend = None
        # openpyxl 3.1 hides axes unless told otherwise
        chart.x_axis.delete = chart.y_axis.delete = False
        values = Reference(ws, min_col=first_col, max_col=last_col, min_row=n + 2, max_row=n + 2)
        chart.append(Series(values, title=name))
        chart.set_categories(categories)
        chart.height, chart.width = 7, 14
        ws.add_chart(chart, f"{anchor_col}{1 + n * 15}")


def _details(ws: Worksheet, frame: pl.DataFrame, data: ReportData) -> None:
    _table(ws, frame, 1, "details", data.lang)
    column = frame.columns.index("file") + 1
    article_dir = Path(data.article_dir).absolute()
    for i, name in enumerate(frame["file"].to_list(), 2):
        if name:
            cell = ws.cell(row=i, column=column)
            cell.hyperlink = (article_dir / name).as_uri()
            cell.style = "Hyperlink"


def _checks(ws: Worksheet, data: ReportData) -> None:
    lang = data.lang
    put(ws, 1, 1, pick(TEXT["rules_title"], lang)).font = BOLD
    row = _table(ws, rt.rule_checks(data.outcomes, lang), 2, "rules", lang) + 1
    put(ws, row, 1, pick(TEXT["quarantined_title"], lang)).font = BOLD
    _table(ws, rt.quarantined(data.records, data.half, lang), row + 1, "quarantined", lang, freeze=False)


def _print_setup(ws: Worksheet, header: str, lang: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = clean_text(header)
    ws.oddFooter.center.text = pick(TEXT["page"], lang)
