"""Keyword rules: the category suggestion used before an enterprise has trained its own model.

``DEFAULT_CATEGORIES`` is the default category list of an enterprise (codes, Chinese and English
names, keywords). The keywords were written from domain knowledge of petition work in state-owned
enterprises, not learned from any data set. An enterprise may edit the list (it is plain data) and
pass its own to :func:`keyword_predict`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .base import Prediction
from .segment import normalize

__all__ = ["DEFAULT_CATEGORIES", "OTHER", "category_names", "keyword_predict"]

OTHER = "other"


def _kw(words: str) -> list[str]:
    return words.split()


DEFAULT_CATEGORIES: list[dict] = [
    {
        "code": "wages",
        "name_zh": "工资薪酬/欠薪",
        "name_en": "Wages and pay",
        "keywords": _kw(
            "工资 欠薪 讨薪 拖欠工资 克扣 薪酬 薪资 薪水 绩效 奖金 年终奖 加班费 "
            "加班工资 津贴 补贴 最低工资 同工同酬 工资条 发放工资 扣工资 扣钱 "
            "岗位工资 工资标准 调资 涨工资 收入分配"
        ),
    },
    {
        "code": "social_insurance",
        "name_zh": "社会保险",
        "name_en": "Social insurance",
        "keywords": _kw(
            "社保 社会保险 五险 养老保险 医疗保险 医保 失业保险 生育保险 补缴 断缴 "
            "缴费基数 缴费年限 社保卡 企业年金 参保 缴纳保险 报销 异地就医"
        ),
    },
    {
        "code": "restructuring",
        "name_zh": "改制重组/经济补偿",
        "name_en": "Restructuring and severance",
        "keywords": _kw(
            "改制 重组 兼并 破产 关停 转制 经济补偿 补偿金 买断 买断工龄 内退 "
            "内部退养 分流 安置 下岗 裁员 待岗 身份置换 大集体 主辅分离 混改 "
            "三供一业 关闭 搬迁 停产"
        ),
    },
    {
        "code": "housing",
        "name_zh": "住房/公积金",
        "name_en": "Housing and housing fund",
        "keywords": _kw(
            "住房 公积金 住房公积金 房改 集资房 福利房 宿舍 公租房 廉租房 棚改 "
            "住房补贴 房产证 产权证 不动产证 物业 维修基金 分房 购房 房屋"
        ),
    },
    {
        "code": "work_injury",
        "name_zh": "工伤职业病",
        "name_en": "Work injury and occupational disease",
        "keywords": _kw(
            "工伤 工伤认定 伤残 劳动能力鉴定 职业病 尘肺 矽肺 噪声聋 中毒 职业健康 "
            "工亡 因工死亡 受伤 致残 伤残补助 医疗费 误工费 职业危害"
        ),
    },
    {
        "code": "discipline",
        "name_zh": "违纪违法/检举",
        "name_en": "Misconduct reports",
        "keywords": _kw(
            "举报 检举 揭发 贪污 受贿 行贿 腐败 挪用 侵占 违纪 违法 公款 公车私用 "
            "吃空饷 以权谋私 利益输送 围标 串标 暗箱操作 任人唯亲 小金库 回扣 "
            "滥用职权 纪委 八项规定 作风 报复 打击报复 徇私"
        ),
    },
    {
        "code": "labour_contract",
        "name_zh": "劳动合同",
        "name_en": "Employment contracts",
        "keywords": _kw(
            "劳动合同 合同 劳务派遣 派遣 劳务工 临时工 合同工 编制 转正 试用期 "
            "无固定期限 解除 终止 辞退 开除 除名 劳动仲裁 仲裁 劳动争议 调岗 休假 "
            "年休假 病假 产假 考勤 续签 招聘 录用 竞业"
        ),
    },
    {
        "code": "safety",
        "name_zh": "安全生产",
        "name_en": "Workplace safety",
        "keywords": _kw(
            "安全生产 安全隐患 隐患 事故 违章 违规操作 劳保用品 防护用品 防护 "
            "特种作业 安全培训 消防 瓦斯 坍塌 爆炸 火灾 泄漏 危险 安全检查 超时作业 "
            "冒险作业 设备老化"
        ),
    },
    {
        "code": "canteen_welfare",
        "name_zh": "食堂与福利",
        "name_en": "Canteen and welfare",
        "keywords": _kw(
            "食堂 饭菜 伙食 餐费 餐补 就餐 卫生 班车 通勤 福利 福利费 工会 "
            "节日慰问 慰问品 体检 疗养 疗休养 防暑降温 澡堂 浴室 宿舍楼 文体活动 "
            "饮水"
        ),
    },
    {
        "code": "management",
        "name_zh": "经营管理建议",
        "name_en": "Management suggestions",
        "keywords": _kw(
            "建议 合理化建议 经营 管理 管理制度 降本增效 成本 浪费 效益 采购 招投标 "
            "考核办法 厂务公开 职代会 职工代表大会 改进 创新 流程 效率 质量"
        ),
    },
    {
        "code": "retirees",
        "name_zh": "离退休",
        "name_en": "Retirees",
        "keywords": _kw(
            "退休 离休 离退休 退休金 养老金 退休工资 退休待遇 提前退休 病退 退休人员 "
            "老干部 丧葬费 抚恤金 遗属 视同缴费 工龄认定 人事档案 档案 退休年龄 返聘"
        ),
    },
    {
        "code": OTHER,
        "name_zh": "其他",
        "name_en": "Other",
        "keywords": [],
    },
]


def category_names(categories: Sequence[dict] | None = None) -> dict[str, str]:
    """``{code: name_zh}`` for the given (default) categories."""
    return {c["code"]: c["name_zh"] for c in (categories or DEFAULT_CATEGORIES)}


def _compile(categories: Sequence[dict]) -> list[tuple[str, list[str]]]:
    out = []
    for cat in categories:
        kws = sorted({normalize(k) for k in cat.get("keywords", ()) if normalize(k)}, key=len, reverse=True)
        out.append((cat["code"], kws))
    return out


def _hits(text: str, keywords: list[str]) -> dict[str, int]:
    """Occurrences of each keyword; a keyword contained in a longer matched keyword is not counted
    again at the same place (e.g. 工资 inside 拖欠工资)."""
    taken = [False] * len(text)
    counts: dict[str, int] = {}
    for kw in keywords:  # longest first
        start = text.find(kw)
        while start >= 0:
            end = start + len(kw)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                counts[kw] = counts.get(kw, 0) + 1
            start = text.find(kw, start + 1)
    return counts


def keyword_predict(
    title: str | None,
    body: str | None = "",
    categories: Sequence[dict] | None = None,
    title_weight: float = 2.0,
) -> Prediction:
    """Suggest a category by counting keywords (title hits count ``title_weight`` times).

    A keyword's weight grows with its length (longer keywords are more specific) and with the log of
    its number of occurrences. With no hit at all the result is the ``other`` category (or the last
    category of the list) with a low confidence. ``reasons`` are the matched keywords of the winner.
    """
    cats = _compile(categories or DEFAULT_CATEGORIES)
    fallback = OTHER if any(code == OTHER for code, _ in cats) else cats[-1][0]
    t, b = normalize(title), normalize(body)
    scores: dict[str, float] = {}
    reasons: dict[str, list[tuple[str, float]]] = {}
    for code, kws in cats:
        if not kws:
            continue
        ht, hb = _hits(t, kws), _hits(b, kws)
        terms: dict[str, float] = {}
        for kw in set(ht) | set(hb):
            n = title_weight * ht.get(kw, 0) + hb.get(kw, 0)
            terms[kw] = (1.0 + 0.5 * (len(kw) - 2 if len(kw) > 2 else 0)) * (1.0 + math.log(n))
        if terms:
            scores[code] = sum(terms.values())
            reasons[code] = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))
    if not scores:
        return Prediction(fallback, 0.2, [], [], source="keywords")
    # Softmax-like normalisation of the scores, with "other" as a constant competitor.
    total = sum(math.exp(s) for s in scores.values()) + math.exp(1.0)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    label, top = ranked[0]
    conf = math.exp(top) / total
    alts = [(code, math.exp(s) / total) for code, s in ranked[1:4]]
    return Prediction(label, conf, reasons[label], alts, source="keywords")
