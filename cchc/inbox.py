"""What is in the inbox folder and what of it needs reading.

A file is recognised as unchanged by its name, size and modification time, and is then
not read at all; only a new or changed file is read and hashed (SHA-256 of its bytes),
and the hash decides whether its content is new. A copy that keeps size and time
(`cp -p`, `rsync -t`) still changes the file's ctime or inode: such a file, or every file
with `verify`, is read and its hash compared, and only a different hash makes it changed.

A name the store knows that is no longer in the inbox either was renamed (a new name in
the same scan has its device and inode) or left the inbox; the store decides what a
departure does to its records (setting `vanished_files`).

Everything an inbox can hold that is not a finished article file is decided here, before
any byte is read: hidden and temporary files are skipped, a file modified in the last
`min_age_s` seconds is left for the next run, and links out of the inbox, named pipes and
other non-files, oversized files, names that are not UTF-8 and file types the readers do
not take (transforms.read.document.ACCEPTED_SUFFIXES) are rejected with a reason.
"""
import hashlib
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from transforms.read.document import ACCEPTED_SUFFIXES

# Editors' and browsers' temporary names: the real file arrives under another name.
_TEMP_PREFIXES = ("~",)  # Office lock files "~$x.docx", editor backups
_TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", "~")


# Slotted, with the path as a str: a scan holds one per new file for the whole run, and
# a dict-backed one with a Path took ~1 KB (100 000 new files: 107 MB; now 11 MB).
@dataclass(frozen=True, slots=True)
class InboxFile:
    name: str       # path relative to the inbox, "/"-separated
    path: str
    size: int
    mtime_ns: int
    ctime_ns: int | None = None
    inode: int | None = None
    device: int | None = None
    known: tuple | None = None      # the store's row (store.KnownFile) when it has one
    verify: bool = False            # same size and time, but may differ: compare the hash
    replaces: str | None = None     # the name it had before a rename

    @property
    def file_date(self) -> date:
        return datetime.fromtimestamp(self.mtime_ns / 1e9).date()

    def row(self, **fields) -> dict:
        """A row of the store's files table for this file."""
        return {"name": self.name, "size": self.size, "mtime_ns": self.mtime_ns,
                "ctime_ns": self.ctime_ns, "inode": self.inode, "device": self.device,
                "replaces": self.replaces, **fields}

    def touch_row(self) -> dict:
        """Its known row with today's stat: the content is the one the store has."""
        k = self.known
        return self.row(content_sha256=k.content_sha256, status=k.status, reason=k.reason,
                        failed_rules=k.failed_rules)


@dataclass
class Scan:
    to_read: list[InboxFile] = field(default_factory=list)      # new, changed or to verify
    unchanged: list[str] = field(default_factory=list)
    touched: list[InboxFile] = field(default_factory=list)      # unchanged, but its row needs today's stat
    vanished: list[str] = field(default_factory=list)           # known names no longer in the inbox
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): not an article file
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): an article file we cannot take
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): try again next run


def inbox_key(inbox: Path) -> str:
    """The inbox as the store keys its files: one absolute path however it was written."""
    return str(Path(inbox).resolve())


def scan_inbox(inbox: Path, known: dict[str, tuple], max_bytes: int, rebuild: bool = False,
               min_age_s: float = 0.0, verify: bool = False) -> Scan:
    """Compare the inbox with `known` (Store.file_index()); nothing is read here."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    scan = Scan()
    root = inbox.resolve()
    now_ns = time.time_ns()
    present = set()
    for path in _walk(inbox, scan):
        filename = path.name
        name = path.relative_to(inbox).as_posix()
        present.add(name)
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
            scan.unreadable.append((name, f"cannot be read: {e.strerror or e}"))
            continue
        if reason:
            scan.rejected.append((name, reason))
            continue
        seen = known.get(name)
        entry = InboxFile(name, str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                          st.st_dev, known=seen)
        age_s = (now_ns - st.st_mtime_ns) / 1e9
        if not rebuild and seen and seen.size == st.st_size and seen.mtime_ns == st.st_mtime_ns:
            moved = seen.ctime_ns is not None and (seen.ctime_ns, seen.inode, seen.device) != \
                (st.st_ctime_ns, st.st_ino, st.st_dev)
            if (verify or moved) and seen.content_sha256:
                scan.to_read.append(replace(entry, verify=True))  # rewritten in place? the hash says
                continue
            scan.unchanged.append(name)  # including files rejected before: same verdict
            if seen.legacy or seen.gone or seen.ctime_ns is None or moved:
                scan.touched.append(entry)
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
            scan.to_read.append(entry)
    _match_renames(scan, known, present)
    return scan


def _walk(inbox: Path, scan: Scan) -> Iterator[Path]:
    """Every non-folder entry under `inbox`, folders in name order, hidden folders and
    links to folders not entered. A stack, not recursion: any depth works."""
    stack = [inbox]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            if folder == inbox:
                raise
            scan.unreadable.append((Path(folder).relative_to(inbox).as_posix(),
                                    f"folder cannot be read: {e.strerror or e}"))
            continue
        folders, files = [], []
        for e in entries:
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(e)
            elif not e.name.startswith(".") and not e.is_symlink():
                folders.append(e)
        names = [e.name for e in files]
        for e in folders:
            if _is_saved_page_assets(e.name, names):
                # "Web page, complete" saves the page's images and scripts beside it: not articles
                scan.skipped.append((Path(e.path).relative_to(inbox).as_posix() + "/",
                                     "ảnh và mã của trang web đã lưu / images and scripts of a saved web page"))
        yield from (Path(e.path) for e in files)
        stack.extend(reversed([Path(e.path) for e in folders if not _is_saved_page_assets(e.name, names)]))


def _match_renames(scan: Scan, known: dict, present: set[str]) -> None:
    """A known name absent from the inbox whose device and inode a new name of this scan
    has was renamed: the new name `replaces` it. The other absent names `vanished`."""
    absent = {n: k for n, k in known.items() if not k.legacy and n not in present}
    by_inode = {(k.device, k.inode): n for n, k in absent.items() if k.inode is not None}
    renamed = set()
    for i, entry in enumerate(scan.to_read):
        old = by_inode.get((entry.device, entry.inode)) if entry.known is None else None
        if old and old not in renamed:
            scan.to_read[i] = replace(entry, replaces=old)
            renamed.add(old)
    scan.vanished = sorted(n for n, k in absent.items() if not k.gone and n not in renamed)


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
