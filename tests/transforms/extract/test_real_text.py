"""Constructions of real articles (shared/spec/real-text-patterns.md), one class of sentence
per case, each on a made-up sentence: the extractor must read the class, not one article.
The real dev set itself is scored by `make quality` and tests/scripts/test_quality_floor.py."""
from datetime import date

import pytest

from transforms.extract.article import extract_article
from transforms.extract.numbers import find_numbers, fold


def _records(text, file_date=date(2024, 7, 10), published=None):
    return extract_article(text, file="t.txt", content_sha256="0" * 64, file_date=file_date,
                           published=published).records


def _facts(text, **kw):
    return sorted((r["metric_id"], r["kind"], r["value"]) for r in _records(text, **kw))


# -- number grammar (pattern 8) -------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    pytest.param("Tỉnh đã thăng hạng 6 bậc so với năm trước.", [(6.0, None, "places")], id="thăng hạng N bậc is a move"),
    pytest.param("Huyện vượt 5 bậc trong bảng xếp hạng.", [(5.0, None, "places")], id="vượt N bậc is a move up"),
    pytest.param("Thành phố tụt 3 hạng.", [(-3.0, None, "places")], id="tụt N hạng is a move down"),
    pytest.param("Sở đã cắt 12 trên tổng số 60 trưởng phòng.", [(12.0, 60.0, "count")], id="x trên tổng số y is x/y"),
    pytest.param("Tỉnh lên vị trí 40/63 của bảng.", [(40.0, 63.0, "rank")], id="vị trí x/y is a rank"),
    pytest.param("Tỉnh đi từ vị trí 51/63 lên vị trí 40/63.", [(40.0, 63.0, "rank")], id="the old rank of từ A lên B is no fact"),
    pytest.param("Tỉnh đạt 80%, cao hơn chỉ tiêu Chính phủ giao 10%.", [(80.0, None, "percent")],
                 id="the gap to a benchmark is no fact"),
    pytest.param("Việt Nam giảm 7 bậc (từ thứ 52/141 xuống 59/128 quốc gia).", [(-7.0, None, "places"), (59.0, 128.0, "rank")],
                 id="the new value of từ rank A xuống B is a rank"),
    pytest.param("Đà Nẵng lần thứ 4 liên tiếp xếp hạng nhất.", [(1.0, None, "rank")], id="hạng nhất is rank 1"),
    pytest.param("Tỉnh đứng thứ nhì cả nước.", [(2.0, None, "rank")], id="thứ nhì is rank 2"),
    pytest.param("Tỉnh có tỷ lệ cao nhất, thống nhất với kế hoạch.", [], id="nhất elsewhere is no figure"),
    pytest.param("Tỉnh xếp thứ nhất khu vực Tây Nguyên.", [], id="a word rank within a region"),
])
def test_number_grammar(sentence, expected):
    assert [(n.value, n.total, n.unit) for n in find_numbers(fold(sentence))] == expected


def test_vượt_n_bậc_is_the_move_not_more_than_n():
    (n,) = find_numbers(fold("Hà Nội với nỗ lực vượt 10 bậc trong một năm"))
    assert (n.value, n.unit, n.qualifier) == (10.0, "places", "exact")


def test_several_predicates_of_one_subject_each_take_its_name():
    text = ("Năm 2024, tổng thu ngân sách nhà nước của tỉnh Nam Định là 50.553 tỷ đồng, đạt 105,3% dự toán, "
            "tăng 13,3% so cùng kỳ.")
    assert _facts(text) == [("budget_revenue_growth", "actual", 13.3), ("budget_revenue_vs_estimate", "actual", 105.3)]


# -- cue vocabulary and metric choice (patterns 1-3, 5-7, 9) --------------------------------

def test_a_verb_after_its_counted_noun_names_the_metric():
    assert _facts("Năm 2023, khoảng 340 thủ tục đã được bãi bỏ.") == [("procedures_cut", "actual", 340.0)]


def test_a_negated_passive_verb_does_not():
    assert _facts("Năm 2023, còn 340 thủ tục chưa được bãi bỏ.") == []


@pytest.mark.parametrize("text, expected", [
    pytest.param("Năm 2023, huyện đã giải quyết 9.400 hồ sơ, trong đó 9.150 hồ sơ được giải quyết đúng hạn.",
                 [("dossiers_resolved", "actual", 9400.0), ("dossiers_resolved_on_time", "actual", 9150.0)],
                 id="after a verb before it"),
    pytest.param("Năm 2023, xã có 1.820 hồ sơ được giải quyết trước hạn.",
                 [("dossiers_resolved_on_time", "actual", 1820.0)], id="alone"),
    pytest.param("Năm 2023, xã có 1.820 hồ sơ được giải quyết, tỷ lệ đúng hạn đạt 97%.",
                 [("dossiers_on_time_rate", "actual", 97.0), ("dossiers_resolved", "actual", 1820.0)],
                 id="not a name of the next clause"),
])
def test_an_adverb_of_the_figures_own_passive_verb_names_the_metric(text, expected):
    assert _facts(text) == expected


def test_the_items_of_a_list_after_a_colon_keep_the_verb_named_before_the_list():
    text = ("Năm 2023, huyện đã tiếp nhận 9.400 hồ sơ, trong đó: cấp huyện: 3.100 hồ sơ; "
            "cấp xã: 6.300 hồ sơ.")
    assert sorted((r["value"], r["breakdown"]) for r in _records(text) if r["metric_id"] == "dossiers_received") == [
        (3100.0, "cap_huyen"), (6300.0, "cap_xa"), (9400.0, None)]


def test_a_clause_that_elides_its_subject_after_a_semicolon_keeps_the_name_before():
    text = "Năm 2024, tỷ lệ số hóa hồ sơ TTHC của các sở đạt 71,5%; của cấp huyện đạt 48%."
    assert _facts(text) == [("dossier_digitization_rate", "actual", 48.0), ("dossier_digitization_rate", "actual", 71.5)]


def test_a_goal_clause_after_a_semicolon_with_a_bare_result_keeps_the_name_before():
    text = "Năm 2024, tỷ lệ hồ sơ trực tuyến của huyện mới đạt 31,2%; huyện phấn đấu đến cuối năm 2025 đạt trên 45%."
    assert _facts(text) == [("online_dossier_rate", "actual", 31.2), ("online_dossier_rate", "target", 45.0)]
    # the goal's own counted noun after the figure makes it another thing
    text = "Năm 2024, tỷ lệ hồ sơ trực tuyến của huyện mới đạt 31,2%; huyện phấn đấu đạt 45% người dân có tài khoản."
    assert _facts(text) == [("online_dossier_rate", "actual", 31.2)]


def test_a_clause_after_a_semicolon_without_a_list_is_not_the_verbs():
    assert _facts("Năm 2023, huyện đã tiếp nhận 9.400 hồ sơ; 6.300 hồ sơ của cấp xã.") == [
        ("dossiers_received", "actual", 9400.0)]


def test_a_head_noun_after_the_figure_stands_for_the_cue_named_before():
    text = "Năm 2023, quận có 80 đơn vị sự nghiệp công lập, sau sắp xếp giảm 17 đơn vị, còn 63 đơn vị."
    assert _facts(text) == [("public_service_units_reduced", "actual", 17.0)]


def test_a_figure_that_repeats_only_the_first_word_of_the_noun_before_counts_the_same():
    text = "Năm 2023, thành phố đã giảm 9 phòng chuyên môn thuộc sở và 6 phòng thuộc UBND cấp huyện."
    assert _facts(text) == [("department_units_reduced", "actual", 6.0), ("department_units_reduced", "actual", 9.0)]
    # a noun of its own that shares the first word is another thing
    assert _facts("Năm 2024, Chính phủ đã ban hành 61 nghị định, 7 nghị quyết.") == [
        ("decrees_issued", "actual", 61.0), ("government_resolutions_issued", "actual", 7.0)]


def test_a_metric_named_by_the_sentence_before_claims_the_next_figure():
    text = "Chỉ số PCI năm 2022 của tỉnh Yên Bái vừa được công bố. Tỉnh đứng ở vị trí thứ 21."
    (r,) = _records(text)
    assert (r["metric_id"], r["value"], r["geography"], r["period"]) == ("pci_rank", 21.0, "Yên Bái", "2022")


def test_a_sentence_without_a_result_word_is_not_claimed_by_the_one_before():
    text = "Chỉ số PCI năm 2022 vừa được công bố. Hội nghị có 300 đại biểu tham dự."
    assert _facts(text) == []


def test_a_name_in_another_clause_does_not_claim_the_figure():
    text = "Năm 2023, thu ngân sách đạt 900 tỷ đồng, tăng 12%; khách du lịch đến tỉnh tăng 10%."
    assert _facts(text) == [("budget_revenue_growth", "actual", 12.0)]


def test_abbreviated_nouns_and_on_time_synonyms():
    text = "Năm 2023, Bộ phận một cửa phường giải quyết 2.315 HS, trong đó 2.200 HS trả kết quả đúng hẹn."
    assert ("dossiers_resolved_on_time", "actual", 2200.0) in _facts(text)


def test_an_index_component_needs_its_index_named_earlier_in_the_article():
    component = "Nhóm chỉ số công khai, minh bạch của tỉnh đạt 17,5 điểm."
    assert _facts("Năm 2023, tỉnh Lạng Sơn có nhiều chuyển biến. " + component) == []
    named = "Năm 2023, Bộ chỉ số phục vụ người dân, doanh nghiệp của tỉnh Lạng Sơn được công bố. "
    assert _facts(named + component) == [("public_service_index_component_score", "actual", 17.5)]


def test_voters_petitions_are_not_administrative_feedback():
    assert _facts("Năm 2023, Đoàn đại biểu đã tổng hợp 320 kiến nghị của cử tri gửi Quốc hội.") == []


def test_feedback_named_by_its_administrative_pair_needs_no_other_context():
    assert _facts("Năm 2023, tổng đài đã tiếp nhận 1.430 phản ánh, kiến nghị.") == [
        ("citizen_feedback_received", "actual", 1430.0)]
    assert _facts("Năm 2023, Đoàn đã tổng hợp 320 phản ánh, kiến nghị của cử tri.") == []


def test_an_excluding_word_vetoes_only_the_figures_of_its_own_clause():
    text = "Năm 2023, Sở Nội vụ đã kiểm tra công tác CCHC tại 18 cơ quan; xử lý kỷ luật 4 công chức vi phạm."
    assert _facts(text) == [("inspections_conducted", "actual", 18.0)]
    assert _facts("Năm 2023, Sở Nội vụ đã kiểm tra và phát hiện 18 cơ quan vi phạm.") == []


def test_a_cue_inside_a_longer_cue_phrase_still_names_its_metric():
    # "tăng lương" (context of the salary reform fund) would hide the "lương cơ sở" it overlaps
    assert _facts("Năm 2024, chính thức tăng lương cơ sở từ 1,6 triệu đồng lên 2,1 triệu đồng.") == [
        ("base_salary", "actual", 2100000.0)]


def test_a_title_figure_the_body_states_again_is_one_fact():
    text = ("Tăng lương cơ sở lên 1.500.000 đồng/tháng từ 1/7/2024\n\n"
            "Từ ngày 1/7 tới, lương cơ sở của cán bộ, công chức sẽ tăng từ mức 1.400.000 đồng lên 1.500.000 đồng/tháng.")
    assert _facts(text, file_date=date(2024, 6, 10)) == [("base_salary", "target", 1500000.0)]


def test_a_figure_after_a_series_of_verbs_is_counted_by_the_first():
    text = "Năm 2024, xã đã tiếp nhận, giải quyết và trả kết quả theo cơ chế một cửa 3.172 hồ sơ."
    assert _facts(text) == [("dossiers_received", "actual", 3172.0)]


def test_two_verbs_with_their_own_figures_are_no_series():
    text = "Năm 2024, xã đã tiếp nhận 3.172 hồ sơ, giải quyết 3.100 hồ sơ."
    assert _facts(text) == [("dossiers_received", "actual", 3172.0), ("dossiers_resolved", "actual", 3100.0)]


def test_what_was_not_done_is_not_counted_as_done():
    text = "Năm 2024, tỉnh có 478 nhiệm vụ đã hoàn thành và chưa hoàn thành 501 nhiệm vụ (122 nhiệm vụ còn trong hạn)."
    assert _facts(text) == [("tasks_completed", "actual", 478.0)]


def test_a_whole_named_before_is_the_total_of_the_part_done():
    same_sentence = "Năm 2024, tổng số nhiệm vụ giao cho tỉnh là 760 nhiệm vụ; trong đó đã hoàn thành 637 nhiệm vụ."
    next_sentence = "Năm 2024, UBND tỉnh đã giao cho các sở 979 nhiệm vụ. Đến nay có 478 nhiệm vụ đã hoàn thành."
    for text, expected in ((same_sentence, (637.0, 760.0)), (next_sentence, (478.0, 979.0))):
        assert [(r["value"], r["total"]) for r in _records(text)] == [expected]


def test_a_whole_with_no_part_after_it_stays_a_figure():
    (r,) = _records("Nghị quyết giao 250 nhiệm vụ cụ thể cho các bộ, ngành.")
    assert (r["metric_id"], r["kind"], r["value"], r["total"]) == ("tasks_completed", "target", 250.0, None)


def test_a_title_that_restates_a_body_figure_without_its_part_is_one_record():
    text = "Chính phủ giao 250 nhiệm vụ\n\nNghị quyết giao 250 nhiệm vụ cụ thể cho các bộ ngành."
    assert [(r["value"], r["breakdown"]) for r in _records(text)] == [(250.0, "bo_nganh")]


def test_a_figure_restated_without_its_period_is_the_dated_record():
    text = ("Nam Định đẩy mạnh một cửa\n\nTrong năm 2023, tỉnh Nam Định giải quyết đúng hạn 100% hồ sơ.\n\n"
            "Ông Nguyễn Văn A cho biết: “Tỉnh Nam Định đã giải quyết đúng hạn 100% hồ sơ”.")
    got = [(r["metric_id"], r["value"], r["period"]) for r in _records(text)]
    assert got == [("dossiers_on_time_rate", 100.0, "2023")]


def test_a_goal_restated_with_a_qualifier_takes_it():
    text = ("Mục tiêu đến năm 2025: - 80% hồ sơ được xử lý hoàn toàn trực tuyến.\n\n"
            "Tỉnh phấn đấu đến hết năm 2025 đạt tối thiểu 80% hồ sơ được xử lý hoàn toàn trực tuyến.")
    assert [(r["value"], r["qualifier"]) for r in _records(text)] == [(80.0, "at_least")]


def test_a_head_noun_after_the_figure_stands_for_an_abbreviation_named_before():
    text = "Năm 2011 cả nước có 54.448 ĐVSNCL, đến năm 2016 giảm 534 đơn vị, còn 53.914 đơn vị."
    assert _facts(text, file_date=date(2017, 6, 1)) == [("public_service_units_reduced", "actual", 534.0)]


def test_a_rise_is_no_reduction():
    text = "Năm 2016, đơn vị sự nghiệp công lập của các địa phương giảm 635 đơn vị, khối bộ, ngành lại tăng lên 101 đơn vị."
    assert _facts(text, file_date=date(2017, 6, 1)) == [("public_service_units_reduced", "actual", 635.0)]


def test_feedback_handled_is_resolved_and_feedback_taken_in_is_received():
    text = ("Năm 2023, gần 1.100 kiến nghị của doanh nghiệp đã được tiếp nhận; trong đó đã có 850 kiến nghị "
            "được xử lý, giải quyết, trả lời... (đạt tỷ lệ 77%). Ứng dụng nhận hơn 3.100 phản ánh của người dân, "
            "tất cả được xử lý đúng hạn.")
    assert _facts(text) == [("citizen_feedback_received", "actual", 1100.0), ("citizen_feedback_received", "actual", 3100.0),
                            ("citizen_feedback_resolved", "actual", 850.0), ("citizen_feedback_resolved_rate", "actual", 77.0)]
    resolved = [r for r in _records(text) if r["metric_id"] == "citizen_feedback_resolved"]
    assert [(r["value"], r["total"]) for r in resolved] == [(850.0, 1100.0)]  # of those received, stated before


# -- period (pattern 11) --------------------------------------------------------------------

@pytest.mark.parametrize("sentence, period", [
    pytest.param("Riêng tháng 3/2023, các cơ quan của tỉnh Nam Định tiếp nhận 2.500 hồ sơ.", "2023-H1", id="a month names its half"),
    pytest.param("Đến hết tháng 9/2022, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2022-H2", id="a cut-off month"),
    pytest.param("Riêng tháng 9 năm 2023, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2023-H2", id="tháng M năm Y"),
    pytest.param("Năm 2023 khép lại. Riêng tháng 5, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2024-H1",
                 id="a bare month: its half of the article's year"),
    pytest.param("Năm 2023 khép lại. Trung tâm ở số 1 đường 3 Tháng 2 đã tiếp nhận 2.500 hồ sơ.", "2023",
                 id="a street named after a date names no period"),
    pytest.param("Năm 2023 khép lại. Trong tháng 12, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2023",
                 id="a bare month later than the article's names no period"),
    pytest.param("Nửa đầu năm 2023, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2023-H1", id="nửa đầu năm"),
    pytest.param("Trong những năm qua, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2024-H2",
                 id="những năm qua: several years, not the year before"),
    pytest.param("Sau 5 năm trước đó, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2024-H2", id="N năm trước"),
    pytest.param("Trong 10 tháng năm 2023, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2023", id="ten months: the year"),
    pytest.param("Từ năm 2019 đến nay, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2024-H2", id="đến nay: the article's half"),
    pytest.param("Kinh tế 4 tháng tăng 5%; tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", "2024-H1",
                 id="N months without năm: the first N months"),
    pytest.param("Tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ, tăng 20% so với cùng kỳ năm 2023.", "2024-H2",
                 id="the year compared with is not the period"),
])
def test_periods(sentence, period):
    (r,) = _records(sentence)
    assert r["period"] == period


def test_cung_ky_nam_truoc_is_a_comparison_not_a_period_for_the_paragraph():
    text = "Kinh tế tăng 7% (cùng kỳ năm trước tăng 6%). Tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ."
    got = {r["value"]: r["period"] for r in _records(text)}
    assert got[2500.0] == "2024-H2"


def test_a_span_is_reported_at_its_end_not_its_start():
    text = "Từ tháng 1/2016 đến ngày 10/5/2017, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ."
    (r,) = _records(text, file_date=date(2017, 5, 20))
    assert r["period"] == "2017-H1"


def test_a_duration_in_months_is_no_period():
    (r,) = _records("Sau 6 tháng có hiệu lực, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.")
    assert r["period"] == "2024-H2"


def test_n_months_count_in_the_year_the_article_reports_on():
    text = "Kết quả 6 tháng đầu năm 2023\n\nThu ngân sách nhà nước 6 tháng đạt 60% dự toán."
    (r,) = _records(text, file_date=date(2025, 3, 1))
    assert (r["metric_id"], r["period"]) == ("budget_revenue_vs_estimate", "2023-H1")


@pytest.mark.parametrize("text", [
    pytest.param("Năm nay, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", id="năm nay"),
    pytest.param("Trong năm 2024, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", id="the year named"),
    pytest.param("Nghị quyết về dự toán ngân sách nhà nước năm 2024 được ban hành. "
                 "Tổng thu ngân sách đạt 32,7% dự toán cả năm.", id="a year carried from the paragraph"),
])
def test_a_result_of_a_year_only_half_over_is_the_year_so_far(text):
    (r,) = _records(text, file_date=date(2024, 5, 20))
    assert r["period"] == "2024-H1"


def test_a_result_of_a_year_in_its_second_half_keeps_the_year():
    (r,) = _records("Trong năm 2024, tỉnh Nam Định đã tiếp nhận 2.500 hồ sơ.", file_date=date(2024, 11, 20))
    assert r["period"] == "2024"


def test_an_index_result_takes_the_edition_year_written_beside_the_index():
    (r,) = _records("Theo PCI 2021 công bố chiều 5/4/2022, tỉnh Quảng Ninh xếp thứ 7.", file_date=date(2022, 4, 6))
    assert (r["metric_id"], r["period"]) == ("pci_rank", "2021")


def test_an_index_result_takes_the_edition_the_article_names_not_a_period_carried_from_before():
    text = ("Kết quả PCI 2021 đã được công bố. Từ đầu năm đến nay, tỉnh Quảng Ninh đã đối thoại với doanh nghiệp. "
            "Chỉ số PCI của tỉnh Quảng Ninh xếp thứ 7.")
    (r,) = _records(text, file_date=date(2022, 5, 10))
    assert (r["metric_id"], r["period"]) == ("pci_rank", "2021")


def test_a_dateline_without_a_year_takes_the_year_nearest_the_files_date():
    text = ("Nam Định đẩy mạnh một cửa\n\nNgày 15/5, tỉnh Nam Định cho biết đã tiếp nhận 2.500 hồ sơ. "
            "Kết quả được ghi nhận từ tháng 4/2016.")
    (r,) = _records(text, file_date=date(2017, 6, 1))
    assert r["period"] == "2017-H1"


# -- geography and locality (pattern 12, contract v2) ---------------------------------------

def test_a_place_in_brackets_does_not_carry():
    text = ("Năm 2023, cơ chế được áp dụng trước (thí điểm ở Đà Nẵng, Cần Thơ). "
            "Cổng một cửa quốc gia đã tiếp nhận 90.000 hồ sơ.")
    (r,) = _records(text)
    assert r["geography"] == "VN"


def test_an_ocean_is_not_a_province():
    (r,) = _records("Năm 2023, khu vực châu Á - Thái Bình Dương ghi nhận Việt Nam đã tiếp nhận 90.000 hồ sơ.")
    assert r["geography"] == "VN"


def test_a_place_in_a_later_bracket_is_an_aside_not_the_figures_place():
    text = ("UBND tỉnh Nam Định họp. Năm 2023, thu ngân sách đạt 51% dự toán "
            "(cao hơn mức của cả nước, cả nước đạt 46%).")
    got = {r["value"]: r["geography"] for r in _records(text)}
    assert got[51.0] == "Nam Định"


def test_a_city_named_only_as_a_venue_is_not_the_articles_province():
    text = ("Hội nghị Thủ tướng với doanh nghiệp\n\nSo với hội nghị lần trước tại TPHCM, tính gay gắt đã giảm. "
            "Hội nghị năm nay đông hơn hội nghị tổ chức ở TP.HCM hồi năm ngoái. Năm 2023, đã có 4.500 thủ tục bị bãi bỏ.")
    (r,) = _records(text)
    assert (r["geography"], r["geography_basis"]) == ("VN", "default")


def test_a_city_named_as_a_venue_and_as_a_subject_is_the_articles_province():
    text = ("Thành phố đẩy mạnh một cửa\n\nHội nghị được tổ chức tại TPHCM. TPHCM cho biết đã làm nhiều việc. "
            "Năm 2023, đã có 450 thủ tục bị bãi bỏ.")
    (r,) = _records(text)
    assert r["geography"] == "Hồ Chí Minh"


def test_a_ministrys_figure_is_national_with_the_ministry_as_locality():
    (r,) = _records("Năm 2023, Bộ Y tế đã đơn giản hóa 221/225 thủ tục hành chính.")
    assert (r["geography"], r["locality"], r["value"], r["total"]) == ("VN", "Bộ Y tế", 221.0, 225.0)


def test_a_ministry_cited_as_a_source_is_not_the_locality():
    (r,) = _records("Năm 2023, theo Bộ Nội vụ, tỉnh Hà Nam đã đơn giản hóa 221 thủ tục hành chính.")
    assert (r["geography"], r["locality"]) == ("Hà Nam", None)


def test_a_districts_figure_stays_the_districts_in_its_province():
    (r,) = _records("Năm 2023, huyện Sơn Dương đã tiếp nhận 1.200 hồ sơ.")
    assert (r["geography"], r["locality"]) == ("Tuyên Quang", "huyện Sơn Dương")


def test_an_article_about_one_commune_gives_it_every_figure_that_names_no_place():
    text = ("Xã Tân Thành Bình làm tốt cải cách hành chính\n\n"
            "Chủ tịch UBND xã Tân Thành Bình cho biết xã đã hoàn thành kế hoạch năm 2024.\n\n"
            "Năm 2024, xã đã tiếp nhận 1.200 hồ sơ trực tuyến.")
    (r,) = _records(text)
    assert (r["geography"], r["locality"]) == ("Bến Tre", "xã Tân Thành Bình (huyện Mỏ Cày Bắc)")


def test_the_same_figure_of_two_districts_is_two_facts():
    got = _records("Năm 2023, huyện Sơn Dương tiếp nhận 1.200 hồ sơ; huyện Yên Sơn tiếp nhận 1.200 hồ sơ.")
    assert sorted(r["locality"] for r in got) == ["huyện Sơn Dương", "huyện Yên Sơn"]


def test_a_commune_named_in_passing_does_not_take_a_provinces_figures():
    text = ("Tỉnh Bến Tre làm tốt cải cách hành chính\n\n"
            "Tỉnh Bến Tre đã khen thưởng xã Tân Thành Bình. UBND tỉnh Bến Tre cho biết năm 2024 "
            "tỉnh đã tiếp nhận 91.200 hồ sơ trực tuyến.")
    (r,) = _records(text)
    assert (r["geography"], r["locality"]) == ("Bến Tre", None)


def test_a_provincial_index_figure_with_no_place_is_the_articles_provinces_not_the_countrys():
    text = ("Thủ tướng làm việc với tỉnh Yên Bái. Tỉnh Yên Bái có nhiều tiến bộ. Cả nước tăng trưởng 6%.\n\n"
            "Chỉ số PCI có tiến bộ (năm 2016 đứng thứ 21/63).")
    (r,) = _records(text, file_date=date(2017, 6, 1))
    assert (r["metric_id"], r["geography"]) == ("pci_rank", "Yên Bái")


# -- kind (pattern 10) and breakdown (pattern 13) -------------------------------------------

def test_thêm_is_a_change_of_a_level():
    text = "Trong 6 tháng đầu năm 2024, cơ chế một cửa quốc gia bổ sung thêm 4 thủ tục, nâng tổng số lên 40 thủ tục."
    assert _facts(text) == [("nsw_procedures", "actual", 40.0), ("nsw_procedures", "change", 4.0)]


def test_a_bracketed_percent_after_a_count_is_how_the_count_moved():
    (count, move) = _records("Năm 2023, Sở Tư pháp tỉnh Nam Định đã tiếp nhận 9.000 hồ sơ (tăng 35% so với cùng kỳ).")
    assert (count["metric_id"], count["kind"], count["value"]) == ("dossiers_received", "actual", 9000.0)
    assert (move["metric_id"], move["kind"], move["value"], move["unit"]) == ("dossiers_received", "change", 35.0, "percent")


@pytest.mark.parametrize("sentence", [
    pytest.param("Danh mục năm 2025 gồm 300 thủ tục hành chính thực hiện dịch vụ công trực tuyến.", id="a list lead-in"),
    pytest.param("Nhằm chuẩn bị đưa 150 dịch vụ công trực tuyến vào vận hành, Sở đã họp.", id="a purpose"),
    pytest.param("Năm 2017, Chính phủ giao 250 nhiệm vụ cho các bộ, ngành.", id="an assignment"),
])
def test_plans_without_goal_words_are_targets(sentence):
    assert {r["kind"] for r in _records(sentence, file_date=date(2017, 6, 1))} == {"target"}


def test_a_past_đến_năm_is_a_cut_off_not_a_due_year():
    (r,) = _records("Từ năm 2011, cả nước đã sắp xếp, đến năm 2016 giảm 534 đơn vị sự nghiệp công lập.",
                    file_date=date(2017, 6, 1))
    assert (r["kind"], r["period"]) == ("actual", "2016")


def test_two_levels_together_are_no_one_part():
    (r,) = _records("Năm 2017, Bộ Y tế triển khai 707 dịch vụ công trực tuyến mức độ 3, 4.")
    assert (r["metric_id"], r["breakdown"]) == ("online_public_services", None)


# -- false positives of articles that mention the topic in passing (corpus/noise) -----------

@pytest.mark.parametrize("text", [
    pytest.param("Thụy Điển xếp hạng 2 trong bảng xếp hạng Chỉ số đổi mới sáng tạo toàn cầu (GII) năm 2023.",
                 id="another country's rank"),
    pytest.param("Năm 2023, bình quân mỗi ngày, đơn vị tiếp nhận trên 400 hồ sơ xin cấp hộ chiếu.", id="a daily rate"),
    pytest.param("Năm 2023, thu ngân sách tỉnh Nam Định vượt dự toán. Tổng nguồn vốn huy động trong huyện tăng 7,8%.",
                 id="a sentence about another quantity does not go on with the one before"),
    pytest.param("Năm 2023, tỉnh Nam Định có 128 điểm di tích lịch sử được bảo tồn, chỉ số PCI cải thiện.",
                 id="điểm di tích are sites, not points"),
    pytest.param("Năm 2023, Lữ đoàn 28 làm hồ sơ đề nghị cấp giấy chứng nhận.", id="a unit named by number"),
    pytest.param("Tại kỳ họp năm 2023, Quốc hội cho ý kiến về 11 dự án luật.", id="commented on is not approved"),
    pytest.param("Năm 2023, thành phố đã tiến hành 2.468 cuộc thanh tra, kiểm tra chuyên ngành.",
                 id="specialised inspections are not reform inspections"),
    pytest.param("Năm 2023, thu ngân sách của tỉnh Nam Định vượt 14,8% dự toán.",
                 id="exceeding the estimate by 14,8% is not 14,8% of it"),
    pytest.param("Năm 2023, 94 văn bản quy phạm pháp luật đã được ban hành để chỉ đạo, điều hành.",
                 id="legal documents are not directive documents"),
    pytest.param("Tại kỳ họp năm 2023, Quốc hội có 2 dự án nếu bảo đảm điều kiện thì có thể thông qua.",
                 id="a figure under a condition"),
    pytest.param("Năm 2023, thu ngân sách tỉnh Nam Định vượt dự toán. Tỉnh đón 5,8 triệu lượt khách, tăng 28,4%.",
                 id="the move of a count no metric claims is not carried from the sentence before"),
    pytest.param("Năm 2023, nhiều kiến nghị của doanh nghiệp đã được giải quyết nhưng vẫn còn 30% chưa được xem xét.",
                 id="what is not done yet"),
    pytest.param("Năm 2023, giải ngân vốn đầu tư công chậm. Cụ thể, cần tăng thêm khoảng 2% tổng dư nợ tín dụng.",
                 id="a percent of a quantity named right after it"),
    pytest.param("Năm 2023, thu ngân sách đạt khá. Tăng trưởng hai quý đầu năm tăng 5,73%.",
                 id="growth of the economy is not the budget's"),
    pytest.param("Năm 2023, cần rà soát thường xuyên chứ không phải bãi bỏ được 10 điều kiện kinh doanh.",
                 id="không phải negates the verb"),
])
def test_figures_of_other_things(text):
    assert _facts(text) == []


def test_particular_items_are_no_statistic():
    assert _facts("Năm 2023, khi tiếp nhận hai hồ sơ này, cán bộ phát hiện giấy tờ giả.") == []


def test_kiến_nghị_as_a_verb_is_no_feedback():
    assert _facts("Năm 2023, ngành kiến nghị Quốc hội giám sát, bảo đảm 80% kiến nghị được trả lời.") == []


def test_a_long_sentence_with_its_own_subject_is_not_claimed_by_the_one_before():
    text = ("Năm 2023, thu ngân sách của tỉnh Nam Định vượt dự toán. Hai ngành nông nghiệp và dịch vụ phục hồi "
            "ấn tượng, lượng khách quốc tế đến tỉnh tăng trên 30% so với năm trước nhờ nhiều chương trình quảng bá.")
    assert _facts(text) == []


def test_an_article_about_one_index_reads_its_ranks_without_the_name_repeated():
    text = ("Công bố PCI 2016\n\nChỉ số PCI 2016 vừa được công bố. Theo kết quả PCI, nhiều tỉnh tăng hạng.\n\n"
            "Theo kết quả được công bố, Thủ đô Hà Nội với nỗ lực vượt 10 bậc trong một năm đã lần đầu "
            "vươn lên xếp hạng thứ 14, nằm trong nhóm Tốt với 60,74 điểm.")
    assert _facts(text, file_date=date(2017, 3, 20)) == [
        ("pci_rank", "actual", 14.0), ("pci_rank", "change", 10.0), ("pci_score", "actual", 60.74)]


def test_a_place_named_in_passing_speaks_for_its_own_sentence_only():
    text = ("Cải cách thủ tục hải quan\n\nNăm 2023, thời gian thông quan giảm mạnh, như Quảng Ninh là 21 giờ. "
            "Cổng dịch vụ công quốc gia đã tiếp nhận 90.000 hồ sơ.")
    assert [r["geography"] for r in _records(text)] == ["VN"]


def test_a_meeting_venue_is_not_what_the_figures_are_about():
    text = ("Thủ tướng đối thoại với doanh nghiệp\n\nHội nghị có 2.000 doanh nhân có mặt tại Hà Nội. "
            "Năm 2023, Chính phủ đã cắt giảm 4.500 thủ tục hành chính.")
    assert [(r["metric_id"], r["geography"]) for r in _records(text)] == [("procedures_cut", "VN")]


def test_a_sentence_that_opens_with_a_place_switches_to_it():
    text = "Tại Hậu Giang, năm 2023 tỉnh tiếp nhận 1.200 hồ sơ.\n\nTỉnh cũng giải quyết 1.100 hồ sơ."
    assert [r["geography"] for r in _records(text)] == ["Hậu Giang", "Hậu Giang"]


def test_a_ministry_as_the_sentences_subject_speaks_for_all_its_clauses():
    text = ("Năm 2017, Bộ Y tế đã đơn giản hóa 221/225 thủ tục hành chính; "
            "trong đó 37 dịch vụ công trực tuyến mức độ 4.")
    assert {r["locality"] for r in _records(text, file_date=date(2017, 6, 1))} == {"Bộ Y tế"}


def test_an_agency_carries_into_the_sentence_that_gives_its_results():
    text = ("Năm 2016, BHXH Việt Nam đã thực hiện đơn giản hóa các thủ tục hành chính. "
            "Kết quả, đã giảm 1 thủ tục, còn 32 thủ tục.")
    (r,) = _records(text, file_date=date(2017, 6, 1))
    assert (r["metric_id"], r["value"], r["locality"]) == ("procedures_cut", 1.0, "Bảo hiểm xã hội Việt Nam")


def test_the_agency_that_acts_is_the_subject_wherever_it_stands():
    text = ("Theo báo cáo của Văn phòng Chính phủ về tình hình thực hiện Nghị quyết 36a năm 2016, thực hiện "
            "nhiệm vụ Chính phủ giao, BHXH Việt Nam đã đơn giản hóa các thủ tục. Kết quả, đã giảm 42% tiêu thức "
            "trên tờ khai.")
    (r,) = _records(text, file_date=date(2017, 6, 1))
    assert (r["metric_id"], r["value"], r["locality"]) == ("declaration_info_reduction", 42.0, "Bảo hiểm xã hội Việt Nam")


def test_x_of_a_total_written_out_is_read_with_its_noun():
    text = "Năm 2016, 50 nghị định được ban hành giúp đơn giản hóa 4.527 trên tổng số 4.723 thủ tục hành chính."
    got = [(r["metric_id"], r["value"], r["total"]) for r in _records(text, file_date=date(2017, 6, 1))]
    assert ("procedures_cut", 4527.0, 4723.0) in got


def test_an_example_place_does_not_switch_the_text():
    text = ("Hiện đại hóa hành chính\n\nTiêu biểu như Quảng Ninh đã xây dựng trung tâm hành chính công. "
            "Năm 2023, đã có khoảng 1.098 kiến nghị của doanh nghiệp được tiếp nhận.")
    assert [r["geography"] for r in _records(text)] == ["VN"]


def test_a_bracket_around_the_figure_does_not_hide_the_part_named_before_it():
    text = "Năm 2016, số lượng đơn vị sự nghiệp công lập của các địa phương giảm (635 đơn vị)."
    (r,) = _records(text, file_date=date(2017, 6, 1))
    assert (r["value"], r["breakdown"]) == (635.0, "dia_phuong")


def test_the_parts_of_a_plan_are_planned_and_name_their_ministries():
    text = ("Danh mục năm 2017 gồm 707 thủ tục hành chính triển khai dịch vụ công trực tuyến mức độ 3, 4. "
            "Cụ thể, Bộ Y tế thực hiện 85 thủ tục hành chính; Bộ Giao thông vận tải thực hiện 56 thủ tục hành chính.")
    got = [(r["kind"], r["value"], r["locality"]) for r in _records(text, file_date=date(2017, 6, 1))]
    assert got == [("target", 707.0, None), ("target", 85.0, "Bộ Y tế"), ("target", 56.0, "Bộ Giao thông vận tải")]


def test_a_condition_is_not_a_result():
    assert _facts("Nếu hết quý III/2024 giải ngân vốn đầu tư công được 70% thì tác động rất lớn.") == []


def test_nếu_before_a_past_year_contrasts_then_and_now():
    text = ("Về cung cấp dịch vụ công trực tuyến, nếu năm 2019 mới chỉ đạt gần 11% thì đến nay tỷ lệ dịch vụ "
            "công trực tuyến đạt 55%.")
    got = {r["value"]: r["period"] for r in _records(text)}
    assert got == {11.0: "2019", 55.0: "2024-H2"}
    assert _facts("Nếu năm 2025 tỷ lệ dịch vụ công trực tuyến đạt 80% thì tỉnh sẽ dẫn đầu.") == []  # a future year


@pytest.mark.parametrize("text", [
    pytest.param("Mục tiêu đến hết năm 2025:\n\n- 80% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến.\n\n"
                 "- 95% văn bản được trao đổi dưới dạng điện tử.", id="items in paragraphs of their own"),
    pytest.param("Mục tiêu đến hết năm 2025: - 80% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến. "
                 "- 95% văn bản được trao đổi dưới dạng điện tử.", id="a list run into its lead-in's paragraph"),
])
def test_every_item_of_a_goals_list_is_a_goal(text):
    assert [(r["kind"], r["value"], r["period"]) for r in _records(text)] == [
        ("target", 80.0, "2025"), ("target", 95.0, "2025")]
