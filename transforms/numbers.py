"""Vietnamese number grammar: which figures in a sentence can be facts, and their values.

Conventions (shared/spec/domain.md): thousands with "." (1.327), decimals with ","
(2,34; 15,7%), "06" is 6, scale words nghìn/ngàn/triệu/tỷ/tỉ, number words, "x/y" is x
out of y. Dates, years, document numbers, programme names, ordinals and list markers are
not facts (metrics.md) and never leave `find_numbers`. Whether a remaining figure is a
fact is decided by the catalog's cues in transforms.extract, not here.

All functions take the sentence in the extractor's folded form (lower case, see
`fold`), whose offsets equal the original's.
"""
import math
import re
from dataclasses import dataclass

# Old and new tone placement ("hoà"/"hòa", "thuỷ"/"thủy") fold to one spelling; every
# replacement keeps the string's length so offsets survive.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
# Only an open syllable moves its tone ("hoà", not "hoàng"); after q the u belongs to
# the consonant ("quý").
_TONE_RE = re.compile("|".join(f"(?<!q){p}(?!\\w)" if p[0] == "u" else f"{p}(?!\\w)" for p in _TONE_PAIRS))


def fold(text: str) -> str:
    """Lower case with one tone placement; same length as `text` (NFC input)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters (e.g. 'İ') lower to two; keep offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], low)


_DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
           "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
# Words that are numbers only inside a longer numeral ("hai mươi mốt", "một trăm"):
# alone they are an article, a year word, "tư" of "đầu tư", ...
_ONLY_IN_COMPOUNDS = {"không", "một", "mốt", "năm", "lăm", "tư", "linh", "lẻ", "trăm", "mươi"}
# Number words that may stand alone as a figure ("tăng hai hạng", "ba đơn vị").
_PLAIN_WORDS = frozenset({"hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười"})
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
MAX_VALUE = 1e18  # anything larger is a digit string, not a reported figure

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}\.\d{1,2}(?=\s*%)|\d{1,15}(?:,\d+)?"
_WORD = r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|linh|lẻ)"
NUMBER_RE = re.compile(
    rf"(?<![\w.,/])(?:(?P<num>{_NUM})(?:\s*/\s*(?P<total>{_NUM}))?"
    rf"|(?P<words>{_WORD}(?:\s+{_WORD})*))(?![\w])(?![.,/]\d)"
    r"(?P<suffix>\s*(?:%|phần trăm(?!\w))|(?:\s+(?:nghìn|ngàn)(?!\w))?(?:\s+(?:triệu|tỷ|tỉ)(?!\w))?"
    r"(?:\s+(?:đồng|vnđ|vnd)(?!\w))?)")

# What precedes a figure (matched against the text just before it, right-anchored).
_QUALIFIER_BEFORE = (
    ("more_than", re.compile(r"(?<!\w)(?:hơn|trên|vượt|vượt quá|lớn hơn)\s*$")),
    ("about", re.compile(r"(?<!\w)(?:khoảng|gần|xấp xỉ|ước|ước đạt|ước tính|chừng|tầm)\s*$")),
    ("at_least", re.compile(r"(?<!\w)(?:ít nhất|tối thiểu|từ|ít nhất là|tối thiểu là)\s*$")),
    ("at_most", re.compile(r"(?<!\w)(?:tối đa|không quá|không vượt quá|dưới|tối đa là)\s*$")),
)
_AT_LEAST_AFTER = re.compile(r"^\s*trở lên")
_FROM_BEFORE = re.compile(r"\btừ\s*$")
_FROM_TO_AFTER = re.compile(r"^(?!\s*trở lên)[^\d;]{0,30}?\s(?:lên|xuống|thành)\s")  # "từ 1,8 triệu lên 2,34 triệu"
_RANK_BEFORE = re.compile(r"(?<!\w)(?:xếp thứ|đứng thứ|xếp hạng|xếp vị trí(?: thứ)?|vị trí thứ|thứ hạng|hạng)\s*$")
_PLACES_BEFORE = re.compile(r"(?<!\w)(?P<dir>tăng|giảm|tụt|thăng|lên|xuống)(?:\s+(?:thêm|được|lên))?\s*$")
_PLACES_AFTER = re.compile(r"^\s*(?:bậc|hạng|vị trí|bậc)\b")
_DOWN_WORDS = ("giảm", "tụt", "xuống")

# Figures that are names, dates or positions rather than quantities.
_NOT_FACT_BEFORE = re.compile(
    r"(?:[^\W\d_]-|(?<!tổng )(?<!con )\bsố|\bthứ|\bngày|\btháng|\bquý|\bnăm|\bsáng|\bchiều|\btrưa|\btối|\bđêm|\bhôm|\bkhóa|\bkhoá|"
    r"\bđề án|\bchương trình(?: hành động)?|\bkế hoạch|\bquyết định|\bnghị quyết|\bnghị định|"
    r"\bthông tư|\bchỉ thị|\bcông văn|\bcông điện|\bluật|\bđiều|\bkhoản|\bmục|\bphụ lục|\bqđ|\bnq|"
    r"\bmức|\bmức độ|\bcấp độ|\bgiai đoạn|\bnhiệm kỳ|\bphiên|\blần|\bcovid|\bcovid-|\bhotline|"
    r"\bđiện thoại|\bđt|\bfax|\bzalo|\bphòng|\btầng|\bđường|\bquốc lộ)\s*[:.]?\s*$")
_NOT_FACT_AFTER = re.compile(r"^(?:\s*(?:tháng|năm|ngày|giờ|tuần|quý|phút|giây|tuổi|lần)\b|\s+\d)")
# "76/NQ-CP", "09-CTr/TU", "19-10": a bare number glued to more code or date ("đồng/tháng" is fine).
_CODE_AFTER = re.compile(r"^[/-]\s*[^\W\d_]|^[/-]\d")
# "1." or "1)" opening a sentence, "1)" after a colon; "(1)" is handled on its own.
_LIST_MARKER_BEFORE = re.compile(r"^\s*[-–+•]?\s*$|[:;]\s*$")
_LIST_MARKER_AFTER = re.compile(r"^[.)](?!\d)")
_DIGIT_SPACE_BEFORE = re.compile(r"\d\s+$")

_QUAL_WINDOW = 24


@dataclass(frozen=True)
class Number:
    start: int          # offsets of the figure as written (value_text) in the sentence
    end: int
    value: float
    total: float | None
    unit: str           # count / percent / vnd / rank / places
    qualifier: str      # exact / more_than / about / at_least / at_most
    is_word: bool = False


def parse_decimal(text: str) -> float | None:
    """'1.327' -> 1327, '2,34' -> 2.34, '06' -> 6; None for anything else or too large."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}\.\d{1,2}", t):
        pass  # "85.5" before "%": a decimal point
    elif re.fullmatch(r"\d+(?:,\d+)?", t):
        t = t.replace(",", ".")
    else:
        return None
    value = float(t)
    return value if math.isfinite(value) and value <= MAX_VALUE else None


def parse_words(text: str) -> float | None:
    """Vietnamese number words: 'hai' 2, 'mười hai' 12, 'hai mươi lăm' 25, 'một trăm' 100."""
    words = text.split()
    if not words or (len(words) == 1 and words[0] in _ONLY_IN_COMPOUNDS):
        return None
    hundreds = 0
    if len(words) >= 2 and words[1] == "trăm":
        d = _DIGITS.get(words[0])
        if not d or words[0] in ("mốt", "lăm", "tư"):
            return None
        hundreds, words = d * 100, words[2:]
        if words and words[0] in ("linh", "lẻ"):  # "một trăm linh năm" = 105
            if len(words) != 2 or not _DIGITS.get(words[1]):
                return None
            return float(hundreds + _DIGITS[words[1]])
    rest = _below_hundred(words)
    return None if rest is None else float(hundreds + rest)


def _below_hundred(words: list[str]) -> int | None:
    if not words:
        return 0
    if words[0] == "mười":
        tens, units = 10, words[1:]
    elif len(words) >= 2 and words[1] == "mươi":
        d = _DIGITS.get(words[0])
        if d is None or d < 2 or words[0] in ("lăm", "mốt", "tư"):
            return None
        tens, units = d * 10, words[2:]
    else:
        tens, units = 0, words
    if not units:
        return tens
    if len(units) != 1 or not _DIGITS.get(units[0]):
        return None
    w = units[0]
    if (not tens and w in ("mốt", "lăm", "tư")) or (w == "mốt" and tens < 20) or (tens and w == "năm"):
        return None  # "mốt", "lăm", "tư" only follow tens; "mười năm" is "ten years"
    return tens + _DIGITS[w]


def parse_number(text: str) -> tuple[float, float | None] | None:
    """A whole figure as written: value and total ('400/991' -> (400, 991), '2,34 triệu
    đồng' -> (2340000, None), '15,7%' -> (15.7, None)); None if it is not a figure."""
    m = NUMBER_RE.fullmatch(fold(text.strip()))
    if not m:
        return None
    return _value(m)


def _value(m: re.Match) -> tuple[float, float | None] | None:
    if m.group("words"):
        value = parse_words(m.group("words"))
        total = None
    else:
        value = parse_decimal(m.group("num"))
        total = parse_decimal(m.group("total")) if m.group("total") else None
        if m.group("total") and total is None:
            return None
    if value is None:
        return None
    for word, factor in _SCALES.items():
        if re.search(rf"\b{word}\b", m.group("suffix")):
            value *= factor
    return (value, total) if value <= MAX_VALUE else None


def _is_year(m: re.Match) -> bool:
    n = m.group("num")
    return bool(n) and len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2100 and not m.group("total")


def find_numbers(sentence: str) -> list[Number]:
    """The figures in a folded sentence that may be facts, in order of appearance."""
    out = []
    for m in NUMBER_RE.finditer(sentence):
        start, end = m.start(), m.end()
        before = sentence[max(0, start - _QUAL_WINDOW * 2):start]
        after = sentence[end:end + 40]
        is_word = m.group("words") is not None
        if m.group("num") and m.group("num").startswith("0") and len(m.group("num")) > 2:
            continue  # phone numbers, codes
        rank = _RANK_BEFORE.search(before)
        if _is_year(m) or (not rank and _NOT_FACT_BEFORE.search(before)) or _NOT_FACT_AFTER.match(after):
            continue
        if not m.group("suffix").strip() and _CODE_AFTER.match(after):
            continue
        if _DIGIT_SPACE_BEFORE.search(before):
            continue  # digit groups separated by spaces: a phone number
        if m.group("num") and not m.group("total") and not m.group("suffix").strip() and (
                (_LIST_MARKER_BEFORE.search(before) and _LIST_MARKER_AFTER.match(after))
                or (before.endswith("(") and after.startswith(")"))):
            continue  # list markers "1.", "1)", "(1)"
        parsed = _value(m)
        if parsed is None:
            continue
        value, total = parsed
        suffix = m.group("suffix")
        if "%" in suffix or "phần trăm" in suffix:
            unit = "percent"
        elif re.search(r"đồng|vnđ|vnd", suffix):
            unit = "vnd"
        elif rank:
            unit = "rank"
        elif (pm := _PLACES_BEFORE.search(before)) and _PLACES_AFTER.match(after):
            unit = "places"
            if pm.group("dir") in _DOWN_WORDS:
                value = -value
        else:
            unit = "count"
        if is_word and unit != "places" and not (" " in m.group("words") or m.group("words") in _PLAIN_WORDS):
            continue
        if _FROM_BEFORE.search(before) and _FROM_TO_AFTER.match(after):
            continue  # the old value of "từ X lên Y"
        qualifier = "exact"
        if _AT_LEAST_AFTER.match(after):
            qualifier = "at_least"
        else:
            for name, rx in _QUALIFIER_BEFORE:
                if rx.search(before[-_QUAL_WINDOW:]):
                    qualifier = name
                    break
        # value_text: the number (with its "/total") and its unit word.
        text_end = end if suffix.strip() else m.end("total") if m.group("total") else m.end("num") if m.group("num") else m.end("words")
        out.append(Number(start, text_end, value, total, unit, qualifier, is_word))
    return out
