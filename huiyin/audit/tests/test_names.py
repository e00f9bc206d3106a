"""The audit log names people and units: "full name (username)", unit names, and a filter by full name (defect 2).

What is stored (usernames, unit codes) stays as written and hashed; only the page reads differently.
"""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.services import audit_record, audit_verify
from huiyin.people.services import accused_add, unseal_request_create, unseal_request_decide

pytestmark = pytest.mark.django_db


def _rows(client, **params) -> list[str]:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    body = html.unescape(response.content.decode()).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:] if 'class="empty"' not in row]


def _person(name: str, username: str) -> str:
    return gettext("%(name)s (%(username)s)") % {"name": name, "username": username}


def _readable(row: str) -> str:
    return row.split("<details>", 1)[0]


def test_actors_show_full_name_and_username(client, auditor, office, discipline):
    audit_record(actor=office, action=AuditAction.EXPORT, object_type="x", object_id="1")
    audit_record(actor=discipline, action=AuditAction.EXPORT, object_type="x", object_id="2")
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="org.user")
    client.force_login(auditor)
    rows = _rows(client)
    assert _person("钱纪检", "discipline") in rows[1] and _person("李信访", "office") in rows[2]
    assert f'<td data-label="{gettext("Actor")}">—</td>' in rows[0]
    # Stored as it was: the username, in the hashed record.
    assert set(AuditRecord.objects.values_list("actor_name", flat=True)) == {"office", "discipline", ""}


def test_the_actor_filter_takes_a_full_name_or_a_username_or_part_of_one(client, auditor, office, discipline):
    audit_record(actor=office, action=AuditAction.EXPORT, object_type="x", object_id="1")
    audit_record(actor=discipline, action=AuditAction.EXPORT, object_type="x", object_id="2")
    client.force_login(auditor)

    by_name = _rows(client, actor="钱纪检")
    assert len(by_name) == 1 and _person("钱纪检", "discipline") in by_name[0]
    by_username = _rows(client, actor=" discipline ")
    assert len(by_username) == 1 and "钱纪检" in by_username[0]
    # Part of a name finds whoever holds it, when nobody has that name exactly.
    by_part = _rows(client, actor="钱")
    assert len(by_part) == 1 and _person("钱纪检", "discipline") in by_part[0]
    assert len(_rows(client, actor="ISCIP")) == 1
    assert len(_rows(client, actor="i")) == 2  # in "office" and "discipline"
    assert _rows(client, actor="赵") == []
    # An exact name wins over names that merely contain it.
    discipline.full_name = "李信访二"
    discipline.save(update_fields=["full_name"])
    by_exact = _rows(client, actor="李信访")
    assert len(by_exact) == 1 and _person("李信访", "office") in by_exact[0]


def test_a_renamed_user_is_found_by_the_old_username_and_the_full_name(client, auditor, discipline):
    audit_record(actor=discipline, action=AuditAction.EXPORT, object_type="x", object_id="1")
    discipline.username = "qian.jijian"
    discipline.save(update_fields=["username"])
    client.force_login(auditor)
    for value in ("discipline", "qian.jijian", "钱纪检"):
        rows = _rows(client, actor=value)
        assert len(rows) == 1 and _person("钱纪检", "discipline") in rows[0], value  # the username recorded at the time


def test_a_user_without_a_full_name_shows_the_username_alone(client, auditor, office):
    office.full_name = ""
    office.save(update_fields=["full_name"])
    audit_record(actor=office, action=AuditAction.EXPORT, object_type="x", object_id="1")
    client.force_login(auditor)
    (row,) = _rows(client, actor="office")
    assert f'<td data-label="{gettext("Actor")}">office</td>' in row


def test_details_name_units_and_requesters_not_codes(client, auditor, discipline, custodian, make_case, org):
    case = make_case(type="accusation", subject="检举一厂某科长违规报销", content="一厂某科长多次虚开发票报销。")
    accused_add(case=case, actor=discipline, name="周某某", unit=org["a_plant"])
    request = unseal_request_create(case=case, actor=discipline, reason="需当面核实举报细节")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    client.force_login(auditor)

    (added,) = _rows(client, action=AuditAction.ACCUSED_ADD)
    assert "甲公司一厂" in _readable(added) and "A-P1" not in _readable(added)
    assert '"unit": "A-P1"' in added  # the raw stored value is still there for the exact record
    (approved,) = _rows(client, action=AuditAction.IDENTITY_UNSEAL_APPROVE)
    assert _person("钱纪检", "discipline") in _readable(approved)
    assert "周某某" not in str(list(AuditRecord.objects.values_list("detail", flat=True)))
    assert audit_verify().ok


def test_an_unknown_unit_code_is_shown_as_stored(client, auditor):
    audit_record(actor=None, action=AuditAction.ACCUSED_ADD, object_type="x", detail={"unit": "GONE-9"})
    client.force_login(auditor)
    (row,) = _rows(client)
    assert "GONE-9" in _readable(row)


def test_names_are_looked_up_once_per_page_not_per_row(client, auditor, office, discipline, org):
    def write(n):
        for i in range(n):
            actor = (office, discipline)[i % 2]
            unit = (org["a_plant"], org["b_office"])[i % 2]
            audit_record(actor=actor, action=AuditAction.ACCUSED_ADD, object_type="x", detail={"unit": unit.code})

    write(2)
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as few:
        _rows(client)
    write(6)
    with CaptureQueriesContext(connection) as many:
        rows = _rows(client)
    assert len(rows) == 8 and "乙公司信访办" in rows[0] and "甲公司一厂" in rows[1]
    assert len(many) == len(few)
