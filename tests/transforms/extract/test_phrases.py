"""The phrase matcher reads a text like a regex alternation of whole-word phrases would."""
import re

from transforms.extract.phrases import PhraseMatcher

PHRASES = ["hồ sơ", "hồ sơ trực tuyến", "sơ", "trực tuyến", "hà nam", "nam"]


def _as_regex(phrases):
    """The reference reading: longest phrase first at the leftmost position, whole words."""
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _spans(matches):
    return [(m.start(), m.end(), m.group()) for m in matches]


def test_longest_whole_word_phrase_at_the_leftmost_position():
    m = PhraseMatcher(PHRASES)
    text = "tiếp nhận 120 hồ sơ trực tuyến, hồ sơ giấy; hà nam; hồ sơn; sơ kết"
    assert _spans(m.finditer(text)) == [(14, 30, "hồ sơ trực tuyến"), (32, 37, "hồ sơ"), (44, 50, "hà nam"),
                                        (60, 62, "sơ")]
    assert _spans(m.finditer(text)) == _spans(_as_regex(PHRASES).finditer(text))


def test_a_shorter_phrase_when_the_longer_is_not_a_whole_word():
    m = PhraseMatcher(["hồ sơ", "hồ sơ trực"])
    assert _spans(m.finditer("hồ sơ trựcx")) == [(0, 5, "hồ sơ")]


def test_no_phrase_inside_a_word_or_glued_to_one():
    m = PhraseMatcher(PHRASES)
    assert _spans(m.finditer("hồ sơ_1 namđịnh xnam")) == []


def test_match_at_a_position():
    m = PhraseMatcher(PHRASES)
    assert m.match("các hồ sơ trực tuyến", 4).group() == "hồ sơ trực tuyến"
    assert m.match("các hồ sơ trực tuyến", 5) is None  # inside a word
    assert m.match("hồ sơn", 0) is None
    assert m.match("hồ sơ", 5) is None  # at the end of the text


def test_no_phrases_match_nothing():
    assert list(PhraseMatcher([]).finditer("hồ sơ")) == []
    assert PhraseMatcher(["", ""]).match("hồ sơ", 0) is None
