"""Tokens per second and peak GPU memory of a local LoRA run (``make bench``; GPU only).

Trains through the same code path as ``examkit train start --backend local`` on records built from
the sample set (``samples/ground-truth``: task sheet and student pages as the prompt, the teacher's
analysis rendered as the answer), repeated to fill a few hundred steps' worth of batches.

Without ``--base-model`` the model has Qwen2.5-0.5B's shapes and RANDOM weights (the GPU machine has
no internet and a real model is too large to carry along): speed and memory match the real model's
for the same sequence lengths, but the loss means nothing. With no GPU it prints that it was skipped
and exits 0; ``--cpu-smoke`` runs a tiny model on the CPU to check the script itself.

    python benchmarks/bench_local_training.py [--base-model PATH] [--data FILE.jsonl] [--epochs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample_records(repeat: int) -> list[dict]:
    """Chat records from the sample set's ground truth, each repeated ``repeat`` times."""
    import yaml

    from annotate.model import Analysis
    from annotate.render import render
    from examkit.config import DEFAULT_SYSTEM_PROMPT

    rows = []
    for student in sorted((ROOT / "samples" / "ground-truth").glob("*/*/analysis.yaml")):
        sheet = student.parent.parent / "aufgabe.gt.txt"
        pages = "\n".join(p.read_text(encoding="utf-8") for p in sorted(student.parent.glob("page-*.gt.txt")))
        task = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
        analysis = Analysis(**yaml.safe_load(student.read_text(encoding="utf-8")))
        rows.append({"messages": [
            {"role": "system", "content": DEFAULT_SYSTEM_PROMPT},
            {"role": "user", "content": f"Aufgabenstellung:\n{task}\n\nSchülerantwort:\n{pages}"},
            {"role": "assistant", "content": render(analysis, final_newline=False)},
        ]})
    if not rows:
        raise SystemExit("no samples/ground-truth/*/*/analysis.yaml found: pass --data FILE.jsonl")
    return rows * repeat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-model", help="a downloaded instruct model folder (default: random Qwen2.5-0.5B shapes)")
    parser.add_argument("--data", type=Path, help="a chat JSONL training file (default: built from samples/)")
    parser.add_argument("--repeat", type=int, default=8, help="repeat the sample records this often")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--micro-batch-size", type=int, help="examples per forward pass (default: 1 on a GPU)")
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--cpu-smoke", action="store_true", help="tiny random model on the CPU (checks the script)")
    args = parser.parse_args()
    command = "python benchmarks/bench_local_training.py " + " ".join(sys.argv[1:])
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    header = f"date {datetime.now():%Y-%m-%d %H:%M}, machine {machine}, command `{command.strip()}`"

    if importlib.util.find_spec("torch") is None:
        print(f"skipped: torch is not installed (pip install -e '.[local]'). {header}")
        return 0
    import torch

    if not torch.cuda.is_available() and not args.cpu_smoke:
        print(f"skipped (no GPU): tokens/s and peak GPU memory are measured only on a CUDA GPU. {header}")
        return 0

    from examkit.workspace import Workspace
    from training.backend import TrainOptions
    from training.local.backend import LocalOptions
    from training.local.data import read_records
    from training.local.tiny import write_tiny_model
    from training.local.train import train

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = args.data
        if data is None:
            import json

            data = tmp_path / "train.jsonl"
            rows = sample_records(args.repeat)
            data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        records = read_records(data)
        base, model_label = args.base_model, args.base_model
        if base is None:
            texts = [m["content"] for r in records for m in r.prompt + r.completion]
            size = "tiny" if args.cpu_smoke else "qwen2.5-0.5b"
            started = time.perf_counter()
            base = str(write_tiny_model(tmp_path / "base", texts, kind="qwen2", size=size, vocab_size=8000))
            print(f"built a random {size} model in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            model_label = f"random weights, {'tiny' if args.cpu_smoke else 'Qwen2.5-0.5B'} shapes"
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        with Workspace.open(tmp_path / "ws") as ws:
            settings = LocalOptions(base_model=base, batch_size=args.batch_size, max_length=args.max_length,
                                    output="bench", micro_batch_size=args.micro_batch_size or None)
            job = train(ws, TrainOptions(train_file=data, epochs=args.epochs, seed=0, settings=settings), settings)
        info = job.data
        peak = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None
        device = info["device"]

    quantization = info["quantization"] or ("none (16-bit LoRA)" if peak is not None else "none (32-bit)")
    print(header + "\n")
    print("| model | device | quantization | records | epochs | batch (micro) | max length | tokens | train time | tokens/s | peak GPU memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    final = info["final"]
    print(f"| {model_label} | {device} | {quantization} | "
          f"{info['data']['train']['records']} | {args.epochs} | {args.batch_size} ({info['hyperparameters']['micro_batch_size']}) | {args.max_length} | {final['tokens']:,} | "
          f"{final['train_runtime_s']:.1f} s | {info['tokens_per_second']:,.0f} | "
          f"{f'{peak:.2f} GiB' if peak is not None else 'n/a (CPU)'} |")
    return 0 if job.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
