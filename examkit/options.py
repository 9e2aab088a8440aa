"""Options that belong to a plugin (an OCR engine, a training backend), as simonw/llm's models own theirs.

Each plugin declares a pydantic ``Options`` model; its values come from the workspace file and from
``-o key=value`` (plus the older named flags) on the command line. :func:`owned_options` is the one
place they are merged and checked, so a key the plugin lacks, or a value it refuses, is always one
line naming the key, where it came from, and the options the plugin has.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from examkit.errors import UserInputError
from examkit.validation import first_problem


class NoOptions(BaseModel):
    """A plugin without options of its own: every key is refused."""

    model_config = ConfigDict(extra="forbid")


def owned_options(model: type[BaseModel], owner: str, configured: dict[str, Any], given: dict[str, Any], *,
                  file_place: str, choose: str) -> BaseModel:
    """``model`` validated from ``configured`` (the file) overridden by ``given`` (the command line).

    ``owner`` names the plugin in messages ("rapidocr engine"), ``file_place`` where the file keeps
    its options ("examkit.toml [ocr.rapidocr]"), ``choose`` how another plugin is picked ("--engine NAME").
    """
    given = {key: value for key, value in given.items() if value is not None}
    try:
        return model.model_validate({**configured, **given})
    except ValidationError as exc:
        problem = first_problem(exc, unknown="no such option")
        key = ".".join(str(p) for p in problem.loc) or "?"
        where = "the command line" if key.split(".")[0] in given else file_place
        raise UserInputError(f"{owner} option {key!r} from {where}: {problem.reason}",
                             advice=f"Options of the {owner}: {', '.join(model.model_fields) or 'none'}; "
                                    f"another's option needs {choose}.") from exc
