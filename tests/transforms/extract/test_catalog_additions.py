"""Figures that real articles quote and the dev gold first marked outside the catalog,
one class of sentence per case on made-up sentences, with the near misses of each: a goal
against a result, a part against the whole, another country's figure."""
from datetime import date

from transforms.extract.article import extract_article


def _records(text, file_date=date(2024, 12, 10)):
    return extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=file_date).records


def _facts(text, **kw):
    return sorted((r["metric_id"], r["kind"], r["value"], r["total"]) for r in _records(text, **kw))


# -- e_government_rank: the UN E-Government Development Index (EGDI) --------------------------

def test_the_un_e_government_rank_and_its_move():
    text = ("Theo Báo cáo khảo sát năm 2024 của Liên hợp quốc, Việt Nam xếp thứ 71/193 quốc gia "
            "về Chỉ số phát triển Chính phủ điện tử, tăng 15 bậc so với năm 2022.")
    assert _facts(text) == [("e_government_rank", "actual", 71.0, 193.0), ("e_government_rank", "change", 15.0, None)]


def test_the_e_government_rank_named_after_the_figure():
    (r,) = _records("Năm 2024, Việt Nam đứng thứ 71 trong bảng xếp hạng EGDI.")
    assert (r["metric_id"], r["value"], r["geography"]) == ("e_government_rank", 71.0, "VN")


def test_a_ranking_goal_is_a_target_with_its_due_year():
    (r,) = _records("Chính phủ phấn đấu đến năm 2030 Việt Nam xếp hạng thứ 50 về Chính phủ điện tử.")
    assert (r["metric_id"], r["kind"], r["value"], r["period"]) == ("e_government_rank", "target", 50.0, "2030")


def test_a_sentence_opening_with_its_index_governs_the_ranks_of_every_clause():
    text = ("Về Chính phủ điện tử (theo đánh giá của Liên hợp quốc), Chính phủ yêu cầu nâng cấp hạ tầng "
            "và nguồn nhân lực; phấn đấu đến năm 2026 xếp hạng thứ 65; đến năm 2030 thứ hạng tối thiểu thứ 50.")
    assert [(r["metric_id"], r["kind"], r["value"], r["qualifier"], r["period"]) for r in _records(text)] == [
        ("e_government_rank", "target", 65.0, "exact", "2026"),
        ("e_government_rank", "target", 50.0, "at_least", "2030")]


def test_an_index_named_in_a_later_clause_outranks_the_heading():
    text = "Về Chỉ số PCI năm 2023, tỉnh Yên Bái xếp thứ 20; còn Chỉ số PAPI năm 2023 của tỉnh xếp thứ 30."
    assert [(r["metric_id"], r["value"]) for r in _records(text)] == [("pci_rank", 20.0), ("papi_rank", 30.0)]


def test_an_index_in_another_clause_without_the_heading_claims_no_rank():
    text = "Tỉnh đẩy mạnh xây dựng Chính phủ điện tử; huyện Lục Yên xếp thứ 2 toàn tỉnh về thu hút đầu tư."
    assert _facts(text, file_date=date(2024, 7, 10)) == []


def test_another_countrys_e_government_rank_is_not_vietnams():
    assert _facts("Năm 2024, Đan Mạch xếp thứ 1 về Chỉ số phát triển Chính phủ điện tử của Liên hợp quốc.") == []


def test_a_component_named_on_its_own_is_not_the_overall_rank():
    assert _facts("Năm 2024, chỉ số dịch vụ trực tuyến (OSI) của Việt Nam xếp thứ 59.") == []


# -- global_competitiveness_rank: the WEF Global Competitiveness Index ------------------------

def test_the_wef_competitiveness_rank_and_its_move():
    text = ("Theo báo cáo của Diễn đàn Kinh tế thế giới năm 2019, Việt Nam xếp thứ 67/141 "
            "về Chỉ số năng lực cạnh tranh toàn cầu, tăng 10 bậc.")
    assert _facts(text) == [("global_competitiveness_rank", "actual", 67.0, 141.0),
                            ("global_competitiveness_rank", "change", 10.0, None)]


def test_a_move_down_stated_before_the_old_and_new_rank():
    text = ("Theo xếp hạng Năng lực cạnh tranh toàn cầu năm 2016, thứ hạng của Việt Nam giảm 3 bậc "
            "(từ vị trí 57 xuống thứ 60).")
    assert _facts(text) == [("global_competitiveness_rank", "actual", 60.0, None),
                            ("global_competitiveness_rank", "change", -3.0, None)]


def test_the_provincial_competitiveness_index_is_not_the_wef_index():
    (r,) = _records("Năm 2023, tỉnh Bắc Ninh xếp thứ 3 về Chỉ số năng lực cạnh tranh cấp tỉnh.")
    assert (r["metric_id"], r["geography"]) == ("pci_rank", "Bắc Ninh")


def test_another_wef_ranking_is_not_the_competitiveness_rank():
    text = "Năm 2019, Việt Nam xếp thứ 63 về năng lực du lịch và lữ hành của Diễn đàn Kinh tế thế giới."
    assert _facts(text) == []


def test_another_countrys_competitiveness_rank_is_not_vietnams():
    assert _facts("Năm 2019, Singapore đứng thứ 1 về năng lực cạnh tranh toàn cầu.") == []


# -- losi_rank: the UN Local Online Service Index, which ranks cities -------------------------

def test_a_citys_local_online_service_rank():
    (r,) = _records("Năm 2024, Chỉ số Dịch vụ trực tuyến địa phương (LOSI) của Đà Nẵng xếp thứ 40/193 thành phố.")
    assert (r["metric_id"], r["value"], r["total"], r["geography"]) == ("losi_rank", 40.0, 193.0, "Đà Nẵng")


def test_a_losi_rank_with_no_place_is_the_articles_city_not_the_countrys():
    text = ("Hà Nội đẩy mạnh chuyển đổi số. Năm 2024, Hà Nội tiếp tục cải thiện dịch vụ công.\n\n"
            "Theo khảo sát của Liên hợp quốc, chỉ số LOSI tăng từ vị trí 60/146 lên vị trí 45/193.")
    (r,) = _records(text)
    assert (r["metric_id"], r["value"], r["geography"]) == ("losi_rank", 45.0, "Hà Nội")


def test_the_countrys_e_government_rank_beside_a_citys_losi_rank():
    text = "Năm 2024, Việt Nam xếp thứ 71 về Chính phủ điện tử, còn LOSI của Hà Nội xếp thứ 80."
    assert [(r["metric_id"], r["value"], r["geography"]) for r in _records(text)] == [
        ("e_government_rank", 71.0, "VN"), ("losi_rank", 80.0, "Hà Nội")]


# -- a place given as an example is not the figure's (the rates of d010) ----------------------

def test_places_given_as_examples_after_a_figure_are_not_its_place():
    (r,) = _records("Năm 2024, tỷ lệ hồ sơ trực tuyến đạt 60%, cao nhất là ở các tỉnh như Đồng Nai, Gia Lai.")
    assert (r["metric_id"], r["geography"]) == ("online_dossier_rate", "VN")


# -- global_innovation_index_score: GII points, beside the GII rank ----------------------------

def test_the_gii_score_and_rank():
    text = "Năm 2023, Chỉ số Đổi mới sáng tạo toàn cầu (GII) của Việt Nam đạt 37,7/100 điểm, xếp thứ 46/132."
    assert _facts(text) == [("global_innovation_index_rank", "actual", 46.0, 132.0),
                            ("global_innovation_index_score", "actual", 37.7, 100.0)]


def test_a_component_score_is_not_the_gii_score():
    text = ("Năm 2023, Chỉ số Đổi mới sáng tạo toàn cầu (GII) của Việt Nam đạt 37,7 điểm. "
            "Trong đó, nhóm chỉ số Thể chế đạt 51,7 điểm.")
    assert _facts(text) == [("global_innovation_index_score", "actual", 37.7, None)]


# -- dossier_components_reduction: the share of dossier documents cut -----------------------

def test_the_share_of_dossier_components_cut():
    (r,) = _records("Năm 2023, Bộ Tư pháp đã cắt giảm 25% thành phần hồ sơ.")
    assert (r["metric_id"], r["kind"], r["value"], r["locality"]) == ("dossier_components_reduction", "actual", 25.0, "Bộ Tư pháp")


def test_a_cut_in_processing_time_is_not_a_cut_in_dossier_components():
    assert _facts("Năm 2023, Bộ Tư pháp đã giảm 30% thời gian giải quyết hồ sơ.") == []


# -- e_tax_filing_rate: firms filing their taxes electronically ------------------------------

def test_the_e_tax_filing_rate():
    (r,) = _records("Năm 2024, tỷ lệ doanh nghiệp kê khai thuế điện tử của tỉnh Nam Định đạt 99,6%.")
    assert (r["metric_id"], r["value"], r["geography"]) == ("e_tax_filing_rate", 99.6, "Nam Định")


def test_places_listed_with_their_figures_go_on_with_the_metric_named_before():
    text = ("Năm 2024, công tác kê khai thuế điện tử được các tỉnh triển khai tích cực. Nhiều địa phương đạt "
            "kết quả cao so với cả nước, tiêu biểu là Bình Thuận (99,8%), Cần Thơ (99,5%), Hưng Yên (98,6%) "
            "và Hà Tĩnh (97%), vượt mức bình quân chung của khu vực.")
    assert [(r["metric_id"], r["value"], r["geography"]) for r in _records(text)] == [
        ("e_tax_filing_rate", 99.8, "Bình Thuận"), ("e_tax_filing_rate", 99.5, "Cần Thơ"),
        ("e_tax_filing_rate", 98.6, "Hưng Yên"), ("e_tax_filing_rate", 97.0, "Hà Tĩnh")]


def test_places_listed_with_figures_name_no_metric_of_their_own():
    text = ("Năm 2024, hội nghị tổng kết được tổ chức tại Hà Nội. Nhiều địa phương đạt kết quả cao so với cả nước, "
            "tiêu biểu là Bình Thuận (99,8%), Cần Thơ (99,5%), Hưng Yên (98,6%) và Hà Tĩnh (97%).")
    assert _facts(text) == []


def test_a_call_to_file_taxes_online_does_not_name_the_percents_that_follow():
    text = ("Các địa phương cần thực hiện kê khai thuế điện tử, tiếp cận các dịch vụ công. "
            "Cụ thể là năm 2015 là 28%, năm 2016 giảm còn 18,8%.")
    assert _facts(text) == []
