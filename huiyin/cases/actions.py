"""The commands staff can run on a case, as data: which state, which permission, which form, which service.

The case page shows exactly the actions whose `available` predicate holds for this case and whose
permission this user has; the command view runs the same checks again on POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huiyin.cases import forms as f
from huiyin.cases import services as s
from huiyin.cases.hooks import form_initial
from huiyin.cases.models import Case, CaseExtension, CaseRating, ExtensionStatus, ReplyDraft
from huiyin.cases.selectors import reply_draft_pending, takes_up
from huiyin.cases.states import OPEN, TERMINAL, CaseStage, CaseStatus, Compartment, reply_noun


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    perm: str
    form_class: type[forms.Form]
    available: Callable[[Case, Any], bool]
    perform: Callable[[Case, Any, dict], Any]
    style: str = "secondary"
    form_takes_context: bool = False
    help: Promise | str = ""

    def make_form(self, case: Case, user: Any, data: Any = None) -> forms.Form:
        # An unbound form starts at what other apps propose (`cases.hooks.form_initial_providers`).
        kwargs: dict[str, Any] = {} if data is not None else {"initial": form_initial(self.name, case, user)}
        if self.form_takes_context:
            return self.form_class(data, case=case, user=user, **kwargs)
        return self.form_class(data, **kwargs)


def _pending_extension(case: Case) -> CaseExtension | None:
    return case.extensions.filter(status=ExtensionStatus.REQUESTED, stage=case.stage).first()


def _can_decide_extension(case: Case, user: Any) -> bool:
    pending = _pending_extension(case) if case.status == CaseStatus.IN_HANDLING else None
    return pending is not None and pending.requested_by_id != user.pk


def _decide_extension(case: Case, actor: Any, data: dict) -> Any:
    ext = _pending_extension(case)
    if ext is None:
        from huiyin.core.errors import DomainError

        raise DomainError(_("There is no extension request to decide."))
    return s.case_extension_decide(extension=ext, actor=actor, approve=data["decision"] == "approve", note=data["note"])


def _assign(case: Case, actor: Any, data: dict) -> Any:
    return s.case_assign(
        case=case,
        actor=actor,
        handling_unit=data["handling_unit"],
        leader=data["leader"],
        team=list(data["team"]),
        plan=data["plan"],
    )


def _pending_draft(case: Case) -> ReplyDraft | None:
    return reply_draft_pending(case=case)


def _can_draft(case: Case, user: Any) -> bool:
    """The handling unit drafts while no draft awaits sign-off; the responsible leader issues instead."""
    return case.status == CaseStatus.IN_HANDLING and user.pk != case.responsible_leader_id and not _pending_draft(case)


def _can_sign_off(case: Case, user: Any) -> bool:
    """Only the case's own responsible leader decides on a submitted draft."""
    return (
        case.status == CaseStatus.IN_HANDLING
        and user.pk == case.responsible_leader_id
        and _pending_draft(case) is not None
    )


def _can_reply_directly(case: Case, user: Any) -> bool:
    """Issue an answer written on the spot. Not offered to the leader while a draft awaits their sign-off:
    issuing would sign that draft off (`case_reply`), which the sign-off form does with the text to edit,
    and two "issue" buttons side by side read as the same thing (found in a walk-through)."""
    if not (case.can_transition_to(CaseStatus.REPLIED) or case.can_transition_to(CaseStatus.FINAL)):
        return False
    return not _can_sign_off(case, user)


def _draft_or_refuse(case: Case) -> ReplyDraft:
    draft = _pending_draft(case)
    if draft is None:
        from huiyin.core.errors import DomainError

        raise DomainError(_("No draft is awaiting sign-off."))
    return draft


def _can_request_next_stage(case: Case, user: Any) -> bool:
    """Offered only within the request period (the service refuses a late request as well)."""
    due = s.next_stage_request_window(case=case)
    return due is not None and timezone.localdate() <= due


def _next_stage_label(case: Case) -> Promise:
    return _("Register re-review request") if case.stage == CaseStage.REVIEW else _("Register review request")


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "accept",
            _("Accept"),
            "cases.screen_case",
            f.AcceptForm,
            lambda c, u: c.can_transition_to(CaseStatus.ACCEPTED) and c.status == CaseStatus.REGISTERED,
            lambda c, u, d: s.case_accept(
                case=c, actor=u, category=d["category"], note=d["note"], require_category=True
            ),
            style="primary",
            form_takes_context=True,
        ),
        Action(
            "redirect",
            _("Redirect to a lawful channel"),
            "cases.screen_case",
            f.RedirectForm,
            lambda c, u: c.can_transition_to(CaseStatus.REDIRECTED),
            lambda c, u, d: s.case_redirect(case=c, actor=u, channel=d["channel"], reason=d["reason"]),
        ),
        Action(
            "forward",
            _("Forward"),
            "cases.screen_case",
            f.ForwardForm,
            lambda c, u: c.can_transition_to(CaseStatus.FORWARDED),
            lambda c, u, d: s.case_forward(case=c, actor=u, to_whom=d["to_whom"], reason=d["reason"]),
        ),
        Action(
            "not_accept",
            _("Do not accept"),
            "cases.screen_case",
            f.NotAcceptForm,
            lambda c, u: c.can_transition_to(CaseStatus.NOT_ACCEPTED),
            lambda c, u, d: s.case_not_accept(case=c, actor=u, reason=d["reason"]),
            style="danger",
        ),
        Action(
            "to_discipline",
            _("Transfer to discipline inspection"),
            "cases.screen_case",
            f.ReasonForm,
            lambda c, u: c.compartment == Compartment.GENERAL and c.status in OPEN and c.stage == CaseStage.FIRST,
            lambda c, u, d: s.case_to_discipline(case=c, actor=u, reason=d["reason"]),
            help=_(
                "For a matter that accuses someone of violating discipline or law (Art. 30): it becomes an "
                "accusation report of discipline inspection. The handling unit, leader and team are removed, and "
                "neither you nor they can open the case afterwards."
            ),
        ),
        Action(
            # Classifying is the petition office's work (ARCHITECTURE §2), the same right as screening:
            # the category feeds routing, statistics and unit assessment, so the handling unit does not
            # reclassify its own cases; it records its view on the suggestion and asks the office.
            "categorise",
            _("Change category"),
            "cases.screen_case",
            f.CategoriseForm,
            lambda c, u: c.status in OPEN,
            lambda c, u, d: s.case_categorise(case=c, actor=u, category=d["category"], reason=d["reason"]),
            form_takes_context=True,
        ),
        Action(
            "assign",
            _("Assign"),
            "cases.assign_case",
            f.AssignForm,
            lambda c, u: c.status == CaseStatus.ACCEPTED and takes_up(user=u, case=c),
            _assign,
            style="primary",
            form_takes_context=True,
        ),
        Action(
            "reassign",
            _("Change assignment"),
            "cases.assign_case",
            f.AssignForm,
            lambda c, u: c.status == CaseStatus.IN_HANDLING and takes_up(user=u, case=c),
            _assign,
            form_takes_context=True,
        ),
        Action(
            "draft_reply",
            _("Draft the reply"),
            "cases.draft_reply",
            f.DraftReplyForm,
            _can_draft,
            lambda c, u, d: s.reply_draft_save(case=c, actor=u, text=d["text"], submit=d["submit"]),
            style="primary",
            form_takes_context=True,
        ),
        Action(
            "sign_off",
            _("Sign off and issue"),
            "cases.reply_case",
            f.SignOffForm,
            _can_sign_off,
            lambda c, u, d: s.reply_draft_sign_off(draft=_draft_or_refuse(c), actor=u, text=d["text"], note=d["note"]),
            style="primary",
            form_takes_context=True,
        ),
        Action(
            "return_draft",
            _("Return the draft"),
            "cases.reply_case",
            f.ReturnDraftForm,
            _can_sign_off,
            lambda c, u, d: s.reply_draft_return(draft=_draft_or_refuse(c), actor=u, note=d["note"]),
            style="danger",
            form_takes_context=True,
        ),
        Action(
            "reply",
            _("Issue the reply"),
            "cases.reply_case",
            f.ReplyForm,
            _can_reply_directly,
            lambda c, u, d: s.case_reply(case=c, actor=u, text=d["text"]),
            style="primary",
            form_takes_context=True,  # the reply checks of `cases.hooks` need the case
        ),
        Action(
            "note",
            _("Record progress"),
            "cases.handle_case",
            f.NoteForm,
            lambda c, u: c.status in (CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING),
            lambda c, u, d: s.case_note_add(case=c, actor=u, text=d["text"]),
        ),
        Action(
            "extend",
            _("Request an extension"),
            "cases.handle_case",
            f.ExtensionRequestForm,
            lambda c, u: c.status == CaseStatus.IN_HANDLING and _pending_extension(c) is None,
            lambda c, u, d: s.case_extension_request(case=c, actor=u, days=d["days"], reason=d["reason"]),
        ),
        Action(
            "decide_extension",
            _("Decide the extension"),
            "cases.approve_extension",
            f.ExtensionDecideForm,
            _can_decide_extension,
            _decide_extension,
            style="primary",
            form_takes_context=True,  # the form shows the request being decided
        ),
        Action(
            "rate",
            _("Record the rating"),
            "cases.rate_case",
            f.RateForm,
            lambda c, u: (
                c.status in (CaseStatus.REPLIED, CaseStatus.FINAL)
                and not CaseRating.objects.filter(case=c, stage=c.stage).exists()
            ),
            lambda c, u, d: s.case_rate(case=c, actor=u, rating=d["rating"], comment=d["comment"]),
            style="primary",
        ),
        Action(
            "close",
            _("Close without rating"),
            "cases.close_case",
            f.CloseForm,
            lambda c, u: c.can_transition_to(CaseStatus.CLOSED),
            lambda c, u, d: s.case_close(case=c, actor=u, note=d["note"]),
        ),
        Action(
            "next_stage",
            _("Register review request"),
            "cases.request_review",
            f.ReasonForm,
            _can_request_next_stage,
            lambda c, u, d: s.case_next_stage_request(case=c, actor=u, reason=d["reason"]),
        ),
        Action(
            "link",
            _("Link a related case"),
            "cases.link_case",
            f.LinkForm,
            lambda c, u: True,
            lambda c, u, d: s.case_link_add(case=c, other=d["case_no"], kind=d["kind"], actor=u, note=d["note"]),
            form_takes_context=True,
        ),
        Action(
            "recuse",
            _("Recuse a staff member"),
            "cases.assign_case",
            f.RecuseForm,
            lambda c, u: c.status not in TERMINAL,
            lambda c, u, d: s.case_recuse(case=c, user=d["user"], reason=d["reason"], actor=u),
            style="danger",
            form_takes_context=True,
        ),
    ]
}


def register_action(action: Action) -> None:
    """Let another app add a command to the case page (e.g. supervision, messages to the petitioner)."""
    ACTIONS[action.name] = action


STAGE_ANSWER_LABELS: dict[str, Promise] = {
    "draft_reply": _("Draft the {answer}"),
    "sign_off": _("Sign off and issue the {answer}"),
    "reply": _("Issue the {answer}"),
}


def action_label(action: Action, case: Case) -> Promise | str:
    if action.name == "next_stage":
        return _next_stage_label(case)
    if action.name == "categorise" and case.category_id is None:
        return _("Set category")
    # The reply and its drafts are named after the stage's answer: 答复, 复查意见, 复核意见.
    if action.name in STAGE_ANSWER_LABELS:
        return STAGE_ANSWER_LABELS[action.name].format(answer=reply_noun(case.stage))
    return action.label


def actions_for(*, case: Case, user: Any) -> list[tuple[Action, Promise | str]]:
    """The actions legal in this state for this user, with their labels."""
    return [(a, action_label(a, case)) for a in ACTIONS.values() if user.has_perm(a.perm) and a.available(case, user)]
