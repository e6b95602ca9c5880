"""The CLI's message table: every message in both languages with the same fields, and a
fix for every kind of rejection."""
import string

import pytest

from cchc.messages import DEFAULT_FIX, FIXES, MESSAGES, fix_for, say


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_both_languages_with_the_same_fields(key):
    vi, en = MESSAGES[key]
    assert vi and en and _fields(vi) == _fields(en)


@pytest.mark.parametrize("reason", [
    "empty file", "only whitespace", "binary file: PNG image, not text",
    "not UTF-8, UTF-16 or Windows-1258 text", "too large: 31.0 MB, the limit is 20 MB",
    "cannot be read: Permission denied", "broken symbolic link (to nowhere)",
    "symbolic link to a file outside the inbox (not followed)", "not a regular file but a named pipe",
    "extraction failed: ValueError: x", "file name is not valid UTF-8 (a name from another system)",
])
def test_every_kind_of_rejection_has_its_own_fix_in_both_languages(reason):
    assert fix_for(reason, "vi") != DEFAULT_FIX[0]
    assert fix_for(reason, "en") != DEFAULT_FIX[1]


def test_an_article_rule_and_an_unknown_reason_still_get_a_fix():
    assert "tiếng Việt" in fix_for("not mostly Vietnamese text (articles.mostly_vietnamese)")
    assert fix_for("something new") == DEFAULT_FIX[0]
    assert say("bad_half", "en", value="2024-H3").startswith("'2024-H3' is not a half-year")
    assert len(FIXES) == len({prefix for prefix, _ in FIXES})
