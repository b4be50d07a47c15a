"""The shared disk cache: user folder first, shipped folder second, checked, bounded."""

from __future__ import annotations

import os

from briefing.diskcache import DiskCache


def _cache(tmp_path):
    cache = DiskCache("things", "unused", ".bin", lambda data: data.endswith(b"END"))
    cache.configure(user=tmp_path / "user", shipped=tmp_path / "shipped")
    return cache


def test_write_then_read_back_from_the_user_folder(tmp_path):
    cache = _cache(tmp_path)
    assert cache.read("k") is None
    cache.write("k", b"dataEND", keep=5)
    assert (tmp_path / "user" / "k.bin").read_bytes() == b"dataEND"
    assert cache.read("k") == b"dataEND"
    # Nothing but the file itself is left in the folder (no temporary files).
    assert sorted(os.listdir(tmp_path / "user")) == ["k.bin"]


def test_shipped_folder_is_read_when_the_user_folder_misses(tmp_path):
    cache = _cache(tmp_path)
    (tmp_path / "shipped").mkdir()
    (tmp_path / "shipped" / "k.bin").write_bytes(b"shippedEND")
    assert cache.read("k") == b"shippedEND"
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "k.bin").write_bytes(b"userEND")
    assert cache.read("k") == b"userEND"


def test_a_file_failing_the_check_is_a_miss(tmp_path):
    cache = _cache(tmp_path)
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "k.bin").write_bytes(b"torn")
    assert cache.read("k") is None
    (tmp_path / "shipped").mkdir()
    (tmp_path / "shipped" / "k.bin").write_bytes(b"wholeEND")
    assert cache.read("k") == b"wholeEND"


def test_the_oldest_files_beyond_the_bound_are_deleted(tmp_path):
    cache = _cache(tmp_path)
    folder = tmp_path / "user"
    for index in range(4):
        cache.write(f"k{index}", b"END", keep=10)
        os.utime(folder / f"k{index}.bin", ns=(index * 10**9, index * 10**9))
    (folder / "other.txt").write_text("not ours")
    cache.write("k4", b"END", keep=3)
    assert sorted(os.listdir(folder)) == ["k2.bin", "k3.bin", "k4.bin", "other.txt"]


def test_turned_off_and_unwritable_folders_are_silent(tmp_path):
    cache = _cache(tmp_path)
    cache.configure(user=None, shipped=None)
    cache.write("k", b"END", keep=3)
    assert cache.read("k") is None
    assert not (tmp_path / "user").exists()
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    cache.configure(user=blocker / "sub", shipped=None)
    cache.write("k", b"END", keep=3)  # no error: the cache only costs a remake
    assert cache.read("k") is None


def test_the_environment_turns_the_default_user_folder_off(tmp_path, monkeypatch):
    cache = _cache(tmp_path)
    cache.configure_user(True)
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "off")
    assert cache.user_folder() is None
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "")
    assert cache.user_folder() is not None and cache.user_folder().name == "things"
