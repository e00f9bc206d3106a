"""Category suggestion: a linear text classifier trained on an enterprise's own labelled cases.

Model (chosen by 5-fold cross-validation on the public TipDM 2020 messages, see bench/triage_bench.py):

* features: TF-IDF (sublinear tf) of jieba content words and of character 1-3-grams of the normalised
  text (title and body joined);
* classifiers: a linear SVM (``LinearSVC``) and a ridge classifier, both class-balanced; their decision
  scores are standardised per message and summed;
* a message with both a title and a body is scored three times - whole, title alone, body alone - and
  the scores are averaged. Training data often holds a title or a body only (short notes, phone records),
  so the parts match what the model saw; on whole messages this adds about one point of macro-F1.
  For the same reason every whole training message is also added as its title alone and its body
  alone (``augment=True``); exact duplicate rows are used once;
* confidence: a softmax of the averaged score with a temperature fitted on out-of-fold scores (3-fold),
  so that confidence is roughly the probability of being right.

Storage: :meth:`Model.save` writes ``MAGIC + HMAC-SHA256 + zlib(pickle)``. :meth:`Model.load` refuses a
file outside ``model_dir`` (when given) and, when a ``key`` is given, a file whose HMAC does not match,
*before* unpickling. Unpickling runs code, so models must only ever be loaded from the enterprise's own
model directory, written by this platform (never an uploaded file); pass the deployment's secret as
``key`` to make tampering detectable.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import pickle
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack

from .base import Prediction
from .segment import normalize, tokens
from .similar import HISTORY_WORDS, QUANTITY

__all__ = [
    "MODEL_VERSION",
    "ClassReport",
    "EvalReport",
    "Model",
    "ModelLoadError",
    "evaluate",
    "train",
]

MODEL_VERSION = 1
_MAGIC = b"HUIYIN-TRIAGE\x00"


class ModelLoadError(Exception):
    """The model file is missing, outside the model directory, tampered with or of another version."""


def _identity(doc):
    """Analyzer for pre-tokenised documents (module level so the vectorizer pickles)."""
    return doc


@dataclass
class _Doc:
    title: str
    body: str
    t_tok: list[str]
    b_tok: list[str]

    @classmethod
    def make(cls, title: str | None, body: str | None) -> _Doc:
        t, b = normalize(title), normalize(body)
        return cls(t, b, tokens(t), tokens(b))

    @property
    def both(self) -> bool:
        return bool(self.title) and bool(self.body)

    def views(self) -> list[tuple[list[str], str]]:
        """(words, text) to score: the whole message, then title and body alone when both exist."""
        whole = (self.t_tok + self.b_tok, f"{self.title} 。 {self.body}" if self.both else self.title or self.body)
        if not self.both:
            return [whole]
        return [whole, (self.t_tok, self.title), (self.b_tok, self.body)]


def _standardise(s: np.ndarray) -> np.ndarray:
    return (s - s.mean(axis=1, keepdims=True)) / (s.std(axis=1, keepdims=True) + 1e-9)


@dataclass
class Model:
    """A trained classifier. Use :func:`train` to make one, :meth:`load` to read one.

    ``weights`` stacks the coefficient matrices of all classifiers (features x (classifiers*labels),
    C-contiguous float32) so that one sparse-dense product scores a message; ``explain`` (derived on
    first use) holds, per feature and label, the sum of the classifiers' max-normalised coefficients.
    """

    labels: list[str]
    word_vec: object
    char_vec: object
    weights: np.ndarray
    intercepts: np.ndarray
    temperature: float = 1.0
    version: int = MODEL_VERSION
    info: dict = field(default_factory=dict)

    @property
    def n_classifiers(self) -> int:
        return self.weights.shape[1] // len(self.labels)

    @property
    def explain(self) -> np.ndarray:
        cache = self.__dict__.setdefault("_explain_cache", {})
        if "m" not in cache:
            k = len(self.labels)
            blocks = [self.weights[:, j * k : (j + 1) * k] for j in range(self.n_classifiers)]
            cache["m"] = sum(b / (np.abs(b).max(axis=0, keepdims=True) + 1e-12) for b in blocks).astype(np.float32)
        return cache["m"]

    # -- features -------------------------------------------------------------------------------
    def _cache(self) -> dict:
        cache = self.__dict__.setdefault("_vec_cache", {})
        if not cache:
            cache["char_an"] = self.char_vec.build_analyzer()
            cache["w_vocab"] = self.word_vec.vocabulary_
            cache["c_vocab"] = self.char_vec.vocabulary_
            cache["w_idf"] = self.word_vec.idf_
            cache["c_idf"] = self.char_vec.idf_
        return cache

    def _view_counts(self, doc: _Doc) -> list[tuple[Counter, Counter]]:
        """(word counts, char n-gram counts) of each view of :meth:`_Doc.views`."""
        an = self._cache()["char_an"]
        views = doc.views()
        if len(views) == 1:
            words, text = views[0]
            return [(Counter(words), Counter(an(text)))]
        wt, wb = Counter(doc.t_tok), Counter(doc.b_tok)
        whole_w = wt.copy()
        whole_w.update(wb)
        return [(whole_w, Counter(an(views[0][1]))), (wt, Counter(an(doc.title))), (wb, Counter(an(doc.body)))]

    def _matrix(self, views: Sequence[tuple[list[str], str]]) -> csr_matrix:
        """TF-IDF rows of (words, text) views; see :meth:`_count_matrix`."""
        an = self._cache()["char_an"]
        return self._count_matrix([(Counter(w), Counter(an(t))) for w, t in views])

    def _count_matrix(self, counted: Sequence[tuple[Counter, Counter]]) -> csr_matrix:
        """TF-IDF rows (word block, then char block) from term counts; same values as the vectorizers'
        ``transform`` (sublinear tf, idf, l2 per block) without their per-call validation overhead."""
        cache = self._cache()
        n_word = len(cache["w_vocab"])
        if "idf" not in cache:
            cache["idf"] = np.concatenate([cache["w_idf"], cache["c_idf"]])
        wget, cget = cache["w_vocab"].get, cache["c_vocab"].get
        cols: list[int] = []
        tfs: list[int] = []
        block_len: list[int] = []
        indptr = [0]
        for wc, cc in counted:
            start = len(cols)
            for t, c in wc.items():
                j = wget(t)
                if j is not None:
                    cols.append(j)
                    tfs.append(c)
            mid = len(cols)
            for t, c in cc.items():
                j = cget(t)
                if j is not None:
                    cols.append(j + n_word)
                    tfs.append(c)
            block_len.extend((mid - start, len(cols) - mid))
            indptr.append(len(cols))
        n_feat = n_word + len(cache["c_vocab"])
        if not cols:
            return csr_matrix((len(counted), n_feat), dtype=np.float32)
        col_arr = np.array(cols, dtype=np.int64)
        vals = (1.0 + np.log(np.array(tfs, dtype=np.float64))) * cache["idf"][col_arr]
        block = np.repeat(np.arange(len(block_len)), block_len)
        norms = np.sqrt(np.bincount(block, weights=vals * vals, minlength=len(block_len)))
        vals /= norms[block]
        return csr_matrix((vals.astype(np.float32), col_arr, np.array(indptr)), shape=(len(counted), n_feat))

    def _scores_for_views(self, X) -> np.ndarray:
        raw = np.asarray(X @ self.weights) + self.intercepts
        k = len(self.labels)
        total = np.zeros((X.shape[0], k))
        for j in range(self.n_classifiers):
            total += _standardise(raw[:, j * k : (j + 1) * k])
        return total

    def _doc_scores(self, docs: Sequence[_Doc], return_matrix: bool = False):
        counted, owner = [], []
        for i, d in enumerate(docs):
            for v in self._view_counts(d):
                counted.append(v)
                owner.append(i)
        X = self._count_matrix(counted)
        s = self._scores_for_views(X)
        out = np.zeros((len(docs), len(self.labels)))
        own = np.array(owner, dtype=np.intp)
        np.add.at(out, own, s)
        out /= np.bincount(own, minlength=len(docs))[:, None]  # mean over views: one confidence scale
        return (out, X) if return_matrix else out

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        z = scores / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    # -- prediction -----------------------------------------------------------------------------
    def predict(
        self, title: str | None, body: str | None = "", n_reasons: int = 8, n_alternatives: int = 3
    ) -> Prediction:
        """Suggest a category for one case (title and/or body)."""
        doc = _Doc.make(title, body)
        if not doc.title and not doc.body:
            return Prediction(self.labels[0], 0.0, [], [], source="model")
        scores, X = self._doc_scores([doc], return_matrix=True)
        proba = self._proba(scores)[0]
        order = np.argsort(-proba)
        best = int(order[0])
        reasons = self._reasons(X[0], best, n_reasons)
        alts = [(self.labels[int(j)], float(proba[int(j)])) for j in order[1 : 1 + n_alternatives]]
        return Prediction(self.labels[best], float(proba[best]), reasons, alts, source="model")

    def predict_many(self, pairs: Iterable[tuple[str | None, str | None]], batch: int = 512) -> list[str]:
        """Labels for many (title, body) pairs (batched: faster than calling :meth:`predict`)."""
        out: list[str] = []
        docs: list[_Doc] = []

        def flush():
            if docs:
                s = self._doc_scores(docs)
                out.extend(self.labels[int(j)] for j in s.argmax(axis=1))
                docs.clear()

        for title, body in pairs:
            docs.append(_Doc.make(title, body))
            if len(docs) >= batch:
                flush()
        flush()
        return out

    def _reasons(self, x: csr_matrix, label_idx: int, n: int) -> list[tuple[str, float]]:
        """Terms of the message that push hardest towards the label (tf-idf value x class weight)."""
        n_word = len(self.word_vec.vocabulary_)
        cols = x.indices
        vals = x.data * self.explain[cols, label_idx]
        names_w = self._inv(self.word_vec)
        names_c = self._inv(self.char_vec)
        scored: dict[str, float] = {}
        for col, v in zip(cols.tolist(), vals.tolist(), strict=True):
            if v <= 0:
                continue
            term = (names_w[col] if col < n_word else names_c[col - n_word]).strip()
            if col >= n_word and term not in self.word_vec.vocabulary_:
                # A character n-gram is shown only when it is a word (of the training texts' words): "会保险",
                # "望公" (of 希望公司) or "费未" read as noise to the person who confirms the suggestion, and a single
                # character explains little. The score still counts them; only the reasons leave them out.
                continue
            if term in HISTORY_WORDS or QUANTITY.fullmatch(term):
                continue  # 写过信, 至今, 三个: how the matter went on or a count, not what it is about
            scored[term] = scored.get(term, 0.0) + v
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        out: list[tuple[str, float]] = []
        for term, w in ranked:
            if any(term in t for t, _ in out):  # a char n-gram inside an already listed word
                continue
            out.append((term, round(float(w), 4)))
            if len(out) >= n:
                break
        return out

    def _inv(self, vec) -> list[str]:
        cache = self.__dict__.setdefault("_inv_cache", {})
        inv = cache.get(id(vec))
        if inv is None:
            inv = [""] * len(vec.vocabulary_)
            for term, i in vec.vocabulary_.items():
                inv[i] = term
            cache[id(vec)] = inv
        return inv

    def __getstate__(self):  # caches are rebuilt on first use
        state = dict(self.__dict__)
        state.pop("_inv_cache", None)
        state.pop("_vec_cache", None)
        state.pop("_explain_cache", None)
        return state

    # -- storage --------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike, key: bytes | str | None = None) -> None:
        """Write the model atomically; sign it with HMAC-SHA256 when ``key`` is given."""
        payload = zlib.compress(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL), 6)
        mac = hmac.new(_key_bytes(key), payload, hashlib.sha256).digest() if key else b"\x00" * 32
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(_MAGIC + mac + payload)
        os.replace(tmp, path)

    @classmethod
    def load(
        cls, path: str | os.PathLike, model_dir: str | os.PathLike | None = None, key: bytes | str | None = None
    ) -> Model:
        """Read a model written by :meth:`save`.

        ``model_dir``: the enterprise's own model directory; a path resolving outside it is refused.
        ``key``: the key given to :meth:`save`; the HMAC is checked before anything is unpickled.
        """
        p = Path(path).resolve()
        if model_dir is not None:
            root = Path(model_dir).resolve()
            if root != p and root not in p.parents:
                raise ModelLoadError(f"refusing to load a model outside {root}: {p}")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ModelLoadError(f"cannot read model file {p}: {exc}") from exc
        if not data.startswith(_MAGIC):
            raise ModelLoadError(f"{p} is not a Huiyin triage model")
        mac, payload = data[len(_MAGIC) : len(_MAGIC) + 32], data[len(_MAGIC) + 32 :]
        if key:
            expected = hmac.new(_key_bytes(key), payload, hashlib.sha256).digest()
            if not hmac.compare_digest(mac, expected):
                raise ModelLoadError(f"{p}: signature mismatch (tampered, or written with another key)")
        try:
            # Safe by construction: the file comes from the platform's own model directory and, when a key
            # is configured, carries a valid HMAC of its bytes (checked above).
            model = pickle.loads(zlib.decompress(payload))  # noqa: S301
        except Exception as exc:
            raise ModelLoadError(f"{p}: cannot read model ({exc})") from exc
        if not isinstance(model, cls):
            raise ModelLoadError(f"{p}: not a triage model")
        if model.version != MODEL_VERSION:
            raise ModelLoadError(f"{p}: model version {model.version}, this code reads {MODEL_VERSION}; retrain")
        return model


def _key_bytes(key: bytes | str) -> bytes:
    return key.encode("utf-8") if isinstance(key, str) else key


# -- training ------------------------------------------------------------------------------------


def _make_vectorizers(min_df: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    char = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df, dtype=np.float32)
    return word, char


def _make_classifiers(C: float, alpha: float):
    from sklearn.linear_model import RidgeClassifier
    from sklearn.svm import LinearSVC

    return [
        LinearSVC(C=C, class_weight="balanced"),
        RidgeClassifier(alpha=alpha, class_weight="balanced", solver="sparse_cg"),
    ]


def _fit(docs: Sequence[_Doc], y: np.ndarray, C: float, alpha: float, min_df: int) -> Model:
    word_vec, char_vec = _make_vectorizers(min_df)
    views = [d.views()[0] for d in docs]
    Xw = word_vec.fit_transform([v[0] for v in views])
    Xc = char_vec.fit_transform([v[1] for v in views])
    X = hstack([Xw, Xc], format="csr")
    clfs = _make_classifiers(C, alpha)
    for clf in clfs:
        clf.fit(X, y)
    labels = [str(c) for c in clfs[0].classes_]
    coefs, inter = [], []
    for clf in clfs:
        coef = np.atleast_2d(np.asarray(clf.coef_, dtype=np.float64))  # a binary ridge gives one flat row
        b = np.atleast_1d(np.asarray(clf.intercept_, dtype=np.float64))
        if coef.shape[0] == 1:  # binary: one row for the positive class
            coef, b = np.vstack([-coef, coef]) / 2, np.concatenate([-b, b]) / 2
        coefs.append(coef)
        inter.append(b)
    weights = np.ascontiguousarray(np.hstack([c.T for c in coefs]), dtype=np.float32)
    return Model(
        labels=labels,
        word_vec=word_vec,
        char_vec=char_vec,
        weights=weights,
        intercepts=np.concatenate(inter).astype(np.float32),
    )


def _fit_temperature(scores: np.ndarray, y_idx: np.ndarray) -> float:
    """Softmax temperature minimising the log loss of out-of-fold scores (golden-section search)."""

    def nll(t: float) -> float:
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y_idx)), y_idx].mean())

    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(math.exp(a)), nll(math.exp(b))
    for _ in range(40):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(math.exp(b))
    return float(math.exp((lo + hi) / 2))


def _augment(docs: list[_Doc], y: list[str]) -> tuple[list[_Doc], list[str]]:
    """Add the title alone and the body alone of every full message, as the model scores them so."""
    out_d, out_y = list(docs), list(y)
    for d, label in zip(docs, y, strict=True):
        if d.both:
            out_d.append(_Doc(d.title, "", d.t_tok, []))
            out_d.append(_Doc("", d.body, [], d.b_tok))
            out_y.extend([label, label])
    return out_d, out_y


def train(
    texts_titles: Iterable[tuple[str | None, str | None]],
    labels: Iterable[str],
    *,
    C: float = 1.0,
    alpha: float = 1.0,
    min_df: int = 2,
    calibrate: bool = True,
    augment: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Train a :class:`Model` on ``(title, body)`` pairs and their labels.

    Exact duplicates (same normalised title, body and label) are used once. ``calibrate`` fits the
    confidence temperature on 3-fold out-of-fold scores (about 3x the training time).
    ``info`` of the returned model records counts, timings and the label distribution.
    """
    t0 = time.perf_counter()
    say = progress or (lambda _msg: None)
    pairs = list(texts_titles)
    ys = [str(y) for y in labels]
    if len(pairs) != len(ys):
        raise ValueError(f"{len(pairs)} texts but {len(ys)} labels")
    seen: set[tuple[str, str, str]] = set()
    docs: list[_Doc] = []
    y: list[str] = []
    dropped_dup = dropped_empty = 0
    for (title, body), label in zip(pairs, ys, strict=True):
        t, b = normalize(title), normalize(body)
        if not t and not b:
            dropped_empty += 1
            continue
        k = (t, b, label)
        if k in seen:
            dropped_dup += 1
            continue
        seen.add(k)
        docs.append(_Doc(t, b, tokens(t), tokens(b)))
        y.append(label)
    counts = Counter(y)
    if len(counts) < 2:
        raise ValueError("training needs at least two categories")
    say(f"{len(docs)} training rows ({dropped_dup} duplicates, {dropped_empty} empty dropped)")
    temperature = 1.0
    if calibrate and min(counts.values()) >= 3:
        from sklearn.model_selection import StratifiedKFold

        yarr = np.array(y)
        oof = np.zeros((len(docs), len(counts)))
        label_order = sorted(counts)
        for k, (a, b) in enumerate(StratifiedKFold(3, shuffle=True, random_state=0).split(docs, yarr)):
            tr_d, tr_y = [docs[i] for i in a], [y[i] for i in a]
            if augment:
                tr_d, tr_y = _augment(tr_d, tr_y)
            m = _fit(tr_d, np.array(tr_y), C, alpha, min_df)
            oof[b] = m._doc_scores([docs[i] for i in b])[:, [m.labels.index(lab) for lab in label_order]]
            say(f"calibration fold {k + 1}/3 done")
        temperature = _fit_temperature(oof, np.array([label_order.index(lab) for lab in y]))
    fd, fy = _augment(docs, y) if augment else (docs, y)
    model = _fit(fd, np.array(fy), C, alpha, min_df)
    model.temperature = temperature
    model.info = {
        "n_train": len(docs),
        "duplicates_dropped": dropped_dup,
        "empty_dropped": dropped_empty,
        "title_only": sum(1 for d in docs if d.title and not d.body),
        "body_only": sum(1 for d in docs if d.body and not d.title),
        "label_counts": dict(counts),
        "params": {"C": C, "alpha": alpha, "min_df": min_df, "augment": augment},
        "temperature": temperature,
        "train_seconds": round(time.perf_counter() - t0, 2),
        "trained_at": time.time(),
    }
    say(f"trained in {model.info['train_seconds']} s")
    return model


# -- evaluation ----------------------------------------------------------------------------------


@dataclass
class ClassReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvalReport:
    per_class: list[ClassReport]
    macro_f1: float
    accuracy: float
    ms_per_message: float
    n: int
    confusion: dict[str, dict[str, int]]
    cpu_ms_per_message: float = 0.0  # CPU time of this process (less sensitive to other load)

    def as_text(self) -> str:
        width = max([len(c.label) for c in self.per_class] + [8])
        lines = [f"{'category':<{width}}  precision  recall  f1      support"]
        for c in self.per_class:
            lines.append(f"{c.label:<{width}}  {c.precision:9.4f}  {c.recall:6.4f}  {c.f1:6.4f}  {c.support:7d}")
        lines.append(f"accuracy={self.accuracy:.4f} n={self.n}")
        lines.append(f"macro_f1={self.macro_f1:.4f}")
        lines.append(f"ms_per_message={self.ms_per_message:.2f}")
        return "\n".join(lines)


def _row_fields(row) -> tuple[str, str, str]:
    if isinstance(row, dict):
        return row.get("title") or "", row.get("body") or "", str(row.get("category") or row.get("label") or "")
    title, body, label = row
    return title or "", body or "", str(label)


def evaluate(model: Model, rows: Iterable, latency_sample: int = 300) -> EvalReport:
    """Per-class precision/recall/F1, macro-F1 and accuracy of ``model`` on labelled rows.

    ``rows``: ``(title, body, label)`` tuples or dicts with ``title``, ``body``, ``category``.
    ``ms_per_message`` is the mean wall time of a single :meth:`Model.predict` call (one message at a
    time, reasons included) over up to ``latency_sample`` rows; ``cpu_ms_per_message`` the CPU time.
    """
    data = [_row_fields(r) for r in rows]
    if not data:
        raise ValueError("no rows to evaluate")
    y_true = [d[2] for d in data]
    y_pred = model.predict_many((d[0], d[1]) for d in data)
    sample = data[:: max(1, len(data) // latency_sample)][:latency_sample]
    model.predict(sample[0][0], sample[0][1])  # warm-up (jieba dictionary, caches)
    t0, c0 = time.perf_counter(), time.process_time()
    for title, body, _ in sample:
        model.predict(title, body)
    ms = (time.perf_counter() - t0) * 1000 / len(sample)
    cpu_ms = (time.process_time() - c0) * 1000 / len(sample)
    labels = sorted(set(y_true) | set(y_pred))
    conf = {a: dict.fromkeys(labels, 0) for a in labels}
    for a, b in zip(y_true, y_pred, strict=True):
        conf[a][b] += 1
    per = []
    for lab in labels:
        tp = conf[lab][lab]
        pred = sum(conf[a][lab] for a in labels)
        sup = sum(conf[lab].values())
        p = tp / pred if pred else 0.0
        r = tp / sup if sup else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per.append(ClassReport(lab, p, r, f, sup))
    present = [c for c in per if c.support > 0]
    macro = sum(c.f1 for c in present) / len(present)
    acc = sum(conf[lab][lab] for lab in labels) / len(data)
    return EvalReport(per, macro, acc, ms, len(data), conf, cpu_ms)
