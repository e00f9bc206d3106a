"""Links between cases: written on both timelines, and never shown to a reader who may not see the other case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.cases import services as s
from huiyin.cases.models import EventKind
from huiyin.cases.selectors import case_links, case_timeline

pytestmark = pytest.mark.django_db


def _linked(events):
    return [(e.data["case_no"], e.data["kind"], e.text) for e in events if e.kind == EventKind.LINKED]


def test_a_link_is_on_both_timelines(make_case, office):
    first = make_case()
    second = make_case(subject="一厂加班费仍未补发", content="此前反映的8月加班费问题至今没有答复。")
    s.case_link_add(case=second, other=first, kind="repeat", actor=office, note="同一加班费事项")

    assert _linked(case_timeline(case=second, user=office)) == [(first.case_no, "repeat", "同一加班费事项")]
    assert _linked(case_timeline(case=first, user=office)) == [(second.case_no, "repeat", "同一加班费事项")]
    links_out, links_in = case_links(case=first, user=office)
    assert list(links_out) == []
    assert [link.from_case for link in links_in] == [second]


def test_a_link_from_an_accusation_report_never_reaches_the_matters_handlers(
    make_case, in_handling_case, discipline, handler, office, client
):
    """An accusation linked to the matter it concerns: the matter's handler (who may be the accused) sees no
    trace of it, not on the page, the timeline or the API; the discipline office sees the link both ways."""
    matter = in_handling_case
    report = make_case(type="accusation", subject="举报一厂车间主任克扣加班费", content="一厂检修车间主任克扣加班费。")
    assert report.compartment == "discipline"
    s.case_link_add(case=report, other=matter, kind="related", actor=discipline, note="举报所涉加班费事项")

    assert _linked(case_timeline(case=matter, user=handler)) == []
    assert case_links(case=matter, user=handler)[1].count() == 0
    assert _linked(case_timeline(case=matter, user=discipline)) == [(report.case_no, "related", "举报所涉加班费事项")]
    assert [link.from_case for link in case_links(case=matter, user=discipline)[1]] == [report]

    client.force_login(handler)
    page = client.get(reverse("cases:detail", args=[matter.pk])).content.decode()
    assert matter.case_no in page
    assert report.case_no not in page
    assert "举报所涉加班费事项" not in page
    api = client.get(f"/api/v1/cases/{matter.pk}").json()
    assert api["case_no"] == matter.case_no
    assert all(e["kind"] != EventKind.LINKED for e in api["events"])
    assert "举报所涉加班费事项" not in str(api)

    # The petition office of the company sees the matter but not the accusation report either.
    assert _linked(case_timeline(case=matter, user=office)) == []

    client.force_login(discipline)
    page = client.get(reverse("cases:detail", args=[matter.pk])).content.decode()
    assert report.case_no in page
    api = client.get(f"/api/v1/cases/{matter.pk}").json()
    assert [e["text"] for e in api["events"] if e["kind"] == EventKind.LINKED] == ["举报所涉加班费事项"]
