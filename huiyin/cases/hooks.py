"""Hooks the cases app consults without importing the apps that fill them (registered in `ready()`).

`reply_checkers`: before a reply is issued, each checker receives the case and the draft text and
returns what the reply still lacks, as human-readable (translated) items; an empty list means
nothing is missing. The reply form shows the items and issues the reply only once the user has
ticked "issue anyway".

`assignment_checkers`: before a case is assigned, each checker receives the case and the chosen
handling unit and returns a translated reason the unit may not handle it, or None (e.g. the people
app refuses the unit of an accused person: Art. 30 ¶3 forbids passing an accusation to them).

`form_initial_providers`: when the case page shows the form of an action (`cases.actions`), each
provider receives the action's name, the case and the user and returns initial values for the
form's fields (e.g. triage prefills the accept form with the category a person settled on). The
form's own initial values (the case's current assignment, say) win over the providers', and the
first provider to name a field wins over later ones.

`work_body_providers`: each provider receives a case and returns the body (an `OrgUnit`) whose
petition office has the case as its work, or None to have no say (the workflow app names, for a
review or re-review, the body above the one that decided while it waits for assignment, then the
body it was assigned to). The home page lists the case as work (to act on, due soon, overdue) for
that body's offices and those of the bodies above it only, and only they are offered the assign
and reassign actions.

`home_section_providers`: each provider receives the signed-in user and returns a section of their home page
(`{"template": name, **context}`) or None; the sections follow the case lists (e.g. triage lists the
dispute register entries the user is the responsible leader of).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huiyin.cases.models import Case

ReplyChecker = Callable[["Case", str], list[str]]
reply_checkers: list[ReplyChecker] = []


def register_reply_checker(checker: ReplyChecker) -> None:
    if checker not in reply_checkers:
        reply_checkers.append(checker)


def reply_missing(case: Case, text: str) -> list[str]:
    """Everything the registered checkers find missing in the draft reply `text`."""
    missing: list[str] = []
    for checker in list(reply_checkers):
        missing.extend(checker(case, text))
    return missing


FormInitialProvider = Callable[[str, "Case", Any], dict[str, Any]]
form_initial_providers: list[FormInitialProvider] = []


def register_form_initial_provider(provider: FormInitialProvider) -> None:
    if provider not in form_initial_providers:
        form_initial_providers.append(provider)


def form_initial(action: str, case: Case, user: Any) -> dict[str, Any]:
    """Initial values the registered providers propose for the form of `action` on `case`."""
    initial: dict[str, Any] = {}
    for provider in list(form_initial_providers):
        for name, value in (provider(action, case, user) or {}).items():
            initial.setdefault(name, value)
    return initial


AssignmentChecker = Callable[["Case", Any], "str | None"]
assignment_checkers: list[AssignmentChecker] = []


def register_assignment_checker(checker: AssignmentChecker) -> None:
    if checker not in assignment_checkers:
        assignment_checkers.append(checker)


def assignment_refused(case: Case, handling_unit: Any) -> str | None:
    """The first reason a registered checker gives why `handling_unit` may not handle `case`."""
    for checker in list(assignment_checkers):
        reason = checker(case, handling_unit)
        if reason:
            return reason
    return None


WorkBodyProvider = Callable[["Case"], Any]
work_body_providers: list[WorkBodyProvider] = []


def register_work_body_provider(provider: WorkBodyProvider) -> None:
    if provider not in work_body_providers:
        work_body_providers.append(provider)


def work_body(case: Case) -> Any:
    """The body (an `OrgUnit`) whose petition office has `case` as its work, as the first registered provider
    to name one says; None when no provider has a say (any office in scope has)."""
    for provider in list(work_body_providers):
        body = provider(case)
        if body is not None:
            return body
    return None


HomeSectionProvider = Callable[[Any], "dict[str, Any] | None"]
home_section_providers: list[HomeSectionProvider] = []


def register_home_section_provider(provider: HomeSectionProvider) -> None:
    if provider not in home_section_providers:
        home_section_providers.append(provider)


def home_sections(user: Any) -> list[dict[str, Any]]:
    """The sections the registered providers add to `user`'s home page, in registration order."""
    return [section for provider in list(home_section_providers) if (section := provider(user)) is not None]
