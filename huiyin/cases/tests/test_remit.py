"""Found in a walk-through: discipline inspection's home page was full of ordinary petitions in its scope
(overdue, to act on, an extension to approve), and it was offered 交办 on a general review case. Discipline
works the accusation reports (Art. 30): its home lists and the assign actions keep to that compartment and
to the cases its people lead or are on."""

from __future__ import annotations

import pytest
from django.utils import timezone

from huiyin.cases import services as s
from huiyin.cases.actions import actions_for
from huiyin.cases.selectors import my_work, takes_up
from huiyin.cases.states import CaseType, Compartment
from huiyin.org.roles import compartment_remit

pytestmark = pytest.mark.django_db


def test_discipline_works_its_compartment(make_case, office, discipline, leader):
    general = make_case(subject="食堂饭菜涨价")
    accusation = make_case(subject="检举某车间主任违规报销", type=CaseType.ACCUSATION)
    for case in (general, accusation):
        case.refresh_from_db()
    assert accusation.compartment == Compartment.DISCIPLINE and general.compartment == Compartment.GENERAL
    s.case_accept(case=general, actor=office)
    s.case_accept(case=accusation, actor=discipline)
    general.refresh_from_db()
    accusation.refresh_from_db()

    assert compartment_remit(discipline) == "discipline" and compartment_remit(office) is None
    work = my_work(user=discipline, today=timezone.localdate())
    assert accusation in work.to_act and general not in work.to_act
    assert general in my_work(user=office, today=timezone.localdate()).to_act  # the office's work is unchanged

    assert not takes_up(user=discipline, case=general) and takes_up(user=discipline, case=accusation)
    names = {a.name for a, _label in actions_for(case=general, user=discipline)}
    assert "assign" not in names
    assert "assign" in {a.name for a, _label in actions_for(case=accusation, user=discipline)}
