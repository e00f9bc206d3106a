"""The audit log at scale: verifying the whole chain, and exporting the most an export may hold.

    python bench/audit_bench.py [--records 1000000] [--runs 3]

Uses the bench database of bench/run.py (HUIYIN_DATABASE_URL's server with name + "_bench", or
var/bench.sqlite3). Records are appended to the real chain (each hashed and linked as
`audit_record` does, in bulk) until it holds --records; later runs reuse them. Then it times
`audit_verify` over the whole chain (what the page's button and the daily job do) and the Excel
export of HUIYIN_AUDIT_EXPORT_MAX_ROWS records (the page's largest export), and prints one table.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)

BATCH = 10_000
ACTIONS = ("identity.view", "export", "case.state_change", "access.denied", "auth.login")


def fill(target: int) -> int:
    """Append records to the chain until it holds `target`; return how many were added."""
    from django.db import transaction
    from django.utils import timezone

    from huiyin.audit.models import AuditHead, AuditRecord
    from huiyin.audit.services import detail_case_no, record_hash

    added = 0
    while True:
        with transaction.atomic():
            head, _ = AuditHead.objects.get_or_create(pk=1)
            head = AuditHead.objects.select_for_update().get(pk=1)
            missing = target - head.last_seq
            if missing <= 0:
                return added
            start = timezone.now() - timedelta(days=365)
            rows = []
            prev = head.last_hash
            for seq in range(head.last_seq + 1, head.last_seq + 1 + min(BATCH, missing)):
                detail = {"case_no": f"2025-{seq % 900_000:06d}", "reason": "核实信访事项办理情况", "n": seq % 7}
                record = AuditRecord(
                    seq=seq,
                    at=start + timedelta(seconds=seq * 20),
                    actor_id=None,
                    actor_name=f"user{seq % 500}",
                    action=ACTIONS[seq % len(ACTIONS)],
                    object_type="cases.case",
                    object_id=str(seq % 900_000 + 1),
                    detail=detail,
                    case_no=detail_case_no(detail),
                    prev_hash=prev,
                )
                record.hash = record_hash(record)
                prev = record.hash
                rows.append(record)
            AuditRecord.objects.bulk_create(rows)
            head.last_seq, head.last_hash = rows[-1].seq, rows[-1].hash
            head.save(update_fields=["last_seq", "last_hash"])
            added += len(rows)
        if added % 100_000 == 0:
            print(f"  {head.last_seq:,} records …", file=sys.stderr)


class Reader:
    """An auditor as the export sees one: may read the log, opens no case."""

    username = "bench-auditor"
    full_name = "审计"

    def has_perm(self, perm: str) -> bool:
        return perm == "audit.view_auditrecord"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=int(os.environ.get("BENCH_AUDIT_RECORDS", 1_000_000)))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = bench_run.bench_database_url()
    bench_run.ensure_postgres_database(url)
    bench_run.setup(url)
    from django.db import connection

    from huiyin.audit.export import audit_log_xlsx, max_rows
    from huiyin.audit.models import AuditRecord
    from huiyin.audit.services import audit_verify

    print(f"Preparing {args.records:,} audit records on {connection.vendor} …", file=sys.stderr)
    t0 = time.perf_counter()
    added = fill(args.records)
    built = time.perf_counter() - t0
    total = AuditRecord.objects.count()

    verify_s = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        result = audit_verify()
        verify_s.append(time.perf_counter() - t0)
    if not result.ok:
        raise SystemExit(f"the bench chain does not verify: #{result.first_broken_seq} {result.reason}")

    limit = min(max_rows(), total)
    export_s = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        handle, rows = audit_log_xlsx(AuditRecord.objects.order_by("-seq")[:limit], user=Reader(), filters=[])
        export_s.append(time.perf_counter() - t0)
        size = handle.seek(0, 2)
        handle.close()

    verify = statistics.median(verify_s)
    export = statistics.median(export_s)
    print()
    print(f"Audit log at {total:,} records on {connection.vendor} (median of {args.runs} runs, 2-core machine)")
    print(f"| {'operation':<52} | {'seconds':>8} | {'µs per record':>13} |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 15}|")
    print(
        f"| {f'verify the whole chain ({result.checked:,} records)':<52} | {verify:8.1f} | {verify / total * 1e6:13.1f} |"
    )
    print(
        f"| {f'export to Excel ({rows:,} records, {size / 1e6:.1f} MB)':<52} | {export:8.1f} | {export / rows * 1e6:13.1f} |"
    )
    if added:
        print(f"| {f'append {added:,} records (bulk, hashed)':<52} | {built:8.1f} | {built / added * 1e6:13.1f} |")


if __name__ == "__main__":
    main()
