"""Writing report files so nobody ever sees half of one, and handing them to the share.

`atomic_output` is the one place that writes a file atomically: everything is written
to a temporary file in the target's folder (same file system, so the final rename is
atomic) and renamed over the target only once complete.
"""
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from cchc.errors import CchcError
from cchc.faults import crash_point


class DeliveryError(CchcError):
    """A report could not be put on the share; the message is one line saying why."""


@contextmanager
def atomic_output(path: Path):
    """Yields a temporary path beside `path`; on success it replaces `path` in one step.

    On any error the temporary file is removed and `path` is left as it was.
    """
    path = Path(path)
    tmp = path.with_name(_temp_name(path.name))
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        if e.filename is None:  # a full disk (ENOSPC) says which file it could not write
            raise OSError(e.errno, e.strerror or str(e), str(path)) from e
        raise
    finally:
        tmp.unlink(missing_ok=True)


_PARTIAL = re.compile(r"\..+\.[0-9a-f]{8}\.part")
_NAME_MAX = 255  # bytes in one file name on Linux, macOS and Windows file systems


def _temp_name(name: str) -> str:
    """Hidden and unmistakable, so a reader of the folder never opens it as the report;
    the target's name is shortened in it when the whole would pass the file-name limit."""
    suffix = f".{uuid.uuid4().hex[:8]}.part"
    room = _NAME_MAX - 1 - len(suffix)
    stem = name.encode("utf-8")[:room].decode("utf-8", "ignore") or "x"
    return f".{stem}{suffix}"  # matches _PARTIAL


def remove_partial_outputs(folder: Path) -> None:
    """Delete the temporary files of `atomic_output` that a killed process left behind.

    Call it only under the store lock, when no other run can be writing one.
    """
    folder = Path(folder)
    if folder.is_dir():
        for p in folder.iterdir():
            if _PARTIAL.fullmatch(p.name):
                p.unlink(missing_ok=True)


def deliver_file(src: Path, share_dir: Path) -> Path:
    """Copy `src` into `share_dir` under its own name, keeping the version it replaces in
    `share_dir/archive/` (suffixed with that version's modification time).

    One attempt; the caller decides about retries. The file under the final name is
    always a complete report: the old one until the new one has been fully copied.
    The share folder must exist: it is never created, because a share that is missing is
    almost always a network drive that is not mounted, and a folder made in its place on
    the local disk would swallow the report while the office waits for it.
    """
    src, share_dir = Path(src), Path(share_dir)
    target = share_dir / src.name
    if not src.is_file():
        raise DeliveryError(f"report {src} does not exist")
    if not share_dir.is_dir():
        raise DeliveryError(f"share folder {share_dir} does not exist (a network drive not "
                            "mounted?); it is not created: mount it or create the folder")
    try:
        with atomic_output(target) as tmp:
            shutil.copyfile(src, tmp)
            crash_point("deliver")
            if target.exists():
                _archive(target)
    except PermissionError as e:
        raise DeliveryError(f"cannot write {target}: permission denied or the file is open "
                            f"elsewhere ({e.strerror})") from None
    except OSError as e:
        raise DeliveryError(f"share {share_dir} is unreachable or not writable: "
                            f"{e.strerror or e}") from None
    return target


def _archive(target: Path) -> Path:
    """Copy (not move) the current version into archive/, so the final name stays valid
    until the new version replaces it."""
    archive = target.parent / "archive"
    archive.mkdir(exist_ok=True)
    stamp = datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    kept = archive / f"{target.stem}.{stamp}{target.suffix}"
    n = 1
    while kept.exists():
        n += 1
        kept = archive / f"{target.stem}.{stamp}-{n}{target.suffix}"
    shutil.copy2(target, kept)
    return kept
