"""Repeat / same-issue lookup at scale: the database-backed LSH index of huiyin.triage.

    python bench/similar_bench.py [--cases 1000000] [--queries 300] [--rebuild]

Uses the bench database of bench/run.py (HUIYIN_DATABASE_URL's server with name + "_bench", or
var/bench.sqlite3), generating the cases with bench/run.py when there are fewer than --cases. Each case
gets a synthetic text (no external data): words drawn from a Zipf vocabulary of pseudo-words, a few
words of one of 3,000 "issues", and 5 % near-copies of an earlier text (repeat petitions). Its
fingerprint, 24 LSH band keys and 16 rare-word keys (8 + 8 extra) are bulk-loaded (COPY on PostgreSQL), then lookups
are timed:

* the candidate query alone (one SQL statement, index range scans bounded per key; the extra rare-word keys
  ranked apart);
* the whole lookup of the case page (`similar_cases`): candidates, scope filter for the user, exact
  re-ranking of up to 100 + 40 candidates on their stored words, links and dismissals, shared words ranked
  by document frequency;
* the periodic recount of those document frequencies (`word_frequencies_refresh`), once.

The synthetic texts replace nothing in `cases_case`; `manage.py triage reindex --all` puts the index
back in line with the cases' real texts.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)

N_VOCAB = 60_000
N_ISSUES = 3_000
CJK = np.arange(0x4E00, 0x9FA5)


def vocabulary(rng: np.random.Generator) -> list[str]:
    words: set[str] = set()
    while len(words) < N_VOCAB:
        length = int(rng.choice([2, 2, 2, 3, 3, 4]))
        words.add("".join(chr(int(c)) for c in rng.choice(CJK, size=length)))
    return sorted(words)


def synthetic_texts(n: int, seed: int = 5):
    """Yield (title_words, body_words) for n cases."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    ranks = np.arange(1, N_VOCAB + 1)
    zipf = 1.0 / ranks**1.05
    cdf = np.cumsum(zipf / zipf.sum())

    def general_words(k: int) -> list[str]:
        return [vocab[int(j)] for j in np.searchsorted(cdf, rng.random(k) * cdf[-1])]

    issue_words = rng.integers(0, N_VOCAB, size=(N_ISSUES, 8))
    recent: list[tuple[list[str], list[str]]] = []
    for i in range(n):
        if recent and rng.random() < 0.05:
            title, body = recent[int(rng.integers(0, len(recent)))]
            body = list(body)
            for _ in range(int(rng.integers(1, 4))):
                body[int(rng.integers(0, len(body)))] = general_words(1)[0]
            yield list(title), body
            continue
        issue = issue_words[int(rng.integers(0, N_ISSUES))]
        own = [vocab[int(w)] for w in rng.choice(issue, size=int(rng.integers(3, 7)), replace=False)]
        general = general_words(int(rng.integers(12, 40)))
        title = own[:2] + general[:2]
        body = own + general[2:]
        recent.append((title, body))
        if len(recent) > 5000:
            recent.pop(0)
        if i % 100_000 == 0 and i:
            print(f"  texts {i:,}", file=sys.stderr, flush=True)
        yield title, body


def load(n: int) -> tuple[int, float]:
    """Give the first n cases a synthetic fingerprint and LSH keys; returns (key rows, seconds)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from huiyin.cases.models import Case
    from huiyin.nlp.segment import fine_words
    from huiyin.nlp.similar import CASES_COUNTED, LSH_VERSION, band_keys, rare_word_keys, signatures
    from huiyin.triage.models import CaseFingerprint, SimilarityKey
    from huiyin.triage.services import similarity_index_vacuum

    started = time.perf_counter()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[:n])
    key_table = SimilarityKey._meta.db_table
    fp_table = CaseFingerprint._meta.db_table
    saved = _drop_indexes(key_table) if connection.vendor == "postgresql" else []
    now = timezone.now()
    rows = 0
    batch = 20_000
    # Rare-word keys need document frequencies: a first pass over the same (seeded) texts counts them, as the
    # periodic recount does from the fingerprints.
    frequency: Counter[str] = Counter()
    for t, b in synthetic_texts(len(ids)):
        frequency.update(fine_words(set(t) | set(b)))
    frequency[CASES_COUNTED] = len(ids)
    print(f"  counted {len(frequency):,} words ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    texts = synthetic_texts(len(ids))
    for start in range(0, len(ids), batch):
        part = ids[start : start + batch]
        docs = [next(texts) for _ in part]
        bands = band_keys(signatures([set(t) | set(b) for t, b in docs])).tolist()
        keys = [row + rare_word_keys(set(t) | set(b), frequency) for row, (t, b) in zip(bands, docs, strict=True)]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    raw = cursor.cursor
                    with raw.copy(f'COPY "{key_table}" ("key", "case_id") FROM STDIN') as copy:
                        for case_id, row in zip(part, keys, strict=True):
                            for k in set(row):
                                copy.write_row((k, case_id))
                    with raw.copy(
                        f'COPY "{fp_table}" ("case_id", "title_words", "body_words", "lsh_version", "indexed_at") FROM STDIN'
                    ) as copy:
                        for case_id, (t, b) in zip(part, docs, strict=True):
                            copy.write_row((case_id, " ".join(t), " ".join(b), LSH_VERSION, now))
            else:
                SimilarityKey.objects.bulk_create(
                    [
                        SimilarityKey(key=k, case_id=case_id)
                        for case_id, row in zip(part, keys, strict=True)
                        for k in set(row)
                    ],
                    batch_size=5000,
                    ignore_conflicts=True,
                )
                CaseFingerprint.objects.bulk_create(
                    [
                        CaseFingerprint(
                            case_id=case_id,
                            title_words=" ".join(t),
                            body_words=" ".join(b),
                            lsh_version=LSH_VERSION,
                            indexed_at=now,
                        )
                        for case_id, (t, b) in zip(part, docs, strict=True)
                    ],
                    batch_size=5000,
                )
        rows += sum(len(set(r)) for r in keys)
        print(
            f"  loaded {start + len(part):,}/{len(ids):,} cases ({time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
    if saved:
        print("  rebuilding indexes …", file=sys.stderr)
        with connection.cursor() as cursor:
            for sql in saved:
                cursor.execute(sql)
    # VACUUM, not only ANALYZE, on PostgreSQL: a freshly loaded key table is read from the heap until vacuumed.
    if not similarity_index_vacuum():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return rows, time.perf_counter() - started


def _drop_indexes(table: str) -> list[str]:
    """Drop the keys' constraints and indexes before a bulk load; return the statements that restore them."""
    from django.db import connection

    restore = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint WHERE conrelid = %s::regclass",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, definition, kind in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            restore.append((kind, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
        for name, definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(("i", definition))
    order = {"p": 0, "i": 1, "f": 2}
    return [sql for kind, sql in sorted(restore, key=lambda r: order.get(r[0], 3))]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def measure(queries: int) -> list[tuple[str, float, float, str]]:
    from django.db import connection

    from huiyin.cases.models import Case
    from huiyin.nlp.similar import BANDS, EXTRA_RARE_KEYS, RARE_KEYS
    from huiyin.org.models import User
    from huiyin.triage.models import CaseFingerprint
    from huiyin.triage.selectors import candidate_ids, similar_cases
    from huiyin.triage.services import lookup_keys

    rng = np.random.default_rng(11)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX(case_id) FROM "{CaseFingerprint._meta.db_table}"')  # noqa: S608
        top = cursor.fetchone()[0]
    picks = sorted({int(x) for x in rng.integers(1, top + 1, size=queries * 2)})
    cases = {c.pk: c for c in Case.objects.filter(pk__in=picks)}
    fps = {fp.case_id: fp.word_set for fp in CaseFingerprint.objects.filter(case_id__in=list(cases))}
    sample = [cases[p] for p in picks if p in cases and p in fps][:queries]
    results = []
    sizes, t_cand = [], []
    for case in sample:
        keys, extra_keys = lookup_keys(fps[case.pk])
        t0 = time.perf_counter()
        found = candidate_ids(keys, extra_keys=extra_keys, exclude=case.pk)
        t_cand.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(found))
    results.append(
        (
            f"candidate query ({BANDS} band + {RARE_KEYS}+{EXTRA_RARE_KEYS} rare keys, one SQL)",
            statistics.median(t_cand),
            percentile(t_cand, 0.95),
            f"candidates p50 {statistics.median(sizes):.0f}",
        )
    )
    for who in ("office", "mine_office"):
        user = User.objects.get(username=who)
        similar_cases(case=sample[0], user=user)  # warm up
        times, hits = [], []
        for case in sample:
            t0 = time.perf_counter()
            listed = similar_cases(case=case, user=user)
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(len(listed))
        results.append(
            (
                f"whole lookup, {who} ({'group' if who == 'office' else 'company'} scope)",
                statistics.median(times),
                percentile(times, 0.95),
                f"listed mean {statistics.mean(hits):.2f}",
            )
        )
    return results


def setup(url: str) -> None:
    os.environ["HUIYIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["HUIYIN_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    # Only this app's tables: the rest of the bench database belongs to bench/run.py.
    call_command("migrate", "triage", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1_000_000)))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true", help="reload the synthetic index even if present")
    args = parser.parse_args()
    url = bench_run.bench_database_url()
    bench_run.ensure_postgres_database(url)
    setup(url)
    import random

    from django.db import connection

    from huiyin.cases.models import Case
    from huiyin.triage.models import CaseFingerprint, SimilarityKey

    if Case.objects.count() < args.cases:
        from django.core.management import call_command

        # bench/run.py's data (seed_demo, then the cases) needs every app's tables, not only this one's.
        call_command("migrate", verbosity=0)
        print(f"Generating {args.cases:,} cases with bench/run.py …", file=sys.stderr)
        bench_run.generate(args.cases, random.Random(7))
    from huiyin.nlp.similar import LSH_VERSION

    # An index built by an older version of the comparison finds nothing for today's keys: rebuild it.
    loaded = CaseFingerprint.objects.filter(lsh_version=LSH_VERSION).count()
    load_note = "reused"
    if args.rebuild or loaded < args.cases:
        print(f"Loading the index for {args.cases:,} cases on {connection.vendor} …", file=sys.stderr)
        CaseFingerprint.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{SimilarityKey._meta.db_table}"')  # noqa: S608
        rows, seconds = load(args.cases)
        load_note = f"{rows:,} key rows loaded in {seconds:.0f} s"
    n_keys = SimilarityKey.objects.count()
    # The periodic recount of document frequencies, which the lookup then reads to rank the shared words.
    from huiyin.triage.services import word_frequencies_refresh

    counted = word_frequencies_refresh()
    rows = measure(args.queries)
    print()
    print(
        f"Similar-case lookup at {CaseFingerprint.objects.count():,} indexed cases, {n_keys:,} LSH key rows "
        f"on {connection.vendor} ({args.queries} lookups; {load_note})"
    )
    print(f"| {'lookup':<50} | {'p50 ms':>7} | {'p95 ms':>7} | {'note':<22} |")
    print(f"|{'-' * 52}|{'-' * 9}|{'-' * 9}|{'-' * 24}|")
    for name, p50, p95, note in rows:
        print(f"| {name:<50} | {p50:7.1f} | {p95:7.1f} | {note:<22} |")
    print(
        f"Word-frequency recount (periodic job): {counted['words']:,} words over {counted['cases']:,} cases "
        f"in {counted['seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()
