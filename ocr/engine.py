"""The OCR engine interface: what any reader of a page image must provide.

Tesseract reads print well and handwriting poorly, so the engine is a seam: the batch is handed
an engine object (never a patched module), and a handwriting engine (a vision-language model)
implements the same two methods. Engines receive the preprocessed student layer of a page (red
teacher ink already removed) and return words with boxes and confidences.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from examkit.models import PageOCR


@runtime_checkable
class Engine(Protocol):
    """A page reader. Implementations must be picklable (they travel to worker processes)."""

    #: Short name stored with every result (``tesseract``, ``vlm``).
    name: str

    def check(self) -> None:
        """Raise :class:`examkit.errors.MissingDependencyError` (or another ExamkitError) when the
        engine cannot run here, before any page of a batch is touched."""

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        """Read one page image (8-bit grey or BGR) and return its lines and words.

        Word ``bbox`` values are in the pixels of ``image``. Raise an ExamkitError for a page that
        cannot be read; a page without text is an empty result with a warning, not an error.
        """


#: Engine name -> "module:factory". The factory is called as ``factory(config, **options)``;
#: modules are imported only when chosen, so an engine's heavy dependencies stay optional.
ENGINES: dict[str, str] = {
    "tesseract": "ocr.tesseract:TesseractEngine.from_config",
    "vlm": "ocr.vlm:VlmEngine.from_config",
}


def get_engine(name: str, config, **options) -> Engine:
    """The engine called ``name``, built from the workspace config and command-line options."""
    import importlib

    from examkit.errors import UserInputError

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
