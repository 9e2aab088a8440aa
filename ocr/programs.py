"""The external programs the OCR stage calls, one wrapper each, and the single way to run them.

OCRmyPDF's habit: every external program has a probe (is it installed, which version) and an
install hint, every call goes through :func:`run` (which logs the command line and the program's
stderr), and a batch checks what it needs *before* touching the first page, so a missing
``tesseract-ocr-deu`` is one clear line with the command that fixes it, not thirty page failures.
``examkit doctor`` is the same probes shown to a person.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from examkit.errors import ExternalProgramError, MissingDependencyError

log = logging.getLogger(__name__)

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Program:
    """One external program: how to find it, ask its version, and install it."""

    command: str
    purpose: str
    version_args: tuple[str, ...]
    version_pattern: str
    package: str

    @property
    def install(self) -> str:
        return f"{APT} {self.package}"

    def path(self) -> str | None:
        return shutil.which(self.command)

    def version(self) -> str | None:
        """The installed version, or ``None`` when the program is missing or does not answer."""
        return _version(self.command, self.version_args, self.version_pattern)

    def require(self) -> str:
        """The program's path; raises :class:`MissingDependencyError` with the install command."""
        found = self.path()
        if found is None:
            raise MissingDependencyError(f"{self.command} ({self.purpose})", install=self.install)
        return found


TESSERACT = Program("tesseract", "reads page images", ("--version",), r"tesseract\s+v?([\w.\-]+)", "tesseract-ocr")
PDFTOPPM = Program("pdftoppm", "renders PDF pages", ("-v",), r"version\s+([\w.\-]+)", "poppler-utils")
PDFINFO = Program("pdfinfo", "counts PDF pages", ("-v",), r"version\s+([\w.\-]+)", "poppler-utils")
PROGRAMS = (TESSERACT, PDFTOPPM, PDFINFO)


@lru_cache(maxsize=None)
def _version(command: str, args: tuple[str, ...], pattern: str) -> str | None:
    if shutil.which(command) is None:
        return None
    try:
        proc = subprocess.run([command, *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(pattern, proc.stdout + proc.stderr)
    return match.group(1) if match else "unknown"


def run(
    args: Sequence[str], *, timeout: float | None = 300, check: bool = True, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run an external program; the only place examkit starts one.

    Logs the command line and (at debug level) its stderr. With ``check``, a non-zero exit
    becomes :class:`ExternalProgramError` carrying the last line of stderr; a missing program
    becomes :class:`MissingDependencyError` naming the package to install.
    """
    args = [str(a) for a in args]
    log.info("running %s", " ".join(args))
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, input=input)
    except FileNotFoundError as exc:
        program = next((p for p in PROGRAMS if p.command == args[0]), None)
        install = program.install if program else f"{APT} {args[0]}"
        raise MissingDependencyError(args[0], install=install) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalProgramError(f"{args[0]} did not finish within {timeout:.0f} s") from exc
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if stderr:
        log.debug("%s stderr: %s", args[0], stderr)
    if check and proc.returncode != 0:
        last = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
        raise ExternalProgramError(f"{args[0]} failed: {last}")
    return proc


# -- tesseract language data ------------------------------------------------------------------
def tesseract_langs() -> list[str]:
    """Installed Tesseract languages (``tesseract --list-langs``); empty when tesseract is missing."""
    if TESSERACT.path() is None:
        return []
    proc = run([TESSERACT.command, "--list-langs"], check=False, timeout=30)
    text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    return sorted(
        line.strip() for line in text.splitlines()[1:] if line.strip() and " " not in line.strip()
    )


def lang_package(lang: str) -> str:
    """Debian's package for a Tesseract language (``deu`` -> ``tesseract-ocr-deu``)."""
    return f"tesseract-ocr-{lang.lower().replace('_', '-')}"


def check_pdf() -> None:
    """Raise :class:`MissingDependencyError` unless poppler (PDF rendering) is installed; a batch
    calls it before any page when there are PDFs to read, whatever the engine."""
    PDFTOPPM.require()
    PDFINFO.require()


def check_ready(langs: str) -> None:
    """Raise :class:`MissingDependencyError` unless tesseract and every language of ``langs``
    (``deu+eng``) are installed. The Tesseract engine's check (and the vlm layout pass's)."""
    TESSERACT.require()
    have = set(tesseract_langs())
    missing = [lang for lang in langs.split("+") if lang and lang not in have]
    if missing:
        packages = " ".join(lang_package(lang) for lang in missing)
        raise MissingDependencyError(
            f"Tesseract language data {'+'.join(missing)}", install=f"{APT} {packages}"
        )


def doctor(langs: str = "deu") -> dict:
    """What ``examkit doctor`` reports: programs with versions, language packs, the bundled
    handwriting models (present, SHA-256 as shipped), what to install.

    ``ok`` is true when everything a scan needs (``langs``) is present.
    """
    from ocr.rapidocr import REINSTALL, model_status

    programs = [
        {"name": p.command, "purpose": p.purpose, "path": p.path(), "version": p.version(),
         "install": None if p.path() else p.install}
        for p in PROGRAMS
    ]
    installed = tesseract_langs()
    wanted = [lang for lang in langs.split("+") if lang]
    languages = [{"lang": lang, "installed": lang in installed,
                  "install": None if lang in installed else f"{APT} {lang_package(lang)}"} for lang in wanted]
    missing_packages = sorted({p.package for p in PROGRAMS if not p.path()}
                              | {lang_package(str(item["lang"])) for item in languages if not item["installed"]})
    models = model_status()
    models_ok = all(model["ok"] for model in models)
    install = [f"{APT} {' '.join(missing_packages)}"] if missing_packages else []
    return {
        "ok": not missing_packages and models_ok,
        "programs": programs,
        "languages": languages,
        "installed_languages": installed,
        "models": models,
        "install": " && ".join(install + ([] if models_ok else [REINSTALL])) or None,
    }
