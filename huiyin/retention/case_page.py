"""What retention adds to the staff case page: set and lift a legal hold, and a panel with the holds,
the retention dates and what has been removed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case
from huiyin.retention.forms import LegalHoldForm, LegalHoldLiftForm
from huiyin.retention.models import LegalHold
from huiyin.retention.selectors import case_retention_state
from huiyin.retention.services import legal_hold_lift, legal_hold_set


def _has_active_hold(case: Case, user: Any) -> bool:
    return LegalHold.objects.filter(case_id=case.pk, lifted_at__isnull=True).exists()


def _retention_panel(case: Case, user: Any) -> dict | None:
    state = case_retention_state(case=case)
    if not (state["holds"] or state["erasure"] or state["review"] or state["personal_data_due"]):
        return None
    return {"case": case, **state}


def register() -> None:
    from huiyin.cases.actions import Action, register_action
    from huiyin.cases.panels import Panel, register_panel

    register_action(
        Action(
            "legal_hold_set",
            _("Set a legal hold"),
            "retention.add_legalhold",
            LegalHoldForm,
            lambda c, u: True,
            lambda c, u, d: legal_hold_set(case=c, actor=u, reason=d["reason"]),
            help=_("While a hold is in force nothing on the case is removed or destroyed under the retention rules."),
        )
    )
    register_action(
        Action(
            "legal_hold_lift",
            _("Lift a legal hold"),
            "retention.lift_legalhold",
            LegalHoldLiftForm,
            _has_active_hold,
            lambda c, u, d: legal_hold_lift(hold=d["hold"], actor=u, reason=d["lift_reason"]),
            form_takes_context=True,
        )
    )
    register_panel(Panel("retention", "retention/_case_panel.html", _retention_panel, position="side", order=80))
