"""User-facing errors and the documented exit codes of the command line.

A user mistake (wrong path, a CSV without a text column, an unknown format) raises one of these
errors; the command line prints its message, with no traceback, and exits with its code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of ``python -m analysis`` (also listed in the README)."""

    OK = 0
    INTERNAL_ERROR = 1  #: a bug: please report it with the traceback printed by ``--debug``
    USAGE = 2  #: bad command-line arguments (argparse's own code)
    INPUT_NOT_FOUND = 3  #: an input path does not exist or cannot be read
    BAD_INPUT = 4  #: an input file cannot be used at all (e.g. a CSV without a text column)
    NOTHING_KEPT = 5  #: every input record was skipped: see the manifest for the reasons
    INTERRUPTED = 130  #: stopped by Ctrl-C; outputs of earlier runs are left intact


class AnalysisError(Exception):
    """Base class for errors caused by the user's input or settings."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, path: object = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)


class InputNotFoundError(AnalysisError):
    """An input path does not exist."""

    exit_code = ExitCode.INPUT_NOT_FOUND


class BadInputError(AnalysisError):
    """An input file cannot be read as a corpus at all."""

    exit_code = ExitCode.BAD_INPUT


class NothingKeptError(AnalysisError):
    """All input records were skipped."""

    exit_code = ExitCode.NOTHING_KEPT
