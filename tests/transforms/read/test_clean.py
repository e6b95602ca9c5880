"""Cleaning (transforms.read.clean): canonical text, page furniture removed, sentence spans."""
import time
import unicodedata

import pytest

from transforms.read.clean import clean_text, oversized_numbers, split_sentences


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
    pytest.param("Thủ tướng làm việc với lãnh đạo TP.HCM. Văn bản nêu rõ.",
                 ["Thủ tướng làm việc với lãnh đạo TP.HCM.", "Văn bản nêu rõ."],
                 id="clean: 'TP.HCM.' ends a sentence (a name, not an abbreviation)"),
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


def test_a_five_megabyte_line_is_split_into_its_sentences():
    # that the time grows linearly is test_cleaning_time_grows_linearly_from_1_kb_to_2_mb's
    line = "Ban Chỉ đạo rà soát nhiệm vụ. " * 170_000
    ct = clean_text(line)
    assert len(ct.sentences) == 170_000


def test_split_sentences_on_a_range():
    text = "xx A. B. yy"
    assert split_sentences(text, 3, 8) == [(3, 5), (6, 8)]


# -- furniture cut only at the end (issue 16, item 6) ----------------------------------------

BODY = ("Năm 2024, tỉnh đã giải quyết 1.327 hồ sơ trực tuyến, đạt tỷ lệ 98,5% so với kế hoạch "
        "đề ra từ đầu năm.")


@pytest.mark.parametrize("marker", ["Trả lời:", "Bình luận", "Tin liên quan", "Ý kiến bạn đọc"])
def test_a_furniture_line_in_the_middle_drops_only_itself(marker):
    text = clean_text(f"{BODY}\n{marker}\n{BODY.replace('1.327', '2.001')}").text
    assert text == f"{BODY}\n\n{BODY.replace('1.327', '2.001')}"


def test_furniture_after_the_last_article_sentence_is_still_cut():
    ct = clean_text(f"{BODY}\nTrả lời:\nGiữa bài.\n{BODY.replace('1.327', '5')}\nBình luận\nHay quá!\nTuyệt")
    assert ct.text == f"{BODY}\n\nGiữa bài.\n\n{BODY.replace('1.327', '5')}"


def test_a_cut_that_removes_most_of_the_file_is_warned_about(caplog):
    comments = "\n".join(f"Bạn đọc {i}: bài viết hay, cảm ơn tác giả" for i in range(40))
    ct = clean_text(f"{BODY}\nÝ kiến bạn đọc\n{comments}")
    assert ct.text == BODY and ct.cut_share > 0.9
    assert "removed 9" in caplog.text and "%" in caplog.text
    caplog.clear()
    assert clean_text(f"{BODY}\nBình luận\nHay.").cut_share < 0.5 and not caplog.text


def test_a_mid_article_marker_loses_no_record_of_a_real_article():
    """The issue's case: 'Tin liên quan' inside a seed article discarded every record after it."""
    from pathlib import Path

    from transforms.extract.article import extract_article
    def facts(text):
        return sorted((r["metric_id"], r["value"], r["evidence"])
                      for r in extract_article(text, file="a.txt", content_sha256="x").records)
    seeds = [p.read_text(encoding="utf-8") for p in Path(__file__).resolve().parents[3].glob("seeds/*.txt")]
    text = max(seeds, key=lambda t: len(facts(t)))  # the seed with the most figures
    lines = text.split("\n")
    middle = len(lines) // 3
    marked = "\n".join(lines[:middle] + ["Tin liên quan"] + lines[middle:])
    assert facts(marked) == facts(text) and len(facts(marked)) > 10


# -- linear time on adversarial input (issue 16, item 4) -------------------------------------

ADVERSARIAL = {
    "photo captions without a closing bracket": "Thủ tướng (ảnh: ",
    "photo captions closed far apart": "(ảnh: a (photo: b ",
    "dots and spaces": ". " * 7 + "a ",
    "a cut line repeated": "Bình luận\n",
}


def _clean_seconds(unit: str, size: int) -> float:
    text = unit * (size // len(unit.encode("utf-8")) + 1)
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        clean_text(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("case", list(ADVERSARIAL))
def test_cleaning_time_grows_linearly_from_1_kb_to_2_mb(case):
    unit = ADVERSARIAL[case]
    sizes = [1_000, 64_000, 256_000, 2_000_000]
    times = [_clean_seconds(unit, n) for n in sizes]
    per_byte_small, per_byte_big = times[2] / sizes[2], times[3] / sizes[3]
    # linear: the cost per byte stays put (x3 slack for a busy machine); quadratic makes it x8
    assert per_byte_big < 3 * per_byte_small + 1e-7, (case, times)
    assert times[3] < 10, (case, times)


def test_numbers_above_10_to_the_18_are_found_to_warn_about():
    assert oversized_numbers("Ngân sách 1.000.000.000.000.000.000 đồng và 999 hồ sơ") == \
        ["1.000.000.000.000.000.00…"]
    assert oversized_numbers("Ngân sách 100.000.000.000.000.000 đồng") == []  # 18 digits: a figure
    assert oversized_numbers("9" * 400)[0] == "9" * 24 + "…"
