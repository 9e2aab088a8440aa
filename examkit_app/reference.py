"""The command reference in Markdown, generated from the CLI itself.

docs/cli-reference.md is written by ``python -m examkit_app.reference > docs/cli-reference.md`` and a
test fails when it no longer matches the commands, so the reference cannot drift from the code.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer.main

from examkit_app import app


def _walk(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        found.extend(_walk(sub, path + (name,)))
    return found


def _param_row(param: Any) -> str:
    names = ", ".join(f"`{o}`" for o in [*param.opts, *getattr(param, "secondary_opts", [])])
    kind = "argument" if param.param_type_name == "argument" else "option"
    default = param.default
    if default in (None, False, ()) or callable(default) or kind == "argument":
        shown = ""
    else:
        shown = f"`{default}`"
    help_text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
    if kind == "argument":
        names = f"`{param.name.upper()}`" + (" (required)" if param.required else "")
    return f"| {names} | {help_text} | {shown} |"


def render_reference() -> str:
    """The whole reference as Markdown."""
    root = typer.main.get_command(app)
    lines = ["# examkit command reference", "", "Generated from the CLI (`python -m examkit_app.reference`); do not edit by hand.", ""]
    for path, command in _walk(root, ("examkit",)):
        hidden = {"--help", "-h", "--install-completion", "--show-completion"}
        params = [p for p in command.params if not set(p.opts) & hidden]
        lines.append(f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`")
        lines.append("")
        lines.append(inspect.cleandoc(command.help or ""))
        lines.append("")
        if params:
            lines += ["| parameter | meaning | default |", "|---|---|---|"]
            lines += [_param_row(p) for p in params]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_reference(), end="")
