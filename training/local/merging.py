"""A run's LoRA adapter merged into its base model: one ordinary model folder for serving.

vLLM, llama.cpp's ``convert_hf_to_gguf.py``, Ollama (after conversion) and plain transformers all
read the result; none of them needs PEFT. The merge runs on the CPU in the base model's own dtype,
so it needs about twice the model's size in RAM but no GPU. The folder is written under a temporary
name and renamed when complete, and an existing non-empty folder is never written into.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from examkit.clock import now
from examkit.console import note
from examkit.errors import UserInputError
from examkit.files import atomic_write_text
from training.local.generate import load_model, resolve

if TYPE_CHECKING:
    from examkit.workspace import Workspace


def merge(ws: Workspace | None, run_id: str, out_dir: str | Path) -> Path:
    """Merge run ``run_id`` (or an adapter folder) into its base model; write it to ``out_dir``."""
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserInputError(f"{out} exists and is not empty", advice="Name a new folder; nothing is overwritten.")
    source = resolve(run_id, ws)
    if source.adapter is None:
        raise UserInputError(f"{run_id!r} is a full model, not a run with an adapter: nothing to merge")
    note(f"merging {source.adapter} into {source.model} (on the CPU)")
    model, tokenizer = load_model(source, for_merge=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))  # ours alone
    partial.chmod(0o755)  # mkdtemp makes it private; a served model folder is usually shared
    try:
        model.save_pretrained(partial, safe_serialization=True)
        tokenizer.save_pretrained(partial)
        info = {"run": run_id, "base_model": source.model, "adapter": str(source.adapter), "merged_at": now()}
        atomic_write_text(partial / "examkit-merge.json", json.dumps(info, ensure_ascii=False, indent=2) + "\n")
        if out.exists():
            out.rmdir()  # empty, checked above
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    note(f"merged model written to {out}")
    return out
