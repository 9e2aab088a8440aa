"""Finding documents in what a teacher scanned: the exam-folder convention (README.md, "Walkthrough").

Given files and folders, decide which files make up which document, which documents are task
sheets, which are typed answers (text, no OCR), which files are teacher's analyses belonging to
a document, and which files are skipped (and why). Nothing is read beyond names here; content
problems (corrupt, encrypted, empty) are found when pages are loaded, one file at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from examkit.console import has_control, shown
from examkit.errors import InputFileError, UserInputError
from examkit.files import decode_text, path_kind
from examkit.models import DocumentKind

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SCAN_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}
TYPED_SUFFIXES = {".txt", ".docx"}
SHEET_SUFFIXES = {".yaml", ".yml", ".json"}
ANALYSIS_SUFFIX = ".fehleranalyse.txt"
TASK_NAME = re.compile(r"^(aufgaben?|tasks?)(\b|[-_ .\d]|$)", re.IGNORECASE)


@dataclass
class FoundDocument:
    """One document: its id, exam, kind and the files its pages come from (in page order)."""

    id: str
    exam: str
    kind: DocumentKind
    files: list[Path]
    typed: bool = False
    folder: Path | None = None

    @property
    def source(self) -> Path:
        """The file, or for a folder of page images the folder, the document was read from."""
        return self.folder or self.files[0]


@dataclass
class FoundSheet:
    """A teacher's analysis beside a scan (``<stem>.yaml``, ``<stem>.fehleranalyse.txt``)."""

    document_id: str
    path: Path
    kind: Literal["sheet", "text"]


@dataclass
class Intake:
    documents: list[FoundDocument] = field(default_factory=list)
    sheets: list[FoundSheet] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def natural_key(name: str) -> list[object]:
    """Sort ``page2`` before ``page10``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def kind_of(stem: str) -> DocumentKind:
    """A file or folder named like a task sheet (``aufgabe``, ``task``…) is the exam's task sheet."""
    return "task" if TASK_NAME.match(stem) else "student"


def discover(paths: list[Path]) -> Intake:
    """Walk ``paths`` (files or folders) and sort what is there into documents, sheets, skips.

    A document's id is its path relative to the folder given, without extension, ``/``-separated
    (a file given directly: its name). Its exam is the folder it lies in (for documents directly
    in the folder given, that folder's name). A folder holding only page images (and no task
    sheet) is one document, pages in natural order.

    Links are followed once: a file or folder reached again by its real path (a second link to
    it, a link loop) is skipped, as is anything that is not a regular file or folder (a FIFO, a
    broken link) and any name with a control character (a line break would end up in the
    document id). Every skip is listed with its reason; nothing is skipped silently but hidden
    files (names starting with ``.``).
    """
    intake = Intake()
    walk = _Walk(intake)
    for given in paths:
        given = Path(given)
        if not given.exists() and not given.is_symlink():
            raise UserInputError(f"{shown(given)}: no such file or folder", advice="Check the path.")
        kind = path_kind(given)
        if kind not in ("file", "folder"):
            raise UserInputError(f"{shown(given)}: {kind}, not a file or folder",
                                 advice="Give the scans' files or the folder that holds them.")
        if kind == "file":
            if walk.take(given, "file"):
                _sort_folder(given.parent, [given], [], prefix="", exam="", intake=intake, root=given.parent)
        elif walk.take(given, "folder"):
            if _is_page_folder(given):
                intake.documents.append(_page_folder(given, doc_id=given.resolve().name, exam=""))
            else:
                walk.folder(given, given)
    seen: set[str] = set()
    for doc in intake.documents:
        if doc.id in seen:
            raise InputFileError(doc.files[0], f"document id {doc.id!r} is used twice",
                                 advice="Rename one of the files or scan the folders separately.")
        seen.add(doc.id)
    return intake


#: Folders nested deeper than this below a given folder are not read (exam folders are a few deep).
MAX_FOLDER_DEPTH = 32


class _Walk:
    """One walk over the folders given: what was taken (by real path), so links are followed once."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self.taken: dict[Path, Path] = {}

    def skip(self, path: Path, reason: str) -> None:
        self.intake.skipped.append((path, reason))

    def take(self, path: Path, kind: str) -> bool:
        """Whether ``path`` is read: its name is printable and its real path not taken before."""
        real = path.resolve()
        if has_control(path.name) or has_control(real.name):
            self.skip(path, "its name contains a control character (such as a line break); rename it to read it")
            return False
        first = self.taken.setdefault(real, path)
        if first != path:
            self.skip(path, f"the same {kind} as {shown(first)}, which is read (a link is followed once)")
            return False
        return True

    def entries(self, folder: Path) -> tuple[list[Path], list[Path]]:
        """The files and sub-folders of ``folder`` to read, in natural order; the rest is skipped."""
        try:
            names = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: natural_key(p.name))
        except OSError as exc:
            self.skip(folder, f"cannot be read ({exc.strerror})")
            return [], []
        kinds = {path: path_kind(path) for path in names}
        read = set()
        for path in sorted(names, key=Path.is_symlink):  # the real one before a link to it
            if kinds[path] not in ("file", "folder"):
                self.skip(path, f"{kinds[path]}, not a file or folder")
            elif self.take(path, kinds[path]):
                read.add(path)
        files = [p for p in names if p in read and kinds[p] == "file"]
        return files, [p for p in names if p in read and kinds[p] == "folder"]

    def folder(self, folder: Path, root: Path, depth: int = 0) -> None:
        files, subdirs = self.entries(folder)
        rel = folder.relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        exam = root.resolve().name if rel == "." else rel
        pages = []
        for sub in subdirs:
            if _is_page_folder(sub):
                pages.append(sub)
            elif depth + 1 > MAX_FOLDER_DEPTH:
                self.skip(sub, f"nested more than {MAX_FOLDER_DEPTH} folders deep")
            else:
                self.folder(sub, root, depth + 1)
        _sort_folder(folder, files, pages, prefix=prefix, exam=exam, intake=self.intake, root=root)


def _is_page_folder(folder: Path) -> bool:
    try:
        files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return False  # the walk reports it when it tries to read it
    return (
        bool(files)
        and all(path_kind(p) == "file" and p.suffix.lower() in IMAGE_SUFFIXES for p in files)
        and not any(kind_of(p.stem) == "task" for p in files)
    )


def _page_folder(folder: Path, *, doc_id: str, exam: str) -> FoundDocument:
    files = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: natural_key(p.name))
    kind = kind_of(folder.name)
    return FoundDocument(id=doc_id, exam=exam, kind=kind, files=files, folder=folder)


def _sort_folder(folder: Path, files: list[Path], page_folders: list[Path], *, prefix: str, exam: str,
                 intake: Intake, root: Path) -> None:
    """Sort the files of one folder (and its page folders) into documents, sheets and skips."""
    scans = {p.stem: p for p in files if p.suffix.lower() in SCAN_SUFFIXES}
    scans.update({p.name: p for p in page_folders})
    for sub in page_folders:
        intake.documents.append(_page_folder(sub, doc_id=prefix + sub.name, exam=exam))
    for path in files:
        name, suffix = path.name, path.suffix.lower()
        stem = path.stem
        if name.lower().endswith(ANALYSIS_SUFFIX):
            stem = name[: -len(ANALYSIS_SUFFIX)]
            _sheet(intake, scans, files, stem, prefix, path, "text")
        elif suffix in SCAN_SUFFIXES:
            kind = kind_of(stem)
            intake.documents.append(FoundDocument(id=prefix + stem, exam=exam, kind=kind, files=[path]))
        elif suffix in TYPED_SUFFIXES:
            if stem in scans:
                intake.skipped.append((path, f"a scan of the same name ({scans[stem].name}) is read instead"))
            else:
                kind = kind_of(stem)
                intake.documents.append(FoundDocument(id=prefix + stem, exam=exam, kind=kind, files=[path], typed=True))
        elif suffix in SHEET_SUFFIXES:
            _sheet(intake, scans, files, stem, prefix, path, "sheet")
        else:
            intake.skipped.append((path, f"unsupported file type {suffix or '(no extension)'}; "
                                         "scans must be PDF, PNG, JPG or TIFF"))


def _sheet(intake: Intake, scans: dict[str, Path], files: list[Path], stem: str, prefix: str, path: Path,
           kind: Literal["sheet", "text"]) -> None:
    typed = {p.stem for p in files if p.suffix.lower() in TYPED_SUFFIXES and not p.name.lower().endswith(ANALYSIS_SUFFIX)}
    if stem in scans or stem in typed:
        intake.sheets.append(FoundSheet(document_id=prefix + stem, path=path, kind=kind))
    else:
        intake.skipped.append((path, f"an analysis without a scan or typed answer named {stem!r} beside it"))


def read_typed(path: Path) -> str:
    """The text of a typed answer (``.txt`` UTF-8 or ``.docx`` paragraphs)."""
    if path.suffix.lower() == ".docx":
        try:
            import docx

            document = docx.Document(str(path))
        except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError for bad files
            raise InputFileError(path, f"not a readable .docx file ({type(exc).__name__})",
                                 advice="Open and save it again in a word processor.") from exc
        return "\n".join(p.text for p in document.paragraphs).strip() + "\n"
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(path, "the file is empty")
    return decode_text(data)[0]
