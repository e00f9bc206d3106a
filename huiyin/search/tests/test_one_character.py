"""A one-character query gets the same "at least two characters" answer whatever its script."""

import html

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.search.selectors import SearchQueryError, query_parse

HINT = "Search for words of at least two characters, such as 欠薪 or 工伤."


@pytest.mark.parametrize("q", ["工", "a", "A", "Ａ", "7", " x "])
def test_one_character_is_refused_with_the_hint(q):
    with pytest.raises(SearchQueryError) as exc:
        query_parse(q)
    assert exc.value.message == gettext(HINT)


def test_a_lone_letter_beside_a_word_is_set_aside_like_a_lone_han_character():
    latin, han = query_parse("a 欠薪"), query_parse("工 欠薪")
    assert latin.groups == han.groups == [["欠薪"]]
    assert latin.ignored == ["a"] and han.ignored == ["工"]


def test_two_latin_letters_are_still_searched():
    assert query_parse("xf").groups == [["xf"]]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["a", "工"])
def test_the_page_gives_the_same_hint(client, clerk, case, q):
    client.force_login(clerk)
    response = client.get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'class="search-error"' in page and gettext(HINT) in page


@pytest.mark.django_db
def test_a_place_name_is_searched_whole(client, clerk, make_case):
    """Found in two walk-throughs: 黑石岭 (jieba: 黑 / 石岭) searched 石岭 only, with the notice "单个字不单独检索：黑"
    though no single character was typed, and found 青石岭 as well. One character jieba cuts off the front of a
    word is part of it: the name is searched as typed, and marked whole."""
    parsed = query_parse("黑石岭")
    assert parsed.words == ["黑石岭"] and parsed.ignored == [] and parsed.ranked_runs == []
    hit = make_case(subject="黑石岭选煤厂夜班补贴未发", content="黑石岭选煤厂夜班补贴三个月未发，石岭路口也有人反映。")
    other = make_case(subject="青石岭矿区道路破损", content="青石岭矿区道路破损，职工上下班不便。")
    client.force_login(clerk)

    page = html.unescape(client.get(reverse("search:search"), {"q": "黑石岭"}).content.decode())

    assert hit.case_no in page and other.case_no not in page
    assert "<mark>黑石岭</mark>选煤厂" in page and "<mark>石岭</mark>路口" not in page
    assert "search-ignored" not in page
