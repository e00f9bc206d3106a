"""`manage.py clock`: the last line is the due date, then " provisional" when it rests on a provisional year."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from huiyin.workflow.models import RuleProfile
from huiyin.workflow.services import holiday_schedule_load, rule_profile_save
from huiyin.workflow.tests.conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db


def clock(*args: str) -> str:
    out = StringIO()
    call_command("clock", *args, stdout=out)
    return out.getvalue().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "last"),
    [
        # 60 calendar days end on Sunday 15 November: the next working day.
        (["--rule", "handle", "--start", "2026-09-16"], "2026-11-16"),
        # Five working days across the National Day week and the make-up Saturday of 10 October.
        (["--rule", "object", "--start", "2026-09-30"], "2026-10-13"),
        (["--rule", "review_request", "--start", "2026-11-24"], "2026-12-24"),
        # Ends in 2027, whose official schedule is not installed.
        (["--rule", "handle", "--start", "2026-11-24"], "2027-01-25 provisional"),
        (["--rule", "register", "--start", "2026-12-20", "--profile", "discipline"], "2027-01-11 provisional"),
        (["--rule", "handle", "--start", "2026-11-24", "--extension", "8"], "2027-02-01 provisional"),
    ],
)
def test_clock_prints_the_due_date_last(args, last):
    assert clock(*args) == last


def test_pauses_are_not_counted():
    assert clock("--rule", "recheck_decide", "--start", "2026-09-16") == "2026-10-16"
    assert (
        clock("--rule", "recheck_decide", "--start", "2026-09-16", "--pause", "2026-10-01:2026-10-05") == "2026-10-21"
    )
    two = ["--pause", "2026-10-01:2026-10-05", "--pause", "2026-10-10"]
    assert clock("--rule", "recheck_decide", "--start", "2026-09-16", *two) == "2026-10-22"


def test_loaded_schedule_makes_the_date_final():
    holiday_schedule_load(year=2027, text=SCHEDULE_2027)
    assert clock("--rule", "handle", "--start", "2026-11-24") == "2027-01-25"
    # The make-up Sunday is a working day now.
    assert clock("--rule", "handle", "--start", "2026-11-24", "--extension", "8") == "2027-01-31"


def test_clock_uses_an_editable_profile(org):
    rule_profile_save(profile=RuleProfile(name="acme", parent="national-2022", rules={"handle": 45}))
    assert clock("--rule", "handle", "--start", "2026-09-16", "--profile", "acme") == "2026-11-02"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "nope", "--start", "2026-09-16"], "unknown rule"),
        (["--rule", "handle", "--start", "16/09/2026"], "YYYY-MM-DD"),
        (["--rule", "handle", "--start", "2026-09-16", "--profile", "nope"], "unknown profile"),
        (["--rule", "handle", "--start", "2026-09-16", "--pause", "2026-10-05:2026-10-01"], "before it begins"),
        (["--rule", "handle", "--start", "2026-09-16", "--extension", "31"], "exceeds"),
    ],
)
def test_clock_explains_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("clock", *args, stdout=StringIO())
