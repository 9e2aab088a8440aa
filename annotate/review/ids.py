"""Ids and revision numbers as the review API accepts them from a client.

SQLite holds 64-bit integers: a larger id made the database raise ``OverflowError`` (a 500). A
negative base is the library's internal "any revision" (:data:`examkit.lines.ANY`), which skips
the stale-save check; a client must always name a real revision. Out-of-range values are
refused by validation, answered in German by :mod:`annotate.review.app`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

#: The largest integer SQLite stores.
MAX_ID = 2**63 - 1

#: An id or revision in a request body.
RowId = Annotated[int, Field(ge=0, le=MAX_ID)]
#: An id in the URL.
PathId = Annotated[int, Path(ge=0, le=MAX_ID)]
