"""Defects found on the demo: late extensions, rejections without a reason, untranslated holiday
schedule errors, and petitioner windows shown as "completed late" (time frozen at 2026-11-24)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from huiyin.cases.models import CaseEvent, CaseExtension, EventKind, ExtensionStatus
from huiyin.cases.services import (
    case_close,
    case_extension_decide,
    case_extension_request,
    case_next_stage_request,
    case_rate,
)
from huiyin.cases.templatetags.cases_tags import clock
from huiyin.core.dates import date_text
from huiyin.core.errors import DomainError
from huiyin.workflow.models import HolidaySchedule
from huiyin.workflow.services import (
    deadline_extension_preview,
    deadlines_sweep,
    holiday_schedule_check,
    holiday_schedule_load,
)

REQUEST_TOO_LATE = "The handling period ended on {due}: an extension can only be requested before it ends."
APPROVE_TOO_LATE = (
    "The handling period ended on {due}: an extension can only be approved before it ends. "
    "Reject the request and give the reason."
)
NO_REASON = "Give the reason for not approving the extension: the handler is told it."


def _action(case, name):
    return reverse("cases:action", args=[case.pk, name])


# 1. No extension once the handling period has ended ----------------------------------------------


def test_an_extension_cannot_be_requested_after_the_period_ended(in_handling_case, handler, traveller):
    handle = in_handling_case.deadlines.get(kind="handle")
    assert handle.due == date(2027, 1, 25)
    traveller.move_to("2027-01-26T09:00:00+08:00")
    with pytest.raises(DomainError) as caught:
        case_extension_request(case=in_handling_case, actor=handler, days=20, reason="需调取三年工资台账")
    assert caught.value.message == gettext(REQUEST_TOO_LATE).format(due=date_text(date(2027, 1, 25)))
    assert not CaseExtension.objects.filter(case=in_handling_case).exists()
    assert not CaseEvent.objects.filter(case=in_handling_case, kind=EventKind.EXTENSION_REQUESTED).exists()


def test_an_extension_can_still_be_requested_and_approved_on_the_last_day(in_handling_case, handler, leader, traveller):
    traveller.move_to("2027-01-25T16:00:00+08:00")
    ext = case_extension_request(case=in_handling_case, actor=handler, days=10, reason="需调取三年工资台账")
    case_extension_decide(extension=ext, actor=leader, approve=True)
    handle = in_handling_case.deadlines.get(kind="handle")
    assert handle.extension_days == 10 and handle.due > date(2027, 1, 25)


def test_an_extension_is_not_approved_once_the_period_has_ended(in_handling_case, handler, leader, traveller):
    ext = case_extension_request(case=in_handling_case, actor=handler, days=20, reason="需调取三年工资台账")
    traveller.move_to("2027-01-26T09:00:00+08:00")
    with pytest.raises(DomainError) as caught:
        case_extension_decide(extension=ext, actor=leader, approve=True)
    assert caught.value.message == gettext(APPROVE_TOO_LATE).format(due=date_text(date(2027, 1, 25)))
    ext.refresh_from_db()
    handle = in_handling_case.deadlines.get(kind="handle")
    assert ext.status == ExtensionStatus.REQUESTED and ext.told_at is None
    assert (handle.due, handle.extension_days, handle.told_due) == (date(2027, 1, 25), 0, None)
    assert not CaseEvent.objects.filter(case=in_handling_case, kind=EventKind.EXTENSION_APPROVED).exists()
    # The approver shows no new date and can still reject the request, with a reason.
    assert deadline_extension_preview(case=in_handling_case, stage=ext.stage, days=ext.days) == (
        date(2027, 1, 25),
        None,
    )
    case_extension_decide(extension=ext, actor=leader, approve=False, note="办理期限已届满，不能再延期")
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.REJECTED


def test_the_late_approval_is_refused_on_the_form(client, in_handling_case, handler, leader, traveller, english):
    case_extension_request(case=in_handling_case, actor=handler, days=20, reason="需调取三年工资台账")
    traveller.move_to("2027-01-26T09:00:00+08:00")
    client.force_login(leader)
    response = client.post(_action(in_handling_case, "decide_extension"), {"decision": "approve", "note": ""})
    assert response.status_code == 400
    with translation.override("en"):
        expected = gettext(APPROVE_TOO_LATE).format(due=date_text(date(2027, 1, 25)))
    assert expected in response.content.decode()
    assert in_handling_case.deadlines.get(kind="handle").extension_days == 0


def test_the_late_request_is_refused_on_the_form(client, in_handling_case, handler, traveller, english):
    traveller.move_to("2027-01-26T09:00:00+08:00")
    client.force_login(handler)
    response = client.post(_action(in_handling_case, "extend"), {"days": "20", "reason": "需调取三年工资台账"})
    assert response.status_code == 400
    with translation.override("en"):
        expected = gettext(REQUEST_TOO_LATE).format(due=date_text(date(2027, 1, 25)))
    assert expected in response.content.decode()
    assert not CaseExtension.objects.filter(case=in_handling_case).exists()


# 2. A rejection states its reason ----------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   "])
def test_an_extension_is_not_rejected_without_a_reason(in_handling_case, handler, leader, note):
    ext = case_extension_request(case=in_handling_case, actor=handler, days=20, reason="需调取三年工资台账")
    with pytest.raises(DomainError) as caught:
        case_extension_decide(extension=ext, actor=leader, approve=False, note=note)
    assert caught.value.message == gettext(NO_REASON)
    assert caught.value.fields == {"note": [gettext("This field is required.")]}
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.REQUESTED
    assert not CaseEvent.objects.filter(case=in_handling_case, kind=EventKind.EXTENSION_REJECTED).exists()


def test_the_rejection_form_asks_for_the_reason(client, in_handling_case, handler, leader, english):
    ext = case_extension_request(case=in_handling_case, actor=handler, days=20, reason="需调取三年工资台账")
    client.force_login(leader)
    response = client.post(_action(in_handling_case, "decide_extension"), {"decision": "reject", "note": ""})
    assert response.status_code == 400
    with translation.override("en"):
        assert gettext(NO_REASON) in response.content.decode()
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.REQUESTED
    response = client.post(
        _action(in_handling_case, "decide_extension"), {"decision": "reject", "note": "理由不充分，请按期办结"}
    )
    assert response.status_code == 302
    ext.refresh_from_db()
    assert (ext.status, ext.decision_note) == (ExtensionStatus.REJECTED, "理由不充分，请按期办结")
    event = CaseEvent.objects.get(case=in_handling_case, kind=EventKind.EXTENSION_REJECTED)
    assert event.text == "理由不充分，请按期办结"


# 3. Holiday schedule errors in the user's language; the import sentence only for importers -----


BAD_SCHEDULE = "2027-01-01,holiday\n2027-01-04,workday\n2027-13-01,holiday\n2027-01-02,vacation\nbad\n"


def _expected_problems():
    return [
        gettext("line {line}: {date} is a {weekday}; a make-up workday must fall on a Saturday or Sunday").format(
            line=2, date="2027-01-04", weekday=gettext("Monday")
        ),
        gettext("line {line}: {value!r} is not a valid calendar date").format(line=3, value="2027-13-01"),
        gettext("line {line}: kind must be 'holiday' or 'workday', not {kind!r}").format(line=4, kind="vacation"),
        gettext("line {line}: expected 'YYYY-MM-DD,holiday|workday[,name]', got {text!r}").format(line=5, text="bad"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_schedule_problems_are_translated_one_by_one(org, language):
    with translation.override(language):
        with pytest.raises(DomainError) as caught:
            holiday_schedule_check(year=2027, text=BAD_SCHEDULE)
        expected = _expected_problems()
        assert caught.value.fields == {"text": expected}
        assert caught.value.message == "\n".join([gettext("The schedule is not valid:"), *expected])
    if language == "zh-hans":
        assert "星期一" in caught.value.fields["text"][0]  # the weekday too
        assert "Monday" not in caught.value.message


def test_many_schedule_problems_are_counted(org):
    text = "".join(f"bad line {n}\n" for n in range(25))
    with pytest.raises(DomainError) as caught:
        holiday_schedule_check(year=2027, text=text)
    errors = caught.value.fields["text"]
    assert len(errors) == 21 and "line 20:" in errors[19] and "5" in errors[20]


def test_the_holiday_page_shows_each_problem_on_the_form(client, superuser, in_handling_case):
    client.force_login(superuser)
    response = client.post(reverse("workflow:holidays"), {"year": "2027", "text": BAD_SCHEDULE, "source": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == _expected_problems()
    assert not HolidaySchedule.objects.exists()
    assert "invalid schedule" not in response.content.decode()


def test_the_office_is_told_who_loads_the_schedule(client, office, english):
    client.force_login(office)
    body = client.get(reverse("workflow:holidays")).content.decode()
    assert "until the system administrator loads the official schedule" in body
    assert "loaded here" not in body
    assert 'enctype="multipart/form-data"' not in body


def test_an_administrator_is_told_to_load_it_here(client, superuser, english):
    client.force_login(superuser)
    body = client.get(reverse("workflow:holidays")).content.decode()
    assert "until the official schedule is loaded here" in body
    assert "system administrator" not in body
    assert 'enctype="multipart/form-data"' in body


def test_a_valid_schedule_still_loads(org):
    result = holiday_schedule_load(year=2027, text="2027-01-01,holiday\n")
    assert result.schedule.year == 2027


# 4. A petitioner's window: used, or ended unused -- never "completed late" -----------------------


def _late_texts():
    return {
        "Completed {days} day late",
        "Completed {days} days late",
        gettext("Completed {days} day late"),
        gettext("Completed {days} days late"),
    }


def test_a_rating_window_that_lapsed_reads_period_ended_not_late(replied_case, traveller):
    rating = replied_case.deadlines.get(kind="rating")
    assert rating.due == date(2026, 12, 24)
    traveller.move_to("2026-12-29T10:00:00+08:00")
    assert deadlines_sweep().closed == 1  # closed without a rating, five days after the window
    rating.refresh_from_db()
    assert rating.met_at is not None
    state = clock(rating, date(2026, 12, 29))
    assert state == {"css": "muted", "text": gettext("Period ended: not rated"), "late": 0}


def test_a_rating_window_closed_by_hand_after_it_ended_reads_period_ended(replied_case, office, traveller):
    traveller.move_to("2026-12-29T10:00:00+08:00")
    case_close(case=replied_case, actor=office, note="信访人在评价期限内未作评价。")
    state = clock(replied_case.deadlines.get(kind="rating"), date(2026, 12, 29))
    assert state["text"] == gettext("Period ended: not rated")


def test_a_rating_given_in_time_reads_used(replied_case, clerk, traveller):
    traveller.move_to("2026-12-10T10:00:00+08:00")
    case_rate(case=replied_case, actor=clerk, rating="satisfied")
    state = clock(replied_case.deadlines.get(kind="rating"), date(2026, 12, 29))
    assert state == {"css": "ok", "text": gettext("Used: rated"), "late": 0}


def test_a_review_requested_in_time_reads_used(replied_case, clerk, traveller):
    traveller.move_to("2026-12-10T10:00:00+08:00")
    case_next_stage_request(case=replied_case, actor=clerk, reason="对答复不满意")
    request = replied_case.deadlines.get(kind="review_request")
    assert clock(request, date(2027, 3, 1)) == {"css": "ok", "text": gettext("Used: review requested"), "late": 0}
    # The rating window closed when the review was requested, before it ended, without a rating.
    rating = replied_case.deadlines.get(kind="rating")
    assert clock(rating, date(2027, 3, 1))["text"] == gettext("Not rated")


def test_the_case_page_does_not_call_an_unused_window_late(client, office, replied_case, traveller, english):
    traveller.move_to("2026-12-29T10:00:00+08:00")
    deadlines_sweep()
    client.force_login(office)
    body = client.get(replied_case.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert gettext("Period ended: not rated") in body
    assert "days late" not in body and "day late" not in body
