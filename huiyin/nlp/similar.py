"""Same-issue and repeat detection with MinHash LSH over content words.

A case is represented by the set of its content words (:func:`huiyin.nlp.segment.tokens`), each
compound replaced by its dictionary parts (:func:`huiyin.nlp.segment.fine_words`: jieba keeps 取暖补贴
whole in one letter and cuts it 取暖/补贴 in another, and the two letters must still meet). Two cases
are compared by the Jaccard index of these sets (:func:`similarity`), which a MinHash signature of
``BANDS * ROWS`` values estimates. The signature is cut into ``BANDS`` bands of ``ROWS`` values; the
hash of each band is a *key* (:func:`lsh_keys`). Two cases share at least one key with probability
``1 - (1 - J**ROWS)**BANDS``: with 24 bands of 3 rows, about 0.48 at J=0.3, 0.79 at J=0.4, 0.96 at
J=0.5 and 0.995 at J=0.6, while two unrelated cases (J < 0.05) collide with probability < 0.3 %.

Database layout (what the Django side stores)::

    CREATE TABLE nlp_lsh_key (key bigint NOT NULL, case_id bigint NOT NULL);
    CREATE INDEX nlp_lsh_key_key ON nlp_lsh_key (key);          -- lookups
    CREATE INDEX nlp_lsh_key_case ON nlp_lsh_key (case_id);     -- re-indexing a case
    -- lookup: SELECT case_id, count(*) AS hits FROM nlp_lsh_key WHERE key = ANY(%s)
    --         AND case_id <> %s GROUP BY case_id ORDER BY hits DESC LIMIT 200;
    -- then re-rank the candidates with similarity(new_text, candidate_text) and keep score >= min_score.

MinHash LSH finds texts that share a large part of their words. A short complaint ("锚护班加班费算错了，
请补发差额") shares few words with the long letter on the same matter: its Jaccard index stays near 0.1 and
no band matches. So a case is also indexed by its ``RARE_KEYS`` rarest words (:func:`rare_word_keys`: the
words the fewest cases hold, from document frequencies the caller supplies), and two texts that share rare
words are also compared by how much of the shorter one the longer holds, each word weighted by its rarity
(:func:`weighted_containment`).

``LSH_VERSION`` changes whenever keys would change (shingling, permutations, bands); a stored key
set of another version must be rebuilt. Keys are signed 64-bit integers, stable across processes,
machines and Python versions (blake2b word hashes, splitmix64 band mixing; never ``hash()``).

:class:`SimilarIndex` is the same thing in memory (sorted numpy arrays + an append buffer), used for
evaluation, benchmarks and tests.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .segment import fine_words, tokens, word_parts

__all__ = [
    "BANDS",
    "CASES_COUNTED",
    "CONTAINED_MIN_WEIGHT",
    "CONTAINED_MIN_WORDS",
    "CONTAINED_SCORE",
    "Containment",
    "DUPLICATE_SCORE",
    "HISTORY_WORDS",
    "QUANTITY",
    "EXTRA_RARE_KEYS",
    "RARE_KEYS",
    "RELATED_SCORE",
    "contained",
    "contained_share",
    "rare_word_keys",
    "rare_word_lookup_keys",
    "rare_words",
    "rarity",
    "shared_words",
    "weighted_containment",
    "band_keys",
    "signatures",
    "LSH_VERSION",
    "ROWS",
    "Match",
    "Shingles",
    "SimilarIndex",
    "as_shingles",
    "lsh_keys",
    "shingles",
    "signature",
    "similarity",
]

# 2: compounds on their parts; 3: rare-word keys; 4: none for a count; 5: no HISTORY_WORDS; 6: EXTRA_RARE_KEYS more
# rare words, under keys of their own (the first RARE_KEYS keep version 5's keys); 7: the words of a follow-up
# (写过信, 打电话, 进展 …) among the HISTORY_WORDS
LSH_VERSION = 7
# The band keys are those of version 2 (an index of version 2 keeps matching while it is rebuilt).
_BAND_VERSION = 2
BANDS = 24
ROWS = 3
NUM_PERM = BANDS * ROWS
# Design constants (Jaccard of content words), not fitted on any data set: at or above
# DUPLICATE_SCORE a case is presented as a probable repeat of the same letter; at or above
# RELATED_SCORE as possibly the same issue.
DUPLICATE_SCORE = 0.8
RELATED_SCORE = 0.3
# Also design constants: a case is indexed by its RARE_KEYS rarest words; a text of which a candidate holds at
# least CONTAINED_SCORE of the rarity-weighted words, CONTAINED_MIN_WORDS of them at least, is possibly the same
# issue whatever its Jaccard index (`weighted_containment`). A case is also indexed by its EXTRA_RARE_KEYS next
# rarest words, under keys of another kind (`rare_word_keys`), which a lookup ranks apart (`rare_word_lookup_keys`):
# a short note then meets a long letter whose own details are rarer than the words the two share, and the extra
# hits only add candidates, never crowd out those the first RARE_KEYS find (seen at 1,000,000 cases when all 16
# counted alike: matches listed per lookup fell from 0.24 to 0.20). With them the index finds 94 % of the TipDM
# hot-spot pairs that pass the bar (89 % without; contained pairs 64 % against 35 %), and a whole lookup at
# 1,000,000 cases on PostgreSQL takes 29-38 ms at p95 (24-27 ms without; bench/similar_bench.py).
RARE_KEYS = 8
EXTRA_RARE_KEYS = 8
CONTAINED_SCORE = 0.6
CONTAINED_MIN_WORDS = 4
CONTAINED_MIN_WEIGHT = 2.0
_MASK64 = (1 << 64) - 1


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _params(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Multiply-shift hash parameters, derived deterministically (no RNG stream to depend on)."""
    a = np.array([_h64(f"huiyin-minhash-a-{i}".encode()) | 1 for i in range(n)], dtype=np.uint64)
    b = np.array([_h64(f"huiyin-minhash-b-{i}".encode()) for i in range(n)], dtype=np.uint64)
    return a, b


_A, _B = _params(NUM_PERM)


# Words about the petition's own history, not its issue: a follow-up ("上次反映后至今没有结果，再次反映") is full of
# them and the first letter has none, so as rare words they would weigh against the two meeting (found in a
# walk-through: a follow-up held 50 % of the letter on the same matter, 63 % without them). Not stop words of
# `tokens`: the classifier keeps them.
# A follow-up call or note is mostly such words ("上个月我就……写过信，今天再打电话问一下进展……到底什么时候能解决"):
# left in, they are most of its words and keep it below the same petitioner's bar (`triage.selectors`) for the
# letter it follows up (found in the demo: 6 of 18 words shared, every one of them on the issue).
HISTORY_WORDS: frozenset[str] = frozenset(
    {"再次", "上次", "多次", "一再", "反复", "先后", "至今", "此后", "此前"}
    | {"上个月", "上周", "前段时间", "写信", "写过信", "打电话", "来电", "询问", "催问", "催办", "进展", "到底", "时候"}
)


def shingles(text: str | None) -> set[str]:
    """The set of words a case is compared on: its content words, compounds split into parts, without the
    words about the petition's history (`HISTORY_WORDS`)."""
    return fine_words(tokens(text)) - HISTORY_WORDS


class Shingles(frozenset):
    """A word set already brought to the granularity texts are compared on (`shingles`). The functions here
    take it as it is: a caller comparing one text with many makes it once (`as_shingles`) instead of once per
    comparison."""

    __slots__ = ()


def as_shingles(text_or_words: str | Iterable[str] | None) -> Shingles:
    """`shingles` of a text, or a given word set brought to the same granularity, made once for many comparisons."""
    return text_or_words if isinstance(text_or_words, Shingles) else Shingles(_word_set(text_or_words))


def _word_set(text_or_words: str | Iterable[str] | None) -> set[str] | Shingles:
    """`shingles` of a text, or a given word set brought to the same granularity."""
    if isinstance(text_or_words, Shingles):
        return text_or_words
    if text_or_words is None or isinstance(text_or_words, str):
        return shingles(text_or_words)
    return fine_words(text_or_words) - HISTORY_WORDS


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    return _h64(word.encode("utf-8"))


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (wrap-around uint64 arithmetic: identical on every platform)."""
    with np.errstate(over="ignore"):
        z = z + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


_BAND_SEEDS = _mix(np.arange(BANDS, dtype=np.uint64) + np.uint64(_BAND_VERSION << 32))


def signatures(word_sets: Sequence[Iterable[str]]) -> np.ndarray:
    """MinHash signatures of many word sets at once: an ``(n, NUM_PERM)`` uint32 array.

    An empty set gets the all-max signature (it never shares a key, see :func:`band_keys`).
    """
    sets = [set(ws) for ws in word_sets]
    out = np.empty((len(sets), NUM_PERM), dtype=np.uint32)
    chunk = 4096
    for start in range(0, len(sets), chunk):
        part = sets[start : start + chunk]
        lengths = np.fromiter((len(ws) for ws in part), dtype=np.int64, count=len(part))
        hv = np.fromiter((_word_hash(w) for ws in part for w in ws), dtype=np.uint64, count=int(lengths.sum()))
        block = out[start : start + len(part)]
        block[:] = np.iinfo(np.uint32).max
        nonempty = lengths > 0
        if hv.size:
            with np.errstate(over="ignore"):
                # (a*x + b) mod 2**64, top 32 bits: a 2-universal multiply-shift family.
                vals = ((hv[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)).astype(np.uint32)
            offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty]
            block[nonempty] = np.minimum.reduceat(vals, offsets, axis=1).T
    return out


def signature(text_or_words: str | Iterable[str] | None) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of a text or of a set of words."""
    return signatures([_word_set(text_or_words)])[0]


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """Band keys of ``(n, NUM_PERM)`` signatures: an ``(n, BANDS)`` int64 array."""
    sigs = np.atleast_2d(sigs)
    rows = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    h = np.broadcast_to(_BAND_SEEDS, (len(sigs), BANDS)).copy()
    for r in range(ROWS):
        h = _mix(h ^ rows[:, :, r])
    return h.view(np.int64)


def lsh_keys(text_or_words: str | Iterable[str] | None) -> list[int]:
    """``BANDS`` band keys (signed 64-bit ints) to store as ``(key, case_id)`` rows; [] for no words."""
    words = _word_set(text_or_words)
    if not words:
        return []
    return band_keys(signatures([words]))[0].tolist()


def _rank_shared(shared: Iterable[str], limit: int | None) -> list[str]:
    # Longer words first (more specific), then alphabetical for stable output. Where document frequencies are
    # known (the platform's `triage.services.shared_words_ranked`), the rarer word goes first instead.
    return sorted(shared, key=lambda w: (-len(w), w))[:limit]


def similarity(a: str | Iterable[str], b: str | Iterable[str], max_words: int | None = 12) -> tuple[float, list[str]]:
    """Jaccard index of the content-word sets of two texts (or word sets) and the shared words (all of them
    when `max_words` is None)."""
    sa, sb = _word_set(a), _word_set(b)
    if not sa or not sb:
        return 0.0, []
    inter = sa & sb
    return len(inter) / len(sa | sb), _rank_shared(inter, max_words)


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


# A count or an amount ("四十多名", "49名", "3万元", "五次"): two accounts of one matter give different ones,
# and as a rare word it would weigh like a topic the other text lacks.
QUANTITY = re.compile(
    r"[\d０-９.一二三四五六七八九十百千万两几多余]+(?:多|余|来)?(?:名|人|个|位|次|年|月|日|天|元|万元|万|块|户|家|间|套|期)?"
)


def rare_words(words: str | Iterable[str] | None, frequency: Mapping[str, int], k: int = RARE_KEYS) -> list[str]:
    """The `k` words of a text (or word set, compared on parts like `similarity`) that the fewest cases hold,
    by `frequency` (cases per word; a word it lacks counts as in one case), the longer first on ties."""
    topical = [w for w in _word_set(words) if not QUANTITY.fullmatch(w)]  # "五年", "多次" name no issue
    return sorted(topical, key=lambda w: (frequency.get(w, 1), -len(w), w))[:k]


def _rare_key(word: str, kind: bytes = b"rare:") -> int:
    return _signed64(_h64(kind + word.encode("utf-8")))


def rare_word_keys(words: str | Iterable[str] | None, frequency: Mapping[str, int]) -> list[int]:
    """Keys (signed 64-bit ints) of the rarest words, stored beside the band keys: texts that share rare words
    meet in the index even when their sizes differ too much for a band to match. The `RARE_KEYS` rarest words
    first (rarest first), then the `EXTRA_RARE_KEYS` next ones under keys of another kind, so that a lookup can
    rank the cases they find apart (`rare_word_lookup_keys`)."""
    ranked = rare_words(words, frequency, k=RARE_KEYS + EXTRA_RARE_KEYS)
    return [_rare_key(w) for w in ranked[:RARE_KEYS]] + [_rare_key(w, b"rare+:") for w in ranked[RARE_KEYS:]]


def rare_word_lookup_keys(
    words: str | Iterable[str] | None, frequency: Mapping[str, int]
) -> tuple[list[int], list[int]]:
    """The rare-word keys a lookup reads, in two groups: the keys of the `RARE_KEYS` rarest words, which find the
    cases holding one of them among their own `RARE_KEYS` rarest (as version 5 did); and the extra keys, which find
    the cases holding one of the `EXTRA_RARE_KEYS` next among their `RARE_KEYS` rarest, or one of the
    `RARE_KEYS` rarest among their `EXTRA_RARE_KEYS` next. Ranked apart, the extra keys only add candidates.
    (A word among the next of both is left out: it brought one more pair together on the TipDM hot-spot
    messages, for 8 more keys to read.)"""
    ranked = rare_words(words, frequency, k=RARE_KEYS + EXTRA_RARE_KEYS)
    first = [_rare_key(w) for w in ranked[:RARE_KEYS]]
    extra = [_rare_key(w) for w in ranked[RARE_KEYS:]] + [_rare_key(w, b"rare+:") for w in ranked[:RARE_KEYS]]
    return first, extra


# The key under which a frequency table gives the number of cases it was counted over.
CASES_COUNTED = ""


def rarity(frequency: Mapping[str, int], word: str) -> float:
    """How much a word says, from 0 (in every case) to about 1 (in one case of many): its inverse document
    frequency scaled by that of a word in one case. Without the number of cases counted, 1 / log2(1 + df)."""
    df = max(1, frequency.get(word, 1))
    n = frequency.get(CASES_COUNTED, 0)
    if n < 2:
        return 1.0 / math.log2(1 + df)
    return max(0.0, math.log((n + 1) / (df + 1))) / math.log(n + 1)


def weighted_containment(
    a: str | Iterable[str], b: str | Iterable[str], frequency: Mapping[str, int]
) -> tuple[float, int, float]:
    """How much of the shorter of two texts (or word sets) the other holds, each word weighted by its rarity
    (`rarity`); how many words they share; and the shared words' total rarity. A short note naming the team,
    the place and the demand of a long letter scores high; one sharing only words every letter uses, low.
    `frequency` gives cases per word, and under `CASES_COUNTED` the number of cases counted."""
    return Containment(a, frequency).weigh(b)


def contained_share(a: str | Iterable[str], b: str | Iterable[str], frequency: Mapping[str, int]) -> float | None:
    """The share of the shorter text (by rarity) that the other holds, when it is enough to be possibly the same
    issue: at least CONTAINED_SCORE, at least CONTAINED_MIN_WORDS words, and rare words worth CONTAINED_MIN_WEIGHT
    together (about two words no other case holds), so that sharing only common words never counts; else None."""
    return Containment(a, frequency).share(b)


class Containment:
    """`weighted_containment` and `contained_share` of one text against many others: its topical words and
    each word's rarity are worked out once, not once per comparison (the similar-case lookup compares a case
    with up to a hundred candidates)."""

    def __init__(self, a: str | Iterable[str], frequency: Mapping[str, int]) -> None:
        self.words = self.topical(a)
        self.frequency = frequency
        self._rarity: dict[str, float] = {}

    @staticmethod
    def topical(text_or_words: str | Iterable[str]) -> set[str]:
        """The words of a text (or word set) that containment weighs: all but counts and amounts (`QUANTITY`)."""
        return {w for w in _word_set(text_or_words) if not QUANTITY.fullmatch(w)}

    def _weight(self, words: Iterable[str]) -> float:
        cache, frequency = self._rarity, self.frequency
        values = []
        for w in words:
            r = cache.get(w)
            if r is None:
                r = cache[w] = rarity(frequency, w)
            values.append(r)
        # fsum is exactly rounded, so the result does not depend on the sets' (hash-seeded) order: a short text
        # the other holds whole scores exactly 1.0, and a share at a threshold falls the same side on every run.
        return math.fsum(values)

    def weigh(self, b: str | Iterable[str]) -> tuple[float, int, float]:
        """`weighted_containment` of this text and `b`."""
        sa, sb = self.words, self.topical(b)
        short, long = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
        if not short:
            return 0.0, 0, 0.0
        shared = short & long
        total = self._weight(short)
        weight = self._weight(shared)
        return (weight / total if total else 0.0), len(shared), weight

    def share(self, b: str | Iterable[str]) -> float | None:
        """`contained_share` of this text and `b`."""
        score, n, weight = self.weigh(b)
        if n >= CONTAINED_MIN_WORDS and score >= CONTAINED_SCORE and weight >= CONTAINED_MIN_WEIGHT:
            return score
        return None


def contained(a: str | Iterable[str], b: str | Iterable[str], frequency: Mapping[str, int]) -> bool:
    """Whether one text holds enough of the other's rare words to be possibly the same issue (`contained_share`)."""
    return contained_share(a, b, frequency) is not None


def shared_words(a: Iterable[str], b: Iterable[str]) -> set[str]:
    """The words two word sets share, as a person reads them: a compound both hold whole (同工同酬 rather
    than 同工 and 同酬), and the parts they share that no such compound covers (补缴 and 社保 of 补缴社保 in
    one text and 社保 … 补缴 in the other). `similarity` compares the parts."""
    sa, sb = set(a), set(b)
    whole = sa & sb
    covered = {p for w in whole for p in word_parts(w)}
    return (whole | ((fine_words(sa) & fine_words(sb)) - covered)) - HISTORY_WORDS


# A note of at most this many content words is matched by containment (`contained_words`).
SHORT_NOTE_WORDS = 2


def contained_words(a: Iterable[str], b: Iterable[str], max_words: int = SHORT_NOTE_WORDS) -> list[str]:
    """The words of the shorter of two word sets when it holds at most `max_words` words and each of
    them is in the other set, as a word or inside one ("工资" in "拖欠工资"); else []. A short note
    ("工资问题。") shares no whole word with a letter that jieba segmented into longer words."""
    sa, sb = set(a), set(b)
    short, long = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if not short or len(short) > max_words:
        return []
    if all(w in long or any(w in x for x in long) for w in short):
        return _rank_shared(short, max_words)
    return []


@dataclass(frozen=True)
class Match:
    id: object
    score: float
    shared_words: list[str]

    def __iter__(self):  # so that ``for id, score, words in index.query(...)`` works
        return iter((self.id, self.score, self.shared_words))


class SimilarIndex:
    """In-memory LSH index: ``add(id, text)``, ``add_many(items)``, ``query(text, k)``.

    Keys live in a sorted int64 array (binary search per band) plus a dict for recent additions, merged
    every ``merge_every`` additions. Signatures are kept (uint32 matrix) for a vectorised estimate of the
    Jaccard index of all candidates; the best ``rerank`` candidates are then scored exactly on their
    word sets (kept as sorted arrays of word ids). Memory: about 0.5 KB per case plus the vocabulary.
    """

    def __init__(self, merge_every: int = 20_000):
        self.merge_every = merge_every
        self._ids: list[object] = []
        self._sig = np.empty((0, NUM_PERM), dtype=np.uint32)
        self._n = 0
        self._words: list[np.ndarray] = []
        self._vocab: dict[str, int] = {}
        self._vocab_list: list[str] = []
        self._keys = np.empty(0, dtype=np.int64)  # sorted
        self._docs = np.empty(0, dtype=np.int64)
        self._pending_keys: list[np.ndarray] = []
        self._pending_docs: list[np.ndarray] = []
        self._pending = 0

    def __len__(self) -> int:
        return self._n

    def _word_ids(self, words: set[str], grow: bool) -> np.ndarray:
        vocab = self._vocab
        if grow:
            for w in words:
                if w not in vocab:
                    vocab[w] = len(self._vocab_list)
                    self._vocab_list.append(w)
            ids = [vocab[w] for w in words]
        else:
            ids = [vocab[w] for w in words if w in vocab]
        arr = np.array(ids, dtype=np.int32)
        arr.sort()
        return arr

    def add(self, id: object, text: str | None = None, words: Iterable[str] | None = None) -> None:
        """Index one case by its text (or by an already computed word set)."""
        self._add_batch([id], [_word_set(words) if words is not None else shingles(text)])

    def add_many(self, items: Iterable[tuple[object, str | Iterable[str]]], batch: int = 4096) -> None:
        """Index many ``(id, text_or_word_set)`` pairs (vectorised, much faster than ``add``)."""
        ids: list[object] = []
        sets: list[set[str]] = []
        for id_, content in items:
            ids.append(id_)
            sets.append(_word_set(content))
            if len(ids) >= batch:
                self._add_batch(ids, sets)
                ids, sets = [], []
        if ids:
            self._add_batch(ids, sets)
        self._merge()

    def _add_batch(self, ids: list[object], sets: list[set[str]]) -> None:
        sigs = signatures(sets)
        keys = band_keys(sigs)
        first = self._n
        need = first + len(ids)
        if need > len(self._sig):
            grown = np.empty((max(need, 2 * len(self._sig), 1024), NUM_PERM), dtype=np.uint32)
            grown[:first] = self._sig[:first]
            self._sig = grown
        self._sig[first:need] = sigs
        self._n = need
        self._ids.extend(ids)
        self._words.extend(self._word_ids(ws, grow=True) for ws in sets)
        nonempty = np.fromiter((bool(ws) for ws in sets), dtype=bool, count=len(sets))
        docs = np.arange(first, need, dtype=np.int64)[nonempty]
        self._pending_keys.append(keys[nonempty].ravel())
        self._pending_docs.append(np.repeat(docs, BANDS))
        self._pending += len(docs)
        if self._pending >= self.merge_every:
            self._merge()

    def _merge(self) -> None:
        if not self._pending_keys:
            return
        allk = np.concatenate([self._keys, *self._pending_keys])
        alld = np.concatenate([self._docs, *self._pending_docs])
        order = np.argsort(allk, kind="stable")  # timsort: near linear on two sorted runs
        self._keys, self._docs = allk[order], alld[order]
        self._pending_keys, self._pending_docs, self._pending = [], [], 0

    def candidates(self, keys: Sequence[int]) -> np.ndarray:
        """Internal document numbers sharing at least one key."""
        karr = np.asarray(keys, dtype=np.int64)
        lo = np.searchsorted(self._keys, karr, side="left")
        hi = np.searchsorted(self._keys, karr, side="right")
        parts = [self._docs[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        for pk, pd in zip(self._pending_keys, self._pending_docs, strict=True):
            hit = np.isin(pk, karr)
            if hit.any():
                parts.append(pd[hit])
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))

    def query(
        self,
        text: str | None = None,
        k: int = 10,
        min_score: float = 0.0,
        words: Iterable[str] | None = None,
        exclude: object = None,
        rerank: int = 50,
    ) -> list[Match]:
        """The ``k`` most similar indexed cases, best first, as :class:`Match` (id, score, shared_words).

        ``score`` is the exact Jaccard index of the content-word sets (as :func:`similarity`).
        """
        ws = _word_set(words) if words is not None else shingles(text)
        if not ws or not self._n:
            return []
        sig = signatures([ws])
        cand = self.candidates(band_keys(sig)[0].tolist())
        if cand.size == 0:
            return []
        est = (self._sig[cand] == sig).mean(axis=1)
        order = np.argsort(-est, kind="stable")[: max(rerank, k)]
        qids = self._word_ids(ws, grow=False)
        out: list[Match] = []
        for j in order.tolist():
            doc = int(cand[j])
            id_ = self._ids[doc]
            if exclude is not None and id_ == exclude:
                continue
            other = self._words[doc]
            inter = np.intersect1d(qids, other, assume_unique=True)
            union = len(ws) + len(other) - len(inter)
            score = len(inter) / union if union else 0.0
            if score >= min_score:
                out.append(Match(id_, float(score), _rank_shared((self._vocab_list[i] for i in inter.tolist()), 12)))
        out.sort(key=lambda m: -m.score)
        return out[:k]
