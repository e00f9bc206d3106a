"""The search page and the header's search box: permission matrix, results, odd input."""

import pytest
from django.urls import reverse

URL = reverse("search:search")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL, {"q": "食堂"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("persona", "code"), [("no_perm_user", 403), ("clerk", 200), ("office", 200)])
def test_permission_matrix(client, request, persona, code):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"q": "食堂"}).status_code == code


def test_post_is_not_allowed(client, clerk):
    client.force_login(clerk)
    assert client.post(URL, {"q": "食堂"}).status_code == 405


def test_results_show_number_subject_status_and_highlight(client, clerk, make_case):
    case = make_case(subject="职工食堂<b>涨价</b>", content="食堂饭菜涨价。")
    client.force_login(clerk)
    html = client.get(URL, {"q": "食堂"}).content.decode()
    assert case.case_no in html
    assert "职工<mark>食堂</mark>&lt;b&gt;涨价&lt;/b&gt;" in html
    assert "<mark>食堂</mark>饭菜涨价" in html
    assert case.get_status_display() in html
    assert case.get_absolute_url() in html


def test_other_units_cases_are_not_shown(client, other_unit_clerk, make_case):
    case = make_case(subject="食堂涨价", content="食堂涨价。")
    client.force_login(other_unit_clerk)
    html = client.get(URL, {"q": "食堂"}).content.decode()
    assert case.case_no not in html


@pytest.mark.parametrize("q", ['"', "NEAR(", "*", "，。", "房", "\x00食堂", "食堂" * 200, "'--"])
def test_odd_queries_answer_200_with_a_message(client, clerk, case, q):
    client.force_login(clerk)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200


def test_single_character_gets_a_chinese_message(client, clerk):
    client.force_login(clerk)
    html = client.get(URL, {"q": "房"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="search-error"' in html


def test_htmx_request_gets_the_results_only(client, clerk, case):
    client.force_login(clerk)
    response = client.get(URL, {"q": "加班费"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert case.case_no in html


def test_empty_page_renders_the_form(client, clerk):
    client.force_login(clerk)
    html = client.get(URL).content.decode()
    assert 'name="q"' in html


def test_header_has_the_search_box_for_case_staff_only(client, clerk, no_perm_user):
    client.force_login(clerk)
    assert 'class="topsearch"' in client.get(reverse("cases:list")).content.decode()
    client.force_login(no_perm_user)
    assert 'class="topsearch"' not in client.get(reverse("notify:inbox")).content.decode()


def test_case_list_q_uses_the_index(client, clerk, make_case):
    content_only = make_case(subject="反映一件事", content="我们的工资被拖欠薪水三个月。")
    other = make_case(subject="宿舍维修", content="宿舍漏水。")
    client.force_login(clerk)
    html = client.get(reverse("cases:list"), {"q": "欠薪"}).content.decode()
    assert content_only.case_no in html and other.case_no not in html
    html = client.get(reverse("cases:list"), {"q": other.case_no}).content.decode()
    assert other.case_no in html and content_only.case_no not in html
    # Nothing searchable: no error, no match.
    assert client.get(reverse("cases:list"), {"q": "，"}).status_code == 200


@pytest.fixture
def canteen_pages(client, clerk, make_case, monkeypatch):
    """Three cases about the canteen, two to a page, and the clerk signed in."""
    from huiyin.search import views

    for i in range(3):
        make_case(subject=f"食堂问题{i}", content="食堂。")
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(clerk)
    return client


def test_pages(canteen_pages):
    client = canteen_pages
    html = client.get(URL, {"q": "食堂", "page": 2}).content.decode()
    assert html.count('class="search-hit"') == 1
    assert "page=1" in html and "page=3" not in html
    assert client.get(URL, {"q": "食堂", "page": "x"}).status_code == 200
    assert client.get(URL, {"q": "食堂", "page": 10**6}).status_code == 200


def test_a_page_past_the_end_shows_the_last_page(canteen_pages):
    """Found in a walk-through: page=999 said "found 23", then "no case holds these words", then "page 25 of 2"."""
    client = canteen_pages
    html = client.get(URL, {"q": "食堂", "page": 999}).content.decode()
    assert html.count('class="search-hit"') == 1 and "第 2 页，共 2 页" in html
