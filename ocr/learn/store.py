"""Learned readers in the workspace: ``models/<id>/`` (model file + manifest) and the adopted one.

``models/reader.json`` names the learned model later scans use; it is written (atomically) only
when a model read the held-out lines better than the reader in use, so an interrupted or worse
run never changes what a scan reads with. The bundled model file is only ever read. No torch
here: scans and ``ocr status`` use this module.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from examkit.errors import UserInputError
from examkit.files import atomic_write_text
from ocr.learn.recogniser import bundled_model

MODELS_DIR = "models"
ADOPTED = "reader.json"
MODEL_FILE = "model.onnx"
MANIFEST = "manifest.json"

ReaderChoice = Literal["bundled", "learned"]


@dataclass(frozen=True)
class Adopted:
    """The learned reader in use: its folder id, model file and held-out figures."""

    id: str
    model: Path
    held_out_cer: float
    before_cer: float
    lines: int


def models_dir(root: Path) -> Path:
    return root / MODELS_DIR


class AdoptedFile(BaseModel):
    """``reader.json`` as data: a model folder's plain name (never a path, so it stays inside
    ``models/``) and finite, non-negative figures."""

    model_config = ConfigDict(allow_inf_nan=False)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=100)
    held_out_cer: float = Field(ge=0)
    before_cer: float = Field(ge=0)
    lines: int = Field(ge=0)


def adopted(root: Path) -> Adopted | None:
    """The adopted learned reader, or None (the bundled one reads); a missing file counts as none."""
    path = models_dir(root) / ADOPTED
    if not path.is_file():
        return None
    try:
        data = AdoptedFile.model_validate_json(path.read_bytes())
        model = (models_dir(root) / data.id / MODEL_FILE).resolve()
        if not model.is_relative_to(models_dir(root).resolve()):
            raise ValueError(f"id {data.id!r} leads out of {MODELS_DIR}/")
    except (ValidationError, ValueError) as exc:
        reason = exc.errors()[0] if isinstance(exc, ValidationError) else None
        why = f"{'.'.join(map(str, reason['loc'])) or 'the file'}: {reason['msg']}" if reason else str(exc)
        raise UserInputError(f"{path}: not a readable choice of learned reader ({why})",
                             advice="Delete the file to read with the bundled model, or run `examkit ocr learn` again.") from exc
    found = Adopted(data.id, models_dir(root) / data.id / MODEL_FILE, data.held_out_cer, data.before_cer, data.lines)
    return found if model.is_file() else None


def learned_pages(current: Adopted) -> set[str]:
    """The pages the adopted reader learned from (its manifest); unknown counts as none."""
    try:
        manifest = json.loads((current.model.parent / MANIFEST).read_text("utf-8"))
        return {str(page) for page in manifest.get("pages_train", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


def adopt(root: Path, model_id: str, held_out_cer: float, before_cer: float, lines: int) -> None:
    atomic_write_text(models_dir(root) / ADOPTED, json.dumps(
        {"id": model_id, "held_out_cer": held_out_cer, "before_cer": before_cer, "lines": lines}, indent=2) + "\n")


def reader_model(root: Path, choice: ReaderChoice | None, configured: Path | None = None) -> Path | None:
    """The recognition model file a scan reads with; None: the engine's bundled one.

    ``bundled`` is the file shipped in rapidocr, ``learned`` the adopted model (an error if there
    is none). Without a choice, a model set in ``[ocr.rapidocr] rec_model`` wins, then the adopted
    learned model: learning changes later scans only where nobody chose a model by hand.
    """
    current = adopted(root)
    if choice == "bundled":
        return bundled_model()
    if choice == "learned" and current is None:
        raise UserInputError("no learned reader in this workspace",
                             advice="Run `examkit ocr learn` first (it needs lines a person confirmed).")
    if choice is None and configured is not None:
        return configured
    return current.model if current else None


def new_model_dir(root: Path, model_id: str) -> Path:
    """A fresh ``models/<id>.partial`` folder; :func:`finish` renames it when the model is complete."""
    partial = models_dir(root) / f"{model_id}.partial"
    partial.mkdir(parents=True)
    return partial


def finish(partial: Path, manifest: dict) -> Path:
    atomic_write_text(partial / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    final = partial.with_name(partial.name.removesuffix(".partial"))
    partial.rename(final)
    return final


def discard(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)


def status_line(root: Path) -> dict:
    """What ``ocr status`` reports about the reader: which one, and its held-out CER."""
    current = adopted(root)
    if current is None:
        return {"reader": "bundled", "model": None, "held_out_cer": None}
    return {"reader": "learned", "model": current.id, "held_out_cer": current.held_out_cer,
            "before_cer": current.before_cer, "lines": current.lines}
