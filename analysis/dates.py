"""Dates as French news writes them, normalised to ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date, datetime

FRENCH_MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d?)-(\d\d?)")
_DMY = re.compile(r"\b(\d\d?)[/.](\d\d?)[/.]((?:19|20)\d\d)\b")
_FRENCH = re.compile(
    r"\b(\d\d?|1er)\s+(" + "|".join(FRENCH_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.IGNORECASE
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_french_date(value: object) -> str | None:
    """Parse a date in the forms French corpora use; return ISO or ``None`` if none is found.

    Accepts ISO dates and timestamps (``2022-03-01``, ``2022-03-01T10:00:00Z``), day-first
    numeric dates (``01/03/2022``, ``1.3.2022``), French long dates (``1er mars 2022``,
    ``mardi 1 mars 2022``), and ``datetime``/``date`` objects. Ambiguous or impossible dates
    (``2022-02-30``) give ``None``.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    found = _ISO.search(text)
    if found:
        return _valid(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = _DMY.search(text)
    if found:
        return _valid(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    found = _FRENCH.search(text)
    if found:
        day = 1 if found.group(1).lower() == "1er" else int(found.group(1))
        return _valid(int(found.group(3)), FRENCH_MONTHS[found.group(2).lower()], day)
    return None
