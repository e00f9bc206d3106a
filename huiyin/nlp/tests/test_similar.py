import random

from huiyin.nlp.similar import BANDS, SimilarIndex, lsh_keys, signature, similarity
from huiyin.nlp.tests.synth import FILLER, TOPICS


def _texts(n, seed=0):
    rng = random.Random(seed)
    vocab = [w for ws in TOPICS.values() for w in ws] + FILLER
    extra = [chr(0x4E00 + i) + chr(0x4E80 + i) for i in range(400)]
    return ["".join(rng.sample(vocab, 6) + rng.sample(extra, 8)) for _ in range(n)]


def test_lsh_keys_are_stable_signed_64_bit():
    keys = lsh_keys("食堂饭菜价格太贵，职工意见很大")
    assert len(keys) == BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert keys == lsh_keys("食堂饭菜价格太贵，职工意见很大")
    assert lsh_keys("，。！") == []
    assert signature("食堂饭菜").shape == signature(["食堂", "饭菜"]).shape


def test_similarity_scores_and_shared_words():
    score, shared = similarity("食堂饭菜价格太贵", "食堂饭菜价格又涨了")
    assert 0.3 < score < 1 and "食堂" in shared and "饭菜" in shared
    assert similarity("食堂饭菜", "食堂饭菜")[0] == 1.0
    assert similarity("", "食堂")[0] == 0.0


def test_index_finds_planted_duplicate_not_unrelated():
    texts = _texts(300)
    idx = SimilarIndex()
    idx.add_many((i, t) for i, t in enumerate(texts))
    planted = "二车间夜班补贴连续三个月没有发放，职工多次找车间主任无果，请求公司尽快补发夜班补贴"
    idx.add("dup-source", planted)
    repost = planted + "谢谢"
    hits = idx.query(repost, k=5)
    assert hits and hits[0].id == "dup-source" and hits[0].score >= 0.8
    assert "夜班补贴" in hits[0].shared_words or "补贴" in hits[0].shared_words
    unrelated = idx.query("锅炉房安全阀年久失修存在爆炸隐患", k=5, min_score=0.3)
    assert all(m.id != "dup-source" for m in unrelated)
    ids = [m.id for m in idx.query(texts[7], k=3)]
    assert ids[0] == 7
    assert idx.query(texts[7], k=3, exclude=7)[0].id != 7 if idx.query(texts[7], k=3, exclude=7) else True
    assert len(idx) == 301


def test_index_incremental_adds_are_searchable_before_merge():
    idx = SimilarIndex(merge_every=1000)
    idx.add(1, "职工食堂饭菜价格太贵质量太差")
    idx.add(2, "锅炉房安全阀年久失修")
    hit = idx.query("职工食堂饭菜价格太贵质量太差", k=1)
    assert hit[0].id == 1 and hit[0].score == 1.0
    case_id, score, shared = hit[0]
    assert case_id == 1 and shared


def test_a_compound_meets_its_parts():
    from huiyin.nlp.segment import fine_words, tokens, word_parts

    whole, split = "二车间没有补缴社保，请尽快处理", "二车间社保没有补缴，请尽快处理"
    assert "补缴社保" in tokens(whole) and "补缴社保" not in tokens(split)
    score, shared = similarity(whole, split)
    assert score == 1.0 and {"补缴", "社保"} <= set(shared)
    assert word_parts("补缴社保") == ("补缴", "社保") and word_parts("拖欠") == ("拖欠",)
    assert fine_words({"补缴社保", "车间"}) == {"补缴", "社保", "车间"}
    # The index agrees with the pairwise score, whether given texts or (stored) word sets.
    index = SimilarIndex()
    index.add("whole", words=tokens(whole))
    assert [m.id for m in index.query(split, min_score=0.9)] == ["whole"]
    assert lsh_keys(whole) == lsh_keys(set(tokens(split)))


def test_the_first_rare_word_keys_stay_those_of_version_5_and_the_extra_ones_meet_the_others():
    """A case is stored under the keys of its RARE_KEYS rarest words as in version 5 (an index of version 5 keeps
    matching while it is rebuilt), then under keys of another kind for its EXTRA_RARE_KEYS next ones; a lookup
    reads its first keys apart from its extra keys, and the two together meet every case that shares a word with it
    among the RARE_KEYS rarest of one and the RARE_KEYS + EXTRA_RARE_KEYS rarest of the other."""
    import hashlib

    from huiyin.nlp.similar import EXTRA_RARE_KEYS, RARE_KEYS, rare_word_keys, rare_word_lookup_keys, rare_words

    def version_5(word):
        value = int.from_bytes(hashlib.blake2b(b"rare:" + word.encode(), digest_size=8).digest(), "little")
        return value - (1 << 64) if value >= 1 << 63 else value

    rng = random.Random(3)
    vocab = [chr(0x4E00 + i) + chr(0x5E00 + i) for i in range(60)]
    frequency = {w: rng.randint(1, 50) for w in vocab}
    sets = [set(rng.sample(vocab, rng.randint(3, 30))) for _ in range(150)]
    depth = RARE_KEYS + EXTRA_RARE_KEYS
    for ws in sets:
        stored = rare_word_keys(ws, frequency)
        first, extra = rare_word_lookup_keys(ws, frequency)
        assert stored[:RARE_KEYS] == first == [version_5(w) for w in rare_words(ws, frequency, k=RARE_KEYS)]
        assert len(stored) == min(len(ws), depth) and not set(first) & set(extra)
    for a in sets:
        first, extra = rare_word_lookup_keys(a, frequency)
        for b in sets:
            stored = set(rare_word_keys(b, frequency))
            top_a, top_b = rare_words(a, frequency, k=RARE_KEYS), rare_words(b, frequency, k=RARE_KEYS)
            # The first keys find exactly what version 5 found; the extra keys what the deeper ranks add.
            assert bool(set(first) & stored) == bool(set(top_a) & set(top_b))
            deep_a, deep_b = rare_words(a, frequency, k=depth), rare_words(b, frequency, k=depth)
            deeper = (set(top_a) & set(deep_b)) | (set(deep_a) & set(top_b))
            assert bool(set(first + extra) & stored) == bool(deeper)
