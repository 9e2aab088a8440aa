"""Answers from a locally tuned model: the Generator behind ``train eval`` and ``annotate draft``.

Loads a run's base model with its LoRA adapter (merged in memory, which makes generation as fast as
the plain model), or any full model folder or cached Hugging Face id (a merged model, or a base
model for a baseline). Generation is greedy and uses the model's chat template, as training did.
Like the OpenAI API, the answer stops at the stop marker and does not include it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examkit.errors import NotFoundError, UserInputError
from training.local import deps
from training.local.rundir import NAME, find_run, runs_root

if TYPE_CHECKING:
    from examkit.workspace import Workspace


@dataclass(frozen=True)
class ModelSource:
    """What to load: the full model (id or folder), and the adapter folder on top, if any."""

    model: str
    adapter: Path | None = None

    @property
    def tokenizer(self) -> str:
        return str(self.adapter) if self.adapter and (self.adapter / "tokenizer_config.json").is_file() else self.model


def resolve(run_or_model_path: str | Path, ws: Workspace | None = None) -> ModelSource:
    """A run id of ``ws``, a run or adapter folder, a full model folder, or a Hugging Face id."""
    text = str(run_or_model_path)
    if ws is not None and NAME.match(text) and (runs_root(ws) / text / "run.json").is_file():
        run = find_run(ws, text)
        return _from_adapter(run.adapter, run.read())
    path = Path(text).expanduser()
    if path.is_dir():
        if (path / "run.json").is_file():
            return _from_adapter(path / "adapter", json.loads((path / "run.json").read_text(encoding="utf-8")))
        if (path / "adapter_config.json").is_file():
            sibling = path.parent / "run.json"
            info = json.loads(sibling.read_text(encoding="utf-8")) if sibling.is_file() else {}
            return _from_adapter(path, info)
        if (path / "config.json").is_file():
            return ModelSource(str(path))
        raise UserInputError(f"{path} holds neither a model, an adapter nor a local run")
    if path.exists() or text.startswith((".", "/", "~")):
        raise NotFoundError(f"no model folder at {path}")
    return ModelSource(text)  # a Hugging Face id, loaded from the local cache or the Hub


def _from_adapter(adapter: Path, info: dict[str, Any]) -> ModelSource:
    if not (adapter / "adapter_config.json").is_file():
        status = info.get("status", "unknown")
        raise UserInputError(f"the run has no adapter at {adapter} (status: {status})",
                             advice="Only a run that succeeded (or was cancelled after its first steps) can generate.")
    base = info.get("base_model")
    if not base:
        base = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8")).get("base_model_name_or_path")
    if not base:
        raise UserInputError(f"{adapter}: cannot tell which base model the adapter belongs to")
    return ModelSource(str(base), adapter)


def load_model(source: ModelSource, *, for_merge: bool = False) -> tuple[Any, Any]:
    """The model (adapter merged in) and tokenizer, on the best device (CPU when merging)."""
    deps.require()
    deps.quiet_libraries()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = "cpu" if for_merge else deps.detect_device().kind
    dtype: Any
    if device == "cuda":
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    else:
        dtype = "auto" if for_merge else torch.float32
    try:
        model = AutoModelForCausalLM.from_pretrained(source.model, dtype=dtype)
        tokenizer = AutoTokenizer.from_pretrained(source.tokenizer)
    except OSError as exc:
        raise UserInputError(f"cannot load the model {source.model!r}: {exc}".split("\n")[0],
                             advice="Pass a folder holding a downloaded model, or download it first.") from exc
    if source.adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(source.adapter)).merge_and_unload()
    model.to(device)  # type: ignore[arg-type]  # transformers' stubs type .to() for its own wrapper
    model.eval()
    return model, tokenizer


class LocalGenerator:
    """Greedy generation with a local model; see :func:`resolve` for what ``run_or_model_path`` may be."""

    def __init__(self, run_or_model_path: str | Path, ws: Workspace | None = None) -> None:
        self.source = resolve(run_or_model_path, ws)
        self.model, self.tokenizer = load_model(self.source)

    def generate(self, messages: list[dict[str, str]], *, stop: str | None, max_tokens: int = 2048) -> str:
        import torch

        inputs = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        ).to(self.model.device)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=max_tokens,
                do_sample=False,
                temperature=None,
                top_p=None,
                top_k=None,
                stop_strings=[stop] if stop else None,
                tokenizer=self.tokenizer,
                pad_token_id=pad,
            )
        text = self.tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
        if stop and stop in text:
            text = text[: text.index(stop)]
        return text.rstrip()
