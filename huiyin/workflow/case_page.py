"""What this app adds to the case page: supervision and time-not-counted commands and panels."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiyin.cases.actions import Action, register_action
from huiyin.cases.models import Case
from huiyin.cases.panels import Panel, register_panel
from huiyin.cases.selectors import takes_up
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.workflow import forms as f
from huiyin.workflow import services as s
from huiyin.workflow.models import CasePause, Supervision
from huiyin.workflow.review import previous_stage_body, review_pending_body


def _supervision_panel(case: Case, user: Any) -> dict | None:
    supervisions = list(
        Supervision.objects.filter(case=case)
        .select_related("opened_by", "feedback_by", "deadline")
        .order_by("-opened_at", "-id")
    )
    if not supervisions:
        return None
    return {"case": case, "supervisions": supervisions, "today": timezone.localdate()}


def _pause_panel(case: Case, user: Any) -> dict | None:
    pauses = list(CasePause.objects.filter(case=case).order_by("first", "id"))
    if not pauses:
        return None
    return {"case": case, "pauses": pauses}


def _next_stage_panel(case: Case, user: Any) -> dict | None:
    """A review or re-review waiting for assignment: which body takes it up, and whether this user's office does."""
    body = review_pending_body(case)
    if body is None:
        return None
    decided = previous_stage_body(case)
    return {
        "review": case.stage == CaseStage.REVIEW,
        "body": body,
        "decided": decided,
        "top": decided is not None and decided.pk == body.pk,
        "mine": takes_up(user=user, case=case),
    }


def register() -> None:
    register_action(
        Action(
            "supervise",
            _("Put under supervision"),
            "workflow.supervise_case",
            f.SupervisionForm,
            lambda c, u: c.status == CaseStatus.IN_HANDLING and s.supervision_open_for(c) is None,
            lambda c, u, d: s.supervision_open(
                case=c, actor=u, level=d["level"], instructions=d["instructions"], feedback_due=d["feedback_due"]
            ),
        )
    )
    register_action(
        Action(
            "supervision_feedback",
            _("Submit supervision feedback"),
            "cases.handle_case",
            f.FeedbackForm,
            lambda c, u: s.supervision_open_for(c) is not None,
            lambda c, u, d: s.supervision_feedback(case=c, actor=u, text=d["text"]),
            style="primary",
        )
    )
    register_action(
        Action(
            "pause",
            _("Record time not counted"),
            "workflow.record_pause",
            f.PauseForm,
            lambda c, u: c.status in (CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING),
            lambda c, u, d: s.case_pause_add(case=c, actor=u, first=d["first"], last=d["last"], reason=d["reason"]),
            help=_("Hearing time is not counted in the time limit (Art. 36)."),
        )
    )
    register_panel(
        Panel("supervision", "workflow/_supervision_panel.html", _supervision_panel, position="side", order=20)
    )
    register_panel(Panel("next_stage", "workflow/_next_stage_panel.html", _next_stage_panel, position="side", order=5))
    register_panel(Panel("pauses", "workflow/_pause_panel.html", _pause_panel, position="side", order=30))
