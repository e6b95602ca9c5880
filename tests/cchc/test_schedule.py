"""Which half-year a half-year-close run closes, on days around the report deadlines."""
from datetime import date

import pytest

from cchc.schedule import closed_half
from transforms.extract.periods import HalfYear


@pytest.mark.parametrize("day, closed", [
    (date(2024, 6, 20), "2023-H2"),   # H1's deadline day: H1 is still open
    (date(2024, 6, 21), "2024-H1"),   # the close run's day
    (date(2024, 9, 1), "2024-H1"),
    (date(2024, 12, 20), "2024-H1"),
    (date(2024, 12, 21), "2024-H2"),
    (date(2025, 1, 5), "2024-H2"),    # a new year, after 2025-H1's window opened on 15/12
    (date(2025, 6, 21), "2025-H1"),
])
def test_closed_half_decree09(day, closed):
    assert str(closed_half(day)) == closed


@pytest.mark.parametrize("day, closed", [
    (date(2024, 7, 20), "2023-H2"),   # calendar H1 is due 20/7
    (date(2024, 7, 21), "2024-H1"),
    (date(2025, 1, 20), "2024-H1"),   # calendar H2 is due 20/1 of the next year
    (date(2025, 1, 21), "2024-H2"),
])
def test_closed_half_calendar(day, closed):
    assert str(closed_half(day, "calendar")) == closed


def test_closed_half_is_final_and_the_next_one_is_not():
    for day in (date(2024, 6, 21), date(2024, 12, 21), date(2025, 3, 3)):
        half = closed_half(day)
        assert half.is_final(day)
        assert not half.next().is_final(day)
        assert isinstance(half, HalfYear)
