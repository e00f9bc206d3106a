"""What triage adds to the case page: the suggestions with their reasons, the similar cases (loaded
after the page, so a lookup never slows it down), the live reply check, the register entries, and
the starting values of the accept and assign forms."""

from __future__ import annotations

from typing import Any

from huiyin.cases.actions import actions_for
from huiyin.cases.forms import units_for
from huiyin.cases.hooks import register_form_initial_provider
from huiyin.cases.models import Case, Category
from huiyin.cases.panels import Panel, register_panel
from huiyin.cases.services import ACCUSATION_CATEGORY
from huiyin.cases.states import OPEN, CaseStage, CaseStatus, Compartment
from huiyin.org.tree import in_reading_order
from huiyin.triage import engine
from huiyin.triage.models import CategoryRoute
from huiyin.triage.selectors import case_suggestions, dispute_entries_of_case
from huiyin.triage.states import SuggestionKind, SuggestionSource


def suggestions_context(case: Case, user: Any) -> dict | None:
    suggestions = case_suggestions(case=case)
    if not suggestions:
        return None
    can_decide = user.has_perm("triage.confirm_suggestion")
    category = suggestions.get(SuggestionKind.CATEGORY)
    accept_category = None
    if (
        category is not None
        and case.status == CaseStatus.REGISTERED
        and case.can_transition_to(CaseStatus.ACCEPTED)
        and user.has_perm("cases.screen_case")
    ):
        accept_category = category.final_category or category.category
    # An accusation in the general lane (registered as a claim or a suggestion): it is transferred to
    # discipline inspection, never accepted here with one click (found in a walk-through).
    # Also when the keyword rules read it as one while the model suggests another category (found in a browser
    # check: a model trained on the general lane called a letter accusing a wages-office head a wage matter).
    accusation = None
    if category is not None and case.compartment == Compartment.GENERAL and case.status in OPEN:
        chosen = category.final_category or category.category
        terms = [] if chosen is not None and chosen.code == ACCUSATION_CATEGORY else None
        if terms is None and category.source == SuggestionSource.MODEL:
            terms = engine.accusation_terms(case.subject, case.content) or None
        if terms is not None:
            accept_category = None
            accusation = {
                "terms": terms,
                "can_transfer": any(a.name == "to_discipline" for a, _label in actions_for(case=case, user=user)),
            }
    route = suggestions.get(SuggestionKind.ROUTE)
    # Why there is no handling-unit suggestion, or what it rests on (found in a walk-through: a case without
    # a route showed nothing, and one without the unit concerned was routed by the registering unit unsaid).
    chosen = (category.final_category or category.category) if category is not None else None
    route_note = ""
    if case.compartment == Compartment.GENERAL and chosen is not None and chosen.code != ACCUSATION_CATEGORY:
        if route is None:
            # No rule of the category anywhere: naming the unit concerned cannot help, a rule can (found in a
            # walk-through: the hint to enter the unit showed for 安全生产, which no unit routes).
            route_note = "none" if CategoryRoute.objects.filter(category=chosen).exists() else "no_rules"
        elif case.target_unit_id is None:
            route_note = "by_registering_unit"
    return {
        "case": case,
        "category": category,
        "route_note": route_note,
        "route_category": chosen,
        "can_edit_routes": user.has_perm("triage.change_categoryroute"),
        "route": route,
        "can_decide": can_decide,
        "categories": list(Category.objects.filter(active=True)) if can_decide else [],
        "units": in_reading_order(units_for(user)) if can_decide and SuggestionKind.ROUTE in suggestions else [],
        "accept_category": accept_category,
        "accusation": accusation,
    }


def similar_context(case: Case, user: Any) -> dict | None:
    return {"case": case}


def reply_check_context(case: Case, user: Any) -> dict | None:
    if not (user.has_perm("cases.reply_case") or user.has_perm("cases.draft_reply")):
        return None
    if not (case.can_transition_to(CaseStatus.REPLIED) or case.can_transition_to(CaseStatus.FINAL)):
        return None
    # Name the button this user has: 出具答复 for who issues it, 起草答复 for who drafts it (the stage's own word).
    offered = {action.name: label for action, label in actions_for(case=case, user=user)}
    return {"case": case, "action": offered.get("reply") or offered.get("draft_reply")}


def disputes_context(case: Case, user: Any) -> dict | None:
    if not user.has_perm("triage.view_disputeentry"):
        return None
    entries = list(dispute_entries_of_case(case=case, user=user))
    if not entries:
        return None
    return {"entries": entries}


def form_initial(action: str, case: Case, user: Any) -> dict[str, Any]:
    """Start the accept form at the category, and the assign form at the handling unit, that a person
    settled on for the suggestion (confirmed: the suggested one; corrected: the one they chose).

    An open suggestion prefills nothing: a guess sitting in a form would be recorded as a person's
    confirmation by whoever accepts without looking at the category. The panel offers it instead,
    by name, on its own "accept with category" button.
    """
    if action == "accept":
        category = getattr(case_suggestions(case=case).get(SuggestionKind.CATEGORY), "final_category", None)
        return {"category": category.pk} if category is not None and category.active else {}
    if action == "assign" and case.stage == CaseStage.FIRST:
        # A review or re-review goes to the body above the previous one (`workflow.review`), not to the route.
        unit = getattr(case_suggestions(case=case).get(SuggestionKind.ROUTE), "final_unit", None)
        return {"handling_unit": unit.pk} if unit is not None else {}
    return {}


def register() -> None:
    register_form_initial_provider(form_initial)
    register_panel(Panel("triage_suggestions", "triage/_suggestions_panel.html", suggestions_context, "side", 5))
    register_panel(Panel("triage_reply_check", "triage/_reply_check_panel.html", reply_check_context, "side", 6))
    register_panel(Panel("triage_similar", "triage/_similar_panel.html", similar_context, "main", 10))
    register_panel(Panel("triage_disputes", "triage/_disputes_panel.html", disputes_context, "side", 40))
