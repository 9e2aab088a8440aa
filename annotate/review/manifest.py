"""The manifest of a ``review export`` folder, read as data before anything is looked up.

It maps each file back to its page or document, the revision it was based on and a hash of what
was written. It lies in a folder a person edits, so it may be broken or edited by hand: the
whole file must be a mapping with ``files``, each entry is validated on its own (an id SQLite can
hold, a real revision, a known kind), and a bad entry is named while the others are imported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from annotate.review.ids import RowId
from examkit.errors import InputFileError, UserInputError

MANIFEST = ".examkit-review.json"
AGAIN = "Export again into an empty folder."


class PageEntry(BaseModel):
    kind: Literal["page"]
    page_id: RowId
    base: RowId | None = None
    written: str
    final_newline: bool = False


class AnalysisEntry(BaseModel):
    kind: Literal["analysis"]
    document_id: str = Field(min_length=1)
    base: RowId | None = None
    written: str


Entry = PageEntry | AnalysisEntry
_ENTRY: TypeAdapter[Entry] = TypeAdapter(Annotated[Entry, Field(discriminator="kind")])


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest's data (``{"files": {name: entry}}``); :class:`InputFileError` for anything else."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"not readable as JSON ({exc})", advice=AGAIN) from exc
    except RecursionError as exc:
        raise InputFileError(path, "nested too deep to be a manifest", advice=AGAIN) from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise InputFileError(path, 'not a manifest of `examkit review export` (it must hold "files": {...})',
                             advice=AGAIN)
    return data


def entry(raw: Any) -> Entry:
    """One file's entry, validated; :class:`UserInputError` naming what is wrong."""
    try:
        return _ENTRY.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the entry"
        raise UserInputError(f"its entry in {MANIFEST} is not readable ({where}: {first['msg']})",
                             advice=AGAIN) from exc
