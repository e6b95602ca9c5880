"""One writer at a time: a lock file beside the store, held for a whole run."""
import os
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from cchc.errors import BusyError, CchcError


class StoreBusy(BusyError):
    """Another run holds the store; the message says which lock and how long we waited."""


class StoreNotWritable(CchcError):
    """The store's folder cannot be written at all: no other run is involved."""


@contextmanager
def store_lock(store: Path, timeout_s: float):
    lock_path = _lock_path(store)
    check_writable(store)
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=timeout_s)
    except Timeout:
        raise StoreBusy(f"another cchc run is writing {store} (lock {lock_path}); "
                        f"waited {timeout_s:g} s, giving up. Try again when it has finished.") from None
    try:
        yield
    finally:
        lock.release()


def _lock_path(store: Path) -> Path:
    return Path(str(store) + ".lock")


def check_writable(store: Path) -> None:
    """Create (or open) the lock file once ourselves: a folder we may not write makes the
    lock library wait for a lock nobody holds, and the user hear "another run" instead of
    the real reason. The CLI calls it before starting Prefect, to fail at once."""
    lock_path = _lock_path(store)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as e:
        raise StoreNotWritable(
            f"store {store} cannot be written: {e.strerror or e} ({e.filename or lock_path}); "
            "choose a folder this user may write with --store or CCHC_STORE") from None
