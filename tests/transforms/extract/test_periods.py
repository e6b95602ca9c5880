"""Reporting windows of Nghị định 09/2019/NĐ-CP Điều 12 (domain.md) and the calendar setting."""
from datetime import date

import pytest

from transforms.extract.periods import HalfYear, half_of, report_half


@pytest.mark.parametrize("day, half", [
    (date(2023, 12, 14), "2023-H2"),  # last day of the second window
    (date(2023, 12, 15), "2024-H1"),  # 15/12 opens next year's first window
    (date(2024, 1, 1), "2024-H1"),
    (date(2024, 6, 14), "2024-H1"),
    (date(2024, 6, 15), "2024-H2"),   # "tính đến 30/6" articles fall in H2 by decree
    (date(2024, 6, 30), "2024-H2"),
])
def test_decree09_windows(day, half):
    assert str(half_of(day)) == half


@pytest.mark.parametrize("day, half", [
    (date(2023, 12, 20), "2023-H2"),
    (date(2024, 6, 30), "2024-H1"),
    (date(2024, 7, 1), "2024-H2"),
])
def test_calendar_windows(day, half):
    assert str(half_of(day, "calendar")) == half


def test_window_deadline_and_final():
    h1 = HalfYear.parse("2024-H1")
    assert h1.window() == (date(2023, 12, 15), date(2024, 6, 14))
    assert h1.deadline() == date(2024, 6, 20)  # 581/BNV-CCHC: due by the 20th
    assert not h1.is_final(date(2024, 6, 20))
    assert h1.is_final(date(2024, 6, 21))
    assert HalfYear.parse("2024-H2").deadline("calendar") == date(2025, 1, 20)
    assert str(h1.previous()) == "2023-H2" and str(h1.next()) == "2024-H2"


@pytest.mark.parametrize("text", ["2024-H3", "2024", "H1-2024", ""])
def test_half_year_parse_rejects(text):
    with pytest.raises(ValueError):
        HalfYear.parse(text)


@pytest.mark.parametrize("period, kind, article_half, expected", [
    ("2024-H1", "actual", "2024-H2", "2024-H1"),  # a half-year result goes to its half
    ("2021", "actual", "2022-H2", "2022-H2"),     # a year result: where it was reported
    ("2021", "actual", None, "2021-H2"),          # ...or the year's closing half
    ("2025", "target", "2021-H2", "2021-H2"),     # a target: where it was stated
    ("2025", "target", None, None),
])
def test_report_half(period, kind, article_half, expected):
    assert report_half(period, kind, article_half) == expected
