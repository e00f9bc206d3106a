"""Issue #5.3: the dispute register (矛盾纠纷台账), a register of matters kept per unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiyin.core.errors import DomainError
from huiyin.triage.models import DisputeEntry
from huiyin.triage.selectors import dispute_entries_for, dispute_entry_cases
from huiyin.triage.services import dispute_entry_create, dispute_entry_update

ENTRY_FIELDS = {f.name for f in DisputeEntry._meta.get_fields()}


def test_the_register_records_matters_not_people():
    person_words = ("petitioner", "name", "phone", "id_number", "employee", "person", "address")
    assert not [f for f in ENTRY_FIELDS if any(w in f for w in person_words)]


@pytest.fixture
def entry(office, org, case, leader):
    return dispute_entry_create(
        actor=office,
        unit=org["a"],
        title="一厂检修车间加班费拖欠",
        affected_group="一厂检修车间职工",
        headcount=40,
        units=[org["a_plant"]],
        level="major",
        responsible_leader=leader,
        cases=[case],
    )


def test_resolving_needs_the_three_checks(entry, office):
    with pytest.raises(DomainError):
        dispute_entry_update(entry=entry, actor=office, status="resolved", responsibility_assigned=True)
    entry.refresh_from_db()
    assert entry.status == "open" and not entry.responsibility_assigned
    done = dispute_entry_update(
        entry=entry,
        actor=office,
        status="resolved",
        responsibility_assigned=True,
        problem_solved=True,
        hazard_removed=True,
        measures="已补发8月加班费",
    )
    assert done.resolved_at is not None and done.checks_done == 3 and done.updated_by == office
    reopened = dispute_entry_update(entry=entry, actor=office, status="resolving")
    assert reopened.resolved_at is None
    with pytest.raises(DomainError):
        dispute_entry_update(entry=entry, actor=office, title="  ")


def test_scope_of_the_register(entry, office, other_unit_clerk, leader, executive, org):
    b_entry = dispute_entry_create(actor=other_unit_clerk, unit=org["b_office"], title="乙公司宿舍热水器")
    assert list(dispute_entries_for(user=office)) == [entry]
    assert list(dispute_entries_for(user=other_unit_clerk)) == [b_entry]
    assert set(dispute_entries_for(user=executive)) == {entry, b_entry}
    assert list(dispute_entries_for(user=leader)) == [entry]


def test_cases_out_of_scope_are_never_listed_nor_dropped(entry, b_case, office, other_unit_clerk, client):
    b = b_case()
    entry.cases.add(b)
    assert list(dispute_entry_cases(entry=entry, user=office)) == list(entry.cases.exclude(pk=b.pk))
    client.force_login(office)
    body = client.get(entry.get_absolute_url()).content.decode()
    assert b.case_no not in body
    # Saving the form keeps the case the office cannot see.
    response = client.post(
        reverse("triage:dispute_edit", args=[entry.pk]),
        {"title": entry.title, "headcount": 40, "level": "major", "status": "resolving", "plan": "两周内补发"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert b in entry.cases.all() and entry.status == "resolving" and entry.plan == "两周内补发"


def test_edit_adds_and_removes_cases_by_number(entry, case, make_case, b_case, office, client):
    other = make_case(subject="宿舍漏水", content="宿舍漏水")
    b = b_case()
    client.force_login(office)
    url = reverse("triage:dispute_edit", args=[entry.pk])
    data = {"title": entry.title, "headcount": 40, "level": "major", "status": "open"}
    response = client.post(url, {**data, "add_cases": b.case_no})
    assert response.status_code == 400  # company B's case does not exist for this user
    response = client.post(url, {**data, "add_cases": other.case_no, "remove_cases": [case.pk]})
    assert response.status_code == 302
    assert list(entry.cases.all()) == [other]


def test_new_entry_page(client, office, leader, org):
    client.force_login(office)
    assert client.get(reverse("triage:dispute_new")).status_code == 200
    response = client.post(
        reverse("triage:dispute_new"),
        {
            "title": "食堂饭菜价格上涨",
            "affected_group": "一厂职工",
            "headcount": 300,
            "units": [org["a_plant"].pk],
            "level": "general",
            "responsible_leader": leader.pk,
            "status": "open",
        },
    )
    assert response.status_code == 302
    entry = DisputeEntry.objects.get()
    assert (entry.unit, entry.responsible_leader, entry.created_by) == (office.unit, leader, office)
    assert list(entry.units.all()) == [org["a_plant"]]
    bad = client.post(
        reverse("triage:dispute_new"), {"title": "x", "level": "general", "status": "resolved", "headcount": 0}
    )
    assert bad.status_code == 400 and DisputeEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "list_code", "detail_code", "edit_code"),
    [
        (None, 302, 302, 302),
        ("clerk", 403, 403, 403),
        ("leader", 200, 200, 403),
        ("other_unit_clerk", 200, 404, 404),
        ("office", 200, 200, 200),
    ],
)
def test_register_pages_access(client, request, entry, persona, list_code, detail_code, edit_code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("triage:disputes")).status_code == list_code
    assert client.get(entry.get_absolute_url()).status_code == detail_code
    assert client.get(reverse("triage:dispute_edit", args=[entry.pk])).status_code == edit_code
    if persona == "other_unit_clerk":
        assert entry.title not in client.get(reverse("triage:disputes")).content.decode()


def test_case_page_lists_the_entries_of_the_case(client, office, case, entry):
    client.force_login(office)
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'id="triage-disputes"' in body and entry.title in body


def test_resolving_without_the_checks_is_refused_on_the_form(client, office, entry):
    """Not the database constraint's message: the rule, on the status and on each check not ticked."""
    from django.utils.translation import gettext

    client.force_login(office)
    response = client.post(
        reverse("triage:dispute_edit", args=[entry.pk]),
        {
            "title": entry.title,
            "headcount": 40,
            "level": "major",
            "status": "resolved",
            "responsibility_assigned": "on",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "triage_dispute_resolved_needs_three_checks" not in response.content.decode()
    assert (
        gettext("A matter is resolved only when responsibility is assigned, the problem solved and the hazard removed.")
        in form.non_field_errors()
    )
    assert set(form.errors) >= {"status", "problem_solved", "hazard_removed"}
    assert "responsibility_assigned" not in form.errors
    entry.refresh_from_db()
    assert entry.status == "open" and not entry.responsibility_assigned
