"""Who is told what: the reactions to case events and clock alerts.

Both run inside the transaction of the event or alert, so the outbox rows commit with it.
Texts are rendered in the site's language (the reader's session language is not known here).
Titles never carry the matter's content (they go out by e-mail); bodies are shown in the inbox
only. Every recipient must be able to see the case (`Case.objects.visible_to`), so a recused
person or someone outside the case's scope is never told about it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyin.cases.models import Case, CaseEvent, CaseExtension, CaseMember, EventKind
from huiyin.cases.selectors import reply_draft_pending
from huiyin.cases.states import CaseStage, CaseStatus, Compartment, reply_label, reply_noun
from huiyin.core.dates import date_text, datetime_text
from huiyin.notify.models import NotifyChannel, OutboxMessage
from huiyin.notify.services import case_visible_to, notify_petitioner, notify_staff
from huiyin.org.models import OrgUnit, User
from huiyin.org.tree import office_takes_up
from huiyin.people.models import UnsealStatus
from huiyin.workflow.alerts import Alert, AlertKind
from huiyin.workflow.review import request_body

OFFICE_ROLE = {Compartment.GENERAL: "office", Compartment.DISCIPLINE: "discipline"}


def _site_language() -> Any:
    return translation.override(settings.LANGUAGE_CODE)


def _provisional(flag: bool) -> str:
    return _(" (provisional: rests on a provisional holiday schedule)") if flag else ""


def office_users(case: Case) -> list[User]:
    """The petition office over the case: users of the office role (the discipline role for
    accusation reports) in a unit above or at the registering or the handling unit."""
    ids: set[int] = set()
    for unit in (case.unit, case.handling_unit):
        if unit is not None:
            ids.update(int(p) for p in unit.path.strip("/").split("/") if p)
    if not ids:
        return []
    role = OFFICE_ROLE.get(case.compartment, "office")
    return list(
        User.objects.filter(is_active=True, unit__in=OrgUnit.objects.filter(pk__in=ids), groups__name=role).distinct()
    )


def handling_users(case: Case) -> list[User]:
    """The responsible leader and the handling team."""
    users = [case.responsible_leader] if case.responsible_leader_id else []
    users += [m.user for m in CaseMember.objects.filter(case=case).select_related("user")]
    return users


def _visible(case: Case, users: list[Any], exclude: Any = None) -> list[User]:
    """Keep users who may see the case (never the recused, never outside scope), without `exclude`."""
    result, seen = [], set()
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == getattr(exclude, "pk", None)):
            continue
        seen.add(user.pk)
        if user.is_active and case_visible_to(user, case.pk):
            result.append(user)
    return result


def _deadline_of(case: Case, kind: str, stage: str) -> Any:
    from huiyin.workflow.models import Deadline

    return Deadline.objects.filter(case=case, kind=kind, stage=stage).first()


# Case events ------------------------------------------------------------------------------------


def notify_on_case_event(event: CaseEvent) -> None:
    with _site_language():
        _on_event(event)


def _on_event(event: CaseEvent) -> None:
    case = event.case
    key = f"event:{event.pk}"
    url = case.get_absolute_url()
    if event.kind in (EventKind.ASSIGNED, EventKind.REASSIGNED):
        from huiyin.workflow.services import DECIDE_KIND

        deadline = _deadline_of(case, DECIDE_KIND[event.stage], event.stage)
        due = (
            _("Reply due by {due}{provisional}.").format(
                due=date_text(deadline.due), provisional=_provisional(deadline.provisional)
            )
            if deadline
            else ""
        )
        unit = case.handling_unit.name if case.handling_unit_id else ""
        users = handling_users(case)
        if event.kind == EventKind.REASSIGNED and "added" in (event.data or {}):
            # A change of assignment tells only the people newly given the case, never the same ones again.
            added = set(event.data["added"])
            users = [u for u in users if u is not None and u.pk in added]
        notify_staff(
            users=_visible(case, users, exclude=event.actor),
            kind="case.assigned",
            key=key,
            title=_("Case {case_no} has been assigned to you").format(case_no=case.case_no),
            body=_("{subject}\nHandling unit: {unit}. {due}").format(subject=case.subject, unit=unit, due=due),
            case=case,
            url=url,
        )
        if event.kind == EventKind.REASSIGNED:
            _draft_awaiting_leader(case, actor=event.actor, url=url)
    elif event.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REJECTED):
        _on_extension(event, key=key, url=url)
    elif event.kind in (EventKind.DRAFT_SUBMITTED, EventKind.DRAFT_RETURNED) or (
        event.kind == EventKind.REPLIED and (event.data or {}).get("signed_off")
    ):
        _on_draft(event, key=key, url=url)
    elif event.kind in (EventKind.REVIEW_REQUESTED, EventKind.RECHECK_REQUESTED):
        _on_review_request(event, key=key, url=url)
    elif event.kind == EventKind.STATUS_CHANGED:
        _on_status(event, key=key)
    elif event.kind == EventKind.TO_DISCIPLINE:
        _on_to_discipline(event, key=key, url=url)


def _on_to_discipline(event: CaseEvent, *, key: str, url: str) -> None:
    """A general-lane case was transferred to discipline inspection: its office is told (no content in the
    title, as always), and the petitioner learns where the matter went (事事有回音)."""
    case = event.case
    notify_staff(
        users=_visible(case, office_users(case), exclude=event.actor),
        kind="case.to_discipline",
        key=key,
        title=_("Case {case_no} has been transferred to discipline inspection").format(case_no=case.case_no),
        body=_("{subject}\nTransferred by the petition office as an accusation report: {reason}").format(
            subject=case.subject, reason=event.text
        ),
        case=case,
        url=url,
    )
    notify_petitioner(
        case=case,
        kind="to_discipline.petitioner",
        key=key,
        title=_("Case {case_no} transferred").format(case_no=case.case_no),
        text=_(
            "Your petition {case_no} reports possible violations of discipline or law; it has been transferred "
            "to the discipline inspection body, which will handle it."
        ).format(case_no=case.case_no),
    )


def _on_review_request(event: CaseEvent, *, key: str, url: str) -> None:
    """A review (复查) or re-review (复核) was requested: the petition office of the unit decides who takes
    it up. The petitioner's reason is shown in the inbox only (the title goes out by e-mail)."""
    case = event.case
    if event.kind == EventKind.REVIEW_REQUESTED:
        title = _("Review requested for case {case_no}").format(case_no=case.case_no)
    else:
        title = _("Re-review requested for case {case_no}").format(case_no=case.case_no)
    # Only the offices of the body above the one that decided, and above it, take the request up (Arts. 35, 36).
    body = request_body(case, event.stage)
    offices = [
        user for user in office_users(case) if body is None or user.unit_id is None or office_takes_up(user.unit, body)
    ]
    notify_staff(
        users=_visible(case, offices, exclude=event.actor),
        kind="review.requested",
        key=key,
        title=title,
        body=_("{subject}\nReason given by the petitioner: {reason}").format(subject=case.subject, reason=event.text),
        case=case,
        url=url,
    )


# Portal messages --------------------------------------------------------------------------------


def notify_on_petitioner_message(message: Any) -> None:
    """The petitioner wrote on the portal: tell the handling team and the responsible leader, or the petition
    office while nobody is assigned. One notice per message (keyed by the message), never twice."""
    with _site_language():
        case = message.case
        users = _visible(case, handling_users(case)) or _visible(case, office_users(case))
        notify_staff(
            users=users,
            kind="message.petitioner",
            key=f"portal-message:{message.pk}",
            title=_("New message from the petitioner on case {case_no}").format(case_no=case.case_no),
            body=message.text,
            case=case,
            url=case.get_absolute_url(),
        )


def _on_extension(event: CaseEvent, *, key: str, url: str) -> None:
    case = event.case
    extension = CaseExtension.objects.filter(pk=event.data.get("extension")).select_related("requested_by").first()
    if extension is None:
        return
    approved = event.kind == EventKind.EXTENSION_APPROVED
    from huiyin.workflow.services import DECIDE_KIND

    deadline = _deadline_of(case, DECIDE_KIND[event.stage], event.stage)
    due = date_text(deadline.due) if deadline else ""
    provisional = _provisional(bool(deadline and deadline.provisional))
    if approved:
        title = _("Extension approved for case {case_no}").format(case_no=case.case_no)
        body = _("{days} more days; the reply is now due by {due}{provisional}.").format(
            days=extension.days, due=due, provisional=provisional
        )
    else:
        title = _("Extension rejected for case {case_no}").format(case_no=case.case_no)
        body = extension.decision_note
    notify_staff(
        users=_visible(case, [extension.requested_by], exclude=event.actor),
        kind="extension.decided",
        key=key,
        title=title,
        body=body,
        case=case,
        url=url,
    )
    if approved and deadline is not None:
        notify_petitioner(
            case=case,
            kind="extension.petitioner",
            key=key,
            title=title,
            text=_(
                "Your petition {case_no}: the handling period has been extended by {days} days, to {due}{provisional}. "
                "Reason: {reason}"
            ).format(
                case_no=case.case_no, days=extension.days, due=due, provisional=provisional, reason=extension.reason
            ),
        )


def _on_draft(event: CaseEvent, *, key: str, url: str) -> None:
    """The sign-off of the reply (领导审签): the leader is told a draft awaits them; the drafter is told
    it was returned (with what to revise) or signed off and issued."""
    case = event.case
    data = event.data or {}
    if event.kind == EventKind.DRAFT_SUBMITTED:
        _draft_awaiting_leader(case, actor=event.actor, url=url)
        return
    # The draft is decided: the notices that it awaits sign-off no longer ask anything of anyone. They stay in
    # the inbox, read, so a leader's unread count is what still waits for them.
    OutboxMessage.objects.filter(
        kind="draft.submitted", case=case, channel=NotifyChannel.INBOX, read_at__isnull=True
    ).update(read_at=event.at)
    drafter_user = User.objects.filter(pk=data.get("drafted_by_id")).first()
    leader = event.actor.display_name if event.actor else ""
    if event.kind == EventKind.DRAFT_RETURNED:
        title = _("Draft {answer} for case {case_no} returned for revision").format(
            answer=reply_noun(event.stage), case_no=case.case_no
        )
        body = _("{name} returned version {n}. What to revise: {note}").format(
            name=leader, n=data.get("version", ""), note=event.text
        )
        kind = "draft.returned"
    else:
        title = _("Your draft {answer} for case {case_no} was signed off and issued").format(
            answer=reply_noun(event.stage), case_no=case.case_no
        )
        body = _("Signed off by {name}.").format(name=leader)
        kind = "draft.issued"
    notify_staff(
        users=_visible(case, [drafter_user], exclude=event.actor),
        kind=kind,
        key=key,
        title=title,
        body=body,
        case=case,
        url=url,
    )


def _draft_awaiting_leader(case: Case, *, actor: Any, url: str) -> None:
    """Tell the case's responsible leader that a draft awaits their sign-off: when it is submitted, and
    again for a new leader when the case is reassigned while it waits. The key names the draft, so each
    leader is told once per draft, however often the case is reassigned or the team changed."""
    draft = reply_draft_pending(case=case)
    if draft is None or not case.responsible_leader_id:
        return
    notify_staff(
        users=_visible(case, [case.responsible_leader], exclude=actor),
        kind="draft.submitted",
        key=f"draft-awaiting:{draft.pk}",
        title=_("{answer} for case {case_no} awaiting your sign-off").format(
            answer=reply_label(draft.stage), case_no=case.case_no
        ),
        body=_("{subject}\nDrafted by {name} (version {n}).").format(
            subject=case.subject, name=draft.written_by.display_name, n=draft.version
        ),
        case=case,
        url=url,
    )


def _on_status(event: CaseEvent, *, key: str) -> None:
    case = event.case
    target = event.to_status
    if target in (CaseStatus.REPLIED, CaseStatus.FINAL):
        from huiyin.cases.services import next_request_period, next_right_text
        from huiyin.workflow.services import NEXT_REQUEST_KIND

        stage = event.stage
        right = ""
        if stage in NEXT_REQUEST_KIND:
            deadline = _deadline_of(case, NEXT_REQUEST_KIND[stage], stage)
            due = deadline.due if deadline else None
            period = next_request_period(case=case, stage=stage)
            right = next_right_text(stage=stage, due=due, period=period) + _provisional(
                bool(deadline and deadline.provisional)
            )
        elif stage == CaseStage.RECHECK:
            right = next_right_text(stage=stage, due=None)
        notify_petitioner(
            case=case,
            kind="reply.petitioner",
            key=key,
            title=_("Reply issued for case {case_no}").format(case_no=case.case_no),
            text=_(
                "Your petition {case_no} has been answered in writing; collect the reply or read it with your "
                "receipt code. {right}"
            ).format(case_no=case.case_no, right=right),
        )
    elif target in (CaseStatus.REDIRECTED, CaseStatus.FORWARDED, CaseStatus.NOT_ACCEPTED):
        notify_petitioner(
            case=case,
            kind="decision.petitioner",
            key=key,
            title=_("Decision on case {case_no}").format(case_no=case.case_no),
            text=_("Your petition {case_no}: {decision}. {reason}").format(
                case_no=case.case_no, decision=CaseStatus(target).label, reason=case.disposition_reason
            ),
        )


# Clock alerts -----------------------------------------------------------------------------------


def notify_on_alert(alert: Alert) -> None:
    with _site_language():
        _on_alert(alert)


def _on_alert(alert: Alert) -> None:
    case = alert.case
    url = case.get_absolute_url()
    deadline = alert.deadline
    supervision = alert.supervision
    if alert.kind in (AlertKind.DUE_SOON, AlertKind.OVERDUE) and deadline is not None:
        clock = deadline.get_kind_display()
        if alert.kind == AlertKind.DUE_SOON:
            from huiyin.clock import days_left

            left = days_left(due=deadline.due, today=timezone.localtime(alert.at).date())
            title = _("Case {case_no}: “{clock}” is due on {due} ({n} days left)").format(
                case_no=case.case_no, clock=clock, due=date_text(deadline.due), n=left
            )
        else:
            title = _("Case {case_no}: “{clock}” was due on {due} and is overdue").format(
                case_no=case.case_no, clock=clock, due=date_text(deadline.due)
            )
        notify_staff(
            users=_visible(case, [*handling_users(case), *office_users(case)]),
            kind=alert.kind,
            key=alert.key,
            title=title + _provisional(deadline.provisional),
            body=case.subject,
            case=case,
            url=url,
        )
    elif alert.kind == AlertKind.SUPERVISION_OPENED and supervision is not None:
        notify_staff(
            users=_visible(case, handling_users(case), exclude=alert.actor),
            kind=alert.kind,
            key=alert.key,
            title=_("Case {case_no} is under {level}: written feedback due by {due}").format(
                case_no=case.case_no, level=supervision.get_level_display(), due=date_text(supervision.feedback_due)
            ),
            body=supervision.instructions,
            case=case,
            url=url,
        )
    elif alert.kind == AlertKind.SUPERVISION_FEEDBACK and supervision is not None:
        notify_staff(
            users=_visible(case, [supervision.opened_by, *office_users(case)], exclude=alert.actor),
            kind=alert.kind,
            key=alert.key,
            title=_("Supervision feedback received for case {case_no}").format(case_no=case.case_no),
            body=supervision.feedback,
            case=case,
            url=url,
        )
    elif alert.kind == AlertKind.SUPERVISION_ESCALATED and supervision is not None:
        users = [case.responsible_leader] if case.responsible_leader_id else []
        notify_staff(
            users=_visible(case, [*users, *handling_users(case), supervision.opened_by, *office_users(case)]),
            kind=alert.kind,
            key=alert.key,
            title=_(
                "Supervision feedback on case {case_no} was due on {due} and is missing; escalated to {level}"
            ).format(
                case_no=case.case_no, due=date_text(supervision.feedback_due), level=supervision.get_level_display()
            ),
            body=supervision.instructions,
            case=case,
            url=url,
        )


# Identity unsealing ------------------------------------------------------------------------------


def notify_unseal_requested(request: Any) -> None:
    """Tell the identity custodians that a request waits for them. The item names the case number and the
    requester only, and is not filed under the case: a custodian decides without seeing the report."""
    with _site_language():
        custodians = User.objects.with_perm("people.approve_unseal", include_superusers=False).filter(is_active=True)
        notify_staff(
            users=[u for u in custodians if u.pk != request.requested_by_id],
            kind="identity.unseal_requested",
            key=f"unseal:{request.pk}:requested",
            title=_("Identity unseal request for case {case_no} awaits your decision").format(
                case_no=request.case.case_no
            ),
            body=_("Requested by {name}.").format(name=request.requested_by.display_name),
            url=reverse("portal:unseal_requests"),
        )


def notify_audit_chain_broken(result: Any) -> None:
    """Tell the auditors that the scheduled check found the audit chain broken, and where (once per broken record)."""
    from huiyin.audit.presentation import CODE_LABELS

    with _site_language():
        auditors = User.objects.with_perm("audit.view_auditrecord", include_superusers=False).filter(is_active=True)
        notify_staff(
            users=list(auditors),
            kind="audit.chain_broken",
            key=f"audit-chain:{result.first_broken_seq}:broken",
            title=_("The audit chain is broken at record #{seq}").format(seq=result.first_broken_seq),
            body=_("{fault}. Found by the daily check; tell the system administrator.").format(
                fault=CODE_LABELS["reason"][result.code]
            ),
            url=reverse("audit:list"),
        )


def notify_unseal_decided(request: Any) -> None:
    """Tell the requester the custodian's decision (and, on an approval, until when it holds), or that an approval
    was revoked before it expired."""
    with _site_language():
        case = request.case
        event = "decided"
        if request.status == UnsealStatus.WITHDRAWN:
            event = "revoked"
            title = _("Your approval to view identities on case {case_no} was revoked").format(case_no=case.case_no)
            body = _("Reason: {note}").format(note=request.revoke_note)
        elif request.status == UnsealStatus.APPROVED:
            title = _("Your identity unseal request for case {case_no} was approved").format(case_no=case.case_no)
            body = _("You may view the identities until {time}.").format(time=datetime_text(request.expires_at))
        else:
            title = _("Your identity unseal request for case {case_no} was refused").format(case_no=case.case_no)
            body = _("Reason: {note}").format(note=request.decision_note)
        notify_staff(
            users=_visible(case, [request.requested_by]),
            kind="identity.unseal_decided",
            key=f"unseal:{request.pk}:{event}",
            title=title,
            body=body,
            case=case,
            url=case.get_absolute_url(),
        )
