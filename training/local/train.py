"""LoRA fine-tuning of an open-weights chat model with TRL's SFTTrainer, all on this machine.

The student texts never leave the school: the base model is read from a local folder or the Hugging
Face cache, training runs on CUDA (QLoRA in 4 bits when bitsandbytes is installed), Apple's MPS or
the CPU, and the result is a small LoRA adapter in ``<workspace>/runs/<run-id>/``. The loss is taken
on the assistant's answer only (TRL's completion-only loss on conversational prompt/completion rows),
rendered with the base model's own chat template, so generation later sees the same layout.

Several GPUs: start the same command under ``accelerate launch`` (docs/local-training.md); only the
main process writes the run folder and the workspace.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from examkit.clock import now
from examkit.console import note, warn
from examkit.errors import ExamkitError, UserInputError
from examkit.runs import JobRecord
from training.backend import TrainOptions
from training.local import deps
from training.local.backend import LocalOptions
from training.local.data import Record, describe, read_records
from training.local.rundir import RunDir, new_run

if TYPE_CHECKING:
    from examkit.workspace import Workspace

BACKEND = "local"
DEFAULT_LEARNING_RATE = 2e-4


@dataclass(frozen=True)
class Hyper:
    """The hyperparameters of a run, as run.json records them."""

    epochs: int
    lora_r: int
    lora_alpha: int
    lora_dropout: float
    learning_rate: float
    batch_size: int  # examples per optimizer step (as OpenAI's batch_size)
    micro_batch_size: int  # examples per forward pass; the rest is gradient accumulation
    max_length: int
    seed: int
    target_modules: str

    @classmethod
    def from_options(cls, options: TrainOptions, settings: LocalOptions,
                     device: deps.Device | None = None) -> Hyper:
        """Defaults fit a 0.5-8B model on one GPU: on a GPU one example per forward pass (the
        logits of a 150k-token vocabulary are large), on the CPU the whole batch at once (faster)."""
        r = settings.lora_r or 16
        batch = settings.batch_size or 4
        micro = settings.micro_batch_size or (batch if device is not None and device.kind == "cpu" else 1)
        rate = settings.learning_rate or DEFAULT_LEARNING_RATE * (settings.learning_rate_multiplier or 1.0)
        hyper = cls(
            epochs=options.epochs or 3,
            lora_r=r,
            lora_alpha=settings.lora_alpha or 2 * r,
            lora_dropout=settings.lora_dropout,
            learning_rate=float(rate),
            batch_size=batch,
            micro_batch_size=int(micro),
            max_length=settings.max_length or 4096,
            seed=options.seed if options.seed is not None else 42,
            target_modules=settings.target_modules,
        )
        for name in ("epochs", "lora_r", "batch_size", "micro_batch_size", "max_length"):
            if getattr(hyper, name) < 1:
                raise UserInputError(f"{name.replace('_', '-')} must be at least 1, not {getattr(hyper, name)}")
        return hyper

    @property
    def gradient_accumulation(self) -> int:
        return max(1, math.ceil(self.batch_size / self.micro_batch_size))


def train(ws: Workspace, options: TrainOptions, settings: LocalOptions) -> JobRecord:
    """Fine-tune ``settings.base_model`` on ``options.train_file``; record and return the job.

    Blocks until training ends. The job is saved as ``running`` first, then ``succeeded``,
    ``cancelled`` (``train cancel`` or Ctrl-C) or ``failed`` (with the error in run.json).
    """
    deps.require()
    base_model = settings.base_model or ws.config.train.base_model
    if not base_model:
        raise UserInputError(
            "the local backend needs a base model",
            advice="Pass --base-model (a Hugging Face id or a folder), or set [train] base_model in examkit.toml.",
        )
    device = deps.detect_device()
    hyper = Hyper.from_options(options, settings, device)
    train_records = read_records(options.train_file)
    valid_records = read_records(options.validation_file) if options.validation_file else []

    deps.quiet_libraries()
    from accelerate import PartialState

    config = _config(hyper, device, len(train_records), bool(valid_records))
    config.device  # noqa: B018 - sets up the process group under torchrun / accelerate launch
    state = PartialState()
    run = _shared_run(ws, settings.output, state)
    config.output_dir = str(run.root / "trainer")
    info: dict[str, Any] = {
        "id": run.run_id,
        "backend": BACKEND,
        "base_model": base_model,
        "status": "running",
        "created_at": now(),
        "device": device.name,
        "processes": state.num_processes,
        "quantization": "4-bit NF4 (QLoRA)" if device.quantize_4bit and settings.qlora else None,
        "data": {"train": describe(options.train_file, train_records)}
        | ({"validation": describe(options.validation_file, valid_records)} if options.validation_file else {}),
        "hyperparameters": asdict(hyper) | {"gradient_accumulation": hyper.gradient_accumulation},
        "versions": deps.versions(),
        "adapter": str(run.adapter),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "losses": [],
    }
    main = state.is_main_process
    if main:
        _record(ws, run, info)
        if device.kind == "cpu":
            warn(
                f"no GPU found: training {base_model} on the {device.name}. A 0.5B model takes hours per epoch "
                "of a few hundred analyses; a tiny test model takes seconds. Use a CUDA GPU for real runs."
            )
        note(f"run {run.run_id}: {len(train_records)} training records, {len(valid_records)} validation, on {device.name}")
    reporter = None
    try:
        trainer, reporter = _trainer(base_model, config, hyper, train_records, valid_records, run, info, main)
        result = trainer.train()
        if main:
            trainer.model.save_pretrained(run.adapter)
            trainer.processing_class.save_pretrained(run.adapter)
        info["status"] = "cancelled" if reporter.cancelled else "succeeded"
        info["final"] = {
            "train_loss": result.training_loss,
            "eval_loss": _last(reporter.losses, "valid_loss"),
            "steps": trainer.state.global_step,
            "train_runtime_s": round(result.metrics.get("train_runtime", 0.0), 2),
            "tokens": int(trainer.state.num_input_tokens_seen or 0),
        }
        runtime = result.metrics.get("train_runtime") or 0
        info["tokens_per_second"] = round(info["final"]["tokens"] / runtime, 1) if runtime else None
    except KeyboardInterrupt:
        info["status"] = "cancelled"
        info["error"] = "interrupted (Ctrl-C)"
        raise
    except Exception as exc:
        info["status"] = "failed"
        info["error"] = f"{type(exc).__name__}: {exc}"
        raise _friendly(exc, base_model, hyper) from exc
    finally:
        info["losses"] = reporter.losses if reporter else []
        info["finished_at"] = now()
        if main:
            run.cancel_flag.unlink(missing_ok=True)
            shutil.rmtree(run.root / "trainer", ignore_errors=True)
            job = _record(ws, run, info)
    if main and info["status"] == "succeeded":
        note(f"adapter saved in {run.adapter}")
    return job if main else JobRecord(id=run.run_id, backend=BACKEND, model=base_model, status=info["status"],
                                      data=info, created_at=info["created_at"], updated_at=info["finished_at"])


def _shared_run(ws: Workspace, name: str | None, state: Any) -> RunDir:
    """The run folder, created by the main process; under accelerate the others learn its id."""
    if state.num_processes == 1:
        return new_run(ws, name)
    from accelerate.utils import broadcast_object_list

    holder = [new_run(ws, name).run_id if state.is_main_process else None]
    broadcast_object_list(holder)
    run_id = str(holder[0])  # every process now has the main process's id
    return RunDir(run_id, ws.root / "runs" / run_id)


def _record(ws: Workspace, run: RunDir, info: dict[str, Any]) -> JobRecord:
    run.write(info)
    adapter = str(run.adapter) if info["status"] == "succeeded" else None
    return ws.runs.save_job(run.run_id, backend=BACKEND, model=info["base_model"], status=info["status"],
                            result_model=adapter, data=info)


def _config(hyper: Hyper, device: deps.Device, n_train: int, has_validation: bool) -> Any:
    """The SFTTrainer's settings for this device; ``output_dir`` is set once the run folder exists."""
    import torch
    from trl import SFTConfig

    bf16 = device.kind == "cuda" and torch.cuda.is_bf16_supported()
    steps_per_epoch = math.ceil(n_train / (hyper.micro_batch_size * hyper.gradient_accumulation))
    return SFTConfig(
        output_dir="unset",
        num_train_epochs=hyper.epochs,
        per_device_train_batch_size=hyper.micro_batch_size,
        per_device_eval_batch_size=hyper.micro_batch_size,
        gradient_accumulation_steps=hyper.gradient_accumulation,
        learning_rate=hyper.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=0.03,
        max_length=hyper.max_length,
        completion_only_loss=True,
        seed=hyper.seed,
        data_seed=hyper.seed,
        bf16=bf16,
        fp16=device.kind == "cuda" and not bf16,
        use_cpu=device.kind == "cpu",
        activation_checkpointing=device.on_gpu,
        logging_steps=max(1, steps_per_epoch * hyper.epochs // 50),
        eval_strategy="epoch" if has_validation else "no",
        save_strategy="no",
        report_to="none",
        disable_tqdm=True,
        include_num_input_tokens_seen="non_padding",
        dataloader_pin_memory=device.kind == "cuda",
        ddp_find_unused_parameters=False,
    )


def _trainer(base_model: str, config: Any, hyper: Hyper, train_records: list[Record], valid_records: list[Record],
             run: RunDir, info: dict[str, Any], main: bool):
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, PrinterCallback, ProgressCallback
    from trl import SFTTrainer

    from training.local.progress import ProgressReporter

    deps.quiet_libraries()
    tokenizer = AutoTokenizer.from_pretrained(base_model)
    if not tokenizer.chat_template:
        raise UserInputError(
            f"{base_model} has no chat template",
            advice="Use an instruct/chat model (e.g. Qwen/Qwen2.5-0.5B-Instruct), not a plain base model.",
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if main:
        _warn_too_long(tokenizer, train_records + valid_records, hyper.max_length)

    dtype = torch.bfloat16 if config.bf16 else torch.float16 if config.fp16 else torch.float32
    load: dict[str, Any] = {"dtype": dtype}
    if info["quantization"]:
        from accelerate import PartialState
        from transformers import BitsAndBytesConfig

        load["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype,
        )
        load["device_map"] = {"": PartialState().local_process_index}
    model = AutoModelForCausalLM.from_pretrained(base_model, **load)

    peft_config = LoraConfig(
        r=hyper.lora_r, lora_alpha=hyper.lora_alpha, lora_dropout=hyper.lora_dropout,
        target_modules=hyper.target_modules, task_type="CAUSAL_LM",
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list([r.as_row() for r in train_records]),
        eval_dataset=Dataset.from_list([r.as_row() for r in valid_records]) if valid_records else None,
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    for noisy in (PrinterCallback, ProgressCallback):
        trainer.remove_callback(noisy)
    reporter = ProgressReporter(run, main_process=main)
    trainer.add_callback(reporter)
    return trainer, reporter


def _warn_too_long(tokenizer: Any, records: list[Record], max_length: int) -> None:
    """Say how many records --max-length cuts; refuse when it would cut every answer away."""
    cut = skipped = longest = 0
    for record in records:
        length = len(_ids(tokenizer, record.prompt + record.completion))
        if length <= max_length:
            continue
        cut += 1
        longest = max(longest, length)
        skipped += len(_ids(tokenizer, record.prompt, add_generation_prompt=True)) >= max_length
    if skipped == len(records):
        raise UserInputError(
            f"every record's prompt is longer than --max-length {max_length} tokens: nothing to learn from",
            advice=f"Raise --max-length (the longest record has {longest} tokens).",
        )
    if cut:
        warn(
            f"{cut} of {len(records)} records are longer than --max-length {max_length} tokens (longest {longest}): "
            f"{skipped} lose the whole answer and are skipped, {cut - skipped} lose its end. "
            "Raise --max-length if memory allows."
        )


def _ids(tokenizer: Any, messages: list[dict[str, str]], **options: Any) -> list[int]:
    ids = tokenizer.apply_chat_template(messages, tokenize=True, **options)
    return ids["input_ids"] if hasattr(ids, "keys") else ids


def _last(events: list[dict[str, Any]], key: str) -> float | None:
    values = [e[key] for e in events if e.get(key) is not None]
    return values[-1] if values else None


def _friendly(exc: Exception, base_model: str, hyper: Hyper) -> Exception:
    """Common failures as one line a teacher can act on; anything else unchanged."""
    if isinstance(exc, ExamkitError):
        return exc
    text = str(exc)
    if "out of memory" in text.lower():
        return ExamkitError(
            f"the GPU ran out of memory training {base_model}",
            advice=f"Lower --max-length (now {hyper.max_length}) or the batch size, install bitsandbytes for QLoRA, "
            "or choose a smaller base model (docs/local-training.md).",
        )
    if isinstance(exc, OSError) and ("does not appear to have" in text or "is not a local folder" in text
                                     or "Can't load" in text or "not a valid model identifier" in text):
        return UserInputError(
            f"cannot load the base model {base_model!r}",
            advice="Pass a folder holding a downloaded model, or download it first (huggingface-cli download ID) "
            "on a machine with internet.",
        )
    return exc
