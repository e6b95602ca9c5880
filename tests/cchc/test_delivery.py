"""Handing the report to the share: archive, atomic replacement, one-line errors."""
import os
import shutil
import threading

import pytest

from cchc.delivery import DeliveryError, atomic_output, deliver_file


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "out" / "bao-cao-cchc-2024-H1.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"new version")
    return path


def test_first_delivery_into_an_empty_share(report, tmp_path):
    share = tmp_path / "share" / "cchc"
    share.mkdir(parents=True)
    delivered = deliver_file(report, share)
    assert delivered == share / report.name and delivered.read_bytes() == b"new version"
    assert sorted(p.name for p in share.iterdir()) == [report.name]  # no archive, no temp file


def test_a_missing_share_is_refused_and_never_created(report, tmp_path):
    """A share mount that is gone leaves an empty mount point: creating the share folder
    there would put the report on the local disk, where the office never sees it."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    with pytest.raises(DeliveryError, match="does not exist") as err:
        deliver_file(report, mount_point / "CCHC")
    assert str(mount_point / "CCHC") in str(err.value)
    assert list(mount_point.iterdir()) == []


def test_a_full_disk_names_the_file_being_written(tmp_path):
    """ENOSPC from a real device (/dev/full): the error names the report, not just the errno."""
    target = tmp_path / "bao-cao.xlsx"
    with pytest.raises(OSError) as err:
        with atomic_output(target) as tmp, open("/dev/full", "wb") as full:
            tmp.write_bytes(b"start")
            full.write(b"x" * 10)
            full.flush()
    assert err.value.errno == 28 and str(target) in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_previous_version_goes_to_the_archive(report, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / report.name).write_bytes(b"old version")
    os.utime(share / report.name, (1718600000, 1718600000))
    deliver_file(report, share)
    deliver_file(report, share)  # a second delivery in the same second keeps both old versions
    assert (share / report.name).read_bytes() == b"new version"
    kept = sorted((share / "archive").iterdir())
    assert [p.read_bytes() for p in kept] == [b"old version", b"new version"]
    assert kept[0].name.startswith("bao-cao-cchc-2024-H1.") and kept[0].suffix == ".xlsx"


def test_readers_never_see_a_partial_file(report, tmp_path, monkeypatch):
    """While the copy is under way the final name still holds the complete old version."""
    share = tmp_path / "share"
    share.mkdir()
    target = share / report.name
    target.write_bytes(b"old version")
    seen = []
    real_copy = shutil.copyfile

    def slow_copy(src, dst, **kw):
        with open(dst, "wb") as fh:
            fh.write(b"new ")
            seen.append(target.read_bytes())  # a reader opening the report mid-copy
        return real_copy(src, dst, **kw)
    monkeypatch.setattr(shutil, "copyfile", slow_copy)
    deliver_file(report, share)
    assert seen and set(seen) == {b"old version"}
    assert target.read_bytes() == b"new version"


def test_failed_copy_leaves_the_share_as_it_was(report, tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    (share / report.name).write_bytes(b"old version")

    def broken_copy(src, dst, **kw):
        open(dst, "wb").write(b"half")
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(shutil, "copyfile", broken_copy)
    with pytest.raises(DeliveryError, match="unreachable or not writable"):
        deliver_file(report, share)
    assert [p.name for p in share.iterdir()] == [report.name]
    assert (share / report.name).read_bytes() == b"old version"


def test_unreachable_share_raises_one_line(report, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the share's parent should be")
    with pytest.raises(DeliveryError) as err:
        deliver_file(report, blocker / "share")
    assert "\n" not in str(err.value) and str(blocker / "share") in str(err.value)


def test_locked_target_raises(report, tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(DeliveryError, match="permission denied or the file is open elsewhere"):
        deliver_file(report, share)
    assert list(share.iterdir()) == []  # the temp file was cleaned up


def test_missing_report_raises(tmp_path):
    with pytest.raises(DeliveryError, match="does not exist"):
        deliver_file(tmp_path / "nope.xlsx", tmp_path / "share")


def test_atomic_output_under_concurrent_writers(tmp_path):
    """Concurrent writers never interleave: the result is one writer's whole content."""
    path = tmp_path / "f.bin"

    def write(n):
        with atomic_output(path) as tmp:
            tmp.write_bytes(bytes([n]) * 100_000)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = path.read_bytes()
    assert len(data) == 100_000 and len(set(data)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]
