"""The report's figures, checked on frames (no Excel): counting rules and each sheet's table."""
import polars as pl
import pytest

from tests.report_sample import HAU_GIANG, NATIONAL, rec, sample_articles, sample_files, sample_outcomes, sample_records
from transforms.report import tables as rt


@pytest.fixture
def records():
    return sample_records()


def _row(frame: pl.DataFrame, **match) -> dict:
    rows = frame.filter(*[pl.col(k) == v for k, v in match.items()]).to_dicts()
    assert len(rows) == 1, (match, rows)
    return rows[0]


def test_facts_drop_quarantined_and_count_a_repeated_fact_once(records):
    f = rt.facts(rt.half_records(records, "2024-H1"))
    assert not f["quarantined"].any()
    tasks = f.filter((pl.col("metric_id") == "tasks_completed") & (pl.col("breakdown") == "bo_nganh"))
    assert tasks.height == 1
    assert tasks["sources"].item() == 2
    assert tasks["confidence"].item() == 0.9  # the more confident statement is kept


def test_indicators_compare_with_previous_half_and_plan(records):
    ind = rt.indicators(records, sample_articles(), "2024-H1")
    tasks = _row(ind, metric="Nhiệm vụ CCHC đã hoàn thành", breakdown_label="Bộ, ngành")
    assert (tasks["value"], tasks["previous"], tasks["change"], tasks["plan"], tasks["rate"], tasks["sources"]) \
        == (400, 300, 100, 991, 40.4, 2)
    assert tasks["sites"] == "baochinhphu.vn, moha.gov.vn"
    assert _row(ind, metric="Tăng thu ngân sách")["change"] == pytest.approx(3.2)
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" not in ind["metric"].to_list()  # quarantined
    assert ind.filter(pl.col("unit") == "places")["metric"].to_list() == ["Xếp hạng môi trường kinh doanh"]
    # the target is the plan of the same indicator, not a row of its own
    par = _row(ind, metric="Điểm Chỉ số CCHC (PAR INDEX)")
    assert (par["value"], par["plan"]) == (85.02, 86)


def test_indicator_rank_change_is_places_gained_and_a_stated_move_fills_it():
    rows = [rec(HAU_GIANG, "par_index_rank", "actual", 27, "rank", total=63, geography="Hậu Giang",
                period="2022", report_half="2022-H2"),
            rec(HAU_GIANG, "par_index_rank", "actual", 30, "rank", total=63, geography="Hậu Giang",
                period="2021", report_half="2022-H1"),
            rec(HAU_GIANG, "sipas_rank", "actual", 50, "rank", total=63, geography="Hậu Giang",
                period="2022", report_half="2022-H2"),
            rec(HAU_GIANG, "sipas_rank", "change", 2, "places", geography="Hậu Giang",
                period="2022", report_half="2022-H2")]
    ind = rt.indicators(sample_records(rows), sample_articles(), "2022-H2")
    assert ind.select("metric_id", "change").rows() == [("par_index_rank", 3), ("sipas_rank", 2)]


def test_headline_is_the_units_own_in_template_order(records):
    ind = rt.indicators(records, sample_articles(), "2024-H1")
    national = rt.headline_indicators(ind, None)
    assert national["metric_id"].to_list()[:3] == ["tasks_completed"] * 3
    assert set(national["geography"]) == {"VN"} and national.height <= rt.HEADLINE_ROWS
    assert rt.headline_indicators(ind, "Tuyên Quang")["metric_id"].to_list() == ["par_index_score"]
    with pytest.raises(ValueError, match="not a province since 1/7/2025"):
        rt.unit_places("Hậu Giang")


def test_by_area_adds_only_parts_the_catalog_declares_additive(records):
    rows = [rec(NATIONAL, "department_units_reduced", "actual", 10, "count", breakdown="cap_tinh"),
            rec(NATIONAL, "department_units_reduced", "actual", 8, "count", breakdown="cap_huyen"),
            rec(NATIONAL, "admin_units_rearranged", "actual", 49, "count", breakdown="cap_huyen"),
            rec(NATIONAL, "admin_units_rearranged", "actual", 1247, "count", breakdown="cap_xa")]
    t = rt.by_area(pl.concat([records, sample_records(rows)]), "2024-H1")
    sub = t.filter(pl.col("is_subtotal"))
    # phòng cấp tỉnh + cấp huyện are parts of one whole: 10 + 8
    assert sub["metric"].to_list() == ["Tổ chức cấp phòng giảm"]
    assert sub["value"].to_list() == [18]
    assert sub["breakdown"].item().startswith("Cộng: ")
    # units of different levels, tasks of the Ban Chỉ đạo/bộ/địa phương: never added
    for metric in ("Nhiệm vụ CCHC đã hoàn thành", "Đơn vị hành chính được sắp xếp"):
        assert t.filter(pl.col("metric").str.starts_with(metric[:12]))["is_subtotal"].sum() == 0, metric
    # a stated whole ("tổng") is shown as stated, its parts are not re-added
    assert t.filter(pl.col("metric") == "Văn bản chỉ đạo, điều hành CCHC")["is_subtotal"].sum() == 0


def test_by_area_keeps_breakdown_families_apart():
    rows = [rec(NATIONAL, "online_public_services", "actual", v, "count", breakdown=b)
            for b, v in [("muc_3", 100), ("muc_4", 50), ("toan_trinh", 70), ("mot_phan", 80)]]
    sub = rt.by_area(sample_records(rows), "2024-H1").filter(pl.col("is_subtotal"))
    assert sorted(sub["value"].to_list()) == [150, 150]
    assert sub.height == 2  # mức 3+4 and toàn trình+một phần, never all four


def test_by_province_names_the_province_after_the_merger(records):
    t = rt.by_province(records, "2022-H2")
    row = _row(t, province="Hậu Giang")
    assert row["province_2025"] == "Cần Thơ"
    assert row["Xếp hạng Chỉ số CCHC (PAR INDEX) (hạng)"] == 27
    assert row["TTHC trên Cổng dịch vụ công (số lượng)"] == 1800
    assert rt.by_province(records, "2024-H1")["province"].to_list() == ["Tuyên Quang"]


def test_rankings_show_rank_of_field_and_movement(records):
    t = rt.rankings(records, "2022-H2")
    par = _row(t, index="PAR INDEX")
    assert (par["geography"], par["period"], par["rank"], par["movement"]) == ("Hậu Giang", "2021", "27/63", 1)
    assert _row(t, index="SIPAS")["rank"] == "50/63"


def test_targets_with_latest_actual_and_progress(records):
    t = rt.targets(records, "2024-H1")
    row = _row(t, geography="Tuyên Quang")
    assert (row["target"], row["due"], row["qualifier"]) == (86, "2025", "ít nhất")
    assert row["actual"] == 85.02 and row["actual_half"] == "2024-H1"
    assert row["progress"] == pytest.approx(98.9)
    assert row["status"] == "Chưa đạt"
    # a target due before the half-year's year is no longer shown
    assert rt.targets(records.with_columns(period=pl.lit("2023")), "2024-H1").is_empty()


def test_targets_lower_is_better_for_ranks():
    rows = [rec(HAU_GIANG, "par_index_rank", "target", 20, "rank", geography="Hậu Giang", period="2025"),
            rec(HAU_GIANG, "par_index_rank", "actual", 18, "rank", geography="Hậu Giang", period="2023")]
    row = rt.targets(sample_records(rows), "2024-H1", "en").row(0, named=True)
    assert row["status"] == "Met" and row["progress"] is None


def test_trends_one_column_per_half_year(records):
    t = rt.trends(records, "2024-H1")
    assert t.columns[-2:] == ["2023-H2", "2024-H1"]
    tasks = _row(t, metric="Nhiệm vụ CCHC đã hoàn thành")
    assert (tasks["2023-H2"], tasks["2024-H1"]) == (300, 400)
    assert t.height == 2  # only metrics with values in two half-years
    assert rt.trends(records, "2023-H2").height == 0  # later half-years are not shown


def test_details_list_every_record_of_the_half(records):
    t = rt.details(records, "2024-H1", "en")
    assert t.height == records.filter(pl.col("report_half") == "2024-H1").height
    assert t.filter(pl.col("quarantined") == "Yes").height == 1
    assert set(t["period_basis"]) == {"stated"}


def test_details_say_where_in_the_file_each_figure_is(records):
    in_text = records.with_columns(paragraph=pl.lit(5, pl.Int64), page=pl.lit(None, pl.Int64))
    in_pdf = records.with_columns(paragraph=pl.lit(5, pl.Int64), page=pl.lit(2, pl.Int64))
    assert set(rt.details(in_text, "2024-H1")["position"]) == {"đoạn 5"}
    assert set(rt.details(in_pdf, "2024-H1")["position"]) == {"đoạn 5, tr. 2"}
    assert set(rt.details(in_pdf, "2024-H1", "en")["position"]) == {"para. 5, p. 2"}
    assert rt.details(in_pdf, "2024-H1").columns[-3:] == ["evidence", "file", "position"]


def test_sources_and_counts(records):
    articles = sample_articles()
    t = rt.sources(records, articles, "2024-H1")
    assert t.height == 3
    assert _row(t, file="001_13960fbe25726a23.txt")["records"] == 11
    counts = rt.overview_counts(records, articles, sample_files(), "2024-H1")
    assert counts == {"articles": 3, "files": 3, "provinces": 1, "records": 14, "quarantined": 1}


def test_checks(records):
    rules = rt.rule_checks(sample_outcomes(), "en")
    assert rules["outcome"].to_list() == ["Failed", "Passed"]
    q = rt.quarantined(records, "2024-H1")
    assert q["failed_rules"].to_list() == ["percent_in_range"]


@pytest.mark.parametrize("table", [rt.by_area, rt.by_province, rt.rankings, rt.targets,
                                   rt.trends, rt.details, rt.quarantined])
def test_empty_store_gives_empty_tables(table):
    assert table(sample_records([]), "2024-H1").is_empty()


def test_rankings_include_the_nations_international_ranks(records):
    r = rt.rankings(records, "2024-H1")
    assert _row(r, index="Môi trường kinh doanh")["movement"] == 12  # was "Không có dữ liệu"


def test_rankings_show_the_un_e_government_rank_by_its_vietnamese_name():
    rows = [rec(NATIONAL, "e_government_rank", "actual", 71, "rank", total=193, period="2024"),
            rec(NATIONAL, "e_government_rank", "change", 15, "places", period="2024"),
            rec(NATIONAL, "e_government_rank", "target", 50, "rank", period="2030")]
    row = _row(rt.rankings(sample_records(rows), "2024-H1"), index="Chính phủ điện tử (Liên hợp quốc)")
    assert (row["geography"], row["period"], row["rank"], row["movement"]) == ("Cả nước", "2024", "71/193", 15)


def test_rankings_show_the_gii_score_beside_its_rank():
    rows = [rec(NATIONAL, "global_innovation_index_score", "actual", 37.7, "count", period="2023"),
            rec(NATIONAL, "global_innovation_index_rank", "actual", 46, "rank", total=132, period="2023")]
    row = _row(rt.rankings(sample_records(rows), "2024-H1"), index="Đổi mới sáng tạo toàn cầu (GII)")
    assert (row["score"], row["score_unit"], row["rank"]) == (37.7, "điểm", "46/132")  # points, not "số lượng"


def test_trends_columns_are_consecutive_half_years():
    rows = [rec(NATIONAL, "budget_revenue_growth", "actual", v, "percent", period=h, report_half=h)
            for h, v in [("2022-H2", 10.0), ("2024-H1", 15.7)]]
    t = rt.trends(sample_records(rows), "2024-H1")
    assert t.columns[-4:] == ["2022-H2", "2023-H1", "2023-H2", "2024-H1"]
    assert t.row(0)[-4:] == (10.0, None, None, 15.7)  # the missing half-years are gaps


def test_a_communes_figure_is_never_shown_as_its_provinces():
    rows = [rec(HAU_GIANG, "dossiers_received", "actual", 91200, "count", geography="Hậu Giang"),
            rec(HAU_GIANG, "dossiers_received", "actual", 4572, "count", geography="Hậu Giang",
                locality="xã Tân Thành (huyện Phụng Hiệp)")]
    records = sample_records(rows)
    province = rt.by_province(records, "2024-H1")
    assert province.filter(pl.col("province") == "Hậu Giang")["Hồ sơ TTHC tiếp nhận (số lượng)"].to_list() == [91200]
    shown = {r["geography"]: r["value"] for r in rt.details(records, "2024-H1").iter_rows(named=True)
             if r["metric"] == "Hồ sơ TTHC tiếp nhận"}
    assert shown == {"Hậu Giang": 91200, "Hậu Giang – xã Tân Thành (huyện Phụng Hiệp)": 4572}
    by_area = rt.by_area(records, "2024-H1").filter(pl.col("metric") == "Hồ sơ TTHC tiếp nhận")
    assert sorted(by_area["geography"].to_list()) == ["Hậu Giang", "Hậu Giang – xã Tân Thành (huyện Phụng Hiệp)"]


def test_an_agencys_figure_is_shown_with_the_agency():
    records = sample_records([rec(NATIONAL, "procedures_cut", "actual", 1, "count", locality="Bảo hiểm xã hội Việt Nam")])
    (row,) = rt.details(records, "2024-H1").iter_rows(named=True)
    assert row["geography"] == "Bảo hiểm xã hội Việt Nam"
