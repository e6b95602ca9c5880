"""Prefect settings the product needs, applied before Prefect is imported, and the one
Prefect home every command shares.

Every command uses the setting `prefect_home` (data/prefect by default) as PREFECT_HOME,
so a run from a terminal lands in the same history as the runs of `cchc serve`. While
`cchc serve` runs its own server it leaves `serve.json` (its API URL) and `api-auth` (the
API's password, mode 0600) in that home; `cchc run` and `cchc report` then talk to that
server instead of starting Prefect's temporary one, so their runs show in its UI.
Without one, `flow_server` starts Prefect's temporary server at once, beside the
command's own start-up, instead of at the flow's first API call.

Only defaults are set: a variable the user has set (PREFECT_API_URL, PREFECT_HOME…) wins.
"""
import atexit
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from cchc.errors import CchcError, SettingsError

DEFAULTS = {
    # Offline machines: the analytics ping fails with "Failed to send telemetry".
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary server takes 5-20 s to start on a 2-core machine; the default is 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "true",
}

# These two log CancelledError tracebacks when the temporary server shuts down after a
# clean run; they report Prefect's shutdown, never the project's own errors.
NOISY_SHUTDOWN_LOGGERS = (
    "prefect.server.services.task_run_recorder",
    "sqlalchemy.pool.impl.AsyncAdaptedQueuePool",
    "sqlalchemy.pool",
)

class ServerNotStarted(CchcError):
    """Prefect's temporary server did not start; the message has the last line it wrote."""


STATE_FILE = "serve.json"    # written by `cchc serve` while its server runs
AUTH_FILE = "api-auth"       # the API's basic-auth string "user:password", mode 0600
HEALTH_TIMEOUT_S = 1.0       # a server that does not answer this fast is not used


def configure(prefect_home: Path | None = None, quiet_console: bool = True) -> None:
    """Set Prefect's defaults and home. With `quiet_console`, Prefect's log lines stay off
    the terminal (they still reach the Prefect API, where the UI shows them): the CLI
    prints its own summary, and errors as one line, instead of Prefect's tracebacks."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if prefect_home is not None:
        try:
            Path(prefect_home).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SettingsError(f"prefect_home {prefect_home} cannot be created: {e.strerror or e}; "
                                "set prefect_home (CCHC_PREFECT_HOME) to a folder this user may write",
                                setting="prefect_home") from None
        os.environ.setdefault("PREFECT_HOME", str(prefect_home))
    if quiet_console:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    for name in NOISY_SHUTDOWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def quiet_shutdown_loggers() -> None:
    """Prefect's logging setup resets levels when it loads; call again after it did."""
    for name in NOISY_SHUTDOWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def use_running_server(prefect_home: Path) -> str | None:
    """Point this process at the server of a running `cchc serve` of the same home, if one
    answers its health check; the server's URL, or None (Prefect then starts its temporary
    one). Call before Prefect is imported."""
    if os.environ.get("PREFECT_API_URL"):
        return None  # the user chose a server
    api_url = served_api_url(prefect_home)
    if not api_url:
        return None
    os.environ["PREFECT_API_URL"] = api_url
    auth = read_auth(prefect_home)
    if auth:
        os.environ.setdefault("PREFECT_API_AUTH_STRING", auth)
    return api_url


def served_api_url(prefect_home: Path) -> str | None:
    import httpx
    try:
        state = json.loads((Path(prefect_home) / STATE_FILE).read_text(encoding="utf-8"))
        api_url = state["api_url"]
        healthy = httpx.get(f"{api_url}/health", timeout=HEALTH_TIMEOUT_S).status_code == 200
    except (OSError, ValueError, KeyError, TypeError, httpx.HTTPError):
        return None  # no serve, a stale file, or a server that has gone
    return api_url if healthy else None


def write_state(prefect_home: Path, api_url: str) -> Path:
    from cchc.delivery import atomic_output
    path = Path(prefect_home) / STATE_FILE
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps({"api_url": api_url, "pid": os.getpid()}), encoding="utf-8")
    return path


def clear_state(prefect_home: Path) -> None:
    (Path(prefect_home) / STATE_FILE).unlink(missing_ok=True)


def read_auth(prefect_home: Path) -> str | None:
    try:
        return (Path(prefect_home) / AUTH_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def ensure_auth(prefect_home: Path) -> str:
    """The API's auth string: PREFECT_SERVER_API_AUTH_STRING when set, else the one kept in
    the home (made once, random, readable by this user only), so a browser's saved login
    survives a restart of `cchc serve`."""
    given = os.environ.get("PREFECT_SERVER_API_AUTH_STRING")
    if given:
        return given
    known = read_auth(prefect_home)
    if known:
        return known
    import secrets
    auth = f"cchc:{secrets.token_urlsafe(18)}"
    path = Path(prefect_home) / AUTH_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(auth + "\n")
    return auth


def flow_server() -> Callable[[], None]:
    """Make sure the command's flow has a server; returns `ready()`, to call once the flow
    is imported and before it runs.

    With PREFECT_API_URL set (`cchc serve`'s server, or the user's, in the environment or
    the active Prefect profile) there is nothing to do.
    Otherwise this starts Prefect's temporary server now (the command Prefect itself runs
    for it) and points PREFECT_API_URL at it, so its 5-15 s start overlaps the command's
    imports, and this process never imports Prefect's server code (2-3 s) to start it.
    Call it before Prefect is imported: the server is stopped at exit, after the handlers
    Prefect registers when imported have sent the run's last logs and events (atexit runs
    the last registered first)."""
    if os.environ.get("PREFECT_API_URL") or profile_api_url():
        return lambda: None
    port = free_port()
    prefect_dir = Path(find_spec("prefect").origin).parent
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
             "PREFECT__SERVER_FINAL": "1"},
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    atexit.register(_stop, server, log)
    api_url = f"http://127.0.0.1:{port}/api"
    os.environ["PREFECT_API_URL"] = api_url
    return lambda: _wait_until_healthy(server, api_url, log)


def profile_api_url() -> str | None:
    """The API URL of the active Prefect profile (`prefect config set PREFECT_API_URL=…`,
    stored in PREFECT_HOME/profiles.toml), read without importing Prefect: a server the
    user chose that way is used, as Prefect itself would."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    return (profiles.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None


def _stop(server: subprocess.Popen, log) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


def _wait_until_healthy(server: subprocess.Popen, api_url: str, log) -> None:
    import httpx
    timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{api_url}/health", timeout=HEALTH_TIMEOUT_S).status_code == 200:
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.1)
    log.seek(0)
    said = log.read().decode("utf-8", "replace").strip().splitlines()
    raise ServerNotStarted("Prefect's temporary server "
                           + (f"exited with code {server.returncode}" if server.poll() is not None
                              else f"did not answer within {timeout:g} s")
                           + (f": {said[-1]}" if said else ""))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
