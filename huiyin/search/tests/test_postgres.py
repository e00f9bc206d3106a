"""PostgreSQL only: the newest-window ranking of words found in very many cases, and its statistics."""

import pytest
from django.db import connection
from django.test import override_settings

from huiyin.search import backends
from huiyin.search.selectors import case_search

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture(autouse=True)
def fresh_stats():
    backends._term_stats.clear()
    yield
    backends._term_stats.clear()


@pytest.fixture
def canteen_cases(make_case, org, other_unit_clerk):
    mine = [make_case(subject=f"食堂问题{i}", content="食堂饭菜贵。") for i in range(4)]
    # Newer than all of mine, and out of the clerk's scope: must neither show nor fill the window.
    theirs = [
        make_case(subject="乙公司食堂", content="食堂。", unit=org["b_office"], actor=other_unit_clerk)
        for _ in range(3)
    ]
    return mine, theirs


@override_settings(HUIYIN_SEARCH_EXACT_MAX=-1, HUIYIN_SEARCH_WINDOW=2)
def test_a_broad_word_is_ranked_among_the_newest_visible_matches(canteen_cases, clerk):
    mine, _theirs = canteen_cases
    results = case_search(user=clerk, q="食堂")
    assert not results.complete and results.total == 2
    assert sorted(h.case.pk for h in results.hits) == sorted(c.pk for c in mine[-2:])


@override_settings(HUIYIN_SEARCH_EXACT_MAX=-1, HUIYIN_SEARCH_WINDOW=2)
def test_several_words_go_through_the_guarded_exact_query_first(canteen_cases, clerk):
    mine, _theirs = canteen_cases
    results = case_search(user=clerk, q="食堂 饭菜")
    assert not results.complete
    assert {h.case.pk for h in results.hits} <= {c.pk for c in mine}


@override_settings(HUIYIN_SEARCH_EXACT_MAX=-1, HUIYIN_SEARCH_WINDOW=10)
def test_fewer_recent_matches_than_the_window_fall_back_to_ranking_all(canteen_cases, clerk):
    mine, _theirs = canteen_cases
    results = case_search(user=clerk, q="食堂")
    assert results.complete and results.total == 4
    assert sorted(h.case.pk for h in results.hits) == sorted(c.pk for c in mine)


@override_settings(HUIYIN_SEARCH_EXACT_MAX=3, HUIYIN_SEARCH_WINDOW=2, HUIYIN_SEARCH_RECENT_ROWS=2)
def test_the_recent_rows_bound_the_backward_walk(canteen_cases, clerk):
    # The 2 newest documents are out of scope: the walk stops there and every match is ranked instead.
    mine, _theirs = canteen_cases
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_casedoc")
    results = case_search(user=clerk, q="食堂")
    assert results.complete and results.total == 4


def test_estimate_uses_the_column_statistics(canteen_cases):
    engine = backends.PostgresBackend()
    with connection.cursor() as cursor:
        assert engine.estimate(cursor, [["食堂"]]) == 0.0  # never analysed: rank everything
        backends._term_stats.clear()
        cursor.execute("ANALYZE search_casedoc")
        common = engine.estimate(cursor, [["食堂"]])
        phrase = engine.estimate(cursor, [["食堂", "堂问", "问题"]])
        assert common == pytest.approx(7, abs=1)
        assert 0 < phrase <= common
        assert engine.estimate(cursor, [["食堂"], ["饭菜"]]) < common  # words multiply
