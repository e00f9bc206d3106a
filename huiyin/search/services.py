"""Writes to the search index: one case on its events, or many at once for existing data.

The index is derived data. A case's row is written in the transaction of the event that changed its
text (registration, a reply), inside a savepoint: if indexing fails the step still commits, the
failure is logged, and `manage.py search_reindex` repairs the index later.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction

from huiyin.cases.models import EventKind
from huiyin.search.backends import INDEX_VERSION, PostgresBackend, backend
from huiyin.search.documents import segment, segment_all, sources_for

logger = logging.getLogger(__name__)

# Events after which a case's indexed text may have changed.
REINDEX_EVENT_KINDS = frozenset({EventKind.REGISTERED, EventKind.REPLIED})


def cases_index(*, case_ids: Sequence[int]) -> int:
    """Write (or rewrite) the index rows of `case_ids`; drop the rows of ids that are no longer cases."""
    ids = list(dict.fromkeys(case_ids))
    rows = segment_all(sources_for(ids))
    engine = backend()
    with transaction.atomic(), connection.cursor() as cursor:
        engine.upsert(cursor, rows)
        gone = set(ids) - {r.case_id for r in rows}
        if gone:
            engine.delete(cursor, gone)
    return len(rows)


def cases_unindex(*, case_ids: Sequence[int]) -> None:
    """Remove the index rows of `case_ids`."""
    with connection.cursor() as cursor:
        backend().delete(cursor, case_ids)


def search_on_case_event(event) -> None:
    """Event handler: index a case when it is registered and when a reply adds text to it."""
    if event.kind not in REINDEX_EVENT_KINDS:
        return
    try:
        with transaction.atomic():
            cases_index(case_ids=[event.case_id])
    except Exception:
        # Never lose a registration or a reply to the index: `search_reindex` catches up.
        logger.exception("Indexing case %s for search failed", event.case_id)


@dataclass
class ReindexProgress:
    done: int
    last_id: int


def _pending_ids(*, after: int, limit: int, rebuild: bool, stale: bool) -> list[int]:
    """The next `limit` case ids above `after` that need (re)indexing, in id order."""
    table, id_col, version_col = backend().indexed_table()
    if rebuild:
        condition, params = "", []
    else:
        version = f" AND d.{version_col} = %s" if stale else ""
        condition = f" AND NOT EXISTS (SELECT 1 FROM {table} d WHERE d.{id_col} = c.id{version})"  # noqa: S608
        params = [INDEX_VERSION] if stale else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM cases_case c WHERE c.id > %s{condition} ORDER BY c.id LIMIT %s",  # noqa: S608
            [after, *params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _batches(*, batch: int, rebuild: bool, stale: bool, start_after: int) -> Iterator[list[int]]:
    after = start_after
    while True:
        ids = _pending_ids(after=after, limit=batch, rebuild=rebuild, stale=stale)
        if not ids:
            return
        yield ids
        after = ids[-1]


def _write(rows) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        backend().upsert(cursor, rows)


def index_rebuild(
    *,
    batch: int = 2000,
    workers: int = 1,
    rebuild: bool = False,
    stale: bool = False,
    start_after: int = 0,
    defer_gin: bool = False,
    progress: Callable[[ReindexProgress], None] | None = None,
) -> int:
    """Index every case missing from the index (resumable: indexed cases are skipped), in id order.

    `rebuild` rewrites every row; `stale` also rewrites rows of an older `INDEX_VERSION`.
    `workers` > 1 segments in that many processes while this one reads and writes.
    `defer_gin` (PostgreSQL) drops the GIN index for the load and builds it once at the end: much
    faster for a first load of many rows, but searches scan the table meanwhile.
    Each batch commits on its own, so an interrupted run keeps its work.
    """
    engine = backend()
    deferred = defer_gin and isinstance(engine, PostgresBackend)
    if deferred:
        with connection.cursor() as cursor:
            engine.drop_index(cursor)
    done = 0
    batches = _batches(batch=batch, rebuild=rebuild, stale=stale, start_after=start_after)

    def store(rows, last_id: int) -> None:
        nonlocal done
        _write(rows)
        done += len(rows)
        if progress:
            progress(ReindexProgress(done=done, last_id=last_id))

    try:
        if workers <= 1:
            for ids in batches:
                store(segment_all(sources_for(ids)), ids[-1])
        else:
            # Children only segment text and never touch the database; they leave by os._exit, so the
            # inherited connection is not closed under the parent. Closed first all the same when no
            # transaction needs it (inside one, e.g. in a test, it must stay open).
            if not connection.in_atomic_block:
                connection.close()
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                pending = None
                for ids in batches:
                    job = (pool.map_async(segment, sources_for(ids), chunksize=100), ids[-1])
                    if pending is not None:
                        store(pending[0].get(), pending[1])
                    pending = job
                if pending is not None:
                    store(pending[0].get(), pending[1])
    finally:
        if deferred:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                engine.create_index(cursor)
                cursor.execute("RESET maintenance_work_mem")
                cursor.execute(f"ANALYZE {engine.table}")
    return done


def index_missing_count() -> int:
    """How many cases are not in the index."""
    table, id_col, _version = backend().indexed_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM cases_case c WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.{id_col} = c.id)"  # noqa: S608
        )
        return cursor.fetchone()[0]


def index_stale_count() -> int:
    """How many index rows were written by an older segmentation (`INDEX_VERSION`)."""
    table, _id_col, version_col = backend().indexed_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {version_col} <> %s", [INDEX_VERSION])  # noqa: S608
        return cursor.fetchone()[0]


def search_index_after_migrate(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs) -> None:
    """After `migrate`: index the cases an existing installation already had, and rewrite the rows of
    an older segmentation, when they are few.

    The index is derived data, so an upgraded embedded installation gets it without a separate step;
    a large one is told to run `search_reindex --stale` (minutes of segmentation at a million cases).
    """
    if using != DEFAULT_DB_ALIAS:
        return
    table, _id_col, _version = backend().indexed_table()
    if table not in connection.introspection.table_names():
        return  # migrated to a state before the index
    missing, stale = index_missing_count(), index_stale_count()
    if not missing and not stale:
        return
    if missing + stale <= settings.HUIYIN_SEARCH_AUTO_INDEX_MAX:
        done = index_rebuild(stale=True)
        if verbosity:
            print(f"  Indexed {done} cases for search.")  # noqa: T201 - migrate's own output style
    elif verbosity:
        print(  # noqa: T201
            f"  {missing + stale} cases are missing from the search index or were indexed by an older version: "
            "run `manage.py search_reindex --stale --workers N`."
        )


def index_prune() -> int:
    """Delete index rows whose case no longer exists. Returns the number removed."""
    table, id_col, _version = backend().indexed_table()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {id_col} NOT IN (SELECT id FROM cases_case)"  # noqa: S608
        )
        return cursor.rowcount


def index_size_bytes() -> int:
    with connection.cursor() as cursor:
        return backend().size_bytes(cursor)
