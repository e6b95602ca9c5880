"""Failure notifications: a failed run POSTs one JSON message to the webhook, or sends it
through apprise for other URL forms; a target that is down or answers an error never
changes how the run ends."""
import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from filelock import FileLock
from prefect.client.schemas.objects import FlowRun
from prefect.states import Failed

from cli.main import EXIT_BUSY
from cchc.notify import TIMEOUT_S, notify_failure
from cli.serve import _free_port
from cchc.settings import Settings, active
from flows.pipeline import cchc_pipeline


class Webhook:
    """An HTTP server on 127.0.0.1 that records the JSON POSTed to it."""

    def __init__(self, status: int = 204):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/T0KEN"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.close()


@pytest.fixture
def failing_webhook():
    hook = Webhook(status=500)
    yield hook
    hook.close()


def _failed_run() -> tuple[FlowRun, Failed]:
    run = FlowRun(flow_id="00000000-0000-0000-0000-000000000001", name="brave-otter",
                  parameters={"settings": {"inbox": "/tmp/cchc-test/inbox"}})
    return run, Failed(message="Flow run encountered an exception: ValueError: bad\nsecond line")


def _notify(*urls: str) -> None:
    """The hook, in a process whose resolved settings have these notification targets."""
    settings = Settings(webhook_url=urls[0] if urls else None, notify_urls=urls[1:])
    with active(settings):
        notify_failure(cchc_pipeline, *_failed_run())


def test_message_has_flow_run_state_the_first_line_of_the_reason_and_a_link(webhook):
    from prefect.settings import PREFECT_UI_URL, temporary_settings
    run, state = _failed_run()
    with temporary_settings({PREFECT_UI_URL: "http://127.0.0.1:4200"}), active(Settings(webhook_url=webhook.url)):
        notify_failure(cchc_pipeline, run, state)
    (message,) = webhook.received
    assert message["flow"] == "cchc-pipeline"
    assert message["run"] == "brave-otter"
    assert message["state"] == "Failed"
    assert message["message"] == "Flow run encountered an exception: ValueError: bad"
    assert message["url"] == f"http://127.0.0.1:4200/runs/flow-run/{run.id}"
    assert message["text"] == f"cchc-pipeline run brave-otter: Failed: {message['message']} {message['url']}"


def test_no_webhook_no_post(webhook):
    _notify()
    assert webhook.received == []


def test_apprise_urls_and_the_webhook_are_all_notified(webhook):
    """`json://` is apprise's own JSON form: another schema than ours, through apprise."""
    apprise_url = webhook.url.replace("http://", "json://")
    _notify(webhook.url, apprise_url)
    ours, through_apprise = webhook.received
    assert ours["state"] == "Failed"
    assert through_apprise["title"] == "cchc-pipeline: Failed"
    assert through_apprise["message"] == ours["text"]


def test_an_unknown_url_form_is_a_warning_without_the_secret(caplog):
    _notify("https://127.0.0.1:1/x", "bogus://user:S3CRET@host/")
    assert "not a notification URL apprise understands" in caplog.text
    assert "S3CRET" not in caplog.text


def test_webhook_answering_an_error_does_not_raise(failing_webhook, caplog):
    _notify(failing_webhook.url)
    assert len(failing_webhook.received) == 1
    assert "not sent" in caplog.text and "T0KEN" not in caplog.text  # the token stays secret


def test_webhook_that_is_down_does_not_raise_or_hang(caplog):
    start = time.monotonic()
    _notify(f"http://127.0.0.1:{_free_port()}/hook")
    assert time.monotonic() - start < TIMEOUT_S
    assert "not sent" in caplog.text


@pytest.mark.slow
def test_failed_cchc_run_ends_failed_and_notifies_the_webhook_of_its_config_file(workspace, webhook):
    """`--config office.toml` with a webhook_url: what the CLI resolved is what the flow's
    failure hook uses (on main the hook re-read the settings without the file)."""
    config = workspace.root / "office.toml"
    config.write_text(f'webhook_url = "{webhook.url}"\nlock_timeout_s = 0.5\n', encoding="utf-8")
    store_lock = FileLock(str(workspace.store) + ".lock")
    workspace.store.parent.mkdir(parents=True)
    with store_lock:  # another writer holds the store
        result = workspace.cchc("run", "--config", str(config))
    assert result.returncode == EXIT_BUSY, result.stderr
    (message,) = webhook.received
    assert (message["flow"], message["state"]) == ("cchc-pipeline", "Failed")
    assert "another cchc run is writing" in message["message"]
    assert "\n" not in message["message"]
    state = asyncio.run(_state_of(workspace.api_url, message["run"]))
    assert state.is_failed()
    assert "another cchc run is writing" in state.message and "\n" not in state.message.strip()
    assert message["url"] is None or message["url"].endswith(str(state.state_details.flow_run_id))


async def _state_of(api_url: str, run_name: str):
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    async with PrefectClient(api_url) as client:
        (run,) = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[run_name])))
        return run.state
