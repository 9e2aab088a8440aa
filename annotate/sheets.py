"""Sheets (YAML/JSON analyses a teacher writes) and storing analyses in the workspace.

A sheet is the structured way to write a Fehleranalyse: the numbers are computed, so they cannot
contradict each other. Old analyses typed as loose text are accepted wherever a sheet is (they
are parsed). Storing goes through :func:`attach_sheet`, used by ``annotate set`` and by the OCR
intake for sheets lying beside scans, so both produce the same canonical revision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from annotate.model import MAX_POINTS, TOO_DEEP, Analysis, Rounding, analysis_from_data
from annotate.parse import AnalysisParseError, parse
from annotate.render import render
from annotate.scales import GradeScale, get_scale
from annotate.textfiles import read_text
from examkit.config import AnalysisConfig
from examkit.errors import InputFileError, UserInputError
from examkit.models import STOP_MARKER

if TYPE_CHECKING:
    from examkit.models import AnalysisRevision
    from examkit.workspace import Workspace

SHEET_SUFFIXES = (".yaml", ".yml", ".json")
NO_ALIASES = "uses a YAML alias (*name), which sheets may not: write the part out"


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a few hundred bytes of nested aliases expand to billions of nodes
    (an "alias bomb"), so they are refused while loading, before anything walks the tree."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, NO_ALIASES, self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _parse_data(raw: str, path: Path) -> object:
    """The JSON or YAML data in ``raw`` (the one place sheets are parsed)."""
    if path.suffix.lower() == ".json":
        return json.loads(raw)
    return yaml.load(raw, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader without aliases


def load_sheet(path: Path, *, stop_marker: str | None = STOP_MARKER) -> Analysis:
    """A sheet (YAML/JSON, strictly validated) or a loose analysis text (parsed) as the model.

    Raises :class:`InputFileError` naming the file and the field path or line.
    """
    path = Path(path)
    raw = read_text(path)
    if path.suffix.lower() in SHEET_SUFFIXES:
        try:
            data = _parse_data(raw, path)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else None)
            problem = NO_ALIASES if getattr(exc, "problem", None) == NO_ALIASES else f"not valid {path.suffix[1:].upper()}"
            raise InputFileError(path, problem, line=line) from exc
        except RecursionError as exc:  # the readers recurse per level: thousands of levels exhaust them
            raise InputFileError(path, TOO_DEEP) from exc
        except ValueError as exc:  # a whole number of more than 4,300 digits
            raise InputFileError(path, f"a number too large (at most {MAX_POINTS})") from exc
        try:
            return analysis_from_data(data)
        except UserInputError as exc:
            raise InputFileError(path, exc.message, advice="See `examkit annotate schema`.") from exc
    try:
        return parse(raw, stop_marker=stop_marker)
    except AnalysisParseError as exc:
        reason = f"`{exc.fragment}`: {exc.reason}" if exc.fragment else exc.reason
        raise InputFileError(path, reason, line=exc.line) from exc


@dataclass
class Settings:
    """How analyses are computed and rendered: the workspace's ``[analysis]`` section, resolved."""

    scale: GradeScale
    rounding: Rounding = "floor"
    stop_marker: str | None = STOP_MARKER
    template: Path | None = None
    scale_dirs: tuple[Path, ...] = ()


def settings_from(config: AnalysisConfig | None, root: Path | None, *, scale: str | None = None) -> Settings:
    """Settings from a workspace config (or the defaults); ``scale`` overrides the configured one."""
    config = config or AnalysisConfig()
    dirs = (root / "scales",) if root else ()
    template = None
    if config.template:
        template = Path(config.template)
        if root and not template.is_absolute():
            template = root / template
    return Settings(
        scale=get_scale(scale or config.grade_scale, extra_dirs=dirs),
        rounding=config.percent_rounding,
        stop_marker=config.stop_marker or None,
        template=template,
        scale_dirs=dirs,
    )


def canonical_text(analysis: Analysis, settings: Settings) -> str:
    """The text stored with a revision: what a training record's assistant says (no final newline)."""
    return render(analysis, scale=settings.scale, rounding=settings.rounding, stop_marker=settings.stop_marker,
                  template=settings.template, final_newline=False)


def attach_sheet(ws: Workspace, document_id: str, path: Path, *, source: str = "import") -> AnalysisRevision:
    """Store the analysis in ``path`` (sheet or loose text) as a new revision of a document."""
    ws.documents.get(document_id)  # a clear NotFoundError before anything is read
    settings = settings_from(ws.config.analysis, ws.root)
    analysis = load_sheet(path, stop_marker=settings.stop_marker)
    text = canonical_text(analysis, settings)
    return ws.revisions.add_analysis(document_id, text, sheet=analysis.model_dump(), source=source)  # type: ignore[arg-type]
