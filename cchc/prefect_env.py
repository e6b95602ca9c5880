"""Prefect settings the product needs, applied before Prefect is imported.

Only defaults are set: a variable the user has set wins.
"""
import logging
import os

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


def configure(quiet_console: bool = True) -> None:
    """Set Prefect's defaults. With `quiet_console`, Prefect's log lines stay off the
    terminal (they still reach the Prefect API, where the UI shows them): the CLI prints
    its own summary, and errors as one line, instead of Prefect's tracebacks."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if quiet_console:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    for name in NOISY_SHUTDOWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def quiet_shutdown_loggers() -> None:
    """Prefect's logging setup resets levels when it loads; call again after it did."""
    for name in NOISY_SHUTDOWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
