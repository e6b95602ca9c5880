"""Sentences of economic news that mention reform figures in passing (issue 11, the noise
corpus): each case is one class of sentence on a made-up text, with a control that the
rule leaves the reform reading alone."""
from datetime import date

import pytest

from transforms.extract.article import extract_article
from transforms.extract.numbers import find_numbers, fold


def _facts(text):
    records = extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=date(2017, 7, 10)).records
    return sorted((r["metric_id"], r["kind"], r["value"]) for r in records)


@pytest.mark.parametrize("sentence, expected", [
    pytest.param("Trong khu vực Đông Nam Á, Việt Nam xếp thứ 4.", [], id="a region opening the clause"),
    pytest.param("Việt Nam xếp thứ 47 trên thế giới, đứng thứ 3 trong khu vực ASEAN.", [(47.0, "rank")],
                 id="a region right after the rank"),
    pytest.param("Tỉnh đứng thứ 12 cả nước, thứ 2 vùng Tây Nguyên.", [(12.0, "rank")], id="a rank in its zone"),
    pytest.param("Là một trong những tỉnh khá trong khu vực, tỉnh đứng thứ 7 cả nước.", [(7.0, "rank")],
                 id="the whole country named after the rank"),
    pytest.param("Trong khu vực ASEAN, Việt Nam tăng 2 bậc.", [], id="a move within a region"),
    pytest.param("Tỉnh xếp thứ 3 cả nước và dẫn đầu vùng Tây Nguyên.", [(3.0, "rank")],
                 id="the whole country named before the region"),
])
def test_a_rank_within_a_region_is_not_the_tables_rank(sentence, expected):
    assert [(n.value, n.unit) for n in find_numbers(fold(sentence))] == expected


def test_a_count_of_groups_is_not_a_count_of_their_members():
    assert _facts("Năm 2017, Bộ sẽ đơn giản hóa 12 nhóm thủ tục về đầu tư.") == []
    assert _facts("Năm 2017, Bộ đã đơn giản hóa 12 thủ tục về đầu tư.") == [("procedures_cut", "actual", 12.0)]


def test_a_proposal_is_no_result():
    assert _facts("Năm 2017, nhóm chuyên gia đề xuất bãi bỏ 40 điều kiện kinh doanh.") == []
    assert _facts("Năm 2017, các bộ đã bãi bỏ 40 điều kiện kinh doanh.") == [("business_regulations_cut", "actual", 40.0)]
    # "kiến nghị" after "số" is the petitions, not a proposal
    assert _facts("Năm 2016, số kiến nghị xử lý xong của doanh nghiệp là 850 kiến nghị.") == \
        [("citizen_feedback_resolved", "actual", 850.0)]


def test_a_name_that_opens_the_next_clause_is_that_clauses():
    text = "Năm 2016, giá trị xuất khẩu của tỉnh Bắc Ninh đứng thứ 5 cả nước, chỉ số PCI đứng thứ 12 cả nước."
    assert _facts(text) == [("pci_rank", "actual", 12.0)]
    # a figure of another kind after the name leaves the name to the rank before it
    assert _facts("Năm 2016, tỉnh Bắc Ninh đứng thứ 20, chỉ số PCI đạt 60 điểm.") == \
        [("pci_rank", "actual", 20.0), ("pci_score", "actual", 60.0)]


def test_an_index_named_once_with_its_abbreviation_is_not_the_articles_subject():
    text = ("Kinh tế tỉnh Bắc Ninh năm 2016\n\nNăm 2016, chỉ số năng lực cạnh tranh cấp tỉnh (PCI) của tỉnh Bắc Ninh "
            "tiếp tục được cải thiện.\n\nTỉnh Bắc Ninh năm 2016 có sản lượng lúa xếp thứ 3 cả nước.")
    assert _facts(text) == []


def test_a_rank_next_to_a_list_of_indices_is_none_of_them():
    text = ("Năm 2016, tỉnh Long An muốn vào nhóm dẫn đầu về các chỉ số PAPI, PCI và PAR INDEX, "
            "nhưng còn thua tỉnh Bình Dương (xếp thứ 5).")
    assert _facts(text) == []
    assert _facts("Năm 2016, chỉ số PAR INDEX của tỉnh Long An xếp thứ 5.") == [("par_index_rank", "actual", 5.0)]
    # names run together without a separator (a title glued to its first sentence) are no list
    assert _facts("Năm 2022, Long An cải thiện Bộ chỉ số phục vụ người dân, doanh nghiệp Chỉ số PAR INDEX xếp thứ 45/63.") == \
        [("par_index_rank", "actual", 45.0)]


def test_a_sentence_naming_a_ranking_outside_the_catalog_borrows_no_index():
    text = ("Năm 2017, Chính phủ ban hành nghị quyết cải thiện môi trường kinh doanh.\n\n"
            "Môi trường kinh doanh của Việt Nam được cải thiện.\n\n"
            "Về Chỉ số Hiệu quả Logistics, phấn đấu đến năm 2018 xếp hạng thứ 40.")
    assert _facts(text) == []
    assert _facts("Năm 2016, môi trường kinh doanh của Việt Nam tăng 9 bậc nhờ cải thiện hiệu quả logistics.") == \
        [("business_environment_rank", "change", 9.0)]


def test_a_ranking_the_catalog_has_is_its_own_not_the_one_named_before():
    text = ("Năm 2017, Chính phủ ban hành nghị quyết cải thiện môi trường kinh doanh.\n\n"
            "Môi trường kinh doanh của Việt Nam được cải thiện.\n\n"
            "Về Chính phủ điện tử, phấn đấu đến năm 2018 xếp hạng thứ 80.")
    assert _facts(text) == [("e_government_rank", "target", 80.0)]


def test_ghi_nhan_is_noting_not_receiving():
    assert _facts("Năm 2016 được ghi nhận là năm đột phá của huyện với 25 hồ sơ dự án.") == []
    assert _facts("Năm 2016, bộ phận một cửa của huyện đã nhận 25 hồ sơ.") == [("dossiers_received", "actual", 25.0)]


def test_a_place_in_a_caption_bracket_switches_nothing():
    text = ("Năm 2017, kỳ họp khai mạc tại Nhà Quốc hội (Ba Đình. Hà Nội). "
            "Tổng thu ngân sách nhà nước đạt 32,7% dự toán cả năm.")
    records = extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=date(2017, 7, 10)).records
    assert [(r["metric_id"], r["geography"]) for r in records] == [("budget_revenue_vs_estimate", "VN")]


def test_x_trong_so_y_is_x_of_y():
    (n,) = find_numbers(fold("Bộ đã xử lý hơn 850 trong số hơn 1.100 kiến nghị."))
    assert (n.value, n.total, n.qualifier) == (850.0, 1100.0, "more_than")


def test_the_year_of_a_named_base_of_comparison_is_no_period():
    text = ("Tỉnh Bắc Ninh dự trữ hàng hóa tăng 10% so với kế hoạch dự trữ hàng hóa Tết năm 2016. "
            "Tỉnh đã cắt giảm 12 thủ tục hành chính.")
    records = extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=date(2017, 2, 10)).records
    assert [(r["metric_id"], r["period"]) for r in records] == [("procedures_cut", "2017-H1")]


def test_a_plan_made_is_a_target():
    assert _facts("Năm 2017, Bộ Công thương đã lên kế hoạch để bãi bỏ 15 thủ tục hành chính.") == \
        [("procedures_cut", "target", 15.0)]
