"""Time not counted (hearing time, Art. 36): inclusive ranges on the stage's decision clock."""

from datetime import date

import pytest
from django.urls import reverse

from huiyin.cases.models import EventKind
from huiyin.core.errors import DomainError
from huiyin.workflow.models import CasePause
from huiyin.workflow.services import case_pause_add


def test_pauses_move_the_due_date_by_the_days_not_counted(in_handling_case, office):
    handle = in_handling_case.deadlines.get(kind="handle")
    assert handle.due == date(2027, 1, 25)
    case_pause_add(case=in_handling_case, actor=office, first=date(2026, 12, 1), last=date(2026, 12, 3), reason="听证")
    handle.refresh_from_db()
    # 60 + 3 days end on Tuesday 2027-01-26.
    assert handle.due == date(2027, 1, 26)
    case_pause_add(case=in_handling_case, actor=office, first=date(2026, 12, 3), last=date(2026, 12, 4), reason="续")
    handle.refresh_from_db()
    assert handle.due == date(2027, 1, 27)  # overlapping ranges merge: 4 days in all
    note = in_handling_case.events.filter(kind=EventKind.NOTE).last()
    assert "2026年12月3日" in note.text and note.data["pause"] == CasePause.objects.last().pk


def test_a_pause_before_the_clock_started_is_refused(in_handling_case, office):
    with pytest.raises(DomainError):
        case_pause_add(
            case=in_handling_case, actor=office, first=date(2026, 11, 1), last=date(2026, 11, 2), reason="听证"
        )
    with pytest.raises(DomainError):
        case_pause_add(
            case=in_handling_case, actor=office, first=date(2026, 12, 5), last=date(2026, 12, 1), reason="听证"
        )
    assert not CasePause.objects.exists()


def test_pause_action_from_the_case_page(client, office, in_handling_case):
    client.force_login(office)
    url = reverse("cases:action", args=[in_handling_case.pk, "pause"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"first": "2026-12-01", "last": "2026-12-10", "reason": "听证会"})
    assert response.status_code == 302
    assert in_handling_case.deadlines.get(kind="handle").due == date(2027, 2, 2)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'id="pauses"' in page and "听证会" in page


def test_handler_cannot_record_a_pause(client, handler, in_handling_case):
    client.force_login(handler)
    assert client.get(reverse("cases:action", args=[in_handling_case.pk, "pause"])).status_code == 403


def test_the_note_is_in_the_site_language_dates_included_whatever_the_request_language(in_handling_case, office):
    from django.utils import translation

    with translation.override("en"):
        case_pause_add(
            case=in_handling_case, actor=office, first=date(2026, 12, 1), last=date(2026, 12, 3), reason="听证"
        )
    note = in_handling_case.events.filter(kind=EventKind.NOTE).last()
    assert "2026年12月1日" in note.text and "Dec" not in note.text
