"""No assertion in the suite reads ``A and B or C``.

Python groups it as ``(A and B) or C``, so such an assertion passes whenever ``C`` holds and never
checks ``A`` or ``B`` (a cost test passed with every price set to 0 that way). Write two assertions,
or put the brackets where they are meant.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def loose_assertions(source: str) -> list[int]:
    """Line numbers of ``assert`` statements whose condition is an ``or`` with a bare ``and`` in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        test = getattr(node, "test", None) if isinstance(node, ast.Assert) else None
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and any(
                isinstance(v, ast.BoolOp) and isinstance(v.op, ast.And) for v in test.values):
            found.append(node.lineno)
    return found


def test_no_assertion_reads_a_and_b_or_c() -> None:
    found = [f"{path.relative_to(TESTS.parent)}:{line}" for path in sorted(TESTS.rglob("*.py"))
             for line in loose_assertions(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_shape_is_recognised_and_brackets_are_not() -> None:
    assert loose_assertions("assert a > 0 and b == [] or c\n") == [1]
    assert loose_assertions("assert a > 0 and (b == [] or c)\n") == []
    assert loose_assertions("assert (x in out) and (y in out or z in out)\n") == []
