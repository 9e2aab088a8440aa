"""What the local backend needs, whether it is here, and which device it will run on.

The open-weights stack (torch, transformers, peft, trl, accelerate, datasets) is an optional extra:
nothing else in examkit imports it, and every entry point of this package asks :func:`require`
first so a missing package ends in one line that says how to install it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import warnings
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from examkit.errors import MissingDependencyError

PACKAGES = ("torch", "transformers", "peft", "trl", "accelerate", "datasets")
INSTALL = 'pip install -e ".[local]"  (on a GPU machine install the CUDA build of torch first)'


def missing() -> list[str]:
    """The packages of the stack that are not installed (found without importing them)."""
    return [name for name in PACKAGES if importlib.util.find_spec(name) is None]


def require() -> None:
    """Raise :class:`MissingDependencyError` unless the whole stack is installed."""
    absent = missing()
    if absent:
        raise MissingDependencyError(", ".join(absent) + " (for the local backend)", install=INSTALL)


def versions() -> dict[str, str]:
    """Installed versions of the stack (and bitsandbytes when present), for run.json and reports."""
    found = {}
    for name in (*PACKAGES, "bitsandbytes"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


@dataclass(frozen=True)
class Device:
    """Where training runs: ``cuda``, ``mps`` or ``cpu``; a name for people; 4-bit possible?"""

    kind: str
    name: str
    quantize_4bit: bool

    @property
    def on_gpu(self) -> bool:
        return self.kind in ("cuda", "mps")


def detect_device() -> Device:
    """The best device torch sees; 4-bit (QLoRA) only with CUDA and bitsandbytes installed."""
    import torch

    if torch.cuda.is_available():
        count = torch.cuda.device_count()
        name = torch.cuda.get_device_name(0) + (f" (x{count})" if count > 1 else "")
        return Device("cuda", name, importlib.util.find_spec("bitsandbytes") is not None)
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return Device("mps", "Apple GPU (MPS)", False)
    return Device("cpu", f"CPU ({os.cpu_count()} cores)", False)


def usable() -> tuple[bool, str]:
    """Whether local training can run here, and a sentence on what was found or is missing."""
    absent = missing()
    if absent:
        return False, f"needs {', '.join(absent)}: {INSTALL}"
    import torch

    device = detect_device()
    if device.kind == "cuda":
        extra = "QLoRA (4-bit) available" if device.quantize_4bit else "LoRA in 16-bit; pip install bitsandbytes for QLoRA"
        return True, f"torch {torch.__version__}, GPU {device.name}: {extra}"
    if device.kind == "mps":
        return True, f"torch {torch.__version__}, {device.name}: LoRA in 32-bit, slower than CUDA"
    return True, (
        f"torch {torch.__version__}, no GPU: training runs on the {device.name}, "
        "hours even for a 0.5B model; fine for small tests"
    )


def quiet_libraries() -> None:
    """Silence the libraries' own progress bars and chatter: examkit reports progress itself."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import datasets
    import transformers
    from huggingface_hub.utils import disable_progress_bars

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    disable_progress_bars()
    logging.getLogger("trl").setLevel(logging.ERROR)
    logging.getLogger("peft").setLevel(logging.ERROR)
    # Deprecation notices about the libraries' own internals mean nothing to a teacher.
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(transformers|trl|peft|accelerate)\b")
    warnings.filterwarnings("ignore", category=UserWarning, module=r"(transformers|trl|peft|accelerate|torch)\b")
