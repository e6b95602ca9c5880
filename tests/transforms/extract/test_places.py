"""District gazetteer (shared/spec/metrics.md "Version 2": a text that names only a
district gets the province that contains it). Sentences are made up."""
import pytest

from transforms.extract.places import districts, find_localities, province_of_locality, provinces


def _one(text, **kw):
    found = find_localities(text, **kw)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.name
    return m


@pytest.mark.parametrize("text, name, kind, province", [
    ("UBND huyện Sơn Dương đạt 98% hồ sơ đúng hạn.", "huyện Sơn Dương", "huyen", "Tuyên Quang"),
    ("Thị xã Hương Trà giải quyết 1.200 hồ sơ.", "Thị xã Hương Trà", "thi_xa", "Huế"),
    ("Quận Ba Đình dẫn đầu về chỉ số.", "Quận Ba Đình", "quan", "Hà Nội"),
    ("Thành phố Thủ Dầu Một có 14 phường.", "Thành phố Thủ Dầu Một", "thanh_pho", "Bình Dương"),
    ("Bộ phận Một cửa TP. Bà Rịa tiếp nhận 500 hồ sơ.", "TP. Bà Rịa", "thanh_pho", "Bà Rịa - Vũng Tàu"),
    ("Bộ phận Một cửa TP Vũng Tàu tiếp nhận 500 hồ sơ.", "TP Vũng Tàu", "thanh_pho", "Bà Rịa - Vũng Tàu"),
    ("Tp.Biên Hòa tiếp nhận 500 hồ sơ.", "Tp.Biên Hòa", "thanh_pho", "Đồng Nai"),
    ("TX. Kỳ Anh tiếp nhận 500 hồ sơ.", "TX. Kỳ Anh", "thi_xa", "Hà Tĩnh"),
    ("TX Phú Mỹ tiếp nhận 500 hồ sơ.", "TX Phú Mỹ", "thi_xa", "Bà Rịa - Vũng Tàu"),
], ids=["huyện", "thị xã", "quận", "thành phố", "TP.", "TP without dot", "Tp. without space", "TX.", "TX"])
def test_a_district_named_with_its_type_word_gets_its_province(text, name, kind, province):
    m = _one(text)
    assert (m.name, m.kind, m.province) == (name, kind, province)


@pytest.mark.parametrize("text, province", [
    pytest.param("HUYỆN SƠN DƯƠNG CÔNG BỐ KẾT QUẢ", "Tuyên Quang", id="upper case"),
    pytest.param("Thị Xã Hương Trà", "Huế", id="title-cased type word"),
    pytest.param("huyện Phú Hoà", "Phú Yên", id="old tone placement Hoà"),
    pytest.param("huyện Phú Hòa", "Phú Yên", id="new tone placement Hòa"),
    pytest.param("huyện Cư M’gar", "Đắk Lắk", id="typographic apostrophe"),
    pytest.param("huyện Cư Mgar", "Đắk Lắk", id="apostrophe left out"),
    pytest.param("thành phố Phan Rang-Tháp Chàm", "Ninh Thuận", id="dash without spaces"),
])
def test_case_tone_and_punctuation_variants(text, province):
    assert _one(text).province == province


def test_several_localities_in_order_with_offsets():
    text = "Huyện Sơn Dương, quận Cầu Giấy và TP. Thủ Đức đều đạt trên 95%."
    found = find_localities(text)
    assert [(m.name, m.province) for m in found] == [
        ("Huyện Sơn Dương", "Tuyên Quang"), ("quận Cầu Giấy", "Hà Nội"), ("TP. Thủ Đức", "Hồ Chí Minh")]
    assert all(text[m.start:m.end] == m.name for m in found)


def test_the_longest_name_wins():
    assert _one("huyện Điện Biên Đông có 14 xã.").name == "huyện Điện Biên Đông"
    assert _one("huyện Châu Thành A, tỉnh Hậu Giang").name == "huyện Châu Thành A"


def test_an_ambiguous_name_has_no_province_unless_the_text_or_the_caller_decides():
    assert _one("Huyện Châu Thành đạt 97%.").province is None  # ten provinces have one
    assert _one("Huyện Châu Thành (Bến Tre) đạt 97%.").province == "Bến Tre"
    assert _one("Huyện Châu Thành đạt 97%.", context_provinces=["An Giang"]).province == "An Giang"
    assert _one("Huyện Châu Thành đạt 97%.", context_provinces=["Hà Nội"]).province is None
    # two candidate provinces both named: still undecided
    assert _one("Huyện Châu Thành đạt 97%, cao hơn Bến Tre và An Giang.").province is None


def test_a_province_named_in_the_text_beats_the_written_kind():
    # Phong Điền: huyện of Cần Thơ, and of Huế until it became a thị xã in 2024
    assert _one("Huyện Phong Điền đạt 97%.").province == "Cần Thơ"
    assert _one("Huyện Phong Điền (Thừa Thiên Huế) đạt 97%.").province == "Huế"


def test_the_written_kind_decides_between_namesakes():
    found = find_localities("quận Tân Phú và huyện Tân Phú")
    assert [m.province for m in found] == ["Hồ Chí Minh", "Đồng Nai"]
    assert _one("quận Hoàng Mai").province == "Hà Nội"
    assert _one("thị xã Hoàng Mai").province == "Nghệ An"


def test_a_unit_named_by_its_former_type_or_number_still_resolves():
    assert _one("thị xã Thuận An (nay là thành phố)").province == "Bình Dương"  # city since 2020
    assert _one("UBND quận 9 đã tiếp nhận").province == "Hồ Chí Minh"  # merged into Thủ Đức, 2021


@pytest.mark.parametrize("text", [
    pytest.param("Thành phố Cần Thơ đạt 98%.", id="centrally governed city"),
    pytest.param("TP. Đà Nẵng đạt 98%.", id="TP. abbreviation of a province"),
    pytest.param("TP.HCM đạt 98%.", id="TP.HCM"),
    pytest.param("Thành phố Hồ Chí Minh đạt 98%.", id="full name of Hồ Chí Minh"),
    pytest.param("xây dựng thành phố thông minh", id="lower-case word after the type word"),
    pytest.param("các huyện nghèo, quận trung tâm", id="type words as common nouns"),
    pytest.param("kinh tế thành phố 6 tháng đầu năm", id="a number after thành phố is no district"),
    pytest.param("Sơn Dương đạt 98%.", id="a bare district name is not matched"),
])
def test_no_locality(text):
    assert find_localities(text) == []


def test_a_provincial_capital_is_a_district_of_its_own_province():
    # "thành phố Thanh Hóa" is the district-level city, whose figure is not the province's
    m = _one("Thành phố Thanh Hóa giải quyết 99% hồ sơ đúng hạn.")
    assert (m.kind, m.province) == ("thanh_pho", "Thanh Hóa")
    assert _one("huyện Quảng Ninh").province == "Quảng Bình"  # a district named like another province


def test_province_of_locality():
    assert province_of_locality("huyện Sơn Dương") == "Tuyên Quang"
    assert province_of_locality("Sơn Dương") == "Tuyên Quang"
    assert province_of_locality("TP. Bà Rịa") == "Bà Rịa - Vũng Tàu"
    assert province_of_locality("quận Tân Phú") == "Hồ Chí Minh"
    assert province_of_locality("Tân Phú") is None  # Hồ Chí Minh and Đồng Nai
    assert province_of_locality("Châu Thành") is None
    assert province_of_locality("Atlantis") is None


def test_the_gazetteer_covers_every_pre_2025_province_with_known_names():
    units = districts()
    assert {d.province for d in units} == set(provinces())
    assert len({d.code for d in units}) == 696
    assert {d.kind for d in units} == {"huyen", "quan", "thi_xa", "thanh_pho"}


# -- communes, wards and townships ------------------------------------------------------------

def test_a_commune_named_with_its_type_word_gets_its_district_and_province():
    (m,) = find_localities("UBND xã Tân Thành Bình đã hoàn thành kế hoạch.")
    assert (m.name, m.kind, m.province) == ("xã Tân Thành Bình (huyện Mỏ Cày Bắc)", "xa", "Bến Tre")


def test_the_end_of_thi_xa_or_a_lower_case_word_is_no_commune():
    assert [m.name for m in find_localities("Thị xã Kỳ Anh và UBND xã đã làm; các xã, phường đều đạt.")] \
        == ["Thị xã Kỳ Anh"]


def test_a_shared_commune_name_takes_the_province_or_district_the_text_names():
    assert find_localities("xã Tân Thành")[0].province is None  # in a dozen provinces
    (commune, district) = find_localities("xã Yên Viên, huyện Gia Lâm")
    assert (commune.name, commune.province) == ("xã Yên Viên (huyện Gia Lâm)", "Hà Nội")
    assert find_localities("xã Tân Thành", context_provinces=["Bình Phước"])[0].province == "Bình Phước"


def test_a_townships_type_word_decides_between_a_xa_and_a_thi_tran_of_one_name():
    (m,) = find_localities("Thị trấn Yên Viên đã số hóa hồ sơ.")
    assert (m.name, m.kind) == ("thị trấn Yên Viên (huyện Gia Lâm)", "thi_tran")
