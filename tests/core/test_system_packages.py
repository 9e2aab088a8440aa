"""Every system file the code and the tests name comes from a package that `make setup` installs.

CI runs on a machine where packages installed by hand are still there, so a test that draws with a
font only `make samples` used to install passed in CI and failed on a fresh clone. This guard reads
every absolute path under /usr/share, /usr/bin and /usr/lib named in the project's Python and shell
files, asks dpkg which package owns it, and fails unless that package is on an ``APT_PACKAGES`` line
of the Makefile (or is part of every Debian system: Essential or Priority required).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("examkit", "ocr", "annotate", "export", "training", "tests", "samples", "scripts", "benchmarks")
PATH = re.compile(r"/usr/(?:share|bin|lib)/[A-Za-z0-9_.+/-]*[A-Za-z0-9_+-]")
SETUP_LINE = re.compile(r"^APT_PACKAGES\s*[:+]?=(.*)$")


def named_paths(root: Path = REPO) -> dict[str, list[str]]:
    """Absolute system paths named in the project's files -> where (``file:line``). Shebangs are
    left out: they name the interpreter, not something a package must bring."""
    found: dict[str, list[str]] = {}
    for folder in SCANNED:
        for file in sorted((root / folder).rglob("*")):
            if file.suffix not in (".py", ".sh") or not file.is_file() or file == Path(__file__).resolve():
                continue  # this file's own paths are test data
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if number == 1 and line.startswith("#!"):
                    continue
                for path in PATH.findall(line):
                    found.setdefault(path, []).append(f"{file.relative_to(root)}:{number}")
    return found


def setup_packages(makefile: str) -> set[str]:
    """The Debian packages `make setup` installs: every word on an ``APT_PACKAGES`` line."""
    packages: set[str] = set()
    for line in makefile.splitlines():
        match = SETUP_LINE.match(line)
        if match:
            packages.update(match.group(1).split())
    return packages


def dpkg_owners(path: str) -> list[str]:
    """The packages that own ``path`` ([] when none does)."""
    result = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
    if result.returncode != 0:
        return []
    owners: list[str] = []
    for line in result.stdout.splitlines():
        names, _, owned = line.rpartition(": ")
        if owned.strip() == path:
            owners += [name.split(":")[0].strip() for name in names.split(",")]
    return owners


def always_installed(package: str) -> bool:
    """Essential or Priority required: on every Debian system, no need to list it."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Essential} ${Priority}", package],
                            capture_output=True, text=True)
    return result.returncode == 0 and (result.stdout.startswith("yes") or result.stdout.endswith("required"))


def problems(paths: dict[str, list[str]], packages: set[str], *, exists: Callable[[str], bool],
             owners: Callable[[str], list[str]], base: Callable[[str], bool]) -> list[str]:
    """One line per named path that a machine with only ``packages`` would not have."""
    out = []
    for path, where in sorted(paths.items()):
        if not exists(path):
            out.append(f"{path} (named in {', '.join(where)}) does not exist here: install the Debian "
                       "package that brings it and add it to APT_PACKAGES in the Makefile")
            continue
        owned_by = owners(path)
        if not owned_by:
            out.append(f"{path} (named in {', '.join(where)}) belongs to no Debian package: "
                       "a fresh machine will not have it")
        elif not any(p in packages or base(p) for p in owned_by):
            out.append(f"{path} (named in {', '.join(where)}) comes from {', '.join(owned_by)}, "
                       "which `make setup` does not install: add it to APT_PACKAGES in the Makefile")
    return out


needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-query") is None,
                                reason="dpkg is not available (not a Debian system): cannot tell which package owns a file")


@needs_dpkg
def test_every_system_file_named_comes_from_a_setup_package() -> None:
    paths = named_paths()
    assert "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf" in paths  # the scan sees what the tests draw with
    packages = setup_packages((REPO / "Makefile").read_text(encoding="utf-8"))
    found = problems(paths, packages, exists=lambda p: Path(p).exists(), owners=dpkg_owners, base=always_installed)
    assert found == []


@needs_dpkg
def test_a_file_from_a_package_setup_does_not_install_is_reported() -> None:
    """The guard itself: the same real dpkg lookup, with a setup list that lacks the owner."""
    paths = {"/usr/share/fonts/truetype/fifthhorseman/dkg.ttf": ["tests/ocr/conftest.py:20"]}
    packages = setup_packages("APT_PACKAGES := tesseract-ocr\nAPT_PACKAGES += fonts-dejavu-core\n")
    found = problems(paths, packages, exists=lambda p: Path(p).exists(), owners=dpkg_owners, base=always_installed)
    assert len(found) == 1
    assert "fonts-dkg-handwriting" in found[0] and "tests/ocr/conftest.py:20" in found[0]
    listed = setup_packages("APT_PACKAGES := tesseract-ocr\nAPT_PACKAGES += fonts-dkg-handwriting\n")
    assert problems(paths, listed, exists=lambda p: Path(p).exists(), owners=dpkg_owners, base=always_installed) == []


def test_a_missing_file_is_reported_with_where_it_is_named() -> None:
    found = problems({"/usr/share/fonts/nowhere.ttf": ["tests/x.py:3"]}, {"fonts-dejavu-core"},
                     exists=lambda p: False, owners=lambda p: [], base=lambda p: False)
    assert found == ["/usr/share/fonts/nowhere.ttf (named in tests/x.py:3) does not exist here: install the "
                     "Debian package that brings it and add it to APT_PACKAGES in the Makefile"]
