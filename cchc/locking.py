"""One writer at a time: a lock file beside the store, held for a whole run."""
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class StoreBusy(RuntimeError):
    """Another run holds the store; the message says which lock and how long we waited."""


@contextmanager
def store_lock(store: Path, timeout_s: float):
    lock_path = Path(str(store) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
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
