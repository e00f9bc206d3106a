"""A case number finds every audit record about the case, whatever the record's object (tester's defect 1).

Identity views are filed under the petitioner, unsealing requests under the request, accused persons
under their own record: each also carries the case's number in the indexed `case_no` column.
"""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.services import GENESIS, audit_record, audit_verify, record_hash
from huiyin.cases.services import attachment_download_record
from huiyin.core.errors import DomainError
from huiyin.people.services import (
    accused_add,
    accused_unseal,
    petitioner_unseal,
    unseal_request_create,
    unseal_request_decide,
)


@pytest.fixture
def accusation(make_case):
    return make_case(type="accusation", subject="检举一厂某科长违规报销", content="一厂某科长多次虚开发票报销。")


def _rows(client, **params) -> list[str]:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    body = html.unescape(response.content.decode()).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:] if 'class="empty"' not in row]


@pytest.mark.django_db
def test_an_identity_view_is_found_by_the_number_of_the_case_it_was_for(client, auditor, office, make_case):
    target, other = make_case(), make_case()
    petitioner_unseal(petitioner=target.petitioner, actor=office, reason="需要电话回访", case=target)
    petitioner_unseal(petitioner=other.petitioner, actor=office, reason="需要电话回访", case=other)

    client.force_login(auditor)
    rows = _rows(client, action=AuditAction.IDENTITY_VIEW, object=target.case_no)

    assert len(rows) == 1 and target.case_no in rows[0] and other.case_no not in rows[0]
    # Typed without its dash, as people do.
    assert len(_rows(client, action=AuditAction.IDENTITY_VIEW, object=target.case_no.replace("-", ""))) == 1
    # The object is still the petitioner record, and its id still finds the view.
    view = AuditRecord.objects.get(object_type="people.petitioner", object_id=str(target.petitioner_id))
    assert view.case_no == target.case_no


@pytest.mark.django_db
def test_unsealing_requests_decisions_and_accused_persons_are_found_by_the_case_number(
    client, auditor, discipline, custodian, accusation, make_case, org
):
    other = make_case()
    with pytest.raises(DomainError):  # refused: no custodian approval yet
        petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="需核实举报细节", case=accusation)
    request = unseal_request_create(case=accusation, actor=discipline, reason="需当面核实举报细节")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    petitioner_unseal(petitioner=accusation.petitioner, actor=discipline, reason="当面核实", case=accusation)
    accused_add(case=accusation, actor=discipline, name="周某某", position="财务科科长", unit=org["a_plant"])
    accused_unseal(case=accusation, actor=discipline, reason="核实被反映人身份")
    audit_record(actor=discipline, action=AuditAction.EXPORT, obj=other)

    client.force_login(auditor)
    rows = _rows(client, object=accusation.case_no)

    filed = AuditRecord.objects.filter(case_no=accusation.case_no)
    assert {
        AuditAction.ACCESS_DENIED,
        AuditAction.IDENTITY_UNSEAL_REQUEST,
        AuditAction.IDENTITY_UNSEAL_APPROVE,
        AuditAction.IDENTITY_VIEW,
        AuditAction.ACCUSED_ADD,
    } <= set(filed.values_list("action", flat=True))
    assert {"people.petitioner", "people.unsealrequest", "people.accusedperson"} <= set(
        filed.values_list("object_type", flat=True)
    )
    assert len(rows) == filed.count() >= 6
    assert not any(other.case_no in row for row in rows)

    assert len(_rows(client, object=other.case_no)) == AuditRecord.objects.filter(case_no=other.case_no).count() == 1
    # Filed under the case, but no new personal data: names stay in the vault.
    details = str(list(AuditRecord.objects.values_list("detail", flat=True)))
    assert "刘某某" not in details and "周某某" not in details and "13800001111" not in details
    assert audit_verify().ok


@pytest.mark.django_db
def test_refusals_and_downloads_on_things_of_a_case_carry_its_number(office, handler, make_case):
    case = make_case()
    with pytest.raises(PermissionDenied):  # no right to unseal: refused on the petitioner record
        petitioner_unseal(petitioner=case.petitioner, actor=handler, reason="想看看是谁", case=case)
    denied = AuditRecord.objects.get(action=AuditAction.ACCESS_DENIED)
    assert denied.object_type == "people.petitioner" and denied.case_no == case.case_no
    assert denied.detail["case_no"] == case.case_no  # in the hashed content, so the column can be checked

    # A caller that names no case: the helper takes it from the object (here, an attachment of the case).
    from huiyin.cases.models import Attachment

    attachment = Attachment(case=case, pk=987654)
    record = audit_record(actor=office, action=AuditAction.ATTACHMENT_DOWNLOAD, obj=attachment)
    assert record.case_no == case.case_no == record.detail["case_no"]
    attachment_download_record(attachment=attachment, actor=office)
    assert AuditRecord.objects.filter(case_no=case.case_no, action=AuditAction.ATTACHMENT_DOWNLOAD).count() == 2
    assert audit_verify().ok


@pytest.mark.django_db
def test_records_about_no_case_are_not_filed_under_one(clerk):
    record = audit_record(actor=clerk, action=AuditAction.OTP_ENROL, obj=clerk, detail={"recovery_codes": 10})
    assert record.case_no is None and "case_no" not in record.detail
    odd = audit_record(actor=None, action=AuditAction.EXPORT, object_type="x", detail={"case": None, "case_no": 7})
    assert odd.case_no is None and odd.detail == {"case": None, "case_no": 7}
    assert audit_verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize("forged", [None, "2026-999999"])
def test_a_changed_case_number_column_is_named_by_verification(office, make_case, forged):
    case = make_case()
    petitioner_unseal(petitioner=case.petitioner, actor=office, reason="需要电话回访", case=case)
    view = AuditRecord.objects.get(action=AuditAction.IDENTITY_VIEW)
    assert audit_verify().ok
    # Someone hides the view from the case's search (or files it under another case) behind the application's back.
    AuditRecord.objects.filter(pk=view.pk).update(case_no=forged)

    result = audit_verify()
    assert not result.ok and result.first_broken_seq == view.seq
    assert "case number" in result.reason


@pytest.mark.django_db
def test_the_case_number_filter_can_use_the_index():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is checked on PostgreSQL, the production database")
    from huiyin.audit.forms import object_filter

    qs = AuditRecord.objects.filter(object_filter("2026-000006")).order_by("-seq")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "audit_record_case_no" in plan and "Seq Scan" not in plan


@pytest.mark.django_db(transaction=True)
def test_the_migration_files_existing_records_under_their_case_and_the_chain_still_verifies():
    before = [("audit", "0005_category_list_change_action")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        Record = old_apps.get_model("audit", "AuditRecord")
        details = [
            {"reason": "需要电话回访", "case": "2026-000006"},  # identity view, filed under the petitioner
            {"case_no": "2026-000007", "copy": "original"},
            {"recovery_codes": 10},
            {"reason": "unseal", "case": None},
            {"case_no": "x" * 21, "case": "2026-000008"},  # too long to be a number: the next key counts
            {"case_no": 7, "case": "2026-000009"},
            {"case_no": "", "case": ""},
            {"case": "二〇二六-六"},  # characters, not bytes
        ]
        prev = GENESIS
        for seq, detail in enumerate(details, start=1):
            row = Record(
                seq=seq,
                at=timezone.now(),
                actor_id=None,
                actor_name="office",
                action=AuditAction.IDENTITY_VIEW,
                object_type="people.petitioner",
                object_id="3",
                detail=detail,
                prev_hash=prev,
            )
            row.hash = prev = record_hash(row)
            row.save()
        old_apps.get_model("audit", "AuditHead").objects.create(pk=1, last_seq=len(details), last_hash=prev)
        hashes = list(Record.objects.order_by("seq").values_list("hash", "detail"))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())  # back to the schema the other tests use

    assert list(AuditRecord.objects.order_by("seq").values_list("case_no", flat=True)) == [
        "2026-000006",
        "2026-000007",
        None,
        None,
        "2026-000008",
        "2026-000009",
        None,
        "二〇二六-六",
    ]
    assert list(AuditRecord.objects.order_by("seq").values_list("hash", "detail")) == hashes  # nothing hashed changed
    assert audit_verify().ok
    # New records continue the same chain.
    audit_record(actor=None, action=AuditAction.EXPORT, object_type="x", detail={"case": "2026-000006"})
    assert audit_verify().ok and AuditRecord.objects.filter(case_no="2026-000006").count() == 2
