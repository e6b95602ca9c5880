"""Failure notifications: a flow hook that tells every notification target about a failed
or crashed run.

Targets are the settings `webhook_url` and `notify_urls` (secrets; environment or config
file, never a run parameter):

- an `http://` or `https://` URL gets our JSON {flow, run, state, message, url, text}: the
  fields for a relay or a chat workflow that maps them, and `text`, the whole of it in one
  line, which is what Slack-style incoming webhooks show;
- any other URL goes through apprise (installed with Prefect): `mailto://`, `tgram://`
  (Telegram), `slack://`, `msteams://`/`workflows://` (Teams), `json://`… with `text` as the
  body (docs/operating.md lists the forms).
"""
import logging
from urllib.parse import urlsplit

import httpx

from cchc import settings as cchc_settings

TIMEOUT_S = 10.0  # a hung chat service must not hold the run's process for long

log = logging.getLogger(__name__)


def notify_failure(flow, flow_run, state) -> None:
    """`on_failure`/`on_crashed` hook. Never raises: a broken target must not replace the
    failure it reports. Uses the settings of the process that ran the flow (the CLI's
    resolved ones, `--config` included), not the run's parameters."""
    try:
        urls = cchc_settings.current().notification_urls()
    except Exception as e:  # the run may have failed on these very settings
        log.warning("no failure notification: cannot read the settings: %s", e)
        return
    if not urls:
        return
    message = failure_message(flow, flow_run, state)
    for url in urls:
        send(url, message)


def send(url: str, message: dict) -> bool:
    """One notification; False (and a warning naming the host, never the URL: its path or
    password is the secret) when it was not delivered."""
    host = urlsplit(url).hostname or urlsplit(url).scheme
    if urlsplit(url).scheme in ("http", "https"):
        try:
            response = httpx.post(url, json=message, timeout=TIMEOUT_S)
        except Exception as e:
            log.warning("failure notification to %s not sent: %s", host, type(e).__name__)
            return False
        if response.is_error:
            log.warning("failure notification to %s not sent: HTTP %d", host, response.status_code)
            return False
        return True
    return _send_apprise(url, host, message)


def _send_apprise(url: str, host: str, message: dict) -> bool:
    import apprise

    targets = apprise.Apprise()
    if not targets.add(url):
        log.warning("failure notification to %s not sent: not a notification URL apprise "
                    "understands (docs/operating.md)", host)
        return False
    sent = targets.notify(title=f"{message['flow']}: {message['state']}", body=message["text"])
    if not sent:
        log.warning("failure notification to %s not sent (see apprise's log)", host)
    return bool(sent)


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
