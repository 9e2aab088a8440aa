"""``examkit review export/import`` (the editor round trip) and ``review serve`` as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from annotate.review.roundtrip import MANIFEST
from annotate.review.server import is_loopback
from tests.review.conftest import EXAM, STUDENT, page_ids

EXAM_TASK = f"{EXAM}/aufgabe"


def test_export_writes_pages_analyses_and_a_manifest(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    result = cli("review", "export", out, "--workspace", review_ws.root)
    assert result.exit_code == 0, result.output
    assert (out / STUDENT / "page-001.txt").read_text("utf-8").startswith("Die Reformation begann 1517")
    assert (out / "LK-Test-2024/aufgabe/page-001.txt").is_file()
    sheet = yaml.safe_load((out / STUDENT / "analysis.yaml").read_text("utf-8"))
    assert sheet == {"title": "DIE REFORMATION", "tasks": [{"label": "A", "max": 8}, {"label": "B", "max": 5}]}
    assert (out / MANIFEST).is_file()


def test_import_stores_only_changed_files_and_repeats(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    first = page_ids(review_ws)[0]
    page_file = out / STUDENT / "page-001.txt"
    page_file.write_text(page_file.read_text("utf-8").replace("Quasi", "Quelle").replace("\n", "\r\n"), "utf-8")
    analysis = out / STUDENT / "analysis.yaml"
    analysis.write_text("tasks:\n- label: A\n  max: 8\n  errors:\n  - {quote: 'Textart: Quelle', comment: gut, deduction: 0}\n"
                        "- {label: B, max: 5}\n", "utf-8")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 0, result.output
    assert "2 stored, 2 unchanged" in result.output
    text = review_ws.revisions.latest_text(first)
    assert text.source == "import" and "Textart: Quelle (Statement)" in text.text and "\r" not in text.text
    assert not text.text.endswith("\n")  # the final newline the export added is not part of the text
    stored = review_ws.revisions.latest_analysis(STUDENT)
    assert "Punkte: 13 von 13" in stored.text
    page_file.write_text(page_file.read_text("utf-8") + "Nachtrag\n", "utf-8")
    again = cli("review", "import", out, "--workspace", review_ws.root)
    assert again.exit_code == 0 and "1 stored" in again.output  # based on the revision the first import made
    assert review_ws.revisions.latest_text(first).text.endswith("Nachtrag")


def test_import_conflict_is_reported_per_file_and_the_batch_goes_on(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    first, second = page_ids(review_ws)
    review_ws.revisions.add_text(first, "im Browser korrigiert", base=None)  # saved meanwhile
    for name in ("page-001.txt", "page-002.txt"):
        path = out / STUDENT / name
        path.write_text(path.read_text("utf-8") + "im Editor\n", "utf-8")
    (out / STUDENT / "analysis.yaml").write_text("tasks: [{label: A, max: 2, errors: [{comment: x, deduction: 9}]}]\n")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 3
    assert "page-001.txt: changed in the workspace since the export" in result.output
    assert "analysis.yaml" in result.output and "more than its max" in result.output
    assert review_ws.revisions.latest_text(first).text == "im Browser korrigiert"  # nothing overwritten
    assert review_ws.revisions.latest_text(second).text.endswith("im Editor")  # the batch went on


def test_export_refuses_to_overwrite_unimported_edits(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    page_file = out / STUDENT / "page-001.txt"
    page_file.write_text("meine Korrektur\n", "utf-8")
    result = cli("review", "export", out, "--workspace", review_ws.root)
    assert result.exit_code == 1 and "not imported yet" in result.output
    assert page_file.read_text("utf-8") == "meine Korrektur\n"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.txt").write_text("x")
    assert cli("review", "export", tmp_path / "other", "--workspace", review_ws.root).exit_code == 1


def test_loopback_check() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_prints_a_url_with_token_that_works(review_ws) -> None:
    env = {**os.environ, "EXAMKIT_WORKSPACE": str(review_ws.root)}
    proc = subprocess.Popen([sys.executable, "-m", "examkit_app", "review", "serve", "--no-browser", "--host", "0.0.0.0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://0.0.0.0:") and "?token=" in url
        local = url.replace("0.0.0.0", "127.0.0.1")
        with httpx.Client(timeout=10) as http:
            for _ in range(100):
                try:
                    answer = http.get(local, follow_redirects=True)
                    break
                except httpx.ConnectError:
                    time.sleep(0.05)
            assert answer.status_code == 200 and "mueller-anna" in answer.text
            assert http.get(local.split("?")[0]).status_code == 200  # the cookie set by the first visit
            assert httpx.get(local.split("?")[0]).status_code == 403
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert "not a loopback address" in stderr


def test_import_reports_a_file_that_is_not_utf8_and_goes_on(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    first, second = page_ids(review_ws)
    (out / STUDENT / "page-001.txt").write_bytes("Stra\xdfe\n".encode("latin-1"))
    path = out / STUDENT / "page-002.txt"
    path.write_text(path.read_text("utf-8") + "im Editor\n", "utf-8")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 3
    assert "page-001.txt: not UTF-8 text" in result.output
    assert review_ws.revisions.latest_text(second).text.endswith("im Editor")


def test_import_with_a_broken_manifest_names_it(cli, review_ws, tmp_path: Path) -> None:
    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    (out / MANIFEST).write_text("{kaputt", "utf-8")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 1 and MANIFEST in result.output and "Traceback" not in result.output


def test_export_gives_umlaut_ids_their_own_folders_and_imports_them_back(cli, review_ws, tmp_path: Path) -> None:
    """``müller-anna`` beside ``mueller-anna``: two folders, and an edit lands on the right page."""
    from examkit.models import Document
    from tests.review.conftest import EXAM, make_page

    umlaut = f"{EXAM}/müller-anna"
    review_ws.documents.upsert(Document(id=umlaut, exam=EXAM, kind="student", source="/scans/müller-anna.pdf"))
    make_page(review_ws, umlaut, 1, [["Ganz", "andere", "Antwort"]])
    out = tmp_path / "edit"
    assert cli("review", "export", out, "--workspace", review_ws.root).exit_code == 0
    assert (out / EXAM / "mueller-anna" / "page-001.txt").read_text("utf-8").startswith("Die Reformation")
    other = out / EXAM / "mueller-anna-2" / "page-001.txt"
    assert other.read_text("utf-8") == "Ganz andere Antwort\n"
    other.write_text("Ganz andere Antwort, korrigiert\n", "utf-8")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 0 and "1 stored" in result.output
    page = review_ws.documents.pages(umlaut)[0]
    assert review_ws.revisions.latest_text(page.id).text == "Ganz andere Antwort, korrigiert"


def test_a_malformed_manifest_is_one_line_and_a_bad_entry_is_named_while_the_batch_goes_on(cli, review_ws, tmp_path) -> None:
    import json

    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    for whole in ([], {"files": []}, {"files": "x"}, "x"):
        (out / MANIFEST).write_text(json.dumps(whole), "utf-8")
        result = cli("review", "import", out, "--workspace", review_ws.root)
        assert result.exit_code == 1 and MANIFEST in result.output and "internal error" not in result.output, result.output
    page_two = f"{STUDENT}/page-002.txt"
    good = manifest["files"][page_two]
    bad = {f"{STUDENT}/analysis.yaml": "just a string", f"{EXAM_TASK}/page-001.txt": {**good, "kind": "bild"}}
    bad[f"{STUDENT}/page-001.txt"] = {k: v for k, v in manifest["files"][f"{STUDENT}/page-001.txt"].items() if k != "written"}
    (out / "huge").mkdir()
    for name, entry in (("huge/a.txt", {**good, "page_id": 2**70}), ("huge/b.txt", {**good, "base": -1}),
                        ("../outside.txt", good)):
        bad[name] = entry
        (out / name).write_text("x\n", "utf-8")
    (out / MANIFEST).write_text(json.dumps({"files": {**manifest["files"], **bad, page_two: good}}), "utf-8")
    path = out / page_two
    path.write_text(path.read_text("utf-8") + "im Editor\n", "utf-8")
    for name in bad:
        if (out / name).is_file() and name.endswith(".txt"):
            (out / name).write_text((out / name).read_text("utf-8") + "geändert\n", "utf-8")
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert result.exit_code == 3 and "internal error" not in result.output, result.output
    for name in bad:
        assert f"{name}: " in result.output, name
    assert review_ws.revisions.latest_text(page_ids(review_ws)[1]).text.endswith("im Editor")  # the batch went on


def test_a_page_text_beyond_the_limit_is_named_and_not_stored(cli, review_ws, tmp_path) -> None:
    import time

    from annotate.review.roundtrip import MAX_PAGE_CHARS

    out = tmp_path / "edit"
    cli("review", "export", out, "--workspace", review_ws.root)
    first, second = page_ids(review_ws)
    (out / STUDENT / "page-001.txt").write_text("Zeile mit Text\n" * 200_000, "utf-8")  # 3 MB, 200,000 lines
    path = out / STUDENT / "page-002.txt"
    path.write_text(path.read_text("utf-8") + "im Editor\n", "utf-8")
    started = time.monotonic()
    result = cli("review", "import", out, "--workspace", review_ws.root)
    assert time.monotonic() - started < 10
    assert result.exit_code == 3 and "page-001.txt: too long for one page" in result.output, result.output
    assert f"at most {MAX_PAGE_CHARS:,} characters" in result.output
    assert "Zeile mit Text" not in (review_ws.revisions.page_text(first) or "")
    assert review_ws.revisions.latest_text(second).text.endswith("im Editor")
