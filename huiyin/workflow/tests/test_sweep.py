"""The periodic sweep: due soon, overdue, lapsed ratings; idempotent, one notification per alert."""

import threading
from datetime import date

import pytest
from django.db import connection

from huiyin.cases.models import EventKind
from huiyin.cases.services import case_recuse
from huiyin.cases.states import CaseStatus
from huiyin.notify.models import OutboxMessage
from huiyin.workflow.services import deadlines_sweep


def inbox(user, kind=None):
    qs = OutboxMessage.objects.filter(user=user, channel="inbox")
    return qs.filter(kind=kind) if kind else qs


def test_due_soon_then_overdue_each_notified_once(
    in_handling_case, leader, handler, office, other_unit_clerk, traveller
):
    traveller.move_to("2027-01-19T09:00:00+08:00")  # 6 days left: not yet
    assert deadlines_sweep().due_soon == 0
    traveller.move_to("2027-01-20T09:00:00+08:00")  # 5 days left
    result = deadlines_sweep()
    assert (result.due_soon, result.overdue) == (1, 0)
    handle = in_handling_case.deadlines.get(kind="handle")
    assert handle.due_soon_at is not None and handle.breached_at is None
    for user in (leader, handler, office):
        assert inbox(user, "deadline.due_soon").count() == 1
    assert not inbox(other_unit_clerk).exists()
    title = inbox(leader, "deadline.due_soon").get().title
    assert in_handling_case.case_no in title and "2027年1月25日" in title and in_handling_case.subject not in title

    assert deadlines_sweep().as_dict() == {"overdue": 0, "due_soon": 0, "escalated": 0, "closed": 0, "errors": 0}

    traveller.move_to("2027-01-25T23:59:00+08:00")  # the due day itself is not overdue
    assert deadlines_sweep().overdue == 0
    traveller.move_to("2027-01-26T00:01:00+08:00")
    assert deadlines_sweep().overdue == 1
    assert deadlines_sweep().overdue == 0
    for user in (leader, handler, office):
        assert inbox(user, "deadline.overdue").count() == 1
        assert inbox(user, "deadline.due_soon").count() == 1


def test_running_the_sweep_twice_sends_nothing_twice(make_case, office, traveller):
    for _ in range(3):
        make_case()
    traveller.move_to("2026-12-10T09:00:00+08:00")  # the 15-day register clocks are overdue
    first = deadlines_sweep()
    rows = OutboxMessage.objects.count()
    assert first.overdue == 3 and rows == 3  # the office is told once per case
    second = deadlines_sweep()
    assert second.overdue == 0 and OutboxMessage.objects.count() == rows


def test_a_recused_person_is_not_told(in_handling_case, handler, office, traveller):
    case_recuse(case=in_handling_case, user=handler, reason="与反映人系亲属", actor=office)
    traveller.move_to("2027-01-26T09:00:00+08:00")
    deadlines_sweep()
    assert not inbox(handler).filter(kind__startswith="deadline.").exists()
    assert inbox(office, "deadline.overdue").exists()


def test_petitioner_windows_lapse_and_unrated_replies_close(replied_case, office, traveller):
    request = replied_case.deadlines.get(kind="review_request")
    assert (request.party, request.due) == ("petitioner", date(2026, 12, 24))
    traveller.move_to("2026-12-25T09:00:00+08:00")
    result = deadlines_sweep()
    assert (result.overdue, result.closed) == (0, 1)
    request.refresh_from_db()
    assert request.breached_at is None  # never overdue for the unit
    replied_case.refresh_from_db()
    assert replied_case.status == CaseStatus.CLOSED
    event = replied_case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert (event.to_status, event.actor) == (CaseStatus.CLOSED, None)
    assert deadlines_sweep().closed == 0
    assert not OutboxMessage.objects.filter(kind__startswith="deadline.").exists()


def test_a_rated_case_is_not_closed_twice(replied_case, clerk, traveller):
    from huiyin.cases.services import case_rate

    case_rate(case=replied_case, actor=clerk, rating="satisfied")
    traveller.move_to("2026-12-25T09:00:00+08:00")
    assert deadlines_sweep().closed == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_mark_and_notify_once(make_case, office, traveller):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: PostgreSQL")
    for _ in range(4):
        make_case()
    traveller.move_to("2026-12-10T09:00:00+08:00")
    results, barrier = [], threading.Barrier(3)

    def run():
        from django.db import connections

        barrier.wait()
        try:
            results.append(deadlines_sweep())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r.overdue for r in results) == 4
    assert sum(r.errors for r in results) == 0
    assert OutboxMessage.objects.filter(kind="deadline.overdue").count() == 4
