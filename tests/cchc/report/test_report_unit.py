"""The report of a reporting unit, from a real store holding three half-years, read back
with openpyxl: Tổng quan's indicators with previous half, cùng kỳ and change, the Phụ lục
annex, no invented sums, a province's report, and a half-year without figures."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from cchc.report import load_report_data, write_report
from cchc.settings import Settings, SettingsError, load_settings
from cchc.store import Store
from tests.report_sample import ARTICLES, sample_records
from tests.report_sample import rec as sample_rec
from tests.cchc.report.test_workbook import block
from transforms.schema import articles_frame

GENERATED = datetime(2024, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
H23_1, H23_2, KON_TUM = "sha-h231", "sha-h232", "sha-kontum"
MORE_ARTICLES = [
    dict(content_sha256=H23_1, file="007_h231.txt", title="Sơ kết CCHC 6 tháng đầu năm 2023", source_site="moha.gov.vn",
         article_date=date(2023, 6, 10), date_basis="text", periods=["2023-H1"], provinces=[], scope="national",
         article_half="2023-H1"),
    dict(content_sha256=H23_2, file="008_h232.txt", title="Tổng kết CCHC năm 2023", source_site="moha.gov.vn",
         article_date=date(2023, 12, 10), date_basis="text", periods=["2023-H2"], provinces=[], scope="national",
         article_half="2023-H2"),
    dict(content_sha256=KON_TUM, file="009_kontum.txt", title="Kon Tum cải cách hành chính", source_site="kontum.gov.vn",
         article_date=date(2024, 6, 1), date_basis="file_metadata", periods=["2024-H1"], provinces=["Kon Tum"],
         scope="provincial", article_half="2024-H1"),
]
ALL_ARTICLES = ARTICLES + MORE_ARTICLES


def rec(*args, **kwargs) -> dict:
    return sample_rec(*args, articles=ALL_ARTICLES, **kwargs)


def three_halves() -> list[dict]:
    rows = []
    for sha, half, tasks, on_time in [(H23_1, "2023-H1", 250, 95.0), (H23_2, "2023-H2", 300, 97.0)]:
        rows += [rec(sha, "tasks_completed", "actual", tasks, "count", total=900, breakdown="bo_nganh",
                     period=half, report_half=half),
                 rec(sha, "dossiers_on_time_rate", "actual", on_time, "percent", period=half, report_half=half)]
    rows += [
        rec(ARTICLES[0]["content_sha256"], "tasks_completed", "actual", 400, "count", total=991, breakdown="bo_nganh"),
        rec(ARTICLES[0]["content_sha256"], "tasks_completed", "actual", 10, "count", total=12, breakdown="ban_chi_dao"),
        rec(ARTICLES[0]["content_sha256"], "dossiers_on_time_rate", "actual", 98.5, "percent"),
        rec(ARTICLES[0]["content_sha256"], "procedures_on_portal", "actual", 1800, "count", qualifier="more_than"),
        rec(ARTICLES[0]["content_sha256"], "salary_reform_fund", "actual", 700_000_000_000_000.0, "vnd"),
        rec(ARTICLES[0]["content_sha256"], "admin_units_rearranged", "actual", 49, "count", breakdown="cap_huyen"),
        rec(ARTICLES[0]["content_sha256"], "admin_units_rearranged", "actual", 1247, "count", breakdown="cap_xa"),
        rec(ARTICLES[0]["content_sha256"], "department_units_reduced", "actual", 10, "count", breakdown="cap_tinh"),
        rec(ARTICLES[0]["content_sha256"], "department_units_reduced", "actual", 8, "count", breakdown="cap_huyen"),
        # Kon Tum, merged into Quảng Ngãi on 1/7/2025; its period rests on the file's time
        rec(KON_TUM, "dossiers_on_time_rate", "actual", 99.1, "percent", geography="Kon Tum",
            period_basis="file_metadata"),
        rec(KON_TUM, "par_index_rank", "actual", 20, "rank", total=63, geography="Kon Tum", period_basis="file_metadata"),
    ]
    return rows


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "cchc.duckdb"
    records = sample_records(three_halves())
    articles = articles_frame(ALL_ARTICLES)
    with Store(path) as store:
        store.commit_batch([{"name": a["file"], "content_sha256": a["content_sha256"], "status": "ingested"}
                            for a in ALL_ARTICLES], articles, records, "run1")
    return path


def report(store_path, tmp_path, half="2024-H1", **settings):
    cfg = Settings(inbox=tmp_path / "inbox", share=tmp_path / "share", **settings)
    with Store(store_path) as store:
        data = load_report_data(store, half, cfg, generated_at=GENERATED)
    if data.is_empty:
        return None
    return openpyxl.load_workbook(write_report(data, tmp_path / "reports"))


def test_overview_compares_with_previous_half_and_same_half_last_year(store_path, tmp_path):
    ws = report(store_path, tmp_path)["Tổng quan"]
    rows = {r["Chỉ tiêu"]: r for r in block(ws, "Chỉ tiêu")}
    on_time = rows["Tỷ lệ hồ sơ giải quyết đúng hạn"]
    assert (on_time["Thực hiện"], on_time["Kỳ trước"], on_time["Cùng kỳ"], on_time["So với kỳ trước"]) \
        == ("98,5%", "97%", "95%", "▲ +1,5 đ.%")
    tasks = rows["Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành"]
    assert (tasks["Thực hiện"], tasks["Kỳ trước"], tasks["Cùng kỳ"], tasks["So với kỳ trước"], tasks["Kế hoạch"]) \
        == ("400", "300", "250", "▲ +100", "991")
    assert rows["TTHC trên Cổng dịch vụ công"]["Thực hiện"] == "hơn 1.800"
    assert ws["A4"].value == ("So với kỳ trước: 2 chỉ tiêu tốt lên ▲, 0 chỉ tiêu giảm ▼. Thấp nhất so với "
                              "kế hoạch: Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành (40,4%).")
    # the national report's headline is the nation's: Kon Tum's rate is not on it
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn (Kon Tum)" not in rows
    assert ws["A1"].value.endswith("6 tháng đầu năm 2024 – Cả nước")
    chart = ws._charts[0]
    assert all(s.marker.symbol == "circle" for s in chart.series)
    data_top = next(c.row for c in ws["A"] if c.value == "Số liệu của biểu đồ") + 1
    assert [c.value for c in ws[data_top]][1:7] == ["2021-H2", "2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1"]


def test_annex_in_the_template_shape_without_invented_sums(store_path, tmp_path):
    ws = report(store_path, tmp_path)["Phụ lục"]
    rows = block(ws, "Lĩnh vực")
    assert list(rows[0]) == ["Lĩnh vực", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện", "Tỷ lệ %", "Cùng kỳ", "Nguồn"]
    names = [r["Chỉ tiêu"] for r in rows]
    # cấp huyện + cấp xã units are not added; phòng cấp tỉnh + cấp huyện are (catalog: parts_additive)
    assert not [n for n in names if n.startswith("Đơn vị hành chính được sắp xếp – Cộng")]
    assert "Tổ chức cấp phòng giảm – Cộng: Cấp tỉnh + Cấp huyện" in names
    sum_row = next(r for r in rows if r["Chỉ tiêu"] == "Tổ chức cấp phòng giảm – Cộng: Cấp tỉnh + Cấp huyện")
    assert sum_row["Thực hiện"] == 18
    tasks = next(r for r in rows if r["Chỉ tiêu"] == "Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành")
    assert (tasks["Kế hoạch"], tasks["Thực hiện"], tasks["Tỷ lệ %"], tasks["Cùng kỳ"]) == (991, 400, 40.4, 250)
    assert rows[0]["Lĩnh vực"] == "Công tác chỉ đạo, điều hành CCHC" and tasks["Lĩnh vực"] is None  # once per area
    money = next(r for r in rows if r["Chỉ tiêu"].startswith("Nguồn cải cách tiền lương"))
    assert money["Đơn vị"] == "tỷ đồng"
    money_cell = next(c for c in ws["E"] if c.value == 700_000_000_000_000)
    assert money_cell.number_format == "#,##0,,,"  # shown as 700.000 (tỷ đồng), still a number
    portal = next(c for c in ws["E"] if c.value == 1800)
    assert portal.number_format == '"hơn "#,##0'
    # a province's figure has its own row, naming the province, after the nation's
    assert names.index("Tỷ lệ hồ sơ giải quyết đúng hạn (Kon Tum)") == names.index("Tỷ lệ hồ sơ giải quyết đúng hạn") + 1


def test_province_report_gathers_its_merged_provinces(store_path, tmp_path):
    wb = report(store_path, tmp_path, province="Quảng Ngãi")
    ws = wb["Tổng quan"]
    assert ws["A1"].value.endswith("6 tháng đầu năm 2024 – Quảng Ngãi")
    rows = {r["Chỉ tiêu"]: r for r in block(ws, "Chỉ tiêu")}
    assert set(rows) == {"Tỷ lệ hồ sơ giải quyết đúng hạn (Kon Tum)", "Xếp hạng Chỉ số CCHC (PAR INDEX) (Kon Tum)"}
    assert rows["Xếp hạng Chỉ số CCHC (PAR INDEX) (Kon Tum)"]["Thực hiện"] == "hạng 20/63"
    # only the unit's figures anywhere in the workbook
    assert not [c for row in wb["Phụ lục"].iter_rows() for c in row if c.value == "Nhiệm vụ CCHC đã hoàn thành – Bộ, ngành"]
    assert (tmp_path / "reports" / "bao-cao-cchc-2024-H1-quang-ngai.xlsx").exists()
    # all its figures took their period from the file's time: said on page 1
    assert any("chỉ dựa trên ngày sửa tệp" in str(c.value) for c in ws["A"])


def test_no_figures_no_workbook(store_path, tmp_path):
    assert report(store_path, tmp_path, half="2019-H1") is None
    assert report(store_path, tmp_path, half="2023-H1", province="Quảng Ngãi") is None
    assert not (tmp_path / "reports").exists()


def test_province_setting_is_checked():
    with pytest.raises(SettingsError, match="province = 'Kon Tum'.*is not a province since 1/7/2025"):
        load_settings({"province": "Kon Tum"}, env={})
    assert load_settings({"province": "Quảng Ngãi"}, env={}).province == "Quảng Ngãi"


def test_a_districts_figure_has_its_own_row_under_its_province(tmp_path):
    """Contract v2: a district's PAR index of 94,7% is not the province's."""
    import polars as pl

    from tests.cchc.report.test_workbook import data
    from tests.report_sample import TUYEN_QUANG
    rows = [rec(TUYEN_QUANG, "par_index_score", "actual", 85.02, "percent", geography="Tuyên Quang"),
            rec(TUYEN_QUANG, "par_index_score", "actual", 94.7, "percent", geography="Tuyên Quang",
                fact_key="district")]
    records = sample_records(rows).with_columns(locality=pl.Series([None, "huyện Sơn Dương"], dtype=pl.String))
    wb = openpyxl.load_workbook(write_report(data(records=records, province="Tuyên Quang"), tmp_path))
    annex = [r["Chỉ tiêu"] for r in block(wb["Phụ lục"], "Lĩnh vực")]
    assert annex == ["Điểm Chỉ số CCHC (PAR INDEX)", "    – huyện Sơn Dương: Điểm Chỉ số CCHC (PAR INDEX)"]
    headline = {r["Chỉ tiêu"]: r["Thực hiện"] for r in block(wb["Tổng quan"], "Chỉ tiêu")}
    assert headline == {"Điểm Chỉ số CCHC (PAR INDEX)": "85,02%"}  # the province's, not the district's


def test_province_from_the_environment():
    from cchc.settings import load_settings
    assert load_settings(env={"CCHC_PROVINCE": "Quảng Ngãi"}).province == "Quảng Ngãi"
    assert load_settings(env={}).province is None  # the whole country
