"""Full-text search at scale: index build time and size, and search latency per kind of query.

    python bench/search_bench.py [--runs 5] [--rebuild-index]

`make bench` runs this after its own table (bench/run.py, through runpy, with Django already set up
on the bench database). Run alone, it sets up the same bench database itself. Cases not yet in the
index are indexed first (all CPU cores segment; on PostgreSQL the GIN index is built once at the
end), and the build time is kept in var/ so later runs can report it.

Every query runs through `huiyin.search.selectors.case_search` (the selector: scope, ranking,
highlighting) and through the search page with Django's test client (URL routing, the view, the
template), for a group-level and a company-level user.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BUILD_RECORD = ROOT / "var" / "search_bench_build.json"

# The bench cases' subjects read 关于<unit><topic>问题的反映<n>; their content is boilerplate.
TWO_CHARACTER_WORDS = ["工伤", "食堂", "社保", "拖欠", "补贴", "宿舍", "公积", "隐患", "派遣", "补偿"]
LONGER_WORDS = [
    "拖欠工资",
    "住房公积金",
    "工伤认定",
    "食堂价格",
    "安全隐患",
    "劳务派遣",
    "夜班补贴",
    "宿舍维修",
    "经济补偿",
    "社保缴费",
]
TWO_WORD_QUERIES = [
    "工伤 煤矿",
    "食堂 发电厂",
    "社保 叉车",
    "宿舍 后勤",
    "安全隐患 运行部",
    "夜班 热电厂",
    "补偿 综采",
    "拖欠 工资",
    "公积金 财务部",
    "工伤 食堂",
]
RARE_QUERIES = ["B000123456", "罕见词语", "调度室 派遣", "堆场 夜班补贴", "质量检验 工伤认定"]
KINDS = [
    ("2-character words", TWO_CHARACTER_WORDS),
    ("longer words", LONGER_WORDS),
    ("two-word queries", TWO_WORD_QUERIES),
    ("rare words, numbers", RARE_QUERIES),
]
USERS = [("group office", "office"), ("company office", "mine_office")]


def ensure_index(*, rebuild: bool) -> tuple[float | None, str]:
    """Index the cases missing from the index; return the build time (None if nothing to build)."""
    from django.db import connection

    from huiyin.cases.models import Case
    from huiyin.search.backends import backend
    from huiyin.search.services import index_rebuild

    table, id_col, _version = backend().indexed_table()
    with connection.cursor() as cursor:
        if rebuild:
            # From scratch, so that the time is a first build's and the table carries no dead rows.
            cursor.execute(f"DELETE FROM {table}" if connection.vendor == "sqlite" else f"TRUNCATE {table}")  # noqa: S608
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        indexed = cursor.fetchone()[0]
    cases = Case.objects.count()
    missing = cases - indexed
    if missing <= 0:
        return None, f"{indexed:,} rows"
    workers = os.cpu_count() or 1
    print(f"Indexing {missing:,} cases for search ({workers} workers) …", file=sys.stderr)
    started = time.perf_counter()
    last = [started]

    def progress(p) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  indexed {p.done:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    index_rebuild(batch=5000, workers=workers, defer_gin=missing > cases // 2, progress=progress)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
    elapsed = time.perf_counter() - started
    records = json.loads(BUILD_RECORD.read_text()) if BUILD_RECORD.exists() else {}
    records[connection.vendor] = {"cases": missing, "seconds": round(elapsed, 1), "workers": workers}
    BUILD_RECORD.parent.mkdir(exist_ok=True)
    BUILD_RECORD.write_text(json.dumps(records))
    return elapsed, f"{missing:,} cases, {workers} workers"


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.95))]


def measure(runs: int) -> list[tuple[str, float, float, str]]:
    from django.test import Client

    from huiyin.org.models import User
    from huiyin.search.selectors import case_search

    rows = []
    for who, username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for kind, queries in KINDS:
            selector_ms, page_ms, found, capped = [], [], [], 0
            for q in queries:
                results = case_search(user=user, q=q)  # warm up
                assert client.get(f"/search/?q={quote(q)}").status_code == 200
                found.append(results.total)
                capped += not results.complete
                for _ in range(runs):
                    t0 = time.perf_counter()
                    case_search(user=user, q=q)
                    selector_ms.append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    response = client.get(f"/search/?q={quote(q)}")
                    page_ms.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200, (q, response.status_code)
            hits = f"{min(found):,}–{max(found):,}" + (f" ({capped} capped)" if capped else "")
            p50, p95 = percentiles(selector_ms)
            rows.append((f"{who}: {kind}, selector", p50, p95, hits))
            p50, p95 = percentiles(page_ms)
            rows.append((f"{who}: {kind}, page", p50, p95, ""))
    return rows


def report(runs: int, rebuild: bool) -> None:
    from django.conf import settings
    from django.db import connection

    from huiyin.cases.models import Case
    from huiyin.search.services import index_size_bytes

    built, what = ensure_index(rebuild=rebuild)
    record = json.loads(BUILD_RECORD.read_text()).get(connection.vendor) if BUILD_RECORD.exists() else None
    if built is None and record:
        build = f"{record['seconds']:.0f} s for {record['cases']:,} cases, {record['workers']} workers (earlier run)"
    elif built is None:
        build = f"already built ({what}); run with --rebuild-index to time it"
    else:
        build = f"{built:.0f} s ({what})"
    size = index_size_bytes()
    total = Case.objects.count()
    rows = measure(runs)
    print()
    print(f"Full-text search at {total:,} cases on {connection.vendor} ({runs} runs of each query)")
    print(f"  index build: {build}")
    print(f"  index size:  {size / 1024 / 1024:,.0f} MiB ({size / max(total, 1):,.0f} bytes per case)")
    print(
        f"  broad words are ranked among their newest {settings.HUIYIN_SEARCH_WINDOW} visible matches ('capped');"
        " 'results' is the range of matches ranked per query"
    )
    print(f"| {'search':<52} | {'p50 ms':>8} | {'p95 ms':>8} | {'results':<20} |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 10}|{'-' * 22}|")
    for name, p50, p95, hits in rows:
        print(f"| {name:<52} | {p50:8.1f} | {p95:8.1f} | {hits:<20} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_SEARCH_RUNS", 5)))
    parser.add_argument("--rebuild-index", action="store_true", help="rebuild the whole index and time it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from run import bench_database_url, ensure_postgres_database, setup

    url = bench_database_url()
    ensure_postgres_database(url)
    setup(url)
    report(args.runs, args.rebuild_index)


if __name__ == "__main__":
    main()
elif __name__ == "__bench__":
    # Run by bench/run.py after its table: Django is set up on the bench database.
    report(int(os.environ.get("BENCH_SEARCH_RUNS", 5)), rebuild=False)
