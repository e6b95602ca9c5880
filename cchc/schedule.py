"""Which half-year a `half-year-close` run closes.

The close deployment runs the day after each report deadline with half_year=JUST_CLOSED;
the flow turns that into the half-year whose deadline has most recently passed, counted
from the day the run was scheduled for (in the office's timezone), so a run that starts
late, or is re-run by hand a week later, still closes the same half-year.
"""
from datetime import date
from zoneinfo import ZoneInfo

from transforms.extract.periods import DEFAULT_CALENDAR, HalfYear, half_of

JUST_CLOSED = "just-closed"


def closed_half(day: date, calendar: str = DEFAULT_CALENDAR) -> HalfYear:
    """The latest half-year whose report deadline is before `day` (its report is final)."""
    half = half_of(day, calendar)
    while half.deadline(calendar) >= day:  # at most three steps back
        half = half.previous()
    return half


def run_day(timezone: str) -> date:
    """The day the current flow run was scheduled for, in `timezone`; today outside a run."""
    from prefect.runtime import flow_run

    return flow_run.scheduled_start_time.astimezone(ZoneInfo(timezone)).date()
