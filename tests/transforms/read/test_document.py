"""The reader seam: files made here with the tools offices use, read back as Documents.

The LibreOffice conversions (.docx → .pdf/.odt/.doc) and the figures compared with the
plain-text version are in tests/e2e/test_formats.py."""
import io
from datetime import date, datetime

import docx
import pypdfium2 as pdfium
import pytest

from tests.documents import SIDEBAR, TABLE, seed_article, write_docx, write_html, write_markdown
from transforms.read.decode import UnreadableFile
from transforms.read.document import SCANNED_PDF, Article, Document, paragraph_pages, read_document
from transforms.extract.article import extract_batch

TITLE, BODY = seed_article()


def test_a_saved_web_page_gives_the_article_only_with_its_metadata(tmp_path):
    page = write_html(tmp_path / "bai.html", TITLE, BODY, published="2024-03-10T08:00:00+07:00")
    doc = read_document(page.read_bytes(), page.name)
    assert (doc.format, doc.title, doc.published, doc.date_basis) == ("html", TITLE, date(2024, 3, 10), "html_meta")
    assert doc.source_url == "https://baochinhphu.vn/cchc-6-thang-2024-102240310.htm"
    assert doc.text.split("\n") == BODY  # one line per paragraph, the <h1> title not repeated
    for furniture in [*SIDEBAR, "Trang chủ", "Bình luận", "Nguyễn Văn A", "Giấy phép", "dataLayer", "track("]:
        assert furniture not in doc.text


def test_a_web_page_saved_with_a_txt_name_is_still_read_as_html(tmp_path):
    page = write_html(tmp_path / "bai.txt", TITLE, BODY, published="2024-03-10")
    assert read_document(page.read_bytes(), page.name).format == "html"


def test_a_web_page_without_an_article_says_so(tmp_path):
    with pytest.raises(UnreadableFile, match="web page without article text"):
        read_document(b"<!DOCTYPE html><html><head><title>x</title></head><body><script>go()</script>"
                      b"</body></html>", "empty.html")


def test_markdown_front_matter_is_metadata_not_body(tmp_path):
    post = write_markdown(tmp_path / "bai.md", TITLE, BODY, published="2024-03-10")
    doc = read_document(post.read_bytes(), post.name)
    assert (doc.title, doc.published, doc.date_basis, doc.format) == (TITLE, date(2024, 3, 10), "front_matter", "markdown")
    assert "title:" not in doc.text and "tags:" not in doc.text and doc.text.split() == "\n".join(BODY).split()


def test_word_paragraphs_and_table_rows_one_line_each(tmp_path):
    path = write_docx(tmp_path / "bao-cao.docx", TITLE, BODY[:2], modified=datetime(2024, 7, 10, 9), table=TABLE)
    doc = read_document(path.read_bytes(), path.name)
    assert doc.text.split("\n") == [BODY[0], *(" | ".join(row) for row in TABLE), BODY[1]]
    assert "Chỉ tiêu | Kế hoạch | Thực hiện | Tỷ lệ" in doc.text
    # modified, not the created date an old report copied as a template still carries
    assert (doc.title, doc.published, doc.date_basis, doc.format) == (TITLE, date(2024, 7, 10), "docx_properties", "docx")


def test_a_docx_with_python_docx_template_dates_has_no_date(tmp_path):
    document = docx.Document()  # never given its own properties: 2013-12-23, the template's
    document.add_paragraph(BODY[0])
    document.save(tmp_path / "x.docx")
    doc = read_document((tmp_path / "x.docx").read_bytes(), "x.docx")
    assert doc.published is None and doc.date_basis is None


def test_a_word_file_holding_only_an_image_says_so(tmp_path):
    from tests.documents import png

    (tmp_path / "page.png").write_bytes(png(40, 40))
    document = docx.Document()
    document.add_picture(str(tmp_path / "page.png"))
    document.save(tmp_path / "scan.docx")
    with pytest.raises(UnreadableFile, match="Word file without text"):
        read_document((tmp_path / "scan.docx").read_bytes(), "scan.docx")


def test_a_pdf_without_a_text_layer_is_rejected_as_scanned():
    pdf = pdfium.PdfDocument.new()  # a page that is one image, as a scanner makes
    page = pdf.new_page(595, 842)
    bitmap = pdfium.PdfBitmap.new_native(400, 560, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((200, 200, 200, 255), 0, 0, 400, 560)
    bitmap.fill_rect((0, 0, 0, 255), 20, 40, 360, 8)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 560).translate(90, 200))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    with pytest.raises(UnreadableFile) as e:
        read_document(buf.getvalue(), "scan.pdf")
    assert str(e.value) == SCANNED_PDF
    assert str(e.value).endswith(" / scanned PDF: no text layer (OCR not supported)")


@pytest.mark.parametrize("data, name, words", [
    (b"PK\x03\x04\x14\x00", "a.docx", "damaged ZIP archive"),
    (b"%PDF-1.7\nnot really", "a.pdf", "PDF document that cannot be opened"),
    (b"\xff\xd8\xff\xe0 photo", "a.txt", "JPEG image"),
])
def test_unreadable_documents_say_why_in_both_languages(data, name, words):
    with pytest.raises(UnreadableFile, match=words) as e:
        read_document(data, name)
    vi, en = str(e.value).split(" / ", 1)
    assert vi and en and words in en


def test_page_of_each_paragraph():
    doc = Document(text="Trang một.\nVẫn trang một.\nTrang hai có 12 nhiệm vụ.", page_starts=(0, 26))
    assert [doc.page_at(0), doc.page_at(25), doc.page_at(26)] == [1, 1, 2]
    assert paragraph_pages(doc, ["Tiêu đề", "Vẫn trang một.", "Trang hai có 12 nhiệm vụ."]) == [None, 1, 2]
    assert paragraph_pages(Document(text="x"), ["x"]) == [None]


def test_records_say_their_paragraph_and_page():
    text = "\n".join([
        "Ban Chỉ đạo họp phiên thứ nhất năm 2024.",
        "Trong 6 tháng đầu năm 2024, các bộ, ngành đã hoàn thành 400/991 nhiệm vụ cải cách hành chính.",
        "Các địa phương đã hoàn thành 1.327/3.009 nhiệm vụ cải cách hành chính trong 6 tháng đầu năm 2024."])
    doc = Document(text=text, title="Kết quả cải cách hành chính", format="pdf", page_starts=(0, text.index("Các địa")))
    _, records, errors = extract_batch([Article("a.pdf", doc, "sha", date(2024, 7, 1))])
    assert not errors
    # paragraph 1 is the title; the third line of the file is paragraph 4, on page 2
    assert sorted(records.select("value_text", "paragraph", "page").rows()) == [
        ("1.327/3.009", 4, 2), ("400/991", 3, 1)]


def test_without_libreoffice_a_doc_is_rejected_saying_how_to_convert(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(UnreadableFile) as e:
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "bao-cao.doc")
    assert str(e.value).endswith("(LibreOffice is not installed): open in Word and save as .docx")
    assert "mở bằng Word và lưu thành .docx / " in str(e.value)
