"""Audit log rows name categories and pseudo-objects; the object filter takes a case number without its dash."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Category

pytestmark = pytest.mark.django_db


def _table(client, **params) -> str:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode()).split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _readable(table: str) -> str:
    return "".join(part.split("</details>", 1)[-1] for part in table.split("<details>"))


def test_category_change_shows_category_names_batched(client, auditor, office, case):
    Category.objects.create(code="wages-x", name_zh="工资待遇甲", sort=1)
    Category.objects.create(code="housing-x", name_zh="住房保障乙", sort=2)
    audit_record(
        actor=office,
        action=AuditAction.CATEGORY_CHANGE,
        obj=case,
        detail={"case_no": case.case_no, "from": "", "to": "wages-x"},
    )
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as few:
        table = _table(client, action=AuditAction.CATEGORY_CHANGE)
    readable = _readable(table)
    assert "工资待遇甲" in readable and "wages-x" not in readable

    for _ in range(3):
        audit_record(
            actor=office,
            action=AuditAction.CATEGORY_CHANGE,
            obj=case,
            detail={"case_no": case.case_no, "from": "wages-x", "to": "housing-x"},
        )
    with CaptureQueriesContext(connection) as many:
        table = _table(client, action=AuditAction.CATEGORY_CHANGE)
    assert "住房保障乙" in _readable(table)
    assert len(many) == len(few)  # one lookup for the page, not one per row


def test_an_unknown_category_code_is_shown_as_stored(client, auditor, office, case):
    audit_record(
        actor=office,
        action=AuditAction.CATEGORY_CHANGE,
        obj=case,
        detail={"case_no": case.case_no, "from": "gone-code", "to": ""},
    )
    client.force_login(auditor)
    assert "gone-code" in _readable(_table(client))


def test_failed_portal_login_names_its_pseudo_object(client, auditor):
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="portal.login")
    client.force_login(auditor)
    table = _table(client)
    assert gettext("Portal sign-in") in table
    assert ">portal.login<" not in table.replace(" ", "")


def test_object_filter_accepts_a_case_number_without_its_dash(client, auditor, office, make_case):
    target, other = make_case(), make_case()
    audit_record(actor=office, action=AuditAction.EXPORT, obj=target)
    audit_record(actor=office, action=AuditAction.EXPORT, obj=other)
    client.force_login(auditor)
    table = _table(client, object=target.case_no.replace("-", ""))
    assert target.case_no in table and other.case_no not in table


def test_statistics_exports_are_named(client, auditor, office):
    for document in ("stats_ledger", "stats_report"):
        audit_record(
            actor=office,
            action=AuditAction.EXPORT,
            object_type="stats.statistics",
            object_id="2026-07-01/2026-09-30",
            detail={"document": document, "from": "2026-07-01", "to": "2026-09-30", "n": 12},
        )
    client.force_login(auditor)
    table = _readable(_table(client))
    assert "台账" in table and "分析报告" in table and "stats_ledger" not in table
    assert gettext("Statistics") in table
    # Found in a walk-through: the count of cases exported read 编号 12, as if it were a number of one.
    assert "统计件数" in table and "编号" not in table


def test_a_name_in_a_reply_letter_reads_as_such(client, auditor, office, in_handling_case):
    """Found in a walk-through: the record read 理由 reply_letter and fields: name."""
    from huiyin.people.services import petitioner_name_for_letter

    assert petitioner_name_for_letter(case=in_handling_case, actor=office) == "刘某某"
    client.force_login(auditor)
    table = _readable(_table(client, action=AuditAction.IDENTITY_VIEW))
    assert "写入答复书" in table and "显示字段" in table
    assert "reply_letter" not in table and "fields" not in table and "name" not in table
