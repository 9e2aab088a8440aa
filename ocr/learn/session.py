"""One learning run: select, check the recipe on pages it did not learn from, learn, adopt only if better.

Lines whose text is far from what the bundled reader sees are left out first, and the run says
what it learns from (:mod:`ocr.learn.selection`).

How a candidate is judged (``check``):

* ``folds`` (default): the pages are cut in two halves (each covering the kinds of line and the
  writers, :func:`ocr.learn.samples.split_by_page`); a reader learned from one half reads the
  other, and the other way round, so *every* confirmed line is read by a reader that never saw
  it. The reader that is kept then learns from all pages. On 30 HN2021 pages a 10 % held-out
  set (31 lines, 3 pages) refused a model that read the 130 test lines 16–23 % better, and a
  model that learned from every page read the teacher's next pages better than one that left
  three out (BENCHMARKS.md, issue 27). It costs about twice the training time.
* ``holdout``: a share of the pages is held out once and the reader learns from the rest (faster).

The decision rule lives here and only here (:func:`better`): the candidate must read the checked
lines with a lower CER than the reader in use (the bundled one when the reader in use learned
from some of these pages: it cannot be judged on lines it learned from), and no kind of line
may read worse by more than one point, typed lines included (:func:`ocr.learn.samples.printed_guard`): full fine-tuning
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
from typing import Literal

from examkit.errors import UserInputError
from examkit.files import sha256_file
from ocr.learn import store
from ocr.learn.recogniser import bundled_model, classes_of
from ocr.learn.samples import LineSample, printed_guard, printed_rehearsal, split_by_page
from ocr.learn.scoring import Figures, figures, measure, read_all
from ocr.learn.selection import Selection, select
from ocr.learn.train import Progress, TrainOptions
from ocr.rapidocr import BUNDLED_MODELS

#: How much worse (absolute CER) one kind of line may read before a model is refused. The typed
#: guard is 12 lines (about 500 characters): half a point was three characters of one fill-in
#: line (``____``) and refused a reader that read the real typewritten test lines better
#: (0.029 -> 0.023, BENCHMARKS.md).
KIND_TOLERANCE = 0.01
GUARD_KIND = "typed check"


Check = Literal["folds", "holdout"]


@dataclass
class LearnOptions:
    check: Check = "folds"
    holdout: float = 0.1  # with check "holdout": the share of pages held out
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


def _guarded(found: Figures, model: Path, guard: list[LineSample], check: Callable[[], None]) -> Figures:
    """``found`` with the typed guard lines, read by ``model``, as one more kind (not in the overall CER)."""
    check()
    if guard:
        found.by_kind[GUARD_KIND] = measure(model, guard, progress=lambda *_: check()).cer
        check()
    return found


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
    base_hash = sha256_file(base_path)
    classes = classes_of({p.key: p.value for p in base.metadata_props})
    note(f"reading the {len(samples)} confirmed lines with the bundled reader (to find mismatched texts)")
    readings = read_all(base_path, samples, progress=lambda *_: check())
    check()
    selection = select(samples, classes, readings)
    for line in selection.describe():
        note(line)
    kept = selection.kept
    if len({s.page for s in kept}) < 2:
        raise UserInputError(f"{len(kept)} usable lines on fewer than two pages: too few to learn from",
                             advice="Confirm lines on two or more pages, with the text that is on each line.")
    rounds = _rounds(kept, options)
    checked = [s for _, test in rounds for s in test]
    learned_from = kept if options.check == "folds" else rounds[0][0]
    guard = printed_guard() if options.guard else []
    bundled_reading = {id(s): r for s, r in zip(samples, readings)}
    bundled = _guarded(figures(checked, [bundled_reading[id(s)] for s in checked]), base_path, guard, check)
    current = store.adopted(root)
    if current is not None and store.learned_pages(current) & {s.page for s in checked}:
        note("the reader in use learned from some of these pages: the new one is compared with the bundled reader")
        current = None
    before = (_guarded(measure(current.model, checked, progress=lambda *_: check()), current.model, guard, check)
              if current else bundled)

    def progressed(p: Progress) -> None:
        check()
        if progress:
            progress(p)

    model_id = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    partial = store.new_model_dir(root, model_id)
    try:
        model_file = partial / store.MODEL_FILE
        metadata = {"examkit_base_sha256": base_hash, "examkit_learned": model_id}
        cross: dict[int, str] = {}
        for number, (train, test) in enumerate(rounds, 1):
            note(f"check {number}/{len(rounds)}: learning from {len(train)} lines on {len({s.page for s in train})} "
                 f"pages, then reading the {len(test)} lines of the other {len({s.page for s in test})}")
            net = fine_tune(OnnxRecogniser(base), train + printed_rehearsal(train), classes, options.train, progressed)
            check()
            onnx_io.write_with_weights(base, net.onnx_weights(), model_file, metadata)
            cross.update(zip(map(id, test), read_all(model_file, test, progress=lambda *_: check())))
            check()
        if options.check == "folds":
            note(f"learning from all {len(kept)} lines (the reader that is kept)")
            net = fine_tune(OnnxRecogniser(base), kept + printed_rehearsal(kept), classes, options.train, progressed)
            check()
            onnx_io.write_with_weights(base, net.onnx_weights(), model_file, metadata)
        after = _guarded(figures(checked, [cross[id(s)] for s in checked]), model_file, guard, check)
        adopt, reason = better(after, before)
        manifest = {
            "id": model_id, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "base_model": BUNDLED_MODELS["rec"][0], "base_sha256": base_hash, "check": options.check,
            "lines_train": len(learned_from), "lines_held_out": len(checked),
            "pages_train": sorted({s.page for s in learned_from}), "pages_held_out": sorted({s.page for s in checked}),
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
        store.adopt(root, model_id, round(after.cer, 4), round(before.cer, 4), len(learned_from))
    return LearnReport(model_id, len(learned_from), len(checked), len({s.page for s in learned_from}),
                       len({s.page for s in checked}), before, after, bundled, adopt, reason,
                       time.monotonic() - began, final, selection)


def _rounds(kept: list[LineSample], options: LearnOptions) -> list[tuple[list[LineSample], list[LineSample]]]:
    """(learn from, read) pairs: the two halves both ways (``folds``), or one held-out share."""
    if options.check == "folds":
        first, second = split_by_page(kept, 0.5)
        return [(first, second), (second, first)]
    return [split_by_page(kept, options.holdout)]
