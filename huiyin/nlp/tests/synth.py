"""Small synthetic corpora made by the tests themselves (no external data)."""

from __future__ import annotations

import random

TOPICS = {
    "wages": ["工资", "欠薪", "加班费", "绩效", "奖金", "发放", "拖欠", "薪酬"],
    "canteen": ["食堂", "饭菜", "伙食", "餐补", "就餐", "卫生", "厨师", "价格"],
    "safety": ["安全", "隐患", "设备", "事故", "防护", "巡检", "违章", "消防"],
}
FILLER = ["我们", "车间", "职工", "反映", "希望", "领导", "尽快", "处理", "公司", "今年", "多次", "部门"]


def sentence(rng: random.Random, topic: str, n_topic: int = 4, n_filler: int = 3) -> str:
    words = rng.sample(TOPICS[topic], n_topic) + rng.sample(FILLER, n_filler)
    rng.shuffle(words)
    return "".join(words) + "。"


def corpus(n_per_class: int, seed: int = 0) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    rows = []
    for topic in TOPICS:
        for _ in range(n_per_class):
            title = sentence(rng, topic, 2, 1)[:-1]
            body = sentence(rng, topic) + sentence(rng, topic)
            r = rng.random()
            if r < 0.2:
                title = ""
            elif r < 0.4:
                body = ""
            rows.append((title, body, topic))
    rng.shuffle(rows)
    return rows
