"""Case numbers as people type them: one reading for the list search, the link form and the audit filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.audit.forms import object_filter
from huiyin.audit.models import AuditRecord
from huiyin.audit.services import audit_record
from huiyin.cases.forms import LinkForm
from huiyin.cases.numbers import case_no_parse
from huiyin.portal.receipts import case_no_hint, parse_receipt


@pytest.mark.parametrize(
    "typed",
    [
        "2026-000123",
        " 2026-000123 ",
        "2026000123",
        "2026 000123",
        "２０２６－０００１２３",
        "2026\u2014000123",
        "2026\u2212000123",
    ],
)
def test_a_case_number_is_read_however_it_is_typed(typed):
    assert case_no_parse(typed) == "2026-000123"


@pytest.mark.parametrize(
    "typed", ["", None, "2026-123", "26-000123", "2026-000123-7K3M", "工资 2026-000123", "x" * 100]
)
def test_anything_else_is_not_a_case_number(typed):
    assert case_no_parse(typed) is None


def test_receipts_read_the_case_number_the_same_way():
    secret = "7K3M" * 6
    assert parse_receipt(f"２０２６－０００１２３－{secret}").case_no == case_no_parse("2026000123")
    assert case_no_hint("2026 000123 garbage") == "2026-000123"


@pytest.mark.django_db
def test_the_case_list_finds_a_case_by_its_number_typed_without_the_dash(client, office, make_case):
    wanted, other = make_case(), make_case()
    client.force_login(office)
    html = client.get(reverse("cases:list"), {"q": wanted.case_no.replace("-", "")}).content.decode()
    assert wanted.subject in html or wanted.case_no in html
    assert other.case_no not in html


@pytest.mark.django_db
def test_the_link_form_takes_a_full_width_number_and_refuses_an_unknown_one(office, make_case):
    case, other = make_case(), make_case()
    full_width = other.case_no.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    form = LinkForm({"case_no": full_width, "kind": "repeat"}, case=case, user=office)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["case_no"] == other
    form = LinkForm({"case_no": "2099-999999", "kind": "repeat"}, case=case, user=office)
    assert not form.is_valid() and "case_no" in form.errors


@pytest.mark.django_db
def test_the_audit_filter_finds_a_case_by_its_number_in_any_form(make_case, office):
    case, other = make_case(), make_case()
    audit_record(actor=office, action="export", obj=case)
    audit_record(actor=office, action="export", obj=other)
    records = AuditRecord.objects.filter(object_type="cases.case", object_id=str(case.pk))
    for typed in (case.case_no, case.case_no.replace("-", " "), case.case_no.replace("-", "\u2013")):
        found = set(AuditRecord.objects.filter(object_filter(typed)))
        assert found == set(records), typed
