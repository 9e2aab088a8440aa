"""The stages import each other in one direction only, read from the source with ``ast``.

``docs/architecture.md`` draws the pipeline: the core (``examkit/``) below everything, the
Fehleranalyse domain (``annotate/``) on it, export above annotate, training above export. This test
reads every import statement (also those inside functions, where optional stages are imported
late) and ``importlib.import_module("...")`` with a written-out name, so an edge cannot hide.
The program is assembled on the roof, ``examkit_app/``: the one package that imports every stage,
and that nothing imports. The core imports no stage at all.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("examkit", "ocr", "annotate", "export", "training", "examkit_app")
#: What each package may import besides itself (ocr's commands hand annotate's sheet attaching to a scan).
ALLOWED = {
    "examkit": set(),
    "annotate": {"examkit"},
    "ocr": {"examkit", "annotate"},
    "export": {"examkit", "annotate"},
    "training": {"examkit", "annotate", "export"},
    "examkit_app": {"examkit", "ocr", "annotate", "export", "training"},
}
#: The Fehleranalyse itself (with the audit's scale inference and its file reading): no app code, only
#: the core's errors, shared models (the stop marker) and file rules (what counts as a readable file).
DOMAIN = ("annotate.model", "annotate.parse", "annotate.patterns", "annotate.render", "annotate.audit", "annotate.scales",
          "annotate.infer", "annotate.sources", "annotate.textfiles")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return {name for name in found if name.split(".")[0] in STAGES}


def graph() -> dict[str, set[str]]:
    modules = {}
    for stage in STAGES:
        for path in sorted((ROOT / stage).rglob("*.py")):
            modules[module_name(path)] = imports(path)
    return modules


def package_edges(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, targets in modules.items():
        source = module.split(".")[0]
        edges[source] |= {t.split(".")[0] for t in targets} - {source}
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle among the packages, as a path that returns to its start; None when there is none."""
    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node):] + [node]
        for target in sorted(edges.get(node, ())):
            found = visit(target, path + [node])
            if found:
                return found
        return None

    return next((found for start in sorted(edges) if (found := visit(start, []))), None)


def test_the_stage_packages_have_no_import_cycle():
    edges = package_edges(graph())
    assert cycle(edges) is None, f"import cycle: {' -> '.join(cycle(edges) or [])}"


def test_each_stage_imports_only_the_stages_below_it():
    edges = package_edges(graph())
    assert {stage: sorted(edges[stage] - ALLOWED[stage]) for stage in STAGES} == {stage: [] for stage in STAGES}


def test_the_program_is_assembled_on_the_roof():
    # every stage is mounted by examkit_app, and no stage reaches up to it
    edges = package_edges(graph())
    assert edges["examkit_app"] == {"examkit", "ocr", "annotate", "export", "training"}
    assert sorted(stage for stage in STAGES if "examkit_app" in edges[stage]) == []


def test_the_fehleranalyse_domain_is_free_of_app_code():
    modules = graph()
    allowed = (*DOMAIN, "examkit.errors", "examkit.models", "examkit.validation", "examkit.files")
    outside = {m: sorted(t for t in modules[m] if not t.startswith(allowed)) for m in DOMAIN}
    assert outside == {m: [] for m in DOMAIN}


def test_only_the_ocr_commands_know_annotate():
    # the scan receives the sheet-attaching step as a callable; the OCR library imports no annotate
    modules = graph()
    knowing = sorted(m for m, targets in modules.items() if m.startswith("ocr") and any(
        t.startswith("annotate") for t in targets))
    assert knowing == ["ocr.cli"]


def test_the_checks_see_a_cycle_and_a_hidden_edge(tmp_path):
    # the checks themselves can fail: a planted cycle is found, and so is an importlib edge
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    planted = tmp_path / "planted.py"
    planted.write_text("import importlib\ndef f():\n    return importlib.import_module('training.cli')\n", encoding="utf-8")
    assert imports(planted) == {"training.cli"}
