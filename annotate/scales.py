"""Grade scales as data: which percent earns which grade.

Thresholds differ between schools and federal states, so a scale is a small table a user can
write in TOML, not code. Two presets ship (``oberstufe``, the 15-point system of the spec, and
``sek1``, grades 1–6); a workspace may add ``scales/NAME.toml``::

    description = "Gesamtschule NRW, Sek I"
    [[rows]]
    min_percent = 87
    grade = "1"
    # ... one row per grade, best first, the last with min_percent = 0
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from annotate.model import validation_message
from examkit.errors import InputFileError, UserInputError


class ScaleRow(BaseModel):
    """Percent ≥ ``min_percent`` earns ``grade`` (and ``notenpunkte`` in the 15-point system)."""

    model_config = ConfigDict(extra="forbid")
    min_percent: float = Field(ge=0, le=100)
    grade: str
    notenpunkte: int | None = None


class GradeScale(BaseModel):
    """Rows from the best grade down; the last row starts at 0 % so every percent has a grade."""

    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    rows: list[ScaleRow]

    @model_validator(mode="after")
    def _ordered(self) -> GradeScale:
        if not self.rows:
            raise ValueError("a scale needs at least one row")
        thresholds = [r.min_percent for r in self.rows]
        if any(a <= b for a, b in zip(thresholds, thresholds[1:])):
            raise ValueError("rows must go from the best grade down, with strictly falling min_percent")
        if thresholds[-1] != 0:
            raise ValueError("the last row must have min_percent = 0, so that every percent has a grade")
        return self

    def row_for(self, pct: float) -> ScaleRow:
        for row in self.rows:
            if pct >= row.min_percent:
                return row
        return self.rows[-1]

    def grade_for(self, pct: float) -> str:
        return self.row_for(pct).grade

    def rank(self, grade: str) -> int | None:
        """Position of a stated grade (0 = best), accepting ``2 +``, ``13 NP``; None if unknown."""
        wanted = normalize_grade(grade)
        for i, row in enumerate(self.rows):
            if normalize_grade(row.grade) == wanted:
                return i
        points = wanted.removesuffix("np").removesuffix("notenpunkte").removesuffix("punkte")
        if points.isdigit():
            for i, row in enumerate(self.rows):
                if row.notenpunkte == int(points):
                    return i
        return None

    def matches(self, stated: str, pct: float) -> bool:
        """Whether a stated grade (label or Notenpunkte) is what this scale gives for ``pct``."""
        return self.rank(stated) == self.rows.index(self.row_for(pct))


def normalize_grade(grade: str) -> str:
    return "".join(grade.split()).lower().replace("–", "-").rstrip(".")


_OBERSTUFE = [
    (95, "1+", 15), (90, "1", 14), (85, "1-", 13), (80, "2+", 12), (75, "2", 11), (70, "2-", 10),
    (65, "3+", 9), (60, "3", 8), (55, "3-", 7), (50, "4+", 6), (45, "4", 5), (40, "4-", 4),
    (33, "5+", 3), (27, "5", 2), (20, "5-", 1), (0, "6", 0),
]
_SEK1 = [(92, "1"), (81, "2"), (67, "3"), (50, "4"), (30, "5"), (0, "6")]

PRESETS: dict[str, GradeScale] = {
    "oberstufe": GradeScale(
        name="oberstufe",
        description="Gymnasiale Oberstufe, 15 Notenpunkte (spec table)",
        rows=[ScaleRow(min_percent=p, grade=g, notenpunkte=n) for p, g, n in _OBERSTUFE],
    ),
    "sek1": GradeScale(
        name="sek1",
        description="Sekundarstufe I, Noten 1-6 (92/81/67/50/30 %)",
        rows=[ScaleRow(min_percent=p, grade=g) for p, g in _SEK1],
    ),
}


def load_scale_file(path: Path) -> GradeScale:
    """Read a user's scale from TOML; the name defaults to the file name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(path, f"not a readable TOML scale ({exc})") from exc
    data.setdefault("name", path.stem)
    try:
        return GradeScale.model_validate(data)
    except ValidationError as exc:
        raise InputFileError(path, validation_message(exc), advice="See annotate/scales.py for the format.") from exc


def _user_files(extra_dirs: Iterable[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in extra_dirs:
        if Path(folder).is_dir():
            for file in sorted(Path(folder).glob("*.toml")):
                found.setdefault(file.stem, file)
    return found


def get_scale(name: str, *, extra_dirs: Iterable[Path] = ()) -> GradeScale:
    """A scale by name: a user's ``scales/NAME.toml`` first, then the presets; a path also works."""
    if name.endswith(".toml") and Path(name).is_file():
        return load_scale_file(Path(name))
    user = _user_files(extra_dirs)
    if name in user:
        return load_scale_file(user[name])
    if name in PRESETS:
        return PRESETS[name]
    known = ", ".join(sorted(set(PRESETS) | set(user)))
    raise UserInputError(f"unknown grade scale {name!r} (known: {known})", advice="List them with `examkit annotate scales`.")


def list_scales(extra_dirs: Iterable[Path] = ()) -> list[GradeScale]:
    """Presets and user scales (a user file of a preset's name replaces the preset)."""
    user = _user_files(extra_dirs)
    scales = {name: scale for name, scale in PRESETS.items() if name not in user}
    for name, path in user.items():
        scales[name] = load_scale_file(path)
    return [scales[n] for n in sorted(scales)]
