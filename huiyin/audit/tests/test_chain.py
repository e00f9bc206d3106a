"""The audit log is append-only and hash-chained; `manage.py audit verify` names the first broken record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.services import audit_record, audit_verify


@pytest.fixture
def chain(db):
    return [
        audit_record(actor=None, action=AuditAction.EXPORT, object_type="test", object_id=str(n), detail={"n": n})
        for n in range(1, 6)
    ]


def test_an_intact_chain_verifies(chain, capsys):
    assert audit_verify().ok
    call_command("audit", "verify")
    assert "5 records verified" in capsys.readouterr().out


def test_altering_one_row_in_the_database_is_named(chain):
    """Regression for issue #4: a row changed behind the application's back is found and named."""
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_name = %s WHERE seq = %s", ["mallory", 3])  # noqa: S608

    result = audit_verify()
    assert not result.ok and result.first_broken_seq == 3
    with pytest.raises(CommandError, match=r"#3\b"):
        call_command("audit", "verify")


def test_rewriting_a_row_and_its_hash_breaks_the_next_link(chain):
    from huiyin.audit.services import record_hash

    row = AuditRecord.objects.get(seq=2)
    row.detail = {"n": 99}
    forged = record_hash(row)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditRecord._meta.db_table} SET detail = %s, hash = %s WHERE seq = 2",  # noqa: S608
            ['{"n": 99}', forged],
        )
    result = audit_verify()
    assert result.first_broken_seq == 3 and "link" in result.reason and result.code == "chain_link"


def test_deleting_a_row_is_named(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE seq = 4")  # noqa: S608
    assert audit_verify().first_broken_seq == 4


def test_deleting_the_last_rows_is_noticed(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE seq = 5")  # noqa: S608
    assert audit_verify().first_broken_seq == 5


def test_records_cannot_be_changed_or_deleted_through_the_orm(chain):
    record = chain[0]
    record.actor_name = "x"
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()


@pytest.mark.parametrize(("persona", "code"), [("anon", 302), ("handler", 403), ("custodian", 403), ("auditor", 200)])
def test_audit_list_permission_matrix(client, request, org, persona, code):
    if persona != "anon":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code == code


def test_auditors_filter_by_date_and_action(client, auditor):
    old = timezone.now() - timedelta(days=10)
    with time_machine.travel(old):
        audit_record(actor=None, action=AuditAction.EXPORT, object_type="test", object_id="old-one")
    audit_record(actor=None, action=AuditAction.IDENTITY_VIEW, object_type="test", object_id="new-one")
    client.force_login(auditor)
    day = timezone.localdate(old).isoformat()

    only_old = client.get(reverse("audit:list"), {"from": day, "to": day}).content.decode()
    assert "old-one" in only_old and "new-one" not in only_old
    recent = client.get(reverse("audit:list"), {"from": timezone.localdate().isoformat()}).content.decode()
    assert "new-one" in recent and "old-one" not in recent
    by_action = client.get(reverse("audit:list"), {"action": AuditAction.EXPORT}).content.decode()
    assert "old-one" in by_action and "new-one" not in by_action
    assert client.get(reverse("audit:list"), {"from": "2026-02-30", "to": "junk"}).status_code == 200


def test_the_audit_page_has_no_editing(client, auditor, chain):
    client.force_login(auditor)
    html = client.get(reverse("audit:list")).content.decode()
    # The one form posts to the chain check, which only reads the log (and appends the check's record).
    assert re.findall(r'action="(/audit/[^"]*)"', html) == [reverse("audit:verify")] and "/admin/audit/" not in html
    assert client.post(reverse("audit:list")).status_code == 405
    assert AuditRecord.objects.count() == 5


def test_only_named_actions_are_written_so_each_can_be_found_by_its_label(db, client, auditor):
    with pytest.raises(ValueError):
        audit_record(actor=None, action="retention.something_new", object_type="test", object_id="1")
    assert not AuditRecord.objects.exists()
    record = audit_record(actor=None, action="retention.hold_set", object_type="test", object_id="1")
    assert record.action == AuditAction.RETENTION_HOLD_SET and audit_verify().ok
    client.force_login(auditor)
    page = client.get(reverse("audit:list"), {"action": AuditAction.RETENTION_HOLD_SET}).content.decode()
    assert "设置法律保全" in page
