"""The invariants of STYLE.md, enforced with semgrep (.semgrep/): status changes only through
case_transition, staff views read cases only through the scope, no CDN assets, and a locking query
that joins names the rows it locks (PostgreSQL refuses FOR UPDATE on an outer join's nullable side)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = shutil.which("semgrep") or str(Path(sys.executable).with_name("semgrep"))

pytestmark = pytest.mark.skipif(not Path(SEMGREP).exists(), reason="semgrep is not installed (pip install semgrep)")


def scan(*targets: str | Path, cwd: Path = ROOT) -> list[dict]:
    result = subprocess.run(
        [
            SEMGREP,
            "scan",
            "--config",
            str(ROOT / ".semgrep"),
            "--metrics=off",
            "--json",
            "--quiet",
            "--disable-version-check",
            *map(str, targets),
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return json.loads(result.stdout)["results"]


def test_the_tree_keeps_the_invariants():
    findings = scan("huiyin", "templates")
    assert findings == [], [(f["path"], f["start"]["line"], f["check_id"]) for f in findings]


def test_the_rules_catch_violations(tmp_path):
    app = tmp_path / "huiyin" / "bad"
    app.mkdir(parents=True)
    (app / "views.py").write_text(
        "def close(case):\n    case.status = 'closed'\n    return Case.objects.get(pk=1)\n\n\n"
        "def lock(pk):\n    return Case.objects.select_for_update().select_related('responsible_leader').get(pk=pk)\n\n\n"
        "def lock_named(pk):\n    return Draft.objects.select_for_update(of=('self',)).select_related('case').get(pk=pk)\n",
        encoding="utf-8",
    )
    (app / "page.html").write_text('<script src="https://cdn.jsdelivr.net/npm/htmx.org"></script>', encoding="utf-8")
    # semgrep scans the files git knows about
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    findings = scan("huiyin", cwd=tmp_path)
    ids = {f["check_id"].rsplit(".", 1)[-1] for f in findings}
    assert {
        "case-status-only-via-case-transition",
        "staff-views-read-cases-through-scope",
        "no-cdn-assets",
        "locking-query-with-joins-names-what-it-locks",
    } <= ids
    locks = [f["start"]["line"] for f in findings if f["check_id"].endswith("names-what-it-locks")]
    assert locks == [7]  # the lock that names its rows passes
