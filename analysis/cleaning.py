"""Text cleaning that keeps a map back to the original text.

The cleaned text is what every later stage reads and every offset points into. Cleaning:

* Unicode NFC, so that "é" is one code point whatever the source did;
* typographic apostrophes (’ ‘ ʼ) become ``'``; curly and low double quotes (“ ” „ ‟) become ``"``;
  guillemets « » and ‹ › are kept (they carry the direction of the quote);
* non-breaking and other exotic spaces become a plain space, zero-width characters, soft hyphens
  and control characters are removed, runs of spaces collapse to one, lines are stripped and runs
  of blank lines collapse to one paragraph break;
* quote marks glued to a word by machine translation get the missing space
  (``direct"Avec`` → ``direct" Avec``, ``Stoltemberg«`` → ``Stoltemberg «``);
* HTML markup pasted into a text field is removed (``<script>``/``<style>`` blocks whole, tags
  dropped, block tags as line breaks, entities decoded), never interpreted;
* the machine-translation artifact ``XNUMX`` (a masked number) is kept in the text, so that
  offsets stay true, and flagged: see :func:`masked_number_spans`.

:func:`clean_text` returns a :class:`CleanText` holding both texts and a compact offset map, so that
any span in the cleaned text can be traced to the original with :meth:`CleanText.to_original`.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

APOSTROPHES = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}
DOUBLE_QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'}
SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\u200a", "\u2002", "\u2003", "\u3000", "\t"}
DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
MASKED_NUMBER = re.compile(r"\bXNUMX\b")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
HTML_TOKEN = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>"
    r"|&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});",
    re.IGNORECASE | re.DOTALL,
)
BLOCK_TAG = re.compile(r"</?(p|br|div|li|h[1-6]|tr|blockquote|article|section)\b", re.IGNORECASE)
_GLUED_GUILLEMET_OPEN = re.compile(r"(?<=[\w.,;:!?])(«)")
_GLUED_GUILLEMET_CLOSE = re.compile(r"(»)(?=\w)")


@dataclass(frozen=True)
class CleanText:
    """A cleaned text, its original and the offset map between them.

    ``offset_map`` is a sorted tuple of ``(clean_offset, original_offset)`` anchors: between two
    anchors, characters map one to one.
    """

    text: str
    original: str
    offset_map: tuple[tuple[int, int], ...] = field(repr=False)

    def to_original(self, offset: int) -> int:
        """Map an offset in the cleaned text to the matching offset in the original text."""
        if not self.offset_map:
            return offset
        keys = [clean for clean, _ in self.offset_map]
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        clean, orig = self.offset_map[i]
        return min(orig + (offset - clean), len(self.original))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the cleaned text to the original text.

        The end maps through the span's last character, so characters removed by cleaning just
        after the span (a no-break space, a soft hyphen) are not pulled into it.
        """
        if end <= start:
            mapped = self.to_original(start)
            return mapped, mapped
        after = min(self.to_original(end - 1) + 1, len(self.original))
        while after < len(self.original) and unicodedata.combining(self.original[after]):
            after += 1  # a decomposed accent belongs to the span's last letter
        return self.to_original(start), after


class _Builder:
    """Accumulates output characters with the original offset each one comes from."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.origins: list[int] = []

    def add(self, char: str, origin: int) -> None:
        self.chars.append(char)
        self.origins.append(origin)

    def last(self) -> str:
        return self.chars[-1] if self.chars else ""

    def pop(self) -> None:
        self.chars.pop()
        self.origins.pop()


def _compress(origins: list[int], original_length: int) -> tuple[tuple[int, int], ...]:
    anchors: list[tuple[int, int]] = []
    for clean, orig in enumerate(origins):
        if not anchors or orig - anchors[-1][1] != clean - anchors[-1][0]:
            anchors.append((clean, orig))
    anchors.append((len(origins), original_length))
    return tuple(anchors)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} and char not in "\n"


def _fix_glued_straight_quotes(text: str) -> list[int]:
    """Positions in ``text`` before which a space must be inserted.

    Straight double quotes glued on both sides (``direct"Avec``) are ambiguous; their rank among
    the quotes of the paragraph decides: an odd rank opens a quote (space goes before it), an even
    rank closes it (space goes after it).
    """
    inserts: list[int] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        chunk = paragraph.group()
        for rank, match in enumerate(re.finditer('"', chunk), start=1):
            pos = match.start()
            before = chunk[pos - 1] if pos > 0 else " "
            after = chunk[pos + 1] if pos + 1 < len(chunk) else " "
            opening = rank % 2 == 1
            if opening and (before.isalnum() or before in ".,;:!?") and after.isalnum():
                inserts.append(paragraph.start() + pos)
            elif not opening and before.isalnum() and after.isalnum():
                inserts.append(paragraph.start() + pos + 1)
    return inserts


def _strip_html(original: str) -> tuple[str, list[int]]:
    """Remove markup from text that contains HTML tags; keep each kept character's origin.

    ``<script>``/``<style>`` blocks and comments are dropped whole, other tags are dropped and
    block tags (p, br, div, li, h1-h6) become line breaks; entities (``&amp;``) are decoded.
    Text without tags is returned unchanged.
    """
    if not HTML_TAG.search(original):
        return original, list(range(len(original)))
    chars: list[str] = []
    origins: list[int] = []
    position = 0
    for match in HTML_TOKEN.finditer(original):
        for offset in range(position, match.start()):
            chars.append(original[offset])
            origins.append(offset)
        token = match.group()
        if token.startswith("&"):
            decoded = html.unescape(token)
            chars.extend(decoded)
            origins.extend([match.start()] * len(decoded))
        elif BLOCK_TAG.match(token):
            chars.append("\n")
            origins.append(match.start())
        position = match.end()
    for offset in range(position, len(original)):
        chars.append(original[offset])
        origins.append(offset)
    return "".join(chars), origins


_TRANSLATION = str.maketrans({**APOSTROPHES, **DOUBLE_QUOTES, **dict.fromkeys(SPACES, " ")})
_NEEDS_SLOW_PATH = re.compile(r"  | \n|\n |\n\n\n|^\s|\s$")


def _fast_path(original: str) -> str | None:
    """The cleaned text when cleaning only swaps characters one for one (the common case),
    so the offset map is the identity; ``None`` when the character-by-character path is needed.
    """
    if not original or not unicodedata.is_normalized("NFC", original):
        return None
    if "<" in original and HTML_TAG.search(original):
        return None
    text = original.translate(_TRANSLATION)
    if not text.replace("\n", "").isprintable() or _NEEDS_SLOW_PATH.search(text):
        return None
    return text


def clean_text(original: str, fast_path: bool = True) -> CleanText:
    """Clean ``original`` (see the module docstring) and keep the offset map.

    ``fast_path=False`` forces the character-by-character path (the tests check both agree).
    """
    fast = _fast_path(original) if fast_path else None
    if fast is not None:
        return _add_missing_spaces(fast, None, original)
    stripped, stripped_origin = _strip_html(original)
    nfc, nfc_origin = _nfc_with_origins(stripped)
    step1 = _Builder()
    for i, char in enumerate(nfc):
        origin = stripped_origin[nfc_origin[i]] if nfc_origin[i] < len(stripped_origin) else (
            len(original)
        )
        char = APOSTROPHES.get(char, char)
        char = DOUBLE_QUOTES.get(char, char)
        if char == "\r":
            char = "\n"
            if i + 1 < len(nfc) and nfc[i + 1] == "\n":
                continue
        if char in SPACES or (char.isspace() and char != "\n"):
            char = " "
        if char in DROPPED or _is_control(char):
            continue
        if char == " " and step1.last() in {" ", "\n", ""}:
            continue
        if char == "\n":
            while step1.last() == " ":
                step1.pop()
            if step1.chars[-2:] == ["\n", "\n"] or not step1.chars:
                continue
        step1.add(char, origin)
    while step1.last() in {" ", "\n"}:
        step1.pop()
    return _add_missing_spaces("".join(step1.chars), step1.origins, original)


def _add_missing_spaces(text: str, origins: list[int] | None, original: str) -> CleanText:
    """Insert the spaces machine translation dropped around quotation marks; ``origins``
    ``None`` means the identity map."""
    inserts = set(_fix_glued_straight_quotes(text))
    inserts |= {m.start() for m in _GLUED_GUILLEMET_OPEN.finditer(text)}
    inserts |= {m.end() for m in _GLUED_GUILLEMET_CLOSE.finditer(text)}
    if inserts:
        source = origins if origins is not None else range(len(text))
        out = _Builder()
        for i, char in enumerate(text):
            if i in inserts:
                out.add(" ", source[i])
            out.add(char, source[i])
        text, origins = "".join(out.chars), out.origins
    if origins is None:
        offset_map = ((0, 0), (len(text), len(original)))
    else:
        offset_map = _compress(origins, len(original))
    return CleanText(text=text, original=original, offset_map=offset_map)


def _nfc_with_origins(original: str) -> tuple[str, list[int]]:
    """NFC of ``original`` and, for each of its characters, the original offset it comes from.

    Most French text is NFC already; otherwise it is normalised cluster by cluster (a base
    character and its combining marks) so that every output character keeps its origin.
    """
    if unicodedata.is_normalized("NFC", original):
        return original, list(range(len(original)))
    pieces: list[str] = []
    origins: list[int] = []
    start = 0
    while start < len(original):
        end = start + 1
        while end < len(original) and unicodedata.combining(original[end]):
            end += 1
        piece = unicodedata.normalize("NFC", original[start:end])
        pieces.append(piece)
        origins.extend([start] * len(piece))
        start = end
    return "".join(pieces), origins


def masked_number_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the ``XNUMX`` masked-number artifact left by machine translation."""
    return [(m.start(), m.end()) for m in MASKED_NUMBER.finditer(text)]
