"""The OCR engine interface: what any reader of a page image must provide, and what it may.

The engine is a seam: the batch is handed an engine object (never a patched module). Every engine
reads one page and returns its lines and words; what else it can do is *declared* on the engine
(the capability attributes below), so callers ask ``engine.reads_lines`` instead of probing for
methods. :class:`EngineBase` holds the defaults (nothing optional) and the one refusal each
missing capability gives; an engine sets the flags it supports and implements those methods.

Adding an engine is one module (a class built by ``from_config``) plus one line in
:data:`ENGINES`. Each engine reads its own options from ``[ocr.<name>]`` in ``examkit.toml``
(see :mod:`examkit.config`) and checks its own programs and files in :meth:`Engine.check`: a scan
with one engine never needs another engine's programs.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

import numpy as np

from examkit.errors import UserInputError
from examkit.models import Line, PageOCR

#: What an engine reads: ``cleaned`` is the binarised student layer (suits Tesseract); ``grey`` is
#: the student layer in grey, red ink removed but strokes and paper as they are (suits learned
#: readers, trained on photographs).
EngineInput = Literal["cleaned", "grey"]


@runtime_checkable
class Engine(Protocol):
    """A page reader. Implementations must be picklable (they travel to worker processes)."""

    #: Short name stored with every result (``rapidocr``, ``tesseract``, ``vlm``).
    name: str
    #: Which image of the page the engine reads (see :data:`EngineInput`).
    input: EngineInput
    #: Preprocessing steps for this engine's pages; ``None``: the ``[ocr] preprocess`` list.
    steps: tuple[str, ...] | None
    #: :meth:`read_line` works: one line re-read from its crop (the review page's line editor,
    #: margin notes).
    reads_lines: bool
    #: :meth:`hocr` works (``ocr scan --hocr``).
    writes_hocr: bool
    #: Pages may leave the machine: :meth:`confirm_sending` is asked before a batch.
    sends_pages: bool

    def check(self) -> None:
        """Raise :class:`examkit.errors.MissingDependencyError` (or another ExamkitError) when the
        engine cannot run here, before any page of a batch is touched."""

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        """Read one page image (8-bit grey or BGR) and return its lines and words.

        Word ``bbox`` values and line polygons are in the pixels of ``image``. Raise an
        ExamkitError for a page that cannot be read; a page without text is an empty result with a
        warning, not an error.
        """

    def read_line(self, crop: np.ndarray, *, lang: str) -> Line:
        """Read one line from its crop (coordinates in the crop's pixels); needs ``reads_lines``."""

    def hocr(self, image: np.ndarray, *, lang: str) -> bytes:
        """The page as hOCR; needs ``writes_hocr``."""

    def confirm_sending(self, pages: int, *, yes: bool = False):
        """Say where ``pages`` pages go and at what cost, refuse without consent; needs ``sends_pages``."""


class EngineBase:
    """Defaults for the optional capabilities: none of them. Engines inherit and override."""

    name: str = "engine"
    input: EngineInput = "cleaned"
    steps: tuple[str, ...] | None = None
    reads_lines: bool = False
    writes_hocr: bool = False
    sends_pages: bool = False

    def read_line(self, crop: np.ndarray, *, lang: str) -> Line:
        raise UserInputError(f"the {self.name} engine cannot read single lines", advice="Use --engine rapidocr.")

    def hocr(self, image: np.ndarray, *, lang: str) -> bytes:
        raise UserInputError(f"the {self.name} engine cannot write hOCR", advice="Leave out --hocr.")

    def confirm_sending(self, pages: int, *, yes: bool = False):
        raise UserInputError(f"the {self.name} engine sends no pages anywhere")


#: Engine name -> "module:factory". The factory is called as ``factory(config, **options)``;
#: modules are imported only when chosen, so an engine's heavy dependencies stay optional.
ENGINES: dict[str, str] = {
    "rapidocr": "ocr.rapidocr:RapidOcrEngine.from_config",
    "tesseract": "ocr.tesseract:TesseractEngine.from_config",
    "vlm": "ocr.vlm:VlmEngine.from_config",
}


def get_engine(name: str, config, **options) -> Engine:
    """The engine called ``name``, built from the workspace config and command-line options."""
    import importlib

    target = ENGINES.get(name)
    if target is None:
        raise UserInputError(f"unknown OCR engine {name!r}", advice=f"Choose one of: {', '.join(ENGINES)}.")
    module_name, _, attribute = target.partition(":")
    try:
        factory = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise UserInputError(f"the OCR engine {name!r} is not part of this examkit version",
                             advice="Use --engine tesseract.") from exc
    for part in attribute.split("."):
        factory = getattr(factory, part)
    return factory(config, **options)
