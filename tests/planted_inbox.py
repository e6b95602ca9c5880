"""A test inbox with planted bad facts, as frames: shared by the validation tests.

Each fact is built from its sentence, so offsets and evidence are those an extractor
would produce; each carries the rule ids it must fail (none for a good fact).
"""
from datetime import date

import polars as pl

from transforms.schema import articles_frame, records_frame

NATIONAL, PROVINCIAL, EMPTY, ENGLISH = "a" * 64, "b" * 64, "c" * 64, "d" * 64


class Inbox:
    """Articles made of sentences, and facts read from those sentences."""

    def __init__(self):
        self.articles: list[dict] = []
        self.rows: list[dict] = []
        self.expected: list[list[str]] = []

    def article(self, sha: str, file: str, day: date | None, sentences: list[str]) -> None:
        self.articles.append({"content_sha256": sha, "file": file, "article_date": day,
                              "text": " ".join(sentences)})

    def fact(self, sha: str, sentence: str, value_text: str, expect: tuple[str, ...] = (), **fields) -> dict:
        article = next(a for a in self.articles if a["content_sha256"] == sha)
        sentence_start = article["text"].index(sentence)
        char_start = sentence_start + sentence.index(value_text)
        row = {"content_sha256": sha, "file": article["file"], "kind": "actual", "qualifier": "exact",
               "geography": "VN", "period": "2024-H1", "evidence": sentence, "value_text": value_text,
               "char_start": char_start, "char_end": char_start + len(value_text),
               "sentence_start": sentence_start, "sentence_end": sentence_start + len(sentence)} | fields
        self.rows.append(row)
        self.expected.append(list(expect))
        return row

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        return articles_frame(self.articles), records_frame(self.rows)


# The sentences of the national article, by what they plant.
TASKS = "Các bộ, ngành đã hoàn thành 400/991 nhiệm vụ; các địa phương đã hoàn thành 1.327/3.009 nhiệm vụ."
DOCS = "Trong 6 tháng đã có 2.870 văn bản (các bộ: 305; địa phương: 2.565) được ban hành để chỉ đạo, điều hành CCHC."
ONLINE = "Cả nước có 81/96 dịch vụ công trực tuyến toàn trình, đạt 84,4%."
GII = "Việt Nam xếp thứ 46/132 quốc gia và nền kinh tế về chỉ số đổi mới sáng tạo toàn cầu."
OVER_TOTAL = "Ban Chỉ đạo đã hoàn thành 1.200/991 nhiệm vụ được giao."
OVER_RANGE = "Tỷ lệ hồ sơ được giải quyết đúng hạn đạt 120%."
BAD_PARTS = "Đã giảm 150 đơn vị sự nghiệp công lập (các bộ, ngành: 40; các địa phương: 100)."
BAD_RATE = "Có 90/120 thủ tục được cung cấp dịch vụ công trực tuyến một phần, đạt 80%."
UNKNOWN = "Tổng đài 1022 đã tiếp nhận 500 cuộc gọi của người dân."
BAD_UNIT = "Tỷ lệ thanh toán trực tuyến đạt 40%."
# ... of the provincial article (Hậu Giang, dated 1/3/2022).
PAR = "Năm 2021, Chỉ số CCHC của tỉnh Hậu Giang xếp thứ 27/63, tăng 1 hạng."
SIPAS = "Chỉ số hài lòng SIPAS của tỉnh xếp thứ 70/63."
PAPI = "Chỉ số PAPI của tỉnh xếp thứ 12/36."
PCI = "Chỉ số PCI xếp thứ 3/13 tỉnh khu vực Đồng bằng sông Cửu Long."
FUTURE = "Trong 6 tháng cuối năm 2022, tỉnh đã tiếp nhận 12.500 hồ sơ trực tuyến."
TARGET = "Phấn đấu đến năm 2025, tỷ lệ hồ sơ trực tuyến đạt 80%."
ENGLISH_TEXT = ("In the first half of 2024, ministries completed 400 of the 991 administrative reform "
                "tasks assigned by the Government, according to the steering committee's report.")


def planted_inbox() -> Inbox:
    box = Inbox()
    box.article(NATIONAL, "001_national.txt", date(2024, 7, 10),
                [TASKS, DOCS, ONLINE, GII, OVER_TOTAL, OVER_RANGE, BAD_PARTS, BAD_RATE, UNKNOWN, BAD_UNIT])
    box.article(PROVINCIAL, "002_hau_giang.txt", date(2022, 3, 1), [PAR, SIPAS, PAPI, PCI, FUTURE, TARGET])
    box.article(EMPTY, "003_empty.txt", None, [""])
    box.article(ENGLISH, "004_english.txt", date(2024, 7, 1), [ENGLISH_TEXT])

    n = NATIONAL
    first = box.fact(n, TASKS, "400/991", metric_id="tasks_completed", value=400, total=991, unit="count",
                     breakdown="bo_nganh", expect=("metrics.unique",))
    box.fact(n, TASKS, "1.327/3.009", metric_id="tasks_completed", value=1327, total=3009, unit="count",
             breakdown="dia_phuong")
    box.fact(n, DOCS, "2.870", metric_id="directive_documents_issued", value=2870, unit="count", breakdown="tong")
    box.fact(n, DOCS, "305", metric_id="directive_documents_issued", value=305, unit="count", breakdown="bo_nganh")
    box.fact(n, DOCS, "2.565", metric_id="directive_documents_issued", value=2565, unit="count",
             breakdown="dia_phuong")
    box.fact(n, ONLINE, "81/96", metric_id="online_public_services", value=81, total=96, unit="count",
             breakdown="toan_trinh")
    box.fact(n, ONLINE, "84,4%", metric_id="online_public_services_rate", value=84.4, unit="percent",
             breakdown="toan_trinh")
    box.fact(n, GII, "46/132", metric_id="global_innovation_index_rank", value=46, total=132, unit="rank",
             period="2023")
    box.fact(n, OVER_TOTAL, "1.200/991", metric_id="tasks_completed", value=1200, total=991, unit="count",
             breakdown="ban_chi_dao", expect=("metrics.value_within_total",))
    box.fact(n, OVER_RANGE, "120%", metric_id="dossiers_on_time_rate", value=120, unit="percent",
             expect=("metrics.value_not_above_range",))
    for value_text, value, breakdown in (("150", 150, None), ("40", 40, "bo_nganh"), ("100", 100, "dia_phuong")):
        box.fact(n, BAD_PARTS, value_text, metric_id="public_service_units_reduced", value=value, unit="count",
                 breakdown=breakdown, expect=("consistency.parts_sum_to_total",))
    box.fact(n, BAD_RATE, "90/120", metric_id="online_public_services", value=90, total=120, unit="count",
             breakdown="mot_phan", expect=("consistency.rate_matches_count",))
    box.fact(n, BAD_RATE, "80%", metric_id="online_public_services_rate", value=80, unit="percent",
             breakdown="mot_phan", expect=("consistency.rate_matches_count",))
    box.fact(n, UNKNOWN, "500", metric_id="calls_received", value=500, unit="count",
             expect=("metrics.metric_known",))
    box.fact(n, BAD_UNIT, "40%", metric_id="online_payment_rate", value=40, unit="count",
             expect=("metrics.unit_allowed",))
    box.rows.append(dict(first))  # the same fact twice: both copies are flagged
    box.expected.append(["metrics.unique"])

    p, hau_giang = PROVINCIAL, {"geography": "Hậu Giang", "period": "2021"}
    box.fact(p, PAR, "27/63", metric_id="par_index_rank", value=27, total=63, unit="rank", **hau_giang)
    box.fact(p, PAR, "1", metric_id="par_index_rank", kind="change", value=1, unit="places", **hau_giang)
    box.fact(p, SIPAS, "70/63", metric_id="sipas_rank", value=70, total=63, unit="rank",
             expect=("metrics.rank_within_field",), **hau_giang)
    box.fact(p, PAPI, "12/36", metric_id="papi_rank", value=12, total=36, unit="rank",
             expect=("metrics.rank_field_size",), **hau_giang)
    box.fact(p, PCI, "3/13", metric_id="pci_rank", value=3, total=13, unit="rank", **hau_giang)
    box.fact(p, FUTURE, "12.500", metric_id="online_dossiers_received", value=12500, unit="count",
             geography="Hậu Giang", period="2022-H2", expect=("metrics.period_not_after_article",))
    box.fact(p, TARGET, "80%", metric_id="online_dossier_rate", kind="target", value=80, unit="percent",
             geography="Hậu Giang", period="2025")

    box.fact(ENGLISH, ENGLISH_TEXT, "400 of the 991", metric_id="tasks_completed", value=400, total=991,
             unit="count", breakdown="bo_nganh", expect=("articles.mostly_vietnamese",))
    return box
