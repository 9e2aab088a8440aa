"""docs/cli-reference.md is generated from the CLI; this fails when it no longer matches."""

from pathlib import Path

from examkit_app.reference import render_reference

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli-reference.md"


def test_command_reference_is_in_sync():
    assert REFERENCE.read_text(encoding="utf-8") == render_reference(), (
        "docs/cli-reference.md is stale: run `python -m examkit_app.reference > docs/cli-reference.md`"
    )
