"""`cchc serve`: one long-running process that runs the deployments on their schedules and
any run started by hand from the UI or `prefect deployment run`.

Schedules only fire on a real Prefect server: the temporary one a plain `cchc run` uses
runs no scheduler. So without PREFECT_API_URL this starts `prefect server start` on
loopback, with its database under the data folder (it keeps the run history across
restarts), serves against it, and stops it on the way out (Ctrl-C, SIGTERM). With
PREFECT_API_URL set it serves against that server and starts nothing.

The server it starts has an API password (PREFECT_SERVER_API_AUTH_STRING, made once and
kept in the Prefect home) and CSRF protection on; while it runs, `serve.json` in the home
tells `cchc run` and `cchc report` where it is (cchc/prefect_env.py).
"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from cchc.errors import CchcError
from cchc.prefect_env import free_port as _free_port
from cchc.settings import Settings

DEFAULT_PORT = 4200
STARTUP_TIMEOUT_S = 180.0  # a first start migrates the database: 20-60 s on a small machine
STOP_TIMEOUT_S = 20.0


class ServerFailed(CchcError):
    """The local Prefect server did not start; the message says where its log is."""


def serve(settings: Settings, port: int | None = None) -> int:
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    from cchc import prefect_env

    # SIGTERM (systemd, docker stop) unwinds like Ctrl-C, so the server below is stopped.
    # Prefect's runner installs its own handler, which exits the same way, once it runs.
    signal.signal(signal.SIGTERM, _exit)
    # Runs are processes of their own: they resolve exactly the settings resolved here
    # (secrets reach them the way they reached this process: environment or config file).
    os.environ.update(settings.as_environment())
    if PREFECT_API_URL.value():
        _serve(settings)
        return 0
    home = settings.prefect_home
    auth = prefect_env.ensure_auth(home)
    with local_server(home, port, auth=auth) as api_url:
        # The UI asks for the whole auth string once; it is not printed (logs are read by many).
        print(f"Prefect server {api_url.removesuffix('/api')} (log {home / 'server.log'}; "
              f"UI login: the line in {home / prefect_env.AUTH_FILE})", flush=True)
        os.environ.update(PREFECT_API_URL=api_url, PREFECT_API_AUTH_STRING=auth)
        prefect_env.write_state(home, api_url)
        try:
            with temporary_settings({PREFECT_API_URL: api_url, PREFECT_API_AUTH_STRING: auth}):
                _serve(settings)
        finally:
            prefect_env.clear_state(home)
    return 0


def _serve(settings: Settings) -> None:
    from prefect import serve as prefect_serve

    from flows.deployments import deployments

    # Prefect 3.8's SIGTERM handler calls an async stop without awaiting it; the shutdown
    # still completes (schedules paused), so its warning would only alarm whoever reads the log.
    warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited",
                            category=RuntimeWarning)

    # limit=1: one run at a time across deployments, so a manual run started while the
    # daily one works waits its turn here instead of timing out on the store lock.
    global _unwinding
    try:
        prefect_serve(*deployments(settings, settings.run_parameters()), limit=1)
    finally:
        _unwinding = True


@contextmanager
def local_server(home: Path, port: int | None = None, auth: str | None = None):
    """A `prefect server start` on 127.0.0.1 with PREFECT_HOME=`home`; yields its API URL.

    With `auth` ("user:password") the API refuses every request without that basic-auth
    password (but the health check) and checks CSRF tokens, so another local user or a
    web page in the office's browser cannot start runs (docs/reliability.md)."""
    if port and not _port_free(port):
        raise ServerFailed(f"port {port} on 127.0.0.1 is in use; choose another with --port")
    port = port or (DEFAULT_PORT if _port_free(DEFAULT_PORT) else _free_port())
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "server.log"
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    if auth:
        env.update(PREFECT_SERVER_API_AUTH_STRING=auth, PREFECT_SERVER_CSRF_PROTECTION_ENABLED="true")
    with log_path.open("ab") as log:
        # Its own session: Ctrl-C in the terminal reaches this process only, which stops
        # the runner first (it pauses the schedules through the API) and the server last.
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    try:
        api_url = f"http://127.0.0.1:{port}/api"
        _wait_healthy(server, api_url, log_path)
        yield api_url
    finally:
        _stop(server)


def _wait_healthy(server: subprocess.Popen, api_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerFailed(f"the Prefect server exited with code {server.returncode}; see {log_path}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.5)
    raise ServerFailed(f"the Prefect server did not answer on {api_url} within "
                       f"{STARTUP_TIMEOUT_S:g} s; see {log_path}")


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's whole process group; SIGKILL to whatever is left of it."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=STOP_TIMEOUT_S)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


_unwinding = False  # set once serving has ended, by a signal or otherwise


def _exit(signum, frame) -> None:
    # A SystemExit raised while Python runs a __del__ is swallowed ("Exception ignored in
    # …"), and serving would go on: the signal is sent again shortly, until serving has
    # ended; after that, cleanup (stopping the server) must not be interrupted.
    if _unwinding:
        return
    again = threading.Timer(1.0, os.kill, (os.getpid(), signum))
    again.daemon = True
    again.start()
    sys.exit(0)


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        # As the server will bind: connections of a server just stopped (TIME_WAIT) do not count.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
