"""Reporting half-years: the one place that knows their windows and deadlines.

Nghị định 09/2019/NĐ-CP, Điều 12 (applied to reform reports by 581/BNV-CCHC): the
first half-year report covers 15/12 of the previous year to 14/6, the second 15/6 to
14/12, and each is due by the 20th of its window's last month. Offices that report by
calendar half-years (Jan-Jun, Jul-Dec) set the calendar to "calendar"; their report is
then due on the 20th of the month after the window.
"""
import re
from dataclasses import dataclass
from datetime import date

CALENDARS = ("decree09", "calendar")
DEFAULT_CALENDAR = "decree09"

HALF_RE = re.compile(r"^(\d{4})-H([12])$")
YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int  # 1 or 2

    @classmethod
    def parse(cls, text: str) -> "HalfYear":
        m = HALF_RE.match(text.strip())
        if not m:
            raise ValueError(f"not a half-year: {text!r} (expected e.g. 2024-H1)")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    def previous(self) -> "HalfYear":
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)

    def next(self) -> "HalfYear":
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def window(self, calendar: str = DEFAULT_CALENDAR) -> tuple[date, date]:
        """First and last day (inclusive) of the data window."""
        _check(calendar)
        if calendar == "calendar":
            return (date(self.year, 1, 1), date(self.year, 6, 30)) if self.half == 1 \
                else (date(self.year, 7, 1), date(self.year, 12, 31))
        if self.half == 1:
            return date(self.year - 1, 12, 15), date(self.year, 6, 14)
        return date(self.year, 6, 15), date(self.year, 12, 14)

    def deadline(self, calendar: str = DEFAULT_CALENDAR) -> date:
        """The day the half-year's report is due; after it the report is final."""
        _check(calendar)
        if calendar == "calendar":
            return date(self.year, 7, 20) if self.half == 1 else date(self.year + 1, 1, 20)
        return date(self.year, 6, 20) if self.half == 1 else date(self.year, 12, 20)

    def is_final(self, today: date, calendar: str = DEFAULT_CALENDAR) -> bool:
        return today > self.deadline(calendar)


def half_of(day: date, calendar: str = DEFAULT_CALENDAR) -> HalfYear:
    """The half-year whose data window contains `day`."""
    _check(calendar)
    if calendar == "calendar":
        return HalfYear(day.year, 1 if day.month <= 6 else 2)
    if (day.month, day.day) >= (12, 15):
        return HalfYear(day.year + 1, 1)
    if (day.month, day.day) >= (6, 15):
        return HalfYear(day.year, 2)
    return HalfYear(day.year, 1)


def _check(calendar: str) -> None:
    if calendar not in CALENDARS:
        raise ValueError(f"unknown reporting calendar {calendar!r}; use one of {', '.join(CALENDARS)}")


def report_half(period: str | None, kind: str, article_half: str | None) -> str | None:
    """The half-year report a record appears in.

    A result for a half-year goes to that half. Anything else (a whole-year result, a
    target, a fact with no period) goes to the half the article was written in, where a
    reader of that report first met it; a year-only result with no dated article goes to
    that year's second half, whose report closes the year.
    """
    if period and HALF_RE.match(period) and kind != "target":
        return period
    if article_half:
        return article_half
    if period and YEAR_RE.match(period) and kind != "target":
        return f"{period}-H2"
    return None
