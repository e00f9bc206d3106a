"""Issue #5: a change of category is a person's decision on the category suggestion and moves the route
suggestion; decided suggestions prefill the accept and assign forms."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from huiyin.cases.models import Category
from huiyin.cases.services import case_accept, case_categorise
from huiyin.core.errors import DomainError
from huiyin.triage import services as triage_services
from huiyin.triage.models import CategoryRoute, Suggestion
from huiyin.triage.selectors import training_examples
from huiyin.triage.services import suggestion_confirm, suggestion_correct, suggestion_dismiss


def cat(code):
    return Category.objects.get(code=code)


def suggestion(case, kind="category"):
    return Suggestion.objects.get(case=case, kind=kind)


def selected(html, name):
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"no select {name}"
    return re.findall(r'<option value="(\d+)"[^>]*selected', block.group(1))


def action_form(client, case, action):
    response = client.get(reverse("cases:action", args=[case.pk, action]))
    assert response.status_code == 200
    return response.content.decode()


# The decision on the suggestion --------------------------------------------------------------------


@pytest.mark.parametrize(("chosen", "status"), [("wages", "confirmed"), ("housing", "corrected")])
def test_categorise_decides_the_open_suggestion(in_handling_case, office, chosen, status):
    # Given a case accepted without a category: its suggestion (wages) is still open
    assert suggestion(in_handling_case).is_open
    # When the office sets the category
    case_categorise(case=in_handling_case, actor=office, category=cat(chosen), reason="类别有误")
    # Then that is the person's decision on the suggestion, and a correction becomes training data
    s = suggestion(in_handling_case)
    assert (s.status, s.decided_by, s.final_category.code) == (status, office, chosen)
    assert s.corrected_category == (cat(chosen) if status == "corrected" else None)
    assert (in_handling_case.subject, in_handling_case.content, chosen) in training_examples()


def test_a_later_change_redecides_a_confirmed_suggestion(case, office, handler):
    case_accept(case=case, actor=office, category=cat("wages"))
    s = suggestion(case)
    assert (s.status, s.decided_by) == ("confirmed", office)
    case_categorise(
        case=case, actor=handler, category=cat("housing"), reason="类别有误"
    )  # the service leaves rights to the caller
    s.refresh_from_db()
    assert (s.status, s.corrected_category.code, s.decided_by) == ("corrected", "housing", handler)
    assert [label for title, body, label in training_examples() if title == case.subject] == ["housing"]
    case_categorise(case=case, actor=office, category=cat("wages"), reason="类别有误")  # back to what was suggested
    s.refresh_from_db()
    assert (s.status, s.corrected_category, s.decided_by) == ("confirmed", None, office)


def test_a_decision_that_already_agrees_is_left_as_it_was(case, office, clerk):
    s = suggestion(case)
    suggestion_correct(suggestion=s, actor=clerk, category=cat("housing"))
    decided_at = Suggestion.objects.get(pk=s.pk).decided_at
    case_categorise(case=case, actor=office, category=cat("housing"), reason="类别有误")
    s.refresh_from_db()
    assert (s.status, s.decided_by, s.decided_at) == ("corrected", clerk, decided_at)


def test_a_dismissed_suggestion_stays_dismissed(case, office):
    suggestion_dismiss(suggestion=suggestion(case), actor=office)
    case_categorise(case=case, actor=office, category=cat("housing"), reason="类别有误")
    assert suggestion(case).status == "dismissed"
    # The case's own category is then the training label.
    assert [label for title, body, label in training_examples() if title == case.subject] == ["housing"]


def test_categorise_refreshes_the_route_suggestion(case, office, org):
    CategoryRoute.objects.create(category=cat("housing"), unit=org["a_workshop"])
    assert not Suggestion.objects.filter(case=case, kind="route").exists()  # no route for wages
    case_categorise(case=case, actor=office, category=cat("housing"), reason="类别有误")
    route = suggestion(case, "route")
    assert (route.unit, route.status, route.reasons["category"]) == (org["a_workshop"], "open", "housing")
    # A route a person decided is theirs: a later change of category leaves it alone.
    suggestion_confirm(suggestion=route, actor=office)
    case_categorise(case=case, actor=office, category=cat("wages"), reason="类别有误")
    route.refresh_from_db()
    assert (route.unit, route.status) == (org["a_workshop"], "confirmed")


def test_a_triage_failure_never_blocks_the_change(case, office, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(triage_services, "_route_refresh", broken)
    case_categorise(case=case, actor=office, category=cat("housing"), reason="类别有误")
    case.refresh_from_db()
    assert case.category.code == "housing"
    assert suggestion(case).is_open  # the savepoint rolled the triage work back, not the change


# Prefilled forms ------------------------------------------------------------------------------------


def test_accept_form_starts_at_the_settled_category(client, office, clerk, case):
    client.force_login(office)
    # An open suggestion is offered in the panel, not slipped into the form.
    assert suggestion(case).is_open and suggestion(case).category.code == "wages"
    assert selected(action_form(client, case, "accept"), "category") == []
    suggestion_confirm(suggestion=suggestion(case), actor=clerk)
    assert selected(action_form(client, case, "accept"), "category") == [str(cat("wages").pk)]
    suggestion_correct(suggestion=suggestion(case), actor=clerk, category=cat("housing"))
    assert selected(action_form(client, case, "accept"), "category") == [str(cat("housing").pk)]
    with pytest.raises(DomainError):
        suggestion_dismiss(suggestion=suggestion(case), actor=clerk)
    assert selected(action_form(client, case, "accept"), "category") == [str(cat("housing").pk)]


def test_accept_form_follows_a_change_of_category_before_screening(client, office, case):
    case_categorise(case=case, actor=office, category=cat("social_insurance"), reason="类别有误")
    client.force_login(office)
    assert selected(action_form(client, case, "accept"), "category") == [str(cat("social_insurance").pk)]


def test_assign_form_starts_at_the_settled_handling_unit(client, office, case, org):
    CategoryRoute.objects.create(category=cat("wages"), unit=org["a_plant"])
    case_categorise(case=case, actor=office, category=cat("wages"), reason="类别有误")
    case_accept(case=case, actor=office)
    client.force_login(office)
    route = suggestion(case, "route")
    assert route.is_open and selected(action_form(client, case, "assign"), "handling_unit") == []
    suggestion_confirm(suggestion=route, actor=office)
    assert selected(action_form(client, case, "assign"), "handling_unit") == [str(org["a_plant"].pk)]
    suggestion_correct(suggestion=route, actor=office, unit=org["a_workshop"])
    html = action_form(client, case, "assign")
    assert selected(html, "handling_unit") == [str(org["a_workshop"].pk)]
    assert selected(html, "leader") == []  # only the unit is suggested


def test_reassign_form_keeps_the_current_assignment(client, office, in_handling_case, org):
    CategoryRoute.objects.create(category=cat("housing"), unit=org["a_workshop"])
    case_categorise(case=in_handling_case, actor=office, category=cat("housing"), reason="类别有误")
    suggestion_confirm(suggestion=suggestion(in_handling_case, "route"), actor=office)
    client.force_login(office)
    assert selected(action_form(client, in_handling_case, "reassign"), "handling_unit") == [str(org["a_plant"].pk)]
