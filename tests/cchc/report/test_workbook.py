"""The workbook as written to disk, read back with openpyxl (and LibreOffice for the PDF)."""
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from cchc.report import ReportData, load_report_data, report_filename, write_report
from cchc.settings import Settings
from cchc.store import Store
from tests.report_sample import NATIONAL, rec, sample_articles, sample_files, sample_outcomes, sample_records

VI_SHEETS = ["Tổng quan", "Phụ lục", "Theo lĩnh vực", "Theo địa phương", "Xếp hạng chỉ số", "Mục tiêu",
             "Xu hướng", "Chi tiết", "Nguồn", "Kiểm tra dữ liệu", "Kỹ thuật"]
GENERATED = datetime(2024, 6, 18, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def data(half="2024-H1", lang="vi", records=None, final=False, generated_at=GENERATED, article_dir=Path("seeds"),
         province=None, share_dir=None):
    return ReportData(half=half, records=sample_records() if records is None else records,
                      articles=sample_articles(), outcomes=sample_outcomes(), files=sample_files(),
                      calendar="decree09", final=final, generated_at=generated_at,
                      article_dir=article_dir, lang=lang, province=province, share_dir=share_dir)


def cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def find(ws, value):
    for row in ws.iter_rows():
        for c in row:
            if c.value == value:
                return c
    raise AssertionError(f"{value!r} not on sheet {ws.title}")


def row_of(ws, cell) -> dict:
    """The row of `cell` as {header: value}, the header being the nearest table header above."""
    table = next(t for t in ws.tables.values()
                 if openpyxl.utils.cell.range_boundaries(t.ref)[1] <= cell.row <= openpyxl.utils.cell.range_boundaries(t.ref)[3])
    min_col, min_row, max_col, _ = openpyxl.utils.cell.range_boundaries(table.ref)
    header = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    return dict(zip(header, [ws.cell(cell.row, c).value for c in range(min_col, max_col + 1)]))


def block(ws, first_header: str) -> list[dict]:
    """The rows of the plain (non-Excel-table) block whose header row starts with `first_header`."""
    top = next(c.row for c in ws["A"] if c.value == first_header)
    header = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for r in range(top + 1, ws.max_row + 1):
        values = [ws.cell(r, j).value for j in range(1, len(header) + 1)]
        if all(v in (None, "") for v in values):
            break
        rows.append(dict(zip(header, values)))
    return rows


@pytest.fixture
def workbook(tmp_path):
    path = write_report(data(), tmp_path)
    return openpyxl.load_workbook(path)


def test_file_name_and_sheets(tmp_path, workbook):
    assert report_filename("2024-H1", "vi") == "bao-cao-cchc-2024-H1.xlsx"
    assert report_filename("2024-H2", "en") == "cchc-report-2024-H2.xlsx"
    assert workbook.sheetnames == VI_SHEETS
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao-cchc-2024-H1.xlsx"]  # no temp file left


def test_overview(workbook):
    ws = workbook["Tổng quan"]
    assert ws["A1"].value == "Báo cáo tiến độ cải cách hành chính – 6 tháng đầu năm 2024 – Cả nước"
    assert "từ 15/12/2023 đến 14/06/2024" in ws["A2"].value and "TẠM THỜI" in ws["A2"].value
    assert "PROVISIONAL" not in ws["A2"].value  # Vietnamese only in the vi workbook
    assert ws["A3"].value.startswith("Chất lượng số liệu: 14 số liệu từ 3 bài (3 tệp); 1 bị cách ly")
    rows = {r["Chỉ tiêu"]: r for r in block(ws, "Chỉ tiêu")}
    tasks = rows["Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành"]
    assert (tasks["Thực hiện"], tasks["Kỳ trước"], tasks["So với kỳ trước"], tasks["Kế hoạch"], tasks["Tỷ lệ %"],
            tasks["Số nguồn"]) == ("400", "300", "▲ +100", "991", "40,4%", 2)
    assert rows["Tăng thu ngân sách"]["So với kỳ trước"] == "▲ +3,2 đ.%"
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" not in rows  # quarantined
    assert 1 <= len(rows) <= 12
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1  # one page
    assert len(ws._charts) == 1


def test_second_half_final_and_english(tmp_path):
    wb = openpyxl.load_workbook(write_report(data(half="2022-H2", lang="en", final=True), tmp_path))
    assert wb.sheetnames[0] == "Overview" and "Index rankings" in wb.sheetnames
    assert wb["Overview"]["A1"].value == "Public administration reform progress report – second half of 2022 – Nationwide"
    assert "FINAL" in wb["Overview"]["A2"].value
    par = row_of(wb["Index rankings"], find(wb["Index rankings"], "PAR INDEX"))
    assert (par["Geography"], par["Rank"], par["Movement (places)"]) == ("Hậu Giang", "27/63", 1)
    assert row_of(wb["By province"], find(wb["By province"], "Hậu Giang"))["Province since 1/7/2025"] == "Cần Thơ"
    vi = openpyxl.load_workbook(write_report(data(half="2024-H2"), tmp_path))
    assert vi["Tổng quan"]["A1"].value.endswith("6 tháng cuối năm 2024 – Cả nước")


def test_sheets_hold_the_figures(workbook):
    area = workbook["Theo lĩnh vực"]
    tasks = [row_of(area, c)["Phân loại"] for c in area["B"] if c.value == "Nhiệm vụ CCHC đã hoàn thành"]
    assert tasks == ["Ban Chỉ đạo", "Bộ, ngành", "Địa phương"]  # parts not declared additive: no sum row
    target = row_of(workbook["Mục tiêu"], find(workbook["Mục tiêu"], "Tuyên Quang"))
    assert (target["Mục tiêu"], target["Năm đến hạn"], target["Thực tế mới nhất"], target["Tiến độ (%)"]) \
        == (86, "2025", 85.02, 98.9)
    trends = workbook["Xu hướng"]
    assert trends._charts and trends["F1"].value == "2023-H2"
    tasks = row_of(trends, find(trends, "Nhiệm vụ CCHC đã hoàn thành"))
    assert (tasks["2023-H2"], tasks["2024-H1"]) == (300, 400)
    assert find(workbook["Nguồn"], "Phiên họp thứ 8 Ban Chỉ đạo CCHC")
    checks = workbook["Kiểm tra dữ liệu"]
    assert row_of(checks, find(checks, "Phần trăm trong khoảng 0–100"))["Kết quả"] == "Không đạt"
    assert row_of(checks, find(checks, "Tỷ lệ hồ sơ đúng hạn 120%."))["Lý do cách ly"] == "Phần trăm trong khoảng 0–100"
    # rule ids and Great Expectations types only on the technical sheet at the end
    assert not [c for row in checks.iter_rows() for c in row if c.value in ("percent_in_range", "range")]
    technical = workbook["Kỹ thuật"]
    assert row_of(technical, find(technical, "percent_in_range"))["Loại quy tắc"] == "range"


def test_details_link_to_the_article_relative_to_the_share(tmp_path):
    share, inbox = tmp_path / "share", tmp_path / "inbox"
    ws = openpyxl.load_workbook(write_report(data(article_dir=inbox, share_dir=share), tmp_path / "out"))["Chi tiết"]
    link = find(ws, "001_13960fbe25726a23.txt")
    assert link.hyperlink.target == "../inbox/001_13960fbe25726a23.txt"  # works wherever the share is mounted
    assert row_of(ws, find(ws, "Tỷ lệ hồ sơ đúng hạn 120%."))["Bị cách ly"] == "Có"
    assert ws.max_row == 1 + 14
    assert ws.page_setup.scale >= 73 and not ws.sheet_properties.pageSetUpPr.fitToPage  # ≥ 8 pt printed


def test_presentation(workbook):
    for ws in workbook:
        assert ws.tables or ws.title in ("Tổng quan", "Phụ lục"), ws.title
        assert ws.freeze_panes or ws.title == "Tổng quan", ws.title
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows or ws.title == "Tổng quan"
    details = workbook["Chi tiết"]
    evidence = find(details, "Các bộ, ngành đã hoàn thành 400/991 nhiệm vụ.")
    assert evidence.alignment.wrap_text
    assert find(details, 700_000_000_000_000).number_format == '#,##0,,," tỷ"'  # 700.000 tỷ | đồng
    assert find(details, 85.02).number_format == "#,##0.0#"
    assert find(workbook["Theo lĩnh vực"], 83).number_format == "#,##0"
    assert workbook.properties.title.startswith("Báo cáo tiến độ")
    assert workbook.properties.created == datetime(2024, 6, 18, 1, 30)


def test_article_text_never_becomes_a_formula(workbook):
    ws = workbook["Chi tiết"]
    for text in ['=HYPERLINK("http://x","y")', "+84 912 345 678 là đường dây nóng."]:
        cell = find(ws, text)
        assert cell.data_type == "s" and cell.value == text
    title = find(workbook["Nguồn"], "=cmd|' /C calc'!A0")
    assert title.data_type == "s"
    assert not [c for s in workbook for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_hostile_values_do_not_break_the_file(tmp_path):
    rows = [rec(NATIONAL, "decrees_issued", "actual", 1e308, "count", evidence="a\x00b\x0bc" + "x" * 40_000),
            rec(NATIONAL, "draft_laws_approved", "actual", float("inf"), "count", evidence="@SUM(A1)"),
            rec(NATIONAL, "procedures_cut", "actual", 9e307, "count", evidence="-1+1")]
    wb = openpyxl.load_workbook(write_report(data(records=sample_records(rows)), tmp_path))
    ws = wb["Chi tiết"]
    long = find(ws, "ab" + "c" + "x" * (32_767 - 4) + "…")
    assert len(long.value) == 32_767
    assert find(ws, 9e307).data_type == "n"
    assert find(ws, "1e+308").data_type == "s"  # beyond Excel's largest number: shown as text
    assert find(ws, "inf").data_type == "s"
    assert find(ws, "@SUM(A1)").data_type == "s" and find(ws, "-1+1").data_type == "s"


def test_same_data_same_cells_except_the_generation_time(tmp_path):
    a = openpyxl.load_workbook(write_report(data(), tmp_path / "a"))
    b = openpyxl.load_workbook(write_report(data(generated_at=datetime(2024, 7, 1, 9, 0,
                                                                       tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))),
                                            tmp_path / "b"))
    diff = [(ws.title, ca.coordinate) for ws in a for ra, rb in zip(ws.iter_rows(), b[ws.title].iter_rows())
            for ca, cb in zip(ra, rb) if ca.value != cb.value]
    assert diff == [("Tổng quan", "H3")]
    assert a["Tổng quan"]["H3"].value == "18/06/2024 08:30 (UTC+0700)"


def test_failed_write_keeps_the_previous_report(tmp_path, monkeypatch):
    path = write_report(data(), tmp_path)
    before = path.read_bytes()

    def boom(self, filename):
        Path(filename).write_bytes(b"partial")
        raise OSError("disk full")
    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OSError):
        write_report(data(), tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_load_report_data_from_the_store(tmp_path):
    store = Store(tmp_path / "cchc.duckdb")
    store.commit_batch([{"name": a["file"], "content_sha256": a["content_sha256"], "status": "ingested"}
                        for a in sample_articles().to_dicts()], sample_articles(), sample_records(), "run1")
    settings = Settings(inbox=tmp_path / "inbox")
    before = load_report_data(store, "2024-H1", settings, generated_at=GENERATED)
    after = load_report_data(store, "2024-H1", settings, generated_at=datetime(2024, 6, 21, tzinfo=GENERATED.tzinfo))
    assert (before.final, after.final) == (False, True)  # the deadline is 20/6
    assert before.records.height == sample_records().height and before.article_dir == tmp_path / "inbox"
    assert load_report_data(store, "2024-H1", settings, final=True).final
    store.close()
    wb = openpyxl.load_workbook(write_report(before, tmp_path / "out"))
    rows = {r["Chỉ tiêu"]: r for r in block(wb["Tổng quan"], "Chỉ tiêu")}
    assert rows["Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành"]["Thực hiện"] == "400"


@pytest.mark.slow
def test_libreoffice_renders_a_pdf(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        if os.environ.get("CI"):
            pytest.fail("soffice (LibreOffice) is required in CI: apt-get install libreoffice-calc")
        pytest.skip("soffice (LibreOffice) is not installed")
    path = write_report(data(), tmp_path)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0
    if shutil.which("pdftotext"):  # the formula-looking evidence is printed as text, not evaluated
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert '=HYPERLINK("http://x","y")' in text and "+84 912 345 678" in text


def test_details_beyond_excels_row_limit_continue_on_another_sheet(tmp_path, monkeypatch):
    import cchc.report.workbook as workbook_module
    monkeypatch.setattr(workbook_module, "EXCEL_MAX_ROWS", 8)  # 6 records a sheet instead of 1 048 574
    wb = openpyxl.load_workbook(write_report(data(), tmp_path))
    sheets = [n for n in wb.sheetnames if n.startswith("Chi tiết")]
    assert sheets == ["Chi tiết", "Chi tiết (2)", "Chi tiết (3)"]
    assert wb["Chi tiết"].cell(8, 1).value == "Bảng tiếp tục ở trang tính Chi tiết (2) (giới hạn số dòng của Excel)."
    files = [c.value for n in sheets for c in wb[n]["O"][1:] if c.value and c.value.endswith(".txt")]
    assert len(files) == 14  # nothing lost
    assert all(wb[n].max_row <= 8 for n in sheets)
