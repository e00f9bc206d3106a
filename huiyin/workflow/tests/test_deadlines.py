"""Clocks opened by the life cycle: profile stored, told dates recorded, petitioner windows."""

from datetime import date

from huiyin.cases.services import case_extension_decide, case_extension_request
from huiyin.workflow.models import Deadline


def test_handling_clock_started_now_ends_in_2027_and_is_provisional(in_handling_case):
    handle = in_handling_case.deadlines.get(kind="handle")
    assert (handle.start, handle.due, handle.provisional) == (date(2026, 11, 24), date(2027, 1, 25), True)
    assert handle.profile == "national-2022"


def test_register_clock_in_2026_is_final(case):
    register = case.deadlines.get(kind="register")
    assert (register.due, register.provisional) == (date(2026, 12, 9), False)


def test_approved_extension_moves_the_clock_and_becomes_the_told_date(in_handling_case, handler, leader):
    ext = case_extension_request(case=in_handling_case, actor=handler, days=8, reason="需调取三年工资台账")
    case_extension_decide(extension=ext, actor=leader, approve=True)
    handle = in_handling_case.deadlines.get(kind="handle")
    # 60 + 8 days end on Sunday 2027-01-31, so the period ends on Monday 2027-02-01.
    assert (handle.due, handle.told_due, handle.extension_days, handle.provisional) == (
        date(2027, 2, 1),
        date(2027, 2, 1),
        8,
        True,
    )


def test_reply_tells_the_next_right_deadline(replied_case):
    reply = replied_case.replies.get()
    request = Deadline.objects.get(case=replied_case, kind="review_request")
    assert request.party == "petitioner"
    assert request.told_due == reply.next_right_due == request.due == date(2026, 12, 24)


def test_discipline_report_follows_its_own_profile(make_case):
    report = make_case(type="accusation", subject="举报车间主任虚报加班", petitioner=None, anonymous=True)
    register = report.deadlines.get(kind="register")
    assert register.profile == "discipline"
    # 15 working days from 2026-11-24.
    assert register.due == date(2026, 12, 15)
