"""Fixtures of the triage tests: a private model directory and small synthetic
petitions the tests make themselves (no external data)."""

from __future__ import annotations

import random

import pytest

# Words by category code, written for these tests: enough for a model to tell three categories apart.
VOCAB = {
    "wages": ["工资", "加班费", "绩效", "奖金", "拖欠", "薪酬", "发放", "扣发", "夜班补贴", "工资条"],
    "housing": ["住房", "公积金", "宿舍", "房改", "集资房", "产权证", "维修", "分房", "房屋", "物业"],
    "canteen_welfare": ["食堂", "饭菜", "伙食", "餐补", "就餐", "价格", "班车", "体检", "澡堂", "福利"],
}
FILLER = ["我们", "车间", "职工", "反映", "希望", "领导", "尽快", "处理", "今年", "多次", "部门", "问题"]


def petition(rng: random.Random, code: str) -> tuple[str, str]:
    words = VOCAB[code]
    title = "".join(rng.sample(words, 2)) + "问题"
    body = "。".join("".join(rng.sample(words, 3) + rng.sample(FILLER, 2)) for _ in range(3)) + "。"
    return title, body


@pytest.fixture
def model_dir(settings, tmp_path):
    settings.HUIYIN_MODEL_DIR = str(tmp_path / "models")
    settings.HUIYIN_TRIAGE_MIN_EXAMPLES = 20
    return tmp_path / "models"


@pytest.fixture
def rng():
    return random.Random(7)


@pytest.fixture
def b_case(org, other_unit_clerk):
    """A case of company B, out of company A's scope."""
    from huiyin.cases.services import case_register

    def make(**overrides):
        values = {
            "actor": other_unit_clerk,
            "unit": org["b_office"],
            "channel": "letter",
            "type": "claim",
            "subject": "乙公司拖欠8月加班费",
            "content": "乙公司机修车间8月加班费至今未发放，请予核实。",
        }
        values.update(overrides)
        return case_register(**values)

    return make
