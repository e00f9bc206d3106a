"""Benchmark of the triage NLP features on the public evaluation data.

    python bench/triage_bench.py [--data-dir /work/shared/data] [--quick] [--out-dir DIR]

Prints one table with every figure: classifier (dev and cross-validated macro-F1, ms per message,
training time), repeat detection on hotspot_messages.csv (exact reposts and near-duplicates), lookup
latency of the LSH index at N synthetic cases, hot-issue clustering, and reply checks on two sets of
official replies with agreement to the contest teams' (unofficial) labels.

The data is read, never copied: nothing learned here is written into the package. ``--quick`` runs a
smaller version (3-fold CV on a sample, 100,000 synthetic cases) in about three minutes.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from huiyin.nlp import classifier, cluster, replycheck, similar  # noqa: E402
from huiyin.nlp.cli import clusters_csv  # noqa: E402
from huiyin.nlp.segment import fine_words, normalize, tokens  # noqa: E402

TABLE: list[tuple[str, str, str]] = []


def row(section: str, metric: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    TABLE.append((section, metric, str(value)))
    print(f"  [{section}] {metric} = {value}", file=sys.stderr, flush=True)


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- classifier ----------------------------------------------------------------------------------


def bench_classifier(d: Path, quick: bool) -> None:
    train_rows = load(d / "train.csv")
    dev_rows = load(d / "dev.csv")
    pairs = [(r["title"], r["body"]) for r in train_rows]
    labels = [r["category"] for r in train_rows]
    t0 = time.perf_counter()
    model = classifier.train(pairs, labels)
    train_s = time.perf_counter() - t0
    rep = classifier.evaluate(model, dev_rows)
    row("classifier", "train rows (title only / body only / both)", _shape(train_rows))
    row("classifier", "train seconds (full, incl. 3-fold calibration)", train_s)
    row("classifier", "dev macro-F1 (500 msgs, title+body)", rep.macro_f1)
    row("classifier", "dev accuracy", rep.accuracy)
    row(
        "classifier",
        "ms per message, wall / CPU (single predict, with reasons)",
        f"{rep.ms_per_message:.2f} / {rep.cpu_ms_per_message:.2f}",
    )
    worst = min(rep.per_class, key=lambda c: c.f1)
    row("classifier", "dev weakest class F1", f"{worst.label} {worst.f1:.3f}")
    # Confidence usefulness: accuracy of the half of dev with the highest confidence.
    preds = [model.predict(r["title"], r["body"]) for r in dev_rows]
    order = sorted(range(len(preds)), key=lambda i: -preds[i].confidence)
    top = order[: len(order) // 2]
    row(
        "classifier",
        "dev accuracy of the more confident half",
        sum(preds[i].label == dev_rows[i]["category"] for i in top) / len(top),
    )
    row("classifier", "dev mean confidence", float(np.mean([p.confidence for p in preds])))

    from sklearn.model_selection import StratifiedGroupKFold

    idx = list(range(len(train_rows)))
    folds = 5
    if quick:
        random.Random(0).shuffle(idx)
        idx = sorted(idx[:4000])
        folds = 3
    sub = [train_rows[i] for i in idx]
    y = np.array([r["category"] for r in sub])
    groups = [normalize(r["title"]) + "\x00" + normalize(r["body"]) for r in sub]  # duplicates stay together
    pred = np.empty(len(sub), dtype=object)
    t0 = time.perf_counter()
    for a, b in StratifiedGroupKFold(folds, shuffle=True, random_state=0).split(sub, y, groups):
        m = classifier.train([(sub[i]["title"], sub[i]["body"]) for i in a], y[a].tolist(), calibrate=False)
        pred[b] = m.predict_many((sub[i]["title"], sub[i]["body"]) for i in b)
    cv_s = time.perf_counter() - t0
    both = np.array([bool(r["title"].strip() and r["body"].strip()) for r in sub])
    row("classifier", f"CV macro-F1 ({folds}-fold on {len(sub)} train rows)", _macro_f1(y, pred))
    row("classifier", f"CV macro-F1, rows with title+body only (n={int(both.sum())})", _macro_f1(y[both], pred[both]))
    row("classifier", "CV macro-F1, title-only rows", _macro_f1(y[_only(sub, "title")], pred[_only(sub, "title")]))
    row("classifier", "CV macro-F1, body-only rows", _macro_f1(y[_only(sub, "body")], pred[_only(sub, "body")]))
    row("classifier", "CV seconds (all folds, no calibration)", cv_s)
    if not quick:
        # The office judges on whole messages (title + body) like dev.csv. Our best estimate of that: dev
        # (model trained on all of train) together with train's own title+body rows predicted out of fold.
        dev_pred = model.predict_many((r["title"], r["body"]) for r in dev_rows)
        y_whole = [r["category"] for r in dev_rows] + list(y[both])
        p_whole = list(dev_pred) + [str(x) for x in pred[both]]
        row(
            "classifier",
            f"whole-message estimate: dev + CV title+body rows (n={len(y_whole)})",
            _macro_f1(y_whole, p_whole),
        )


def _only(rows, field) -> np.ndarray:
    other = "body" if field == "title" else "title"
    return np.array([bool(r[field].strip()) and not r[other].strip() for r in rows])


def _shape(rows) -> str:
    t = sum(1 for r in rows if r["title"].strip() and not r["body"].strip())
    b = sum(1 for r in rows if r["body"].strip() and not r["title"].strip())
    return f"{len(rows)} ({t} / {b} / {len(rows) - t - b})"


def _macro_f1(y, p) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(list(y), [str(x) for x in p], average="macro"))


# -- repeats and the LSH index -------------------------------------------------------------------


def bench_similar(d: Path, quick: bool) -> None:
    rows = load(d / "hotspot_messages.csv")
    words = {r["id"]: set(tokens(r["title"] + "。" + r["detail"])) for r in rows}
    idx = similar.SimilarIndex()
    idx.add_many((r["id"], words[r["id"]]) for r in rows)
    group = {r["id"]: r["exact_dup_group"] for r in rows if r["exact_dup_group"]}
    members = defaultdict(set)
    for i, g in group.items():
        members[g].add(i)
    true_pairs = {frozenset((a, b)) for g in members.values() for a in g for b in g if a < b}
    flagged: dict[frozenset, float] = {}
    related = set()
    for r in rows:
        for m in idx.query(words=words[r["id"]], k=20, exclude=r["id"], min_score=similar.RELATED_SCORE):
            pair = frozenset((r["id"], m.id))
            related.add(pair)
            if m.score >= similar.DUPLICATE_SCORE:
                flagged[pair] = m.score
    found = true_pairs & set(flagged)
    row("repeats", "messages / exact-repost groups / repost pairs", f"{len(rows)} / {len(members)} / {len(true_pairs)}")
    row("repeats", f"repost pair recall (score >= {similar.DUPLICATE_SCORE})", len(found) / max(1, len(true_pairs)))
    row("repeats", "repost pair precision vs exact_dup_group (strict)", len(found) / max(1, len(flagged)))
    identical = [p for p, s in flagged.items() if s >= 0.999]
    row(
        "repeats",
        "pairs with identical word sets: in exact groups / all",
        f"{sum(p in true_pairs for p in identical)} / {len(identical)}",
    )
    near = {p: s for p, s in flagged.items() if p not in true_pairs}
    by_id = {r["id"]: r for r in rows}
    same_user = sum(1 for p in near if len({by_id[i]["user"] for i in p}) == 1)
    row("repeats", "near-duplicate pairs outside exact groups (>= 0.8)", f"{len(near)} ({same_user} by the same user)")
    row("repeats", f"related pairs (score >= {similar.RELATED_SCORE})", len(related))
    rng = random.Random(1)
    for k, (p, s) in enumerate(rng.sample(sorted(near.items(), key=lambda kv: sorted(kv[0])), min(3, len(near)))):
        a, b = sorted(p)
        row("repeats", f"near-dup example {k + 1} (J={s:.2f})", f"{by_id[a]['title'][:24]} | {by_id[b]['title'][:24]}")

    # A short text held by a longer one (rare words, `similar.contained`) below the Jaccard bar: the pairs the
    # rare-word keys add. Candidates share a rare word, as in the database index.
    frequency: Counter[str] = Counter()
    for ws in words.values():
        frequency.update(fine_words(ws))
    frequency[similar.CASES_COUNTED] = len(words)
    postings: dict[str, list[str]] = defaultdict(list)
    for i, ws in words.items():
        for w in similar.rare_words(ws, frequency):
            postings[w].append(i)
    contained_pairs: dict[frozenset, float] = {}
    for ids in postings.values():
        if len(ids) > 400:
            continue  # as the database reads at most 400 cases per key
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                pair = frozenset((ids[x], ids[y]))
                if pair in related or pair in contained_pairs:
                    continue
                a, b = words[ids[x]], words[ids[y]]
                if similar.similarity(a, b, max_words=0)[0] < similar.RELATED_SCORE and similar.contained(
                    a, b, frequency
                ):
                    contained_pairs[pair] = similar.weighted_containment(a, b, frequency)[0]
    in_groups = sum(1 for p in contained_pairs if p in true_pairs)
    row(
        "repeats",
        "contained pairs below the Jaccard bar (rare-word keys)",
        f"{len(contained_pairs)} ({in_groups} in exact groups)",
    )
    for k, p in enumerate(rng.sample(sorted(contained_pairs, key=sorted), min(3, len(contained_pairs)))):
        a, b = sorted(p, key=lambda i: len(words[i]))
        row(
            "repeats",
            f"contained example {k + 1} (C={contained_pairs[p]:.2f})",
            f"{by_id[a]['title'][:24]} | {by_id[b]['title'][:24]}",
        )

    recall_bar, recall_contained, passing = _index_recall(words, frequency)
    row("repeats", f"pairs passing the bar (Jaccard or containment) that the index finds (of {passing})", recall_bar)
    row("repeats", "of them, contained pairs below the Jaccard bar", recall_contained)

    # Lookup latency at N cases: synthetic cases recombine clauses of the real messages.
    n = 100_000 if quick else 1_000_000
    clauses: list[set[str]] = []
    for r in rows:
        for c in r["detail"].replace("！", "。").replace("？", "。").split("。"):
            ws = set(tokens(c))
            if len(ws) >= 3:
                clauses.append(ws)
    rng = np.random.default_rng(0)

    def synth(count):
        picks = rng.integers(0, len(clauses), size=(count, 4))
        sizes = rng.integers(2, 5, size=count)
        for i in range(count):
            out: set[str] = set()
            for j in range(sizes[i]):
                out |= clauses[picks[i, j]]
            yield out

    big = similar.SimilarIndex(merge_every=200_000)
    t0 = time.perf_counter()
    big.add_many(((f"s{i}", ws) for i, ws in enumerate(synth(n))), batch=8192)
    big.add_many((r["id"], words[r["id"]]) for r in rows)
    build_s = time.perf_counter() - t0
    row("lsh index", "cases indexed (synthetic + real)", len(big))
    row("lsh index", "build seconds (in memory, vectorised)", build_s)
    row("lsh index", "keys per case (bands x rows)", f"{similar.BANDS} ({similar.BANDS} x {similar.ROWS} MinHash)")
    queries = rows[:: max(1, len(rows) // 500)][:500]
    lat, lat_words, cands, hit = [], [], [], 0
    for r in queries:
        text = r["title"] + "。" + r["detail"]
        t0 = time.perf_counter()
        res = big.query(text, k=10)
        lat.append((time.perf_counter() - t0) * 1000)
        ws = words[r["id"]]
        t0 = time.perf_counter()
        big.query(words=ws, k=10)
        lat_words.append((time.perf_counter() - t0) * 1000)
        cands.append(len(big.candidates(similar.lsh_keys(ws))))
        hit += any(m.id == r["id"] for m in res)
    row(
        "lsh index",
        f"lookup ms p50 / p95 at N={len(big):,} (incl. segmentation)",
        f"{np.percentile(lat, 50):.1f} / {np.percentile(lat, 95):.1f}",
    )
    row(
        "lsh index",
        "lookup ms p50 / p95 (given word set)",
        f"{np.percentile(lat_words, 50):.1f} / {np.percentile(lat_words, 95):.1f}",
    )
    row(
        "lsh index",
        "candidates per lookup p50 / p95",
        f"{np.percentile(cands, 50):.0f} / {np.percentile(cands, 95):.0f}",
    )
    row("lsh index", "query message found in its top 10 (sanity)", hit / len(queries))


def _index_recall(words: dict[str, set[str]], frequency) -> tuple[float, float, int]:
    """How many of the pairs that `similar_cases` would show the index's keys bring together: every pair is
    scored (Jaccard, and the rarity-weighted containment of the shorter in the longer, as `similar.contained`
    scores them), in matrix form; then a pair counts as found when a lookup for one of the two reads a key
    the other is stored under (a band key or a rare-word key), at most 400 cases per key as in the database. Returns the share of all passing pairs found,
    the share of the contained ones found, and how many pairs pass."""
    from scipy.sparse import csr_matrix

    sets = [fine_words(ws) - similar.HISTORY_WORDS for ws in words.values()]  # as `similar` compares them
    vocab: dict[str, int] = {}
    rows_, cols = [], []
    for i, s in enumerate(sets):
        for w in s:
            rows_.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    x = csr_matrix((np.ones(len(rows_)), (rows_, cols)), shape=(len(sets), len(vocab)))
    names = sorted(vocab, key=vocab.get)
    topical = np.array([0.0 if similar.QUANTITY.fullmatch(w) else 1.0 for w in names])
    rarity = np.array([similar.rarity(frequency, w) for w in names]) * topical
    inter = (x @ x.T).toarray()
    sizes = np.asarray(x.sum(1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    jaccard = inter / np.maximum(union, 1)
    xt = x.multiply(topical[None, :]).tocsr()
    shared_n = (xt @ xt.T).toarray()
    xr = x.multiply(rarity[None, :]).tocsr()
    shared_w = (xr @ x.T).toarray()
    total = np.asarray(xr.sum(1)).ravel()
    n_topical = np.asarray(xt.sum(1)).ravel()
    shorter_total = np.where(n_topical[:, None] <= n_topical[None, :], total[:, None], total[None, :])
    share = shared_w / np.maximum(shorter_total, 1e-12)
    related = jaccard >= similar.RELATED_SCORE
    contained = (
        ~related
        & (shared_n >= similar.CONTAINED_MIN_WORDS)
        & (share >= similar.CONTAINED_SCORE - 1e-9)
        & (shared_w >= similar.CONTAINED_MIN_WEIGHT)
    )
    passing = {(int(a), int(b)) for a, b in np.argwhere(np.triu(related | contained, 1))}
    held = {(int(a), int(b)) for a, b in np.argwhere(np.triu(contained, 1))}
    # A lookup reads other keys than a case is stored under (`similar.rare_word_lookup_keys`): a pair is found
    # when the keys one of the two reads lead to the other among the newest 400 cases of a key.
    postings: dict[int, list[int]] = defaultdict(list)
    reads: list[set[int]] = []
    for i, ws in enumerate(words.values()):
        for key in set(similar.lsh_keys(ws)) | set(similar.rare_word_keys(ws, frequency)):
            postings[key].append(i)
        first, extra = similar.rare_word_lookup_keys(ws, frequency)
        reads.append(set(similar.lsh_keys(ws)) | set(first) | set(extra))
    newest = {key: set(ids[-400:]) for key, ids in postings.items()}

    def meets(a: int, b: int) -> bool:
        return any(b in newest.get(k, ()) for k in reads[a]) or any(a in newest.get(k, ()) for k in reads[b])

    found = {pair for pair in passing if meets(*pair)}
    return len(found) / max(1, len(passing)), len(held & found) / max(1, len(held)), len(passing)


# -- clustering ------------------------------------------------------------------------------------


def bench_cluster(d: Path, out_dir: Path) -> None:
    import io

    out_csv = out_dir / "hotspot_clusters.csv"
    buf = io.StringIO()
    t0 = time.perf_counter()
    clusters = clusters_csv(d / "hotspot_messages.csv", out_csv, out=buf)
    secs = time.perf_counter() - t0
    row("clusters", "clusters of >= 2 / messages in them", f"{len(clusters)} / {sum(c.size for c in clusters)}")
    row("clusters", "fitted cosine threshold", float(cluster.cluster.last_threshold))
    row("clusters", "top-5 sizes", " ".join(str(c.size) for c in clusters[:5]))
    for c in clusters[:5]:
        row("clusters", f"#{c.id} size {c.size}", " / ".join(t[:22] for t in c.sample_titles[:2]))
    row("clusters", "seconds (incl. segmentation)", secs)
    row("clusters", "id,cluster written to", str(out_csv))


# -- reply checks ----------------------------------------------------------------------------------


def bench_replies(d: Path) -> None:
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    sets = [
        ("taidi replies", d / "taidi2020" / "replies.csv"),
        ("shangluo mailbox", d / "sl_mayor_mailbox" / "mailbox.csv"),
    ]
    for name, path in sets:
        if not path.exists():
            row("reply check", name, "skipped (file missing)")
            continue
        rows = load(path)
        t0 = time.perf_counter()
        res = [replycheck.check_reply(r.get("text") or r.get("query") or "", r.get("reply") or "") for r in rows]
        ms = (time.perf_counter() - t0) * 1000 / len(rows)
        miss = Counter(m for x in res for m in x.missing)
        shares = " ".join(f"{k}={miss.get(k, 0) / len(rows):.3f}" for k in replycheck.ELEMENTS)
        row("reply check", f"{name}: missing share (n={len(rows)})", shares)
        row("reply check", f"{name}: all four present", sum(x.ok for x in res) / len(rows))
        row("reply check", f"{name}: ms per check", f"{ms:.2f}")
        for col in ("interpretability_syu", "completeness_rollbear", "interpretability_rollbear"):
            if col not in rows[0]:
                continue
            pairs = [(x.score, int(r[col])) for x, r in zip(res, rows, strict=True) if r[col].strip() in ("0", "1")]
            if len(pairs) < 10:
                continue
            s, lab = zip(*pairs, strict=True)
            dist = Counter(lab)
            rho = spearmanr(s, lab).statistic
            auc = roc_auc_score(lab, s) if len(dist) == 2 else float("nan")
            pts = [x.elements["points"].score for x, r in zip(res, rows, strict=True) if r[col].strip() in ("0", "1")]
            auc_pts = roc_auc_score(lab, pts) if len(dist) == 2 else float("nan")
            row(
                "reply check",
                f"{name}: vs {col} (n={len(pairs)}, 1:{dist[1]} 0:{dist[0]})",
                f"spearman={rho:.3f} auc(score)={auc:.3f} auc(points)={auc_pts:.3f}",
            )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", default="/work/shared/data")
    ap.add_argument("--quick", action="store_true", help="smaller run (about three minutes)")
    ap.add_argument("--out-dir", default=None, help="where to write hotspot_clusters.csv (default: a temp dir)")
    ap.add_argument("--only", default="", help="comma list of sections: classifier,similar,cluster,replies")
    args = ap.parse_args(argv)
    data = Path(args.data_dir)
    taidi = data / "taidi2020"
    if not taidi.is_dir() or not (taidi / "train.csv").exists():
        print(f"triage bench skipped: data directory {taidi} not found (use --data-dir)")
        return 0
    out_dir = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="huiyin-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    t0 = time.perf_counter()
    if not only or "classifier" in only:
        bench_classifier(taidi, args.quick)
    if not only or "similar" in only:
        bench_similar(taidi, args.quick)
    if not only or "cluster" in only:
        bench_cluster(taidi, out_dir)
    if not only or "replies" in only:
        bench_replies(data)
    row("bench", "total seconds", time.perf_counter() - t0)
    w1 = max(len(s) for s, _, _ in TABLE)
    w2 = max(len(m) for _, m, _ in TABLE)
    print(f"{'section':<{w1}}  {'metric':<{w2}}  value")
    print(f"{'-' * w1}  {'-' * w2}  {'-' * 20}")
    for s, m, v in TABLE:
        print(f"{s:<{w1}}  {m:<{w2}}  {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
