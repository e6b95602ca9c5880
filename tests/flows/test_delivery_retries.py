"""Delivery retries come from the settings (on main they were fixed at 3, 2 s backoff)."""
from cchc.settings import Settings
from flows.pipeline import _delivery


def test_share_retries_and_their_first_delay_come_from_the_settings():
    task = _delivery(Settings(share_retries=4, share_retry_delay_s=1.5))
    assert task.retries == 4
    assert task.retry_delay_seconds == [1.5, 3.0, 6.0, 12.0]


def test_no_retries_when_the_settings_say_none():
    task = _delivery(Settings(share_retries=0))
    assert task.retries == 0
