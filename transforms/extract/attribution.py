"""Which period and which geography a figure belongs to, and whether it is a target.

Periods: a phrase in the figure's own sentence ("6 tháng đầu năm 2024", "năm 2021",
"quý I/2023", "tính đến 30/6/2024", "năm qua"), else one carried from its paragraph or
from the sentence that introduced a list, else the article's report period, else the
half-year of the article's date, else of the file's date. Half-year windows come from
transforms.extract.periods only. Geography: a province (or "cả nước") named in the sentence,
else the last one the text switched to, else the one the article opens with, else VN.

All functions take folded text (transforms.extract.numbers.fold).
"""
import re
from dataclasses import dataclass
from datetime import date

from transforms.extract.periods import half_of
from transforms.extract.places import find_provinces

NATIONAL = "VN"

_YEAR = r"(?:19|20)\d\d"
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "những năm qua", "5 năm trước", "các năm trước": several years, not the year before
# (look-behinds from the position after "năm ", so the branch still opens with a literal)
_NOT_PLURAL = "".join(rf"(?<!{w} năm )" for w in ("những", "nhiều", "các", "mấy", "vài", "hai", "ba", "bốn", "mười",
                                                   r"[2-9]", r"\d\d"))
# Every branch opens with a literal character (a look-behind, if any, comes after it), so
# the regex engine skips to the positions where a phrase can start: five times faster
# than one opening with a group or a look-behind. Hence one branch per spelling of a
# half-year ("6 tháng", "sáu tháng", "những tháng"), read together by `_half_year`.
PERIOD_RE = re.compile(
    r"6(?<!\d6) tháng (?P<which>đầu|cuối) năm(?: nay)?(?:\s+(?P<year>" + _YEAR + r"))?"
    r"|sáu(?<!\dsáu) tháng (?P<which_w>đầu|cuối) năm(?: nay)?(?:\s+(?P<year_w>" + _YEAR + r"))?"
    r"|những tháng (?P<which2>đầu|cuối) năm(?:\s+(?P<year2>" + _YEAR + r"))?"
    r"|quý (?P<quarter>iv|iii|ii|i|[1-4])(?:\s*/\s*|\s+năm\s+)(?P<qyear>" + _YEAR + r")"
    r"|tính đến (?:hết )?(?:ngày )?(?P<cd>\d{1,2})/(?P<cm>\d{1,2})/(?P<cy>" + _YEAR + r")"
    r"|năm (?:(?P<relative>" + _NOT_PLURAL + r"(?:qua|trước|ngoái|nay))|(?P<plainyear>" + _YEAR + r")(?!\s*[-–]\s*\d))")
# Phrases of real articles (real-text-patterns 11), each in a regex of its own that opens
# with a literal (fast to scan for) and runs only on sentences holding its word; in PERIOD_RE
# their common first letters would slow every sentence.
# (Look-behinds follow each branch's first letter, as in PERIOD_RE.)
_NOW_RE = re.compile(r"(?:(?:đ(?<!\wđ)ến|t(?<!\wt)ới) (?:nay|thời điểm (?:này|hiện tại))|h(?<!\wh)iện (?:nay|tại)"
                     r"|thời điểm hiện tại)(?!\w)")  # the half-year the article was written in (v2)
# "tháng 3/2023", "tháng 3 năm 2023"; a bare "tháng 1" is a month of the article's year, up to
# the article's own month, but not after a day ("ngày 3 tháng 2", the street "3 Tháng 2")
_MONTH_RE = re.compile(r"tháng (?P<mm>\d{1,2})(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<my>" + _YEAR + r")"
                       r"|(?!\d)(?!\s*[/-]\s*\d)(?<!\d tháng \d)(?<!\d tháng \d\d))")
_HALF_WORD_RE = re.compile(r"nửa (?:đầu )?năm(?: nay)?(?:\s+(?P<nyear>" + _YEAR + r"))?")  # "nửa đầu năm 2017"
# "10 tháng năm 2024", "4 tháng đầu năm": up to 6 months is the first half, else the year
_MONTHS_RE = re.compile(r"tháng (?:đầu )?năm(?: nay|\s+(?P<nmyear>" + _YEAR + r"))?")
_MONTHS_COUNT_BEFORE = re.compile(r"(?<![\d.,/])(\d{1,2}) $")
# "GRDP 6 tháng ước đạt …", "trong 4 tháng có …", "6 tháng qua": the first months of the
# year without "năm"; a duration ("sau 6 tháng", "trong vòng 6 tháng") is no period.
_MONTHS_BARE_RE = re.compile(r"(?P<bn>\d(?<![\d.,/]\d)(?<!sau \d)(?<!vòng \d)(?<!mỗi \d)(?<!hạn \d)(?<!gian \d)"
                             r"(?<!hơn \d)(?<!gần \d)\d?) tháng (?=(?:vừa qua|qua|ước|tăng|giảm|đạt|có)(?!\w))")
# What a period phrase is, judged by the words right before it.
_PLAN_BEFORE = re.compile(r"(?:phương hướng|kế hoạch|chương trình công tác|nhiệm vụ trọng tâm|nhiệm vụ,? giải pháp)"
                          r"[^.;]{0,25}$")
# "nhiệm vụ 6 tháng cuối năm" is the work ahead; "kết quả thực hiện nhiệm vụ 6 tháng đầu năm" is a report.
_LATER_PLAN_BEFORE = re.compile(r"nhiệm vụ[^.;]{0,25}$")
# "so với năm 2016", "(cùng kỳ năm trước tăng 7,34%)": the base a figure is compared with.
# "so với" reaches over a named base in its clause: "so với kế hoạch dự trữ hàng hóa Tết năm 2016".
_COMPARISON_BEFORE = re.compile(r"(?:so với[^.,;()]{0,40}|(?:so cùng kỳ|hơn)[^.;()]{0,12})$|cùng kỳ\s*$")
_SPAN_START_BEFORE = re.compile(r"(?<!\w)từ\s+$")
_DUE_BEFORE = re.compile(r"(?:đến|tới|trước|chậm nhất)\s+$")

# Goal words; "vượt mục tiêu" / "hoàn thành chỉ tiêu" report a result instead. Every branch
# opens with a literal letter and tests what comes before it after that letter ("s(?<!\ws)ẽ"
# is a whole-word "sẽ"): four times faster than look-behinds first, since the regex engine
# then skips ahead to the letters that can start a branch.
_TARGET_RE = re.compile(
    r"m(?<!vượt m)(?<!hoàn thành m)ục tiêu|c(?<!vượt c)(?<!hoàn thành c)hỉ tiêu|k(?<!vượt k)(?<!hoàn thành k)ế hoạch "
    r"(?:đề ra|năm)|phấn đấu|dự kiến|"
    r"(?:lên|có) kế hoạch|"  # "đã lên kế hoạch để bãi bỏ 15 thủ tục": planned, not done
    r"định hướng|hướng tới|s(?<!\ws)ẽ\b|c(?<!\wc)ần đạt|p(?<!\wp)hải đạt|đ(?<!\wđ)ặt ra|đến (?:hết )?năm (?P<due>(?:19|20)\d\d)|"
    # a list of what is to be done ("Danh mục gồm 707 thủ tục"), a purpose ("Nhằm chuẩn bị
    # đưa 150 dịch vụ …"), an assignment ("giao 250 nhiệm vụ"): plans (pattern 10)
    r"[;:,]\s*danh (?:mục|sách)|d(?<=^d)anh (?:mục|sách)|n(?<!\wn)hằm\b(?=[^,;]{0,40}$)"
    r"|g(?<!bàn g)(?<!được g)(?<!\wg)iao(?=\s*$)")
# The literal core of every _TARGET_RE branch: when none occurs, the regex cannot match.
# Opening with literals, this scans several times faster than _TARGET_RE's look-behinds.
_TARGET_WORDS_RE = re.compile("mục tiêu|chỉ tiêu|kế hoạch|phấn đấu|dự kiến|định hướng|hướng tới|sẽ|cần đạt|"
                              "phải đạt|đặt ra|năm|danh mục|danh sách|nhằm|giao")
_TARGET_REACH = 300  # characters back from a figure that a target word can govern it
_ACTUAL_AFTER_TARGET_RE = re.compile(r"\bđã\b|\bđạt được\b|\bvượt\b")

_ARTICLE_DATE_RE = re.compile(
    r"(?:(?:^|[\s(,])(?:sáng|chiều|tối|trưa|đêm)(?:\s+ngày)?|(?:^|[\s(,])(?<!\d )ngày|^\()\s*"
    r"(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y>(?:19|20)\d\d))?(?![\d/])")
_NOT_ARTICLE_DATE_BEFORE = re.compile(r"(?:/[^\W\d_][\w-]*|\btừ|\bđến|\btrước)\s*$")
_DEADLINE_RE = re.compile(
    r"(?:chậm nhất|trước|đến hết|hoàn thành trong)\s+(?:đến\s+|ngày\s+)?(?:quý\s+(?P<q>iv|iii|ii|i)|tháng\s+(?P<m>\d{1,2}))"
    r"\s*(?:/|năm)\s*(?P<y>(?:19|20)\d\d)")
# The look-behind follows the first digit so that the engine can skip to digits.
_FULL_DATE_RE = re.compile(r"\d(?<![\d/]\d)\d?/\d{1,2}/(?P<y>(?:19|20)\d\d)(?![\d/])")
# What every _ARTICLE_DATE_RE match contains: a cheap test for paragraphs without one.
_DAY_MONTH_RE = re.compile(r"\d\s*[/-]\s*\d")

_NATIONAL_RE = re.compile(r"(?<!\w)(?:cả nước|toàn quốc|việt nam)(?!\w)")
# "đứng thứ 7 cả nước", "cao nhất toàn quốc", "trong cả nước": the field compared against.
_COMPARED_WITH_BEFORE = re.compile(r"(?:thứ \w+|nhất|đầu|trong|so với|hơn|bằng)\s+$")
# A province named as a video-conference end point ("điểm cầu Bình Định") is where
# people sat, not what the figures are about; likewise a district's own name.
_NOT_GEOGRAPHY_BEFORE = re.compile(r"(?:điểm cầu(?: tỉnh| thành phố)?|huyện|xã|thị xã|quận|phường|thị trấn)\s+$")
# A dateline ("Hà Nội, ngày 28/12/2023 -") names where the article was filed.
_DATELINE_AFTER = re.compile(r"\s*,?\s*(?:ngày\s*)?\d{1,2}\s*/\s*\d{1,2}")


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    period: str | None   # "2024-H1", "2021"; None when a relative phrase has no article year
    role: str            # report / plan / comparison / since / due


def period_mentions(folded: str, article_year: int | None = None, calendar: str = "decree09",
                    now_half: str | None = None, report_year: int | None = None,
                    article_month: int | None = None) -> list[PeriodMention]:
    """Period phrases of a sentence with their role; `now_half` is what "đến nay",
    "hiện nay" mean (the half-year of the article's date), `report_year` the year of the
    period the article reports on, which "6 tháng" without a year counts in, `article_month`
    the month of the article's date, which places a month written without a year."""
    found = list(PERIOD_RE.finditer(folded)) if "năm" in folded or "quý" in folded or "tính đến" in folded else []
    found += _extra_matches(folded)
    if not found:
        return []  # every phrase has one of a few words; most sentences have none
    # as one regex would: the leftmost phrase, the longest at a position, no overlaps
    found.sort(key=lambda m: (m.start(), -m.end()))
    found = [m for i, m in enumerate(found) if not any(o.end() > m.start() for o in found[:i])]
    out = []
    for m in found:
        before = folded[max(0, m.start() - 40):m.start()]
        extra = m.re is not PERIOD_RE
        if m.re is _NOW_RE:
            if now_half:
                out.append(PeriodMention(m.start(), m.end(), now_half, "report"))
            continue
        period = _extra_period_of(m, report_year if m.re is _MONTHS_BARE_RE and report_year else article_year,
                                  article_month) \
            if extra else _period_of(m, article_year, calendar)
        if _COMPARISON_BEFORE.search(before):
            role = "comparison"
        elif _SPAN_START_BEFORE.search(before):
            role = "since"  # "từ tháng 1/2016 đến ngày 10/5/2017": a span is reported at its end
        elif not extra and (half := _half_year(m)) and (_PLAN_BEFORE.search(before) or (
                half[0] == "cuối" and _LATER_PLAN_BEFORE.search(before))):
            role = "plan"
        elif (not extra and _DUE_BEFORE.search(before[-12:]) and (year := m.group("plainyear") or m.group("qyear"))
              and not (int(year) < article_year if article_year else _span_end(folded, m.start(), int(year)))) \
                or is_target(folded, m.start(), article_year):
            role = "due"  # "đến năm 2025", "dự kiến trong năm 2024": when a goal is due
        else:
            role = "report"
        out.append(PeriodMention(m.start(), m.end(), period, role))
    return out


def _half_year(m: re.Match) -> tuple[str, str | None] | None:
    """("đầu" or "cuối", the year if written) for a half-year phrase, else None."""
    for which, year in (("which", "year"), ("which_w", "year_w"), ("which2", "year2")):
        if m.group(which):
            return m.group(which), m.group(year)
    return None


def _period_of(m: re.Match, article_year: int | None, calendar: str) -> str | None:
    if half := _half_year(m):
        which, year = half
        year = int(year) if year else article_year
        return f"{year}-H{1 if which == 'đầu' else 2}" if year else None
    if m.group("quarter"):
        q = _ROMAN_QUARTER[m.group("quarter")]
        return f"{m.group('qyear')}-H{1 if q <= 2 else 2}"
    if m.group("cd"):
        day = _safe_date(int(m.group("cy")), int(m.group("cm")), int(m.group("cd")))
        if day is None:
            return None
        # A cut-off at the end of a calendar half ("tính đến 30/6") names that half.
        if (day.month, day.day) in ((6, 30), (12, 31)):
            return f"{day.year}-H{1 if day.month == 6 else 2}"
        return str(half_of(day, calendar))
    if m.group("relative"):
        if article_year is None:
            return None
        return str(article_year if m.group("relative") == "nay" else article_year - 1)
    return m.group("plainyear")


def _extra_matches(folded: str) -> list[re.Match]:
    """Matches of the real-text period phrases, each regex run only where its word occurs."""
    out = []
    if "nay" in folded or "hiện tại" in folded or "thời điểm" in folded:
        out += _NOW_RE.finditer(folded)
    if "tháng" in folded:
        out += _MONTH_RE.finditer(folded)
        out += (m for m in _MONTHS_RE.finditer(folded)
                if _MONTHS_COUNT_BEFORE.search(folded, max(0, m.start() - 4), m.start()))
        out += _MONTHS_BARE_RE.finditer(folded)
    if "nửa" in folded:
        out += _HALF_WORD_RE.finditer(folded)
    return out


def _extra_period_of(m: re.Match, article_year: int | None, article_month: int | None = None) -> str | None:
    """The period of a real-text phrase other than "đến nay"."""
    if m.re is _MONTH_RE:
        month = int(m.group("mm"))
        # a bare month later than the article's may be the year before ("tháng 12" in January)
        # or one ahead ("Trong tháng 10, các bộ sẽ …" in September): it names no period
        year = m.group("my") or (article_year if article_month and month <= article_month else None)
        return f"{year}-H{1 if month <= 6 else 2}" if year and 1 <= month <= 12 else None
    if m.re is _MONTHS_BARE_RE:
        months = int(m.group("bn"))
        return None if not article_year or not 1 <= months <= 12 else \
            f"{article_year}-H1" if months <= 6 else str(article_year)
    if m.re is _MONTHS_RE:
        year = m.group("nmyear") or article_year
        months = int(_MONTHS_COUNT_BEFORE.search(m.string, max(0, m.start() - 4), m.start()).group(1))
        return None if not year or not 1 <= months <= 12 else f"{year}-H1" if months <= 6 else str(year)
    year = m.group("nyear") or article_year  # "nửa (đầu) năm"
    return f"{year}-H1" if year else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_EARLIER_YEAR_RE = re.compile(r"năm ((?:19|20)\d\d)")


def _span_end(folded: str, pos: int, year: int) -> bool:
    """Whether "đến năm <year>" at `pos` ends a span the sentence opened with an earlier year
    ("năm 2011 cả nước có …, đến năm 2016 giảm 534"): what it means while the article's own
    year is still unknown (inferring it), since then a past year cannot be told from a due one."""
    return any(int(y) < year for y in _EARLIER_YEAR_RE.findall(folded, max(0, pos - 200), pos))


def is_target(folded_sentence: str, pos: int, article_year: int | None = None) -> bool:
    """Whether the figure at `pos` is a goal: a target word earlier in its clause and no
    "đã" (done) between that word and the figure. "đến năm 2016" in an article of 2017 is
    a past cut-off, not a due year."""
    window = max(0, pos - _TARGET_REACH)
    clause_start = folded_sentence.rfind(";", window, pos) + 1 or window
    left = folded_sentence[clause_start:pos]
    if not _TARGET_WORDS_RE.search(left):
        return False
    last = None
    for m in _TARGET_RE.finditer(left):
        due = m.group("due") and int(m.group("due"))
        if not (due and (due < article_year if article_year else _span_end(left, m.start(), due))):
            last = m
    if last is None:
        return False
    return not _ACTUAL_AFTER_TARGET_RE.search(left, last.end())


def choose_period(mentions: list[PeriodMention], pos: int, kind: str) -> PeriodMention | None:
    """The sentence's period phrase that governs the figure at `pos`: for a target its due
    year (or any stated period), else the nearest report phrase, preferring one before."""
    wanted = ("due", "report") if kind == "target" else ("report",)
    for role in wanted:
        before = after = None
        for m in mentions:  # in text order; few per sentence
            if m.role != role or not m.period:
                continue
            if m.end <= pos:
                before = m
            elif after is None:
                after = m
            if m.start > pos and after is not None and before is not None:
                break
        if before or after:
            return before or after
    return None


@dataclass(frozen=True)
class ArticleDate:
    day: date | None
    basis: str  # text / file_metadata / none


def article_date(folded_paragraphs: list[str], file_date: date | None) -> ArticleDate:
    """The article's date from its opening paragraphs ("Sáng 19/10", "Ngày 5/7/2024, ..."),
    the year inferred from the text when not written, else the file's date."""
    whole = "\n".join(folded_paragraphs)
    for para in folded_paragraphs[:4]:
        if not _DAY_MONTH_RE.search(para):
            continue
        for m in _ARTICLE_DATE_RE.finditer(para):
            if _NOT_ARTICLE_DATE_BEFORE.search(para, max(0, m.start() - 30), m.start() + 1):
                continue  # the date of a cited document, or when something takes effect
            year = int(m.group("y")) if m.group("y") else _dateline_year(
                int(m.group("m")), int(m.group("d")), infer_year(whole, file_date), file_date, whole)
            day = _safe_date(year, int(m.group("m")), int(m.group("d"))) if year else None
            if day:
                return ArticleDate(day, "text")
    if file_date:
        return ArticleDate(file_date, "file_metadata")
    return ArticleDate(None, "none")


def _dateline_year(month: int, day: int, text_year: int | None, file_date: date | None,
                   folded_text: str) -> int | None:
    """The year of a dateline written without one ("Ngày 15/5, …"): the one that puts the
    day nearest the file's date (a page is saved around when it is published), unless every
    year the text reports on is older than that (an old article saved much later)."""
    if file_date is None:
        return text_year
    candidates = [y for y in (file_date.year - 1, file_date.year, file_date.year + 1) if _safe_date(y, month, day)]
    if not candidates:
        return text_year
    nearest = min(candidates, key=lambda y: abs((_safe_date(y, month, day) - file_date).days))
    reported = [y for y in _reported_years(folded_text) if y <= nearest]
    return nearest if not reported or max(reported) >= nearest - 1 else text_year


def infer_year(folded_text: str, file_date: date | None = None) -> int | None:
    """The article's year when its date omits it: a deadline early next year ("chậm nhất
    đến quý I/2023") puts it the year before; else the latest reported period or date;
    else the file's year."""
    if m := _DEADLINE_RE.search(folded_text):
        year = int(m.group("y"))
        early = m.group("q") == "i" or (m.group("m") and int(m.group("m")) <= 3)
        return year - 1 if early else year
    if years := _reported_years(folded_text):
        return max(years)
    return file_date.year if file_date else None


def _reported_years(folded_text: str) -> list[int]:
    """The years a text reports on or dates things in (not the years goals are due)."""
    years = [int(p.period[:4]) for p in period_mentions(folded_text) if p.role == "report" and p.period]
    return years + [int(m.group("y")) for m in _FULL_DATE_RE.finditer(folded_text)]


# The phrases that name a reported half-year, quarter or cut-off ("6 tháng đầu năm 2024",
# "quý II/2024", "tính đến 30/6/2024").
_REPORTED_HALF_WORDS = ("6 tháng", "sáu tháng", "những tháng", "nửa", "quý", "tính đến")


def report_period(folded_paragraphs: list[str], article_year: int | None, calendar: str) -> str | None:
    """The period the article reports on: a half-year its opening names ("kết quả ... 6
    tháng đầu năm 2024"; a plan "phương hướng ... 6 tháng cuối" is not one), or a year
    in its first line ("... cải cách hành chính năm 2023")."""
    for i, para in enumerate(folded_paragraphs[:4]):
        for p in period_mentions(para, article_year, calendar):
            # a month ("tháng 4/2016") dates one fact, not the article's period
            if p.role == "report" and p.period and (i == 0 or (
                    "-H" in p.period and para.startswith(_REPORTED_HALF_WORDS, p.start))):
                return p.period
    return None


def geography_mentions(text: str, folded: str) -> list[tuple[int, int, str]]:
    """(start, end, geography) for provinces and national markers that say what a
    sentence is about; conference end points and districts are left out."""
    out = [(m.start, m.end, m.province) for m in find_provinces(text, folded)
           if not _NOT_GEOGRAPHY_BEFORE.search(folded, max(0, m.start - 30), m.start)
           and not _DATELINE_AFTER.match(folded, m.end)]
    if "cả nước" in folded or "toàn quốc" in folded or "việt nam" in folded:  # _NATIONAL_RE's words
        out += [(m.start(), m.end(), NATIONAL) for m in _NATIONAL_RE.finditer(folded)
                if not _COMPARED_WITH_BEFORE.search(folded, max(0, m.start() - 20), m.start())]
    return sorted(out)


def nearest_geography(mentions: list[tuple[int, int, str]], start: int, end: int,
                      folded: str | None = None) -> str | None:
    """The geography named nearest before the figure in its sentence, else the first after
    it in its own clause: not one in a later clause or a later bracket ("đạt 51,1% dự toán
    (cao hơn mức của cả nước)" is the city's figure)."""
    before = [g for s, e, g in mentions if e <= start]
    if before:
        return before[-1]
    after = [g for s, e, g in mentions if s >= end and not (folded and _aside_after(folded, end, s))]
    return after[0] if after else None


# "… như Đồng Nai, Quảng Trị": the places after "như" are examples.
_EXAMPLES_RE = re.compile(r"(?<!\w)như\s")


def _aside_after(folded: str, end: int, pos: int) -> bool:
    """Whether `pos` lies in another clause, in a bracket opened after `end`, or is an example
    ("đạt từ 96% …, nhất là ở các địa phương như Đồng Nai")."""
    return ";" in folded[end:pos] or folded.rfind("(", end, pos) > folded.rfind(")", end, pos) \
        or _EXAMPLES_RE.search(folded, end, pos) is not None

