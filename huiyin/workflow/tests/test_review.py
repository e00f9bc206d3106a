"""A review (复查) goes to the body above the one that handled the matter, a re-review (复核) to the body above
the reviewer (Arts. 35, 36 of the Regulations), and to people who took no part in an earlier stage."""

from __future__ import annotations

import pytest

from huiyin.cases import services as s
from huiyin.cases.actions import ACTIONS
from huiyin.cases.models import CaseMember, EventKind, ReplyDraft
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.core.errors import DomainError
from huiyin.workflow.review import next_stage_body

GOOD = "经核实，8月加班费已于9月补发。依据《工资支付暂行规定》第十三条。"


def request_next_stage(case, clerk):
    """Given: the petitioner is dissatisfied with the stage's reply and asks for the next stage."""
    s.case_rate(case=case, actor=clerk, rating="dissatisfied")
    s.case_next_stage_request(case=case, actor=clerk, reason="不服，申请上一级审查")
    case.refresh_from_db()
    return case


def assign(case, actor, unit, leader, team):
    return s.case_assign(case=case, actor=actor, handling_unit=unit, leader=leader, team=team, plan="上一级审查")


def assign_form(case, user):
    case.refresh_from_db()
    return ACTIONS["assign"].make_form(case, user)


@pytest.fixture
def review_case(in_handling_case, handler, clerk):
    """A case whose first handling, by 一厂 (leader 赵领导, handler 张承办), was replied to: now in review."""
    s.case_reply(case=in_handling_case, actor=handler, text=GOOD)
    in_handling_case.refresh_from_db()
    return request_next_stage(in_handling_case, clerk)


@pytest.fixture
def recheck_case(review_case, office, review_leader, review_handler, clerk):
    """The same case reviewed by 甲公司 (陈复查, 何复查) and now in re-review."""
    assign(review_case, office, review_case.handling_unit.parent, review_leader, [review_handler])
    s.case_reply(case=review_case, actor=review_handler, text="复查意见：维持原答复。" + GOOD)
    review_case.refresh_from_db()
    return request_next_stage(review_case, clerk)


def refused(case, actor, unit, leader, team, field):
    """Then: the assignment is refused on `field`, and nothing about the case changed."""
    before = (case.status, case.handling_unit_id, case.responsible_leader_id, case.events.count())
    members = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    with pytest.raises(DomainError) as caught:
        assign(case, actor, unit, leader, team)
    case.refresh_from_db()
    assert (case.status, case.handling_unit_id, case.responsible_leader_id, case.events.count()) == before
    assert set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True)) == members
    assert list(caught.value.fields) == [field] and caught.value.fields[field] == [caught.value.message]
    return caught.value.message


# The unit ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["a_plant", "a_workshop"])
def test_a_review_is_not_given_to_the_unit_that_handled_the_matter_or_a_unit_under_it(
    review_case, office, review_leader, review_handler, org, unit
):
    message = refused(review_case, office, org[unit], review_leader, [review_handler], "handling_unit")
    assert "甲公司一厂" in message and "第三十五条" in message
    assert "甲公司" in message.replace("甲公司一厂", "")  # where it goes instead
    assert review_case.stage == CaseStage.REVIEW and review_case.status == CaseStatus.ACCEPTED


@pytest.mark.parametrize("unit", ["a", "a_office"])
def test_a_review_goes_to_the_superior_body_or_one_of_its_departments(
    review_case, office, review_leader, review_handler, org, unit
):
    assign(review_case, office, org[unit], review_leader, [review_handler])
    review_case.refresh_from_db()
    assert review_case.status == CaseStatus.IN_HANDLING and review_case.handling_unit == org[unit]
    event = review_case.events.get(kind=EventKind.ASSIGNED, stage=CaseStage.REVIEW)
    assert event.data["unit_id"] == org[unit].pk and event.data["leader_id"] == review_leader.pk
    assert event.data["team_ids"] == [review_handler.pk]


def test_a_department_handles_for_its_branch_so_the_review_is_the_branchs_superiors(
    make_case, office, leader, handler, clerk, review_leader, review_handler, org
):
    case = make_case()
    s.case_accept(case=case, actor=office)
    assign(case, office, org["a_workshop"], leader, [handler])  # 一厂检修车间 handles for 一厂
    s.case_reply(case=case, actor=handler, text=GOOD)
    request_next_stage(case, clerk)
    assert next_stage_body(case) == org["a"]
    refused(case, office, org["a_plant"], review_leader, [review_handler], "handling_unit")
    assign(case, office, org["a"], review_leader, [review_handler])


def test_a_reassignment_within_the_review_is_held_to_the_same_rule(
    review_case, office, review_leader, review_handler, org
):
    assign(review_case, office, org["a"], review_leader, [review_handler])
    review_case.refresh_from_db()
    refused(review_case, office, org["a_plant"], review_leader, [review_handler], "handling_unit")


@pytest.mark.parametrize("unit", ["a", "a_office", "a_plant"])
def test_a_re_review_is_not_given_to_the_reviewer_or_a_unit_under_it(
    recheck_case, group_office, group_leader, group_handler, org, unit
):
    message = refused(recheck_case, group_office, org[unit], group_leader, [group_handler], "handling_unit")
    assert "第三十六条" in message and "测试集团" in message


def test_a_re_review_goes_to_the_reviewers_superior(recheck_case, group_office, group_leader, group_handler, org):
    assert next_stage_body(recheck_case) == org["group"]
    assign(recheck_case, group_office, org["group"], group_leader, [group_handler])
    s.case_reply(case=recheck_case, actor=group_leader, text="复核意见：维持复查意见。" + GOOD)
    recheck_case.refresh_from_db()
    assert recheck_case.status == CaseStatus.FINAL


def test_a_matter_handled_at_the_top_has_no_superior_body_here(
    make_case, group_office, group_leader, group_handler, leader, handler, clerk, org
):
    """The group's superior is outside the organisation: nothing is proposed, and the group may not review
    its own decision (the letter sends the petitioner to the authority above it)."""
    case = make_case()
    s.case_accept(case=case, actor=group_office)
    assign(case, group_office, org["group"], leader, [handler])
    s.case_reply(case=case, actor=handler, text=GOOD)
    request_next_stage(case, clerk)
    assert next_stage_body(case) is None
    assert assign_form(case, group_office)["handling_unit"].value() is None
    message = refused(case, group_office, org["group"], group_leader, [group_handler], "handling_unit")
    assert "测试集团" in message


# The form ----------------------------------------------------------------------------------------------------


def test_the_review_form_proposes_the_superior_body_and_not_the_first_stages_people(review_case, office, org):
    form = assign_form(review_case, office)
    assert form["handling_unit"].value() == org["a"].pk
    assert form["leader"].value() is None and not form["team"].value() and not form["plan"].value()


def test_the_re_review_form_proposes_the_reviewers_superior(recheck_case, group_office, org):
    form = assign_form(recheck_case, group_office)
    assert form["handling_unit"].value() == org["group"].pk and form["leader"].value() is None


def test_once_assigned_the_form_starts_at_the_stages_own_assignment(
    review_case, office, review_leader, review_handler, org
):
    assign(review_case, office, org["a_office"], review_leader, [review_handler])
    form = assign_form(review_case, office)
    assert form["handling_unit"].value() == org["a_office"].pk and form["leader"].value() == review_leader.pk
    assert form["team"].value() == [review_handler.pk]


def test_the_first_handling_form_is_unchanged(in_handling_case, office, leader, handler, org):
    form = assign_form(in_handling_case, office)
    assert form["handling_unit"].value() == org["a_plant"].pk and form["leader"].value() == leader.pk
    assert form["team"].value() == [handler.pk]


# The people --------------------------------------------------------------------------------------------------


def test_the_first_stages_leader_and_team_are_refused(review_case, office, leader, handler, review_leader, org):
    message = refused(review_case, office, org["a"], leader, [], "leader")
    assert leader.display_name in message and "第三十五条" in message
    message = refused(review_case, office, org["a"], review_leader, [handler], "team")
    assert handler.display_name in message


def test_the_form_does_not_offer_who_took_part_before_and_says_why(review_case, office, leader, handler, review_leader):
    form = assign_form(review_case, office)
    for name in ("leader", "team"):
        offered = set(form.fields[name].queryset.values_list("pk", flat=True))
        assert leader.pk not in offered and handler.pk not in offered
        assert "第三十五条" in str(form.fields[name].help_text)
    assert review_leader.pk in set(form.fields["leader"].queryset.values_list("pk", flat=True))


@pytest.fixture
def outsider_first(in_handling_case, org):
    """A handler of 甲公司 who was never on the first stage's team."""
    from huiyin.org.services import user_create

    return user_create(
        username="outsider", password="pw-Huiyin-2026", unit=org["a"], roles=["handler"], full_name="许旁人"
    )


@pytest.mark.parametrize("part", ["drafter", "decider", "issuer"])
def test_who_drafted_decided_or_issued_an_earlier_reply_is_refused(
    in_handling_case, office, leader, handler, clerk, review_leader, outsider_first, org, part
):
    case = in_handling_case
    if part == "drafter":
        s.reply_draft_save(case=case, actor=outsider_first, text=GOOD)  # a draft the leader never saw
        s.case_reply(case=case, actor=leader, text=GOOD)
    elif part == "decider":
        draft = s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
        s.reply_draft_sign_off(draft=draft, actor=leader, text=GOOD)
        ReplyDraft.objects.filter(pk=draft.pk).update(decided_by=outsider_first)  # Given: someone else decided
    else:
        s.case_reply(case=case, actor=outsider_first, text=GOOD)
    case.refresh_from_db()
    request_next_stage(case, clerk)
    message = refused(case, office, org["a"], review_leader, [outsider_first], "team")
    assert outsider_first.display_name in message


def test_in_the_re_review_the_reviewers_and_the_first_handlers_are_refused(
    recheck_case, group_office, group_leader, group_handler, leader, handler, review_leader, review_handler, org
):
    for person in (leader, review_leader):
        message = refused(recheck_case, group_office, org["group"], person, [group_handler], "leader")
        assert "第三十六条" in message
    for person in (handler, review_handler):
        refused(recheck_case, group_office, org["group"], group_leader, [person], "team")
    assign(recheck_case, group_office, org["group"], group_leader, [group_handler])


def test_a_discipline_offices_decision_is_proposed_to_the_discipline_office_above(make_case, office, discipline, org):
    """The office the previous letter named (`documents.letters`): the discipline office one level up."""
    from huiyin.org.services import unit_create
    from huiyin.workflow.review import review_form_initial

    office_a = unit_create(name="纪委办公室", code="A-DISC", kind="department", parent=org["a"])
    office_group = unit_create(name="纪委办公室", code="G-DISC", kind="department", parent=org["group"])
    case = make_case(type="accusation")
    s.case_accept(case=case, actor=office)
    assign(case, office, office_a, discipline, [discipline])
    s.case_reply(case=case, actor=discipline, text=GOOD)
    s.case_next_stage_request(case=case, actor=discipline, reason="不服")
    case.refresh_from_db()
    assert review_form_initial("assign", case, office) == {"handling_unit": office_group.pk}
