from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from examkit.errors import InputFileError, RevisionConflict, WorkspaceError
from examkit.migrations import MIGRATIONS
from examkit.models import Document, Line, PageOCR, Word
from examkit.revisions import ANY
from examkit.workspace import DB_NAME, Workspace


def _doc(ws: Workspace, doc_id: str = "LK/anna") -> int:
    ws.documents.upsert(Document(id=doc_id, exam="LK", source=f"/scans/{doc_id}.pdf"))
    return ws.documents.set_page(doc_id, 1).id


def test_migrations_from_empty_folder(ws_path):
    with Workspace.open(ws_path) as ws:
        assert ws.schema_version() == len(MIGRATIONS)
        names = [r[0] for r in ws.db.execute("SELECT name FROM schema_migrations ORDER BY version")]
        assert names == [name for name, _ in MIGRATIONS]
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (ws_path / "examkit.toml").exists()
    # reopening applies nothing twice
    with Workspace.open(ws_path) as ws:
        assert ws.db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_newer_schema_is_refused(ws_path):
    Workspace.open(ws_path).close()
    db = sqlite3.connect(ws_path / DB_NAME)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(WorkspaceError, match="newer examkit"):
        Workspace.open(ws_path)


def test_garbage_database_is_one_clear_error(ws_path):
    ws_path.mkdir()
    (ws_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="not a readable examkit database"):
        Workspace.open(ws_path)


def test_bad_config_names_the_key(ws_path):
    ws_path.mkdir()
    (ws_path / "examkit.toml").write_text("[ocr]\nlanguage = 'deu'\n")
    with pytest.raises(InputFileError, match=r"ocr\.language"):
        Workspace.open(ws_path)


def test_config_written_once_and_kept(ws_path):
    Workspace.open(ws_path).close()
    (ws_path / "examkit.toml").write_text('author = "Frau Berg"\n')
    with Workspace.open(ws_path) as ws:
        assert ws.config.author == "Frau Berg"
        assert ws.config.analysis.grade_scale == "oberstufe"


def test_text_revisions_are_append_only(ws):
    page = _doc(ws)
    first = ws.revisions.add_text(page, "erste Fassung", base=None)
    second = ws.revisions.add_text(page, "zweite Fassung", base=first.id)
    assert [r.text for r in ws.revisions.texts(page)] == ["erste Fassung", "zweite Fassung"]
    assert second.parent_id == first.id
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute("UPDATE line_revisions SET text = 'x' WHERE id = ?", (first.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute("DELETE FROM lines")
    ws.revisions.add_analysis("LK/anna", "Fehleranalyse: ...")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute("DELETE FROM analysis_revisions")


def test_stale_save_is_refused_and_nothing_written(ws):
    page = _doc(ws)
    first = ws.revisions.add_text(page, "A", base=None)
    ws.revisions.add_text(page, "B (other tab)", base=first.id)
    with pytest.raises(RevisionConflict) as info:
        ws.revisions.add_text(page, "C (stale tab)", base=first.id)
    assert info.value.current_revision == first.id + 1
    assert [r.text for r in ws.revisions.texts(page)] == ["A", "B (other tab)"]
    ws.revisions.add_text(page, "import", base=ANY, source="import")


def test_best_text_prefers_review_over_ocr(ws):
    page = _doc(ws)
    reading = PageOCR(engine="tesseract", lines=[Line(words=[Word(text="Lutber", conf=40, bbox=(0, 0, 5, 5))], bbox=(0, 0, 5, 5))])
    ws.documents.add_ocr(page, reading)
    assert ws.revisions.page_text(page) == "Lutber"
    assert ws.revisions.page_text(page, source="reviewed") is None
    ws.revisions.add_text(page, "Luther", base=None)
    ws.documents.add_ocr(page, reading)  # ocr scan --force: a newer reading
    assert ws.revisions.page_text(page) == "Luther"
    assert ws.revisions.page_text(page, source="ocr") == "Lutber"


def test_drafts_are_not_the_latest_person_analysis(ws):
    _doc(ws)
    ws.revisions.add_analysis("LK/anna", "Fehleranalyse: teacher", source="teacher")
    ws.revisions.add_analysis("LK/anna", "Fehleranalyse: model", source="draft", model="ft:x")
    assert ws.revisions.latest_analysis("LK/anna").text == "Fehleranalyse: teacher"
    assert ws.revisions.latest_analysis("LK/anna", include_drafts=True).is_draft


def _open_and_write(path: str, n: int) -> None:
    with Workspace.open(path) as ws:
        ws.documents.upsert(Document(id=f"E/student-{n}", exam="E", source="x"))
        page = ws.documents.set_page(f"E/student-{n}", 1).id
        for i in range(20):
            ws.revisions.add_text(page, f"text {i}")


def test_four_processes_open_a_new_workspace_at_once(ws_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_open_and_write, args=(str(ws_path), n)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Workspace.open(ws_path) as ws:
        assert len(ws.documents.list()) == 4
        assert ws.db.execute("SELECT COUNT(*) FROM line_revisions").fetchone()[0] == 80
        assert [len(ws.revisions.texts(p.id)) for d in ws.documents.list() for p in ws.documents.pages(d.id)] == [20] * 4
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ws.db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


WRITER = textwrap.dedent(
    """
    import sys
    from examkit.models import Document
    from examkit.workspace import Workspace
    ws = Workspace.open(sys.argv[1])
    ws.documents.upsert(Document(id="E/a", exam="E", source="x"))
    page = ws.documents.set_page("E/a", 1).id
    print("ready", flush=True)
    i = 0
    while True:
        ws.revisions.add_text(page, "Zeile " * 2000 + str(i))
        i += 1
    """
)


def test_kill_during_writes_leaves_a_readable_database(ws_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(ws_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Workspace.open(ws_path) as ws:
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        revisions = ws.revisions.texts(ws.documents.pages("E/a")[0].id)
        assert revisions, "writes before the kill were committed"
        assert all(r.text.startswith("Zeile ") for r in revisions)
