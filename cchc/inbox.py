"""What is in the inbox folder and what of it needs reading.

A file is recognised as unchanged by its name, size and modification time, and is then
not read at all; only a new or changed file is read and hashed (SHA-256 of its bytes),
and the hash decides whether its content is new.
"""
import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# Editors' and browsers' temporary names: the real file arrives under another name.
_TEMP_PREFIXES = ("~",)  # Office lock files "~$x.docx", editor backups
_TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", "~")


@dataclass(frozen=True)
class InboxFile:
    name: str       # path relative to the inbox, "/"-separated
    path: Path
    size: int
    mtime_ns: int

    @property
    def file_date(self) -> date:
        return datetime.fromtimestamp(self.mtime_ns / 1e9).date()


@dataclass
class Scan:
    to_read: list[InboxFile] = field(default_factory=list)      # new or changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): not an article file
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): an article file we cannot take


def scan_inbox(inbox: Path, known: dict[str, tuple], max_bytes: int, rebuild: bool = False) -> Scan:
    """Compare the inbox with `known` (Store.file_index()); nothing is read here."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    scan = Scan()
    root = inbox.resolve()
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            name = path.relative_to(inbox).as_posix()
            reason = _skip_reason(filename)
            if reason:
                scan.skipped.append((name, reason))
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                scan.rejected.append((name, "symbolic link to a file outside the inbox (not followed)"))
                continue
            try:
                st = path.stat()
            except OSError as e:
                scan.rejected.append((name, f"cannot be read: {e.strerror}"))
                continue
            seen = known.get(name)
            if not rebuild and seen and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
                scan.unchanged.append(name)  # including files rejected before: same verdict
            elif st.st_size > max_bytes:
                scan.rejected.append((name, f"too large: {st.st_size / 1e6:.1f} MB, the limit is "
                                            f"{max_bytes / 1e6:.1f} MB (setting max_file_mb)"))
            else:
                scan.to_read.append(InboxFile(name, path, st.st_size, st.st_mtime_ns))
    return scan


def read_file(entry: InboxFile) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256; raises OSError, or ChangedWhileReading when the
    file is still being written (its size or time moved since it was scanned)."""
    data = entry.path.read_bytes()
    st = entry.path.stat()
    if st.st_size != entry.size or st.st_mtime_ns != entry.mtime_ns or len(data) != entry.size:
        raise ChangedWhileReading(entry.name)
    return data, hashlib.sha256(data).hexdigest()


class ChangedWhileReading(OSError):
    """The file is still being written; it is left for the next run."""


def _skip_reason(filename: str) -> str | None:
    if filename.startswith("."):
        return "hidden file"
    lower = filename.lower()
    if lower.startswith(_TEMP_PREFIXES) or lower.endswith(_TEMP_SUFFIXES):
        return "temporary file"
    return None
