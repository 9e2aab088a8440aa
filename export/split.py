"""Train/validation split that a student (or an exam) never straddles.

If one student's tests were on both sides, the validation loss would reward memorising that
student's handwriting and habits, not grading. So whole groups go to one side: the groups are
sorted, shuffled with ``random.Random(seed)`` and taken for validation until the wanted share is
reached. The same records and seed always give the same split, on any machine.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from examkit.errors import UserInputError

T = TypeVar("T")


def split_grouped(
    items: Sequence[T], fraction: float, *, seed: int = 0, key: Callable[[T], str]
) -> tuple[list[T], list[T]]:
    """``(train, validation)``: about ``fraction`` of the items in validation, whole groups only.

    Order within each side is the input order. At least one group stays in training, and with
    ``fraction > 0`` at least one group goes to validation (so there must be two groups).
    """
    if not 0 < fraction < 1:
        raise UserInputError(f"--split must be between 0 and 1 (exclusive), not {fraction}")
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[key(item)].append(index)
    if len(groups) < 2:
        raise UserInputError(
            f"cannot split {len(items)} records of {len(groups)} group(s): validation needs a group of its own",
            advice="Add records of more students, or export without --split.",
        )
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    target = fraction * len(items)
    chosen: set[str] = set()
    taken = 0
    for name in order[:-1]:  # the last group always stays in training
        if taken >= target and chosen:
            break
        size = len(groups[name])
        # take a group if it brings the validation share closer to the target
        if not chosen or abs(taken + size - target) <= abs(taken - target):
            chosen.add(name)
            taken += size
    validation = {i for name in chosen for i in groups[name]}
    train = [item for i, item in enumerate(items) if i not in validation]
    val = [item for i, item in enumerate(items) if i in validation]
    return train, val
