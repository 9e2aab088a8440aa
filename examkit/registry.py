"""The one lazy loader of registry entries (``"module:attribute.path"``) for engines and backends.

Registries name their entries as strings so that a module, and its heavy dependencies, is imported
only when the entry is chosen (the OpenAI path never loads torch).
"""

from __future__ import annotations

import importlib
from typing import Any


def load_entry(target: str) -> Any:
    """The object ``target`` names, ``"package.module:Class"`` or ``"package.module:Class.attr"``."""
    module_name, _, attribute = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found
