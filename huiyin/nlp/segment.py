"""Chinese text normalisation and segmentation (jieba), for features and full-text indexes.

* :func:`normalize` - NFKC (full-width letters, digits and punctuation become half-width),
  lower case, collapsed whitespace.
* :func:`tokens` - content words for classification / similarity: jieba words with stop words,
  punctuation and single characters dropped.
* :func:`index_terms` - a space-joined string of terms to put into a full-text index (SQLite FTS5
  with the default ``unicode61`` tokenizer, or PostgreSQL ``to_tsvector('simple', ...)``).
* :func:`query_parts` / :func:`query_terms` / :func:`fts_query` - the matching side for a user's
  search box.

Index design (recall first). jieba's own segmentation of a stored message and of a user's query
can differ ("拖欠薪水" is cut 拖欠/薪水, so a search for 欠薪 would miss it), so exact word matching
alone loses documents. The index therefore stores, for every run of CJK characters, the ordered
sequence of overlapping character bigrams (a run of one character is stored as itself), followed by
jieba search-mode words of three or more characters and ASCII words / numbers. A query word of two or
more CJK characters becomes the phrase of its bigrams, which matches exactly the documents that
contain it as a substring; so every two-character word is findable whatever the segmentation.
Single-character queries are not indexed as such (too many postings for little precision): use a
prefix query on bigrams (``房*``) or a substring scan for them. Size: about one 2-character term per
CJK character of text, i.e. the indexed string is roughly 2.5x the original text.

A decimal ("3.5") is one term on both sides, its point spelled ``dot`` ("3dot5"): SQLite's
``unicode61`` tokenizer would cut "3.5" in two while PostgreSQL's parser keeps it whole, and a term of
letters and digits is one term to both. (Changing the index terms means `manage.py search_reindex
--stale`, see huiyin.search.backends.INDEX_VERSION.)

Several words typed without spaces ("食堂涨价") are searched as words, not as one phrase: a document
must contain each of them (食堂 and 涨价, so "食堂饭菜涨价" is found), and the whole run as typed is
kept as a ranking phrase, so a document containing it exactly ranks above one that only has the words.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "ENTERPRISE_WORDS",
    "fine_words",
    "function_word",
    "in_dictionary",
    "word_parts",
    "STOP_WORDS",
    "QueryPart",
    "fts_query",
    "index_terms",
    "is_cjk",
    "normalize",
    "query_parts",
    "query_terms",
    "search_words",
    "tokens",
    "words",
]

# Enterprise and petition vocabulary that jieba's general dictionary lacks or cuts apart. Written from
# domain knowledge of labour relations and SOE petition work. Each is added with a frequency high
# enough that jieba keeps it whole.


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


ENTERPRISE_WORDS: tuple[str, ...] = _split(
    "欠薪 讨薪 拖欠工资 克扣工资 工资拖欠 绩效工资 绩效考核 岗位工资 薪级工资 加班费 "
    "加班工资 年终奖 奖金 津贴 补贴 高温补贴 夜班补贴 最低工资 同工同酬 工资条 "
    "工资总额 薪酬 薪酬改革 薪酬体系 工资标准 调资 工龄工资 社保 社保费 五险一金 "
    "养老保险 医疗保险 失业保险 工伤保险 生育保险 补缴社保 断缴 社保缴费 缴费基数 "
    "社保卡 企业年金 职业年金 住房公积金 公积金 公积金贷款 补充医疗保险 大病保险 医保 "
    "异地就医 改制 企业改制 国企改制 重组 兼并重组 破产 破产清算 关停 转制 经济补偿 "
    "经济补偿金 补偿金 买断 买断工龄 内退 内部退养 分流安置 人员分流 下岗 下岗职工 "
    "裁员 待岗 轮岗 停薪留职 安置费 身份置换 职工安置 安置方案 厂办大集体 大集体 "
    "主辅分离 辅业改制 三供一业 混改 混合所有制 房改房 集资房 福利房 职工宿舍 公租房 "
    "廉租房 棚改 棚户区改造 住房补贴 产权证 不动产证 房产证 物业费 维修基金 工伤 "
    "工伤认定 工伤鉴定 劳动能力鉴定 伤残等级 伤残鉴定 职业病 尘肺病 尘肺 职业病鉴定 "
    "职业健康 职业健康体检 工亡 因工死亡 一次性伤残补助金 违纪 违规 违法违纪 贪污 "
    "受贿 行贿 挪用公款 侵占 公款吃喝 公车私用 吃空饷 以权谋私 利益输送 围标 串标 "
    "暗箱操作 任人唯亲 小金库 纪委 纪检 纪检监察 巡视组 巡察 举报 检举 实名举报 "
    "八项规定 四风 劳动合同 劳务派遣 派遣工 劳务工 合同工 临时工 农民工 编制 转正 "
    "试用期 无固定期限 无固定期限劳动合同 解除劳动合同 终止劳动合同 劳动仲裁 仲裁 "
    "劳动争议 劳动监察 竞业限制 违约金 双倍工资 辞退 开除 除名 休假 年休假 "
    "带薪年休假 病假 产假 调岗 考勤 安全生产 安全隐患 事故隐患 安全事故 违章指挥 "
    "违章作业 劳保用品 劳动防护用品 特种作业 安全培训 消防通道 瓦斯 安全检查 食堂 "
    "职工食堂 饭菜 餐补 伙食费 伙食补贴 班车 通勤车 职工福利 福利费 工会 工会经费 "
    "疗休养 职工体检 劳保 防暑降温 合理化建议 经营管理 管理制度 降本增效 采购 招投标 "
    "成本控制 考核办法 厂务公开 职代会 职工代表大会 退休 离休 离退休 退休金 养老金 "
    "退休工资 退休待遇 提前退休 病退 退休人员 离休干部 老干部 丧葬费 抚恤金 遗属补助 "
    "视同缴费年限 工龄 工龄认定 档案 人事档案 信访 上访 信访事项 复查 复核 答复意见 "
    "处理意见 集体访 越级上访 诉求 维权"
)

# Function words, pronouns, fillers and petition boilerplate that carry no topic. Written by hand.
STOP_WORDS: frozenset[str] = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "而",
        "就",
        "都",
        "也",
        "还",
        "又",
        "很",
        "太",
        "更",
        "最",
        "把",
        "被",
        "让",
        "给",
        "对",
        "向",
        "从",
        "到",
        "于",
        "以",
        "为",
        "由",
        "但",
        "却",
        "则",
        "并",
        "且",
        "即",
        "若",
        "如",
        "因",
        "所",
        "之",
        "其",
        "此",
        "这",
        "那",
        "哪",
        "谁",
        "啥",
        "么",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "嘛",
        "着",
        "过",
        "地",
        "得",
        "个",
        "些",
        "我",
        "你",
        "他",
        "她",
        "它",
        "您",
        "咱",
        "我们",
        "你们",
        "他们",
        "她们",
        "它们",
        "咱们",
        "大家",
        "自己",
        "本人",
        "人家",
        "别人",
        "这个",
        "那个",
        "这些",
        "那些",
        "这样",
        "那样",
        "这里",
        "那里",
        "这种",
        "那种",
        "这么",
        "那么",
        "怎么",
        "怎样",
        "怎么样",
        "什么",
        "为什么",
        "如何",
        "哪里",
        "哪个",
        "多少",
        "几个",
        "一个",
        "一些",
        "一下",
        "一直",
        "一样",
        "一种",
        "一起",
        "一定",
        "一般",
        "已经",
        "曾经",
        "正在",
        "将要",
        "可以",
        "可能",
        "能够",
        "应该",
        "应当",
        "需要",
        "必须",
        "不能",
        "不会",
        "不是",
        "没有",
        "没",
        "不",
        "无",
        "有",
        "会",
        "能",
        "要",
        "想",
        "去",
        "来",
        "上",
        "下",
        "中",
        "内",
        "外",
        "前",
        "后",
        "里",
        "等",
        "等等",
        "各",
        "每",
        "该",
        "某",
        "另",
        "另外",
        "其他",
        "其它",
        "其中",
        "以及",
        "以后",
        "以前",
        "之后",
        "之前",
        "之间",
        "因为",
        "所以",
        "但是",
        "而且",
        "并且",
        "如果",
        "虽然",
        "然后",
        "然而",
        "因此",
        "于是",
        "或者",
        "还是",
        "就是",
        "只是",
        "只有",
        "不仅",
        "甚至",
        "关于",
        "对于",
        "根据",
        "按照",
        "通过",
        "由于",
        "为了",
        "除了",
        "直到",
        "目前",
        "现在",
        "当时",
        "今天",
        "今年",
        "去年",
        "明年",
        "近日",
        "日前",
        "非常",
        "特别",
        "十分",
        "比较",
        "相当",
        "真的",
        "确实",
        "实在",
        "总是",
        "经常",
        "常常",
        "往往",
        "仍然",
        "依然",
        "还有",
        "再",
        "才",
        "刚",
        "只",
        "仅",
        "请",
        "请问",
        "希望",
        "谢谢",
        "感谢",
        "您好",
        "你好",
        "尊敬",
        "领导",
        "尊敬的",
        "各位",
        "问题",
        "情况",
        "事情",
        "有关",
        "相关",
        "反映",
        "一事",
        "进行",
        "表示",
        "认为",
        "觉得",
        "知道",
        "发现",
        "出现",
        "存在",
        "造成",
        "导致",
        "使得",
        "作为",
        "成为",
        "得到",
        "受到",
        "给予",
        "予以",
    ]
)

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
# A query piece: a CJK run or an ASCII word (a decimal included), as the index cuts them.
_QUERY_PIECE = re.compile(f"[{_CJK_CLASS}]+|{_ASCII_WORD.pattern}")
# How a decimal point is spelled inside an index term ("3.5" -> "3dot5"; see the module docstring).
DECIMAL_POINT = "dot"
_WORDISH = re.compile(f"[{_CJK_CLASS}a-z0-9]")
_WS = re.compile(r"\s+")

_lock = threading.Lock()
_tokenizer = None  # jieba.Tokenizer, created on first use


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic, extension A/B+, compatibility)."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def normalize(text: str | None) -> str:
    """NFKC (full-width to half-width), lower case, whitespace runs collapsed to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return _WS.sub(" ", text).strip()


def _get_tokenizer():
    """The shared jieba tokenizer with the enterprise dictionary, initialised once (thread-safe)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            for word in ENTERPRISE_WORDS:
                # A frequency high enough that the user word wins over its pieces.
                tok.add_word(word, freq=max(tok.suggest_freq(word, tune=False), 2000))
            _tokenizer = tok
    return _tokenizer


def add_words(new_words: Iterable[str]) -> None:
    """Add an enterprise's own vocabulary (e.g. unit names) to the shared tokenizer."""
    tok = _get_tokenizer()
    with _lock:
        for word in new_words:
            word = normalize(word)
            if word:
                tok.add_word(word, freq=max(tok.suggest_freq(word, tune=False), 2000))


def in_dictionary(word: str) -> bool:
    """True for a word jieba's dictionary or the enterprise vocabulary holds; False for a word its HMM guessed from
    characters it did not know (元涨 in 11元涨到16元, 年入 in 2014年入职: two characters glued across a word
    boundary), and for a prefix jieba keeps only to build its word graph."""
    return _get_tokenizer().FREQ.get(word, 0) > 0


# Parts of speech of jieba's dictionary that name no topic: numerals and measure words (两个, 一半), pronouns,
# adverbs (至今, 到底), locatives (以来, 外面), conjunctions, prepositions, particles, interjections, onomatopoeia.
_FUNCTION_TAGS = frozenset(["m", "mq", "q", "r", "c", "p", "u", "d", "ad", "f", "y", "e", "o"])


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """The words jieba's dictionary tags with a part of speech of `_FUNCTION_TAGS` (read once from its file)."""
    found = set()
    with _get_tokenizer().get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and parts[2] in _FUNCTION_TAGS:
                found.add(parts[0])
    return frozenset(found) - frozenset(ENTERPRISE_WORDS)


def function_word(word: str) -> bool:
    """True for a word that names no topic: a stop word, or one jieba's dictionary tags as a numeral, measure word,
    pronoun, adverb, locative, conjunction, preposition, particle or interjection."""
    return word in STOP_WORDS or word in _function_words()


def _is_word(w: str) -> bool:
    return bool(_WORDISH.search(w))


def words(text: str | None) -> list[str]:
    """All jieba words of the normalised text (accurate mode, HMM on), punctuation/space removed."""
    text = normalize(text)
    if not text:
        return []
    tok = _get_tokenizer()
    return [w for w in tok.lcut(text, HMM=True) if w.strip() and _is_word(w)]


def search_words(text: str | None) -> list[str]:
    """jieba search-mode words (long words plus their dictionary sub-words), punctuation removed."""
    text = normalize(text)
    if not text:
        return []
    tok = _get_tokenizer()
    return [w for w in tok.lcut_for_search(text, HMM=True) if w.strip() and _is_word(w)]


def _content(w: str) -> bool:
    if w in STOP_WORDS:
        return False
    if len(w) >= 2:
        return not w.isdigit() or len(w) >= 4  # keep years / long numbers, drop "12", "30"
    return False


def tokens(text: str | None) -> list[str]:
    """Content words: jieba words without stop words, punctuation, single characters or short numbers.

    Two-character words are kept (most Chinese content words have two characters).
    """
    return [w for w in words(text) if _content(w)]


@lru_cache(maxsize=1 << 16)
def word_parts(word: str) -> tuple[str, ...]:
    """The dictionary words of two or more characters that make up a compound (补缴社保: 补缴, 社保;
    取暖补贴: 取暖, 补贴), or ``(word,)`` when it has none that span it. jieba keeps a compound whole
    in one sentence and cuts it in another, so texts compared word by word are compared on parts."""
    if len(word) < 4:
        return (word,)
    parts = tuple(dict.fromkeys(p for p in search_words(word) if 2 <= len(p) < len(word)))
    # The parts must cover the compound: a remainder with no word of its own keeps it whole.
    return parts if parts and len(set("".join(parts))) >= len(set(word)) else (word,)


def fine_words(ws: Iterable[str]) -> set[str]:
    """A word set with every compound replaced by its parts (:func:`word_parts`)."""
    return {p for w in ws for p in word_parts(w)}


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text: str | None) -> str:
    """Space-joined terms to store in a full-text index column (see the module docstring).

    Ordered CJK bigrams (every run of CJK characters), then jieba search-mode words of 3+ characters
    and ASCII words / numbers. Everything is lower case and half-width; no term contains punctuation,
    so SQLite's ``unicode61`` tokenizer and PostgreSQL's ``simple`` parser keep each term whole.
    """
    text = normalize(text)
    if not text:
        return ""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(_bigrams(run))
    seen: set[str] = set()
    for w in search_words(text):
        if len(w) >= 3 and all(is_cjk(c) for c in w) and w not in seen:
            seen.add(w)
            out.append(w)
    out.extend(_ascii_term(w) for w in _ASCII_WORD.findall(text))
    return " ".join(out)


def _ascii_term(word: str) -> str:
    """The index term of an ASCII word or number: a decimal keeps its point, spelled out."""
    return word.replace(".", DECIMAL_POINT)


@dataclass(frozen=True)
class QueryPart:
    """One piece of a search query as typed: a word, or a run of CJK words typed without spaces.

    `groups` are the words a document must contain (all of them), each the phrase of its index terms,
    and `words` the same words as text (for highlighting). `phrase`, set when a run was cut into
    several words, is the whole run as a phrase of index terms: never required, it only ranks a
    document that contains the run exactly above one that only contains its words. `ignored` are
    single characters, which the index does not hold on their own: they are not searched.
    """

    text: str
    words: list[str]
    groups: list[list[str]]
    phrase: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _run_words(run: str) -> list[str]:
    """The words of an unspaced CJK run to search for (see :func:`query_parts`)."""
    pieces: list[str] = []
    singles = ""  # consecutive single characters jieba left alone, searched together ("少" "发" → 少发)
    for w in words(run):
        if len(w) == 1 and w not in STOP_WORDS:
            singles += w
            continue
        if w in STOP_WORDS:
            if singles:
                pieces.append(singles)
                singles = ""
            continue
        if len(singles) == 1:
            # One character jieba cut off the front of a word is part of it: 黑石岭 (jieba: 黑 / 石岭) is one
            # name, and searching 石岭 alone would find 青石岭 too (found in two walk-throughs).
            pieces.append(singles + w)
        else:
            if singles:
                pieces.append(singles)
            pieces.append(w)
        singles = ""
    if singles:
        pieces.append(singles)
    return pieces or [run]  # nothing but stop words: search the run as typed


def query_parts(q: str | None) -> list[QueryPart]:
    """The query as :class:`QueryPart` s, in order, repeated words dropped.

    Whitespace separates words. Within a piece typed without spaces, each CJK run and each ASCII word
    (a decimal such as "3.5" included) is a part. A CJK run of three or more characters is cut by jieba
    into words, stop words dropped (consecutive single characters jieba leaves alone are kept together
    as one word, and one such character before a word is part of it: 黑石岭, not 黑 / 石岭). A run of one word
    stays one word; a run of several becomes several required words
    ("食堂涨价" → 食堂, 涨价), with the run itself as the ranking phrase. A single character is not
    searched (`ignored`) unless nothing else of its run is, in which case the run is searched as typed.
    """
    q = normalize(q)
    if not q:
        return []
    out: list[QueryPart] = []
    seen: set[str] = set()
    for piece in q.split(" "):
        for run in _QUERY_PIECE.findall(piece):
            if not _CJK_RUN.fullmatch(run):
                if run not in seen:
                    seen.add(run)
                    out.append(QueryPart(text=run, words=[run], groups=[[_ascii_term(run)]]))
                continue
            pieces = _run_words(run) if len(run) > 2 else [run]
            found = [w for w in pieces if len(w) > 1]
            ignored = [w for w in pieces if len(w) == 1]
            phrase = _bigrams(run) if len(pieces) > 1 else []
            if not found and len(run) > 1:  # only single characters and stop words: the run as typed
                found, ignored, phrase = [run], [], []
            found = [w for w in found if w not in seen]
            ignored = [w for w in ignored if w not in seen]
            seen.update(found + ignored)
            if found or ignored:
                groups = [_bigrams(w) for w in found]
                out.append(QueryPart(text=run, words=found, groups=groups, phrase=phrase, ignored=ignored))
    return out


def query_terms(q: str | None) -> list[list[str]]:
    """The words of the query, each as the list of index terms that must appear in order (all words
    are required): a CJK word of two or more characters becomes its bigram phrase (["拖欠", "欠工",
    "工资"]); an ASCII word stays as it is ("3.5" as its term "3dot5"); single CJK characters are left
    out. Several words typed without spaces are several words (see :func:`query_parts`)."""
    return [group for part in query_parts(q) for group in part.groups]


def _sqlite_phrase(terms: list[str]) -> str:
    return '"' + " ".join(terms).replace('"', '""') + '"'


def fts_query(q: str | None, backend: str = "sqlite") -> str:
    """A MATCH / tsquery expression for :func:`query_parts` ("" when the query has no terms).

    * ``sqlite``: ``"拖欠 欠工 工资" AND "社保"`` for ``... WHERE fts MATCH ?``. A run typed as several
      words is ``(("食堂" AND "涨价") OR "食堂 堂涨 涨价")``: the same documents as its words alone (the
      phrase contains them), but bm25 also scores the phrase, so an exact hit ranks higher.
    * ``postgresql``: ``拖欠 <-> 欠工 <-> 工资 & 社保`` for ``to_tsquery('simple', %s)`` (matching only;
      the ranking phrases are :attr:`QueryPart.phrase`).
    """
    parts = query_parts(q)
    if not parts:
        return ""
    if backend == "sqlite":
        return sqlite_match(parts)
    if backend in ("postgresql", "postgres"):
        groups = [g for part in parts for g in part.groups]
        return " & ".join("(" + " <-> ".join(g) + ")" if len(g) > 1 else g[0] for g in groups)
    raise ValueError(f"unknown full-text backend {backend!r}")


def sqlite_match(parts: Iterable[QueryPart]) -> str:
    """The FTS5 MATCH expression of `parts`: every word a quoted phrase (so FTS5 operators in it are
    plain text), all required; a run of several words OR-ed with its exact phrase, for bm25."""
    out = []
    for part in parts:
        if not part.groups:
            continue
        words_ = " AND ".join(_sqlite_phrase(g) for g in part.groups)
        if part.phrase:
            out.append(f"(({words_}) OR {_sqlite_phrase(part.phrase)})")
        else:
            out.append(words_)
    return " AND ".join(out)
