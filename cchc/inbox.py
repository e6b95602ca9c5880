"""What is in the inbox folder and what of it needs reading.

A file is recognised as unchanged by its name, size and modification time, and is then
not read at all; only a new or changed file is read and hashed (SHA-256 of its bytes),
and the hash decides whether its content is new.

Everything an inbox can hold that is not a finished article file is decided here, before
any byte is read: hidden and temporary files are skipped, a file modified in the last
`min_age_s` seconds is left for the next run, and links out of the inbox, named pipes and
other non-files, oversized files, names that are not UTF-8 and file types the readers do
not take (transforms.document.ACCEPTED_SUFFIXES) are rejected with a reason.
"""
import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from transforms.document import ACCEPTED_SUFFIXES

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


def scan_inbox(inbox: Path, known: dict[str, tuple], max_bytes: int, rebuild: bool = False,
               min_age_s: float = 0.0) -> Scan:
    """Compare the inbox with `known` (Store.file_index()); nothing is read here."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    scan = Scan()
    root = inbox.resolve()
    now_ns = time.time_ns()
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in [d for d in dirnames if _is_saved_page_assets(d, filenames)]:
            # "Web page, complete" saves the page's images and scripts beside it: not articles
            dirnames.remove(d)
            scan.skipped.append(((Path(dirpath) / d).relative_to(inbox).as_posix() + "/",
                                 "ảnh và mã của trang web đã lưu / images and scripts of a saved web page"))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            name = path.relative_to(inbox).as_posix()
            if not _is_utf8(name):
                # The store and the terminal take UTF-8 only: show the raw bytes escaped.
                shown = os.fsencode(name).decode("utf-8", "backslashreplace")
                scan.rejected.append((shown, "file name is not valid UTF-8 (a name from another "
                                             "system's code page): rename the file"))
                continue
            reason = _skip_reason(filename)
            if reason:
                scan.skipped.append((name, reason))
                continue
            try:
                st, reason = _check_entry(path, root)
            except OSError as e:
                st, reason = None, f"cannot be read: {e.strerror or e}"
            if reason:
                scan.rejected.append((name, reason))
                continue
            seen = known.get(name)
            age_s = (now_ns - st.st_mtime_ns) / 1e9
            if not rebuild and seen and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
                scan.unchanged.append(name)  # including files rejected before: same verdict
            elif Path(filename).suffix.lower() not in ACCEPTED_SUFFIXES:
                scan.rejected.append((name, _unsupported(filename)))
            elif st.st_size > max_bytes:
                scan.rejected.append((name, f"too large: {st.st_size / 1e6:.1f} MB, the limit is "
                                            f"{max_bytes / 1e6:.1f} MB (setting max_file_mb)"))
            elif abs(age_s) < min_age_s:
                # A copy in progress; a far-future time is clock skew, not a write, and is read.
                scan.skipped.append((name, f"modified {max(age_s, 0):.1f} s ago, may still be being "
                                           "written; left for the next run (setting min_file_age_s)"))
            else:
                scan.to_read.append(InboxFile(name, path, st.st_size, st.st_mtime_ns))
    return scan


def _check_entry(path: Path, root: Path) -> tuple[os.stat_result | None, str | None]:
    """The stat of what `path` names, or a reason it is not an article file we may read."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (FileNotFoundError, RuntimeError):  # RuntimeError: a loop of links
            return None, f"broken symbolic link (to {os.readlink(path)})"
        if not target.is_relative_to(root):
            return None, "symbolic link to a file outside the inbox (not followed)"
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        # Reading a named pipe would wait forever; a socket or device is no article either.
        return None, f"not a regular file but {_KINDS.get(stat.S_IFMT(st.st_mode), 'a special file')}"
    return st, None


_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}


def read_file(entry: InboxFile) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256; raises OSError, or ChangedWhileReading when the
    file is still being written (its size or time moved since it was scanned).

    Reads at most one byte more than the scanned size, so a file that grows meanwhile
    costs no more memory than the size limit allowed; O_NONBLOCK so a file replaced by a
    named pipe since the scan cannot hang the run.
    """
    with open(os.open(entry.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ChangedWhileReading(entry.name)
        data = fh.read(entry.size + 1)
        st = os.fstat(fh.fileno())
    if st.st_size != entry.size or st.st_mtime_ns != entry.mtime_ns or len(data) != entry.size:
        raise ChangedWhileReading(entry.name)
    return data, hashlib.sha256(data).hexdigest()


class ChangedWhileReading(OSError):
    """The file is still being written; it is left for the next run."""


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")  # os.walk turns undecodable bytes into lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def _is_saved_page_assets(folder: str, filenames: list[str]) -> bool:
    """`bai_files/` beside `bai.html` (`bai.htm`): what browsers save with a complete page."""
    return folder.endswith("_files") and any(
        f"{folder[:-len('_files')]}{suffix}" in filenames for suffix in (".html", ".htm"))


def _unsupported(filename: str) -> str:
    suffix = Path(filename).suffix.lower() or "(không có đuôi / no extension)"
    accepted = " ".join(ACCEPTED_SUFFIXES)
    return (f"không nhận loại tệp {suffix}: chỉ nhận {accepted}; lưu bài viết thành một trong các loại này"
            f" / unsupported file type {suffix}: only {accepted} are read; save the article as one of them")


def _skip_reason(filename: str) -> str | None:
    if filename.startswith("."):
        return "hidden file"
    lower = filename.lower()
    if lower.startswith(_TEMP_PREFIXES) or lower.endswith(_TEMP_SUFFIXES):
        return "temporary file"
    return None
