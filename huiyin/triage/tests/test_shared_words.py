"""The words two similar cases share are shown rarest first: what makes them the same matter ("年终奖", "职代会"),
not what every letter says ("一是", "有没有"). Document frequencies are recounted by a periodic job."""

from __future__ import annotations

import pytest

from huiyin.core.scheduling import JOBS
from huiyin.triage.models import Suggestion, WordFrequency
from huiyin.triage.selectors import similar_cases
from huiyin.triage.services import shared_words_ranked, similar_link, word_frequencies_refresh

# Phrases many letters share, whatever they are about.
BOILERPLATE = "有没有负责任的领导说一说，一是希望尽快答复，二是希望书面说明依据。"
FILLER = [
    "食堂饭菜价格上涨分量减少",
    "宿舍热水供应时间太短",
    "班车发车时间不合理",
    "劳保用品发放不及时",
    "厂区路灯长期不亮",
]


@pytest.fixture
def bonus_cases(make_case):
    """Two letters about the same year-end bonus and five on other matters, all in the same form of words."""
    first = make_case(subject="年终奖发放不公", content="职代会通过的年终奖方案没有执行，" + BOILERPLATE)
    second = make_case(subject="年终奖方案未执行", content="年终奖方案经职代会通过却没有执行，" + BOILERPLATE)
    others = [make_case(subject=text, content=text + "，" + BOILERPLATE) for text in FILLER]
    return first, second, others


def test_the_refresh_counts_in_how_many_cases_each_word_occurs(bonus_cases, make_case):
    make_case(type="accusation", subject="检举某科长收受年终奖回扣", anonymous=True, petitioner=None)

    result = word_frequencies_refresh()

    counts = dict(WordFrequency.objects.values_list("word", "cases"))
    assert counts["年终奖"] == 2 and counts["职代会"] == 2  # the accusation report is not counted
    assert counts["一是"] == 7 and counts["有没有"] == 7
    assert "路灯" not in counts  # a word of one case is not kept: it is the rarest anyway
    assert result["cases"] == 7 and counts[""] == 7  # under "", the number of cases counted
    assert result["words"] == len(counts) - 1
    assert all(len(word) <= 64 for word in counts)

    assert word_frequencies_refresh()["words"] == result["words"]  # twice: the same table
    assert dict(WordFrequency.objects.values_list("word", "cases")) == counts


def test_similar_cases_show_the_rarest_shared_words_first(bonus_cases, clerk):
    first, second, _others = bonus_cases
    word_frequencies_refresh()

    match = {r.case.pk: r for r in similar_cases(case=first, user=clerk)}[second.pk]

    assert set(match.shared[:2]) == {"年终奖", "职代会"}  # in these two letters only, and the longest such
    assert match.shared.index("年终奖") < match.shared.index("一是")
    assert match.shared.index("职代会") < match.shared.index("有没有")


def test_before_the_first_count_the_longer_words_go_first(bonus_cases, clerk):
    first, second, _others = bonus_cases
    assert not WordFrequency.objects.exists()

    match = {r.case.pk: r for r in similar_cases(case=first, user=clerk)}[second.pk]

    assert [len(w) for w in match.shared] == sorted((len(w) for w in match.shared), reverse=True)


def test_a_link_keeps_the_rarest_shared_words_with_its_suggestion(bonus_cases, clerk):
    """The timeline note no longer copies the words (a petitioner's name may be among them); the decided
    suggestion keeps them, rarest first."""
    first, second, _others = bonus_cases
    word_frequencies_refresh()

    similar_link(case=first, other=second, kind="same_issue", actor=clerk)

    shared = Suggestion.objects.get(case=first, kind="similar", related_case=second).reasons["shared"]
    assert "年终奖" in shared[:6] and "职代会" in shared[:6] and "一是" not in shared[:6]


def test_ranking_keeps_at_most_the_limit_and_each_group_apart(db):
    WordFrequency.objects.bulk_create([WordFrequency(word="问题", cases=900), WordFrequency(word="工资", cases=40)])

    assert shared_words_ranked([["问题", "工资", "绩效考核"], [], ["问题"]], limit=2) == [
        ["绩效考核", "工资"],
        [],
        ["问题"],
    ]


def test_numbers_and_amounts_come_after_the_words(db):
    WordFrequency.objects.bulk_create([WordFrequency(word="津贴", cases=30), WordFrequency(word="2025", cases=200)])

    # "2520" and "3个月" are in no other case (the rarest), yet the words naming the matter come first.
    assert shared_words_ranked([["2520", "津贴", "3个月", "夜班", "2025"]]) == [
        ["夜班", "津贴", "2520", "3个月", "2025"]
    ]


def test_the_count_runs_as_a_periodic_job():
    assert JOBS["word_frequencies"].every_seconds == 6 * 3600


def test_a_compound_both_letters_hold_is_shown_whole(make_case, clerk):
    first = make_case(subject="劳务派遣工要求同工同酬", content="劳务派遣工与正式工干一样的活，请求落实同工同酬。")
    second = make_case(subject="同工同酬何时落实", content="我们劳务派遣工的同工同酬问题一直没有落实。")
    word_frequencies_refresh()

    match = {r.case.pk: r for r in similar_cases(case=first, user=clerk)}[second.pk]

    assert "同工同酬" in match.shared and "同工" not in match.shared and "同酬" not in match.shared


def test_shared_words_keep_parts_no_whole_compound_covers():
    from huiyin.nlp.similar import shared_words

    # 补缴社保 whole in one letter, 社保 and 补缴 apart in the other: the parts are what they share.
    assert shared_words({"补缴社保", "工资"}, {"社保", "补缴", "工资"}) == {"补缴", "社保", "工资"}
    # 同工同酬 whole in both: shown whole, its parts not again.
    assert shared_words({"同工同酬", "派遣"}, {"同工同酬", "合同"}) == {"同工同酬"}
