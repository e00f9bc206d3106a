"""The full-text index of cases, one implementation per database vendor.

The text is segmented in Python (`huiyin.nlp.segment.index_terms`: CJK bigrams, jieba words of three
or more characters, ASCII words) and the database indexes the space-separated terms:

* SQLite (the embedded mode): an FTS5 table ``search_casefts(subject, content, replies, version
  UNINDEXED)`` whose rowid is the case id; the default ``unicode61`` tokenizer keeps each term
  whole. Ranked by ``bm25()`` with the subject weighted above the content and the replies, plus
  the subject's own bm25 (`SqliteBackend.search`).
* PostgreSQL: a table ``search_casedoc(case_id, version, document tsvector)`` with a GIN index. The
  vector is built with the ``simple`` configuration (lower case, no stemming, no stop words) and
  weighted A (subject and number), B (content) and C (replies); ranked by ``ts_rank_cd`` (see
  `PostgresBackend.rank_sql`).

Repetition buys no rank. The index documents hold a case's text with its repeated sentences and
lines collapsed (huiyin.search.documents), and both rankings saturate the frequency of what is left:
bm25 by its design, PostgreSQL's by the saturated text score of `PostgresBackend.rank_sql`.

Neither table has a foreign key to the case (an FTS5 table cannot; on PostgreSQL one would block
the test runner's TRUNCATE of the case table): rows of deleted cases are harmless, since every
search joins the visible cases, and ``search_reindex --prune`` removes them.

User text never reaches SQL: queries are built from the segmented terms and passed as parameters
(an FTS5 phrase per word with quotes doubled; ``phraseto_tsquery`` per word on PostgreSQL, which
cannot fail to parse).

A query is a list of `huiyin.nlp.segment.QueryPart`: every word of every part is required; a part
typed as several words without spaces also carries its exact phrase, which only ranks (FTS5: OR-ed
with the part's words, so bm25 scores it; PostgreSQL: the phrase's saturated text score is added).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from huiyin.nlp.segment import QueryPart, sqlite_match

# Bump when the terms of a document change meaning (a new segmentation); `search_reindex --stale`
# rebuilds the rows written under older versions. 2: decimals are one term ("3.5" -> "3dot5").
# 3: repeated sentences and lines of the content and the replies are indexed once.
INDEX_VERSION = 3

# Relative weights of the three parts of a document.
SUBJECT_WEIGHT, CONTENT_WEIGHT, REPLIES_WEIGHT = 8.0, 2.0, 1.0
# FTS5: the weight of the subject scored on its own (`SqliteBackend.search`).
SUBJECT_ALONE_WEIGHT = 1000.0


@dataclass(frozen=True)
class Ranked:
    """One page of ranked matches."""

    rows: list[tuple[int, float]]  # (case id, rank), best first
    total: int  # matches ranked: all of them when `complete`, else the newest `total`
    complete: bool  # False: there were more matches, and only the newest `total` were ranked


@dataclass(frozen=True)
class Row:
    """The segmented parts of one case, ready to write."""

    case_id: int
    subject: str
    content: str
    replies: str


class Backend:
    vendor = ""

    def upsert(self, cursor, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def delete(self, cursor, case_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def indexed_table(self) -> tuple[str, str, str]:
        """The table, its case id column and its version column, for "which cases are indexed"."""
        raise NotImplementedError

    def match_sql(self, groups: list[list[str]]) -> tuple[str, list]:
        """SQL selecting the ids of the cases matching every group (a phrase of terms each)."""
        raise NotImplementedError

    def search(
        self, cursor, parts: Sequence[QueryPart], scope: tuple[str, Sequence], *, limit: int, offset: int, window: int
    ) -> Ranked:
        """The page [offset, offset + limit) of the matches among the scope's ids, best first.

        `parts` hold the required words and the ranking phrases (module docstring); `scope` is a
        compiled ``SELECT id FROM cases_case WHERE ...`` and its parameters.
        """
        raise NotImplementedError

    def size_bytes(self, cursor) -> int:
        raise NotImplementedError

    @staticmethod
    def _page(cursor, candidates: str, params: list, limit: int, offset: int) -> tuple[list[tuple[int, float]], int]:
        """One page of `candidates` (case_id, rank), best first, and their number (even past the end)."""
        cursor.execute(
            f"WITH m AS MATERIALIZED ({candidates}) "  # noqa: S608
            "SELECT n.total, p.case_id, p.rank FROM (SELECT count(*) AS total FROM m) n LEFT JOIN "
            "(SELECT case_id, rank FROM m ORDER BY rank DESC, case_id DESC LIMIT %s OFFSET %s) p ON true",
            [*params, limit, offset],
        )
        result = cursor.fetchall()
        return [(r[1], float(r[2])) for r in result if r[1] is not None], result[0][0]


class SqliteBackend(Backend):
    """The FTS5 table (created by migration 0001), rowid = case id."""

    vendor = "sqlite"
    table = "search_casefts"

    def upsert(self, cursor, rows: Sequence[Row]) -> None:
        if not rows:
            return
        # FTS5 has no UPSERT; a delete by rowid and an insert, in the caller's transaction.
        self.delete(cursor, [r.case_id for r in rows])
        cursor.executemany(
            f"INSERT INTO {self.table} (rowid, subject, content, replies, version) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [(r.case_id, r.subject, r.content, r.replies, INDEX_VERSION) for r in rows],
        )

    def delete(self, cursor, case_ids: Iterable[int]) -> None:
        ids = list(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {self.table} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )

    def indexed_table(self) -> tuple[str, str, str]:
        return self.table, "rowid", "version"

    @staticmethod
    def fts_expression(parts: Sequence[QueryPart]) -> str:
        # Every word a quoted phrase (so FTS5 operators, NEAR, * or ^ in it are plain text), all required;
        # a part's exact phrase OR-ed with its words (the same matches; bm25 scores the phrase too).
        return sqlite_match(parts)

    def match_sql(self, groups: list[list[str]]) -> tuple[str, list]:
        expression = sqlite_match([QueryPart(text="", words=[], groups=groups)])
        return f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [expression]  # noqa: S608

    def search(self, cursor, parts, scope, *, limit, offset, window) -> Ranked:
        """Rank every match by the bm25 of the whole row plus the bm25 of the subject alone.

        FTS5's bm25 adds up a row's weighted matches before saturating them and normalises by the
        whole row's length, so the subject's weight is soon outdone: a long text saying the word on
        every page reaches the same ceiling as a subject holding it. The subject scored again on its
        own, with a weight so large that the length term no longer counts (a title field without
        length normalisation), adds about 2.2 times the idf of each word the subject holds, which no
        amount of text can add. (PostgreSQL's ranking has the same two parts, `PostgresBackend.rank_sql`.)
        """
        # The embedded mode holds few enough cases to rank every match. The scope is a correlated
        # EXISTS, one primary-key probe per match: `rowid IN (scope)` would be handed to FTS5 as a
        # rowid constraint and run the full-text query once per visible case (seconds at 50,000).
        scope_sql, scope_params = scope
        rows, total = self._page(
            cursor,
            f"SELECT rowid AS case_id, -bm25({self.table}, {SUBJECT_WEIGHT}, {CONTENT_WEIGHT}, {REPLIES_WEIGHT}) "  # noqa: S608
            f"- bm25({self.table}, {SUBJECT_ALONE_WEIGHT}, 0, 0) "
            f"AS rank FROM {self.table} WHERE {self.table} MATCH %s "
            f"AND EXISTS (SELECT 1 FROM ({scope_sql}) s WHERE s.pk = {self.table}.rowid)",
            [self.fts_expression(parts), *scope_params],
            limit,
            offset,
        )
        return Ranked(rows=rows, total=total, complete=True)

    def size_bytes(self, cursor) -> int:
        try:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s",
                [self.table + "%"],
            )
        except Exception:  # dbstat is an optional compile-time module
            return 0
        return int(cursor.fetchone()[0])


class PostgresBackend(Backend):
    """The tsvector table and its GIN index (created by migration 0001)."""

    vendor = "postgresql"
    table = "search_casedoc"
    index = "search_casedoc_document"
    # ts_rank_cd weights for {D, C, B, A}, from the module's relative weights.
    weights = "{0.05, %.3f, %.3f, %.3f}" % (  # noqa: UP031
        REPLIES_WEIGHT / SUBJECT_WEIGHT,
        CONTENT_WEIGHT / SUBJECT_WEIGHT,
        1.0,
    )
    # The subject's own matches: every other class weighs 0, so a cover reaching outside the subject
    # counts nothing.
    subject_weights = "{0, 0, 0, 1}"
    # ts_rank_cd normalisation of the text score: divided by 1 + the log of the document's length (1),
    # then x / (x + 1) (32).
    text_normalization = 1 | 32

    def create_index(self, cursor) -> None:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {self.index} ON {self.table} USING gin (document)")

    def drop_index(self, cursor) -> None:
        cursor.execute(f"DROP INDEX IF EXISTS {self.index}")

    def upsert(self, cursor, rows: Sequence[Row]) -> None:
        if not rows:
            return
        # One statement per batch: arrays unnested server-side.
        cursor.execute(
            f"INSERT INTO {self.table} (case_id, version, document) "  # noqa: S608
            "SELECT r.case_id, %s, "
            "setweight(to_tsvector('simple', r.subject), 'A') || setweight(to_tsvector('simple', r.content), 'B')"
            " || setweight(to_tsvector('simple', r.replies), 'C') "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS r(case_id, subject, content, replies) "
            "ON CONFLICT (case_id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document",
            [
                INDEX_VERSION,
                [r.case_id for r in rows],
                [r.subject for r in rows],
                [r.content for r in rows],
                [r.replies for r in rows],
            ],
        )

    def delete(self, cursor, case_ids: Iterable[int]) -> None:
        cursor.execute(f"DELETE FROM {self.table} WHERE case_id = ANY(%s)", [list(case_ids)])  # noqa: S608

    def indexed_table(self) -> tuple[str, str, str]:
        return self.table, "case_id", "version"

    @staticmethod
    def tsquery(groups: list[list[str]]) -> tuple[str, list]:
        # phraseto_tsquery never raises on odd input, unlike to_tsquery; one call per word, ANDed.
        sql = " && ".join(["phraseto_tsquery('simple'::regconfig, %s::text)"] * len(groups))
        return f"({sql})", [" ".join(group) for group in groups]

    def match_sql(self, groups: list[list[str]]) -> tuple[str, list]:
        query, params = self.tsquery(groups)
        return f"SELECT case_id FROM {self.table} WHERE document @@ {query}", params  # noqa: S608

    def rank_sql(self, document: str, parts: Sequence[QueryPart]) -> tuple[str, list]:
        """The rank of `document` (a column): the subject score plus the text score of the words, plus
        the text score of the exact phrases of runs typed as several words (0 where absent), so an
        exact hit ranks first.

        * The subject score is the cover density of the words within the subject (and the case
          number), unnormalised: 1 for a word the subject holds once.
        * The text score is the cover density over the whole document, weighted (subject above
          content above replies), divided by the log of the document's length and saturated into
          [0, 1): the second mention adds less than the first, the hundredth almost nothing, and the
          text's score stays below that of one word in the subject. Unsaturated, cover density grows
          with every occurrence, so a long text saying the word on every page (a transcript's
          repeated header, a paragraph pasted with small changes) ranked above a case about it.

        Two `ts_rank_cd` calls per ranked row, three with a phrase: work on the positions of the
        query's terms in a vector the match has already read, nothing computed from the text.
        """
        groups = [group for part in parts for group in part.groups]
        query, params = self.tsquery(groups)
        sql = (
            f"ts_rank_cd('{self.subject_weights}', {document}, {query}, 0)"
            f" + ts_rank_cd('{self.weights}', {document}, {query}, {self.text_normalization})"
        )
        params = [*params, *params]
        phrases = [part.phrase for part in parts if part.phrase]
        if phrases:
            boost = " || ".join(["phraseto_tsquery('simple'::regconfig, %s::text)"] * len(phrases))
            sql += f" + ts_rank_cd('{self.weights}', {document}, ({boost}), {self.text_normalization})"
            params = [*params, *(" ".join(p) for p in phrases)]
        return f"({sql})", params

    def search(self, cursor, parts, scope, *, limit, offset, window) -> Ranked:
        """Rank every match, or the newest `window` visible matches of a word found in very many cases.

        Ranking reads each candidate's vector and checking the scope reads its case: two random page
        reads per match, which a word found in a tenth of a million cases cannot afford. So:

        * one word (a phrase of bigrams) that the column statistics expect in more than
          `HUIYIN_SEARCH_EXACT_MAX` cases is first looked for among the newest
          `HUIYIN_SEARCH_RECENT_ROWS` documents, walked backwards by id (an ordered scan that stops at
          `window` visible matches; the match is tested by calling the @@ function, which keeps the
          planner off the GIN index);
        * several words (whose co-occurrence statistics cannot predict) are first ranked through the
          GIN index with a limit of `HUIYIN_SEARCH_EXACT_MAX` visible matches, and looked for among
          the newest documents as above only when there are more;
        * otherwise, or when the newest documents hold fewer than `window` visible matches, every
          match is ranked through the GIN index.
        """
        groups = [group for part in parts for group in part.groups]
        query, query_params = self.tsquery(groups)
        scope_sql, scope_params = scope
        exact_max = settings.HUIYIN_SEARCH_EXACT_MAX
        exact_rank, exact_rank_params = self.rank_sql("c.document", parts)
        exact = (
            f"SELECT c.case_id, {exact_rank} AS rank "  # noqa: S608
            f"FROM {self.table} c WHERE c.document @@ {query} AND c.case_id IN ({scope_sql})"
        )
        exact_params = [*exact_rank_params, *query_params, *scope_params]
        recent_rank, recent_rank_params = self.rank_sql("r.document", parts)
        recent = (
            f"SELECT r.case_id, {recent_rank} AS rank FROM ("  # noqa: S608
            f"SELECT d.case_id, d.document FROM {self.table} d ORDER BY d.case_id DESC LIMIT %s) r "
            f"WHERE ts_match_vq(r.document, {query}) AND r.case_id IN ({scope_sql}) LIMIT %s"
        )
        recent_params = [
            *recent_rank_params,
            settings.HUIYIN_SEARCH_RECENT_ROWS,
            *query_params,
            *scope_params,
            window,
        ]
        if len(groups) > 1:
            rows, total = self._page(cursor, exact + " LIMIT %s", [*exact_params, exact_max + 1], limit, offset)
            if total <= exact_max:
                return Ranked(rows=rows, total=total, complete=True)
        if len(groups) > 1 or self.estimate(cursor, groups) > exact_max:
            rows, total = self._page(cursor, recent, recent_params, limit, offset)
            if total >= window:
                return Ranked(rows=rows, total=total, complete=False)
        rows, total = self._page(cursor, exact, exact_params, limit, offset)
        return Ranked(rows=rows, total=total, complete=True)

    def estimate(self, cursor, groups: list[list[str]]) -> float:
        """Matches expected from the column statistics: a phrase is as rare as its rarest term, words
        are independent. 0 without statistics (a new or small index: rank everything)."""
        stats = self.term_stats(cursor)
        if stats is None:
            return 0.0
        fraction = 1.0
        for group in groups:
            fraction *= min(stats.freqs.get(term, stats.floor) for term in group)
        return fraction * stats.rows

    def term_stats(self, cursor) -> TermStats | None:
        key = connection.settings_dict.get("NAME", "")
        cached = _term_stats.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[0] < STATS_SECONDS:
            return cached[1]
        cursor.execute(
            "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
            "LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'document' "
            "WHERE c.relname = %s",
            [self.table],
        )
        row = cursor.fetchone()
        stats = None
        if row is not None and row[0] > 0 and row[1]:
            terms, freqs = row[1], row[2]
            # The frequencies are followed by their minimum, maximum and the null fraction.
            stats = TermStats(rows=float(row[0]), freqs=dict(zip(terms, freqs, strict=False)), floor=freqs[len(terms)])
        _term_stats[key] = (now, stats)
        return stats

    def size_bytes(self, cursor) -> int:
        cursor.execute("SELECT pg_total_relation_size(%s)", [self.table])
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class TermStats:
    """What ANALYZE knows of the indexed terms: row count, frequent terms' frequencies, the rest's ceiling."""

    rows: float
    freqs: dict[str, float]
    floor: float


STATS_SECONDS = 300
_term_stats: dict[str, tuple[float, TermStats | None]] = {}


def backend(vendor: str | None = None) -> Backend:
    """The implementation for `vendor` (default: the default connection's)."""
    vendor = vendor or connection.vendor
    if vendor == "sqlite":
        return SqliteBackend()
    if vendor == "postgresql":
        return PostgresBackend()
    raise NotImplementedError(f"Full-text search is not implemented for {vendor}")
