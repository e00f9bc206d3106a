"""What the portal adds to the staff case page: the message thread with the petitioner, the receipt
slip for paper channels, and the protected retaliation follow-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from huiyin.core.errors import DomainError
from huiyin.portal.forms import FollowUpCloseForm, MessageForm
from huiyin.portal.models import FollowUpStatus, Receipt, RetaliationFollowUp
from huiyin.portal.selectors import portal_messages
from huiyin.portal.services import message_to_petitioner, portal_reachable, retaliation_followup_close


def _open_followup(case: Any) -> RetaliationFollowUp | None:
    return RetaliationFollowUp.objects.filter(case=case, status=FollowUpStatus.OPEN).order_by("created_at").first()


def _close_followup(case: Any, user: Any, data: dict) -> Any:
    followup = _open_followup(case)
    if followup is None:
        raise DomainError(_("There is no open follow-up."))
    return retaliation_followup_close(followup=followup, actor=user, outcome=data["outcome"])


def _messages_panel(case: Any, user: Any) -> dict | None:
    thread = list(portal_messages(case).select_related("author"))
    reachable = portal_reachable(case)
    if not thread and not reachable:
        return None
    return {"messages": thread, "reachable": reachable}


def _receipt_panel(case: Any, user: Any) -> dict | None:
    if not user.has_perm("portal.issue_receipt"):
        return None
    live = Receipt.objects.filter(case=case, revoked_at__isnull=True).first()
    if case.channel == "web" and live is not None:
        return None
    return {"case": case, "live": live}


def _retaliation_panel(case: Any, user: Any) -> dict | None:
    if not user.has_perm("portal.view_retaliationfollowup"):
        return None
    checkins = list(case.retaliation_checkins.all())
    followups = list(RetaliationFollowUp.objects.filter(case=case).select_related("closed_by", "checkin"))
    if not checkins and not followups:
        return None
    return {"checkins": checkins, "followups": followups}


def register() -> None:
    from huiyin.cases.actions import Action, register_action
    from huiyin.cases.panels import Panel, register_panel

    register_action(
        Action(
            "message_petitioner",
            _("Message the petitioner"),
            "portal.add_casemessage",
            MessageForm,
            lambda c, u: portal_reachable(c),
            lambda c, u, d: message_to_petitioner(case=c, actor=u, text=d["text"]),
            help=_("The petitioner reads it on the portal with their receipt code or account."),
        )
    )
    register_action(
        Action(
            "close_retaliation",
            _("Close the retaliation follow-up"),
            "portal.change_retaliationfollowup",
            FollowUpCloseForm,
            lambda c, u: u.has_perm("portal.view_retaliationfollowup") and _open_followup(c) is not None,
            _close_followup,
            style="danger",
        )
    )
    register_panel(
        Panel("portal_messages", "portal/staff/_messages_panel.html", _messages_panel, position="main", order=10)
    )
    register_panel(
        Panel("retaliation", "portal/staff/_retaliation_panel.html", _retaliation_panel, position="main", order=30)
    )
    register_panel(Panel("receipt", "portal/staff/_receipt_panel.html", _receipt_panel, position="side", order=10))
