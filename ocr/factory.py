"""The one engine factory: every command that reads (scan, re-read, eval) builds its engine here.

It applies, in one order, what decides how an engine reads: the engine's own options
(``[ocr.<name>]``, then the command's ``-o key=value``), the shared context (language, flag
threshold, the person's word list, the exam's words for engines that use them), and the learned
recognition model ``ocr learn`` adopted (for engines that declare ``learns``). Before this, the
scan applied the learned reader and the line editor's "Neu lesen" did not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from examkit.config import CONFIG_NAME
from examkit.errors import InputFileError, UserInputError
from examkit.workspace import Workspace
from ocr.engine import ENGINES, Engine, EngineContext, engine_class, engine_options
from ocr.exam_text import exam_text
from ocr.flags import load_word_list
from ocr.learn.store import ReaderChoice, reader_model


def engine_for(ws: Workspace, name: str | None = None, *, lang: str | None = None, word_list: Path | None = None,
               reader: ReaderChoice | None = None, **options: Any) -> Engine:
    """The engine ``name`` (None: ``[ocr] engine``) as this workspace reads with it.

    ``options`` are the command's engine options (``-o``, ``--model``); ``reader`` chooses the
    bundled or the learned recognition model (default: the adopted one, unless the engine's
    options name a model file).
    """
    check_engine_tables(ws)
    cls = engine_class(name or ws.config.ocr.engine)
    configured = ws.config.ocr.engine_tables().get(cls.name, {})
    chosen = engine_options(cls, configured, options)
    context = EngineContext(
        lang=lang or ws.config.ocr.lang, flag_below=ws.config.ocr.flag_below,
        word_list=load_word_list(word_list) if word_list else None,
        exam_texts=exam_text(ws).texts if cls.uses_exam_text else (),
        command_options=frozenset(key for key, value in options.items() if value is not None))
    engine = cls.build(context, chosen)
    if engine.learns:
        return engine.with_model(reader_model(ws.root, reader, engine.rec_model))
    if reader is not None:
        raise UserInputError(f"--reader is for engines that read with a learned model, not {engine.name}",
                             advice="Add --engine rapidocr or leave out --reader.")
    return engine


def check_engine_tables(ws: Workspace) -> None:
    """A table ``[ocr.<name>]`` must name a registered engine (a typo would otherwise be ignored)."""
    for table in ws.config.ocr.engine_tables():
        if table not in ENGINES:
            raise InputFileError(ws.root / CONFIG_NAME, f"[ocr.{table}]: no OCR engine is called {table!r}",
                                 advice=f"Engines: {', '.join(ENGINES)}.")
