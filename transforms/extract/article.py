"""Article text -> metric records (shared/spec/metrics.md), driven by the catalog's cues.

For each sentence of the cleaned text: find the figures that may be facts
(transforms.extract.numbers), let the catalog's cues pick a metric for each (transforms.extract.cues),
then attribute kind, period and geography (transforms.extract.attribution). The same fact
stated twice in an article is one record.
"""
import bisect
import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import polars as pl

from transforms.extract import attribution as attr
from transforms.extract import places
from transforms.catalog import load_catalog
from transforms.read.clean import CleanText, clean_text
from transforms.extract.cues import Choice, cue_index
from transforms.read.document import Article, Document, paragraph_pages
from transforms.extract.numbers import Number, find_numbers, fold
from transforms.extract.periods import CALENDARS, HALF_RE, half_of, report_half
from transforms.schema import articles_frame, records_frame

log = logging.getLogger(__name__)

_SOURCE_RE = re.compile(r"^\((?P<site>[^()\s][^()]{1,40})\)")
_AUTHOR_RE = re.compile(r"^tác giả(?: bài viết)?\s*:\s*(?P<name>.+)$", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\w.]*(?:\s+|$)|[-–,]\s*|và\s+){2,8}$")
_LIST_ITEM_RE = re.compile(r"^(?:[-–+•*]|\d{1,2}[.)]|[a-zđ]\))\s*")
# A title speaks for the article's geography only when it opens with the province
# ("Tuyên Quang: kết quả …"), not when it merely names one ("Công bố …: Hải Phòng dẫn đầu").
_TITLE_SUBJECT_RE = re.compile(r"(?:ubnd )?(?:tỉnh|thành phố|tp\.?)?\s*")
# A paragraph that goes on with the metric of the one before.
_CONTINUES_RE = re.compile(r"(?:[-–+•*]\s*|\d{1,2}[.)]\s*|[a-zđ]\)\s*)?(?:trong đó|trong số (?:này|đó)|cụ thể|riêng|gồm|"
                           r"bao gồm|số này|con số này)\b|kết quả,|[-–+•*]\s")
# A figure stated as the result of a metric named before: "… đạt gần 30%", "đứng thứ 20".
_CARRIED_LEAD_RE = re.compile(r"(?:đạt|là|với|đứng|xếp|chiếm|giảm|tăng|lên|nhận|có|được)(?:\s+\w+){0,4}\s*$")
MAX_CLAUSE = 300  # characters back from a figure searched for its clause's start
# A sentence that goes on with the metric of the one before without naming it is short
# ("Tỉnh đứng ở vị trí thứ 20."); a long one has a subject of its own.
_CARRY_SENTENCE_LENGTH = 130
# A place's figure in brackets right after it: "Bình Thuận (99,84%)", "Gia Lai (đều đạt 100%)".
_PLACE_FIGURE_RE = re.compile(r"\s*\((?:đều )?(?:đạt )?")
# A venue ("có mặt tại Hà Nội") or an example ("tiêu biểu như Quảng Ninh") is not a switch.
_VENUE_BEFORE_RE = re.compile(r"\b(?:tại|ở|như)\s+(?:(?:tỉnh|thành phố|tp\.?)\s+)?$")
_INLINE_LIST_RE = re.compile(r":\s*[-–+•]\s")
_SUBJECT_REACH = 40  # characters from a sentence's start within which a place is its subject
# Every district, commune or agency name has one of these words; most sentences have none.
_MAY_NAME_PLACE_RE = re.compile(r"huyện|quận|xã|phường|thị trấn|thành phố|tp|tx|bộ|tổng cục|cục|ủy ban|thanh tra|"
                                r"ngân hàng|văn phòng|bảo hiểm|bhxh|kho bạc")
# A figure whose sentence names a quantity of its own, as its subject ("Tổng nguồn vốn huy
# động … tăng 7,8%", "tăng trưởng … 5,73%") or right after it ("2% tổng dư nợ tín dụng"),
# does not go on with the metric of the sentence before.
_OWN_QUANTITY = (r"(?:tổng|nguồn vốn|vốn|giá trị|kim ngạch|doanh thu|sản lượng|tốc độ|dư nợ|thu nhập|chỉ số giá|"
                 r"tăng trưởng|gdp|grdp|tín dụng)(?!\w)(?! (?:này|đó|trên))")
_OWN_QUANTITY_RE = re.compile(r"(?<!\w)" + _OWN_QUANTITY)
_OWN_QUANTITY_AFTER_RE = re.compile(r"\s+" + _OWN_QUANTITY)
# "vẫn còn 30% chưa được xem xét": what is not done yet.
_NOT_DONE_AFTER_RE = re.compile(r"(?:\s+[^\W\d]+){0,3}?\s+(?:vẫn )?chưa\b")
# "bình quân mỗi ngày …", "… 400 hồ sơ/ngày": a rate per day, week or month.
_PER_TIME_BEFORE = re.compile(r"(?:mỗi|hằng|hàng|bình quân) (?:ngày|tuần|tháng)(?!\w)[^;.]{0,60}$")
_PER_TIME_AFTER = re.compile(r"[^\d;,.]{0,30}?(?:/\s*|mỗi |một |trên )(?:ngày|tuần|tháng)(?!\w)")
_CONDITION_AFTER_RE = re.compile(r"(?:\s+[^\W\d]+){0,3}\s+(?:nếu|giả sử)\b")
# "…, BHXH Việt Nam đã thực hiện …": the place that acts is its sentence's subject wherever it stands.
_ACTS_AFTER_RE = re.compile(r" (?:cũng )?(?:đã|đang|vừa|sẽ|tiếp tục)\b")
_HYPOTHETICAL_RE = re.compile(r"\b(?:nếu|giả sử|giá như)\b")
# "Nếu năm 2019 mới chỉ đạt gần 11% thì đến nay đạt 55%": "nếu (như)" before a past period
# sets then against now; both figures are facts, not conditions.
_CONTRAST_AFTER_RE = re.compile(r"\s+(?:như\s+)?(?:(?:ở|vào|trong)\s+)?"
                                r"(?:năm\s+(?P<y>(?:19|20)\d\d)|trước đây|trước kia)(?!\w)")
# A count that adds to a level: "bổ sung thêm 3 thủ tục", "kết nối thêm 4" (pattern 10).
_ADDED_BEFORE_RE = re.compile(r"\bthêm\s+(?:được\s+)?$")
# "1.200 hồ sơ (tăng 35% so với cùng kỳ)": the counted noun, then the bracketed move.
_BRACKET_MOVE_RE = re.compile(r"[^\d();,.]{0,40}\(\s*(?P<dir>tăng|giảm)\s+(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?")
_PROVINCIAL_RE = re.compile(r"ubnd tỉnh|của tỉnh|toàn tỉnh|tỉnh ủy|ubnd thành phố|toàn thành phố")


class ExtractionError(Exception):
    """An article that cannot be processed at all (not text, nothing left after cleaning)."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


@dataclass
class Extraction:
    article: dict        # ARTICLE_SCHEMA keys
    records: list[dict]  # RECORD_SCHEMA keys


def _sha1(*parts) -> str:
    return hashlib.sha1("\x1f".join(["" if p is None else str(p) for p in parts]).encode("utf-8")).hexdigest()


def _number_key(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def extract_article(text: str, *, file: str, content_sha256: str, file_date: date | None = None,
                    published: date | None = None, title: str | None = None,
                    calendar: str = "decree09") -> Extraction:
    """`published` and `title` come from the document's own metadata (transforms.read.document);
    `file_date` is the file's modification time, the weakest basis for the article's date."""
    if calendar not in CALENDARS:
        raise ValueError(f"unknown reporting calendar {calendar!r}; use one of {', '.join(CALENDARS)}")
    if not isinstance(text, str):
        raise ExtractionError(file, f"text is {type(text).__name__}, not str")
    if title:  # read as the first line, where a plain-text article has its title
        text = f"{title}\n\n{text}"
    ct = clean_text(text)
    if not ct.text.strip():
        raise ExtractionError(file, "no article text left after cleaning")
    folded = fold(ct.text)
    paras = [folded[s:e] for s, e in ct.paragraphs]

    when = _article_time(paras, folded, published, file_date, calendar)

    catalog = load_catalog()
    index = cue_index()
    header = _header(ct)
    sentence_geos = [attr.geography_mentions(ct.text[s:e], folded[s:e]) for s, e, _ in ct.sentences]
    article_locality = _dominant_locality(ct.text, folded, sentence_geos)
    article_countries = [(m.start, m.end) for m in places.find_countries(ct.text, folded)]
    state = _Walk(has_title=header["title"] is not None,
                  article_province=_dominant_province(folded, ct.sentences, sentence_geos)
                  or (article_locality or (None, None))[1])
    records, seen, periods, provinces = [], set(), set(), []
    topic_at = index.topics(folded)
    article_index = _article_index_cues(index, folded)
    editions: dict[str, str | None] = {}  # index edition years the article names, by index
    prev_p, prev_context, prev_s = -1, None, 0  # the previous sentence's own context cues
    prev_names, prev_named_only = [], False
    prev_subject = None  # (locality, province) the sentence before was about
    prev_all_targets = False  # the figures of the sentence before were all goals or plans
    whole = None  # (fact key, value, metric id, sentence index) of a figure that names a whole
    sentence_numbers = [find_numbers(folded[s:e]) for s, e, _ in ct.sentences]
    for i, ((s, e, p), geos, numbers) in enumerate(zip(ct.sentences, sentence_geos, sentence_numbers)):
        fs = folded[s:e]
        state.enter_paragraph(p, paras[p])
        mentions = attr.period_mentions(fs, when.year, calendar, now_half=when.home_half, report_year=when.report_year,
                                        article_month=when.day.month if when.day else None)
        periods.update(m.period for m in mentions if m.role == "report" and m.period)
        for _, _, g in geos:
            if g != attr.NATIONAL and g not in provinces:
                provinces.append(g)
        cues = index.scan(fs) if numbers else None
        records_before = len(records)
        sentence_places = None
        # Name cues of the sentence before, for figures whose metric was named there without
        # a figure ("Chỉ số PCI 2022 vừa công bố. Tỉnh đứng thứ 20"), or for a sentence that
        # goes on with its parts ("Số này gồm …", "Trong đó …", a list item).
        continues = _CONTINUES_RE.match(fs) or (s == ct.paragraphs[p][0] and _CONTINUES_RE.match(paras[p]))
        # "… Đồng Nai (100%), Bình Thuận (99,84%)": places listed with their figures go on with it too
        listed = _place_figures(fs, numbers, geos) if prev_named_only and prev_p == p and numbers and geos else ()
        carried = prev_names if continues or (prev_p == p and prev_named_only and (
            e - s <= _CARRY_SENTENCE_LENGTH or len(listed) > 1)) else ()
        own_context = dict(cues.context) if cues else None
        if cues and prev_p == p and prev_context:  # a metric's context may be set by the sentence before
            cues.add_context(prev_context)
        if cues and (cues.hits or cues.context or carried):
            starts, ends = [n.start for n in numbers], [n.end for n in numbers]
            topics = {m for m, at in topic_at.items() if at < s}
            last_count = None  # (figure, metric) of the last count read in this sentence
            countries = [(c_start - s, c_end - s) for c_start, c_end in article_countries if s <= c_start < e]
            unclaimed_end = -1  # the end of the last count no metric claimed, if any
            conditional, not_done = "nếu" in fs or "giả sử" in fs, "chưa" in fs
            hypothetical = conditional or "giá như" in fs  # _HYPOTHETICAL_RE's words
            per_time = "ngày" in fs or "tuần" in fs or "tháng" in fs
            for n in numbers:
                if countries and _other_countrys(fs, n, countries, geos):
                    continue  # "Thụy Điển xếp hạng 2": another country's figure
                if last_count and n.unit == "percent" and (sign := _bracketed_move(fs, last_count[0], n)):
                    # "đã nhận 9.000 hồ sơ (tăng 35% so với cùng kỳ)": how the count moved
                    choice, kind = Choice(last_count[1], 0.0, 0), "change"
                    n = dataclasses.replace(n, value=sign * n.value)
                elif (hypothetical and _hypothetical(fs, n, when.year)) \
                        or (conditional and _CONDITION_AFTER_RE.match(fs, n.end)) \
                        or (not_done and _NOT_DONE_AFTER_RE.match(fs, n.end)):
                    continue  # "Nếu hết quý III giải ngân được 70% …", "2 dự án nếu …", "30% chưa được xem xét"
                else:
                    choice = index.best_metric(fs, n, cues, starts, topics=topics)
                    if choice is None and carried and (continues or n.start in listed
                                                       or _CARRIED_LEAD_RE.search(fs, max(0, n.start - 24), n.start)) \
                            and not _OWN_QUANTITY_RE.search(fs, 0, n.start) and not _OWN_QUANTITY_AFTER_RE.match(fs, n.end) \
                            and not (unclaimed_end >= 0 and ";" not in fs[unclaimed_end:n.start]):
                        choice = index.best_metric(fs, n, cues, starts, carried, topics)
                    if choice is None and article_index and n.unit in ("rank", "places", "count"):
                        # "… vươn lên xếp hạng thứ 14 với 60,74 điểm" in an article about one index
                        choice = index.best_metric(fs, n, cues, starts, article_index, topics)
                    if choice is None:
                        if n.unit == "count":  # "đón 5,8 triệu lượt khách, tăng 28,4%": the count's own move
                            unclaimed_end = n.end
                        continue
                    kind = _kind(fs, n, when.year, state, continues and prev_all_targets)
                metric = choice.metric
                names_whole = False  # "giao 979 nhiệm vụ": the whole of what the metric's next figure counts
                if n.unit == "count" and n.total is None and kind != "change" and (done := _done_and_whole(metric.id)):
                    names_whole = _names_whole(fs, n, starts, *done)
                    if not names_whole and whole and whole[2] == metric.id and i - whole[3] <= 1:
                        # "… Đến nay có 478 nhiệm vụ đã hoàn thành": 478/979, and 979 is no record
                        gone = [k for k, r in enumerate(records) if r["fact_key"] == whole[0]]
                        for k in reversed(gone):
                            del records[k]
                        records_before -= sum(k < records_before for k in gone)
                        n, whole = dataclasses.replace(n, total=whole[1]), None
                if metric.total_from and n.unit == "count" and n.total is None and (
                        whole_count := _stated_whole(records, metric.total_from, kind, prev_s)):
                    n = dataclasses.replace(n, total=whole_count)  # "1.098 kiến nghị …; trong đó, 850 … được xử lý"
                if n.unit == "count" and per_time and _per_time(fs, n):
                    continue  # "bình quân mỗi ngày tiếp nhận 400 hồ sơ": a daily rate, not a count
                if n.unit == "count" and kind != "change":
                    last_count = (n, metric)
                period, period_basis = _period(state, mentions, n, kind, metric, fs, folded, when, editions)
                if sentence_places is None:  # once per sentence: a long one has many figures
                    sentence_places = _sentence_places(ct.text[s:e], fs, provinces)
                geography, geo_basis, locality = _place(
                    state, fs, n, metric, geos, sentence_places, article_locality,
                    prev_subject if continues and not geos else None)
                breakdown = index.breakdown(fs, metric, n, cues, starts, ends)
                # a district's or agency's figure is its own fact ("huyện A 100 hồ sơ, huyện B 100 hồ sơ")
                key = _sha1(metric.id, kind, _number_key(n.value), _number_key(n.total), n.unit,
                            breakdown, geography, period, *((locality,) if locality else ()))
                if names_whole:
                    whole = (key, n.value, metric.id, i)
                if key in seen:
                    if n.qualifier != "exact":  # "80% hồ sơ …" restated as "đạt tối thiểu 80% hồ sơ …"
                        for r in records:
                            if r["fact_key"] == key and r["qualifier"] == "exact":
                                r["qualifier"] = n.qualifier
                    continue
                seen.add(key)
                records.append(_record(
                    ct, s, e, n, metric, kind, breakdown, geography, locality, period, key,
                    content_sha256=content_sha256, file=file, catalog_version=catalog.version,
                    article_half=when.home_half, bases=(period_basis, geo_basis), confidence=_confidence(
                        choice.distance, geo_basis, period_basis, n)))
        state.leave_sentence(fs, mentions, geos, p)
        produced = len(records) > records_before
        if produced:
            prev_all_targets = all(r["kind"] == "target" for r in records[records_before:])
        elif not continues:
            prev_all_targets = False
        # what this sentence lends to the next one, when that one has figures: its subject
        # place ("BHXH Việt Nam đã … Kết quả, đã giảm 1 thủ tục") and its name cues
        next_has_figures = i + 1 < len(sentence_numbers) and sentence_numbers[i + 1]
        prev_subject = None
        if next_has_figures and _CONTINUES_RE.match(folded, ct.sentences[i + 1][0]) and _MAY_NAME_PLACE_RE.search(fs):
            if sentence_places is None:
                sentence_places = _sentence_places(ct.text[s:e], fs, provinces)
            prev_subject = next(((name, province or None) for start, end, name, province in sentence_places
                                 if (start, end) == sentence_places[0][:2] and _is_subject(fs, start)
                                 or _ACTS_AFTER_RE.match(fs, end)), None)
        if next_has_figures and cues is None:  # scanned once here, for both uses by the next sentence
            cues = index.scan(fs)
            own_context = cues.context
        prev_names = [h for h in cues.hits if h.role in ("near", "before")] if next_has_figures else []
        prev_named_only = not produced
        prev_p, prev_context, prev_s = p, own_context, s
    records = _merge_restatements(records, has_title=state.has_title)
    if when.report:
        periods.add(when.report)
    article = {
        "content_sha256": content_sha256, "file": file,
        **header,
        "article_date": when.day, "date_basis": when.date_basis,
        "periods": sorted(periods), "provinces": provinces,
        # One province that the text returns to ("UBND tỉnh", named twice) makes a provincial
        # article; several provinces are a national round-up.
        "scope": "provincial" if len(provinces) == 1 and (_PROVINCIAL_RE.search(folded)
                                                         or folded.count(fold(provinces[0])) > 1) else "national",
        "article_half": when.half, "char_count": len(ct.text), "text": ct.text,
    }
    return Extraction(article, records)


@dataclass(frozen=True)
class _ArticleTime:
    """When an article was written and what it reports on, and the periods its figures
    fall back to."""
    day: date | None
    date_basis: str                 # ArticleDate.basis: text / document / file_metadata / none
    year: int | None                # the article's year, inferred from its text when undated
    half: str | None                # the half-year window holding its date
    report: str | None              # the period the article reports on ("6 tháng đầu năm 2024")
    fallback: tuple                 # (period, basis) of a figure with no period of its own
    target_fallback: tuple          # the same for a target with no due year
    home_half: str | None           # where a fact with no half-year of its own is reported
    report_year: int | None
    year_so_far: str | None         # a year only half over at the article's date


def _article_time(paras: list[str], folded: str, published: date | None, file_date: date | None,
                  calendar: str) -> _ArticleTime:
    adate = attr.ArticleDate(published, "document") if published else attr.article_date(paras, file_date)
    year = adate.day.year if adate.day else attr.infer_year(folded, file_date)
    half = half_of(adate.day, calendar) if adate.day else None
    article_half = str(half) if half else None
    report = attr.report_period(paras, year, calendar)
    date_basis = "article_date" if adate.basis in ("text", "document") else "file_metadata"
    return _ArticleTime(
        day=adate.day, date_basis=adate.basis, year=year, half=article_half, report=report,
        # the article's report period, else the half-year of its date; a target with no due
        # year gets the article's year
        fallback=(report, "explicit") if report else (article_half, date_basis) if half else (None, None),
        target_fallback=(str(year), date_basis if adate.day else "file_metadata") if year else (None, None),
        # a target or a whole-year result is reported in the half-year the article reports
        # on, else in the one it was written in
        home_half=report if report and HALF_RE.match(report) else article_half,
        report_year=int(report[:4]) if report else None,
        # A result cannot cover a year that is only half over when the article is written: a
        # figure "of 2017" in an article of the first half of 2017 is the year so far, so it
        # falls in the half-year window of the article's date (domain.md), not the whole year.
        year_so_far=article_half[:4] if article_half and article_half.endswith("-H1") else None)


def _kind(fs: str, n: Number, year: int | None, state: "_Walk", part_of_plan: bool) -> str:
    """actual, target or change for a figure whose metric is known."""
    if n.unit == "places" or (n.unit == "count" and _ADDED_BEFORE_RE.search(fs, max(0, n.start - 30), n.start)):
        return "change"
    # the parts of a plan ("Danh mục gồm 707 … Trong đó, 354 …") are planned too
    if attr.is_target(fs, n.start, year) or part_of_plan or state.list_target \
            or (state.inline_list_target and _LIST_ITEM_RE.match(fs)):
        return "target"
    return "actual"


def _period(state: "_Walk", mentions, n: Number, kind: str, metric, fs: str, folded: str, when: _ArticleTime,
            editions: dict) -> tuple[str | None, str | None]:
    """(period, basis) of a figure: its sentence's, its paragraph's or list's, else the
    article's; an index result's is the index's edition."""
    period, basis = state.period(mentions, n, kind, when.target_fallback if kind == "target" else when.fallback)
    if metric.area == "chi_so" and kind != "target":
        return _index_period(metric, fs, folded, period, basis, editions,
                             attr.choose_period(mentions, n.start, kind) is not None)
    if kind != "target" and period == when.year_so_far:
        return when.half, basis  # "năm nay đã có 200 kiến nghị" in May: the year so far
    return period, basis


def _place(state: "_Walk", fs: str, n: Number, metric, geos, sentence_places, article_locality,
           subject_before) -> tuple[str, str, str | None]:
    """(geography, basis, locality) of a figure: the province named nearest it, else the one
    the text is about; a district, commune or agency of its clause as its locality."""
    geography, geo_basis = state.geography(geos, n, fs)
    locality, place = _locality(fs, n, geos, sentence_places)
    if locality is None and subject_before:
        locality, place = subject_before  # "BHXH Việt Nam đã … Kết quả, đã giảm 1 thủ tục"
    if locality is None and article_locality and geo_basis != "sentence" and not _PROVINCIAL_RE.search(fs):
        locality, place = article_locality  # "Xã đã tiếp nhận 278 hồ sơ" in an article about one commune
    if place is not None and geo_basis != "sentence":
        geography, geo_basis = place, "locality"
    elif metric.subnational and geography == attr.NATIONAL and locality is None and state.article_province:
        # a PCI rank with no place of its own is the province's the article is about
        geography, geo_basis = state.article_province, "article"
    return geography, geo_basis, locality


_UNDATED = ("article_date", "file_metadata")  # period bases that say only when the article was written


def _merge_restatements(records: list[dict], has_title: bool) -> list[dict]:
    """One record per fact stated twice: a title or lead that states a body figure without
    its part ("giao 250 nhiệm vụ" / "… giao 250 nhiệm vụ cho các bộ ngành") is dropped
    for the body's more specific record, and a figure dated only by the article's date that
    restates one read with its period ("Trong 10 tháng năm 2024, … (đạt tỷ lệ 100%)" … a
    closing quote "100% HS được giao trả kết quả đúng thời gian") for that one. A title
    figure the body states again is the body's, whatever kind, period or place the title's
    few words give it ("Tăng lương cơ sở lên 1.300.000 đồng/tháng từ 1.7.2017" over
    "… sẽ tăng từ mức 1.210.000 đồng lên 1.300.000 đồng/tháng")."""
    def fact(r):
        return r["metric_id"], r["kind"], r["value"], r["total"], r["unit"], r["geography"], r["period"]

    def undated_fact(r):
        return r["metric_id"], r["kind"], r["value"], r["total"], r["unit"], r["breakdown"], r["geography"], r["locality"]

    def stated(r):  # what a title can say of a fact
        return r["metric_id"], r["value"], r["total"], r["unit"]
    specific = {fact(r) for r in records if r["breakdown"] is not None}
    dated = {undated_fact(r) for r in records if r["period_basis"] not in _UNDATED}
    in_body = {stated(r) for r in records if not (has_title and r["paragraph"] == 1)}
    return [r for r in records if (r["breakdown"] is not None or fact(r) not in specific)
            and not (r["period_basis"] in _UNDATED and undated_fact(r) in dated)
            and not (has_title and r["paragraph"] == 1 and stated(r) in in_body)]


def _record(ct: CleanText, s: int, e: int, n: Number, metric, kind: str, breakdown: str | None,
            geography: str, locality: str | None, period: str | None, fact_key: str, *, content_sha256: str, file: str,
            catalog_version: str, article_half: str | None, bases: tuple[str | None, str],
            confidence: float) -> dict:
    """One RECORD_SCHEMA row for figure `n` of the sentence at ct.text[s:e]."""
    start, end = s + n.start, s + n.end
    return {
        "record_id": _sha1(content_sha256, metric.id, kind, breakdown, geography, period, start),
        "content_sha256": content_sha256, "file": file,
        "metric_id": metric.id, "kind": kind, "value": n.value, "total": n.total,
        "unit": n.unit, "qualifier": n.qualifier, "breakdown": breakdown,
        "geography": geography, "locality": locality, "period": period, "evidence": ct.text[s:e],
        "value_text": ct.text[start:end], "char_start": start, "char_end": end,
        "sentence_start": s, "sentence_end": e,
        "period_basis": bases[0], "geography_basis": bases[1],
        "area": metric.area, "catalog_version": catalog_version,
        "confidence": confidence, "fact_key": fact_key,
        "report_half": report_half(period, kind, article_half),
        "paragraph": bisect.bisect_right(ct.paragraphs, (s, len(ct.text) + 1)),  # 1-based
        "page": None,  # set by extract_batch for a document with pages
    }


def _article_index_cues(index, folded_article: str) -> list:
    """The name cues of the one ranking index an article is about (named at least twice,
    in two thirds of its index mentions), for ranks and scores it states without naming
    the index again; [] when the article is about no single index."""
    mentions = index.index_mentions(folded_article)
    counts: dict[str, int] = {}
    for _, _, metric_ids in mentions:
        for metric_id in metric_ids:
            counts[metric_id] = counts.get(metric_id, 0) + 1
    if not counts:
        return []
    top, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2 or n * 3 < 2 * len(mentions):
        return []
    start, end = next((s, e) for s, e, ids in mentions if top in ids)
    # one phrase of the index stands for all its metrics (rank, score)
    return [h for h in index.scan(folded_article[start:end]).hits if h.role == "near"]


def _place_figures(folded: str, numbers: list[Number], geos) -> set[int]:
    """Starts of the figures that open a bracket right after a place: "Bình Thuận (99,84%)"."""
    at = {m.end() for _, g_end, _ in geos if (m := _PLACE_FIGURE_RE.match(folded, g_end))}
    return {n.start for n in numbers if n.start in at}


def _bracketed_move(folded: str, count: Number, n: Number) -> int:
    """+1/-1 when percent `n` opens a bracket right after the count figure: "(tăng 35% …)"."""
    m = _BRACKET_MOVE_RE.match(folded, count.end, n.start)
    return 0 if m is None or m.end() != n.start else (1 if m.group("dir") == "tăng" else -1)


def _dominant_province(folded: str, sentences, sentence_geos) -> str | None:
    """The province an article is about: named at least twice and in two thirds of all
    province mentions, and at least once as more than a venue or an example ("hội nghị lần
    trước tại TPHCM" twice does not make a national article the city's). Figures with no
    place of their own default to it, not to VN."""
    counts: dict[str, int] = {}
    not_only_venue = set()
    for (s, _, _), geos in zip(sentences, sentence_geos):
        for g_start, _, g in geos:
            if g != attr.NATIONAL:
                counts[g] = counts.get(g, 0) + 1
                if g not in not_only_venue and not _venue(folded, s, s + g_start):
                    not_only_venue.add(g)
    if not counts:
        return None
    top, n = max(counts.items(), key=lambda kv: kv[1])
    return top if n >= 2 and n * 3 >= 2 * sum(counts.values()) and top in not_only_venue else None


@lru_cache(maxsize=None)
def _done_and_whole(metric_id: str) -> tuple[re.Pattern, re.Pattern] | None:
    """(verbs of what was done, phrases that name the whole) of a metric with `whole` cues."""
    cues = load_catalog()[metric_id].cues
    whole = [fold(p) for p in cues.get("whole") or ()]
    done = [fold(p) for p in cues.get("before") or () if fold(p) not in whole]
    if not whole or not done:
        return None
    return tuple(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)") for phrases in (done, whole))


def _names_whole(folded: str, n: Number, figure_starts: list[int], done: re.Pattern, whole: re.Pattern) -> bool:
    """Whether the clause before a figure names a whole ("Tổng số nhiệm vụ giao … là 760") and
    no verb of what was done, before it or right after it ("478 nhiệm vụ đã hoàn thành")."""
    k = bisect.bisect_left(figure_starts, n.start)
    lo = max(folded.rfind(";", 0, n.start) + 1, n.start - 150, 0)
    if k:  # back to the figure before, if it is nearer
        lo = max(lo, figure_starts[k - 1])
    after = folded[n.end:n.end + 40].split(",")[0].split(";")[0]
    return bool(whole.search(folded, lo, n.start)) and not done.search(folded, lo, n.start) and not done.search(after)


def _stated_whole(records: list[dict], metric_id: str, kind: str, since: int) -> float | None:
    """The value of the last count of `metric_id` stated since offset `since` (this sentence
    or the one before), the whole that a later figure is a part of."""
    for r in reversed(records):
        if r["sentence_start"] < since:
            return None
        if r["metric_id"] == metric_id and r["kind"] == kind and r["unit"] == "count" and r["total"] is None:
            return r["value"]
    return None


def _hypothetical(folded: str, n: Number, article_year: int | None) -> bool:
    """Whether a condition ("nếu", "giả sử", "giá như") earlier in the figure's clause governs
    it; "nếu năm 2019 …" (a year before the article's) or "nếu trước đây …" is a contrast."""
    lo = max(0, folded.rfind(";", 0, n.start) + 1, n.start - MAX_CLAUSE)
    for m in _HYPOTHETICAL_RE.finditer(folded, lo, n.start):
        past = _CONTRAST_AFTER_RE.match(folded, m.end()) if m.group() == "nếu" else None
        if past is None or (past.group("y") and not (article_year and int(past.group("y")) < article_year)):
            return True
    return False


def _per_time(folded: str, n: Number) -> bool:
    return bool(_PER_TIME_BEFORE.search(folded, max(0, n.start - 80), n.start)
                or _PER_TIME_AFTER.match(folded, n.end))


def _other_countrys(folded: str, n: Number, countries: list[tuple[int, int]], geos) -> bool:
    """Whether the place named last before a figure in its clause is another country."""
    clause_start = folded.rfind(";", 0, n.start) + 1
    country = max((c_end for c_start, c_end in countries if clause_start <= c_start and c_end <= n.start), default=-1)
    return country >= 0 and not any(country <= g_start < n.start for g_start, _, _ in geos)


def _dominant_locality(text: str, folded: str, sentence_geos) -> tuple[str, str] | None:
    """(locality, province) of the one district or commune an article is about: named at
    least twice, in two thirds of its district and commune mentions, and more often than any
    province; figures with no place of their own are its figures ("Xã đã tiếp nhận …")."""
    if not _MAY_NAME_PLACE_RE.search(folded):
        return None
    counts: dict[str, int] = {}
    named: dict[str, tuple[str, str | None]] = {}
    for m in places.find_localities(text, folded):
        key = fold(m.name)
        counts[key] = counts.get(key, 0) + 1
        named.setdefault(key, (m.name, m.province))
    if not counts:
        return None
    top, n = max(counts.items(), key=lambda kv: kv[1])
    province_counts: dict[str, int] = {}
    for geos in sentence_geos:
        for _, _, g in geos:
            if g != attr.NATIONAL:
                province_counts[g] = province_counts.get(g, 0) + 1
    name, province = named[top]
    if n < 2 or n * 3 < 2 * sum(counts.values()) or province is None \
            or n <= max(province_counts.values(), default=0):
        return None
    return name, province


@lru_cache(maxsize=None)
def _edition_re(near_cues: tuple[str, ...]) -> re.Pattern | None:
    names = [fold(p) for p in near_cues]
    if not names:
        return None
    # Each name's word-start test follows its first letter, so that the pattern opens with
    # literals: it is searched over a whole article, where a leading look-behind is tried at
    # every position.
    alternation = "|".join(re.escape(n[0]) + rf"(?<!\w{re.escape(n[0])})" + re.escape(n[1:])
                           for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{alternation})(?:\s*\([^()]{{1,12}}\))?\s*(?:năm\s+)?-?\s*(?P<y>(?:19|20)\d\d)(?!\d)")


def _index_period(metric, folded_sentence: str, folded_article: str, period, basis, article_editions: dict,
                  stated: bool):
    """An index result belongs to the index's edition ("PCI 2016 … xếp thứ 14" → 2016),
    written in its sentence, else (when its sentence states no period: `stated`) in the
    article; a period carried from the sentences before ("… tới nay. … (xếp thứ 7 …)") or
    the article's report period says when the article speaks, not which edition it cites."""
    edition = _edition_re(tuple(metric.cues.get("near") or ()))
    if edition is None:
        return period, basis
    if m := edition.search(folded_sentence):
        return m.group("y"), "index_edition"
    if not stated:
        if edition.pattern not in article_editions:  # once per index and article
            m = edition.search(folded_article)
            article_editions[edition.pattern] = m.group("y") if m else None
        if year := article_editions[edition.pattern]:
            return year, "index_edition"
    return period, basis


# "theo báo cáo của Văn phòng Chính phủ": an agency cited as a source is not the subject.
_SOURCE_BEFORE_RE = re.compile(r"(?:theo|của|với|cho|tại|từ)\s*$")


def _sentence_places(text: str, folded: str, provinces: list[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, locality, province or VN) of the districts and the subject ministries or
    agencies a sentence names, in order."""
    named = [(m.start, m.end, m.name, m.province or "") for m in places.find_localities(text, folded, provinces)]
    named += [(a_start, a_end, name, attr.NATIONAL) for a_start, a_end, name in places.find_agencies(folded)
              if not _SOURCE_BEFORE_RE.search(folded, max(0, a_start - 12), a_start)]
    return sorted(named)


def _locality(folded: str, n: Number, geos, sentence_places) -> tuple[str | None, str | None]:
    """(locality, its province) for a figure whose clause names a district or a ministry
    before it (contract v2): a district's figure stays the district's, in its province; a
    ministry's is national. (None, None) when the clause names neither."""
    if not sentence_places:
        return None, None
    clause_start = folded.rfind(";", max(0, n.start - MAX_CLAUSE), n.start) + 1
    named = [(start, name, province) for start, end, name, province in sentence_places
             if clause_start <= end <= n.start]
    if not named:  # the sentence's subject speaks for all its clauses: "Bộ Y tế đã …; 100% …"
        named = [(start, name, province) for start, end, name, province in sentence_places[:1]
                 if end <= n.start and _is_subject(folded, start)]
    if not named:
        return None, None
    start, name, province = named[-1]
    if any(start < g_start < n.start for g_start, _, g in geos if g != attr.NATIONAL):
        return None, None  # a province named after it speaks for the figure
    return name, province or None


def _is_subject(folded: str, pos: int) -> bool:
    """A place near a sentence's start that is not a venue ("… có mặt tại Hà Nội") or an
    example ("như Quảng Ninh"); a sentence that opens with it ("Tại Hậu Giang, …") switches."""
    return pos <= _SUBJECT_REACH and not _venue(folded, 0, pos)


def _venue(folded: str, sentence_start: int, pos: int) -> bool:
    """Whether the place at `pos` is named as a venue or an example ("… có mặt tại Hà Nội",
    "như Quảng Ninh"), not where its sentence opens ("Tại Hậu Giang, …" is its subject)."""
    venue = _VENUE_BEFORE_RE.search(folded, max(sentence_start, pos - 16), pos)
    return venue is not None and bool(folded[sentence_start:venue.start()].strip(" \"'“”"))


def _due_year(mentions) -> str | None:
    """The last due year among a sentence's period mentions ("đến hết năm 2025")."""
    due = [m.period[:4] for m in mentions if m.role == "due" and m.period]
    return due[-1] if due else None


def _in_brackets(folded: str, pos: int) -> bool:
    """Whether `pos` is inside an unclosed "(" of its clause (looked for up to MAX_CLAUSE back)."""
    lo = max(0, pos - MAX_CLAUSE)
    return folded.rfind("(", lo, pos) > folded.rfind(")", lo, pos)


class _Walk:
    """What carries from sentence to sentence: the geography the text last switched to,
    a period stated earlier in the paragraph, and the period of a list's lead-in line."""

    def __init__(self, has_title: bool, article_province: str | None = None):
        self.has_title = has_title
        self.article_province = article_province
        self.geography_now: str | None = None
        self.geography_from_opening = False
        self.paragraph = -1
        self.paragraph_period: str | None = None
        self.list_period: str | None = None
        self.lead_in_period: str | None = None
        self.list_target = False     # the list being read is a list of goals
        self.lead_in_target = False
        self.inline_list_target = False  # the same, for a list run into its lead-in's paragraph
        self.list_due: str | None = None    # the due year its lead-in names ("đến hết năm 2025:")
        self.lead_in_due: str | None = None
        self.inline_list_due: str | None = None
        self._paragraph_text = ""

    def enter_paragraph(self, p: int, folded_paragraph: str) -> None:
        if p == self.paragraph:
            return
        is_item = bool(_LIST_ITEM_RE.match(folded_paragraph))
        self.list_period = (self.lead_in_period or self.list_period) if is_item else None
        # "Mục tiêu đến năm 2025: - 100% … - 80% …": every item of a goal's list is a goal
        self.list_target = (self.lead_in_target or self.list_target) if is_item else False
        self.list_due = (self.lead_in_due or self.list_due) if is_item else None
        self.lead_in_period, self.lead_in_target, self.lead_in_due = None, False, None
        self.inline_list_target, self.inline_list_due = False, None
        self.paragraph, self.paragraph_period = p, None
        self._paragraph_text = folded_paragraph

    def leave_sentence(self, folded_sentence: str, mentions, geos, p: int) -> None:
        stated = [m.period for m in mentions if m.role == "report" and m.period]
        if stated:
            self.paragraph_period = stated[-1]
        if self._paragraph_text.rstrip().endswith(":"):
            self.lead_in_period = self.paragraph_period
            lead_in = folded_sentence.rstrip()
            self.lead_in_target = lead_in.endswith(":") and attr.is_target(lead_in, len(lead_in))
            self.lead_in_due = _due_year(mentions) if self.lead_in_target else None
        # a list run into one paragraph: "Mục tiêu đến hết năm 2025: - 100% … . - 80% …"
        if inline := _INLINE_LIST_RE.search(folded_sentence):
            self.inline_list_target = attr.is_target(folded_sentence, inline.start() + 1)
            self.inline_list_due = _due_year([m for m in mentions if m.end <= inline.start()]) \
                if self.inline_list_target else None
        elif not _LIST_ITEM_RE.match(folded_sentence):
            self.inline_list_target, self.inline_list_due = False, None
        if p == 0 and self.has_title:
            geos = [g for g in geos[:1] if _TITLE_SUBJECT_RE.fullmatch(folded_sentence, 0, g[0])]
        # What the text switches to: a place outside brackets ("(áp dụng trước ở Đà Nẵng)"
        # is an aside), and not one of an enumeration of provinces (a comparison).
        geos = [g for g in geos if not _in_brackets(folded_sentence, g[0])]
        if len({g for _, _, g in geos if g != attr.NATIONAL}) > 1:
            return
        # "Tại Hậu Giang, …" or a province as the sentence's subject switches the text until
        # it switches again; a place named later in a sentence ("như Quảng Ninh là 21 giờ")
        # speaks for its own sentence only. The title and opening set the article's place.
        if geos and (p == 0 or _is_subject(folded_sentence, geos[0][0])):
            self.geography_now = geos[-1][2]
            self.geography_from_opening = p == 0

    def period(self, mentions, n: Number, kind: str, fallback) -> tuple[str | None, str | None]:
        m = attr.choose_period(mentions, n.start, kind)
        if kind == "target":
            if m is not None:
                return (m.period[:4], "due_year") if m.role == "due" or "-H" not in m.period else (m.period, "explicit")
            if due := self.list_due or self.inline_list_due:  # an item of "Mục tiêu đến hết năm 2025: - …"
                return due, "due_year"
            return fallback
        if m is not None:
            return m.period, "explicit"
        carried = self.paragraph_period or self.list_period
        if carried:
            return carried, "explicit"
        return fallback

    def geography(self, geos, n: Number, folded_sentence: str) -> tuple[str, str]:
        g = attr.nearest_geography(geos, n.start, n.end, folded_sentence)
        if g:
            return g, "sentence"
        if self.geography_now:
            return self.geography_now, "article" if self.geography_from_opening else "carried"
        if self.article_province:
            return self.article_province, "article"
        return attr.NATIONAL, "default"


def _confidence(name_distance: int, geo_basis: str, period_basis: str | None, n: Number) -> float:
    """1.0 for a figure whose cues, geography and period are all in its own sentence and
    close to it; less for each thing inferred from further away."""
    c = 1.0 - min(0.3, name_distance / 300)
    if geo_basis != "sentence":
        c -= 0.1
    if period_basis not in ("explicit", "due_year"):
        c -= 0.1
    if n.is_word:
        c -= 0.05
    return round(max(0.05, c), 3)


def _header(ct: CleanText) -> dict:
    """Title, source site and author from the page's first and last lines."""
    first = ct.text[slice(*ct.paragraphs[0])]
    title = first if len(ct.paragraphs) > 1 and len(first) <= 200 and first[-1] not in ".:;!?" \
        and not _SOURCE_RE.match(first) else None
    site = next((m.group("site").strip() for s, e in ct.paragraphs[:2]
                 if (m := _SOURCE_RE.match(ct.text[s:e]))), None)
    author = None
    for s, e in reversed(ct.paragraphs):
        if m := _AUTHOR_RE.match(ct.text[s:e]):
            author = m.group("name").strip()
            break
    if author is None and len(ct.paragraphs) > 2:
        last = ct.text[slice(*ct.paragraphs[-1])]
        if len(last) <= 60 and _BYLINE_RE.match(last):
            author = last
    return {"title": title, "source_site": site, "author": author}


def extract_batch(items: Iterable[Article], calendar: str = "decree09"
                  ) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple[str, str]]]:
    """Articles -> (articles, records, errors).

    An article that fails is reported in `errors` as (file, reason) and logged; the
    rest of the batch is still extracted."""
    articles, records, errors = [], [], []
    for item in items:
        file, doc, sha, file_date = item.file, item.document, item.content_sha256, item.file_date
        if isinstance(doc, str):
            doc = Document(text=doc)
        try:
            ex = extract_article(doc.text, file=file, content_sha256=sha, file_date=file_date,
                                 published=doc.published, title=doc.title, calendar=calendar)
        except ExtractionError as e:
            log.warning("not extracted: %s", e)
            errors.append((file, e.reason))
            continue
        except Exception as e:  # a bug on one article must not lose the batch; it is reported
            log.exception("extraction failed for %s", file)
            errors.append((file, f"unexpected {type(e).__name__}: {e}"))
            continue
        if doc.page_starts:  # a PDF: each record's page, from its paragraph
            pages = paragraph_pages(doc, ex.article["text"].split("\n\n"))
            for r in ex.records:
                r["page"] = pages[r["paragraph"] - 1]
        articles.append(ex.article)
        records.extend(ex.records)
    return articles_frame(articles), records_frame(records), errors
