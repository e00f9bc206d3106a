"""Checks on a draft reply before it is issued.

Four elements, each with a Chinese explanation for the case handler (shown after the element's name, so it
does not repeat it):

* ``points`` - every point the petition raises is answered: the clauses of the petition that make a
  demand or ask a question are extracted (each demand of a sentence, a demand joined on by 并/同时,
  each item of a numbered list; not what the petitioner reports others said or demanded of them:
  "项目部均称资金紧张，要求等待", "物业要求我们缴纳保证金"), and each must share enough of its content words
  with the reply (matched as substrings of the reply, a compound word also by all of its parts, so segmentation
  and word order do not matter: "社保已补缴" answers 补缴社保);
* ``basis`` - the reply cites a basis: a document title in 《》, an article (第X条), or
  根据/依据/按照/依照 ... 规定/办法/条例/政策/文件/制度;
* ``next_step`` - the reply tells the petitioner the next remedy (复查, 复核, 行政复议, 仲裁, 诉讼 ...)
  and its time limit (…日内 / …个工作日 / 30日), reported in plain words ("已告知可申请复查及期限（收到之日起30日内）");
  `stated_periods` reads the limit a reply states for a review or re-review, for the caller to compare with
  the limit in force (this module knows no rule profile);
* ``blanks`` - no template placeholder is left (XXX, ××, ＿＿, 【…】, {…}, 此处填写 ..., and a name or unit
  left as 某某 or XX: "某某同志", "某某部门", "贾XX同志："; not a surname with 某某 masking a real person,
  "王某某", as anonymised replies write).

The rules are written from the wording of the petition regulations (《信访工作条例》: a reply states
its facts and basis and informs of the right to request a review within 30 days), not learned.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .segment import fine_words, normalize, tokens, word_parts

__all__ = ["ELEMENTS", "ElementResult", "ReplyCheck", "StatedPeriod", "check_reply", "extract_points", "stated_periods"]

ELEMENTS: dict[str, str] = {
    "points": "逐项答复诉求",
    "basis": "引用政策依据",
    "next_step": "告知救济途径和期限",
    "blanks": "无模板空白",
}

_SENT_SPLIT = re.compile(r"(?<=[。！？!?；;])|\n+")
_DEMAND = re.compile(
    r"请求|要求|希望|恳请|恳求|申请|呼吁|建议|盼望|期盼|请|能否|可否|是否|能不能|会不会|有没有|何时|"
    r"什么时候|为什么|为何|怎么办|如何|怎样|哪些|多少|吗[？?]?$|呢[？?]?$|[？?]|尽快|补发|退还|赔偿"
)
_CLAUSE_SPLIT = re.compile(r"[，,：:]")


# Words about asking and handling in general, not about the matter (see `_topic_words`).
def _word_list(words: str) -> frozenset[str]:
    return frozenset(words.split())


_HANDLING_WORDS = _word_list(
    "答复 回复 回应 处理 解决 尽快 尽早 及时 得到 重视 关注 关心 调查 核实 核查 查核 查明 查实 配合 帮助 帮忙 协调 "
    "落实 给予 妥善 说法 公道 公正 合理 答案 结果 问题 情况 事情 此事 事宜 反映 诉求 希望 恳请 恳求 请求 要求 "
    "申请 督促 敦促 愿意 公司 单位 部门 有关部门 相关 有关 领导 集团 上级 组织 职工 我们 大家 本人 "
    # Courtesy and the way the letter came, which no reply answers: "请多包涵", "恳请领导在百忙之中予以关注".
    "包涵 见谅 谅解 百忙 之中 百忙之中 予以 麻烦 打扰 感谢 谢谢 辛苦 这次 此次 通过 匿名 实名 方式 "
    # Enumeration and reporting verbs: "二是提出……" asks about what follows, not about 二是 or 提出.
    "一是 二是 三是 四是 五是 提出 提到 说明 "
    # When and how, and asking as such: "希望早日解决", "今后能否书面告知", "到底是否合法" ask about the matter
    # that follows, which is what the reply must answer.
    "早日 早点 今后 以后 日后 将来 至今 迟迟 再次 多次 一直 书面 口头 形式 具体 真正 切实 认真 彻底 务必 一定 "
    "立即 马上 赶快 抓紧 时候 何时 是否 能否 可否 有没有 是不是 难道 到底 为何 试问 怎么办 "
    "呼吁 强烈 建议 期盼 盼望 敬请 烦请 做主 过问 出面 主持 何时能 百忙中 管一管"
)
# A clause that carries on the demand of the clause before it: "……，并补缴社保", "……，二是……".
_CONTINUE = re.compile(
    r"(?:并且?(?![非不未没])|同时|还(?:要|请|应)?|另外|此外|以及|再者|其[二三四五六]|[二三四五六]是|第[二三四五六])"
)
# 并 joining a second demand inside one clause (not 合并, 兼并, 并非, 并不, 并购 ...).
_INNER_JOIN = re.compile(r"(?<![合兼吞归])(?:并且|并(?![购非不未没列存行举入])|同时|以及)")
# An enumerated item starts a new sentence: "1、" "2." "（3）" "一、" "二是".
_ENUM = r"(?:[（(]\s*)?(?:\d{1,2}|[一二三四五六七八九十])\s*(?:[、.．)）]|是)(?!\d)"
_ENUM_SPLIT = re.compile(rf"(?<=[^\n])(?={_ENUM})")
_ENUM_START = re.compile(_ENUM)
_LIST_INTRO = re.compile(r"(?:诉求|要求|请求|建议|问题)(?:如下|有以下|有几点|有)?[：:]\s*$|如下[：:]?\s*$")

# Reported speech: what someone else said or demanded of the petitioner is no demand of theirs to answer.
# "项目部均称资金紧张，要求等待" reports the project department; "物业要求我们缴纳保证金" reports what the
# property company demanded. Words that may stand between a subject and its verb ("项目部均称", "我们也要求").
_ADVERB = (
    r"(?:均|都|也|还|又|却|则|就|便|一直|总是|总|只是|只|反而|竟然|居然|再次|多次|一再|每次|屡次|曾经|曾|已经|已|"
    r"并且|而且|并|且|同时|另外|此外|后来|之后|当时|然后|于是|结果|最后|再|强烈|坚决|特此|特|现|口头|书面|明确|"
    r"竟|仍然|仍|依然|始终|不断|当面|私下|电话)"
)
# The petitioner's side as a subject ("我们", "本人", "职工") - not "我的" or "我们的", which name what is theirs.
_OWN = r"(?:我们(?!的)|我(?![们的])|本人|俺们?|咱们?|大家|全体|职工|员工|工人|群众|村民|业主|居民|住户|老百姓|百姓)"
_OWN_SUBJECT = re.compile(rf"^{_ADVERB}*{_OWN}")
_OWN_BEFORE = re.compile(rf"{_OWN}{_ADVERB}*$")
# 说 as a reporting verb, not in 听说, 据说, 虽说, 如果说, 来说, 诉说, 说明, 说法 ...
_SAY = r"(?<![听据虽再来是以如果该用或话小传解游劝演学诉述所要一])说(?![一])"
# Reporting verbs that tell another's words with or without a named subject ("均称……", "回复说……", "被告知……").
_REPORT = re.compile(
    r"(?<![职名简全统号对相匹堪俗昵尊自])称(?![号呼为职赞心谓道作颂重量])|声称|宣称|谎称|辩称|推说|推称|推脱|借口|被告知|"
    rf"(?<![没未不无])(?<!没有)(?:答复|回复|回应|表示|解释|通知|告知|告诉|{_SAY})(?:我们|我|本人)?(?:称|是|：|:)|"
    r"(?<![没未不无])(?<!没有)(?:答复|回复|回应|表示|解释|通知|告知|告诉)说|"
    r"(?<![没未不无请])(?<!没有|麻烦)(?:告知|告诉|通知)(?:我们|我(?![们的])|本人)"
)
# Verbs that report only after a named subject ("项目部说……", "领导表示……"), since alone they are common words.
_REPORT_AFTER_SUBJECT = re.compile(
    rf"(?<![没未不无])(?<!没有)(?:{_SAY}(?![明法服理得出起话不定好过了的清楚到完说])|表示|(?<!麻烦)(?:告知|告诉))"
)
# Someone demanding of the petitioner: "物业要求我们缴纳", "要求我提供资料", "责令我们停工" (not "要求我们的工资…",
# "要求我们能享受…", "要求我们车间…", which are the petitioner's own).
_DEMANDED_OF_US = re.compile(
    r"(?:要求|责令|强制|强迫|逼迫|逼|叫|命令)(?:我们|我(?![们的])|本人|俺们?)"
    r"(?:业主|职工|员工|工人|村民|居民|家长|个人|自己)?"
    r"(?![的能可享得获拿按也都小单车村厂公部家组社学孩子班这那])"
)
# A clause that turns from the report back to the petitioner: a contrast, the present, or a plea of their own.
_TURN = re.compile(
    rf"^{_ADVERB}*(?:但|可是|然而|而(?!且)|可|至今|直到|到现在|到目前|现在|目前|如今|因此|所以|故|为此|于是|不知|{_OWN}|"
    r"请问|恳请|恳求|请求|呼吁|盼望|期盼|敬请|烦请|望)"
)
# What a reported clause goes on to ask is the reporter's ("……均称资金紧张，要求等待", "……，会尽快补发"), and
# so is anything asked of the petitioner ("……，希望我们理解"); a plea or a question is the petitioner's own.
_REPORTED_ASK = re.compile(r"要求|尽快|补发|退还|赔偿|申请")
_REPORT_REACH = 2
# A demand addressed to those who can decide it ("希望有关部门为我们做主"), the petitioner's even after a report.
_TO_AUTHORITY = re.compile(
    r"(?:要求|请求|希望|请|恳请|建议|呼吁)(?:上级|领导|集团|有关|相关|政府|组织|贵|纪委|工会|公司领导|主管|监管)"
)


def _reported(clause: str, in_report: int) -> tuple[int, int]:
    """Where the clause's own words end (a demand before that point is the petitioner's), and over how many
    clauses after it a report runs on (`in_report` is that count as the clause before left it).

    A report starts at a reporting verb whose subject is not the petitioner's side ("项目部均称", "领导说",
    "物业要求我们") and runs over the next `_REPORT_REACH` clauses ("……，要求等待") unless one turns back to
    the petitioner first: a contrast (但, 至今), their own subject (我们), a question, a plea or a question
    word of theirs ("……，希望尽快解决", "……，能不能……"), or a demand addressed to an authority. Letters run
    many clauses on with commas, so the reach is short: the narrative goes on after the report.
    """
    body = clause.strip()
    if "？" in body or "?" in body:
        return len(body), 0  # a question, rhetorical or not, is the petitioner's
    start = _report_start(body)
    if in_report and not (_TURN.match(body) or _TO_AUTHORITY.search(body)):
        # Still the report; a reporting verb in it starts the reach again ("……，就是这份文件说，政府要求").
        reach = _REPORT_REACH if start is not None else in_report - 1
        demand = _DEMAND.search(body)
        if not demand:
            return 0, reach
        if not _OWN_BEFORE.search(body[: demand.start()]) and (
            _REPORTED_ASK.match(demand.group(0)) or re.match(rf"{_ADVERB}*{_OWN}", body[demand.end() :])
        ):
            return 0, reach  # "……均称资金紧张，要求等待", "……，希望我们理解"
    if start is None:
        return len(body), 0
    # A demand before the report is the petitioner's ("要求公司答复说明原因"): the clause stays theirs.
    return (len(body), 0) if _DEMAND.search(body[:start]) else (start, _REPORT_REACH)


def _report_start(body: str) -> int | None:
    """Where a report starts in the clause: a reporting verb, or a demand made of the petitioner, whose subject
    is not the petitioner's side."""
    starts = []
    for rx, needs_subject in ((_REPORT, False), (_REPORT_AFTER_SUBJECT, True), (_DEMANDED_OF_US, False)):
        for m in rx.finditer(body):
            subject = body[: m.start()]
            if _OWN_BEFORE.search(subject) or (_OWN_SUBJECT.match(subject) and not subject.endswith("的")):
                continue  # "我们表示……", "本人再次要求我…"; not "我得到的回复是……", whose words are another's
            if needs_subject and not re.sub(_ADVERB, "", subject):
                continue
            starts.append(m.start())
            break
    return min(starts) if starts else None


_CN_NUM = r"[一二三四五六七八九十百千零〇\d]+"
# An article with its paragraph and item, as cited after a title: 第四十四条第一款第（二）项.
_ARTICLE = rf"第{_CN_NUM}条(?:第{_CN_NUM}款)?(?:第[（(]?{_CN_NUM}[)）]?项)?"
_TITLE = r"《[^《》]{2,60}》"
_BASIS_WORD = r"(?:根据|依据|按照|依照|参照|遵照|对照)"
# A quoted basis is taken whole, closing 》 and the article after it included; the keyword form
# (根据……规定) never stops inside a title, so 依据《…劳动法》 is not cut at its first 法.
_BASIS = re.compile(
    rf"{_BASIS_WORD}[^。；;！!《》]{{0,30}}?{_TITLE}(?:\s*{_ARTICLE})?|"
    rf"{_TITLE}(?:\s*{_ARTICLE})?|{_ARTICLE}|"
    rf"{_BASIS_WORD}[^。；;！!《》]{{0,60}}?"
    r"(?:规定|办法|条例|法律|法规|法|政策|文件|通知|意见|细则|标准|制度|精神|要求|决定|纪要|方案)"
)
_RIGHT = re.compile(
    r"复查|复核|行政复议|复议|诉讼|起诉|仲裁|申诉|再次反映|申请重新|上一级|上级机关|向.{0,12}(?:提出|申请)"
)
_NUM = r"(?:\d+|[一二三四五六七八九十百两]+)"
_DEADLINE = re.compile(
    rf"{_NUM}\s*(?:个)?(?:工作)?(?:日|天|个月|月)(?:内|之内|以内)|(?:日|之日)起\s*{_NUM}\s*(?:个)?(?:工作)?(?:日|天|个月)|"
    rf"期限(?:为|是)?\s*{_NUM}"
)
# The number and unit inside a time limit: "之日起15日" -> 15 日, "三十日内" -> 30 日, "10个工作日内" -> 10 个工作日.
_PERIOD = re.compile(rf"(?P<n>{_NUM})\s*(?P<unit>个工作日|工作日|个月|月|日|天)?")
_UNIT_WORDS = {
    "": "日",
    "日": "日",
    "天": "日",
    "工作日": "个工作日",
    "个工作日": "个工作日",
    "月": "个月",
    "个月": "个月",
}
# The remedies by name, as the petitioner is told them: 可申请复查, 可提起诉讼.
_REMEDY_NAME = re.compile(r"行政复议|复查|复核|复议|仲裁|诉讼|起诉|申诉")
# A sentence asking for a review or re-review ("可……申请复查", "复核申请"), not telling one happened: with a time
# limit only (see `stated_periods`), so "你于10月3日申请复查" is no statement of the right.
_REVIEW_ASK = re.compile(r"(?:申请|请求|提出|要求)[^。；;！!？?\n]{0,12}?(复查|复核)|(复查|复核)(?:申请|请求)")
_REPLY_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_DISAGREE = re.compile(r"不服|异议|不满意|不同意")
# A run of X or × standing for a name, a number or a date ("贾XX同志", "××月"), full-width too ("ＸＸ"); not
# letters of a word in a web address or a code ("ldxxxx.jsp", "MA70XXCR7X"); a number left blank is one
# ("0914-XXXXXXX").
_X_RUN = r"(?<![A-Za-z])[xX×Ｘｘ✕]{2,}(?![A-Za-z])"
# 某某 standing for a name or a unit ("某某同志", "请某某部门……"): not after a surname, where it masks a real
# person's given name as anonymised replies do ("张某某", "王某某和马某某"), and not a single 某 ("王某", "某公司").
# After a word that cannot be a surname (请, 到, 由 ...) it is still a placeholder: "请某某同志于……到场".
_MOUMOU = r"(?:(?<![\u4e00-\u9fff])|(?<=[请向到由在与及的给对被将把为从是至交送致即或]))某某"
# A salutation at the head of a line whose name is a placeholder: "贾某某同志：", "某某：", "XX先生：".
_PLACEHOLDER_SALUTATION = (
    r"^[ \t\u3000]*(?:尊敬的|亲爱的)?"
    r"([\u4e00-\u9fff]{0,3}(?:某某|[xX×Ｘｘ✕]{2,})(?:同志|先生|女士|师傅)?)[ \t\u3000]*[：:]"
)
_BLANKS = [
    (re.compile(_PLACEHOLDER_SALUTATION, re.MULTILINE), "某某同志"),
    (re.compile(_X_RUN), "XXX/××"),
    (re.compile(rf"{_MOUMOU}(?:同志|先生|女士|师傅|部门|单位|公司)?"), "某某"),
    (re.compile(r"[＿_]{2,}"), "下划线空白"),
    # Not a document's year or number: 【2019】, 【楚发改价（2017）771号】 (but 【文号】 is a blank).
    (re.compile(r"【(?![〔\[(（]?\d{4}[〕\])）]?】)(?![^】]{0,18}\d号】)[^】]{0,20}】"), "【】占位"),
    (re.compile(r"\{[^{}]{0,30}\}|｛[^｝]{0,30}｝"), "{}占位"),
    (re.compile(r"[○〇]{2,}|[□■]{2,}"), "○○/□□占位"),  # *** is privacy masking, not a blank
    (
        re.compile(r"此处填写|此处填|请填写|待填写|待补充|填写.{0,6}(?:名称|日期|姓名)|(?:姓名|日期|单位)[:：]\s*$"),
        "待填写",
    ),
]


@dataclass(frozen=True)
class StatedPeriod:
    """A time limit the reply tells the petitioner for requesting a review (复查) or re-review (复核)."""

    remedy: str  # 复查 or 复核
    days: int
    unit: str  # 日, 个工作日 or 个月
    from_receipt: bool  # counted from receiving the reply (收到……之日起)

    @property
    def text(self) -> str:
        """As a letter writes it: "15日", "10个工作日", "1个月"."""
        return f"{self.days}{self.unit}"


@dataclass
class ElementResult:
    ok: bool
    detail: str
    score: float = 1.0  # 0..1, share of the element satisfied (points: share of points answered)


@dataclass
class ReplyCheck:
    elements: dict[str, ElementResult]
    missing: list[str]
    points: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Mean element score, 0..1."""
        return sum(e.score for e in self.elements.values()) / len(self.elements)

    @property
    def ok(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "score": round(self.score, 4),
            "missing": list(self.missing),
            "points": list(self.points),
            "elements": {
                k: {"ok": v.ok, "detail": v.detail, "score": round(v.score, 4)} for k, v in self.elements.items()
            },
        }


def _sentences(text: str) -> list[str]:
    parts = []
    for chunk in _SENT_SPLIT.split(text or ""):
        chunk = chunk.strip(" \t\r\n，,")
        if len(chunk) >= 4:
            parts.append(chunk)
    return parts


def _demand_parts(clause: str) -> list[str]:
    """A demand clause cut at an inner 并/并且/同时/以及 that joins a second demand to the first
    ("要求补发夜班补贴并补缴社保" asks two things), when both sides keep a content word."""
    parts = [p for p in _INNER_JOIN.split(clause) if p]
    if len(parts) > 1 and all(_names_something(p) for p in parts):
        return parts
    return [clause]


def _names_something(text: str) -> bool:
    """A demand that can be checked names its object: two words at least, a compound counting by its
    parts (补缴社保 does; a bare verb such as 补发 in "核实并补发" carries on the demand before it)."""
    return len(fine_words(tokens(text))) >= 2


def extract_points(petition: str, max_points: int = 8) -> list[str]:
    """Sentences of the petition that make a demand or ask a question (at most ``max_points``).

    Every demand clause of a sentence counts, and so does a clause that continues a demand
    ("要求补发工资，并补缴社保", "一是……；二是……") or an item of a list the petitioner introduced
    as their demands ("诉求如下：1、……2、……"). With no demand at all, the first sentence (usually
    the title or the gist) stands for the petition.
    """
    sents = _sentences(_ENUM_SPLIT.sub("\n", petition or ""))
    points = []
    listing = False  # the previous sentence announced a list of demands ("诉求如下：")
    numbered = sum(1 for s in sents if _ENUM_START.match(s)) >= 2  # a numbered list: each item is a point
    for sent in sents:
        clauses = [c for c in _CLAUSE_SPLIT.split(sent) if c.strip()]
        in_demand = False
        found = False
        item = bool(_ENUM_START.match(sent))
        in_report = 0
        for i, clause in enumerate(clauses):
            own_end, in_report = _reported(clause, in_report)
            own = clause.strip()[:own_end]  # what the petitioner says, not what they report others said
            demand = bool(_DEMAND.search(own))
            carries_on = in_demand and _CONTINUE.match(own) and _names_something(own)
            if demand or carries_on or (item and (listing or numbered) and i == 0):
                # The clause, with the clause before it when it is too short to name its object; but not a
                # bare plea ("希望领导重视", "恳请领导关注"): it asks for attention, and the clause before it
                # tells how the letter came ("大家商量后联名写了这封信"), which is no point to answer.
                short = len(tokens(clause)) < 3 and i > 0
                text = clauses[i - 1] + "，" + clause if short and _topic_words(clause) else clause
                for part in _demand_parts(text.strip()):
                    if tokens(part):
                        points.append(part.strip())
                        found = True
            in_demand = in_demand or demand
        # A list of demands runs on while its items start with their numbers.
        listing = bool(_LIST_INTRO.search(sent)) or (item and (found or listing))
    # "希望尽快得到答复" asks for the reply itself: any reply answers it.
    points = [p for p in points if _topic_words(p)]
    if not points and sents:
        points = [sents[0]]
    seen, out = set(), []
    for p in points:
        key = tuple(sorted(set(tokens(p))))
        if key and key not in seen:
            seen.add(key)
            out.append(p)
    return out[:max_points]


def _mentioned(word: str, reply_norm: str) -> bool:
    """The reply names `word`, or every part of a compound one ("社保已按规定补缴" answers 补缴社保)."""
    if word in reply_norm:
        return True
    parts = word_parts(word)
    return parts != (word,) and all(p in reply_norm for p in parts)


def _topic_words(text: str) -> list[str]:
    """The words of a point that name its matter: not the asking (恳请, 希望), the handling asked for
    (尽快处理, 调查核实, 给个说法) or the addressee (公司, 领导, 有关部门), which any reply has or needs not."""
    return [w for w in dict.fromkeys(tokens(text)) if not set(word_parts(w)) <= _HANDLING_WORDS]


def _covered(point: str, reply_norm: str) -> tuple[bool, list[str], list[str]]:
    words = _topic_words(point) or list(dict.fromkeys(tokens(point)))
    if not words:
        return True, [], []
    hit = [w for w in words if _mentioned(w, reply_norm)]
    need = max(1, math.ceil(0.3 * len(words))) if len(words) > 3 else 1
    return len(hit) >= need, hit, [w for w in words if w not in hit]


def _short(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _number(text: str) -> int | None:
    """An Arabic or Chinese number below a thousand ("30", "三十", "十五", "一百二十"); None if it is not one."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def _period(deadline: str) -> tuple[int, str] | None:
    """The number and unit of a time limit, from the text starting where `_DEADLINE` matched it
    ("之日起15日内" -> (15, "日"), "期限为10个工作日" -> (10, "个工作日"))."""
    m = _PERIOD.search(deadline)
    if not m:
        return None
    days = _number(m.group("n"))
    if days is None:
        return None
    return days, _UNIT_WORDS[m.group("unit") or ""]


def _period_words(deadline: re.Match[str], sentence: str) -> str:
    """A time limit as the check reports it: "收到之日起30日内", "15个工作日内"."""
    period = _period(deadline.string[deadline.start() : deadline.end() + 8])
    if period is None:
        return deadline.group(0)
    start = "收到之日起" if "之日起" in deadline.group(0) or "收到" in sentence else ""
    return f"{start}{period[0]}{period[1]}内"


def _remedy_words(sentence: str, right: str) -> str:
    """The remedy as the check reports it: "可申请复查", "可提起诉讼"; else the words that told it."""
    m = _REMEDY_NAME.search(sentence)
    if not m:
        return f"救济途径（“{right}”）"
    name = m.group(0)
    if name in ("诉讼", "起诉"):
        return "可提起诉讼"
    if name == "申诉":
        return "可提出申诉"
    return f"可申请{name}"


def stated_periods(text: str) -> list[StatedPeriod]:
    """The time limits `text` states for requesting a review (复查) or re-review (复核), one per sentence that
    asks for one with a limit ("如不服，可在收到之日起15日内向本单位申请复查")."""
    found = []
    for sentence in _REPLY_SENTENCE.findall(normalize(text or "")):
        ask = _REVIEW_ASK.search(sentence)
        deadline = _DEADLINE.search(sentence)
        if not ask or not deadline:
            continue
        period = _period(sentence[deadline.start() : deadline.end() + 8])
        if period is None:
            continue
        found.append(
            StatedPeriod(
                remedy=ask.group(1) or ask.group(2),
                days=period[0],
                unit=period[1],
                from_receipt="之日起" in deadline.group(0) or "收到" in sentence,
            )
        )
    return found


def _in_title(text: str, at: int) -> bool:
    """Whether position `at` lies inside a quoted title 《…》."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def check_reply(petition_text: str, reply_text: str) -> ReplyCheck:
    """Check a draft reply against the petition; see the module docstring for the four elements."""
    reply_raw = reply_text or ""
    reply = normalize(reply_raw)
    elements: dict[str, ElementResult] = {}

    # (a) points raised
    points = extract_points(petition_text or "")
    if not points:
        elements["points"] = ElementResult(True, "来信未提出明确诉求或问题，无需逐项核对。", 1.0)
    else:
        unanswered = []
        for p in points:
            ok, _hit, miss = _covered(p, reply)
            if not ok:
                unanswered.append((p, miss))
        answered = len(points) - len(unanswered)
        score = answered / len(points)
        if not unanswered:
            detail = f"来信提出的 {len(points)} 项诉求/问题在答复中均有回应。"
        else:
            items = "；".join(f"“{_short(p)}”（未涉及：{'、'.join(m[:4])}）" for p, m in unanswered[:3])
            more = f"等 {len(unanswered)} 项" if len(unanswered) > 3 else ""
            detail = f"共 {len(points)} 项诉求，{len(unanswered)} 项未见回应：{items}{more}。"
        elements["points"] = ElementResult(not unanswered, detail, score)

    # (b) basis
    m = _BASIS.search(reply_raw) or _BASIS.search(reply)
    if m:
        elements["basis"] = ElementResult(True, f"已引用依据：“{_short(m.group(0), 80)}”。", 1.0)
    else:
        elements["basis"] = ElementResult(
            False, "答复未写明依据，请注明所依据的文件（《…》）、条款（第X条）或“根据……规定”。", 0.0
        )

    # (c) next remedy and its time limit, reported from the sentence that states them
    right = _RIGHT.search(reply_raw)
    deadline = _DEADLINE.search(reply_raw) or _DEADLINE.search(reply)
    if right and deadline:
        sentence, right, deadline = next(
            (
                (c, r, d)
                for c in _REPLY_SENTENCE.findall(reply)
                if (r := _RIGHT.search(c)) and (d := _DEADLINE.search(c))
            ),
            (reply, _RIGHT.search(reply) or right, _DEADLINE.search(reply) or deadline),
        )
        elements["next_step"] = ElementResult(
            True,
            f"已告知{_remedy_words(sentence[right.start() :], right.group(0))}"
            f"及期限（{_period_words(deadline, sentence)}）。",
            1.0,
        )
    elif right:
        # The sentence telling what to do if the petitioner disagrees, not one saying a review took place.
        sentence = next(
            (c for c in _REPLY_SENTENCE.findall(reply) if _RIGHT.search(c) and _DISAGREE.search(c)),
            reply,
        )
        right = _RIGHT.search(sentence) or right
        elements["next_step"] = ElementResult(
            False,
            f"已告知{_remedy_words(sentence[right.start() :], right.group(0))}，"
            "但未写明期限（如“收到答复之日起30日内”）。",
            0.5,
        )
    elif deadline:
        elements["next_step"] = ElementResult(
            False,
            f"写有期限（{deadline.group(0)}），但未告知不服时的救济途径（如申请复查、复核）。",
            0.5,
        )
    else:
        elements["next_step"] = ElementResult(
            False, "答复未告知不服时的救济途径和期限，如：如不服，可自收到答复之日起30日内向上一级机关申请复查。", 0.0
        )

    # (d) template blanks
    found = []
    for rx, _name in _BLANKS:
        # X in a cited title is the title's own ("《商洛市XX县（区）跨区域安置移民搬迁申请审批表》").
        mm = next(
            (m for m in rx.finditer(reply_raw) if rx.pattern != _X_RUN or not _in_title(reply_raw, m.start())), None
        )
        if mm:
            # What the handler sees in their text, not a pattern's name; each placeholder once.
            shown = f"“{(mm.group(1) if rx.groups else mm.group(0)).strip()}”"
            if not any(shown.strip("“”") in f or f.strip("“”") in shown for f in found):
                found.append(shown)
    if found:
        elements["blanks"] = ElementResult(False, "答复中留有未填写的模板内容：" + "、".join(found) + "，请填写。", 0.0)
    else:
        elements["blanks"] = ElementResult(True, "未发现模板占位符。", 1.0)

    missing = [k for k, v in elements.items() if not v.ok]
    return ReplyCheck(elements, missing, points)
