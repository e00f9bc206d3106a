"""Functions behind ``manage.py triage ...`` (and ``python -m huiyin.nlp.cli``): CSV in, report out.

CSV files are UTF-8 (with or without BOM). Accepted shapes:

* labelled messages, ``id,title,body,category`` (title or body may be empty);
* messages to cluster, ``id,text,title,detail,...,time`` (``detail`` is the body; ``text`` is title +
  body and is used when ``detail`` is absent); optional ``unit`` and ``headcount`` columns.

Every problem with a file raises :class:`CsvError` with a one-line message naming the file.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .classifier import Model, evaluate, train
from .cluster import cluster

__all__ = ["CsvError", "clusters_csv", "evaluate_csv", "main", "read_csv", "read_labelled", "read_messages"]


class CsvError(ValueError):
    """A CSV file that cannot be used; the message says why."""


def read_csv(path: str | Path, required: Sequence[str] = (), any_of: Sequence[str] = ()) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV as dicts with lower-case, stripped column names."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CsvError(f"{p}: cannot read file ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(f"{p}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV") from exc
    if not text.strip():
        raise CsvError(f"{p}: empty file")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        cols = [h.strip().lower() for h in header]
        rows = []
        for lineno, rec in enumerate(reader, start=2):
            if not any(c.strip() for c in rec):
                continue
            if len(rec) > len(cols):
                raise CsvError(f"{p}: line {lineno} has {len(rec)} fields but the header has {len(cols)}")
            rows.append({c: (rec[i] if i < len(rec) else "") for i, c in enumerate(cols)})
    except csv.Error as exc:
        raise CsvError(f"{p}: malformed CSV ({exc})") from exc
    missing = [c for c in required if c not in cols]
    if missing:
        raise CsvError(f"{p}: missing column(s) {', '.join(missing)}; found {', '.join(cols)}")
    if any_of and not any(c in cols for c in any_of):
        raise CsvError(f"{p}: needs one of the columns {', '.join(any_of)}; found {', '.join(cols)}")
    if not rows:
        raise CsvError(f"{p}: no data rows")
    return rows


def _title_body(row: dict[str, str]) -> tuple[str, str]:
    title = row.get("title") or ""
    body = row.get("body") or row.get("detail") or ""
    if not body and row.get("text"):
        body = row["text"]
        if title and body.startswith(title):
            body = body[len(title) :].lstrip()
    return title, body


def read_labelled(path: str | Path) -> list[tuple[str, str, str]]:
    """``(title, body, category)`` rows of a labelled CSV (rows without any text are skipped)."""
    rows = read_csv(path, required=["category"], any_of=["title", "body", "text", "detail"])
    out = []
    for r in rows:
        title, body = _title_body(r)
        if (title or body).strip():
            out.append((title, body, r["category"].strip()))
    if not out:
        raise CsvError(f"{path}: no row has a title or a body")
    return out


def read_messages(path: str | Path) -> list[dict]:
    """Messages to cluster: dicts with id, title, text (body), time, unit, headcount."""
    rows = read_csv(path, any_of=["title", "body", "text", "detail"])
    out = []
    for i, r in enumerate(rows):
        title, body = _title_body(r)
        try:
            headcount = int(float(r.get("headcount") or 1))
        except ValueError:
            headcount = 1
        out.append(
            {
                "id": r.get("id") or str(i + 1),
                "title": title,
                "text": body,
                "time": r.get("time") or r.get("date") or None,
                "unit": r.get("unit") or None,
                "headcount": headcount,
            }
        )
    return out


def evaluate_csv(
    train_csv: str | Path, data_csv: str | Path, out: TextIO = sys.stdout, model: Model | None = None
) -> float:
    """Train on ``train_csv`` (unless ``model`` is given), evaluate on ``data_csv``, print the report.

    The last two printed lines are ``macro_f1=0.xxxx`` and ``ms_per_message=N.NN``. Returns macro-F1.
    """
    data = read_labelled(data_csv)
    if model is None:
        rows = read_labelled(train_csv)
        model = train([(t, b) for t, b, _ in rows], [c for _, _, c in rows])
    report = evaluate(model, data)
    width = max([len(c.label) for c in report.per_class] + [8])
    print(f"{'category':<{width}}  precision  recall  f1      support", file=out)
    for c in report.per_class:
        print(f"{c.label:<{width}}  {c.precision:9.4f}  {c.recall:6.4f}  {c.f1:6.4f}  {c.support:7d}", file=out)
    print(f"accuracy={report.accuracy:.4f} n={report.n}", file=out)
    print(f"macro_f1={report.macro_f1:.4f}", file=out)
    print(f"ms_per_message={report.ms_per_message:.2f}", file=out)
    return report.macro_f1


def clusters_csv(data_csv: str | Path, out_csv: str | Path, out: TextIO = sys.stdout, top: int = 5) -> list:
    """Cluster the messages of ``data_csv``; write ``id,cluster`` for every message to ``out_csv``.

    Clusters are numbered by rank (1 = hottest); a message without a sibling gets a cluster of its own
    (numbered after the ranked ones). Prints the top clusters with sizes and sample titles.
    """
    items = read_messages(data_csv)
    clusters = cluster(items)
    assign: dict[str, int] = {}
    for c in clusters:
        for m in c.members:
            assign[str(m)] = c.id
    next_id = len(clusters) + 1
    out_path = Path(out_csv)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "cluster"])
        for it in items:
            cid = assign.get(str(it["id"]))
            if cid is None:
                cid = next_id
                next_id += 1
            w.writerow([it["id"], cid])
    print(
        f"{len(items)} messages, {len(clusters)} clusters of 2 or more ({sum(c.size for c in clusters)} messages)",
        file=out,
    )
    for c in clusters[:top]:
        print(f"#{c.id} size={c.size} growth={c.growth} score={c.score} terms={' '.join(c.top_terms[:6])}", file=out)
        for t in c.sample_titles:
            print(f"    {t}", file=out)
    return clusters


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m huiyin.nlp.cli", description="Huiyin triage NLP tools")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("evaluate", help="train on a labelled CSV and evaluate on another")
    ev.add_argument("train_csv")
    ev.add_argument("data_csv")
    cl = sub.add_parser("clusters", help="cluster messages, write id,cluster")
    cl.add_argument("data_csv")
    cl.add_argument("out_csv")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "evaluate":
            evaluate_csv(args.train_csv, args.data_csv)
        else:
            clusters_csv(args.data_csv, args.out_csv)
    except CsvError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
