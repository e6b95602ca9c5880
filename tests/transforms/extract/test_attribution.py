"""Period and geography attribution (shared/spec/metrics.md "Notes that decide hard
cases", shared/spec/domain.md "Reporting periods" and "Provinces and the 2025 merger")."""
from datetime import date

import pytest

from transforms.extract.article import extract_article
from transforms.extract.numbers import fold
from transforms.extract.places import find_provinces, new_province
from transforms.extract import attribution as attr


def _records(text, file_date=None, calendar="decree09"):
    return extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=file_date, calendar=calendar).records


def _one(text, **kw):
    records = _records(text, **kw)
    assert len(records) == 1, records
    return records[0]


@pytest.mark.parametrize("text, period, basis", [
    pytest.param("Trong 6 tháng đầu năm 2024, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2024-H1", "explicit",
                 id="metrics.md: 6 tháng đầu năm 2024 -> 2024-H1"),
    pytest.param("Trong 6 tháng cuối năm 2024, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2024-H2", "explicit",
                 id="metrics.md: 6 tháng cuối năm 2024 -> 2024-H2"),
    pytest.param("Năm 2021, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2021", "explicit", id="metrics.md: năm 2021 -> 2021"),
    pytest.param("Trong quý I/2023, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2023-H1", "explicit",
                 id="domain.md: quarter I falls in the first half"),
    pytest.param("Trong quý III/2023, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2023-H2", "explicit",
                 id="domain.md: quarter III falls in the second half"),
    pytest.param("Tính đến 30/6/2024, tỉnh đã tiếp nhận 1.200 hồ sơ.", "2024-H1", "explicit",
                 id="domain.md: 'tính đến 30/6' closes the first half"),
    pytest.param("Năm 2023, tỉnh tiếp nhận 1.200 hồ sơ, tăng so với năm 2022.", "2023", "explicit",
                 id="attribution: 'so với năm 2022' is a comparison, not the period"),
    pytest.param("Tỉnh đã tiếp nhận 1.200 hồ sơ.", None, None, id="attribution: no period anywhere -> none"),
])
def test_period_in_sentence(text, period, basis):
    r = _one(text)
    assert (r["period"], r["period_basis"]) == (period, basis)


@pytest.mark.parametrize("folded, roles", [
    pytest.param("phương hướng, nhiệm vụ 6 tháng cuối năm 2024", ["plan"], id="metrics.md: plan after phương hướng"),
    pytest.param("triển khai nhiệm vụ 6 tháng cuối năm 2024", ["plan"], id="attribution: tasks for the coming half"),
    pytest.param("kết quả thực hiện nhiệm vụ cchc 6 tháng đầu năm 2024", ["report"],
                 id="attribution: results of the tasks of a half are a report"),
    pytest.param("tăng 4 bậc so với năm 2022", ["comparison"], id="attribution: so với is a comparison"),
    pytest.param("đến năm 2025, tỷ lệ đạt 80%", ["due"], id="attribution: đến năm is a due year"),
    pytest.param("trong 16 tháng đầu năm 2024", ["report"], id="attribution: '16 tháng' is not '6 tháng'"),
])
def test_period_roles(folded, roles):
    assert [m.role for m in attr.period_mentions(folded, 2024)] == roles


def test_plan_period_is_not_the_reported_period():
    # metrics.md: "6 tháng cuối năm" after "phương hướng, nhiệm vụ" is the plan
    text = ("Hội nghị đánh giá kết quả 6 tháng đầu năm 2024, phương hướng, nhiệm vụ 6 tháng cuối năm 2024.\n"
            "Tỉnh đã tiếp nhận 1.200 hồ sơ.")
    assert _one(text)["period"] == "2024-H1"


@pytest.mark.parametrize("file_date, calendar, period, basis", [
    pytest.param(date(2024, 3, 1), "decree09", "2024-H1", "file_metadata", id="metrics.md: file date as last resort"),
    pytest.param(date(2023, 12, 20), "decree09", "2024-H1", "file_metadata",
                 id="domain.md: Nghị định 09 window starts 15/12 of the previous year"),
    pytest.param(date(2024, 6, 20), "decree09", "2024-H2", "file_metadata",
                 id="domain.md: Nghị định 09 second half starts 15/6"),
    pytest.param(date(2024, 6, 20), "calendar", "2024-H1", "file_metadata", id="domain.md: calendar half-years are a setting"),
])
def test_period_from_file_date(file_date, calendar, period, basis):
    r = _one("Tỉnh đã tiếp nhận 1.200 hồ sơ.", file_date=file_date, calendar=calendar)
    assert (r["period"], r["period_basis"]) == (period, basis)


def test_article_date_in_text_beats_file_date():
    # metrics.md: explicit phrase first, then the article's date, then the file's metadata
    r = _one("Sáng 19/10/2022, tỉnh họp.\nTỉnh đã tiếp nhận 1.200 hồ sơ.", file_date=date(2024, 1, 1))
    assert (r["period"], r["period_basis"]) == ("2022-H2", "article_date")


@pytest.mark.parametrize("folded, year", [
    pytest.param("chậm nhất đến quý i/2023 cần hoàn thành", 2022, id="brief: a deadline in Q1 implies the year before"),
    pytest.param("kết quả 6 tháng đầu năm 2024", 2024, id="attribution: the latest reported period"),
    pytest.param("nghị quyết ngày 15/7/2021", 2021, id="attribution: the latest full date"),
])
def test_infer_year(folded, year):
    assert attr.infer_year(folded) == year


@pytest.mark.parametrize("text, kind, period, qualifier", [
    pytest.param("Đến năm 2025, Chỉ số cải cách hành chính tỉnh Tuyên Quang đạt từ 86% trở lên.",
                 "target", "2025", "at_least", id="metrics.md: 'đến năm 2025 … đạt' is a target due 2025"),
    pytest.param("Tỉnh phấn đấu tỷ lệ hồ sơ trực tuyến năm 2025 đạt 80%.", "target", "2025", "exact",
                 id="metrics.md: phấn đấu marks a target"),
    pytest.param("Dự kiến trong năm 2024 giảm 72 đơn vị sự nghiệp công lập.", "target", "2024", "exact",
                 id="metrics.md: dự kiến marks a target"),
    pytest.param("Năm 2023, tỉnh đã vượt mục tiêu, tỷ lệ hồ sơ trực tuyến đạt 80%.", "actual", "2023", "exact",
                 id="attribution: 'đã' after the target word makes it a result"),
])
def test_targets(text, kind, period, qualifier):
    r = _one(text)
    assert (r["kind"], r["period"], r["qualifier"]) == (kind, period, qualifier)
    if kind == "target":
        assert r["period_basis"] == "due_year"


@pytest.mark.parametrize("text, geography, basis", [
    pytest.param("Tỉnh Bắc Kạn đã tiếp nhận 1.200 hồ sơ.", "Bắc Kạn", "sentence", id="metrics.md: province named in sentence"),
    pytest.param("Cả nước đã tiếp nhận 1.200 hồ sơ.", "VN", "sentence", id="metrics.md: cả nước is national"),
    pytest.param("Các bộ đã tiếp nhận 1.200 hồ sơ.", "VN", "default", id="metrics.md: no province -> VN"),
    pytest.param("Tại điểm cầu Bình Định, đại biểu nghe báo cáo.\nCả năm đã tiếp nhận 1.200 hồ sơ.", "VN", "default",
                 id="metrics.md: a conference end point is not the geography"),
    pytest.param("Thủ tướng chỉ đạo.\nTại Hậu Giang, tỉnh chuyển đổi số.\nĐến nay đã tiếp nhận 1.200 hồ sơ.",
                 "Hậu Giang", "carried",
                 id="metrics.md: 'Tại Hậu Giang' switches until the text switches again"),
    pytest.param("Tại Hậu Giang, tỉnh chuyển đổi số.\nCả nước đã tiếp nhận 1.200 hồ sơ.", "VN", "sentence",
                 id="metrics.md: the text switches back to national"),
    pytest.param("Phó Chủ tịch Lâm Hải Giang dự họp.\nĐã tiếp nhận 1.200 hồ sơ.", "VN", "default",
                 id="brief: Lâm Hải Giang is a person"),
    pytest.param("Hà Nội, ngày 28/12/2023 - Cơ quan đã tiếp nhận 1.200 hồ sơ.", "VN", "default",
                 id="attribution: a dateline is where the article was filed"),
    pytest.param("Huyện Lâm Bình đã tiếp nhận 1.200 hồ sơ.", "Tuyên Quang", "locality",
                 id="contract v2: a district's figure is in the district's province"),
    pytest.param("Tuyên Quang: kết quả nổi bật\nToàn tỉnh đã tiếp nhận 1.200 hồ sơ.", "Tuyên Quang", "article",
                 id="attribution: a province in the title covers the article"),
    pytest.param("Công bố kết quả năm 2023: Hải Phòng dẫn đầu\nCả năm đã tiếp nhận 1.200 hồ sơ.", "VN", "default",
                 id="attribution: a title that only names a province does not cover the article"),
    pytest.param("Ông Nguyễn Thái Bình cho biết đã tiếp nhận 1.200 hồ sơ.", "VN", "default",
                 id="places: a province name after a surname is a person"),
    pytest.param("Bình Phước: kết quả năm 2023\nTỉnh đạt 86,12 điểm Bộ chỉ số phục vụ người dân, doanh nghiệp, "
                 "cao nhất cả nước.", "Bình Phước", "article",
                 id="attribution: 'cao nhất cả nước' is the field compared with, not the geography"),
])
def test_geography(text, geography, basis):
    r = _one(text)
    assert (r["geography"], r["geography_basis"]) == (geography, basis)


@pytest.mark.parametrize("text, province", [
    pytest.param("TP.HCM", "Hồ Chí Minh", id="brief: TP.HCM"),
    pytest.param("TP. Hồ Chí Minh", "Hồ Chí Minh", id="brief: TP. Hồ Chí Minh"),
    pytest.param("Thành phố Hồ Chí Minh", "Hồ Chí Minh", id="brief: Thành phố Hồ Chí Minh"),
    pytest.param("Thừa Thiên Huế", "Huế", id="brief: Thừa Thiên Huế is the TSV's Huế"),
    pytest.param("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu", id="brief: Bà Rịa-Vũng Tàu without spaces"),
    pytest.param("BR-VT", "Bà Rịa - Vũng Tàu", id="brief: BR-VT"),
    pytest.param("Đắc Lắc", "Đắk Lắk", id="brief: Đắc Lắc spelling"),
    pytest.param("Hoà Bình", "Hòa Bình", id="brief: old tone placement oà"),
    pytest.param("Thanh Hoá", "Thanh Hóa", id="brief: Thanh Hoá"),
    pytest.param("Khánh Hoà", "Khánh Hòa", id="brief: Khánh Hoà"),
    pytest.param("Kontum", "Kon Tum", id="brief: Kontum"),
    pytest.param("Hậu Giang app", "Hậu Giang", id="brief: Hậu Giang app names Hậu Giang"),
])
def test_gazetteer_spellings(text, province):
    assert [m.province for m in find_provinces(text)] == [province]


@pytest.mark.parametrize("text", [
    pytest.param("Lâm Hải Giang", id="brief: a person, not Hà Giang"),
    pytest.param("cải cách hành chính năm 2024", id="domain.md: no false hit on free text"),
    pytest.param("Việt Nam", id="places: Nam alone is not Hà Nam"),
])
def test_gazetteer_no_false_hits(text):
    assert find_provinces(text) == []


@pytest.mark.parametrize("old, new", [
    pytest.param("Bắc Kạn", "Thái Nguyên", id="provinces-2025.tsv: Bắc Kạn -> Thái Nguyên"),
    pytest.param("Bình Định", "Gia Lai", id="domain.md: code 52 was Bình Định, now Gia Lai"),
    pytest.param("Hậu Giang", "Cần Thơ", id="provinces-2025.tsv: Hậu Giang -> Cần Thơ"),
    pytest.param("TP.HCM", "Hồ Chí Minh", id="places: an alias maps too"),
])
def test_new_province(old, new):
    assert new_province(old) == new


def test_new_province_rejects_unknown():
    with pytest.raises(KeyError):
        new_province("Atlantis")


def test_fold_keeps_offsets():
    # numbers.fold: offsets of the folded text equal the original's
    s = "Khánh Hoà, Thanh Hoá, quý I, khoảng"
    assert len(fold(s)) == len(s) and fold(s) == "khánh hòa, thanh hóa, quý i, khoảng"
