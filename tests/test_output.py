"""Outputs appear whole or not at all, with the permissions any new file would get."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from newsparse.output import write_atomically, write_bytes_atomically


def _plain_file_mode(directory: Path) -> int:
    probe = directory / "probe"
    probe.write_bytes(b"")
    return probe.stat().st_mode & 0o777


def test_bytes_are_written_whole_and_the_stat_is_the_file_s(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    data = "„Ziua” ș ț\n".encode() * 10_000
    info = write_bytes_atomically(str(target), data)
    assert target.read_bytes() == data
    after = target.stat()
    assert (info.st_size, info.st_mtime_ns, info.st_ino) == (
        after.st_size,
        after.st_mtime_ns,
        after.st_ino,
    )
    with pytest.raises(TypeError):
        write_bytes_atomically(str(target), "text")  # type: ignore[arg-type]
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_both_writers_give_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    old_mask = os.umask(0o027)
    try:
        write_bytes_atomically(str(tmp_path / "bytes.json"), b"{}")
        with write_atomically(str(tmp_path / "stream.json")) as stream:
            stream.write("{}")
        expected = _plain_file_mode(tmp_path)
    finally:
        os.umask(old_mask)
    assert expected == 0o640
    assert (tmp_path / "bytes.json").stat().st_mode & 0o777 == expected
    assert (tmp_path / "stream.json").stat().st_mode & 0o777 == expected


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    calls = []

    def full_disk(fd: int, data: object) -> int:
        calls.append(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomically(str(target), b"new")
    monkeypatch.undo()
    assert calls
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_a_missing_directory_is_an_error_not_a_stray_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_bytes_atomically(str(tmp_path / "missing" / "a.json"), b"{}")
    assert list(tmp_path.iterdir()) == []


def test_make_directories_makes_what_is_missing_and_refuses_a_file_in_the_way(
    tmp_path: Path,
) -> None:
    from newsparse.output import make_directories

    make_directories(str(tmp_path / "a" / "b" / "c"))
    assert (tmp_path / "a" / "b" / "c").is_dir()
    make_directories(str(tmp_path / "a" / "b"))  # there already: nothing to do
    (tmp_path / "f").write_text("x")
    with pytest.raises(FileExistsError):
        make_directories(str(tmp_path / "f"))
    with pytest.raises(NotADirectoryError):
        make_directories(str(tmp_path / "f" / "g"))
    assert (tmp_path / "f").read_text() == "x"


def test_make_directories_under_a_broken_link_fails_as_os_makedirs_does(tmp_path: Path) -> None:
    from newsparse.output import make_directories

    (tmp_path / "dangling").symlink_to("missing")
    (tmp_path / "loop").symlink_to("loop")
    for link, error in (("dangling", FileNotFoundError), ("loop", OSError)):
        target = str(tmp_path / link / "sub")
        with pytest.raises(error) as ours:
            make_directories(target)
        with pytest.raises(error) as theirs:
            os.makedirs(target, exist_ok=True)
        assert (type(ours.value), ours.value.errno, ours.value.filename) == (
            type(theirs.value),
            theirs.value.errno,
            theirs.value.filename,
        )
    assert not (tmp_path / "missing").exists()
