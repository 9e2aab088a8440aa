"""``examkit doctor --workspace``: after a crash, is the database whole, does every revision
follow from one of its own, is every page file there? Read-only: the check changes nothing."""

from __future__ import annotations

import json
import sqlite3

from examkit.integrity import check_workspace
from examkit.models import Document
from examkit.workspace import DB_NAME, Workspace


def small(ws: Workspace) -> int:
    ws.documents.upsert(Document(id="LK/anna", exam="LK", kind="student", source="anna.pdf"))
    ws.path("pages").mkdir(exist_ok=True)
    ws.path("pages/anna-1.png").write_bytes(b"png")
    page = ws.documents.set_page("LK/anna", 1, image="pages/anna-1.png", original="pages/anna-1.png")
    first = ws.revisions.add_text(page.id, "Erste Fassung", base=None)
    ws.revisions.add_text(page.id, "Zweite Fassung", base=first.id)
    return page.id


def test_a_sound_workspace_has_no_problems_and_is_not_changed(ws: Workspace) -> None:
    small(ws)
    before = (ws.root / DB_NAME).read_bytes()
    assert check_workspace(ws.root) == []
    assert (ws.root / DB_NAME).read_bytes() == before


def test_missing_files_and_broken_chains_are_named(ws: Workspace) -> None:
    page = small(ws)
    ws.path("pages/anna-1.png").unlink()
    other = ws.documents.set_page("LK/anna", 2)
    stray = ws.revisions.add_text(other.id, "Randnotiz", layer="teacher", base=None)
    ws.db.execute("INSERT INTO text_revisions (page_id, layer, text, source, author, parent_id, created_at) "
                  "VALUES (?, 'teacher', 'x', 'review', 'x', ?, '2026-01-01')", (page, stray.id))
    problems = check_workspace(ws.root)
    assert any("pages/anna-1.png" in p and "missing" in p for p in problems), problems
    assert any("text revision" in p and f"revision {stray.id}" in p for p in problems), problems


def test_a_damaged_database_and_no_database_are_one_line_each(tmp_path, cli) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        small(ws)
    db = tmp_path / "ws" / DB_NAME
    data = bytearray(db.read_bytes())
    data[100:4096 * 2] = b"\xff" * (4096 * 2 - 100)
    db.write_bytes(bytes(data))
    problems = check_workspace(tmp_path / "ws")
    assert problems and all("\n" not in p for p in problems), problems
    assert check_workspace(tmp_path / "leer") == [f"{tmp_path / 'leer' / DB_NAME}: no workspace database here"]
    result = cli("doctor", "--json", "--workspace", tmp_path / "ws")
    assert "internal error" not in result.output and result.exit_code == 1
    assert json.loads(result.stdout)["workspace"]["ok"] is False


def test_doctor_reports_a_sound_workspace(cli, ws: Workspace) -> None:
    small(ws)
    ws.close()
    result = cli("doctor", "--workspace", ws.root)
    assert f"workspace {ws.root}: ok" in result.stdout, result.output
    sqlite3.connect(ws.root / DB_NAME).close()
