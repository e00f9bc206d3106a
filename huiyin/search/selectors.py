"""Reads of the search index: the ranked, scoped, highlighted search and the case list's text filter.

Scope is applied in the same SQL as the match: the compiled ``Case.objects.visible_to(user)`` id
query is the right-hand side of ``case_id IN (...)``, so the database combines it with the full-text
match and no list of ids ever travels through Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from huiyin.cases.models import Case
from huiyin.cases.numbers import NUMBER_PATTERN, case_no_of, fold
from huiyin.core.errors import DomainError
from huiyin.nlp.segment import QueryPart, query_parts
from huiyin.search.backends import backend
from huiyin.search.highlight import highlight, snippet


class SearchQueryError(DomainError):
    """The query cannot be searched (too long, no searchable word); `message` tells the user why."""

    code = "search_query"


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query as index terms: every group is a phrase, all groups are required; the parts
    also carry the exact phrases of runs typed as several words, which rank (huiyin.nlp.segment)."""

    parts: list[QueryPart]
    words: list[str]  # the searched words, normalised, for highlighting
    ignored: list[str] = field(default_factory=list)  # single characters, which the index cannot find
    # Runs typed whole (饭菜贵) whose single character was set aside: a case holding the run ranks first.
    ranked_runs: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[list[str]]:
        return [group for part in self.parts for group in part.groups]

    @property
    def marks(self) -> list[str]:
        """What to highlight: a run typed whole (饭菜贵) where it stands, else its words (饭菜)."""
        return [*self.ranked_runs, *self.words]


def _single_character(part: QueryPart) -> bool:
    return len(part.words) == 1 and len(part.words[0]) == 1


def query_parse(q: str | None) -> ParsedQuery:
    """Segment a search box's text; raise SearchQueryError when nothing in it can be searched."""
    q = (q or "").replace("\x00", " ").strip()
    if len(q) > settings.HUIYIN_SEARCH_MAX_QUERY_CHARS:
        raise SearchQueryError(
            _("The search text is too long: at most {n} characters.").format(n=settings.HUIYIN_SEARCH_MAX_QUERY_CHARS)
        )
    every = query_parts(q)
    # A single character is not searched alone, whatever its script: 工 comes back from segmenting as
    # ignored, a lone Latin letter or digit (a, 3) as a word, and both are set aside the same way.
    lone = [part for part in every if part.groups and _single_character(part)]
    parts = [part for part in every if part.groups and part not in lone]
    ignored = [char for part in every for char in (part.ignored if part not in lone else part.words)]
    words = [word for part in parts for word in part.words]
    if not parts:
        if ignored:
            raise SearchQueryError(_("Search for words of at least two characters, such as 欠薪 or 工伤."))
        raise SearchQueryError(_("Enter a word to search for."))
    if len(words) > settings.HUIYIN_SEARCH_MAX_WORDS:
        raise SearchQueryError(
            _("Too many words: search for at most {n} words at a time.").format(n=settings.HUIYIN_SEARCH_MAX_WORDS)
        )
    ranked_runs = [part.text for part in parts if part.ignored and part.phrase]
    return ParsedQuery(parts=parts, words=words, ignored=ignored, ranked_runs=ranked_runs)


@dataclass
class SearchHit:
    case: Case
    rank: float
    subject_html: SafeString
    snippet_html: SafeString
    case_no_html: SafeString


_CASE_NO = re.compile(rf"(?<![0-9]){NUMBER_PATTERN}(?![0-9])")


def _case_numbers(q: str) -> list[str]:
    """The case numbers typed in `q`, written as stored (2026-000307 for "2026000307" or "２０２６－０００３０７"):
    a hit's number is marked whole, not as its year and serial apart."""
    return [case_no_of(m["year"], m["number"]) for m in _CASE_NO.finditer(fold(q))]


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[SearchHit]
    total: int  # matches ranked
    complete: bool  # False: more matched, and the newest `total` of them were ranked


def _scope(user: Any) -> tuple[str, tuple] | None:
    """``SELECT id FROM cases_case WHERE <visible to user>``, compiled with its parameters; None if empty."""
    query = Case.objects.visible_to(user).order_by().values("pk").query
    try:
        return query.get_compiler(DEFAULT_DB_ALIAS).as_sql()
    except EmptyResultSet:
        return None


def case_search(*, user: Any, q: str, limit: int = 20, offset: int = 0) -> SearchResults:
    """Cases visible to `user` that contain every word of `q`, best first, with highlighted snippets.

    Scope is part of the ranking query. A word found in very many cases is ranked among its newest
    `HUIYIN_SEARCH_WINDOW` visible matches (`complete` is then False). Raises SearchQueryError (a
    translated message for the user) when `q` has no searchable word. A case number is searched as stored
    (2026-000301), however it is typed (2026000301, full-width).
    """
    parsed = query_parse(_CASE_NO.sub(lambda m: case_no_of(m["year"], m["number"]), fold(q)))
    window = settings.HUIYIN_SEARCH_WINDOW
    limit = max(1, min(int(limit), 100))
    offset = max(0, min(int(offset), window - 1))
    scope = _scope(user)
    if scope is None:
        return SearchResults(query=parsed, hits=[], total=0, complete=True)
    with connection.cursor() as cursor:
        ranked = backend().search(cursor, parsed.parts, scope, limit=limit, offset=offset, window=window)
    ids = [pk for pk, _rank in ranked.rows]
    number_marks = [*_case_numbers(q), *parsed.marks]
    cases = {
        c.pk: c
        for c in Case.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("handling_unit", "category")
        .prefetch_related("replies")
    }
    hits = [
        SearchHit(
            case=cases[pk],
            rank=rank,
            subject_html=highlight(cases[pk].subject, parsed.marks),
            snippet_html=_case_snippet(cases[pk], parsed.marks),
            case_no_html=highlight(cases[pk].case_no, number_marks),
        )
        for pk, rank in ranked.rows
        if pk in cases
    ]
    return SearchResults(query=parsed, hits=hits, total=ranked.total, complete=ranked.complete)


def _case_snippet(case: Case, words: list[str]) -> SafeString:
    text, found = snippet(case.content, words)
    if found:
        return text
    for reply in case.replies.all():
        reply_text, reply_found = snippet(reply.text, words)
        if reply_found:
            return reply_text
    return text


def case_ids_matching(q: str) -> RawSQL | None:
    """A subquery of the ids of the cases whose text contains every word of `q`, for ``pk__in=``.

    None when `q` has no searchable word. The caller scopes the queryset it filters.
    """
    try:
        parsed = query_parse(q)
    except SearchQueryError:
        return None
    sql, params = backend().match_sql(parsed.groups)
    return RawSQL(sql, params)  # noqa: S611 - the terms are bound parameters, never SQL text
