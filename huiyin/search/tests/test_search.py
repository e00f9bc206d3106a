"""The selector on the database in use (SQLite FTS5 or PostgreSQL): matching, ranking, highlighting, scope."""

import pytest
from django.db import connection

from huiyin.cases import services as s
from huiyin.cases.models import Case
from huiyin.search.selectors import SearchQueryError, case_ids_matching, case_search


def found(user, q, **kwargs):
    return [hit.case.pk for hit in case_search(user=user, q=q, **kwargs).hits]


@pytest.fixture
def corpus(make_case, org):
    """Cases whose words jieba segments differently from the query."""
    return {
        "wages": make_case(subject="公司拖欠薪水三个月", content="我们车间二十人的薪水从五月起一直拖欠。"),
        "canteen": make_case(subject="职工食堂饭菜价格上涨", content="职工食堂饭菜价格上涨，分量减少。"),
        "insurance": make_case(subject="要求补缴社保", content="单位未按规定补缴社保，影响退休待遇。"),
        "injury": make_case(subject="工伤认定拖延", content="去年在检修中受伤，工伤认定至今没有结果。"),
        "dorm": make_case(subject="宿舍维修", content="宿舍漏水，多次报修无人处理。", unit=org["a_office"]),
    }


def test_the_embedded_sqlite_has_fts5(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("q", "key"),
    [
        ("欠薪", "wages"),  # jieba cuts 拖欠/薪水: the word spans two tokens
        ("食堂", "canteen"),  # jieba keeps 职工食堂 whole
        ("社保", "insurance"),  # jieba keeps 补缴社保 whole
        ("工伤", "injury"),  # jieba keeps 工伤认定 whole
        ("维修", "dorm"),
        ("饭菜价格", "canteen"),
        ("认定拖延", "injury"),
    ],
)
def test_any_two_character_word_or_longer_is_found(corpus, office, q, key):
    assert found(office, q) == [corpus[key].pk]


def test_all_words_are_required(corpus, office):
    assert found(office, "工伤 检修") == [corpus["injury"].pk]
    assert found(office, "工伤 食堂") == []


def test_case_number_is_searchable(corpus, office):
    number = corpus["dorm"].case_no  # e.g. 2026-000005
    assert corpus["dorm"].pk in found(office, number)


def test_subject_matches_rank_above_content_matches(make_case, office):
    in_content = make_case(subject="关于职工福利", content="另外食堂也需要改进。")
    in_subject = make_case(subject="食堂卫生差", content="希望改进。")
    both = make_case(subject="食堂问题", content="食堂卫生差，食堂价格高，食堂排队久。")
    assert found(office, "食堂") == [both.pk, in_subject.pk, in_content.pk]
    ranks = [hit.rank for hit in case_search(user=office, q="食堂").hits]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]


def test_hits_carry_highlighted_subject_and_snippet(make_case, office):
    make_case(subject="<i>食堂</i>饭菜", content="前言。职工食堂饭菜太贵 & 量少。")
    hit = case_search(user=office, q="食堂").hits[0]
    assert hit.subject_html == "&lt;i&gt;<mark>食堂</mark>&lt;/i&gt;饭菜"
    assert "职工<mark>食堂</mark>饭菜太贵 &amp; 量少" in hit.snippet_html


def test_other_units_cases_are_never_returned(corpus, other_unit_clerk, make_case, org):
    theirs = make_case(
        subject="乙公司食堂涨价", content="乙公司食堂涨价。", unit=org["b_office"], actor=other_unit_clerk
    )
    assert found(other_unit_clerk, "食堂") == [theirs.pk]


def test_discipline_compartment_is_hidden_from_clerks(make_case, clerk, discipline):
    report = make_case(type="accusation", subject="检举食堂承包违规", content="食堂承包存在利益输送。")
    assert report.pk not in found(clerk, "食堂")
    assert report.pk in found(discipline, "食堂")


def test_recused_users_lose_the_case_in_search(case, clerk, office):
    assert case.pk in found(clerk, "加班费")
    s.case_recuse(case=case, user=clerk, reason="利益冲突", actor=office)
    assert found(clerk, "加班费") == []


def test_users_without_permission_find_nothing(case, no_perm_user):
    assert found(no_perm_user, "加班费") == []


def test_reply_text_is_indexed_when_issued(in_handling_case, handler, office):
    assert found(office, "补发") == []
    s.case_reply(case=in_handling_case, actor=handler, text="经核实，8月加班费已于9月10日补发。")
    hits = case_search(user=office, q="补发").hits
    assert [h.case.pk for h in hits] == [in_handling_case.pk]
    assert "<mark>补发</mark>" in hits[0].snippet_html


def test_paging_and_total(make_case, office):
    cases = [make_case(subject=f"宿舍维修第{i}次", content="宿舍维修。") for i in range(5)]
    first = case_search(user=office, q="宿舍", limit=2)
    second = case_search(user=office, q="宿舍", limit=2, offset=2)
    last = case_search(user=office, q="宿舍", limit=2, offset=4)
    assert first.total == second.total == last.total == 5 and first.complete
    ids = [h.case.pk for r in (first, second, last) for h in r.hits]
    assert sorted(ids) == sorted(c.pk for c in cases)
    beyond = case_search(user=office, q="宿舍", limit=2, offset=6)
    assert beyond.hits == [] and beyond.total == 5


@pytest.mark.parametrize(
    "q",
    ['"', '"食堂', "食堂*", "NEAR(食堂 价格)", "食堂 OR", "-食堂", "(食堂", "食堂)", "'; DROP TABLE x; --", "a" * 99],
)
def test_odd_queries_never_fail(corpus, office, q):
    # Every one is either a plain search or a clear refusal; never a database error.
    try:
        results = case_search(user=office, q=q)
    except SearchQueryError as exc:
        assert exc.message
    else:
        assert isinstance(results.hits, list)


def test_too_long_query_is_refused(office):
    with pytest.raises(SearchQueryError):
        case_search(user=office, q="食堂" * 1000)


def test_indexing_failure_does_not_block_registration(make_case, office, monkeypatch):
    from huiyin.search import services

    def broken(*args, **kwargs):
        raise RuntimeError("segmenter down")

    monkeypatch.setattr(services, "segment_all", broken)
    case = make_case(subject="宿舍停水", content="宿舍停水三天。")
    assert case.pk
    monkeypatch.undo()
    assert found(office, "停水") == []
    services.index_rebuild()
    assert found(office, "停水") == [case.pk]


# Issue #5: decimals and words typed without spaces ----------------------------------------------------------


def test_a_decimal_number_is_found(make_case, office):
    allowance = make_case(subject="夜班补贴标准", content="夜班补贴每小时3.5元，至今未调整。")
    make_case(subject="3号楼5层漏水", content="3号楼5层卫生间漏水。")
    make_case(subject="补贴标准", content="每小时13.5元。")
    hits = case_search(user=office, q="3.5").hits
    assert [h.case.pk for h in hits] == [allowance.pk]
    assert "<mark>3.5</mark>元" in hits[0].snippet_html
    assert found(office, "补贴 3.5") == [allowance.pk]


def test_words_typed_without_spaces_are_found_apart(make_case, office):
    """食堂涨价 finds a case that says 食堂饭菜涨价; the case saying it exactly ranks first."""
    # The exact case is the longer one: length alone would rank it second.
    apart = make_case(subject="职工食堂饭菜涨价", content="职工食堂饭菜涨价。")
    exact = make_case(subject="职工食堂涨价问题", content="职工食堂涨价，分量减少，希望尽快改进伙食质量，增加菜品。")
    make_case(subject="食堂卫生差", content="食堂卫生差，希望改进。")
    make_case(subject="班车票价涨价", content="班车票价涨价，希望改进。")
    assert found(office, "食堂涨价") == [exact.pk, apart.pk]
    hit = case_search(user=office, q="食堂涨价").hits[1]
    assert hit.subject_html == "职工<mark>食堂</mark>饭菜<mark>涨价</mark>"


def test_the_case_list_filter_finds_words_typed_without_spaces(make_case, office):
    apart = make_case(subject="职工食堂饭菜涨价", content="分量减少。")
    make_case(subject="食堂卫生差", content="希望改进。")
    assert list(Case.objects.visible_to(office).filter(pk__in=case_ids_matching("食堂涨价"))) == [apart]
