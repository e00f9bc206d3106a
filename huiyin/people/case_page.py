"""What the identity vault adds to the staff case page: custodian requests and accused persons."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from huiyin.people.forms import AccusedForm, AccusedRemoveForm, UnsealReasonForm, UnsealRequestForm
from huiyin.people.models import AccusedPerson, UnsealRequest, UnsealStatus
from huiyin.people.services import (
    accused_add,
    accused_remove,
    case_needs_custodian,
    unseal_approval_live,
    unseal_gate,
    unseal_request_create,
)

TERMINAL = {"redirected", "forwarded", "not_accepted", "final"}


def _holds_identities(case: Any) -> bool:
    """The vault holds someone's identity for this case: a named author or an accused person. An
    anonymous report with nobody named yet has nothing to unseal."""
    return case.petitioner_id is not None or AccusedPerson.objects.filter(case_id=case.pk).exists()


def _can_request(case: Any, user: Any) -> bool:
    if not case_needs_custodian(case) or not _holds_identities(case):
        return False
    pending = UnsealRequest.objects.filter(case_id=case.pk, requested_by_id=user.pk, status=UnsealStatus.REQUESTED)
    return not pending.exists() and unseal_approval_live(case=case, user=user) is None


def _vault_panel(case: Any, user: Any) -> dict | None:
    if not case_needs_custodian(case) or not user.has_perm("people.unseal_petitioner"):
        return None
    if not _holds_identities(case):
        return None
    mine = list(UnsealRequest.objects.filter(case_id=case.pk, requested_by_id=user.pk).order_by("-created_at")[:5])
    return {"requests": mine, "live": unseal_approval_live(case=case, user=user)}


def _accused_panel(case: Any, user: Any) -> dict | None:
    people = list(AccusedPerson.objects.filter(case_id=case.pk).order_by("pk"))
    if not people:
        return None
    allowed = user.has_perm("people.unseal_petitioner")
    gate = unseal_gate(case=case, user=user) if allowed else ""
    return {
        "case": case,
        "people": people,
        # Without a custodian's approval the form could only fail: the panel points to the request instead.
        "can_unseal": allowed and gate == "open",
        "unseal_gate": gate,
        "form": UnsealReasonForm(),
    }


def register() -> None:
    from huiyin.cases.actions import Action, register_action
    from huiyin.cases.panels import Panel, register_panel

    register_action(
        Action(
            "request_unseal",
            _("Ask a custodian to unseal identities"),
            "people.unseal_petitioner",
            UnsealRequestForm,
            _can_request,
            lambda c, u, d: unseal_request_create(case=c, actor=u, reason=d["reason"]),
            help=_(
                "Accusation reports: a custodian must approve before anyone sees the author's or the accused's identity."
            ),
        )
    )
    register_action(
        Action(
            "add_accused",
            _("Record an accused person"),
            "people.add_accusedperson",
            AccusedForm,
            lambda c, u: c.status not in TERMINAL,
            lambda c, u, d: accused_add(
                case=c,
                actor=u,
                name=d["name"],
                position=d["position"],
                description=d["description"],
                user=d["username"],
                unit=d["unit"],
            ),
            form_takes_context=True,
        )
    )
    register_action(
        Action(
            "remove_accused",
            _("Remove an accused person recorded by mistake"),
            "people.add_accusedperson",
            AccusedRemoveForm,
            lambda c, u: c.status not in TERMINAL and AccusedPerson.objects.filter(case_id=c.pk).exists(),
            lambda c, u, d: accused_remove(case=c, actor=u, accused=d["accused"], reason=d["reason"]),
            form_takes_context=True,
        )
    )
    register_panel(Panel("identity_vault", "people/_vault_panel.html", _vault_panel, position="side", order=20))
    register_panel(Panel("accused", "people/_accused_panel.html", _accused_panel, position="main", order=20))
