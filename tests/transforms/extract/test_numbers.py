"""Vietnamese number grammar (shared/spec/domain.md "How numbers are written") and the
figures that are not facts (shared/spec/metrics.md "Notes that decide hard cases")."""
import pytest

from transforms.extract.numbers import find_numbers, fold, parse_decimal, parse_number, parse_words


@pytest.mark.parametrize("text, value, total", [
    pytest.param("1.327", 1327, None, id="domain.md: thousands with '.'"),
    pytest.param("1.254.300", 1254300, None, id="domain.md: several thousands groups"),
    pytest.param("2,34", 2.34, None, id="domain.md: decimals with ','"),
    pytest.param("06", 6, None, id="domain.md: '06' is 6"),
    pytest.param("15,7%", 15.7, None, id="domain.md: decimal percent"),
    pytest.param("85.5%", 85.5, None, id="numbers: '85.5%' with a decimal point before % is not 855"),
    pytest.param("400/991", 400, 991, id="metrics.md: x/y is value and total"),
    pytest.param("1.327/3.009", 1327, 3009, id="metrics.md: x/y with thousands"),
    pytest.param("700.000 tỷ đồng", 7e14, None, id="metrics.md: 700.000 tỷ đồng"),
    pytest.param("2,34 triệu đồng", 2340000, None, id="metrics.md: 2,34 triệu đồng -> 2340000"),
    pytest.param("4,2 triệu", 4.2e6, None, id="domain.md: scale word triệu without currency"),
    pytest.param("5 nghìn", 5000, None, id="domain.md: scale word nghìn"),
    pytest.param("5 ngàn", 5000, None, id="domain.md: scale word ngàn"),
    pytest.param("3 tỉ đồng", 3e9, None, id="domain.md: tỉ spelling of tỷ"),
    pytest.param("2 nghìn tỷ đồng", 2e12, None, id="domain.md: nghìn tỷ stacks"),
    pytest.param("30 phần trăm", 30, None, id="domain.md: phần trăm is %"),
    pytest.param("hai", 2, None, id="metrics.md: 'hai' -> 2"),
])
def test_parse_number(text, value, total):
    assert parse_number(text) == (pytest.approx(value), total)


@pytest.mark.parametrize("words, value", [
    pytest.param("mười", 10, id="domain.md: mười"),
    pytest.param("mười hai", 12, id="number words: mười + unit"),
    pytest.param("mười lăm", 15, id="number words: lăm after mười"),
    pytest.param("hai mươi", 20, id="number words: mươi"),
    pytest.param("hai mươi lăm", 25, id="number words: lăm after mươi"),
    pytest.param("hai mươi mốt", 21, id="number words: mốt after mươi"),
    pytest.param("ba mươi tư", 34, id="number words: tư after mươi"),
    pytest.param("một trăm", 100, id="number words: trăm"),
    pytest.param("một trăm linh năm", 105, id="number words: linh"),
    pytest.param("chín", 9, id="number words: digit word"),
])
def test_parse_words(words, value):
    assert parse_words(words) == value


@pytest.mark.parametrize("words", [
    pytest.param("tư", id="'tư' alone is 'đầu tư', not four"),
    pytest.param("năm", id="'năm' alone is 'year'"),
    pytest.param("một", id="'một' alone is an article ('một số')"),
    pytest.param("mươi", id="'mươi' needs a digit before it"),
    pytest.param("mười năm", id="'mười năm' is ten years, not 15"),
    pytest.param("lăm", id="'lăm' only after tens"),
])
def test_parse_words_rejects(words):
    assert parse_words(words) is None


def test_parse_decimal_rejects_absurd_digit_strings():
    # clean.md robustness: hundreds of digits are not a figure
    assert parse_decimal("9" * 400) is None


def _figures(sentence):
    folded = fold(sentence)
    return [(sentence[n.start:n.end], n.value, n.total, n.unit, n.qualifier) for n in find_numbers(folded)]


@pytest.mark.parametrize("sentence", [
    pytest.param("Nghị quyết 76/NQ-CP của Chính phủ", id="metrics.md: document number 76/NQ-CP"),
    pytest.param("Chương trình hành động số 09-CTr/TU", id="metrics.md: document number 09-CTr/TU"),
    pytest.param("theo Nghị định 42/2022/NĐ-CP", id="metrics.md: document number with year"),
    pytest.param("Quyết định 766/QĐ-TTg", id="metrics.md: Quyết định 766"),
    pytest.param("ngày 14/5/2021 của Tỉnh ủy", id="domain.md: day-first date d/m/y"),
    pytest.param("Sáng ngày 19-10, UBND tỉnh", id="domain.md: date d-m"),
    pytest.param("Ngày 2-10-2020, Trung tâm ra mắt", id="domain.md: date d-m-y"),
    pytest.param("thực hiện từ ngày 01/7/2024", id="domain.md: date with leading zero"),
    pytest.param("trong tháng 12", id="metrics.md: month is a date"),
    pytest.param("chậm nhất đến quý I/2023", id="domain.md: quarter with roman numeral"),
    pytest.param("giai đoạn 2021-2030", id="metrics.md: year range"),
    pytest.param("kế hoạch năm 2025", id="metrics.md: a year is not a figure"),
    pytest.param("triển khai Đề án 06 có hiệu quả", id="metrics.md: programme name Đề án 06"),
    pytest.param("phiên họp thứ 8 của Ban Chỉ đạo", id="metrics.md: ordinal phiên họp thứ 8"),
    pytest.param("phiên họp thứ hai của Ban Chỉ đạo", id="metrics.md: ordinal in words"),
    pytest.param("gồm: (1)Rà soát các quy định", id="metrics.md: list marker (1)"),
    pytest.param("1. Kết quả đạt được", id="metrics.md: list marker 1."),
    pytest.param("dịch bệnh COVID-19", id="numbers: a number glued to a name"),
    pytest.param("điện thoại 0207.3822.555", id="numbers: phone with dots"),
    pytest.param("gọi 0238 3844 555", id="numbers: phone with spaces"),
    pytest.param("trong 6 tháng đã có", id="numbers: a duration is not a count"),
    pytest.param("dịch vụ công trực tuyến mức 4", id="numbers: 'mức 4' is a level name"),
])
def test_not_a_figure(sentence):
    assert _figures(sentence) == []


@pytest.mark.parametrize("sentence, expected", [
    pytest.param("nhận hơn 3.100 phản ánh", ("3.100", 3100, None, "count", "more_than"),
                 id="metrics.md: hơn -> more_than"),
    pytest.param("trên 50% hồ sơ", ("50%", 50, None, "percent", "more_than"), id="metrics.md: trên -> more_than"),
    pytest.param("tích lũy khoảng 700.000 tỷ đồng", ("700.000 tỷ đồng", 7e14, None, "vnd", "about"),
                 id="metrics.md: khoảng -> about"),
    pytest.param("gần 90% thủ tục", ("90%", 90, None, "percent", "about"), id="metrics.md: gần -> about"),
    pytest.param("xấp xỉ 12 nghìn hồ sơ", ("12 nghìn", 12000, None, "count", "about"), id="metrics.md: xấp xỉ -> about"),
    pytest.param("đạt từ 86% trở lên", ("86%", 86, None, "percent", "at_least"), id="metrics.md: từ … trở lên -> at_least"),
    pytest.param("ít nhất 20% quy định", ("20%", 20, None, "percent", "at_least"), id="metrics.md: ít nhất -> at_least"),
    pytest.param("tối đa 5 ngày làm việc, 3 hồ sơ", ("3", 3, None, "count", "exact"), id="numbers: a duration drops, the next figure stays"),
    pytest.param("không quá 10% biên chế", ("10%", 10, None, "percent", "at_most"), id="metrics.md: không quá -> at_most"),
    pytest.param("cả nước đạt 45,2%", ("45,2%", 45.2, None, "percent", "exact"), id="numbers: 'nước đạt' is not 'ước đạt'"),
    pytest.param("xếp thứ 27/63 tỉnh", ("27/63", 27, 63, "rank", "exact"), id="metrics.md: rank with field size"),
    pytest.param("xếp hạng 33/63", ("33/63", 33, 63, "rank", "exact"), id="metrics.md: xếp hạng is a rank"),
    pytest.param("tăng 12 bậc", ("12", 12, None, "places", "exact"), id="metrics.md: tăng N bậc -> +N places"),
    pytest.param("giảm 3 bậc", ("3", -3, None, "places", "exact"), id="metrics.md: giảm N bậc -> -N places"),
    pytest.param("tăng hai hạng", ("hai", 2, None, "places", "exact"), id="metrics.md: number word places"),
    pytest.param("lương cơ sở 1,8 triệu đồng/tháng", ("1,8 triệu đồng", 1.8e6, None, "vnd", "exact"),
                 id="numbers: 'đồng/tháng' is a rate, not a document code"),
])
def test_figure(sentence, expected):
    assert _figures(sentence) == [expected]


def test_from_value_of_a_change_is_not_a_fact():
    # metrics.md note on base_salary: "từ 1,8 triệu đồng lên 2,34 triệu đồng" states 2,34 only
    assert [f[1] for f in _figures("tăng lương cơ sở từ 1,8 triệu đồng lên 2,34 triệu đồng")] == [2340000]
