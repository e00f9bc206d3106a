"""Highlight the searched words in a case's original text: escape first, then wrap matches in <mark>.

The index holds segmented terms, not the text, so the highlight is found again in the original:
each character is normalised the way the segmenter normalises (NFKC, lower case), matches are
searched in the normalised text and mapped back to the original characters.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# An ASCII word or number as the index holds it: a decimal ("3.5") is one word.
_ASCII = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def _normalised(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for n in unicodedata.normalize("NFKC", ch).lower():
            chars.append(n)
            origin.append(i)
    return "".join(chars), origin


def _pattern(word: str) -> str:
    if _ASCII.fullmatch(word):
        # ASCII words are whole terms in the index: match them as whole words here too ("3" is not
        # found in "3.5", nor "3.5" in "13.5" or "3.55").
        return rf"(?<![a-z0-9])(?<![0-9]\.){re.escape(word)}(?![a-z0-9])(?!\.[0-9])"
    return re.escape(word)


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `words` in `text`, as indexes into the original text."""
    if not text or not words:
        return []
    normalised, origin = _normalised(text)
    pattern = re.compile("|".join(_pattern(w) for w in sorted(set(words), key=len, reverse=True)))
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(normalised):
        if m.end() == m.start():
            continue
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if e <= s:
            continue
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, words: list[str]) -> SafeString:
    """The whole `text`, escaped, with every occurrence of `words` in <mark>."""
    text = text or ""
    return mark_safe(_render(text, match_spans(text, words), 0, len(text)))  # noqa: S308 - escaped above


def snippet(text: str, words: list[str], *, width: int = 120) -> tuple[SafeString, bool]:
    """About `width` characters of `text` around the first match, escaped, matches in <mark>.

    Returns the snippet and whether it contains a match (without one: the start of the text).
    """
    text = " ".join((text or "").split())
    spans = match_spans(text, words)
    if spans:
        start = max(0, spans[0][0] - width // 4)
        # Prefer starting at a sentence or clause boundary shortly before the match.
        boundary = max(text.rfind(p, start, spans[0][0]) for p in "。！？；，,.;!? ")
        if boundary >= 0 and spans[0][0] - boundary <= width // 2:
            start = boundary + 1
    else:
        start = 0
    end = min(len(text), start + width)
    body = _render(text, spans, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix), bool(spans)  # noqa: S308 - escaped in _render
