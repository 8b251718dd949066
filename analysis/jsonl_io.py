"""Line-oriented JSON input and output for the per-text commands (mentions, quotes, score).

Input lines are ``{"id": ..., "text": ..., "date": optional}``. Each command cleans the text
(:mod:`analysis.cleaning`), works on the cleaned text, and reports offsets in the ORIGINAL input
text, so that ``text[start:end]`` on the user's own string gives the surface form.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from analysis.cleaning import CleanText, clean_text
from analysis.dates import parse_french_date
from analysis.errors import BadInputError, InputNotFoundError
from analysis.io import atomic_path


@dataclass(frozen=True)
class InputText:
    """One input line: its id, cleaned text and ISO date (or ``None``)."""

    id: str
    clean: CleanText
    date: str | None
    line: int


def iter_input_texts(path: Path | str) -> Iterator[InputText]:
    """Read ``{"id", "text", "date"?}`` lines; ``-`` reads standard input.

    A malformed line raises :class:`BadInputError` naming the file and line: these commands
    promise one output line per input line, so they stop rather than skip.
    """
    if str(path) == "-":
        handle: IO[str] = sys.stdin
        name = "<stdin>"
        closer: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    else:
        file_path = Path(path)
        if not file_path.exists():
            raise InputNotFoundError("no such file", path=file_path)
        handle = file_path.open("r", encoding="utf-8-sig", errors="replace")
        name = str(file_path)
        closer = handle
    with closer:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadInputError(f"invalid JSON ({exc.msg})", path=name, line=number) from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise BadInputError(
                    'expected an object with a string "text"', path=name, line=number
                )
            text_id = obj.get("id", number)
            yield InputText(
                str(text_id) if text_id is not None else str(number),
                clean_text(obj["text"]),
                parse_french_date(obj.get("date")),
                number,
            )


def to_original_offsets(item: dict[str, Any], clean: CleanText) -> dict[str, Any]:
    """Copy of ``item`` with its ``start``/``end`` mapped to the original text."""
    out = dict(item)
    if "start" in out and "end" in out:
        out["start"], out["end"] = clean.original_span(int(out["start"]), int(out["end"]))
    return out


@contextlib.contextmanager
def output_stream(output: Path | str | None) -> Iterator[IO[str]]:
    """Standard output, or a file written atomically."""
    if output in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(Path(output)) as temporary, temporary.open("w", encoding="utf-8") as handle:
        yield handle


def run_jsonl_command(
    input_path: Path | str,
    output: Path | str | None,
    key: str,
    process: Callable[[InputText], Any],
) -> int:
    """Apply ``process`` to each input text and write ``{"id": ..., key: result}`` lines.

    Returns the number of lines written.
    """
    count = 0
    with output_stream(output) as out:
        for item in iter_input_texts(input_path):
            result = process(item)
            out.write(json.dumps({"id": item.id, key: result}, ensure_ascii=False) + "\n")
            count += 1
    return count
