"""Repetition buys no rank (found in a browser walk-through): a case whose ~20,000 characters were one
paragraph pasted over and over ranked first for every word of that paragraph, above the short case
whose subject is that word. On the database in use (SQLite FTS5 or PostgreSQL)."""

import itertools

import pytest

from huiyin.search.documents import Source, collapse_repeats, segment
from huiyin.search.selectors import case_search

PARAGRAPH = "我们车间的职工食堂饭菜价格越来越高，分量越来越少，职工意见很大，请领导重视解决。"

_UNITS = ["检修车间", "运行部", "热电厂", "后勤中心", "财务部", "机加工车间", "调度室", "仓储班组", "质检科", "安保部"]
_TOPICS = ["设备巡检", "安全培训", "班组考核", "夜班排班", "劳保发放", "工具管理", "交接记录", "节能改造", "隐患排查"]
_STATES = ["已经完成", "仍在推进", "需要协调", "存在拖延", "计划下月落实", "等待审批", "效果明显", "意见较多"]


def varied_sentences():
    """Distinct sentences, none of them about the canteen: 8,640 of them, about 17 characters each."""
    return [f"{m}月{u}{t}工作{s}。" for m, u, t, s in itertools.product(range(1, 13), _UNITS, _TOPICS, _STATES)]


def transcript():
    """An attachment's transcript, ~20,000 characters: every page opens with the same header but for its
    number (so no two sentences are alike), then says something else."""
    sentences = varied_sentences()
    pages = [f"第{n}页 职工食堂承包问题谈话记录。" + "".join(sentences[n * 14 : n * 14 + 14]) for n in range(78)]
    return "".join(pages)


@pytest.fixture
def cases(make_case):
    for i in range(5):  # most cases do not mention the canteen at all
        make_case(subject=f"宿舍漏水第{i}次", content="宿舍漏水，多次报修无人处理。")
    pasted = PARAGRAPH * (20000 // len(PARAGRAPH))
    sentences = varied_sentences()[::7]  # not the transcript's
    varied = "".join(sentences[:500]) + "会上也提到职工食堂。" + "".join(sentences[500:1150])
    return {
        "pasted": make_case(subject="反映职工诉求", content=pasted),
        "transcript": make_case(subject="谈话记录整理", content=transcript()),
        "varied": make_case(subject="月度工作记录", content=varied),
        "about": make_case(subject="职工食堂饭菜涨价", content="食堂饭菜涨价，分量减少，希望改进。"),
    }


def ranked(user, q, cases):
    names = {case.pk: name for name, case in cases.items()}
    return [names.get(hit.case.pk) for hit in case_search(user=user, q=q).hits]


def test_the_long_texts_are_as_long_as_in_the_walk_through(cases):
    assert len(cases["pasted"].content) >= 19_900 and len(cases["transcript"].content) >= 19_000
    assert len(cases["varied"].content) >= 19_000


@pytest.mark.parametrize(
    ("q", "matches"),
    [
        ("食堂", {"about", "pasted", "transcript", "varied"}),
        ("饭菜", {"about", "pasted"}),
        ("食堂饭菜", {"about", "pasted"}),
        ("食堂 涨价", {"about"}),
    ],
)
def test_the_case_about_the_word_ranks_first(cases, office, q, matches):
    """Before: the pasted paragraph first on both databases, the transcript second (PostgreSQL: first
    once the paste was collapsed, its header's word counted on every page)."""
    order = ranked(office, q, cases)
    assert set(order) == matches
    assert order[0] == "about"


def test_the_repeated_case_is_still_found_and_marked(cases, office):
    hits = case_search(user=office, q="越来越少").hits
    assert [hit.case.pk for hit in hits] == [cases["pasted"].pk]
    assert "<mark>越来越少</mark>" in hits[0].snippet_html


def test_repeated_sentences_and_lines_are_indexed_once():
    once = segment(Source(case_id=1, case_no="2026-000001", subject="食堂", content=PARAGRAPH, replies=("已转交。",)))
    pasted = segment(
        Source(
            case_id=1,
            case_no="2026-000001",
            subject="食堂",
            content=PARAGRAPH * 50,
            replies=("已转交。", "已转交。\n已转交。"),
        )
    )
    assert pasted == once
    # Compared normalised: width, case and spacing do not make a sentence new.
    assert collapse_repeats("食堂ＡＢ 涨价。食堂ab  涨价。\n食堂AB涨价。") == "食堂ＡＢ 涨价。\n食堂AB涨价。"


@pytest.mark.parametrize(
    "text",
    ["", "食堂涨价，分量减少。希望改进！", "第一行\n\n第二行", "3.5元。3．5元", "同一句话，同一句话，不同句子。"],
)
def test_a_text_without_repeated_passages_is_indexed_as_written(text):
    assert collapse_repeats(text) == text
