"""Defects found walking the demo: the pause form's message for a period over a year, the supervision
feedback date range, and late supervision feedback shown as such (time frozen at 2026-11-24)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.core.errors import DomainError
from huiyin.workflow.forms import PauseForm, SupervisionForm
from huiyin.workflow.models import CasePause, Supervision
from huiyin.workflow.services import case_pause_add, supervision_feedback, supervision_open

# 3. A pause over a year --------------------------------------------------------------------------


def test_the_pause_form_says_a_pause_cannot_be_longer_than_a_year():
    form = PauseForm({"first": "2026-12-01", "last": "2027-12-02", "reason": "听证会"})  # 367 days
    assert not form.is_valid()
    assert form.errors["last"] == [gettext("A pause cannot be longer than one year.")]
    assert PauseForm({"first": "2026-12-01", "last": "2027-12-01", "reason": "听证会"}).is_valid()  # 366 days


def test_the_pause_page_shows_the_message_and_records_nothing(client, office, in_handling_case, english):
    client.force_login(office)
    url = reverse("cases:action", args=[in_handling_case.pk, "pause"])
    response = client.post(url, {"first": "2026-12-01", "last": "2028-01-10", "reason": "听证会"})
    body = response.content.decode()
    assert response.status_code == 400 and "A pause cannot be longer than one year." in body
    assert "Too long." not in body
    assert not CasePause.objects.filter(case=in_handling_case).exists()


def test_the_service_names_the_field_error_plainly(office, in_handling_case):
    with pytest.raises(DomainError) as refused:
        case_pause_add(
            case=in_handling_case, actor=office, first=date(2026, 12, 1), last=date(2028, 1, 10), reason="听证会"
        )
    assert refused.value.fields["last"] == [gettext("A pause cannot be longer than one year.")]


# 9. The supervision feedback date ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "ok"),
    [("2026-11-24", False), ("2026-11-25", True), ("2027-02-22", True), ("2027-02-23", False), ("2099-12-31", False)],
)
def test_the_feedback_date_is_after_today_and_at_most_90_days_ahead(due, ok):
    form = SupervisionForm({"level": "normal", "instructions": "限期反馈", "feedback_due": due})
    assert form.is_valid() == ok
    if not ok:
        assert form.errors["feedback_due"]


def test_the_supervise_page_refuses_2099_and_opens_nothing(client, office, in_handling_case, english):
    client.force_login(office)
    url = reverse("cases:action", args=[in_handling_case.pk, "supervise"])
    response = client.post(url, {"level": "normal", "instructions": "限期反馈", "feedback_due": "2099-12-31"})
    assert response.status_code == 400
    assert "The feedback date can be at most 90 days from today." in response.content.decode()
    assert not Supervision.objects.filter(case=in_handling_case).exists()


def test_the_service_refuses_a_far_feedback_date(office, in_handling_case):
    with pytest.raises(DomainError) as refused:
        supervision_open(
            case=in_handling_case,
            actor=office,
            level="normal",
            instructions="限期反馈",
            feedback_due=date(2099, 12, 31),
        )
    assert "feedback_due" in refused.value.fields
    assert not Supervision.objects.filter(case=in_handling_case).exists()


# 1. Late feedback on supervision is not shown as on time -----------------------------------------


def test_late_feedback_is_shown_late_in_the_panel_and_the_list(
    client, office, handler, in_handling_case, traveller, english
):
    supervision_open(
        case=in_handling_case, actor=office, level="normal", instructions="限期反馈", feedback_due=date(2026, 11, 30)
    )
    traveller.move_to("2026-12-03 10:00+08:00")
    supervision_feedback(case=in_handling_case, actor=handler, text="已完成核查并书面反馈。")
    client.force_login(office)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    panel = page.split('id="supervision"')[1].split("</section>")[0]
    assert "Completed 3 days late" in panel and 'class="clock ok"' not in panel
    listing = client.get(reverse("workflow:supervision"), {"state": "answered"}).content.decode()
    assert "Completed 3 days late" in listing
