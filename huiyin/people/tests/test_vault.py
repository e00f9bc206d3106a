"""The identity vault: unsealing with a reason, the custodian's approval on accusations, and accused persons."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.core.errors import DomainError
from huiyin.people.models import AccusedPerson, UnsealRequest, UnsealStatus
from huiyin.people.services import (
    accused_add,
    accused_unseal,
    petitioner_unseal,
    unseal_approval_revoke,
    unseal_request_create,
    unseal_request_decide,
)


def test_unsealing_a_general_case_needs_only_the_right_and_a_reason(case, office, handler):
    identity = petitioner_unseal(petitioner=case.petitioner, actor=office, reason="需要电话回访", case=case)
    assert identity["name"] == "刘某某"
    assert AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW).count() == 1
    with pytest.raises(DomainError):
        petitioner_unseal(petitioner=case.petitioner, actor=office, reason=" ", case=case)
    with pytest.raises(PermissionDenied):
        petitioner_unseal(petitioner=case.petitioner, actor=handler, reason="想看看是谁", case=case)


def test_unsealing_an_accusation_author_needs_a_custodian(accusation, discipline, custodian):
    with pytest.raises(DomainError) as refused:
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="需核实举报细节", case=accusation)
    assert refused.value.code == "approval_required"
    denied = AuditRecord.objects.get(action=AuditAction.ACCESS_DENIED)
    assert denied.detail["reason"] == "no_custodian_approval"

    request = unseal_request_create(case=accusation, actor=discipline, reason="需当面核实举报细节")
    with pytest.raises(DomainError):  # one pending request at a time
        unseal_request_create(case=accusation, actor=discipline, reason="再次申请")
    unseal_request_decide(request=request, actor=custodian, approve=True)

    identity = petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="当面核实", case=accusation)
    assert identity["name"] == "刘某某"
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [
        AuditAction.IDENTITY_UNSEAL_REQUEST,
        AuditAction.IDENTITY_UNSEAL_APPROVE,
        AuditAction.IDENTITY_VIEW,
    ]


def test_an_identity_is_unsealed_for_one_of_the_petitioners_cases(accusation, case, office, discipline, custodian):
    """The approval is checked against the case named: not against some other case of the same person."""
    with pytest.raises(TypeError):
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="需核实")  # type: ignore[call-arg]
    with pytest.raises(DomainError):
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="需核实", case=None)
    assert case.petitioner_id != accusation.petitioner_id
    with pytest.raises(DomainError):  # another person's general case opens nothing
        petitioner_unseal(petitioner=accusation.petitioner, actor=office, reason="电话回访", case=case)
    assert not AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW).exists()


def test_an_approval_is_personal_and_expires(accusation, discipline, discipline2, custodian, settings):
    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=request, actor=custodian, approve=True)

    with pytest.raises(DomainError):  # someone else cannot ride on it
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline2, reason="我也要看", case=accusation)
    later = timezone.now() + timedelta(hours=settings.HUIYIN_UNSEAL_APPROVAL_HOURS, minutes=1)
    with time_machine.travel(later), pytest.raises(DomainError):
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="过期后再看", case=accusation)


def test_only_a_custodian_decides_and_never_their_own_request(accusation, discipline, discipline2, custodian):
    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    with pytest.raises(PermissionDenied):
        unseal_request_decide(request=request, actor=discipline2, approve=True)
    with pytest.raises(DomainError):  # a denial states its reason
        unseal_request_decide(request=request, actor=custodian, approve=False)
    unseal_request_decide(request=request, actor=custodian, approve=False, note="理由不充分")
    request.refresh_from_db()
    assert request.status == UnsealStatus.DENIED
    with pytest.raises(DomainError):
        unseal_request_decide(request=request, actor=custodian, approve=True)
    assert AuditRecord.objects.filter(action=AuditAction.IDENTITY_UNSEAL_DENY).count() == 1


def test_custodian_cannot_approve_their_own_request(accusation, custodian, org):
    from huiyin.org.services import user_create

    both = user_create(username="both", password="pw-Huiyin-2026", unit=org["a"], roles=["discipline", "custodian"])
    request = unseal_request_create(case=accusation, actor=both, reason="需核实举报细节")
    with pytest.raises(DomainError):
        unseal_request_decide(request=request, actor=both, approve=True)


def test_the_case_page_flow(client, accusation, discipline, custodian):
    client.force_login(discipline)
    refused = client.post(reverse("cases:identity", args=[accusation.pk]), {"reason": "需核实举报细节"})
    assert refused.status_code == 400 and "刘某某" not in refused.content.decode()

    page = client.get(accusation.get_absolute_url()).content.decode()
    assert 'data-action="request_unseal"' in page and 'id="vault-panel"' in page
    asked = client.post(reverse("cases:action", args=[accusation.pk, "request_unseal"]), {"reason": "需当面核实"})
    assert asked.status_code == 302
    assert 'data-action="request_unseal"' not in client.get(accusation.get_absolute_url()).content.decode()

    client.force_login(custodian)
    queue = client.get(reverse("portal:unseal_requests"))
    assert queue.status_code == 200 and accusation.case_no in queue.content.decode()
    request = UnsealRequest.objects.get()
    assert client.post(reverse("portal:unseal_decide", args=[request.pk]), {"decision": "approve"}).status_code == 302

    client.force_login(discipline)
    shown = client.post(reverse("cases:identity", args=[accusation.pk]), {"reason": "当面核实"})
    assert shown.status_code == 200 and "刘某某" in shown.content.decode()


@pytest.mark.parametrize(
    ("persona", "code"), [("anon", 302), ("handler", 403), ("discipline", 403), ("custodian", 200)]
)
def test_custodian_queue_permission_matrix(client, request, org, persona, code):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:unseal_requests")).status_code == code


def test_a_custodian_elsewhere_cannot_decide(client, accusation, discipline, org):
    from huiyin.org.services import user_create

    other = user_create(username="b_custodian", password="pw-Huiyin-2026", unit=org["b"], roles=["custodian"])
    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    client.force_login(other)
    assert accusation.case_no not in client.get(reverse("portal:unseal_requests")).content.decode()
    assert client.post(reverse("portal:unseal_decide", args=[request.pk]), {"decision": "approve"}).status_code == 404


# Accused persons ---------------------------------------------------------------------------------


def test_accused_data_is_encrypted_and_masked(accusation, discipline):
    from django.db import connection

    accused_add(case=accusation, actor=discipline, name="王某科长", position="一厂财务科", description="虚开发票")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, position, description FROM people_accusedperson")
        raw = " ".join(cursor.fetchone())
    assert "王某" not in raw and "财务科" not in raw and "发票" not in raw
    accused = AccusedPerson.objects.get()
    assert accused.masked["name"] == "王**"
    assert not AuditRecord.objects.filter(detail__icontains="王某").exists()


def test_accused_unsealing_follows_the_same_rules(accusation, discipline, custodian):
    accused_add(case=accusation, actor=discipline, name="王某科长")
    with pytest.raises(DomainError):
        accused_unseal(case=accusation, actor=discipline, reason="核查需要")
    request = unseal_request_create(case=accusation, actor=discipline, reason="核查需要")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    assert accused_unseal(case=accusation, actor=discipline, reason="核查需要")[0]["name"] == "王某科长"


def test_accused_panel_and_unseal_view(client, case, office):
    accused_add(case=case, actor=office, name="赵某主任", position="一厂车间")
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="accused"' in page and "赵**" in page and "赵某主任" not in page
    shown = client.post(reverse("portal:accused_unseal", args=[case.pk]), {"reason": "调查需要"})
    assert shown.status_code == 200 and "赵某主任" in shown.content.decode()
    assert AuditRecord.objects.filter(action=AuditAction.IDENTITY_VIEW, object_type="people.accusedperson").exists()


def visible(user):
    from huiyin.cases.models import Case

    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_the_accused_and_their_reporting_line_lose_sight(
    case, office, leader, plant_leader, executive, handler, discipline, other_unit_clerk, org
):
    """Art. 30 ¶3: the accused handler, the leaders of their unit and above lose the case; office and discipline keep it."""
    from huiyin.cases.services import case_accept, case_assign

    case_accept(case=case, actor=office)
    case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    before = {u.username: case.pk in visible(u) for u in (office, leader, plant_leader, executive, handler, discipline)}
    assert all(before.values()), before

    accused_add(case=case, actor=office, name="张承办", user=handler)

    assert case.pk not in visible(handler)  # the accused, even though on the team
    assert case.pk not in visible(plant_leader)  # leader of the accused's unit
    assert case.pk not in visible(leader)  # leader of a unit above it
    assert case.pk not in visible(executive)  # group leadership above it
    assert case.pk in visible(office) and case.pk in visible(discipline)


def test_leaders_of_other_branches_keep_sight(case, office, org):
    from huiyin.org.services import user_create

    workshop_leader = user_create(
        username="ws_leader", password="pw-Huiyin-2026", unit=org["a_workshop"], roles=["leader"]
    )
    office_leader = user_create(
        username="off_leader", password="pw-Huiyin-2026", unit=org["a_office"], roles=["leader"]
    )
    accused_add(case=case, actor=office, name="某车间员工", unit=org["a_workshop"])
    assert case.pk not in visible(workshop_leader)
    assert case.pk in visible(office_leader)  # the registering office is not in the accused's line


def test_an_accused_discipline_officer_loses_sight(accusation, discipline, discipline2):
    accused_add(case=accusation, actor=discipline2, name="钱纪检", user=discipline)
    assert accusation.pk not in visible(discipline)
    assert accusation.pk in visible(discipline2)


def test_the_accused_gets_404_on_the_case_page_and_api(client, case, office, leader):
    accused_add(case=case, actor=office, name="赵领导", user=leader)
    client.force_login(leader)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_add_accused_action_on_the_case_page(client, case, clerk, leader):
    client.force_login(clerk)
    response = client.post(
        reverse("cases:action", args=[case.pk, "add_accused"]),
        {"name": "赵领导", "position": "甲公司", "description": "", "username": "leader", "unit": ""},
    )
    assert response.status_code == 302
    accused = AccusedPerson.objects.get()
    assert accused.user == leader and accused.unit == leader.unit
    assert case.pk not in visible(leader)
    bad = client.post(reverse("cases:action", args=[case.pk, "add_accused"]), {"name": "x", "username": "nobody-here"})
    assert bad.status_code == 400


def test_an_anonymous_report_with_nobody_named_offers_nothing_to_unseal(client, make_case, discipline):
    from huiyin.cases.actions import actions_for

    report = make_case(
        type="accusation", subject="反映车间主任虚报加班费", content="车间主任虚报加班费。", petitioner=None
    )
    assert report.petitioner_id is None
    assert "request_unseal" not in {a.name for a, _label in actions_for(case=report, user=discipline)}
    client.force_login(discipline)
    assert f'href="/cases/{report.pk}/do/request_unseal/"' not in client.get(report.get_absolute_url()).content.decode()
    # Once an accused person is registered there is an identity to protect, and the request is offered.
    accused_add(case=report, actor=discipline, name="张某某", position="车间主任", description="")
    assert "request_unseal" in {a.name for a, _label in actions_for(case=report, user=discipline)}
    assert f'href="/cases/{report.pk}/do/request_unseal/"' in client.get(report.get_absolute_url()).content.decode()


def test_the_custodian_sees_the_requesters_part_in_the_case(
    client, org, accusation, discipline, discipline2, custodian
):
    """A custodian decides need-to-know: the queue says whether the requester works on the case at all,
    and what was decided on their earlier requests for it, without showing the report's content."""
    from huiyin.cases.models import CaseMember

    CaseMember.objects.create(case=accusation, user=discipline)
    handled_by = type(accusation).objects.filter(pk=accusation.pk)
    handled_by.update(handling_unit=org["b_office"])  # another company's case, for the test's sake
    first = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=first, actor=custodian, approve=False, note="理由不充分")
    unseal_request_create(case=accusation, actor=discipline, reason="需当面核实举报细节，已约谈安排")
    unseal_request_create(case=accusation, actor=discipline2, reason="想了解情况")
    client.force_login(custodian)

    def rows():
        page = client.get(reverse("portal:unseal_requests")).content.decode()
        assert accusation.content not in page
        return [row.split('class="unseal-part">', 1)[1].split("</p>", 1)[0] for row in page.split('id="unseal-')[1:3]]

    mine, other = rows()
    assert "专班成员" in mine and "据记录与本件无关" in other
    page = client.get(reverse("portal:unseal_requests")).content.decode()
    assert "此前就本件的申请：批准 0 次，未批准 1 次" in page.split('id="unseal-')[1]
    assert "乙公司 · 乙公司信访办" in page  # the handling unit, named with its company
    handled_by.update(handling_unit=org["a"])  # handled where they both work
    assert "承办单位人员" in rows()[1]
    handled_by.update(handling_unit=org["a_plant"])  # handled below them
    assert "本件在其管辖范围内" in rows()[1]
    assert accusation.content not in page


def test_the_custodian_is_told_of_a_request_and_the_requester_of_the_decision(
    client, accusation, discipline, discipline2, custodian
):
    from huiyin.notify.services import inbox_for

    first = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    second = unseal_request_create(case=accusation, actor=discipline2, reason="需联系举报人补充材料")
    waiting = list(inbox_for(custodian).order_by("id"))
    assert [n.kind for n in waiting] == ["identity.unseal_requested"] * 2
    assert accusation.case_no in waiting[0].title and waiting[0].case is None
    assert accusation.subject not in waiting[0].title + waiting[0].body  # the custodian reads no report
    assert waiting[0].url == reverse("portal:unseal_requests")
    assert not inbox_for(discipline).exists()

    unseal_request_decide(request=first, actor=custodian, approve=True)
    unseal_request_decide(request=second, actor=custodian, approve=False, note="理由不充分")
    approved, refused = inbox_for(discipline).get(), inbox_for(discipline2).get()
    assert "已获批准" in approved.title and accusation.case_no in approved.title and approved.case == accusation
    assert "未批准" in refused.title and "理由不充分" in refused.body
    client.force_login(custodian)
    assert "等待你审批" in client.get(reverse("notify:inbox")).content.decode()


# Revoking an approval early ------------------------------------------------------------------------


def test_a_custodian_revokes_an_approval_early_and_the_requester_is_told(accusation, discipline, custodian):
    from huiyin.notify.services import inbox_for

    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=request, actor=custodian, approve=True, note="限本次核实")
    assert petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="当面核实", case=accusation)

    with pytest.raises(DomainError) as refused:
        unseal_approval_revoke(request=request, actor=custodian, note="  ")
    assert "note" in refused.value.fields
    request.refresh_from_db()
    assert request.status == UnsealStatus.APPROVED  # a refused revocation changes nothing

    unseal_approval_revoke(request=request, actor=custodian, note="核实已完成")
    request.refresh_from_db()
    assert request.status == UnsealStatus.WITHDRAWN and request.revoked_by == custodian
    assert request.revoke_note == "核实已完成" and request.decision_note == "限本次核实"
    with pytest.raises(DomainError):
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="再看一次", case=accusation)

    record = AuditRecord.objects.get(action=AuditAction.IDENTITY_UNSEAL_REVOKE)
    assert record.actor_id == custodian.pk and record.case_no == accusation.case_no
    assert record.detail["note"] == "核实已完成" and record.detail["requested_by"] == "discipline"
    decided, told = inbox_for(discipline).order_by("id")  # the approval, then its revocation
    assert "撤销" in told.title and accusation.case_no in told.title and "核实已完成" in told.body

    with pytest.raises(DomainError):  # once ended, it stays ended
        unseal_approval_revoke(request=request, actor=custodian, note="再次撤销")


def test_only_a_live_approval_is_revoked_and_only_by_a_custodian(accusation, discipline, discipline2, custodian):
    denied = unseal_request_create(case=accusation, actor=discipline2, reason="需联系举报人补充材料")
    unseal_request_decide(request=denied, actor=custodian, approve=False, note="理由不充分")
    with pytest.raises(DomainError):
        unseal_approval_revoke(request=denied, actor=custodian, note="撤销")
    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    with pytest.raises(PermissionDenied):
        unseal_approval_revoke(request=request, actor=discipline, note="我不再需要")
    denial = AuditRecord.objects.filter(action=AuditAction.ACCESS_DENIED).latest("seq")
    assert denial.detail["what"] == "unseal_revoke" and denial.case_no == accusation.case_no
    from huiyin.audit.presentation import detail_items

    assert "撤销查看身份的批准" in [item.value for item in detail_items(denial)]
    with time_machine.travel(timezone.now() + timedelta(days=30)), pytest.raises(DomainError):
        unseal_approval_revoke(request=request, actor=custodian, note="已过期")
    request.refresh_from_db()
    assert (
        request.status == UnsealStatus.APPROVED
        and not AuditRecord.objects.filter(action=AuditAction.IDENTITY_UNSEAL_REVOKE).exists()
    )


def test_the_custodian_page_lists_decisions_with_time_and_note_and_revokes(
    client, accusation, discipline, discipline2, custodian
):
    approved = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=approved, actor=custodian, approve=True)
    denied = unseal_request_create(case=accusation, actor=discipline2, reason="需联系举报人补充材料")
    unseal_request_decide(request=denied, actor=custodian, approve=False, note="理由不充分")
    client.force_login(custodian)

    def row(pk):
        page = client.get(reverse("portal:unseal_requests")).content.decode()
        return page.split(f'id="decided-{pk}"', 1)[1].split("</tr>", 1)[0]

    assert "理由不充分" in row(denied.pk) and "未批准" in row(denied.pk)
    assert "revoke" not in row(denied.pk)  # nothing to end on a refusal
    live = row(approved.pk)
    assert "已批准" in live and reverse("portal:unseal_revoke", args=[approved.pk]) in live
    assert str(timezone.localtime(approved.decided_at).year) in live  # the decision's time is shown

    url = reverse("portal:unseal_revoke", args=[approved.pk])
    blank = client.post(url, {"note": ""}, follow=True)
    assert "请说明撤销批准的理由。" in blank.content.decode()
    approved.refresh_from_db()
    assert approved.status == UnsealStatus.APPROVED

    done = client.post(url, {"note": "核实已完成"}, follow=True)
    assert "已撤销" in done.content.decode()
    ended = row(approved.pk)
    assert "已撤销" in ended and "核实已完成" in ended and url not in ended
    assert "已提前终止（原定至" in ended  # the granted end is not shown as if it still held

    client.force_login(discipline)
    assert client.post(url, {"note": "x"}).status_code == 403


def test_a_refused_unsealing_step_stays_recorded(accusation, discipline, custodian, handler):
    """The services refused inside their own transaction, so the refusal's audit record was rolled back with it."""
    with pytest.raises(PermissionDenied):
        unseal_request_create(case=accusation, actor=handler, reason="想看看举报人是谁")
    request = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    with pytest.raises(PermissionDenied):
        unseal_request_decide(request=request, actor=discipline, approve=True)
    denials = AuditRecord.objects.filter(action=AuditAction.ACCESS_DENIED).order_by("seq")
    assert [(d.actor_id, d.detail["what"]) for d in denials] == [
        (handler.pk, "unseal_request"),
        (discipline.pk, "unseal_decide"),
    ]
    assert all(d.case_no == accusation.case_no for d in denials)


def test_after_a_revocation_or_expiry_the_refusal_says_so(accusation, discipline, custodian):
    first = unseal_request_create(case=accusation, actor=discipline, reason="需核实举报细节")
    unseal_request_decide(request=first, actor=custodian, approve=True)
    unseal_approval_revoke(request=first, actor=custodian, note="核实已完成。")
    with pytest.raises(DomainError) as revoked:
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="再看一次", case=accusation)
    assert "被撤销" in revoked.value.message and "核实已完成。" in revoked.value.message

    second = unseal_request_create(case=accusation, actor=discipline, reason="需再次核实举报细节")
    unseal_request_decide(request=second, actor=custodian, approve=True)
    with time_machine.travel(timezone.now() + timedelta(days=2)), pytest.raises(DomainError) as expired:
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="再看一次", case=accusation)
    assert "到期" in expired.value.message and "请重新" in expired.value.message
