"""The case list's date filters: they filter on the day the matter was received, say so, and a period that
ends before it starts is refused with a message instead of silently listing nothing (or everything)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.cases.filtersets import CaseFilterSet
from huiyin.cases.models import Case


def test_the_received_filters_are_named_for_the_day_received(office):
    form = CaseFilterSet(user=office).form
    assert str(form.fields["received_from"].label) == gettext("Received from") == "收到日期起"
    assert str(form.fields["received_to"].label) == gettext("Received to") == "收到日期止"


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(client, office, case):
    client.force_login(office)
    url = reverse("cases:list")

    good = client.get(url, {"received_from": "2020-01-01", "received_to": "2099-12-31"}).content.decode()
    assert case.case_no in good and "filter-error" not in good

    for headers in ({}, {"HX-Request": "true"}):
        page = client.get(url, {"received_from": "2026-10-01", "received_to": "2026-09-01"}, headers=headers)
        html = page.content.decode()
        assert page.status_code == 200 and 'class="alert error filter-error"' in html
        assert "收到日期止" in html and "早于" in html
        assert case.case_no not in html  # nothing listed as if it were the filtered result
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_api_refuses_the_same_period(client, office, case):
    client.force_login(office)
    response = client.get("/api/v1/cases", {"received_from": "2026-10-01", "received_to": "2026-09-01"})
    assert response.status_code == 400 and "received_to" in response.json()["error"]["fields"]


def test_one_day_is_a_period(client, office, case):
    client.force_login(office)
    day = timezone.localtime(case.received_at).date().isoformat()
    page = client.get(reverse("cases:list"), {"received_from": day, "received_to": day}).content.decode()
    assert "filter-error" not in page and case.case_no in page


def test_the_unit_filter_shows_the_tree(office, org):
    """Found in a walk-through: the unit filter listed 人力资源部 six times with nothing to tell them apart."""
    field = CaseFilterSet(user=office).form.fields["unit"]
    labels = [label for _value, label in field.choices][1:]
    assert labels[:2] == ["甲公司", "甲公司 · 甲公司信访办"] and "甲公司 · 甲公司一厂 · 一厂检修车间" in labels
