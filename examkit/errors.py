"""One family of errors for the whole toolkit.

Every error a user can cause or fix derives from :class:`ExamkitError`. It carries the exit code
the command line returns and a piece of advice (what to do next), so the single handler at the
top of the CLI can turn any of them into one line on stderr without knowing the subclass. Library
code raises these; it never prints and never calls ``sys.exit``.
"""

from __future__ import annotations

from pathlib import Path

#: Exit codes besides 0 (success) and 2 (bad usage, Typer's own): see examkit/cli.py.
EXIT_USER_ERROR = 1
EXIT_BATCH_PARTIAL = 3


class ExamkitError(Exception):
    """Base of every error examkit raises on purpose.

    ``message`` says what went wrong (naming the file and line where there is one), ``advice``
    says what the user can do about it. Both end up on one line.
    """

    exit_code: int = EXIT_USER_ERROR

    def __init__(self, message: str, *, advice: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def one_line(self) -> str:
        """The message and the advice as the single line the CLI prints."""
        text = self.message.rstrip(".")
        if self.advice:
            return f"{text}. {self.advice}"
        return text


class UserInputError(ExamkitError):
    """Input a user gave is wrong: a bad value, an unknown id, a malformed sheet."""


class InputFileError(UserInputError):
    """A file cannot be read or has bad content. Names the file and, where known, the line."""

    def __init__(
        self,
        path: str | Path,
        reason: str,
        *,
        line: int | None = None,
        advice: str | None = None,
    ) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}", advice=advice)
        self.path = str(path)
        self.line = line
        self.reason = reason


class WorkspaceError(ExamkitError):
    """The workspace folder or its database cannot be used."""


class NotFoundError(UserInputError):
    """A document, page, revision or job that the user named does not exist."""


class RevisionConflict(ExamkitError):
    """A save was based on a revision that is no longer the newest (another tab or process saved)."""

    def __init__(self, message: str, *, current_revision: int | None) -> None:
        super().__init__(message, advice="Reload to see the newer text, then save again.")
        self.current_revision = current_revision


class MissingDependencyError(ExamkitError):
    """An external program, language pack or optional Python package is not installed."""

    def __init__(self, what: str, *, install: str) -> None:
        super().__init__(f"{what} is not installed", advice=f"Install it with: {install}")
        self.what = what
        self.install = install


class ExternalProgramError(ExamkitError):
    """An external program (tesseract, pdftoppm, ...) ran but failed."""


class ServiceError(ExamkitError):
    """A remote or local model service refused or failed a request (auth, quota, rate limit, ...)."""


class BatchIncomplete(ExamkitError):
    """A batch finished but some of its items failed; they were reported one by one already."""

    exit_code = EXIT_BATCH_PARTIAL

    def __init__(self, failed: list[str], *, advice: str | None = None) -> None:
        noun = "item" if len(failed) == 1 else "items"
        super().__init__(f"{len(failed)} {noun} failed: {', '.join(failed)}", advice=advice)
        self.failed = failed
