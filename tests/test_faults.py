"""The fault tests in reduced form (bench/faults.py --quick): baseline, a web worker killed with
kill -9, a database crash and recovery; nothing acknowledged may be lost or doubled."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INITDB = Path("/usr/lib/postgresql/15/bin/initdb")


def load_faults():
    if "faults" not in sys.modules:
        spec = importlib.util.spec_from_file_location("faults", ROOT / "bench" / "faults.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["faults"] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules["faults"]


def test_the_checks_count_lost_duplicated_and_phantom_cases():
    faults = load_faults()

    def sent(text, case_no=""):
        return faults.Sent("p", f"key-{text}", hashlib.sha256(text.encode()).hexdigest(), b"", case_no=case_no)

    clients = [sent("a", "C-1"), sent("b", "C-2"), sent("c", "C-3"), sent("d")]  # d: never acknowledged
    cases = [(1, "C-1", "a"), (2, "C-2", "b"), (3, "C-9", "b"), (4, "C-4", "x"), (5, "C-0", "old")]
    row = faults.Row("p")
    faults.check_submissions(row, clients, cases, preexisting={5})
    assert (row.sent, row.acked, row.stored, row.lost, row.duplicated) == (4, 3, 2, 1, 1)  # c lost, b twice
    assert faults.phantom_cases(clients, cases, preexisting={5}) == ["C-4"]
    assert not row.ok


@pytest.mark.slow
@pytest.mark.skipif(not INITDB.exists(), reason="needs Debian's postgresql-15 (it starts its own cluster)")
@pytest.mark.skipif(
    bool(os.environ.get("HUIYIN_DATABASE_URL")),
    reason="runs once, in the SQLite pass: it starts its own PostgreSQL whatever the suite uses",
)
def test_quick_fault_run_loses_and_doubles_nothing():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUIYIN_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "faults.py"), "--quick", "--submitters", "3", "--workers", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-2000:]
    table = out[out.index("phase ") :]
    for phase in ("baseline", "web worker kill -9", "database crash + recovery", "all phases, rechecked at the end"):
        assert phase in table
    total = next(line for line in table.splitlines() if line.startswith("all phases"))
    cells = [c.strip() for c in total.split("|")]
    sent, acked, stored, lost, duplicated, phantom = (int(c) for c in cells[1:7])
    assert acked > 0 and stored >= acked == sent and (lost, duplicated, phantom) == (0, 0, 0)
    assert "killed gunicorn worker" in out and "PostgreSQL started" in out
