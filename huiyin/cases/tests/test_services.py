"""The case services against the database: the full life cycle and every rule they enforce."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from huiyin.audit.models import AuditRecord
from huiyin.cases import services as s
from huiyin.cases.actions import actions_for
from huiyin.cases.errors import CaseTransitionError
from huiyin.cases.models import Case, CaseEvent, CaseRating, CaseReply, EventKind
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.core.errors import DomainError


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def test_register_creates_number_petitioner_first_event_and_register_clock(case):
    assert case.status == CaseStatus.REGISTERED and case.stage == CaseStage.FIRST
    year = timezone.localtime(case.received_at).year
    assert case.case_no == f"{year}-000001"
    assert kinds(case) == [EventKind.REGISTERED]
    assert case.petitioner is not None and case.petitioner.match_key
    clock = case.deadlines.get(kind="register")
    assert clock.due >= timezone.localdate(case.received_at) + timedelta(days=15)


def test_case_numbers_are_sequential_per_year(make_case):
    first, second = make_case(), make_case()
    assert int(second.case_no.split("-")[1]) == int(first.case_no.split("-")[1]) + 1


def test_full_life_cycle_to_final_records_every_step(
    in_handling_case, office, handler, clerk, review_leader, review_handler, group_leader, org
):
    case = in_handling_case
    s.case_reply(case=case, actor=handler, text="经核实，8月加班费已于9月补发。依据《工资支付暂行规定》第十三条。")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    reply = CaseReply.objects.get(case=case, stage=CaseStage.FIRST)
    assert "复查" in reply.next_right or "review" in reply.next_right
    assert reply.next_right_due is not None
    s.case_rate(case=case, actor=clerk, rating="dissatisfied", comment="补发金额不对")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    s.case_next_stage_request(case=case, actor=clerk, reason="对答复不服，申请复查")
    case.refresh_from_db()
    assert (case.status, case.stage) == (CaseStatus.ACCEPTED, CaseStage.REVIEW)
    s.case_assign(
        case=case,
        actor=office,
        handling_unit=org["a"],
        leader=review_leader,
        team=[review_handler],
        plan="公司层面复查",
    )
    s.case_reply(case=case, actor=review_handler, text="复查意见：维持原答复。")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    s.case_rate(case=case, actor=clerk, rating="dissatisfied")
    s.case_next_stage_request(case=case, actor=clerk, reason="申请复核")
    case.refresh_from_db()
    assert case.stage == CaseStage.RECHECK
    s.case_assign(case=case, actor=office, handling_unit=org["group"], leader=group_leader, team=[], plan="集团复核")
    s.case_reply(case=case, actor=group_leader, text="复核意见：维持。")
    case.refresh_from_db()
    assert case.status == CaseStatus.FINAL
    assert CaseReply.objects.filter(case=case).count() == 3
    assert CaseRating.objects.filter(case=case).count() == 2
    statuses = list(case.events.filter(kind=EventKind.STATUS_CHANGED).values_list("from_status", "to_status", "stage"))
    assert statuses == [
        ("registered", "accepted", "first"),
        ("accepted", "in_handling", "first"),
        ("in_handling", "replied", "first"),
        ("replied", "closed", "first"),
        ("closed", "accepted", "review"),
        ("accepted", "in_handling", "review"),
        ("in_handling", "replied", "review"),
        ("replied", "closed", "review"),
        ("closed", "accepted", "recheck"),
        ("accepted", "in_handling", "recheck"),
        ("in_handling", "final", "recheck"),
    ]
    # Every state change is also in the hash-chained audit log.
    assert AuditRecord.objects.filter(action="case.state_change", object_id=str(case.pk)).count() == len(statuses)


def test_illegal_transition_changes_nothing(case, office):
    with pytest.raises(CaseTransitionError):
        s.case_transition(case=case, to=CaseStatus.REPLIED, actor=office)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert kinds(case) == [EventKind.REGISTERED]


@pytest.mark.parametrize("action", ["redirect", "forward", "not_accept"])
def test_screening_outcomes_record_reason_and_end_the_case(case, office, action):
    if action == "redirect":
        s.case_redirect(
            case=case, actor=office, channel="arbitration", reason="属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁"
        )
    elif action == "forward":
        s.case_forward(case=case, actor=office, to_whom="市人力资源和社会保障局", reason="属其职权范围")
    else:
        s.case_not_accept(case=case, actor=office, reason="同一事项已经复核终结")
    case.refresh_from_db()
    assert case.status in (CaseStatus.REDIRECTED, CaseStatus.FORWARDED, CaseStatus.NOT_ACCEPTED)
    assert case.disposition_reason
    assert case.closed_at is not None
    assert not case.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True).exists()
    with pytest.raises(CaseTransitionError):
        s.case_accept(case=case, actor=office)


def test_screening_without_reason_is_refused(case, office):
    with pytest.raises(DomainError):
        s.case_not_accept(case=case, actor=office, reason="  ")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_assignment_needs_plan_and_opens_handle_clock(case, office, leader, handler, org):
    s.case_accept(case=case, actor=office)
    with pytest.raises(DomainError):
        s.case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    s.case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_HANDLING
    assert case.responsible_leader == leader
    handle = case.deadlines.get(kind="handle")
    assert handle.due >= handle.start + timedelta(days=60)


def test_reassignment_is_a_step_not_a_state(in_handling_case, office, leader, org):
    s.case_assign(
        case=in_handling_case,
        actor=office,
        handling_unit=org["a_workshop"],
        leader=leader,
        team=[],
        plan="改由车间办理",
    )
    in_handling_case.refresh_from_db()
    assert in_handling_case.status == CaseStatus.IN_HANDLING
    assert in_handling_case.handling_unit == org["a_workshop"]
    assert EventKind.REASSIGNED in kinds(in_handling_case)


def test_extension_is_requested_approved_by_another_and_moves_the_clock(in_handling_case, handler, leader):
    case = in_handling_case
    before = case.deadlines.get(kind="handle").due
    ext = s.case_extension_request(case=case, actor=handler, days=20, reason="需调取三年工资台账")
    with pytest.raises(DomainError):
        s.case_extension_decide(extension=ext, actor=handler, approve=True)  # not by the requester
    with pytest.raises(DomainError):
        s.case_extension_request(case=case, actor=handler, days=5, reason="again")  # one pending at a time
    s.case_extension_decide(extension=ext, actor=leader, approve=True)
    ext.refresh_from_db()
    assert ext.told_at is not None
    after = case.deadlines.get(kind="handle")
    assert after.extension_days == 20 and after.due >= after.start + timedelta(days=60 + 20)
    assert after.due > before
    assert case.status == CaseStatus.IN_HANDLING  # an extension is a step, not a state
    with pytest.raises(DomainError):
        s.case_extension_request(case=case, actor=handler, days=11, reason="超过30日上限")


def test_the_approval_note_is_the_approval_events_text(in_handling_case, handler, leader):
    ext = s.case_extension_request(case=in_handling_case, actor=handler, days=15, reason="需调取三年工资台账")
    s.case_extension_decide(extension=ext, actor=leader, approve=True, note="同意延期15日，请按时办结。")
    event = in_handling_case.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert event.text == "同意延期15日，请按时办结。"


def test_an_undecided_extension_lapses_with_the_reply_and_leaves_the_approvers_list(in_handling_case, handler, leader):
    from huiyin.cases.models import CaseExtension, ExtensionStatus
    from huiyin.cases.selectors import my_work

    ext = s.case_extension_request(case=in_handling_case, actor=handler, days=10, reason="等待审计结果")
    today = timezone.localdate()
    assert [e.pk for e in my_work(user=leader, today=today).extensions] == [ext.pk]
    s.case_reply(case=in_handling_case, actor=handler, text="经核实，加班费已补发。")
    assert CaseExtension.objects.get(pk=ext.pk).status == ExtensionStatus.LAPSED
    assert my_work(user=leader, today=today).extensions == []
    with pytest.raises(DomainError):
        s.case_extension_decide(extension=ext, actor=leader, approve=True)


def test_extension_over_30_days_is_refused(in_handling_case, handler):
    with pytest.raises(DomainError):
        s.case_extension_request(case=in_handling_case, actor=handler, days=31, reason="太长")


def test_review_request_after_the_window_is_refused(in_handling_case, handler, clerk):
    case = in_handling_case
    s.case_reply(case=case, actor=handler, text="答复")
    case.refresh_from_db()
    late = timezone.now() + timedelta(days=75)
    with pytest.raises(DomainError):
        s.case_next_stage_request(case=case, actor=clerk, reason="申请复查", now=late)
    case.refresh_from_db()
    assert case.stage == CaseStage.FIRST


def test_rating_twice_is_refused(in_handling_case, handler, clerk):
    s.case_reply(case=in_handling_case, actor=handler, text="答复")
    in_handling_case.refresh_from_db()
    s.case_rate(case=in_handling_case, actor=clerk, rating="satisfied")
    in_handling_case.refresh_from_db()
    with pytest.raises(DomainError):
        s.case_rate(case=in_handling_case, actor=clerk, rating="satisfied")


def test_collective_case_rules(make_case):
    reps = [s.RepresentativeData(name=f"代表{i}") for i in range(6)]
    with pytest.raises(DomainError):
        make_case(collective=True, headcount=40, representatives=reps)
    with pytest.raises(DomainError):
        make_case(collective=True, headcount=1)
    case = make_case(collective=True, headcount=40, representatives=reps[:5])
    assert case.representatives.count() == 5
    assert Case.objects.count() == 1


def test_forwarded_case_carries_authority_reference_and_deadline(make_case):
    with pytest.raises(DomainError):
        make_case(source="forwarded", forwarded_authority="")
    due = timezone.localdate() + timedelta(days=20)
    case = make_case(
        source="forwarded",
        forwarded_authority="省国资委信访处",
        forwarded_ref="国资信转〔2026〕12号",
        forwarded_deadline=due,
    )
    assert case.deadlines.get(kind="forwarded").due == due


def test_anonymous_case_keeps_no_petitioner(make_case):
    case = make_case(anonymous=True)
    assert case.petitioner is None


def test_accusation_goes_to_the_discipline_compartment(make_case):
    assert make_case(type="accusation").compartment == "discipline"


def test_link_and_recusal(make_case, office, handler, leader, org):
    first, second = make_case(), make_case()
    s.case_link_add(case=second, other=first, kind="repeat", actor=office)
    with pytest.raises(DomainError):
        s.case_link_add(case=second, other=first, kind="repeat", actor=office)
    with pytest.raises(DomainError):
        s.case_link_add(case=second, other=second, kind="related", actor=office)
    s.case_recuse(case=second, user=handler, reason="与信访人系亲属", actor=office)
    s.case_accept(case=second, actor=office)
    with pytest.raises(DomainError):
        s.case_assign(case=second, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="x")


def test_events_are_append_only(case):
    event = case.events.first()
    event.text = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_db_constraints_hold_without_the_services(org):
    from django.db import transaction

    base = dict(channel="letter", type="claim", subject="s", content="c", unit=org["a"], received_at=timezone.now())
    bad = [
        dict(case_no="X1", status="nonsense"),
        dict(case_no="X2", headcount=0),
        dict(case_no="X3", collective=True, headcount=1),
        dict(case_no="X4", source="forwarded", forwarded_authority=""),
        dict(case_no="X5", status="final", stage="first"),
        dict(case_no="X6", status="in_handling"),
        dict(case_no="X7", channel="pigeon"),
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(**{**base, **values})
    assert not Case.objects.exists()
    assert CaseEvent.objects.count() == 0


def test_review_window_follows_a_lengthened_clock(in_handling_case, handler, clerk):
    """Regression (#3): a later official schedule may lengthen the window told in the reply."""
    case = in_handling_case
    s.case_reply(case=case, actor=handler, text="答复")
    case.refresh_from_db()
    window = case.deadlines.get(kind="review_request")
    window.due = window.due + timedelta(days=5)
    window.save(update_fields=["due"])
    late = timezone.make_aware(timezone.datetime.combine(window.due, timezone.datetime.min.time())) + timedelta(
        hours=10
    )
    s.case_next_stage_request(case=case, actor=clerk, reason="申请复查", now=late)
    case.refresh_from_db()
    assert case.stage == CaseStage.REVIEW


def test_review_request_is_offered_only_within_the_window(in_handling_case, handler, clerk):
    case = in_handling_case
    s.case_reply(case=case, actor=handler, text="答复")
    case.refresh_from_db()
    offered = [a.name for a, _label in actions_for(case=case, user=clerk)]
    assert "next_stage" in offered
    due = s.next_stage_request_due(case=case)
    with time_machine.travel(timezone.make_aware(datetime.combine(due + timedelta(days=1), time(10))), tick=False):
        assert "next_stage" not in [a.name for a, _label in actions_for(case=case, user=clerk)]
