"""Issue #5: setting or changing a case's category while it is open (`case_categorise`), the action on
the case page, and the hook through which other apps prefill the forms of case actions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases import hooks
from huiyin.cases import services as s
from huiyin.cases.actions import ACTIONS
from huiyin.cases.models import Case, CaseEvent, Category, EventKind
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.core.errors import DomainError


def cat(code):
    return Category.objects.get(code=code)


def url(case):
    return reverse("cases:action", args=[case.pk, "categorise"])


def selected(html, name):
    """The values selected in the <select name=`name`> of a rendered form."""
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"no select {name}"
    return re.findall(r'<option value="(\d+)"[^>]*selected', block.group(1))


def snapshot(case):
    case.refresh_from_db()
    return (
        case.category_id,
        case.status,
        case.stage,
        case.events.count(),
        AuditRecord.objects.count(),
    )


# The service -------------------------------------------------------------------------------------


def test_categorise_sets_then_changes_the_category_on_the_timeline_and_in_the_audit_log(case, in_handling_case, office):
    # Given a case in handling without a category
    assert in_handling_case.category_id is None
    status, stage = in_handling_case.status, in_handling_case.stage
    # When the office sets one, then changes it with a reason
    s.case_categorise(case=in_handling_case, actor=office, category=cat("wages"))
    result = s.case_categorise(
        case=in_handling_case, actor=office, category=cat("housing"), reason="  实为宿舍分配问题  "
    )
    # Then the case has the new category and nothing else moved
    in_handling_case.refresh_from_db()
    assert result.category == cat("housing") == in_handling_case.category
    assert (in_handling_case.status, in_handling_case.stage) == (status, stage) == (CaseStatus.IN_HANDLING, "first")
    events = list(in_handling_case.events.filter(kind=EventKind.CATEGORY_CHANGED))
    assert [(e.data["from"], e.data["to"]["code"]) for e in events] == [
        (None, "wages"),
        ({"id": cat("wages").pk, "code": "wages", "name": cat("wages").name_zh}, "housing"),
    ]
    assert events[1].text == "实为宿舍分配问题" and events[1].actor == office and events[1].stage == CaseStage.FIRST
    assert not events[1].from_status and not events[1].to_status
    records = AuditRecord.objects.filter(object_id=str(in_handling_case.pk), action=AuditAction.CATEGORY_CHANGE)
    assert [(r.actor_id, r.detail["from"], r.detail["to"]) for r in records.order_by("seq")] == [
        (office.pk, "", "wages"),
        (office.pk, "wages", "housing"),
    ]


def test_a_registered_case_may_be_categorised_before_screening(case, office):
    s.case_categorise(case=case, actor=office, category=cat("wages"))
    case.refresh_from_db()
    assert (case.category.code, case.status) == ("wages", CaseStatus.REGISTERED)


def _replied(case, office, leader, handler, org):
    s.case_accept(case=case, actor=office)
    s.case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    s.case_reply(case=case, actor=handler, text="经核实，8月加班费已于9月补发。")
    return case


@pytest.mark.parametrize("problem", ["missing", "inactive", "same", "not_accepted", "replied", "closed"])
def test_refusals_change_nothing(case, office, leader, handler, clerk, org, problem):
    # Given a case in the state the refusal is about
    category = cat("housing")
    if problem == "missing":
        category = None
    elif problem == "inactive":
        category = Category.objects.create(code="retired", name_zh="已停用类别", active=False)
    elif problem == "same":
        s.case_accept(case=case, actor=office, category=cat("wages"))
        category = cat("wages")
    elif problem == "not_accepted":
        s.case_not_accept(case=case, actor=office, reason="同一事项已经复核终结")
    else:
        _replied(case, office, leader, handler, org)
        if problem == "closed":
            s.case_rate(case=case, actor=clerk, rating="satisfied")
    before = snapshot(case)
    # When the office tries to categorise it, then it is refused with a reason and nothing is written
    with pytest.raises(DomainError) as refused:
        s.case_categorise(case=case, actor=office, category=category, reason="调整")
    assert refused.value.message
    assert snapshot(case) == before
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CATEGORY_CHANGED).exists()


def test_a_category_retired_after_the_form_was_shown_is_refused(case, office):
    housing = cat("housing")
    Category.objects.filter(pk=housing.pk).update(active=False)  # `housing` in memory still says active
    with pytest.raises(DomainError) as refused:
        s.case_categorise(case=case, actor=office, category=housing)
    assert "category" in refused.value.fields
    case.refresh_from_db()
    assert case.category_id is None


# The action on the case page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [(None, 302), ("no_perm_user", 403), ("handler", 403), ("leader", 403), ("other_unit_clerk", 404), ("office", 200)],
)
def test_categorise_page_access(client, request, in_handling_case, persona, code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    denied = AuditRecord.objects.filter(action="access.denied").count()
    response = client.get(url(in_handling_case))
    assert response.status_code == code
    if persona is None:
        assert reverse("login") in response["Location"]
    if persona == "other_unit_clerk":  # out of scope: the same 404 as a missing case, and logged
        assert AuditRecord.objects.filter(action="access.denied").count() == denied + 1
    posted = client.post(url(in_handling_case), {"category": cat("housing").pk})
    assert posted.status_code == (302 if persona == "office" else code)
    in_handling_case.refresh_from_db()
    assert (in_handling_case.category_id == cat("housing").pk) == (persona == "office")


def test_case_page_offers_the_action_to_the_office_only(client, office, handler, in_handling_case, english):
    client.force_login(handler)
    assert 'data-action="categorise"' not in client.get(in_handling_case.get_absolute_url()).content.decode()
    client.force_login(office)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    assert 'data-action="categorise"' in page and "Set category" in page
    s.case_categorise(case=in_handling_case, actor=office, category=cat("wages"))
    assert "Change category" in client.get(in_handling_case.get_absolute_url()).content.decode()


def test_form_lists_active_categories_and_starts_at_the_current_one(client, office, case):
    Category.objects.create(code="retired", name_zh="已停用类别", active=False)
    s.case_categorise(case=case, actor=office, category=cat("wages"))
    client.force_login(office)
    html = client.get(url(case), headers={"HX-Request": "true"}).content.decode()
    assert html.startswith("<section") and 'name="reason"' in html
    assert selected(html, "category") == [str(cat("wages").pk)]
    assert "已停用类别" not in html and cat("housing").name_zh in html


def test_htmx_post_changes_the_category_and_the_timeline_shows_it(client, office, case):
    client.force_login(office)
    response = client.post(
        url(case), {"category": cat("housing").pk, "reason": "宿舍问题"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response["HX-Redirect"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.category.code == "housing"
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'class="ev ev-category_changed"' in page and f"— → {cat('housing').name_zh}" in page and "宿舍问题" in page


def test_bad_input_is_shown_in_the_form_and_changes_nothing(client, office, case, english):
    s.case_categorise(case=case, actor=office, category=cat("wages"))
    retired = Category.objects.create(code="retired", name_zh="已停用类别", active=False)
    client.force_login(office)
    before = snapshot(case)
    same = client.post(url(case), {"category": cat("wages").pk, "reason": "调整"}, headers={"HX-Request": "true"})
    body = same.content.decode()
    assert same.status_code == 400 and 'class="alert error"' in body
    assert "The case already has the category" in body and "Choose a different category." in body
    inactive = client.post(url(case), {"category": retired.pk, "reason": "调整"}, headers={"HX-Request": "true"})
    assert inactive.status_code == 400 and 'class="error"' in inactive.content.decode()
    empty = client.post(url(case), {"category": ""}, headers={"HX-Request": "true"})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert snapshot(case) == before


def test_the_action_is_closed_once_the_case_is_no_longer_open(client, office, case):
    s.case_not_accept(case=case, actor=office, reason="同一事项已经复核终结")
    client.force_login(office)
    assert 'data-action="categorise"' not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(url(case)).status_code == 403
    assert client.post(url(case), {"category": cat("housing").pk}).status_code == 403
    case.refresh_from_db()
    assert case.category_id is None


# The form-initial hook ---------------------------------------------------------------------------


def test_form_initial_providers_prefill_unbound_forms_first_provider_wins(monkeypatch, case, office):
    calls = []

    def first(action, c, user):
        calls.append((action, c.pk, user.pk))
        return {"category": cat("housing").pk} if action == "accept" else {}

    def second(action, c, user):
        return {"category": cat("wages").pk, "note": "预填"}

    monkeypatch.setattr(hooks, "form_initial_providers", [])
    hooks.register_form_initial_provider(first)
    hooks.register_form_initial_provider(second)
    hooks.register_form_initial_provider(first)  # registering twice is a no-op
    assert hooks.form_initial_providers == [first, second]
    form = ACTIONS["accept"].make_form(case, office)
    assert form.initial == {"category": cat("housing").pk, "note": "预填"}
    assert ("accept", case.pk, office.pk) in calls
    bound = ACTIONS["accept"].make_form(case, office, {"note": ""})
    assert bound.initial == {}  # a posted form is never prefilled


def test_the_forms_own_initial_values_win_over_the_providers(monkeypatch, in_handling_case, office, org):
    monkeypatch.setattr(hooks, "form_initial_providers", [lambda a, c, u: {"handling_unit": org["a_workshop"].pk}])
    form = ACTIONS["reassign"].make_form(in_handling_case, office)
    assert form.initial["handling_unit"] == in_handling_case.handling_unit_id == org["a_plant"].pk


def test_categorise_leaves_status_to_case_transition(case, office):
    """The service never writes status or stage: a stale in-memory status is not saved back."""
    case.status = CaseStatus.CLOSED  # a stale object, on purpose
    s.case_categorise(case=case, actor=office, category=cat("wages"))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED
    assert case.status == CaseStatus.REGISTERED  # the caller's object is refreshed from the locked row
