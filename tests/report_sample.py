"""A small store's worth of frames for the report tests, shaped like the seed facts
(shared/gold/seeds.jsonl): national 2024-H1 results, Hậu Giang's 2021 indices reported
in 2022-H2, a Tuyên Quang target, one fact stated by two articles, one quarantined record.
"""
from datetime import date

import polars as pl

from transforms.schema import articles_frame, records_frame

NATIONAL, NATIONAL_AGAIN, HAU_GIANG, TUYEN_QUANG, OLDER = "sha-001", "sha-005", "sha-004", "sha-002", "sha-006"

ARTICLES = [
    dict(content_sha256=NATIONAL, file="001_13960fbe25726a23.txt", title="Phiên họp thứ 8 Ban Chỉ đạo CCHC",
         source_site="baochinhphu.vn", article_date=date(2024, 6, 12), date_basis="text",
         periods=["2024-H1"], provinces=["Bắc Kạn"], scope="national", article_half="2024-H1"),
    dict(content_sha256=NATIONAL_AGAIN, file="005_aaaa.txt", title="=cmd|' /C calc'!A0",
         source_site="moha.gov.vn", article_date=date(2024, 6, 13), date_basis="text",
         periods=["2024-H1"], provinces=[], scope="national", article_half="2024-H1"),
    dict(content_sha256=HAU_GIANG, file="004_3c780ba616a1fe93.txt", title="Hậu Giang đẩy mạnh CCHC",
         source_site="haugiangtv.vn", article_date=date(2022, 10, 20), date_basis="text",
         periods=["2021", "2022"], provinces=["Hậu Giang"], scope="provincial", article_half="2022-H2"),
    dict(content_sha256=TUYEN_QUANG, file="002_cb3766abb98f8eed.txt", title="Tuyên Quang: mục tiêu PAR INDEX",
         source_site="tuyenquang.gov.vn", article_date=date(2024, 3, 5), date_basis="file_metadata",
         periods=["2025"], provinces=["Tuyên Quang"], scope="provincial", article_half="2024-H1"),
    dict(content_sha256=OLDER, file="006_bbbb.txt", title="Sơ kết CCHC 2023",
         source_site="baochinhphu.vn", article_date=date(2023, 12, 10), date_basis="text",
         periods=["2023-H2"], provinces=[], scope="national", article_half="2023-H2"),
]

_n = 0


def rec(sha, metric_id, kind, value, unit, geography="VN", period="2024-H1", report_half="2024-H1",
        total=None, breakdown=None, qualifier="exact", evidence=None, fact_key=None,
        quarantined=False, failed_rules=None, confidence=0.9, area=None, period_basis="explicit",
        articles=ARTICLES, **extra) -> dict:
    global _n
    _n += 1
    file = next(a["file"] for a in articles if a["content_sha256"] == sha)
    return dict(record_id=f"r{_n:03d}", content_sha256=sha, file=file, metric_id=metric_id, kind=kind,
                value=value, total=total, unit=unit, qualifier=qualifier, breakdown=breakdown,
                geography=geography, period=period, evidence=evidence or f"{metric_id} {value}",
                char_start=_n * 100, period_basis=period_basis, area=area, confidence=confidence,
                fact_key=fact_key or f"{metric_id}|{kind}|{breakdown}|{geography}|{period}|{value}",
                report_half=report_half, quarantined=quarantined, failed_rules=failed_rules or [], **extra)


def sample_rows() -> list[dict]:
    return [
        rec(NATIONAL, "tasks_completed", "actual", 10, "count", total=12, breakdown="ban_chi_dao"),
        rec(NATIONAL, "tasks_completed", "actual", 400, "count", total=991, breakdown="bo_nganh",
            evidence="Các bộ, ngành đã hoàn thành 400/991 nhiệm vụ."),
        # the same fact from a second article: counted once
        rec(NATIONAL_AGAIN, "tasks_completed", "actual", 400, "count", total=991, breakdown="bo_nganh",
            confidence=0.8),
        rec(NATIONAL, "tasks_completed", "actual", 1327, "count", total=3009, breakdown="dia_phuong"),
        rec(NATIONAL, "directive_documents_issued", "actual", 2870, "count", breakdown="tong"),
        rec(NATIONAL, "directive_documents_issued", "actual", 305, "count", breakdown="bo_nganh"),
        rec(NATIONAL, "budget_revenue_growth", "actual", 15.7, "percent"),
        rec(NATIONAL, "salary_reform_fund", "actual", 700_000_000_000_000.0, "vnd", qualifier="about"),
        rec(NATIONAL, "business_environment_rank", "change", 12, "places"),
        rec(NATIONAL, "decrees_issued", "actual", 83, "count", evidence='=HYPERLINK("http://x","y")'),
        rec(NATIONAL, "draft_laws_approved", "actual", 17, "count", evidence="+84 912 345 678 là đường dây nóng."),
        rec(NATIONAL, "dossiers_on_time_rate", "actual", 120, "percent", quarantined=True,
            failed_rules=["percent_in_range"], evidence="Tỷ lệ hồ sơ đúng hạn 120%."),
        # the previous half-year, for comparison and trends
        rec(OLDER, "tasks_completed", "actual", 300, "count", total=900, breakdown="bo_nganh",
            period="2023-H2", report_half="2023-H2"),
        rec(OLDER, "budget_revenue_growth", "actual", 12.5, "percent", period="2023-H2", report_half="2023-H2"),
        # Hậu Giang's 2021 indices, reported in 2022-H2
        rec(HAU_GIANG, "par_index_rank", "actual", 27, "rank", total=63, geography="Hậu Giang",
            period="2021", report_half="2022-H2", evidence="PAR INDEX xếp thứ 27/63, tăng 1 hạng."),
        rec(HAU_GIANG, "par_index_rank", "change", 1, "places", geography="Hậu Giang",
            period="2021", report_half="2022-H2"),
        rec(HAU_GIANG, "sipas_rank", "actual", 50, "rank", total=63, geography="Hậu Giang",
            period="2021", report_half="2022-H2"),
        rec(HAU_GIANG, "procedures_on_portal", "actual", 1800, "count", geography="Hậu Giang",
            period="2022-H2", report_half="2022-H2", qualifier="more_than"),
        # a target and the latest actual of the same metric and place
        rec(TUYEN_QUANG, "par_index_score", "target", 86, "percent", geography="Tuyên Quang",
            period="2025", qualifier="at_least"),
        rec(TUYEN_QUANG, "par_index_score", "actual", 85.02, "percent", geography="Tuyên Quang",
            period="2023", evidence="Chỉ số CCHC năm 2023 đạt 85,02%."),
    ]


def sample_records(rows: list[dict] | None = None) -> pl.DataFrame:
    rows = sample_rows() if rows is None else rows
    flags = pl.DataFrame({"quarantined": [r["quarantined"] for r in rows],
                          "failed_rules": [r["failed_rules"] for r in rows]},
                         schema={"quarantined": pl.Boolean, "failed_rules": pl.List(pl.String)})
    return pl.concat([records_frame(rows), flags], how="horizontal")


def sample_articles() -> pl.DataFrame:
    return articles_frame(ARTICLES)


def sample_outcomes() -> pl.DataFrame:
    return pl.DataFrame({
        "run_id": ["run1", "run1"], "suite": ["records", "records"],
        "rule_id": ["percent_in_range", "unit_in_catalog"], "rule_type": ["range", "set"],
        "description_vi": ["Phần trăm trong khoảng 0–100", "Đơn vị có trong danh mục"],
        "description_en": ["Percent within 0–100", "Unit is in the catalog"],
        "checked": [20, 20], "failed": [1, 0],
    })


def sample_files() -> pl.DataFrame:
    return pl.DataFrame({"name": [a["file"] for a in ARTICLES],
                         "content_sha256": [a["content_sha256"] for a in ARTICLES],
                         "status": ["ingested"] * len(ARTICLES)})
