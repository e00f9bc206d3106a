"""What a receipt tells the petitioner about the decision whether to accept the matter.

Before the decision: the limit of the case's own lane, read from its rule profile (15 days under
Art. 22 of the 2022 Regulations; 15 working days for an accusation report on the discipline lane;
whatever an enterprise profile shortened them to), with the case's own date when its clock runs.
After the decision: what was decided and when, and where the matter stands now — never the stale
promise of a decision already made.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huiyin.cases.models import Case, EventKind
from huiyin.cases.states import CaseStatus, Compartment
from huiyin.clock.rules import Unit
from huiyin.core.dates import date_text
from huiyin.portal.selectors import acceptance_clock, clock_may_move
from huiyin.workflow.clocks import profile_for, profile_get

REGISTER_RULE = "register"


def acceptance_rule(case: Case) -> Any:
    """The rule of the decision whether to accept, in the profile of the case's lane."""
    return profile_get(profile_for(case)).rules[REGISTER_RULE]


def limit_text(rule: Any) -> str:
    """ "15 days" or "15 working days", as the rule counts them."""
    if rule.unit == Unit.WORKING:
        return _("{days} working days").format(days=rule.days)
    return _("{days} days").format(days=rule.days)


def _decision_event(case: Case) -> Any:
    """The step that left "registered": the decision whether to accept."""
    return (
        case.events.filter(kind=EventKind.STATUS_CHANGED, from_status=CaseStatus.REGISTERED)
        .order_by("at", "id")
        .only("at", "to_status")
        .first()
    )


def decided_notice(case: Case) -> str:
    """The decision already made, with its date, and the matter's status now."""
    status = str(case.get_status_display())
    event = _decision_event(case)
    if event is None:
        return _("Current status of the matter: {status}.").format(status=status)
    decided_on = date_text(event.at)
    decision = str(CaseStatus(event.to_status).label) if event.to_status else status
    if event.to_status == case.status:
        return _("On {date} the office decided: {decision}.").format(date=decided_on, decision=decision)
    return _("On {date} the office decided: {decision}. Current status of the matter: {status}.").format(
        date=decided_on, decision=decision, status=status
    )


def acceptance_notice(case: Case) -> str:
    """The receipt's statement on the decision whether to accept the matter (see the module docstring)."""
    if case.status != CaseStatus.REGISTERED:
        return decided_notice(case)
    rule = acceptance_rule(case)
    basis, limit = rule.article, limit_text(rule)
    clock = acceptance_clock(case)
    if case.anonymous and case.compartment == Compartment.DISCIPLINE:
        return _anonymous_report_notice(clock, limit)
    if clock is None:
        return _(
            "Under {basis}, the office will decide within {limit} of receiving the matter whether to accept it, "
            "and tell you."
        ).format(basis=basis, limit=limit)
    due = date_text(clock.told_due or clock.due)
    if clock_may_move(clock):
        return _(
            "Under {basis}, the office will decide by {due} (within {limit} of receiving the matter; the date may "
            "change once the holiday schedule is published) whether to accept it, and tell you."
        ).format(basis=basis, due=due, limit=limit)
    return _(
        "Under {basis}, the office will decide by {due} (within {limit} of receiving the matter) whether to "
        "accept it, and tell you."
    ).format(basis=basis, due=due, limit=limit)


def _anonymous_report_notice(clock: Any, limit: str) -> str:
    """An anonymous accusation report: the 2020 Rules' duty to tell the reporter how a report was accepted is
    owed to named reporters, so the receipt does not cite it as a promise; it gives the office's own limit and
    points to the receipt code."""
    if clock is None:
        decide = _("The office will decide within {limit} of receiving the report whether to accept it.").format(
            limit=limit
        )
    else:
        decide = _("The office will decide by {due} (within {limit} of receiving the report) whether to accept it.")
        decide = decide.format(due=date_text(clock.told_due or clock.due), limit=limit)
        if clock_may_move(clock):
            decide += _(" The date may change once the holiday schedule is published.")
    return decide + _(
        " The duty to tell the reporter how a report was accepted applies to named reports; follow this one "
        "with your receipt code."
    )
