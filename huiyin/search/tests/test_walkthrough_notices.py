"""What the search page says about odd input, and how it marks a case number (found in a walk-through)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext

URL = reverse("search:search")
INVALID = "The search text contains invalid characters."


@pytest.mark.parametrize("q", ["\x00", "\x00食堂", "食堂\x00"])
def test_a_nul_character_gets_a_clear_message_and_no_results(client, clerk, make_case, q):
    """`/search/?q=%00` showed Django's garbled "不允许是用空字符串。"."""
    make_case(subject="食堂涨价", content="食堂涨价。")
    client.force_login(clerk)

    response = client.get(URL, {"q": q})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert response.context["error"] == gettext(INVALID)
    assert 'class="search-error"' in page and gettext(INVALID) in page
    assert response.context["results"] is None and "search-hit" not in page
    assert "空字符串" not in page


def _notice(client, q):
    page = html.unescape(client.get(URL, {"q": q}).content.decode())
    match = re.search(r'<span class="search-ignored">(.*?)</span>', page, re.S)
    assert match, page
    return match.group(1).strip()


def test_single_characters_are_told_one_way(client, clerk, make_case):
    """Two phrasings of one notice ("单个字不单独检索（聋）", "单个字未参与搜索：1"): now one, with the
    ranking of a run typed whole added when there is one."""
    make_case(subject="食堂饭菜贵", content="选煤厂食堂饭菜贵，夜班补贴三个月未发。")
    client.force_login(clerk)
    plain = gettext("Single characters are not searched on their own: %(chars)s.")

    digit = _notice(client, "1 食堂")
    run = _notice(client, "饭菜贵")

    assert digit == plain % {"chars": "1"}
    assert run.startswith(plain % {"chars": "贵"})
    assert gettext("Cases containing “%(runs)s” as typed rank higher.") % {"runs": "饭菜贵"} in run


@pytest.mark.parametrize("typed", ["{no}", "{no} 食堂", "{wide}", "{bare}", "{bare} 食堂"])
def test_a_case_number_searched_for_is_marked_in_the_result(client, clerk, make_case, typed):
    """Also typed without its dash (2026000001): a helper found such a search found nothing."""
    case = make_case(subject="食堂涨价", content="食堂涨价。")
    make_case(subject="宿舍漏水", content="宿舍漏水。")
    wide = case.case_no.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    client.force_login(clerk)

    q = typed.format(no=case.case_no, wide=wide, bare=case.case_no.replace("-", ""))
    page = client.get(URL, {"q": q}).content.decode()

    assert f'<span class="search-no"><mark>{case.case_no}</mark></span>' in page


def test_a_case_number_not_searched_for_is_not_marked(client, clerk, make_case):
    case = make_case(subject="食堂涨价", content="食堂涨价。")
    client.force_login(clerk)
    page = client.get(URL, {"q": "食堂"}).content.decode()
    assert f'<span class="search-no">{case.case_no}</span>' in page
