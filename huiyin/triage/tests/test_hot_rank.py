"""How hot issues are ranked: by size, growth, units and people, the people a real but bounded factor. A
walk-through found a two-case issue with one collective petition of 288 people, nothing recent, ranked above a
seven-case issue growing ×2.0 - while the page says more cases rank higher and people only a little."""

from __future__ import annotations

from datetime import datetime, timedelta

from huiyin.nlp.cluster import cluster
from huiyin.triage.services import rank_score

# The walk-through's two issues: 2 cases (in two units), 288 people, no case in either window; 7 cases, 30 people,
# 4 in the last window against 2 in the one before.
LARGE_PETITION = {"size": 2, "recent": 0, "previous": 0, "units": 2, "headcount": 288}
GROWING = {"size": 7, "recent": 4, "previous": 2, "units": 1, "headcount": 30}


def test_one_large_collective_petition_does_not_outrank_several_times_the_cases_and_growing():
    assert rank_score(**GROWING) > rank_score(**LARGE_PETITION)


def test_among_issues_of_one_size_more_people_rank_higher():
    few = rank_score(**{**LARGE_PETITION, "headcount": 2})
    some = rank_score(**{**LARGE_PETITION, "headcount": 31})
    many = rank_score(**LARGE_PETITION)
    assert few < some < many


def test_people_add_at_most_about_two_thirds_more_cases():
    # What the page's explanation says: however many people, no more than ln(1.65) on the size's ln(1 + size).
    for size in (2, 3, 7, 20):
        base = {"size": size, "recent": 0, "previous": 0, "units": 1}
        lifted = rank_score(**base, headcount=100_000) - rank_score(**base, headcount=size)
        assert 0.45 < lifted <= 0.5
        # ... so an issue with twice the cases (one person each) still ranks above it.
        assert rank_score(**{**base, "size": 2 * size}, headcount=2 * size) > rank_score(**base, headcount=100_000)


def test_people_fewer_than_cases_add_nothing():
    # A petitioner's repeat petitions count them once: fewer people than cases is no penalty.
    assert rank_score(size=4, recent=0, previous=0, units=1, headcount=2) == rank_score(
        size=4, recent=0, previous=0, units=1, headcount=4
    )


def test_the_clustering_ranks_with_the_same_score():
    now = datetime(2025, 11, 24, 12)
    text = "南苑小区职工住房不动产登记问题，请求协调办理产权证"
    other = "北岭热电厂通勤车队夜班津贴拖欠三个月，请求补发"
    items = [
        {"id": f"a{i}", "title": "南苑小区不动产登记", "text": text, "time": now - timedelta(days=30 + i)}
        for i in range(2)
    ]
    items[0].update(headcount=286, unit="u1")
    items[1].update(unit="u2")
    ages = [1, 2, 3, 4, 8, 9, 20]  # 4 in the last 7 days, 2 in the 7 before
    items += [
        {"id": f"b{i}", "title": "夜班津贴拖欠", "text": other, "time": now - timedelta(days=d), "unit": "u3"}
        for i, d in enumerate(ages)
    ]
    items[2].update(headcount=24)
    ranked = cluster(items, threshold=0.3, now=now)
    assert [(c.size, c.headcount, c.recent, c.previous, c.units) for c in ranked] == [
        (7, 30, 4, 2, 1),
        (2, 287, 0, 0, 2),
    ]
    for c in ranked:
        assert c.score == rank_score(
            size=c.size, recent=c.recent, previous=c.previous, units=c.units, headcount=c.headcount
        )
