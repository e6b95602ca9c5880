"""Cleaning (transforms.clean): canonical text, page furniture removed, sentence spans."""
import time
import unicodedata

import pytest

from transforms.clean import clean_text, split_sentences


@pytest.mark.parametrize("raw, cleaned", [
    pytest.param(unicodedata.normalize("NFD", "Hòa Bình"), "Hòa Bình", id="brief: NFD input becomes NFC"),
    pytest.param("a\u00a0b", "a b", id="brief: NBSP is a space"),
    pytest.param("a\u200bb", "ab", id="brief: zero-width space is dropped"),
    pytest.param("a   b", "a b", id="brief: runs of spaces collapse"),
    pytest.param("\u201cKỷ cương\u201d", '"Kỷ cương"', id="brief: curly quotes are straight"),
    pytest.param("2016 \u2014 2020", "2016 – 2020", id="brief: dashes become one en dash"),
    pytest.param("a\r\nb", "a\n\nb", id="brief: CRLF is a line end"),
    pytest.param("a\rb", "a\n\nb", id="brief: CR is a line end"),
    pytest.param("a\x00b\x07c", "abc", id="brief: control characters are dropped"),
    pytest.param("Tỉnh Bắc Kạn có 1.327 hồ sơ.".encode("utf-8").decode("latin-1"), "Tỉnh Bắc Kạn có 1.327 hồ sơ.",
                 id="clean: UTF-8 read as Latin-1 is repaired (ftfy)"),
    pytest.param("Giá 5 Ã— 3", "Giá 5 Ã– 3", id="clean: text without Vietnamese mojibake is left alone"),
    pytest.param("Dòng một.\nDòng một.\nDòng hai.", "Dòng một.\n\nDòng hai.", id="brief: a line repeated verbatim is dropped"),
])
def test_normalisation(raw, cleaned):
    assert clean_text(raw).text == cleaned


@pytest.mark.parametrize("raw, kept", [
    pytest.param("Nội dung.\nÝ kiến bạn đọc\nBình luận hay.", "Nội dung.", id="brief: comment box cut"),
    pytest.param("Nội dung.\nTrả lời\nEmail của bạn sẽ không được hiển thị công khai.", "Nội dung.", id="brief: reply widget cut"),
    pytest.param("Nội dung.\nTin cùng chuyên mục\nTin khác 1\nTin khác 2", "Nội dung.", id="brief: related list cut with all after"),
    pytest.param("Nội dung.\nscreenshot 1656032932\nTiếp.", "Nội dung.\n\nTiếp.", id="brief: screenshot marker dropped"),
    pytest.param("Nội dung.\nThủ tướng chủ trì phiên họp (Ảnh: Baochinhphu.vn)\nTiếp.", "Nội dung.\n\nTiếp.",
                 id="brief: line ending with a photo credit dropped"),
    pytest.param("Nội dung.\n(Ảnh: Minh Hà)\nTiếp.", "Nội dung.\n\nTiếp.", id="brief: photo caption line dropped"),
    pytest.param("Ảnh hưởng bởi dịch bệnh, tỉnh vẫn đạt kết quả.", "Ảnh hưởng bởi dịch bệnh, tỉnh vẫn đạt kết quả.",
                 id="clean: 'Ảnh hưởng' is a word, not a caption"),
    pytest.param("Nội dung.\nTác giả: Kim Loan\nVideo TP. Quy Nhơn\nQuy Nhơn qua ảnh\ngiadat\nvanban3\ntuyendung",
                 "Nội dung.\n\nTác giả: Kim Loan", id="brief: trailing link menu dropped, byline kept"),
    pytest.param("Nội dung dài của bài.\nThúy Phượng - Xuân Cường", "Nội dung dài của bài.\n\nThúy Phượng - Xuân Cường",
                 id="clean: one short trailing line is a byline, not a menu"),
])
def test_boilerplate(raw, kept):
    assert clean_text(raw).text == kept


@pytest.mark.parametrize("text, sentences", [
    pytest.param("Tại TP. Quy Nhơn, tỉnh họp. Kết quả tốt.", ["Tại TP. Quy Nhơn, tỉnh họp.", "Kết quả tốt."],
                 id="clean: 'TP.' is an abbreviation"),
    pytest.param("PGS.TS. Nguyễn Văn A phát biểu. Hội nghị kết thúc.",
                 ["PGS.TS. Nguyễn Văn A phát biểu.", "Hội nghị kết thúc."], id="clean: 'PGS.TS.' is an abbreviation"),
    pytest.param("Các địa phương hoàn thành 1.327/3.009 nhiệm vụ. Tốt.",
                 ["Các địa phương hoàn thành 1.327/3.009 nhiệm vụ.", "Tốt."], id="domain.md: '1.327' is one number"),
    pytest.param("Đạt 15,7%. Tăng 2 bậc.", ["Đạt 15,7%.", "Tăng 2 bậc."], id="clean: sentence after a percent"),
    pytest.param("Gồm: 1. Rà soát. 2. Đối thoại.", ["Gồm: 1. Rà soát.", "2. Đối thoại."],
                 id="clean: a list number stays with its item"),
    pytest.param("Thực hiện v.v. và nhiều việc khác.", ["Thực hiện v.v. và nhiều việc khác."],
                 id="clean: no break before a lower-case word"),
    pytest.param('Ông nói: "Làm ngay." Sau đó họp.', ['Ông nói: "Làm ngay."', "Sau đó họp."],
                 id="clean: a closing quote stays with its sentence"),
])
def test_sentences(text, sentences):
    ct = clean_text(text)
    assert [ct.text[s:e] for s, e, _ in ct.sentences] == sentences


def test_offsets_point_into_the_cleaned_text():
    # schema.py: record offsets point into ARTICLE_SCHEMA.text
    ct = clean_text("Tiêu đề\r\n\r\nĐoạn một. Câu hai.\nĐoạn hai.")
    assert [ct.text[s:e] for s, e in ct.paragraphs] == ["Tiêu đề", "Đoạn một. Câu hai.", "Đoạn hai."]
    assert [p for _, _, p in ct.sentences] == [0, 1, 1, 2]


def test_five_megabyte_line_is_linear():
    # brief: must not go quadratic on a single 5 MB line
    line = "Ban Chỉ đạo rà soát nhiệm vụ. " * 170_000
    t = time.perf_counter()
    ct = clean_text(line)
    assert len(ct.sentences) == 170_000
    assert time.perf_counter() - t < 20


def test_split_sentences_on_a_range():
    text = "xx A. B. yy"
    assert split_sentences(text, 3, 8) == [(3, 5), (6, 8)]
