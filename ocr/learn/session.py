"""One learning run: select, split by page, measure, fine-tune, write, measure again, adopt only if better.

Lines whose text is far from what the bundled reader sees are left out first, and the run says
what it learns from (:mod:`ocr.learn.selection`); the held-out pages cover each kind of line and
writer first (:func:`ocr.learn.samples.split_by_page`).

The decision rule lives here and only here (:func:`better`): the candidate must read the held-out
lines with a lower CER than the reader in use, and no kind of line may read worse by more than
half a point, typed lines included (:func:`ocr.learn.samples.printed_guard`): full fine-tuning
measurably made print worse while handwriting improved. Ctrl-C, an error or a worse model leave
``models/reader.json`` as it was; an unfinished model folder is removed.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from examkit.errors import UserInputError
from examkit.files import sha256_file
from ocr.learn import store
from ocr.learn.recogniser import bundled_model, classes_of
from ocr.learn.samples import LineSample, printed_guard, split_by_page
from ocr.learn.scoring import Figures, measure, read_all
from ocr.learn.selection import Selection, select
from ocr.learn.train import Progress, TrainOptions
from ocr.rapidocr import BUNDLED_MODELS

#: How much worse (absolute CER) one kind of line may read before a model is refused.
KIND_TOLERANCE = 0.005
GUARD_KIND = "typed check"


@dataclass
class LearnOptions:
    holdout: float = 0.1
    train: TrainOptions = field(default_factory=TrainOptions)
    guard: bool = True  # add the typed guard lines to the held-out set


@dataclass
class LearnReport:
    model_id: str
    lines_train: int
    lines_held_out: int
    pages_train: int
    pages_held_out: int
    before: Figures  # the reader in use on the held-out lines
    after: Figures
    bundled: Figures
    adopted: bool
    reason: str
    seconds: float
    model_dir: Path
    selection: Selection


def better(candidate: Figures, current: Figures) -> tuple[bool, str]:
    """Whether ``candidate`` should replace ``current``, and why (one line)."""
    if candidate.cer >= current.cer:
        return False, f"held-out CER {current.cer:.3f} -> {candidate.cer:.3f}: not better, the reader stays"
    for kind, cer in candidate.by_kind.items():
        if kind in current.by_kind and cer > current.by_kind[kind] + KIND_TOLERANCE:
            return False, (f"{kind} lines read worse ({current.by_kind[kind]:.3f} -> {cer:.3f}): "
                           "the reader stays")
    return True, f"held-out CER {current.cer:.3f} -> {candidate.cer:.3f}: the learned reader is used from now on"


def _measure(model: Path, held: list[LineSample], guard: list[LineSample], check: Callable[[], None]) -> Figures:
    """Held-out figures, with the typed guard lines as one more kind (not in the overall CER)."""
    figures = measure(model, held, progress=lambda *_: check())
    check()
    if guard:
        figures.by_kind[GUARD_KIND] = measure(model, guard, progress=lambda *_: check()).cer
        check()
    return figures


@contextmanager
def _ctrl_c() -> Iterator[Callable[[], None]]:
    """A check that raises :class:`KeyboardInterrupt` once Ctrl-C was pressed, even where a library
    caught the interrupt while reading or training (the run went on to write a model before)."""
    pressed = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum: int, frame: object) -> None:
        pressed.set()
        raise KeyboardInterrupt

    def check() -> None:
        if pressed.is_set():
            raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.signal(signal.SIGINT, handler)
    try:
        yield check
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def learn(root: Path, samples: list[LineSample], options: LearnOptions,
          progress: Callable[[Progress], None] | None = None,
          note: Callable[[str], None] = lambda _: None) -> LearnReport:
    """Fine-tune a copy of the bundled recogniser on ``samples`` (workspace at ``root``)."""
    with _ctrl_c() as check:
        return _learn(root, samples, options, check, progress, note)


def _learn(root: Path, samples: list[LineSample], options: LearnOptions, check: Callable[[], None],
           progress: Callable[[Progress], None] | None, note: Callable[[str], None]) -> LearnReport:
    from ocr.learn import onnx_io
    from ocr.learn.graph import OnnxRecogniser
    from ocr.learn.train import fine_tune

    began = time.monotonic()
    base_path = bundled_model()
    base = onnx_io.load(base_path)
    classes = classes_of({p.key: p.value for p in base.metadata_props})
    note(f"reading the {len(samples)} confirmed lines with the bundled reader (to find mismatched texts)")
    selection = select(samples, classes, read_all(base_path, samples, progress=lambda *_: check()))
    for line in selection.describe():
        note(line)
    if len({s.page for s in selection.kept}) < 2:
        raise UserInputError(f"{len(selection.kept)} usable lines on fewer than two pages: too few to learn from",
                             advice="Confirm lines on two or more pages, with the text that is on each line.")
    train, held = split_by_page(selection.kept, options.holdout)
    guard = printed_guard() if options.guard else []
    current = store.adopted(root)
    note(f"{len(train)} lines from {len({s.page for s in train})} pages to learn from, "
         f"{len(held)} lines from {len({s.page for s in held})} pages held out")
    note("reading the held-out lines with the reader in use")
    bundled = _measure(base_path, held, guard, check)
    before = _measure(current.model, held, guard, check) if current else bundled

    def progressed(p: Progress) -> None:
        check()
        if progress:
            progress(p)

    net = fine_tune(OnnxRecogniser(base), train, classes, options.train, progressed)
    check()
    model_id = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    partial = store.new_model_dir(root, model_id)
    try:
        model_file = partial / store.MODEL_FILE
        base_hash = sha256_file(base_path)
        onnx_io.write_with_weights(base, net.onnx_weights(), model_file,
                                   {"examkit_base_sha256": base_hash, "examkit_learned": model_id})
        note("reading the held-out lines with the learned reader")
        after = _measure(model_file, held, guard, check)
        adopt, reason = better(after, before)
        manifest = {
            "id": model_id, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "base_model": BUNDLED_MODELS["rec"][0], "base_sha256": base_hash,
            "lines_train": len(train), "lines_held_out": len(held),
            "pages_train": sorted({s.page for s in train}), "pages_held_out": sorted({s.page for s in held}),
            "learned_from": selection.to_json(),
            "training": asdict(options.train), "guard_lines": len(guard),
            "held_out": {"bundled": bundled.to_json(), "before": before.to_json(), "after": after.to_json()},
            "adopted": adopt, "reason": reason, "seconds": round(time.monotonic() - began, 1),
        }
        check()
        final = store.finish(partial, manifest)
    except BaseException:
        store.discard(partial)
        raise
    check()  # the finished model stays in models/, but Ctrl-C leaves the reader in use as it was
    if adopt:
        store.adopt(root, model_id, round(after.cer, 4), round(before.cer, 4), len(train))
    return LearnReport(model_id, len(train), len(held), len({s.page for s in train}), len({s.page for s in held}),
                       before, after, bundled, adopt, reason, time.monotonic() - began, final, selection)
