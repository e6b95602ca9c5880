"""Article text cleaning: one canonical text that every record offset points into.

`clean_text` normalises Unicode and whitespace, drops web-page furniture (comment boxes,
related-article lists, photo captions, link menus) and splits the rest into paragraphs
and sentences with character offsets into the cleaned text.

Sentences come from a regex splitter, not underthesea's `sent_tokenize`: on the seeds
and fixtures it splits abbreviations ("PGS.TS.", "TP.") and list markers ("1.") that the
regex keeps whole, and it is slower (numbers in docs/extraction.md).
"""
import logging
import re
import unicodedata
from dataclasses import dataclass

import ftfy

log = logging.getLogger(__name__)

# Characters mapped one-to-one before anything else: exotic spaces, quotes and dashes.
# They are rare, so a regex finds them and maps each hit: str.translate with a dict
# looks up every character of the text and costs more than the rest of cleaning.
_REPLACE = {
    **{c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                        "\u200a\u202f\u205f\u3000\t\f\v"},
    **{c: "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u2013": "–", "\u2014": "–", "\u2015": "–",  # all long dashes become one en dash
    "\u2026": "...",
}
_REPLACE_RE = re.compile("[" + "".join(_REPLACE) + "]")
# UTF-8 Vietnamese decoded as Latin-1/cp1252 ("Tá»‰nh", "cÃ³", "Ä‘"): only then is ftfy's
# slower repair worth running.
_MOJIBAKE_RE = re.compile(r"á»|áº|Ã[\x80-\xbf¡-ÿ]|Ä[\x80-\xbf‘]|Æ°")
# Other C0/C1 controls carry nothing; "\n" survives as the line separator.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r" {2,}")

# A line that opens the page furniture after an article (comments, related articles).
# It cuts everything after it only when nothing after it is article text (_is_body_line):
# "Trả lời:" in an interview or a "Tin liên quan" box mid-article is dropped alone.
_CUT_RE = re.compile(
    r"^(?:ý kiến bạn đọc|bình luận|trả lời|tin cùng chuyên mục|tin liên quan|các tin khác|"
    r"bài viết liên quan|tin khác|gửi bình luận|email của bạn sẽ không được hiển thị công khai\.?)\s*:?$",
    re.IGNORECASE)
# Article text after a cut line: a full sentence with a figure. Link titles are short and
# unpunctuated; a comment box rarely states a figure in a long sentence.
_BODY_MIN_CHARS = 80
_BODY_END = (".", "!", "?", '"', ")")
_DIGIT_RE = re.compile(r"\d")
# A cut that removes more than this share of the text is logged as a warning.
_CUT_WARN_SHARE = 0.5
# Single lines that are never article text. Every pattern here is linear in the line's
# length: no unbounded repetition inside another, no ".*" before a search.
_DROP_RE = re.compile(
    r"^(?:screenshot \d+|chia sẻ|share|in bài|bản in|quay lại|lên đầu trang|tweet|"
    r"\(?ảnh\s*:.{0,120}|ảnh minh họa)$",
    re.IGNORECASE)
# A line that ends with a photo credit "(Ảnh: …)" is a caption. Searched from its "(":
# "[^()]*" stops at the next bracket, so each character is scanned once (the old
# ".*\(…[^)]*\)" took minutes on a line with many "(ảnh:").
_CAPTION_END_RE = re.compile(r"\((?:ảnh|nguồn ảnh|photo)\s*:[^()]*\)\.?$", re.IGNORECASE)
# A menu or link list: short lines without sentence punctuation at the end of a page.
_MENU_LINE_RE = re.compile(r"^[^!?:;]{1,40}(?<![.])$")
_MIN_MENU_RUN = 3
# A number of more than 18 digits: transforms.extract.numbers takes at most 10^18 as a figure
# (MAX_VALUE), so such a number yields no record and the file is warned about instead.
# Linear: each repetition takes one digit, and "[.,]" cannot match a digit.
_OVERSIZED_NUMBER_RE = re.compile(r"\d(?:[.,]?\d){18,}")

_ABBREVIATIONS = frozenset(
    "tp tx tt ts ths pgs gs bs ks ls đ/c đc st tr v.v vv mr ms dr".split())
# A sentence ends at . ! ? or … followed by a space and an upper-case letter, digit,
# quote, bracket or dash; the word before a '.' must not be an abbreviation, and "…" then
# a bracket goes on.
# (The mark is matched, not looked behind for: a pattern that opens with a character
# class lets the regex engine skip ahead to candidates, twice as fast on an article.)
_BOUNDARY_RE = re.compile(r"[.!?][\"')\]]?(?= +([\"'(\[–\-\d]|\w))")
_WORD_BEFORE_RE = re.compile(r"([\w./]{1,12})\.$")
# "1." opening a list item ("Gồm: 1. Rà soát") does not end a sentence.
_LIST_NUMBER_RE = re.compile(r"(?:^|[:;.] )\s*\d{1,2}\.$")
_SHORT_BRACKET = 40  # characters: a place or a caption credit, not sentences in brackets


@dataclass(frozen=True)
class CleanText:
    text: str
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) offsets into text
    sentences: tuple[tuple[int, int, int], ...]  # (start, end, paragraph index)
    cut_share: float = 0.0  # share of the content lines' characters cut as trailing furniture


def normalize(text: str) -> str:
    """Mojibake repaired, NFC, one kind of space/quote/dash, LF line ends, no control
    characters."""
    if _MOJIBAKE_RE.search(text):
        text = ftfy.fix_encoding(text)
    text = unicodedata.normalize("NFC", text)
    text = _REPLACE_RE.sub(lambda m: _REPLACE[m.group()], text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL_RE.sub("", text)


def _content_lines(text: str) -> tuple[list[str], float]:
    """The article's lines without furniture, and the share of characters a trailing cut
    removed."""
    lines, seen = [], set()
    raw_lines = [_SPACES_RE.sub(" ", raw).strip() for raw in text.split("\n")]
    raw_lines = [line for line in raw_lines if line]
    cut_at = _cut_line(raw_lines)
    for line in raw_lines[:cut_at]:
        if _CUT_RE.match(line) or _DROP_RE.match(line) or _CAPTION_END_RE.search(line) \
                or line in seen:  # a line repeated verbatim is page furniture
            continue
        seen.add(line)
        lines.append(line)
    # Trailing link menus: a run of short unpunctuated lines at the very end.
    run = 0
    while run < len(lines) and _MENU_LINE_RE.match(lines[len(lines) - 1 - run]):
        run += 1
    if run >= _MIN_MENU_RUN:
        del lines[len(lines) - run:]
    total = sum(map(len, raw_lines))
    return lines, (sum(map(len, raw_lines[cut_at:])) / total if total else 0.0)


def _cut_line(lines: list[str]) -> int:
    """Where the trailing furniture starts: the first cut line after which no line is
    article text; len(lines) when there is none."""
    last_body = max((i for i, line in enumerate(lines) if _is_body_line(line)), default=-1)
    for i in range(last_body + 1, len(lines)):
        if _CUT_RE.match(lines[i]):
            return i
    return len(lines)


def _is_body_line(line: str) -> bool:
    return len(line) >= _BODY_MIN_CHARS and line.endswith(_BODY_END) and bool(_DIGIT_RE.search(line))


def oversized_numbers(text: str) -> list[str]:
    """The numbers of `text` too large to be a figure (more than 18 digits), shortened."""
    return [m.group()[:24] + ("…" if len(m.group()) > 24 else "") for m in _OVERSIZED_NUMBER_RE.finditer(text)]


def _in_short_bracket(text: str, cur: int, cut: int) -> bool:
    """Whether `cut` lies in a bracket opened in the current sentence and closed within
    _SHORT_BRACKET characters."""
    opened = text.rfind("(", cur, cut)
    if opened < 0 or text.find(")", opened, cut) >= 0:
        return False
    closed = text.find(")", cut, cut + _SHORT_BRACKET)
    return closed >= 0 and "(" not in text[cut:closed]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end] (one paragraph), trimmed of spaces."""
    end = len(text) if end is None else end
    spans, cur = [], start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        cut = m.end()
        if m.group(1).islower():
            continue
        if m.group(1) == "(" and text.endswith("...", max(cur, cut - 3), cut):
            continue  # "trả lời... (đạt tỷ lệ 77%)": a trailing-off list, then its figure
        if text[cut - 1] == ".":
            if _LIST_NUMBER_RE.search(text, max(cur, cut - 8), cut) or \
                    _LIST_NUMBER_RE.fullmatch(text[cur:cut].strip()):
                continue
            w = _WORD_BEFORE_RE.search(text, max(cur, cut - 14), cut)
            if w and (w.group(1).lower().rsplit(".", 1)[-1] in _ABBREVIATIONS
                      or w.group(1).lower() in _ABBREVIATIONS):
                continue
            if _in_short_bracket(text, cur, cut):
                continue  # "(Ba Đình. Hà Nội)": a full stop inside a short bracket ends no sentence
        spans.append((cur, cut))
        cur = cut
    spans.append((cur, end))
    out = []
    for s, e in spans:
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def clean_text(text: str) -> CleanText:
    lines, cut_share = _content_lines(normalize(text))
    if cut_share > _CUT_WARN_SHARE:
        log.warning("page furniture cut at the end removed %.0f%% of the text (comments or related "
                    "articles after the article); check the file if figures are missing", cut_share * 100)
    cleaned = "\n\n".join(lines)
    paragraphs, sentences, pos = [], [], 0
    for p, line in enumerate(lines):
        paragraphs.append((pos, pos + len(line)))
        sentences.extend((s, e, p) for s, e in split_sentences(cleaned, pos, pos + len(line)))
        pos += len(line) + 2
    return CleanText(cleaned, tuple(paragraphs), tuple(sentences), cut_share)
