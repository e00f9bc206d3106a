"""The staff read API of cases (`/api/v1/cases`, `/api/v1/cases/<id>`): what its answers hold.

Found in an API walk-through; each test fails on the code before its fix.
"""

from __future__ import annotations

import pytest

from huiyin.cases.models import Category

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases"


@pytest.fixture
def wages_case(make_case):
    return make_case(category=Category.objects.get(code="wages"), channel="visit", type="claim")


def test_answers_label_every_code_in_chinese(client, office, wages_case):
    """Only `status_label` was given: a client had to translate type, channel, stage and category itself."""
    client.force_login(office)
    row = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}/{wages_case.pk}").json()
    for answer in (row, detail):
        assert (answer["type"], answer["type_label"]) == ("claim", "申诉求决")
        assert (answer["channel"], answer["channel_label"]) == ("visit", "来访")
        assert (answer["stage"], answer["stage_label"]) == ("first", "首次办理")
        assert (answer["source"], answer["source_label"]) == ("own", "直接受理")
        assert (answer["category"], answer["category_name"]) == ("wages", "工资薪酬")
        assert (answer["status"], answer["status_label"]) == ("registered", "已登记")


def test_labels_follow_the_language_of_the_request(client, office, wages_case):
    client.force_login(office)
    row = client.get(LIST, headers={"Accept-Language": "en"}).json()["results"][0]
    assert (row["type_label"], row["channel_label"], row["category_name"]) == (
        "Appeal or claim",
        "Visit",
        "Wages and pay",
    )


def test_an_uncategorised_case_has_no_category_name(client, office, case):
    client.force_login(office)
    row = client.get(LIST).json()["results"][0]
    assert row["category"] is None and row["category_name"] is None
