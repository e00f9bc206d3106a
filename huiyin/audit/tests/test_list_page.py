"""The audit log page reads in plain language: labelled details, named objects, case-number search, date errors."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.services import audit_record, audit_verify
from huiyin.cases.states import CaseStatus

pytestmark = pytest.mark.django_db


def _page(client, **params) -> str:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _table(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_state_change_details_read_in_chinese_with_raw_json_kept(client, auditor, office, case):
    audit_record(
        actor=office,
        action=AuditAction.STATE_CHANGE,
        obj=case,
        detail={"case_no": case.case_no, "from": "in_handling", "to": "replied", "stage": "first"},
    )
    client.force_login(auditor)
    page = _page(client, action=AuditAction.STATE_CHANGE)
    table = _table(page)

    for label in (CaseStatus.IN_HANDLING.label, CaseStatus.REPLIED.label, gettext("From"), gettext("To")):
        assert str(label) in table
    assert "办理中" in table and "已答复" in table
    # Readable lines carry no Python repr; the exact stored JSON is still there behind "raw data".
    readable = table.split("<details>", 1)[0]
    assert "{'" not in readable and "in_handling" not in readable
    assert '"from": "in_handling"' in table and gettext("Raw data") in table
    assert audit_verify().ok


def test_denial_reason_codes_get_labels(client, auditor, clerk):
    audit_record(
        actor=clerk,
        action=AuditAction.ACCESS_DENIED,
        object_type="cases.case",
        object_id="999999",
        detail={"perm": "cases.view_case", "reason": "not_found_or_out_of_scope"},
    )
    client.force_login(auditor)
    readable = _table(_page(client)).split("<details>", 1)[0]
    assert gettext("Not found or outside the user's scope") in readable
    assert "not_found_or_out_of_scope" not in readable
    assert "cases.view_case" not in readable  # the permission is named, not coded


def test_unknown_keys_show_as_plain_key_value(client, auditor):
    audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        object_type="test",
        object_id="1",
        detail={"mystery": {"inner": [1, 2]}, "flag": True, "empty": None},
    )
    client.force_login(auditor)
    readable = _table(_page(client)).split("<details>", 1)[0]
    assert "mystery" in readable and "inner：1, 2" in readable  # nested values read "key：value" in Chinese
    assert "{" not in readable and "[" not in readable and "'" not in readable
    assert gettext("Yes") in readable


def test_the_page_survives_odd_stored_details(client, auditor):
    """Details written before today's labels, of any JSON shape, still render."""
    for detail in ({"from": 3, "to": None, "perm": "nonsense", "expires_at": "not a date"}, {"perm": "x.y_z"}):
        audit_record(actor=None, action=AuditAction.STATE_CHANGE, object_type="no.such", object_id="7", detail=detail)
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="", detail={})
    client.force_login(auditor)
    assert "no.such 7" in _page(client)


def test_case_objects_show_the_case_number_batched(client, auditor, make_case):
    cases = [make_case() for _ in range(4)]
    for c in cases:
        audit_record(actor=None, action=AuditAction.EXPORT, obj=c)
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as few:
        page = _page(client, action=AuditAction.EXPORT)
    for c in cases:
        assert gettext("Case %(number)s") % {"number": c.case_no} in page
    assert "cases.case" not in _table(page).replace('title="cases.case', "")
    # The auditor cannot open cases, so there is no link to one.
    assert reverse("cases:detail", args=[cases[0].pk]) not in page

    more = [make_case() for _ in range(4)]
    for c in more:
        audit_record(actor=None, action=AuditAction.EXPORT, obj=c)
    with CaptureQueriesContext(connection) as many:
        _page(client, action=AuditAction.EXPORT)
    assert len(many) == len(few)  # no query per row


def test_case_number_links_for_someone_who_may_open_the_case(client, office, case):
    office.user_permissions.add(*_perm("audit", "view_auditrecord"))
    audit_record(actor=None, action=AuditAction.EXPORT, obj=case)
    client.force_login(office)
    page = _page(client)
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in page


def test_other_objects_show_their_verbose_name(client, auditor, clerk):
    audit_record(actor=clerk, action=AuditAction.OTP_ENROL, obj=clerk, detail={"recovery_codes": 10})
    client.force_login(auditor)
    table = _table(_page(client))
    assert f"{gettext('user')} {clerk.pk}" in table


def test_a_destroyed_case_is_named_by_the_number_kept_in_the_detail(client, auditor):
    audit_record(
        actor=None,
        action=AuditAction.RETENTION_DESTROY,
        object_type="cases.case",
        object_id="424242",
        detail={"case_no": "2019-000007", "rule": "review", "reason": "到期", "via": "review", "files": 0},
    )
    client.force_login(auditor)
    table = _table(_page(client))
    assert gettext("Case %(number)s") % {"number": "2019-000007"} in table
    assert gettext("Archival review") in table.split("<details>", 1)[0]


def test_object_filter_accepts_a_case_number(client, auditor, office, make_case):
    target, other = make_case(), make_case()
    audit_record(actor=office, action=AuditAction.EXPORT, obj=target)
    audit_record(actor=office, action=AuditAction.EXPORT, obj=other)
    client.force_login(auditor)

    by_number = _table(_page(client, object=target.case_no))
    assert target.case_no in by_number and other.case_no not in by_number
    by_id = _table(_page(client, object=str(target.pk)))
    assert target.case_no in by_id and other.case_no not in by_id
    nothing = _page(client, object="1999-000001")
    assert gettext("No records.") in nothing


def test_reversed_date_range_is_an_error_not_an_empty_list(client, auditor, chain_of_two):
    client.force_login(auditor)
    page = _page(client, **{"from": "2026-05-10", "to": "2026-05-01"})
    assert gettext("The start date cannot be later than the end date.") in page
    assert "<tbody>" not in page and gettext("Correct the filter above to see records.") in page


@pytest.mark.parametrize("bad", ["junk", "2026-02-30", "2026/05/01", "05-01-2026"])
def test_invalid_dates_are_reported_not_ignored(client, auditor, chain_of_two, bad):
    client.force_login(auditor)
    page = _page(client, **{"from": bad})
    assert gettext("Enter the date as YYYY-MM-DD.") in page
    assert "<tbody>" not in page


def test_a_valid_range_still_filters(client, auditor, chain_of_two):
    client.force_login(auditor)
    page = _page(client, **{"from": "2000-01-01", "to": "2000-01-02"})
    assert gettext("No records.") in page
    assert AuditRecord.objects.count() == 2


def _perm(app_label, codename):
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def chain_of_two(db):
    for n in (1, 2):
        audit_record(actor=None, action=AuditAction.EXPORT, object_type="test", object_id=str(n))
