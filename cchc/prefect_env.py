"""Prefect settings the product needs, applied before Prefect is imported, and the one
Prefect home every command shares.

Every command uses the setting `prefect_home` (data/prefect by default) as PREFECT_HOME,
so a run from a terminal lands in the same history as the runs of `cchc serve`. While
`cchc serve` runs its own server it leaves `serve.json` (its API URL) and `api-auth` (the
API's password, mode 0600) in that home; `cchc run` and `cchc report` then talk to that
server instead of starting Prefect's temporary one, so their runs show in its UI.

Only defaults are set: a variable the user has set (PREFECT_API_URL, PREFECT_HOME…) wins.
"""
import json
import logging
import os
from pathlib import Path

from cchc.errors import SettingsError

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
