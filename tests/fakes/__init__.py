"""Fakes shared by the test areas: an OpenAI-compatible server (``tests.fakes.openai_server``).

``openai_server`` is a pytest fixture: a started :class:`~tests.fakes.openai_server.FakeOpenAI`
with ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` pointing the official SDK at it. Import it into an
area's ``conftest.py`` (``from tests.fakes import openai_server``) to use it there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


__all__ = ["FakeOpenAI", "openai_server"]
