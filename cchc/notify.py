"""Failure notifications: a flow hook that POSTs a failed or crashed run to a webhook.

The webhook is `webhook_url` in the settings (CCHC_WEBHOOK_URL, or cchc.toml). It gets
JSON {flow, run, state, message, url, text}: the fields for a relay or a chat workflow
that maps them, and `text`, the whole of it in one line, which is what Slack-style
incoming webhooks show (docs/operating.md).
"""
import logging
from urllib.parse import urlsplit

import httpx

from cchc.settings import load_settings

TIMEOUT_S = 10.0  # a hung chat service must not hold the run's process for long

log = logging.getLogger(__name__)


def notify_failure(flow, flow_run, state) -> None:
    """`on_failure`/`on_crashed` hook. Never raises: a broken webhook must not replace the
    failure it reports."""
    try:
        url = load_settings(flow_run.parameters.get("settings")).webhook_url
    except Exception as e:  # the run may have failed on these very settings
        log.warning("no failure notification: cannot read the settings: %s", e)
        return
    if not url:
        return
    # The URL's path often carries the webhook's secret token: logs name the host only.
    host = urlsplit(url).netloc
    try:
        response = httpx.post(url, json=failure_message(flow, flow_run, state), timeout=TIMEOUT_S)
    except Exception as e:
        log.warning("failure notification to %s not sent: %s: %s", host, type(e).__name__,
                    str(e).replace(url, host))
        return
    if response.is_error:
        log.warning("failure notification to %s not sent: HTTP %d", host, response.status_code)


def failure_message(flow, flow_run, state) -> dict:
    from prefect.utilities.urls import url_for

    message = (state.message or "").strip()
    message = message.splitlines()[0] if message else state.name
    url = url_for(flow_run)  # the run's page in the Prefect UI; None without a server
    return {
        "flow": flow.name,
        "run": flow_run.name,
        "state": state.name,
        "message": message,
        "url": url,
        "text": f"{flow.name} run {flow_run.name}: {state.name}: {message}" + (f" {url}" if url else ""),
    }
