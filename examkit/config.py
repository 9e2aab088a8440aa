"""The workspace configuration, ``examkit.toml``.

A pydantic model with documented defaults. The file is written once, with comments, when a
workspace is created; afterwards it belongs to the user, and examkit only reads it. Unknown keys
are an error that names the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from examkit.errors import InputFileError
from examkit.models import STOP_MARKER
from examkit.validation import first_problem

CONFIG_NAME = "examkit.toml"

DEFAULT_SYSTEM_PROMPT = (
    "Du bist ein erfahrener Geschichtslehrer der gymnasialen Oberstufe. Du bekommst die "
    "Aufgabenstellung eines Tests und die Antworten einer Schülerin oder eines Schülers. "
    "Schreibe die Fehleranalyse: zitiere fehlerhafte Stellen wörtlich, erkläre oder frage nach, "
    "gib für jeden Fehler den Punktabzug an und schließe mit Punkten, Leistung in Prozent und "
    "der vorgeschlagenen Note."
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: The flat names the vlm engine's options had in ``[ocr]`` before they moved to ``[ocr.vlm]``
#: (``vlm_model`` is ``[ocr.vlm] model``); still read, so older files keep working.
LEGACY_ENGINE_PREFIXES = ("vlm_",)


class OcrConfig(_Section):
    """How pages are read: the keys every engine shares.

    Each engine's own options live in its table, ``[ocr.<engine>]``, and belong to the engine
    (its ``Options`` model, ``ocr/<engine>.py``): they are kept here as tables and checked when
    the engine is built (:func:`ocr.factory.engine_for`), since this layer knows no engine.
    """

    model_config = ConfigDict(extra="allow")

    engine: str = "rapidocr"
    lang: str = "deu"
    dpi: int = Field(300, ge=50, le=1200)
    workers: int = Field(0, ge=0, description="0 means one per CPU core")
    cluster: str | None = Field(None, description="Dask scheduler address (tcp://host:8786); None: this machine")
    flag_below: float = Field(70.0, ge=0, le=100, description="flag words with a lower confidence")
    red_ink: bool = True
    red_hues: list[tuple[int, int]] = Field(
        default_factory=lambda: [(0, 10), (165, 179)], description="OpenCV hue ranges (0-179) taken as red ink"
    )
    max_pixels: int = Field(80_000_000, ge=1_000_000)
    preprocess: list[str] = Field(
        default_factory=lambda: ["page", "illumination", "deskew", "denoise", "binarize", "border", "scale"]
    )

    @model_validator(mode="before")
    @classmethod
    def _legacy_flat_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in [k for k in data if k.startswith(LEGACY_ENGINE_PREFIXES)]:
            table, _, option = key.partition("_")
            section = data.get(table)
            data[table] = {**(section if isinstance(section, dict) else {}), option: data.pop(key)}
        return data

    @model_validator(mode="after")
    def _extras_are_tables(self) -> OcrConfig:
        for key, value in (self.model_extra or {}).items():
            if not isinstance(value, dict):
                raise PydanticCustomError("unknown_key", "unknown key ocr.{key} (an engine's options go in its table, "
                                          "[ocr.<engine>])", {"key": key})
        return self

    def engine_tables(self) -> dict[str, dict[str, Any]]:
        """The ``[ocr.<name>]`` tables as written (engine name -> its options)."""
        return dict(self.model_extra or {})


class AnalysisConfig(_Section):
    """How the Fehleranalyse is computed and rendered."""

    grade_scale: str = "oberstufe"
    percent_rounding: Literal["floor", "round"] = "floor"
    stop_marker: str = STOP_MARKER
    template: str | None = None


class ExportConfig(_Section):
    """How training records are built."""

    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    user_template: str | None = None
    target_model: str = "gpt-4o-mini-2024-07-18"
    token_limits: dict[str, int] = Field(default_factory=dict, description="per-example limits by model (prefix)")
    training_prices: dict[str, float] = Field(default_factory=dict, description="USD per 1M training tokens by model")
    epochs: int | None = Field(None, ge=1, description="None: OpenAI's default-epoch rule")


class TrainConfig(_Section):
    """Which backend trains, and on what."""

    backend: str = Field("openai", description="a name registered in training/backends.py (train backends)")
    model: str = "gpt-4o-mini-2024-07-18"
    base_model: str | None = None
    base_url: str | None = None


class Config(_Section):
    """The whole ``examkit.toml``."""

    author: str = Field("Lehrkraft", description="name stored with every revision a person saves")
    ocr: OcrConfig = Field(default_factory=OcrConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)


DEFAULT_TOML = f'''# examkit workspace configuration. Every key is optional; shown are the defaults.
# Reference: README.md, "Configuration".

# Name stored with every revision you save (review page, imports).
author = "Lehrkraft"

[ocr]
engine = "rapidocr"         # handwriting (bundled PP-OCRv6); "tesseract" for print; "vlm" (see README)
lang = "deu"                # Tesseract languages, e.g. "deu+eng"
dpi = 300                   # resolution PDFs are rendered at
workers = 0                 # parallel pages; 0 = one per CPU core
# cluster = "tcp://192.168.1.10:8786"  # read pages on a Dask cluster (pip install "examkit[cluster]")
flag_below = 70.0           # words under this confidence are flagged for review
red_ink = true              # separate the teacher's red ink from the student's writing
red_hues = [[0, 10], [165, 179]]  # hue ranges (OpenCV, 0-179) taken as red ink
max_pixels = 80000000       # refuse images larger than this (decompression bombs)
preprocess = ["page", "illumination", "deskew", "denoise", "binarize", "border", "scale"]

[ocr.rapidocr]              # the handwriting reader (README: Engines); defaults measured in BENCHMARKS.md
input = "grey"              # "grey": student layer as it is (red ink removed); "cleaned": binarised
preprocess = ["page", "illumination", "deskew", "border"]  # steps for this engine (not [ocr] preprocess)
flag_below = 80.0           # words under this confidence are flagged for review
# rec_model = "my-reader.onnx"  # another recognition model (ONNX); default: the bundled PP-OCRv6 small

[ocr.tesseract]             # printed task sheets (--engine tesseract); uses [ocr] preprocess
psm = 4                     # page segmentation mode
# flag_below = 70.0         # default: [ocr] flag_below

# [ocr.vlm]                           # engine = "vlm": a vision-language model reads (README: Engines)
# model = "gpt-4o"
# base_url = "http://127.0.0.1:8000/v1"  # a local vLLM / llama.cpp / Ollama server: nothing leaves
# consent = false                        # true: send pages to a cloud service without --yes
# local_hosts = ["192.168.1.20"]         # LAN servers (or networks, "10.0.0.0/8") that count as local
# price_per_page = 0.01                  # USD; default: a dated built-in estimate per model
# crossed_out = "mark"                   # crossed-out words as [[...]], or "omit"

[analysis]
grade_scale = "oberstufe"   # or "sek1" (grades 1-6), or a scale of your own (see README)
percent_rounding = "floor"  # "floor" (18/21 -> 85 %) or "round"
stop_marker = "{STOP_MARKER}"     # appended after the grade; "" switches it off
# template = "my-template.j2"

[export]
target_model = "gpt-4o-mini-2024-07-18"
system_prompt = """{DEFAULT_SYSTEM_PROMPT}"""
# user_template = "my-user-prompt.j2"       # Jinja2 over task_sheet, answer, document_id, exam
# epochs = 3                                # default: OpenAI's rule from the number of examples
# token_limits = {{ "gpt-4o-mini" = 65536 }}  # per-example limits (model name prefixes)
# training_prices = {{ "gpt-4o-mini" = 3.0 }} # USD per 1M training tokens; check the current prices

[train]
backend = "openai"          # or "local" (open-weights LoRA, pip install -e ".[local]")
model = "gpt-4o-mini-2024-07-18"
# base_model = "Qwen/Qwen2.5-0.5B-Instruct"   # for the local backend
'''


def load_config(path: Path) -> Config:
    """Read ``examkit.toml``; a missing file means all defaults.

    Raises :class:`InputFileError` naming the file and the offending key when it is invalid.
    """
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"not valid TOML ({exc})", advice="Fix the file or delete it to get the defaults.") from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problem = first_problem(exc, unknown="unknown key")
        key = ".".join(str(p) for p in problem.loc)
        raise InputFileError(path, f"{key}: {problem.reason}{problem.suffix()}", advice="See README.md, Configuration.") from exc
