"""Hot issues: group recent cases that raise the same concrete issue, and rank the groups.

Method (no fixed threshold; everything is fitted on the batch being clustered):

1. Each case becomes a TF-IDF vector of its content words (title words counted twice), re-weighted by
   the IDF once more (IDF squared) so that specific words - a compound's, a workshop's or a company's
   name, a particular demand - dominate over the generic vocabulary of complaints ("加快", "问题", ...).
   Same-issue cases share those specific words; same-topic cases only share generic ones.
2. The cosine similarity of every case to its nearest neighbour is computed (sparse products in
   chunks). Its distribution is bimodal: cases with a sibling (a repost, the same issue from another
   person) versus cases without one. Otsu's method splits the two modes; the edge threshold is the
   midpoint between the background mode's mean and that split, i.e. looser than near-copies but well
   above chance similarity.
3. Cases linked by an edge (cosine >= threshold) are joined (connected components). A component that
   grows beyond ``max_fraction`` of the batch (a chain through generic words) is split again with a
   threshold raised in steps of 0.05.
4. Clusters are ranked by ``score`` (see :func:`cluster`).

Scale: suited to the recent window (tens of thousands of cases). For the whole archive, use the LSH
keys of :mod:`huiyin.nlp.similar` instead.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from .segment import function_word, in_dictionary, is_cjk, normalize, tokens, words

__all__ = ["Cluster", "ClusterItem", "cluster", "fit_threshold", "rank_score"]


@dataclass
class ClusterItem:
    id: object
    text: str
    title: str = ""
    time: datetime | None = None
    unit: str | None = None
    headcount: int = 1
    words: list[str] | None = None  # precomputed content words (e.g. stored at registration): skips jieba
    matter: object = None  # items of one matter (a petition and its repeats) count their people once


@dataclass
class Cluster:
    id: int
    members: list[object]
    size: int
    growth: float
    units: int
    headcount: int
    score: float
    top_terms: list[str] = field(default_factory=list)
    sample_titles: list[str] = field(default_factory=list)
    recent: int = 0
    previous: int = 0
    first_time: datetime | None = None
    last_time: datetime | None = None


def _as_item(x) -> ClusterItem:
    if isinstance(x, ClusterItem):
        return x
    if isinstance(x, dict):
        get = x.get
    else:

        def get(k, default=None):
            return getattr(x, k, default)

    return ClusterItem(
        id=get("id"),
        text=str(get("text") or get("body") or ""),
        title=str(get("title") or ""),
        time=_as_time(get("time")),
        unit=get("unit") or None,
        headcount=int(get("headcount") or 1),
        words=list(get("words")) if get("words") is not None else None,
        matter=get("matter"),
    )


def people_count(entries: Iterable[tuple[object, int]]) -> int:
    """People concerned by `(matter, headcount)` entries: each matter counts once, with the largest headcount
    among its entries (a petition and its repeat petitions are one matter); an entry whose matter is None is
    its own. A headcount below 1 counts as 1."""
    people: dict[object, int] = {}
    for k, (matter, headcount) in enumerate(entries):
        key = ("matter", matter) if matter is not None else ("entry", k)
        people[key] = max(people.get(key, 0), max(1, headcount))
    return sum(people.values())


# The most the people of an issue add to its score: ln(1.65), i.e. an issue with however many people counts at
# most as if it had about two-thirds more cases (the size term is ln(1 + size)). Bounded so that one large
# collective petition cannot lift a two-case issue over one with several times its cases and growing.
PEOPLE_WEIGHT = 0.5


def rank_score(*, size: int, recent: int, previous: int, units: int, headcount: int) -> float:
    """The score hot issues are ranked by, highest first: size first, boosted by growth, then a little by the
    spread across units and by the people concerned.

    ``growth = (recent + 1) / (previous + 1)``; ``score = ln(1 + size) * (1 + ln growth, floored at 0)
    + 0.5 ln(units) + PEOPLE_WEIGHT * (1 - size / people)`` where ``people`` is ``max(headcount, size)``.
    The people term is 0 when each case stands for one person and rises towards PEOPLE_WEIGHT (0.5) as the
    people outnumber the cases (collective petitions): among issues of one size the one more people raise ranks
    higher, but headcount alone never adds more than about two-thirds more cases would
    (ln(1 + size) + 0.5 = ln(1.65 (1 + size)))."""
    size = max(size, 1)
    growth = (recent + 1) / (previous + 1)
    score = math.log1p(size) * (1 + max(0.0, math.log(growth)))
    score += 0.5 * math.log(max(1, units)) + PEOPLE_WEIGHT * (1 - size / max(headcount, size))
    return round(score, 4)


def _as_time(v) -> datetime | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.replace(tzinfo=None) if v.tzinfo else v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)  # noqa: DTZ001 - naive on purpose, compared only with each other
    s = str(v).strip().replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(s[: len("2000-01-01 00:00:00")], fmt)  # noqa: DTZ007 - naive on purpose
        except ValueError:
            continue
    return None


def _vectorise(items: Sequence[ClusterItem]):
    from scipy.sparse import diags
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize as l2

    docs = []
    for it in items:
        if it.words is not None:
            docs.append(list(it.words))
            continue
        title_words = tokens(it.title)
        body = it.text
        if it.title and body.startswith(it.title):
            body = body[len(it.title) :]
        docs.append(title_words * 2 + tokens(body))
    min_df = 2 if len(items) >= 20 else 1
    vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df, norm=None)
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary
        return None, None
    X = l2(X @ diags(vec.idf_))
    return X.tocsr().astype(np.float32), vec


# Discourse words jieba's dictionary tags as nouns or idioms, which `function_word` therefore keeps: they name no
# issue (the demo's petitions say 大伙 for 大家, a stop word). Only for the key words shown; the clustering keeps them.
KEYWORD_STOP_WORDS = frozenset(["也就是说", "大伙", "大伙儿", "时候", "小时", "段时间"])


def keyword_candidate(term: str) -> bool:
    """May `term` be shown as a key word of a hot issue: a whole word that names something. Not a function word
    (`function_word`: numerals, pronouns, adverbs, locatives such as 以来 ...) nor one of KEYWORD_STOP_WORDS; and
    a two-character word jieba's HMM guessed (not in its dictionary, `in_dictionary`) only when neither character
    is a function word by itself: 元涨 (11元涨到16元), 年入 (2014年入职), 对同 (对同岗位) are characters glued
    across a word boundary, while a name jieba does not know (丽发, 帝景) is kept."""
    if function_word(term) or term in KEYWORD_STOP_WORDS:
        return False
    if len(term) == 2 and all(is_cjk(ch) for ch in term) and not in_dictionary(term):
        return not any(function_word(ch) for ch in term)
    return True


def _fragment(term: str, texts: Sequence[str], most: int = 3) -> bool:
    """Is `term` a piece of a longer name the tokenizer cut (石岭 of 黑石岭, 鹰嘴 of 鹰嘴山): in the texts, every
    occurrence where it is a word has the same character cut off beside it as a word of its own (黑, 山) - not a
    function word such as 的. Checked on the words of a few characters around each occurrence (at most `most` in
    each text)."""
    before: set[str | None] = set()
    after: set[str | None] = set()
    seen = 0
    for text in texts:
        start = text.find(term)
        for _ in range(most):
            if start < 0:
                break
            lo, hi = max(0, start - 6), start + len(term) + 6
            window = text[lo:hi]
            lo += len(window) - len(window.lstrip())  # the texts are normalised: only a leading space to skip
            window = text[lo:hi].strip()
            # The words of the window, with their offsets in it (words() drops spaces and punctuation).
            at, pos = [], 0
            for w in words(window):
                pos = window.find(w, pos)
                at.append((pos, w))
                pos += len(w)
            offset = start - lo
            k = next((k for k, (p, w) in enumerate(at) if p == offset and w == term), None)
            if k is None:  # inside a longer word here (宿舍 in 职工宿舍): says nothing
                start = text.find(term, start + len(term))
                continue
            prev = at[k - 1] if k > 0 and at[k - 1][0] + len(at[k - 1][1]) == offset else None
            nxt = at[k + 1] if k + 1 < len(at) and at[k + 1][0] == offset + len(term) else None
            before.add(
                prev[1] if prev and len(prev[1]) == 1 and is_cjk(prev[1]) and not function_word(prev[1]) else None
            )
            after.add(nxt[1] if nxt and len(nxt[1]) == 1 and is_cjk(nxt[1]) and not function_word(nxt[1]) else None)
            seen += 1
            start = text.find(term, start + len(term))
    return seen > 0 and ((len(before) == 1 and None not in before) or (len(after) == 1 and None not in after))


def _shared_terms(rows, inv_vocab: np.ndarray, n_terms: int, texts: Sequence[str] = ()) -> list[str]:
    """The words that name a cluster: the heaviest in its centroid (title words count twice) among those at
    least two members use; a word only one member uses (不小, 看一看 in the demo) does not name a cluster. Only
    whole words that name something (`keyword_candidate`); with the members' `texts`, not a piece of a longer
    name either (`_fragment`)."""
    shared = np.asarray((rows > 0).sum(axis=0)).ravel()
    centroid = np.asarray(rows.sum(axis=0)).ravel()
    score = np.where(shared >= min(2, rows.shape[0]), centroid, 0.0)
    texts = [t for t in texts if t]
    out: list[str] = []
    for j in np.argsort(-score, kind="stable"):
        if score[j] <= 0 or len(out) >= n_terms:
            break
        term = str(inv_vocab[j])
        if keyword_candidate(term) and not (texts and _fragment(term, texts)):
            out.append(term)
    return out


def _identity(doc):
    return doc


def _similarity_graph(X, floor: float, chunk: int = 2000):
    """Sparse upper-bounded similarity matrix keeping entries >= floor, plus each row's best neighbour."""
    from scipy.sparse import csr_matrix, vstack

    n = X.shape[0]
    nn = np.zeros(n, dtype=np.float32)
    blocks = []
    XT = X.T.tocsc()
    for start in range(0, n, chunk):
        S = (X[start : start + chunk] @ XT).tocsr()
        S = S.tocoo()
        keep = S.row + start != S.col
        r, c, v = S.row[keep], S.col[keep], S.data[keep]
        if v.size:
            np.maximum.at(nn, r + start, v)
        m = v >= floor
        blocks.append(csr_matrix((v[m], (r[m], c[m])), shape=(min(chunk, n - start), n)))
    G = vstack(blocks).tocsr() if blocks else csr_matrix((n, n))
    return G, nn


def fit_threshold(nn: np.ndarray) -> float:
    """Edge threshold from nearest-neighbour similarities: midpoint of the background mean and Otsu's split."""
    x = nn[np.isfinite(nn) & (nn > 0)]  # cases sharing no word with any other say nothing about the modes
    if x.size < 4:
        return 0.5
    hist, edges = np.histogram(x, bins=100, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    w1 = np.cumsum(hist).astype(float)
    w2 = w1[-1] - w1
    m1 = np.cumsum(hist * centres)
    mt = m1[-1]
    best, split, low_mean = -1.0, 0.5, float(x.mean())
    for i in range(len(hist) - 1):
        if w1[i] == 0 or w2[i] == 0:
            continue
        mu1, mu2 = m1[i] / w1[i], (mt - m1[i]) / w2[i]
        var = w1[i] * w2[i] * (mu1 - mu2) ** 2
        if var > best:
            best, split, low_mean = var, float(edges[i + 1]), float(mu1)
    return (low_mean + split) / 2


def _components(G, threshold: float, idx: np.ndarray, max_size: int, step: float = 0.05) -> list[np.ndarray]:
    from scipy.sparse.csgraph import connected_components

    sub = G[idx][:, idx]
    sub = sub.multiply(sub >= threshold)
    _, lab = connected_components(sub, directed=False)
    out: list[np.ndarray] = []
    for comp in np.unique(lab):
        members = idx[lab == comp]
        if len(members) > max_size and threshold + step < 1.0:
            out.extend(_components(G, threshold + step, members, max_size, step))
        else:
            out.append(members)
    return out


def cluster(
    items: Iterable,
    *,
    threshold: float | None = None,
    min_size: int = 2,
    max_fraction: float = 0.05,
    window_days: float = 7.0,
    now: datetime | None = None,
    n_terms: int = 8,
    n_titles: int = 3,
) -> list[Cluster]:
    """Cluster cases raising the same issue and rank the clusters, hottest first.

    ``items``: :class:`ClusterItem`, dicts or objects with ``id``, ``text`` (or ``body``), optional
    ``title``, ``time`` (datetime or ISO string), ``unit``, ``headcount`` (people in a collective
    petition, default 1), ``words`` (precomputed content words, title words twice, to skip jieba) and
    ``matter`` (items with the same matter - a petition and its repeat petitions - count their people once,
    with the largest headcount among them; default: the item is its own matter).

    ``threshold``: cosine edge threshold; fitted on the batch when None (:func:`fit_threshold`).
    Clusters smaller than ``min_size`` are not returned (every returned cluster has >= 2 members by default).

    Ranking: ``growth = (recent + 1) / (previous + 1)`` where ``recent`` counts the cluster's cases in
    the last ``window_days`` before ``now`` (default: the latest case time) and ``previous`` those in the
    window before; the score is :func:`rank_score`: size first, boosted by acceleration, then a little by the
    spread across units and by the people concerned (``headcount``, bounded: collective visits count, but
    never more than about two-thirds more cases would).
    """
    its = [_as_item(x) for x in items]
    if not its:
        return []
    X, vec = _vectorise(its)
    n = len(its)
    if X is None:
        groups = [np.array([i]) for i in range(n)]
        fitted = threshold if threshold is not None else 1.0
    else:
        floor = 0.1 if threshold is None else min(threshold, 0.1)
        G, nn = _similarity_graph(X, floor)
        fitted = threshold if threshold is not None else fit_threshold(nn)
        max_size = max(10, int(max_fraction * n))
        groups = _components(G, fitted, np.arange(n), max_size)
    times = [it.time for it in its]
    known = [t for t in times if t is not None]
    ref = now.replace(tzinfo=None) if now is not None and now.tzinfo else now
    if ref is None and known:
        ref = max(known)
    window = timedelta(days=window_days)
    inv_vocab = None
    if vec is not None:
        inv_vocab = np.empty(len(vec.vocabulary_), dtype=object)
        for term, j in vec.vocabulary_.items():
            inv_vocab[j] = term
    clusters: list[Cluster] = []
    for members in groups:
        if len(members) < min_size:
            continue
        mem_items = [its[i] for i in members]
        recent = previous = 0
        if ref is not None:
            for it in mem_items:
                if it.time is None:
                    continue
                age = ref - it.time
                if timedelta(0) <= age < window:
                    recent += 1
                elif window <= age < 2 * window:
                    previous += 1
        growth = (recent + 1) / (previous + 1)
        units = len({it.unit for it in mem_items if it.unit})
        headcount = people_count((it.matter, it.headcount) for it in mem_items)
        size = len(members)
        score = rank_score(size=size, recent=recent, previous=previous, units=units, headcount=headcount)
        top_terms: list[str] = []
        if X is not None and inv_vocab is not None:
            texts = [normalize(f"{it.title} {it.text}") for it in mem_items]
            top_terms = _shared_terms(X[members], inv_vocab, n_terms, texts)
        titles = Counter(it.title or it.text[:40] for it in mem_items)
        mt = [t for t in (it.time for it in mem_items) if t is not None]
        clusters.append(
            Cluster(
                id=0,
                members=[it.id for it in mem_items],
                size=size,
                growth=round(growth, 3),
                units=units,
                headcount=headcount,
                score=score,
                top_terms=top_terms,
                sample_titles=[t for t, _ in titles.most_common(n_titles)],
                recent=recent,
                previous=previous,
                first_time=min(mt) if mt else None,
                last_time=max(mt) if mt else None,
            )
        )
    clusters.sort(key=lambda c: (-c.score, -c.size, str(c.members[0])))
    for k, c in enumerate(clusters, 1):
        c.id = k
    cluster.last_threshold = fitted  # type: ignore[attr-defined]  # for reports
    return clusters
