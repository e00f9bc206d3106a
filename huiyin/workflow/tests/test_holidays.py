"""Loading the official schedule of a year: recomputation, the provisional mark, told dates kept."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from huiyin.cases.services import case_extension_decide, case_extension_request
from huiyin.core.errors import DomainError
from huiyin.workflow import clocks
from huiyin.workflow.models import HolidaySchedule
from huiyin.workflow.services import holiday_schedule_load, holiday_schedule_remove
from huiyin.workflow.tests.conftest import SCHEDULE_2027


def _extended(case, handler, leader, days=8):
    ext = case_extension_request(case=case, actor=handler, days=days, reason="需调取三年工资台账")
    case_extension_decide(extension=ext, actor=leader, approve=True)
    return case.deadlines.get(kind="handle")


def test_calendar_uses_a_loaded_schedule_and_forgets_a_removed_one(org):
    assert clocks.calendar_provider().source(2027) == "provisional"
    holiday_schedule_load(year=2027, text=SCHEDULE_2027)
    calendar = clocks.calendar_provider()
    assert calendar.source(2027) == "override"
    assert calendar.is_working_day(date(2027, 1, 31))  # a make-up Sunday
    holiday_schedule_remove(year=2027)
    assert clocks.calendar_provider().source(2027) == "provisional"


def test_loading_recomputes_open_deadlines_and_clears_the_provisional_mark(in_handling_case):
    before = in_handling_case.deadlines.get(kind="handle")
    assert (before.due, before.provisional) == (date(2027, 1, 25), True)
    result = holiday_schedule_load(year=2027, text=SCHEDULE_2027, source="国办发明电〔2026〕X号")
    after = in_handling_case.deadlines.get(kind="handle")
    assert after.provisional is False
    assert after.due == date(2027, 1, 25)  # Saturday 23rd is still a rest day: Monday
    assert result.recompute.checked >= 1 and result.recompute.provisional == 0


def test_loading_never_shortens_a_told_date(in_handling_case, handler, leader):
    handle = _extended(in_handling_case, handler, leader)
    assert (handle.due, handle.told_due, handle.provisional) == (date(2027, 2, 1), date(2027, 2, 1), True)
    # Officially Sunday 2027-01-31 is a make-up workday: the law's date would now be the 31st,
    # but the petitioner was told 1 February, so 1 February stands, and it is no longer provisional.
    result = holiday_schedule_load(year=2027, text=SCHEDULE_2027)
    assert clocks.compute(rule="handle", start=handle.start, extension_days=8).due == date(2027, 1, 31)
    handle.refresh_from_db()
    assert (handle.due, handle.told_due, handle.provisional) == (date(2027, 2, 1), date(2027, 2, 1), False)
    assert result.recompute.held_to_told == 1


def test_loading_lengthens_when_the_official_schedule_adds_days_off(in_handling_case):
    text = SCHEDULE_2027 + "2027-01-25,holiday,Bridging day\n"
    holiday_schedule_load(year=2027, text=text)
    handle = in_handling_case.deadlines.get(kind="handle")
    assert (handle.due, handle.provisional) == (date(2027, 1, 26), False)


def test_loading_clears_an_overdue_mark_the_new_date_no_longer_justifies(in_handling_case, traveller):
    from huiyin.workflow.services import deadlines_sweep

    traveller.move_to("2027-01-26T10:00:00+08:00")
    deadlines_sweep()
    handle = in_handling_case.deadlines.get(kind="handle")
    assert handle.breached_at is not None
    holiday_schedule_load(year=2027, text=SCHEDULE_2027 + "2027-01-25,holiday\n2027-01-26,holiday\n")
    handle.refresh_from_db()
    assert (handle.due, handle.breached_at) == (date(2027, 1, 27), None)


def test_invalid_schedule_is_refused_with_line_numbers_and_changes_nothing(in_handling_case):
    with pytest.raises(DomainError) as exc:
        holiday_schedule_load(year=2027, text="2027-01-01,holiday\n2027-02-03,workday\n2027-13-01,holiday\n")
    message = exc.value.message  # in the site's language: the line numbers and the values it names
    assert "2027-02-03" in message and "2027-13-01" in message and "2027-01-01" not in message
    assert not HolidaySchedule.objects.exists()
    assert in_handling_case.deadlines.get(kind="handle").provisional is True


def test_a_schedule_missing_a_statutory_holiday_loads_with_a_warning(org):
    result = holiday_schedule_load(year=2027, text="2027-01-01,holiday\n")
    assert result.warnings and "2027-10-01" in result.warnings[0]


def test_holidays_command_loads_a_file_and_reports(in_handling_case, tmp_path, capsys):
    path = tmp_path / "2027.txt"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("holidays", str(path), year=2027, source="国办发明电")
    out = capsys.readouterr().out
    assert "2027: loaded" in out and "still provisional" in out
    assert HolidaySchedule.objects.get(year=2027).source == "国办发明电"
    assert in_handling_case.deadlines.get(kind="handle").provisional is False
    call_command("holidays", list=True)
    assert "2027 override" in capsys.readouterr().out


def test_holidays_command_dry_run_changes_nothing(in_handling_case, tmp_path, capsys):
    path = tmp_path / "2027.txt"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("holidays", str(path), dry_run=True)
    assert "dry run" in capsys.readouterr().out
    assert not HolidaySchedule.objects.exists()
    assert in_handling_case.deadlines.get(kind="handle").provisional is True
    assert clocks.calendar_provider().source(2027) == "provisional"


def test_holidays_command_rejects_a_bad_file(org, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("2027-01-01,holiday\n2027-01-04,workday\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("holidays", str(path))


def test_admin_page_loads_a_schedule_and_recomputes(client, superuser, in_handling_case):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:workflow_holidayschedule_add"), {"year": "2027", "text": SCHEDULE_2027, "source": "通知"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidaySchedule.objects.get(year=2027).loaded_by == superuser
    assert in_handling_case.deadlines.get(kind="handle").provisional is False


def test_admin_page_rejects_an_invalid_schedule(client, superuser, org):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:workflow_holidayschedule_add"), {"year": "2027", "text": "2027-01-04,workday"}
    )
    assert response.status_code == 200
    assert "2027-01-04" in response.content.decode() and "errornote" in response.content.decode()
    assert not HolidaySchedule.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("no_perm_user", 403), ("handler", 403), ("office", 200)])
def test_holiday_page_access(client, request, persona, code):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workflow:holidays")).status_code == code


def test_holiday_page_needs_login(client, org):
    response = client.get(reverse("workflow:holidays"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_holiday_page_shows_provisional_years_and_office_cannot_load(client, office, in_handling_case):
    client.force_login(office)
    page = client.get(reverse("workflow:holidays")).content.decode()
    assert 'data-year="2027"' in page and "Load and recompute" not in page
    assert client.post(reverse("workflow:holidays"), {"year": "2027", "text": SCHEDULE_2027}).status_code == 403


def test_holiday_page_upload_by_an_administrator(client, superuser, in_handling_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(superuser)
    upload = SimpleUploadedFile("2027.txt", ("\ufeff" + SCHEDULE_2027).encode())
    response = client.post(reverse("workflow:holidays"), {"year": "2027", "file": upload, "source": "通知"})
    assert response.status_code == 302
    assert in_handling_case.deadlines.get(kind="handle").provisional is False
