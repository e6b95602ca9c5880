"""What the inbox scan decides before reading a byte, and reading a file that moves."""
import os
import time

import pytest

from cchc.inbox import ChangedWhileReading, read_file, scan_inbox
from flows.pipeline import read_files

TEXT = "Cải cách hành chính 6 tháng đầu năm 2024: hoàn thành 400/991 nhiệm vụ.\n".encode()


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def _old(path):
    os.utime(path, (time.time() - 3600, time.time() - 3600))


def test_a_file_modified_within_min_age_is_left_for_the_next_run(inbox):
    (inbox / "done.txt").write_bytes(TEXT)
    _old(inbox / "done.txt")
    (inbox / "copying.txt").write_bytes(TEXT)
    scan = scan_inbox(inbox, {}, 2**20, min_age_s=60)
    assert [f.name for f in scan.to_read] == ["done.txt"]
    assert scan.skipped[0][0] == "copying.txt" and "left for the next run" in scan.skipped[0][1]
    assert [f.name for f in scan_inbox(inbox, {}, 2**20).to_read] == ["copying.txt", "done.txt"]


def test_a_file_over_the_size_limit_is_rejected_without_reading_it(inbox):
    with open(inbox / "big.txt", "wb") as fh:  # sparse: 50 MB that cost no disk and no reading
        fh.truncate(50 * 2**20)
    scan = scan_inbox(inbox, {}, 20 * 2**20)
    assert scan.rejected == [("big.txt", "too large: 52.4 MB, the limit is 21.0 MB (setting max_file_mb)")]


def test_a_file_that_grows_after_the_scan_is_not_taken_half(inbox):
    path = inbox / "a.txt"
    path.write_bytes(TEXT)
    entry = scan_inbox(inbox, {}, 2**20).to_read[0]
    with open(path, "ab") as fh:
        fh.write(TEXT * 1000)
    with pytest.raises(ChangedWhileReading):
        read_file(entry)


AGAIN = "; it will be read again next run"


def test_a_file_gone_between_scan_and_read_is_rejected_with_the_reason(inbox):
    (inbox / "a.txt").write_bytes(TEXT)
    entries = scan_inbox(inbox, {}, 2**20).to_read
    (inbox / "a.txt").unlink()
    batch = read_files.fn(entries, set(), set(), False)
    assert batch.rejected == [("a.txt", "cannot be read: No such file or directory" + AGAIN)]
    assert batch.items == [] and batch.files == []  # no row: the store keeps what it had


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_a_file_without_read_permission_is_rejected_with_the_reason(inbox):
    (inbox / "a.txt").write_bytes(TEXT)
    (inbox / "a.txt").chmod(0)
    batch = read_files.fn(scan_inbox(inbox, {}, 2**20).to_read, set(), set(), False)
    assert batch.rejected == [("a.txt", "cannot be read: Permission denied" + AGAIN)]
    assert batch.files == []


def test_a_loop_of_links_is_rejected_as_broken(inbox):
    (inbox / "a.txt").symlink_to(inbox / "b.txt")
    (inbox / "b.txt").symlink_to(inbox / "a.txt")
    scan = scan_inbox(inbox, {}, 2**20)
    assert [(n, r.split(" (")[0]) for n, r in scan.rejected] == [
        ("a.txt", "broken symbolic link"), ("b.txt", "broken symbolic link")]


def test_the_forms_offices_receive_are_read_and_anything_else_listed_with_a_reason(inbox):
    accepted = ["a.txt", "b.md", "c.html", "d.HTM", "e.docx", "f.doc", "g.odt", "h.rtf", "i.pdf"]
    others = ["bang.xlsx", "anh.jpg", "ghi-chu", "bai.TXT.zip"]
    for name in accepted + others:
        (inbox / name).write_bytes(TEXT)
    scan = scan_inbox(inbox, {}, 2**20)
    assert sorted(f.name for f in scan.to_read) == sorted(accepted)
    reasons = dict(scan.rejected)
    assert sorted(reasons) == sorted(others)
    assert reasons["bang.xlsx"].startswith("không nhận loại tệp .xlsx")
    assert "unsupported file type .xlsx: only .txt .md .html .htm .docx .doc .odt .rtf .pdf" in reasons["bang.xlsx"]
    assert "no extension" in reasons["ghi-chu"]


def test_the_folder_a_browser_saves_beside_a_page_is_skipped_not_rejected(inbox):
    (inbox / "bai.html").write_bytes(TEXT)
    (inbox / "bai_files").mkdir()
    for asset in ("style.css", "app.js", "anh.jpg"):
        (inbox / "bai_files" / asset).write_bytes(b"x")
    (inbox / "khac_files").mkdir()  # no page beside it: its files are listed as usual
    (inbox / "khac_files" / "bang.xlsx").write_bytes(b"x")
    scan = scan_inbox(inbox, {}, 2**20)
    assert [f.name for f in scan.to_read] == ["bai.html"]
    assert scan.skipped == [("bai_files/", "ảnh và mã của trang web đã lưu / images and scripts of a saved web page")]
    assert [name for name, _ in scan.rejected] == ["khac_files/bang.xlsx"]
