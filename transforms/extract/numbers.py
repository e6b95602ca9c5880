"""Vietnamese number grammar: which figures in a sentence can be facts, and their values.

Conventions (shared/spec/domain.md): thousands with "." (1.327), decimals with ","
(2,34; 15,7%), "06" is 6, scale words nghìn/ngàn/triệu/tỷ/tỉ, number words, "x/y" is x
out of y. Dates, years, document numbers, programme names, ordinals and list markers are
not facts (metrics.md) and never leave `find_numbers`. Whether a remaining figure is a
fact is decided by the catalog's cues in transforms.extract.article, not here.

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
# the consonant ("quý"). One character-class pattern finds the candidates (a 15-way
# alternation with look-behinds is several times slower over a whole article);
# `_retone` keeps only the pairs above.
_TONE_RE = re.compile(r"[ou][àáảãạèéẻẽẹỳýỷỹỵ](?!\w)")


def _retone(m: re.Match) -> str:
    pair = m.group()
    if pair[0] == "u" and m.start() and m.string[m.start() - 1] == "q":
        return pair
    return _TONE_PAIRS.get(pair, pair)


def fold(text: str) -> str:
    """Lower case with one tone placement; same length as `text` (NFC input)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters (e.g. 'İ') lower to two; keep offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _TONE_RE.sub(_retone, low)


_DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
           "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
# Words that are numbers only inside a longer numeral ("hai mươi mốt", "một trăm"):
# alone they are an article, a year word, "tư" of "đầu tư", ...
_ONLY_IN_COMPOUNDS = {"không", "một", "mốt", "năm", "lăm", "tư", "linh", "lẻ", "trăm", "mươi"}
# Number words that may stand alone as a figure ("tăng hai hạng", "ba đơn vị").
_PLAIN_WORDS = frozenset({"hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười"})
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_GROUPED_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DOT_DECIMAL_RE = re.compile(r"\d{1,3}\.\d{1,2}")
_PLAIN_RE = re.compile(r"\d+(?:,\d+)?")
_CURRENCY_RE = re.compile(r"đồng|vnđ|vnd")
MAX_VALUE = 1e18  # anything larger is a digit string, not a reported figure

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}\.\d{1,2}(?=\s*%)|\d{1,15}(?:,\d+)?"
_WORD = r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|linh|lẻ)"
NUMBER_RE = re.compile(
    rf"(?<![\w.,/-])(?:(?P<num>{_NUM})(?:\s*/\s*(?P<total>{_NUM}))?"
    rf"|(?P<words>{_WORD}(?:\s+{_WORD})*))(?![\w])(?![.,/]\d)"
    r"(?P<suffix>\s*(?:%|phần trăm(?!\w))|(?:\s+(?:nghìn|ngàn)(?!\w))?(?:\s+(?:triệu|tỷ|tỉ)(?!\w))?"
    r"(?:\s+(?:đồng|vnđ|vnd)(?!\w))?)")

# What precedes a figure is judged by its last words (up to three, with nothing but
# spaces between them and the figure): set look-ups, not regex scans, since this runs
# for every figure.
_QUALIFIER_WORDS = (
    ("more_than", frozenset({"hơn", "trên", "vượt", "vượt quá", "lớn hơn"})),
    ("about", frozenset({"khoảng", "gần", "xấp xỉ", "ước", "ước đạt", "ước tính", "chừng", "tầm"})),
    ("at_least", frozenset({"ít nhất", "tối thiểu", "từ", "ít nhất là", "tối thiểu là", "tối thiểu thứ", "ít nhất thứ"})),
    ("at_most", frozenset({"tối đa", "không quá", "không vượt quá", "dưới", "tối đa là"})),
)
_ANY_QUALIFIER = frozenset().union(*(phrases for _, phrases in _QUALIFIER_WORDS))
_RANK_WORDS = frozenset({"xếp thứ", "đứng thứ", "xếp hạng", "xếp vị trí", "xếp vị trí thứ", "vị trí thứ",
                         "thứ hạng", "hạng", "vị trí", "lên vị trí", "lên thứ", "hạng thứ", "xếp hạng thứ",
                         "từ thứ", "từ vị trí", "xuống thứ", "xuống vị trí",
                         "tối thiểu thứ", "ít nhất thứ"})  # a ranking goal: "thứ hạng tối thiểu thứ 70"
# A movement of rank: a direction word among the last words before "N bậc/hạng"
# ("tăng 9 bậc", "thăng hạng 9 bậc", "vượt 5 bậc", "tụt 3 hạng").
_PLACES_DIRECTION = {"tăng": 1, "thăng": 1, "lên": 1, "vượt": 1, "nhảy": 1, "cải thiện": 1,
                     "giảm": -1, "tụt": -1, "xuống": -1, "lùi": -1, "mất": -1}
_PLACES_FILLERS = frozenset({"thêm", "được", "lên", "hạng", "bậc"})
# "4.527 trên tổng số 4.723 thủ tục" and "850 trong số hơn 1.100 kiến nghị" are 4527 of 4723
# and 850 of 1100, written out.
_OUT_OF_RE = re.compile(r"\s+(?:(?:trên|/)\s+tổng số|trong (?:tổng )?số)\s+(?:hơn\s+|gần\s+|khoảng\s+)?"
                        r"(?P<total>\d{1,3}(?:\.\d{3})+|\d{1,15})(?![\w.,/]\d?)")
# Figures that are names, dates or positions rather than quantities.
_NOT_FACT_WORDS = frozenset({
    "thứ", "ngày", "tháng", "quý", "năm", "sáng", "chiều", "trưa", "tối", "đêm", "hôm", "khóa", "khoá", "số",
    "đề án", "chương trình", "chương trình hành động", "kế hoạch", "quyết định", "nghị quyết", "nghị định",
    "thông tư", "chỉ thị", "công văn", "công điện", "luật", "điều", "khoản", "mục", "phụ lục", "qđ", "nq",
    "mức", "mức độ", "cấp độ", "giai đoạn", "nhiệm kỳ", "phiên", "lần", "covid", "hotline", "điện thoại",
    "đt", "fax", "zalo", "phòng", "tầng", "đường", "quốc lộ",
    # units named by number: "Lữ đoàn 28 làm hồ sơ"
    "lữ đoàn", "trung đoàn", "sư đoàn", "tiểu đoàn", "đại đội", "quân đoàn", "quân khu", "khu phố", "tổ dân phố"})
_COUNT_OF_WORDS = frozenset({"tổng số", "con số"})  # "tổng số 12.345 hồ sơ" is a count
_AT_LEAST_AFTER = re.compile(r"\s*trở lên")
_FROM_TO_AFTER = re.compile(r"(?!\s*trở lên)[^\d;]{0,30}?\s(?:lên|xuống|thành)\s")  # "từ 1,8 triệu lên 2,34 triệu"
_PLACES_AFTER = re.compile(r"\s*(?:bậc|hạng|vị trí)\b")
_NOT_FACT_AFTER = re.compile(r"\s*(?:tháng|năm|ngày|giờ|tuần|quý|phút|giây|tuổi|lần)\b|\s+\d"
                             # "128 điểm di tích": places, not points
                             r"|\s+điểm\s+(?:di tích|du lịch|giao dịch|trường|cầu|bán|thi|dân cư|tham quan|đến|đỗ)\b"
                             # "hai hồ sơ này": particular items, not a statistic
                             r"|(?:\s+[^\W\d]+){1,2}\s+(?:này|đó|ấy|nọ)\b")
# "76/NQ-CP", "09-CTr/TU", "19-10": a bare number glued to more code or date ("đồng/tháng" is fine).
_CODE_AFTER = re.compile(r"[/-]\s*[^\W\d_]|[/-]\d")
# "1." or "1)" opening a sentence or following a colon; "(1)" anywhere.
_LIST_MARKER_AFTER = re.compile(r"[.)](?!\d)")
_TAIL_CHARS = 40
# "cao hơn chỉ tiêu Chính phủ giao 10%": the gap to a benchmark, not a level or a movement.
_GAP_BEFORE = re.compile(r"(?:cao|thấp|nhiều|ít) hơn (?:so với )?(?:chỉ tiêu|mục tiêu|kế hoạch|mức|bình quân|"
                         r"trung bình)[^\d,;.()]{0,30}$")

# A rank within a region ("thứ 9 trong khu vực", "Trong khu vực ASEAN, Việt Nam xếp thứ 4",
# "thứ 1 vùng Tây Nguyên") is not the rank of the index's own table (world, country).
_REGION = r"(?:khu vực|asean|đông nam á|đông á|châu á|vùng)"
_REGIONAL_AFTER = re.compile(rf"[^\d,;.()]{{0,25}}?(?<!\w){_REGION}(?!\w)")
_REGIONAL_BEFORE = re.compile(rf"(?<!\w)trong (?:các nước |số các nước )?{_REGION}(?!\w)")
_WHOLE_TABLE_AFTER = re.compile(r"[^\d,;.()]{0,25}?(?<!\w)(?:thế giới|toàn cầu|quốc gia|nền kinh tế|cả nước|toàn quốc)(?!\w)")


# Characters a figure's lead-in words are made of; anything else ends the lead-in.
_TAIL_RUN_RE = re.compile(r"(?:[^\W_]| |-)*")


def _tail_words(before: str) -> list[str]:
    """The last words before a figure, back to the nearest punctuation (a trailing ':'
    is skipped: "Hotline: 0207...")."""
    chunk = before[-_TAIL_CHARS:].rstrip()
    if chunk.endswith(":"):
        chunk = chunk[:-1].rstrip()
    run = _TAIL_RUN_RE.match(chunk[::-1]).end()  # the run that ends the chunk, read backwards
    return chunk[len(chunk) - run:].split()[-3:]


def _tail_phrases(words: list[str]) -> list[str]:
    """The last three (or fewer) words as phrases, longest first: "a b c", "b c", "c"; what
    the phrase sets below are looked up with."""
    return [" ".join(words[i:]) for i in range(len(words))]


def _places_sign(tail: list[str]) -> int:
    """+1 for "tăng", "tăng thêm", "thăng hạng", "vượt"; -1 for "giảm", "tụt", "xuống"; 0 otherwise."""
    if tail and tail[-1] in _PLACES_DIRECTION:
        return _PLACES_DIRECTION[tail[-1]]
    if len(tail) > 1 and tail[-1] in _PLACES_FILLERS:
        return _PLACES_DIRECTION.get(tail[-2], 0)
    return 0


def _ends_with(phrases_before: list[str], phrases: frozenset) -> bool:
    return not phrases.isdisjoint(phrases_before)


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
    if t.isdecimal():  # the commonest form: what _PLAIN_RE accepts, without its regex
        value = float(t)
        return value if value <= MAX_VALUE else None
    if _GROUPED_RE.fullmatch(t):
        t = t.replace(".", "").replace(",", ".")
    elif _DOT_DECIMAL_RE.fullmatch(t):
        pass  # "85.5" before "%": a decimal point
    elif _PLAIN_RE.fullmatch(t):
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
    for word in m.group("suffix").split():
        value *= _SCALES.get(word, 1)
    return (value, total) if value <= MAX_VALUE else None


def _is_year(m: re.Match) -> bool:
    n = m.group("num")
    return bool(n) and len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2100 and not m.group("total")


def find_numbers(sentence: str) -> list[Number]:
    """The figures in a folded sentence that may be facts, in order of appearance."""
    out = []
    skip_until = -1
    rank_until = -1  # where the "lên/xuống" after an old rank ends: the figure there is a rank
    for m in NUMBER_RE.finditer(sentence):
        start, end = m.start(), m.end()
        num, words_text, suffix = m.group("num"), m.group("words"), m.group("suffix")
        if num and num.startswith("0") and len(num) > 2:
            continue  # phone numbers, codes
        if words_text in _ONLY_IN_COMPOUNDS:
            continue  # "năm", "một", "tư" alone: no value (parse_words), the commonest match
        if _is_year(m) or _NOT_FACT_AFTER.match(sentence, end):
            continue
        before = sentence[max(0, start - _TAIL_CHARS):start]
        tail = _tail_words(before)
        phrases_before = _tail_phrases(tail)
        sign = _places_sign(tail) if _PLACES_AFTER.match(sentence, end) else 0
        rank = not sign and _ends_with(phrases_before, _RANK_WORDS)
        if not rank and not sign and _ends_with(phrases_before, _NOT_FACT_WORDS) \
                and not _ends_with(phrases_before, _COUNT_OF_WORDS):
            continue
        if "hơn" in before and _GAP_BEFORE.search(before):
            continue
        if before.endswith("-") and before[-2:-1].isalpha():
            continue  # "COVID-19": a number glued to a name
        if not suffix.strip() and _CODE_AFTER.match(sentence, end):
            continue
        if before[-1:] == " " and before.rstrip()[-1:].isdigit():
            continue  # digit groups separated by spaces: a phone number
        if num and not m.group("total") and not suffix.strip() and (
                ((not before.strip() or before.rstrip().endswith((":", ";"))) and _LIST_MARKER_AFTER.match(sentence, end))
                or (before.endswith("(") and sentence.startswith(")", end))):
            continue  # list markers "1.", "1)", "(1)"
        if skip_until > start:
            continue  # the total of "x trên tổng số y", read with x
        parsed = _value(m)
        if parsed is None:
            continue
        value, total = parsed
        if total is None and not suffix.strip() and (out_of := _OUT_OF_RE.match(sentence, end)):
            total = parse_decimal(out_of.group("total"))
            skip_until = out_of.end()
        if "%" in suffix or "phần trăm" in suffix:
            unit = "percent"
        elif _CURRENCY_RE.search(suffix):
            unit = "vnd"
        elif sign:
            unit = "places"
            value *= sign
        elif rank:
            unit = "rank"
        else:
            unit = "count"
        if words_text and unit != "places" and not (" " in words_text or words_text in _PLAIN_WORDS):
            continue
        if "từ" in tail[-3:] and (moved := _FROM_TO_AFTER.match(sentence, end)):
            # the old value of "từ X lên Y"; Y is what X is: "từ thứ 52/141 xuống 59/128" is a rank
            rank_until = moved.end() if unit == "rank" else -1
            continue
        if unit == "count" and 0 <= rank_until and start <= rank_until + 1:
            unit = "rank"
        if unit in ("rank", "places") and _regional(sentence, start, end):
            continue
        if _AT_LEAST_AFTER.match(sentence, end):
            qualifier = "at_least"
        elif sign and tail[-1:] == ["vượt"]:
            qualifier = "exact"  # "vượt 10 bậc" is the move, not "more than 10"
        elif _ANY_QUALIFIER.isdisjoint(phrases_before):
            qualifier = "exact"  # most figures: one set look-up instead of four
        else:
            qualifier = next((name for name, phrases in _QUALIFIER_WORDS if _ends_with(phrases_before, phrases)), "exact")
        # value_text: the number (with its "/total") and its unit word.
        text_end = end if suffix.strip() else m.end("total") if m.group("total") else m.end("num") if num \
            else m.end("words")
        if skip_until > start:  # "4.527 trên tổng số 4.723" is the figure, up to its noun
            text_end = skip_until
        out.append(Number(start, text_end, value, total, unit, qualifier, words_text is not None))
    if ("nhất" in sentence or "nhì" in sentence) and (ranks := _word_ranks(sentence)):
        out = sorted(out + ranks, key=lambda n: n.start)
    return out


# "xếp hạng nhất", "đứng thứ nhì": the first two ranks as words (not number words elsewhere:
# "cao nhất", "thống nhất"). Opens with a literal, and runs only on sentences with "nhất"/"nhì".
_FIRST_RANKS_RE = re.compile(r"(?:xếp|đứng)(?: ở)?(?: vị trí)? (?:thứ|hạng) (?P<w>nhất|nhì)(?!\w)")


def _word_ranks(sentence: str) -> list[Number]:
    """Ranks 1 and 2 written as words after a rank verb, unless within a region."""
    out = []
    for m in _FIRST_RANKS_RE.finditer(sentence):
        start, end = m.span("w")
        if not _regional(sentence, start, end):
            out.append(Number(start, end, 1.0 if m.group("w") == "nhất" else 2.0, None, "rank", "exact", True))
    return out


def _regional(sentence: str, start: int, end: int) -> bool:
    """Whether the rank or move at start:end is within a region: a region right after it, or
    "trong khu vực/ASEAN…" earlier in its clause, unless the whole table ("thế giới", "cả
    nước") is named right after it ("thứ 3 cả nước và dẫn đầu vùng …")."""
    if _WHOLE_TABLE_AFTER.match(sentence, end):
        return False
    if _REGIONAL_AFTER.match(sentence, end):
        return True
    clause = sentence[sentence.rfind(";", 0, start) + 1:start]
    return "trong" in clause and bool(_REGIONAL_BEFORE.search(clause))
