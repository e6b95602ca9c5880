"""The forms offices receive give the figures of the plain-text article (issue 12).

Every file is made in the test run: a .docx written with python-docx, converted by
LibreOffice headless to .pdf, .odt and .doc; a saved web page with menu, sidebar, related
links, comments, footer and scripts; a front-matter Markdown post; an image-only PDF.
"""
import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.documents import (SEED, SIDEBAR, TABLE, convert, seed_article, write_docx, write_html,
                             write_markdown, write_scanned_pdf)
from transforms.read.decode import UnreadableFile
from transforms.read.document import SCANNED_PDF, Article, read_document
from transforms.extract.article import extract_batch

pytestmark = pytest.mark.slow

TITLE, BODY = seed_article()
DAY = date(2024, 7, 10)  # the article's date, in every form's own metadata
FACT = ("metric_id", "value", "total", "geography", "period", "breakdown", "kind")


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    txt = folder / "bai.txt"
    shutil.copy(SEED, txt)
    stamp = datetime(DAY.year, DAY.month, DAY.day, 9).timestamp()
    os.utime(txt, (stamp, stamp))  # a plain-text file's only date is its modification time
    word = write_docx(folder / "bao-cao.docx", TITLE, BODY, modified=datetime(2024, 7, 10, 9), table=TABLE)
    return {
        "txt": txt, "docx": word,
        "pdf": convert(word, "pdf", folder / "pdf"),
        "odt": convert(word, "odt", folder / "odt"),
        "doc": convert(word, "doc:MS Word 97", folder / "doc"),
        "html": write_html(folder / "trang.html", TITLE, BODY, published="2024-07-10T08:00:00+07:00"),
        "md": write_markdown(folder / "bai.md", TITLE, BODY, published="2024-07-10"),
    }


def _extract(path: Path):
    doc = read_document(path.read_bytes(), path.name)
    articles, records, errors = extract_batch(
        [Article(path.name, doc, "sha", datetime.fromtimestamp(path.stat().st_mtime).date())])
    assert not errors
    return doc, articles.row(0, named=True), records


@pytest.mark.parametrize("form", ["md", "html", "docx", "pdf", "odt", "doc"])
def test_each_form_gives_the_figures_of_the_plain_text(forms, form):
    _, plain_article, plain = _extract(forms["txt"])
    doc, article, records = _extract(forms[form])
    assert sorted(records.select(FACT).rows(), key=str) == sorted(plain.select(FACT).rows(), key=str)
    assert plain.height >= 30
    assert doc.title == TITLE and article["title"] == plain_article["title"]
    if form != "pdf":  # a PDF made by LibreOffice carries no date of its own
        assert article["article_date"] == DAY and article["date_basis"] == "document"
    assert not any(s in e for s in SIDEBAR for e in records["evidence"])


def test_the_table_row_is_one_line_in_word_and_pdf(forms):
    for form in ("docx", "pdf", "odt"):
        doc = read_document(forms[form].read_bytes(), forms[form].name)
        assert "Chỉ tiêu | Kế hoạch | Thực hiện | Tỷ lệ" in doc.text.split("\n"), form


def test_a_pdf_keeps_the_paragraph_and_page_of_each_figure(forms):
    _, _, word = _extract(forms["docx"])
    doc, _, pdf = _extract(forms["pdf"])
    assert len(doc.page_starts) >= 2
    # the same paragraph numbers as the Word file it was printed from, and a page each
    key = ("metric_id", "value", "kind", "breakdown", "paragraph")
    assert sorted(pdf.select(key).rows(), key=str) == sorted(word.select(key).rows(), key=str)
    assert pdf["page"].null_count() == 0 and set(pdf["page"]) == set(range(1, len(doc.page_starts) + 1))
    assert word["page"].null_count() == word.height
    for r in pdf.iter_rows(named=True):  # the evidence is on the page the record names
        start = doc.page_starts[r["page"] - 1]
        end = doc.page_starts[r["page"]] if r["page"] < len(doc.page_starts) else len(doc.text)
        assert r["value_text"] in doc.text[start:end]


def test_a_scanned_pdf_is_rejected_with_the_reason(tmp_path):
    scan = write_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(UnreadableFile) as e:
        read_document(scan.read_bytes(), scan.name)
    assert str(e.value) == SCANNED_PDF


def test_offices_inbox_through_the_cli(workspace, forms):
    """`cchc run` then `cchc export`: every form read, the rest listed with its reason, and
    the page's publication date deciding the half-year whatever the file's time."""
    inbox = workspace.inbox
    for form in ("docx", "pdf", "odt"):
        shutil.copy(forms[form], inbox / forms[form].name)
    write_html(inbox / "bac-kan.html", "Bắc Kạn: kết quả cải cách hành chính", [
        "Ban Chỉ đạo cải cách hành chính tỉnh Bắc Kạn họp phiên thường kỳ.",
        "Các sở, ngành của tỉnh đã hoàn thành 40/52 nhiệm vụ cải cách hành chính được giao."],
        published="2024-03-10T08:00:00+07:00")
    write_markdown(inbox / "bai.md", TITLE, BODY, published="2024-07-10")
    write_scanned_pdf(inbox / "scan.pdf")
    (inbox / "so-lieu.xlsx").write_bytes(b"PK\x03\x04 not an article")
    late = datetime(2026, 11, 20, 9).timestamp()  # saved long after: 2026-H2 if the file's time were used
    for f in inbox.iterdir():
        if f.is_file():
            os.utime(f, (late, late))

    run = workspace.cchc("run", timeout=400)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "5 mới" in run.stdout and "2 bị từ chối" in run.stdout, run.stdout
    assert f"từ chối  scan.pdf: {SCANNED_PDF}" in run.stdout
    assert "từ chối  so-lieu.xlsx: không nhận loại tệp .xlsx" in run.stdout

    out = workspace.root / "records.jsonl"
    export = workspace.cchc("export", "--format", "jsonl", "--out", str(out))
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    page = [r for r in records if r["file"] == "bac-kan.html"]
    assert [(r["metric_id"], r["value"], r["total"], r["period"]) for r in page] == [
        ("tasks_completed", 40, 52, "2024-H1")]
    by_file = {name: sorted((r["metric_id"], r["value"], r["period"]) for r in records if r["file"] == name)
               for name in ("bao-cao.docx", "bao-cao.pdf", "bao-cao.odt", "bai.md")}
    assert len({tuple(v) for v in by_file.values()}) == 1 and by_file["bai.md"]
    assert not any("2026" in (r["period"] or "") for r in records)

    book = openpyxl.load_workbook(workspace.reports / "bao-cao-cchc-2024-H1.xlsx", read_only=True)
    rows = list(book["Chi tiết"].iter_rows(values_only=True))
    where = dict(zip(rows[0], zip(*rows[1:])))
    positions = {(f, p) for f, p in zip(where["Tệp bài viết"], where["Vị trí"])}
    assert any(f == "bao-cao.pdf" and p.startswith("đoạn ") and ", tr. " in p for f, p in positions)
    assert ("bac-kan.html", "đoạn 3") in positions  # title, lead-in, then the figure
