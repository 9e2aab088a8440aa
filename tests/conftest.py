"""Shared fixtures. Tests never touch the user's files or the network.

An autouse fixture points the workspace and the cache (the decoder's language models) at temporary
folders and removes the OpenAI settings of whoever runs the tests, so no test can reach a real account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from examkit.workspace import Workspace


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    monkeypatch.setenv("EXAMKIT_WORKSPACE", str(tmp_path_factory.mktemp("default-ws")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # English messages unless a test asks for German
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    with Workspace.open(ws_path) as workspace:
        yield workspace


@pytest.fixture
def configured_ws(tmp_path: Path) -> Iterator[Callable[[str], Workspace]]:
    """Opens a new workspace whose examkit.toml is the given text (closed after the test)."""
    opened: list[Workspace] = []

    def make(toml: str = "") -> Workspace:
        root = tmp_path / f"ws{len(opened)}"
        root.mkdir()
        (root / "examkit.toml").write_text(toml, encoding="utf-8")
        opened.append(Workspace.open(root).__enter__())
        return opened[-1]

    yield make
    for workspace in opened:
        workspace.__exit__(None, None, None)


class Cli:
    """Runs ``examkit`` in-process, the way the console script does (exit codes included)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env_key: bool = False):
        """``env_key``: run with a (fake) OPENAI_API_KEY set, for commands that need one."""
        from examkit_app import app

        env = {"OPENAI_API_KEY": "sk-test-not-a-real-key"} if env_key else None
        return self.runner.invoke(app, [str(a) for a in args], input=input, env=env)


@pytest.fixture
def cli() -> Cli:
    return Cli()
