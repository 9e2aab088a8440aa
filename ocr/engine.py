"""The OCR engine interface: what any reader of a page image must provide, and what it may.

The engine is a seam: the batch is handed an engine object (never a patched module). Every engine
reads one page and returns its lines and words; what else it can do is *declared* on the engine
(the capability attributes below), so callers ask ``engine.reads_lines`` instead of probing for
methods. :class:`EngineBase` holds the defaults (nothing optional) and the one refusal each
missing capability gives; an engine sets the flags it supports and implements those methods.

Adding an engine is one module plus one line in :data:`ENGINES`. The engine owns its options (a
nested pydantic ``Options`` class, as simonw/llm's models do): they come from ``[ocr.<name>]`` in
``examkit.toml`` and from ``-o key=value`` on the command line, and :meth:`EngineBase.build` makes
the engine from them and the shared :class:`EngineContext`. It checks its own programs and files in
:meth:`Engine.check`: a scan with one engine never needs another engine's programs. Engines are
built in one place, :func:`ocr.factory.engine_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel

from examkit.errors import UserInputError
from examkit.models import Line, PageOCR
from examkit.options import NoOptions, owned_options
from examkit.registry import load_entry

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
    #: Reads with a recognition model that can be swapped (:meth:`with_model`): a model learned
    #: from the class's confirmed lines (``ocr learn``).
    learns: bool
    #: The recognition model file its options chose (None: its own); read where ``learns``.
    rec_model: Path | None
    #: Reads better knowing the exam's words (:class:`EngineContext` ``exam_texts``).
    uses_exam_text: bool
    @property
    def label(self) -> str:
        """How results name the engine (``ocr eval``): ``vlm:gpt-4o``, ``rapidocr:model.onnx``."""

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

    def with_model(self, model: Path | None) -> Engine:
        """The same engine reading with another recognition model (None: its own); needs ``learns``."""


@dataclass(frozen=True)
class EngineContext:
    """What every engine is built with besides its own options: shared, not any engine's to own.

    ``lang`` is the page language (``[ocr] lang`` or ``--lang``), ``flag_below`` the shared flag
    threshold (``[ocr] flag_below``), ``word_list`` the words a person gave (``--word-list``:
    others are flagged), ``exam_texts`` what the exam already knows (task sheets, lines people
    confirmed), filled only for engines that declare ``uses_exam_text``; ``command_options`` names
    the options the command gave (they come before the environment, which comes before the file).
    """

    lang: str = "deu"
    flag_below: float = 70.0
    word_list: frozenset[str] | None = None
    exam_texts: tuple[str, ...] = ()
    command_options: frozenset[str] = frozenset()


class EngineBase:
    """Defaults for the optional capabilities: none of them. Engines inherit and override."""

    name: str = "engine"
    input: EngineInput = "cleaned"
    steps: tuple[str, ...] | None = None
    reads_lines: bool = False
    writes_hocr: bool = False
    sends_pages: bool = False
    learns: bool = False
    rec_model: Path | None = None
    uses_exam_text: bool = False
    #: The engine's own options: ``[ocr.<name>]`` in examkit.toml and ``-o key=value`` on the command line.
    Options: ClassVar[type[BaseModel]] = NoOptions

    @classmethod
    def build(cls, context: EngineContext, options: Any) -> EngineBase:
        """The engine from the shared context and its validated ``Options`` (engines with options override)."""
        return cls()

    def check(self) -> None:
        raise NotImplementedError(f"the {self.name} engine must say what it needs (check)")

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        raise NotImplementedError(f"the {self.name} engine must read pages (recognize)")

    @property
    def label(self) -> str:
        """How results name the engine: its name, and the model it reads with where that varies."""
        return self.name

    def read_line(self, crop: np.ndarray, *, lang: str) -> Line:
        raise UserInputError(f"the {self.name} engine cannot read single lines", advice="Use --engine rapidocr.")

    def hocr(self, image: np.ndarray, *, lang: str) -> bytes:
        raise no_hocr(self.name)

    def confirm_sending(self, pages: int, *, yes: bool = False):
        raise UserInputError(f"the {self.name} engine sends no pages anywhere")

    def with_model(self, model: Path | None) -> Engine:
        raise UserInputError(f"the {self.name} engine has no recognition model to choose",
                             advice="Use --reader with --engine rapidocr only.")


def no_hocr(name: str) -> UserInputError:
    """The refusal of an engine without ``writes_hocr`` (a batch says it before reading any page)."""
    return UserInputError(f"the {name} engine cannot write hOCR", advice="Leave out --hocr.")


#: Engine name -> "module:Class"; modules are imported only when chosen, so an engine's heavy
#: dependencies stay optional.
ENGINES: dict[str, str] = {
    "rapidocr": "ocr.rapidocr:RapidOcrEngine",
    "tesseract": "ocr.tesseract:TesseractEngine",
    "vlm": "ocr.vlm:VlmEngine",
}


def engine_class(name: str) -> type[EngineBase]:
    """The class registered as ``name``; one clear line for a name not in :data:`ENGINES`."""
    target = ENGINES.get(name)
    if target is None:
        raise UserInputError(f"unknown OCR engine {name!r}", advice=f"Choose one of: {', '.join(ENGINES)}.")
    try:
        return load_entry(target)
    except ModuleNotFoundError as exc:
        if exc.name != target.partition(":")[0]:
            raise
        raise UserInputError(f"the OCR engine {name!r} is not part of this examkit version",
                             advice="Use --engine tesseract.") from exc


def engine_options(cls: type[EngineBase], configured: dict[str, Any], given: dict[str, Any]) -> BaseModel:
    """The engine's options: its ``[ocr.<name>]`` table, overridden by the command's ``-o`` options."""
    return owned_options(cls.Options, f"{cls.name} engine", configured, given,
                         file_place=f"examkit.toml [ocr.{cls.name}]", choose="--engine NAME")
