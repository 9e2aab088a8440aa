"""Reading the Fehleranalyse texts teachers already have, in all their hand-typed variety.

Texts arrive from Word, CSV cells and JSONL strings: with or without line breaks, tabs or spaces,
``13/14`` or ``13 von 14``, ``(-1Punkt)`` or ``[-0,5 Punkte]`` or ``(kein Punkt abgezogen)``
(``tests/annotate/data`` holds what was seen). The parser works in three steps:

1. *segments*: physical lines, each cut further where a second structure starts inside it (a
   heading after a deduction, ``- `` after a heading). A text with (almost) no line breaks is cut
   more eagerly, because there is no other way to find where one item ends;
2. *items*: each segment is classified (task heading, extra, error line, title);
3. *tree*: sub-tasks come from indentation where headings are indented differently, else from
   the labels (``2.1`` under ``2``) and the sums (``A`` and ``B`` whose maxima add up to the
   heading before them).

What the teacher *stated* (task points, the ``Insgesamt`` numbers) is kept; explicit task points
that merely repeat what the structure implies are dropped, so a consistent text parses to the same
model as the sheet it was rendered from. Anything unreadable raises :class:`AnalysisParseError`
naming the line and fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel
from rapidfuzz import fuzz

from annotate.model import (
    MAX_DEPTH,
    MAX_POINTS,
    TOO_DEEP,
    Analysis,
    ErrorLine,
    Extra,
    Task,
    computed_points,
    task_points,
)
from annotate.patterns import (
    BULLET,
    CLOSE_QUOTES,
    COLON_ITEM,
    DEDUCTION,
    GRADE,
    HEADING,
    LOOSE_BOUNDARY,
    LOOSE_COLON_ITEM,
    LOOSE_DASH,
    MAYBE_CUT,
    NO_NUMBER,
    OPEN_QUOTES,
    PERCENT,
    POINTS_BRACKET,
    STRICT_DASH,
    SUMMARY_FALLBACK,
    SUMMARY_POINTS,
    SUMMARY_START,
    TASK_WORD,
    TRAILING_BARE,
    TRAILING_BRACKET,
    TRAILING_BRACKET_ANY,
    UNCLOSED_HEADING,
    ZERO,
)
from examkit.errors import UserInputError
from examkit.models import STOP_MARKER


class AnalysisParseError(UserInputError):
    """A text is not a readable Fehleranalyse; names the line and fragment and says why."""

    def __init__(self, reason: str, *, line: int | None = None, fragment: str | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        shown = f"`{_short(fragment)}`: " if fragment else ""
        super().__init__(f"{where}{shown}{reason}")
        self.line = line
        self.fragment = fragment
        self.reason = reason


class Stated(BaseModel):
    """The ``Insgesamt`` numbers as written (None where missing)."""

    points: float | None = None
    max: float | None = None
    percent: float | None = None
    grade: str | None = None


class Repair(BaseModel):
    """A place read although written wrongly: the line, what was written, what it was read as."""

    line: int
    fragment: str
    read_as: str


class ParseResult(BaseModel):
    analysis: Analysis
    stated: Stated
    heading_ok: bool
    stop_marker_found: bool
    has_summary: bool
    notes: list[str] = []
    #: what was read although written wrongly (an unclosed bracket), one per place
    repairs: list[Repair] = []
    #: points of tasks assumed left out for full marks (added as ``Übrige Aufgaben``), else None
    unlisted: float | None = None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(text: str) -> float:
    value = float(text.replace(",", "."))
    if value > MAX_POINTS:  # 309 digits are infinity as a float
        raise AnalysisParseError(f"a number larger than {MAX_POINTS}", fragment=text)
    return value


@dataclass
class _Segment:
    line: int
    indent: int
    text: str


@dataclass
class _Node:
    label: str
    points: float
    max: float
    indent: int
    line: int
    errors: list[ErrorLine] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    colon_form: bool = False


# -- step 0: normalise, heading, stop marker, summary ---------------------------------------------
def _normalize(text: str) -> str:
    text = text.lstrip("\ufeff")
    if "\n" not in text and ("\\n" in text or "\\t" in text):  # a JSON string pasted verbatim
        text = text.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\f", "\n")


def _strip_heading(text: str) -> tuple[str, bool]:
    m = re.match(r"\s*([A-Za-zÄÖÜäöüß\-]{8,20})\s*:?", text)
    if m:
        word = m.group(1)
        if word.lower() == "fehleranalyse":
            return text[m.end():], True
        if fuzz.ratio(word.lower(), "fehleranalyse") >= 80:
            return text[m.end():], False
    return text, False


def _split_summary(text: str) -> tuple[str, str | None]:
    starts = [m for m in SUMMARY_START.finditer(text) if SUMMARY_POINTS.search(text, m.end(), m.end() + 80)]
    if starts:
        return text[: starts[-1].start()], text[starts[-1].start():]
    fallback = SUMMARY_FALLBACK.search(text)
    if fallback:
        return text[: fallback.start()], text[fallback.start():]
    return text, None


def _read_summary(summary: str) -> Stated:
    stated = Stated()
    m = SUMMARY_POINTS.search(summary)
    if m:
        stated.points, stated.max = number(m.group("p")), number(m.group("m"))
    p = PERCENT.search(summary)
    if p:
        stated.percent = number(p.group("v"))
    g = GRADE.search(summary)
    if g:
        grade = g.group("g").strip().rstrip(".,;")
        stated.grade = grade or None
    return stated


# -- step 1: segments ------------------------------------------------------------------------------
def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == "\t":
            width += 4
        elif ch == " ":
            width += 1
        else:
            break
    return width


def _label_start(text: str, end: int, floor: int) -> int:
    """Where the label before a points bracket at ``end`` begins, in a text without line breaks."""
    start = floor
    for m in LOOSE_BOUNDARY.finditer(text, floor, end):
        if m.end() <= end:
            start = m.end()
    words = text[start:end].split()
    if len(words) > 5:  # an unquantified remark ran into the label: keep the label-like tail
        tail = re.search(r"((?:Teil)?Aufgabe\s*\S+|Nr\.\s*\S+|Paar\s*\S+|\S+)\s*$", text[start:end])
        start = start + tail.start(1) if tail else start
    return start


def _cuts(text: str, loose: bool) -> list[int]:
    """Offsets inside one physical line where a new item starts."""
    if not loose and not MAYBE_CUT.search(text):  # the common case: one item per line, decided in one scan
        return []
    cuts: set[int] = set()
    floor = 0
    for m in POINTS_BRACKET.finditer(text):
        if HEADING.match(text[floor : m.end()].strip()) or loose:
            if loose:
                cuts.add(_label_start(text, m.start(), floor))
            cuts.add(m.end())
            floor = m.end()
    for m in TRAILING_BRACKET_ANY.finditer(text):
        if loose and _deduction(m.group("inner")) is not _NOT_A_DEDUCTION:
            cuts.add(m.end())
    for m in (LOOSE_DASH if loose else STRICT_DASH).finditer(text):
        cuts.add(m.start())
    if loose:
        for m in LOOSE_COLON_ITEM.finditer(text):
            cuts.add(m.start())
    return sorted(c for c in cuts if 0 < c < len(text))



def _segments(body: str, first_line: int) -> list[_Segment]:
    lines = body.split("\n")
    loose = sum(1 for line in lines if line.strip()) <= 2
    segments = []
    for offset, raw in enumerate(lines):
        if not raw.strip():
            continue
        indent = _indent_width(raw)
        content = raw.strip()
        bounds = [0, *_cuts(content, loose), len(content)]
        for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
            piece = content[a:b].strip()
            if piece:
                # a piece cut out of a heading's line is one level deeper (an error line under it)
                segments.append(_Segment(first_line + offset, indent + (4 if i and not loose else 0), piece))
    return segments


# -- step 2: items -----------------------------------------------------------------------------------
_NOT_A_DEDUCTION = object()


@lru_cache(maxsize=1024)
def _deduction(inner: str) -> float | None | object:
    """A bracket's content as points lost: a number, 0, None (stated without a number), or not one.

    Cached: the same few wordings (``-1 Punkt``) recur on nearly every line of a training file.
    """
    inner = " ".join(inner.split())
    if ZERO.match(inner):
        return 0.0
    if NO_NUMBER.match(inner):
        return None
    m = DEDUCTION.match(inner)
    if m:
        return number(m.group("a") or m.group("b"))
    return _NOT_A_DEDUCTION


def parse_error_line(body: str) -> ErrorLine:
    """``"quote" comment (-1 Punkt)`` (dash already removed) → an :class:`ErrorLine`."""
    body = body.strip()
    deduction: float | None = None
    m = TRAILING_BRACKET.search(body)
    value = _deduction(m.group("inner")) if m else _NOT_A_DEDUCTION
    if m and value is not _NOT_A_DEDUCTION:
        deduction = value  # type: ignore[assignment]
        body = body[: m.start()].rstrip()
    else:
        bare = TRAILING_BARE.search(body)
        if bare:
            deduction = number(bare.group("n"))
            body = body[: bare.start()].rstrip()
    quote = None
    if body[:1] in OPEN_QUOTES:
        found = [i for i in map(body.find, CLOSE_QUOTES, (1,) * len(CLOSE_QUOTES)) if i > 0]
        if found:
            close = min(found)
            quote = body[1:close]
            body = body[close + 1 :].strip()
    return ErrorLine.model_construct(quote=quote, comment=body, deduction=deduction)


# -- step 3: tree -----------------------------------------------------------------------------------
def _kind(label: str) -> str:
    label = label.strip()
    if re.fullmatch(r"[A-Za-z][).]?", label):
        return "letter"
    if re.fullmatch(r"\d+(?:\.\d+)*[a-z]?[).]?", label):
        return "number"
    word = re.match(r"[^\W\d_]+", label)
    if word and re.search(r"\d", label):
        return "word:" + word.group(0).lower()
    return "name"


def _number_of(label: str) -> str | None:
    m = re.search(r"(\d+(?:\.\d+)*)", label)
    return m.group(1) if m else None


def _is_dotted_child(parent: _Node, child: _Node) -> bool:
    p, c = _number_of(parent.label), _number_of(child.label)
    return bool(p and c and c.startswith(p + "."))


def _nest_by_labels(nodes: list[_Node], depth: int = 1) -> list[_Node]:
    """Sub-tasks where indentation says nothing: dotted numbers, or maxima adding up to the parent's."""
    if nodes and depth > MAX_DEPTH:
        raise AnalysisParseError(TOO_DEEP, line=nodes[0].line, fragment=nodes[0].label)
    out: list[_Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        end = None
        if not node.errors:
            k = i + 1
            while k < len(nodes) and _is_dotted_child(node, nodes[k]):
                k += 1
            if k > i + 1:
                end = k
            else:
                total_max = total_points = 0.0
                k = i + 1
                while k < len(nodes) and _kind(nodes[k].label) != _kind(node.label) and not nodes[k].colon_form:
                    total_max += nodes[k].max
                    total_points += nodes[k].points
                    k += 1
                    if total_max == node.max and total_points == node.points:
                        end = k
                        break
                    if total_max > node.max:
                        break
        if end:
            node.children = _nest_by_labels(nodes[i + 1 : end], depth + 1)
            i = end
        else:
            i += 1
        out.append(node)
    return out


def _build(
    segments: list[_Segment], notes: list[str], repairs: list[Repair]
) -> tuple[str | None, list[_Node], list[_Node]]:
    title: str | None = None
    roots: list[_Node] = []
    stack: list[_Node] = []
    extras: list[_Node] = []

    def open_task(match: re.Match[str], seg: _Segment, *, colon_form: bool = False) -> _Node:
        node = _Node(match.group("label").strip(), number(match.group("p")), number(match.group("m")),
                     seg.indent, seg.line, colon_form=colon_form)
        while stack and stack[-1].indent >= seg.indent:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        if len(stack) > MAX_DEPTH:
            raise AnalysisParseError(TOO_DEEP, line=seg.line, fragment=seg.text)
        return node

    for seg in segments:
        heading = HEADING.match(seg.text)
        colon = None if heading else COLON_ITEM.match(seg.text)
        match = heading or colon
        if match:
            open_task(match, seg, colon_form=colon is not None)
            continue
        if seg.text.startswith("//"):
            notes.append(f"line {seg.line}: ignored the remark {_short(seg.text)!r}")
            continue
        if TASK_WORD.match(seg.text) and re.search(r"[\(\[][^)\]]*Punkt", seg.text, re.I):
            unclosed = UNCLOSED_HEADING.match(seg.text)
            if unclosed is not None:
                node = open_task(unclosed, seg)
                repairs.append(Repair(line=seg.line, fragment=_short(seg.text),
                                      read_as=f"{node.label} ({unclosed.group('p')} von {unclosed.group('m')} Punkte)"))
                rest = BULLET.sub("", unclosed.group("rest").strip(), count=1).strip()
                if rest:
                    node.errors.append(parse_error_line(rest))
                continue
            raise AnalysisParseError(
                "looks like a task heading, but its points cannot be read (write e.g. `Aufgabe 1 (5 von 6 Punkte)`)",
                line=seg.line, fragment=seg.text,
            )
        if not roots:
            if BULLET.match(seg.text) and seg.text[1:2].isspace():
                raise AnalysisParseError("an error line before the first task heading", line=seg.line, fragment=seg.text)
            if title is not None:
                raise AnalysisParseError(
                    "neither a task heading (`Aufgabe 1 (5 von 6 Punkte)`) nor an error line under a task",
                    line=seg.line, fragment=seg.text,
                )
            title = seg.text.rstrip(":").strip()
            continue
        owner = next((n for n in reversed(stack) if n.indent <= seg.indent), stack[0] if stack else roots[-1])
        owner.errors.append(parse_error_line(BULLET.sub("", seg.text, count=1)))
    # colon-form items without lines under them are extras (`Form: 1 von 2 Punkte`)
    for node in list(roots):
        if node.colon_form and not node.errors and not node.children and not TASK_WORD.match(node.label):
            roots.remove(node)
            extras.append(node)
    indents = {n.indent for n in _walk(roots)}
    if len(indents) <= 1:
        roots = _nest_by_labels(roots)
    return title, roots, extras


def _walk(nodes: list[_Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _task(node: _Node) -> Task:
    """The node as a task; stated points that merely repeat the computed ones are left out.

    Built without validation: parsed numbers are lenient by design, and this is the hot path of
    auditing large training files.
    """
    subs = [_task(c) for c in node.children]
    task = Task.model_construct(label=node.label, max=node.max, points=None, errors=node.errors, tasks=subs)
    if node.points is None or node.points == computed_points(task):
        return task
    return Task.model_construct(label=node.label, max=node.max, points=node.points, errors=node.errors, tasks=subs)


# -- public --------------------------------------------------------------------------------------------
def parse_text(text: str, *, stop_marker: str | None = STOP_MARKER) -> ParseResult:
    """Read a Fehleranalyse text; raises :class:`AnalysisParseError` when it has no readable structure."""
    notes: list[str] = []
    repairs: list[Repair] = []
    text = _normalize(text)
    marker_found = False
    if stop_marker and stop_marker in text:
        marker_found = True
        cut = text.rindex(stop_marker)
        if text[cut + len(stop_marker):].strip():
            notes.append(f"ignored text after the stop marker: {_short(text[cut + len(stop_marker):])!r}")
        text = text[:cut]
    first_line = 1 + len(text) - len(text.lstrip("\n"))
    body, heading_ok = _strip_heading(text.lstrip("\n"))
    body, summary = _split_summary(body)
    try:
        stated = _read_summary(summary) if summary else Stated()
        title, roots, extra_nodes = _build(_segments(body, first_line), notes, repairs)
    except AnalysisParseError as exc:  # a number is read without its line: find it
        if exc.line is not None or not exc.fragment:
            raise
        line = text.count("\n", 0, max(text.find(exc.fragment), 0)) + 1
        raise AnalysisParseError(exc.reason, line=line, fragment=exc.fragment) from exc
    if not roots and summary is None:
        raise AnalysisParseError("no task heading like `Aufgabe 1 (5 von 6 Punkte)` and no `Insgesamt` summary found")
    analysis = Analysis.model_construct(
        title=title,
        tasks=[_task(n) for n in roots],
        extras=[Extra.model_construct(label=n.label, points=n.points, max=n.max) for n in extra_nodes],
    )
    analysis, unlisted = _fill_unlisted(analysis, stated, notes)
    return ParseResult(analysis=analysis, stated=stated, heading_ok=heading_ok, stop_marker_found=marker_found,
                       has_summary=summary is not None and stated.points is not None,
                       notes=notes + [f"line {r.line}: read {r.fragment!r} as {r.read_as!r}" for r in repairs],
                       repairs=repairs, unlisted=unlisted)


UNLISTED_LABEL = "Übrige Aufgaben"


def _fill_unlisted(analysis: Analysis, stated: Stated, notes: list[str]) -> tuple[Analysis, float | None]:
    """Tasks left out because they got full marks: the summary's surplus, when it is all full marks.

    A teacher who lists a task with full marks lists every task; then a surplus is a sum that does
    not add up (``total-mismatch``), not tasks left out. Returns the points assumed, else None.
    """
    if stated.points is None or stated.max is None or not analysis.tasks:
        return analysis, None
    if any(task_points(task) == task.max for task in analysis.tasks):
        return analysis, None
    missing_max = stated.max - analysis.max_points()
    if missing_max > 0 and stated.points - analysis.points() == missing_max:
        notes.append(f"tasks worth {missing_max:g} points are not listed (full marks); added as {UNLISTED_LABEL!r}")
        extra = Extra.model_construct(label=UNLISTED_LABEL, points=missing_max, max=missing_max)
        return analysis.model_copy(update={"extras": [*analysis.extras, extra]}), missing_max
    return analysis, None


def parse(text: str, *, stop_marker: str | None = STOP_MARKER) -> Analysis:
    """Just the model of a Fehleranalyse text (see :func:`parse_text`)."""
    return parse_text(text, stop_marker=stop_marker).analysis


__all__ = ["AnalysisParseError", "ParseResult", "Repair", "Stated", "parse", "parse_error_line", "parse_text"]
