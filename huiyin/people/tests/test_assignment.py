"""An accusation is never handed to the accused or their unit (Art. 30 ¶3), nor to anyone kept off it."""

from __future__ import annotations

import pytest

from huiyin.cases import services as s
from huiyin.cases.models import Case
from huiyin.cases.states import CaseStatus
from huiyin.core.errors import DomainError
from huiyin.org.services import user_create
from huiyin.people.services import accused_add


@pytest.fixture
def accepted_accusation(accusation, discipline):
    s.case_accept(case=accusation, actor=discipline)
    accusation.refresh_from_db()
    assert accusation.status == CaseStatus.ACCEPTED
    return accusation


@pytest.fixture
def discipline_dept(org):
    from huiyin.org.services import unit_create

    return unit_create(name="甲公司纪委", code="A-DIS", kind="department", parent=org["a"])


def test_the_accused_persons_unit_and_the_units_above_it_are_refused(
    accepted_accusation, discipline, discipline2, org, discipline_dept
):
    accused_add(case=accepted_accusation, actor=discipline, name="王某科长", unit=org["a_workshop"])
    for unit in (org["a_workshop"], org["a_plant"], org["a"]):
        with pytest.raises(DomainError) as caught:
            s.case_assign(
                case=accepted_accusation, actor=discipline, handling_unit=unit, leader=discipline2, team=[], plan="核查"
            )
        assert unit.name in str(caught.value) and "handling_unit" in caught.value.fields
    accepted_accusation.refresh_from_db()
    assert accepted_accusation.status == CaseStatus.ACCEPTED and accepted_accusation.handling_unit is None
    # Discipline inspection beside the accused's unit, and the group itself, may handle it.
    s.case_assign(
        case=accepted_accusation,
        actor=discipline,
        handling_unit=discipline_dept,
        leader=discipline2,
        team=[],
        plan="核查",
    )
    s.case_assign(
        case=accepted_accusation,
        actor=discipline,
        handling_unit=org["group"],
        leader=discipline2,
        team=[],
        plan="集团纪委核查",
    )


def test_the_unit_of_an_accused_staff_account_counts_too(accepted_accusation, discipline, discipline2, handler, org):
    accused_add(case=accepted_accusation, actor=discipline, name="张承办", user=handler)
    with pytest.raises(DomainError):
        s.case_assign(
            case=accepted_accusation,
            actor=discipline,
            handling_unit=org["a_plant"],
            leader=discipline2,
            team=[],
            plan="核查",
        )


def test_the_accused_or_their_reporting_line_cannot_be_made_leader_or_team(
    accepted_accusation, discipline, discipline2, plant_leader, org, discipline_dept
):
    accused = user_create(
        username="accused_boss", password="pw-Huiyin-2026", unit=org["a_plant"], roles=["leader"], full_name="曹主任"
    )
    accused_add(case=accepted_accusation, actor=discipline, name="曹主任", user=accused)
    for leader, team in ((accused, []), (plant_leader, []), (discipline2, [accused])):
        with pytest.raises(DomainError) as caught:
            s.case_assign(
                case=accepted_accusation,
                actor=discipline,
                handling_unit=discipline_dept,
                leader=leader,
                team=team,
                plan="核查",
            )
        assert "cannot be given this case" in str(caught.value) or "不能" in str(caught.value)
    accepted_accusation.refresh_from_db()
    assert accepted_accusation.responsible_leader is None and not accepted_accusation.members.exists()


def test_a_leader_without_the_case_permission_is_refused(case, office, no_perm_user, org, handler):
    s.case_accept(case=case, actor=office)
    with pytest.raises(DomainError):
        s.case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=no_perm_user, team=[], plan="办理")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_the_assign_form_does_not_offer_whom_the_case_is_kept_from(
    accepted_accusation, discipline, discipline2, plant_leader, leader, handler, org
):
    """Found in a walk-through: the accusation's assign form listed the accused, general leaders and HR handlers,
    each refused only after submitting, and called the plan 化解方案."""
    from huiyin.cases.forms import AssignForm

    accused = user_create(
        username="accused_boss",
        password="pw-Huiyin-2026",
        unit=org["a_plant"],
        roles=["discipline"],
        full_name="曹主任",
    )
    accused_add(case=accepted_accusation, actor=discipline, name="曹主任", user=accused)

    form = AssignForm(case=accepted_accusation, user=discipline)
    leaders = set(form.fields["leader"].queryset)
    team = set(form.fields["team"].queryset)

    assert discipline2 in leaders and discipline2 in team
    assert accused not in leaders | team  # the person it concerns
    assert leader not in leaders and handler not in team  # general staff: not an accusation's handlers
    assert plant_leader not in leaders
    assert str(form.fields["plan"].label) in ("Verification plan", "核查方案")
    assert form.fields["leader"].help_text


def test_the_assign_form_of_a_general_case_still_offers_general_staff(case, office, leader, handler):
    from huiyin.cases.forms import AssignForm

    s.case_accept(case=case, actor=office)
    form = AssignForm(case=case, user=office)
    assert leader in set(form.fields["leader"].queryset) and handler in set(form.fields["team"].queryset)
    assert not form.fields["leader"].help_text
