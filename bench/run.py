"""`make bench`: serve the staff pages against a large database and print a table of timings.

    python bench/run.py [--cases 1000000] [--runs 30]

Uses HUIYIN_DATABASE_URL's server with a database of its own (name + "_bench"), or an SQLite file
in var/ when no URL is set. The data is generated once (bulk inserts) and reused by later runs.
Timings are end-to-end through Django's test client (URL routing, scoping, queries, templates), the
same work a request costs a gunicorn worker, minus the network.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url() -> str:
    url = os.environ.get("HUIYIN_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "huiyin"
    return urlunsplit(parts._replace(path="/" + name + "_bench"))


def ensure_postgres_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')


def setup(url: str) -> None:
    os.environ["HUIYIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["HUIYIN_DEBUG"] = "false"
    os.environ["HUIYIN_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n: int, rng: random.Random) -> None:
    """Bulk-insert `n` cases spread over the demo organisation (idempotent: tops up to n)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from huiyin.cases.models import Case, CaseEvent, CaseRating, Category
    from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Channel, Rating
    from huiyin.org.models import OrgUnit, User
    from huiyin.workflow.models import Deadline

    if not OrgUnit.objects.filter(code="HX").exists():
        call_command("seed_demo", cases=0, quiet=True)
    have = Case.objects.count()
    if have >= n:
        return
    units = list(OrgUnit.objects.all())
    leaves = [u for u in units if u.kind in ("branch", "department")]
    offices = [u for u in units if u.is_petition_office]
    leaders = list(User.objects.filter(groups__name="leader"))
    categories = list(Category.objects.all())
    statuses = [
        (CaseStatus.CLOSED, 55),
        (CaseStatus.IN_HANDLING, 12),
        (CaseStatus.REPLIED, 6),
        (CaseStatus.REGISTERED, 3),
        (CaseStatus.ACCEPTED, 3),
        (CaseStatus.REDIRECTED, 7),
        (CaseStatus.FORWARDED, 7),
        (CaseStatus.NOT_ACCEPTED, 4),
        (CaseStatus.FINAL, 3),
    ]
    names, weights = zip(*statuses, strict=True)
    now = timezone.now()
    words = [
        "拖欠工资",
        "社保缴费",
        "经济补偿",
        "住房公积金",
        "工伤认定",
        "食堂价格",
        "安全隐患",
        "劳务派遣",
        "夜班补贴",
        "宿舍维修",
    ]
    batch = 20000
    started = time.perf_counter()
    for start in range(have, n, batch):
        rows, deadlines = [], []
        for i in range(start, min(n, start + batch)):
            status = rng.choices(names, weights)[0]
            received = now - timedelta(days=rng.uniform(0, 5 * 365))
            handled = status in (CaseStatus.IN_HANDLING, CaseStatus.REPLIED, CaseStatus.CLOSED, CaseStatus.FINAL)
            unit = rng.choice(leaves)
            rows.append(
                Case(
                    case_no=f"B{i:09d}",
                    channel=rng.choice(Channel.values),
                    received_at=received,
                    type=rng.choice(CaseType.values),
                    category=rng.choice(categories),
                    subject=f"关于{unit.name}{rng.choice(words)}问题的反映{i}",
                    content="基准测试数据。" * 10,
                    unit=rng.choice(offices),
                    handling_unit=unit if handled else None,
                    responsible_leader=rng.choice(leaders) if handled else None,
                    status=status,
                    stage=CaseStage.RECHECK if status == CaseStatus.FINAL else CaseStage.FIRST,
                    headcount=1,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(rows, batch_size=5000)
            ratings = []
            for case in created:
                start_day = timezone.localtime(case.received_at).date()
                handle = {
                    "case": case,
                    "kind": "handle",
                    "stage": "first",
                    "party": "unit",
                    "rule": "handle",
                    "start": start_day,
                    "due": start_day + timedelta(days=60),
                }
                if case.status in (CaseStatus.IN_HANDLING, CaseStatus.ACCEPTED):
                    deadlines.append(Deadline(**handle))
                elif case.status in (CaseStatus.REPLIED, CaseStatus.CLOSED, CaseStatus.FINAL):
                    # A met handling clock (some late, some extended) and, when closed, a rating: what the
                    # statistics pages join on.
                    replied = case.received_at + timedelta(days=rng.uniform(5, 80))
                    deadlines.append(
                        Deadline(**handle, extension_days=rng.choice((0, 0, 0, 0, 15, 30)), met_at=min(replied, now))
                    )
                    if case.status == CaseStatus.CLOSED and rng.random() < 0.7:
                        ratings.append(
                            CaseRating(
                                case=case,
                                stage="first",
                                rating=rng.choice(Rating.values),
                                rated_at=min(replied + timedelta(days=3), now),
                            )
                        )
            Deadline.objects.bulk_create(deadlines, batch_size=5000)
            CaseRating.objects.bulk_create(ratings, batch_size=5000)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(case=c, kind="registered", stage="first", to_status="registered", at=c.received_at)
                    for c in created[:200]
                ]
            )
        done = min(n, start + batch)
        print(f"  generated {done:,}/{n:,} cases ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(runs: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from huiyin.cases.models import Case
    from huiyin.org.models import User
    from huiyin.stats.periods import last_quarter as last_quarter_of

    last_quarter = last_quarter_of(timezone.localdate())
    results = []
    pages = {
        "group office": User.objects.get(username="office"),
        "company office": User.objects.get(username="mine_office"),
        "plant leader": User.objects.get(username="p1_leader"),
    }
    sample = Case.objects.visible_to(pages["group office"]).order_by("-id").values_list("pk", flat=True)[:runs]
    for who, user in pages.items():
        client = Client()
        client.force_login(user)
        targets = [
            ("my work", lambda: "/"),
            ("case list, newest 25", lambda: "/cases/"),
            ("case list, in handling", lambda: "/cases/?status=in_handling"),
            ("case list, overdue", lambda: "/cases/?overdue=on"),
            ("case list, search subject", lambda: "/cases/?q=%E5%B7%A5%E4%BC%A4"),
            ("API list", lambda: "/api/v1/cases"),
        ]
        if who == "group office":
            ids = iter(list(sample) * 2)
            targets.append(("case page", lambda ids=ids: f"/cases/{next(ids)}/"))
        if user.has_perm("stats.view_statistics"):
            targets.append(("statistics, this quarter", lambda: "/stats/"))
            targets.append(("statistics, last quarter", lambda q=last_quarter: f"/stats/?{q.query}"))
        for name, url in targets:
            client.get(url())  # warm up
            timings = []
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                client.get(url())
            for _ in range(runs):
                t0 = time.perf_counter()
                response = client.get(url())
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            results.append((f"{who}: {name}", statistics.median(timings), p95, counter.count))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1_000_000)))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = bench_database_url()
    ensure_postgres_database(url)
    setup(url)
    from django.db import connection

    print(f"Preparing {args.cases:,} cases on {connection.vendor} …", file=sys.stderr)
    generate(args.cases, random.Random(7))
    # Bulk inserts fire no case events: index what the full-text search has not seen yet.
    from django.core.management import call_command

    call_command("search_reindex", workers=os.cpu_count() or 1, defer_index=True, verbosity=0)
    from huiyin.cases.models import Case

    total = Case.objects.count()
    rows = measure(args.runs)
    print()
    print(f"Staff pages at {total:,} cases on {connection.vendor} ({args.runs} runs each, 2-core machine)")
    print(f"| {'page':<48} | {'p50 ms':>8} | {'p95 ms':>8} | {'queries':>7} |")
    print(f"|{'-' * 50}|{'-' * 10}|{'-' * 10}|{'-' * 9}|")
    for name, p50, p95, queries in rows:
        print(f"| {name:<48} | {p50:8.1f} | {p95:8.1f} | {queries:7d} |")
    extra = ROOT / "bench" / "search_bench.py"
    if extra.exists():
        import runpy

        runpy.run_path(str(extra), run_name="__bench__")


if __name__ == "__main__":
    main()
