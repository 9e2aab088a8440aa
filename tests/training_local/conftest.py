"""A tiny random model and a small Fehleranalyse chat set, made on the spot (tests have no network)."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

HAS_STACK = all(importlib.util.find_spec(n) for n in ("torch", "transformers", "peft", "trl", "datasets", "accelerate"))

SYSTEM = "Du bist Geschichtslehrer und schreibst die Fehleranalyse zu einem Test."
COMMENTS = ["Auf vollständige Sätze achten!", "Genauer eingehen", "Bezug zur Reformation fehlt", "Textart = Brief"]


def chat_records(n: int, seed: int = 0) -> list[dict]:
    """``n`` short chat records shaped like exported Fehleranalyse examples."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        deductions = rng.randint(0, 3)
        points = 8 - deductions
        lines = "".join(f"\t\t- {rng.choice(COMMENTS)} (-1 Punkt)\n" for _ in range(deductions))
        heading = f"\tA ({points} von 8 Punkte)" + (":\n" + lines if lines else "\n")
        answer = (
            f"Fehleranalyse:\n{heading}\n\tInsgesamt:\n\t\tPunkte: {points} von 8, das entspricht einer Leistung von: "
            f"{100 * points // 8}%\n\t\tVorgeschlagene Note: {rng.choice(['1', '2+', '3-'])} ENDSTOP"
        )
        user = f"Aufgabe A (8 Punkte): Analysiere die Quelle.\nSchüler {i}: Luther schrieb 1517 seine 95 Thesen an Albrecht."
        rows.append({"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user},
                                  {"role": "assistant", "content": answer}]})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def system_prompt() -> str:
    return SYSTEM


@pytest.fixture(scope="session")
def data_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("data")
    return write_jsonl(folder / "train.jsonl", chat_records(20, seed=1)), write_jsonl(folder / "val.jsonl", chat_records(4, seed=2))


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer Llama with random weights and a tokenizer trained on the records' text."""
    if not HAS_STACK:
        pytest.skip("torch/transformers not installed (pip install -e '.[local]')")
    from training.local.tiny import write_tiny_model

    texts = [m["content"] for r in chat_records(40, seed=3) for m in r["messages"]]
    return write_tiny_model(tmp_path_factory.mktemp("base") / "tiny-llama", texts)
