"""Case numbers (2026-000123) as people type, paste or read them out.

One reading for every place a number is typed: the case list's search box, the link form, the audit
log's filter and the portal's receipts (`<case number>-<secret>`). Full-width characters are folded
(NFKC), any kind of dash counts as "-", and the dash may be a space or missing (2026000123).
"""

from __future__ import annotations

import re
import unicodedata

# Dashes people type or paste instead of "-": hyphen, non-breaking hyphen, figure dash, en and em dash,
# horizontal bar, minus sign, small and full-width hyphen-minus (NFKC already folds the last two).
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
# The year and the serial (six digits, more once a year passes 999,999 cases), for use in larger patterns.
NUMBER_PATTERN = r"(?P<year>[0-9]{4})[\s\-]*(?P<number>[0-9]{6,9})"
_WHOLE = re.compile(rf"^{NUMBER_PATTERN}$")


def fold(text: str) -> str:
    """`text` with full-width characters folded, every dash made "-" and surrounding spaces dropped."""
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text)).strip()


def case_no_of(year: str, number: str) -> str:
    return f"{year}-{number}"


def case_no_parse(text: str | None, *, max_length: int = 40) -> str | None:
    """The case number `text` is, written the way it is stored ("2026-000123"); None if it is not one."""
    if not text or len(text) > max_length:
        return None
    match = _WHOLE.match(fold(text))
    return case_no_of(match["year"], match["number"]) if match else None
