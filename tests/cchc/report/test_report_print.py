"""The workbook as printed: LibreOffice → PDF, read back with pdftotext, page by page.

Each page's footer names its sheet (&A), so pages are counted per sheet. Slow (LibreOffice
takes a few seconds); skipped without soffice/poppler unless CI is set, when it fails.
"""
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from cchc.report import load_report_data, write_report
from cchc.report.render import missing_tools, page_texts, page_words, to_pdf
from cchc.settings import Settings
from cchc.store import Store
from tests.cchc.report.test_report_unit import store_path  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow
GENERATED = datetime(2024, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def printed(store_path, tmp_path_factory):  # noqa: F811
    if missing := missing_tools():
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required in CI: apt-get install libreoffice-calc poppler-utils")
        pytest.skip(f"{', '.join(missing)} not installed")
    out = tmp_path_factory.mktemp("printed")
    with Store(store_path) as store:
        data = load_report_data(store, "2024-H1", Settings(inbox=out / "inbox", share=out / "share"),
                                generated_at=GENERATED)
    path = write_report(data, out)
    pdf = to_pdf(path, out)
    pages = page_texts(pdf)
    by_sheet: dict[str, list[str]] = {}
    wb = openpyxl.load_workbook(path)
    for text in pages:
        footer = [line.strip() for line in text.splitlines() if line.strip()][-1]
        sheet = next(name for name in sorted(wb.sheetnames, key=len, reverse=True) if footer.startswith(name))
        by_sheet.setdefault(sheet, []).append(text)
    return wb, pages, by_sheet, pdf


def test_page_count_per_sheet(printed):
    wb, pages, by_sheet, _ = printed
    assert list(by_sheet) == wb.sheetnames  # every sheet prints, in order
    assert len(by_sheet["Tổng quan"]) == 1  # the leader's page
    assert len(pages) <= 20
    assert all("Thực hiện" in page for page in by_sheet["Phụ lục"])  # header on every page


def test_no_chart_straddles_a_page_break(printed):
    """Each chart's title and its category axis (its bottom edge) are inside the printed
    area of one page: between the title and the bottom margin."""
    wb, _, by_sheet, pdf = printed
    bottom_margin = 72.0  # 1 inch, openpyxl's default
    pages = page_words(pdf)
    for sheet in ("Tổng quan", "Xu hướng"):
        charts = wb[sheet]._charts
        assert charts, sheet
        for chart in charts:
            title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or [])).split()
            whole = []
            for height, words in pages:
                texts = [w[3] for w in words]
                for k in range(len(texts) - len(title) + 1):
                    if texts[k:k + len(title)] == title:
                        top = words[k][1]
                        axis = [w for w in words if w[3] == "2024-H1" and w[1] > top]
                        whole.append(any(w[2] <= height - bottom_margin for w in axis))
            assert whole.count(True) == 1 and len(whole) == 1, (sheet, title, whole)
