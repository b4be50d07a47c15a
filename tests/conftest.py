"""Shared fixtures: the shipped library and a private user-data folder for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.library import Library, load_library


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a cache folder shared by the session (matplotlib's font list is slow to build)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def user_home(
    tmp_path_factory: pytest.TempPathFactory, shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point HOME and the XDG folders at a fresh folder so no test touches the real home.

    Subprocesses inherit the same environment. Returns the fake home.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    monkeypatch.setenv("MPLCONFIGDIR", str(shared_cache / "matplotlib"))
    return home


@pytest.fixture
def user_templates_dir(user_home: Path) -> Path:
    """Return the (empty, existing) folder where the user's own templates live."""
    from briefing.templates import user_templates_dir as find_dir

    folder = find_dir()
    assert folder.is_relative_to(user_home), folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def library() -> Library:
    """Return the shipped content library."""
    return load_library()
