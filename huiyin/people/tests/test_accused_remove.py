"""Found in a walk-through: an accused person recorded with the wrong name or the wrong account linked could not
be corrected or removed. It can be removed, with a reason, audited; a linked account sees the case again as its
scope allows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Case
from huiyin.core.errors import DomainError
from huiyin.people.models import AccusedPerson
from huiyin.people.services import accused_add, accused_remove

pytestmark = pytest.mark.django_db


def _visible(user) -> set[int]:
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_a_person_recorded_by_mistake_is_removed_with_a_reason(client, case, clerk, leader, make_case):
    wrong = accused_add(case=case, actor=clerk, name="青石湾发电厂", position="运行部", user=leader)
    right = accused_add(case=case, actor=clerk, name="赵某某", position="一厂科长")
    assert case.pk not in _visible(leader)

    client.force_login(clerk)
    url = reverse("cases:action", args=[case.pk, "remove_accused"])
    page = client.get(url).content.decode()
    assert wrong.masked_label in page and "青石湾发电厂" not in page  # masked, as everywhere
    refused = client.post(url, {"accused": wrong.pk, "reason": " "})
    assert refused.status_code == 400 and AccusedPerson.objects.filter(pk=wrong.pk).exists()

    done = client.post(url, {"accused": wrong.pk, "reason": "误将职务填入姓名栏，并关联了无关账号"})

    assert done.status_code == 302
    assert list(AccusedPerson.objects.filter(case=case)) == [right]
    assert case.pk in _visible(leader)  # no longer kept from the case
    record = AuditRecord.objects.get(action=AuditAction.ACCUSED_REMOVE)
    assert record.actor_id == clerk.pk and record.detail["case"] == case.case_no
    assert record.detail["linked_account"] is True and "青石湾" not in str(record.detail)


def test_a_person_of_another_case_is_not_removed(case, make_case, clerk):
    other = make_case(subject="另一件")
    theirs = accused_add(case=other, actor=clerk, name="钱某")
    with pytest.raises(DomainError):
        accused_remove(case=case, actor=clerk, accused=theirs, reason="x")
    assert AccusedPerson.objects.filter(pk=theirs.pk).exists()
    assert not AuditRecord.objects.filter(action=AuditAction.ACCUSED_REMOVE).exists()


def test_the_action_is_offered_only_when_someone_is_recorded_and_to_those_who_record(case, clerk, handler):
    from huiyin.cases.actions import actions_for

    def names(user):
        return {a.name for a, _label in actions_for(case=case, user=user)}

    assert "remove_accused" not in names(clerk)
    accused_add(case=case, actor=clerk, name="赵某某")
    assert "remove_accused" in names(clerk)
    assert "remove_accused" not in names(handler)  # no right to record accused persons
