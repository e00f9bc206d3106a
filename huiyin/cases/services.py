"""Every write that matters on a case. `case_transition` is the only writer of `status` and `stage`.

Services take keyword-only arguments and an `actor`; they check the domain rules (not the
caller's permission, which the view or API checks at the boundary) and raise `DomainError`
with a translated message when a rule forbids the change, leaving nothing half-written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.attachments import AttachmentError, UploadInfo, inspect_upload
from huiyin.cases.events import case_event_record
from huiyin.cases.hooks import assignment_refused, reply_missing
from huiyin.cases.models import (
    MAX_REPRESENTATIVES,
    OPEN_DRAFT_STATUSES,
    Attachment,
    AttachmentSanitiser,
    Case,
    CaseEvent,
    CaseExtension,
    CaseLink,
    CaseMember,
    CaseRating,
    CaseRecusal,
    CaseReply,
    CaseRepresentative,
    CaseSequence,
    Category,
    DraftStatus,
    EventKind,
    ExtensionStatus,
    ReplyDraft,
)
from huiyin.cases.sanitise import SanitisedCopy, sanitise_upload
from huiyin.cases.selectors import earlier_stage_people
from huiyin.cases.states import (
    NEXT_STAGE,
    OPEN,
    CaseStage,
    CaseStatus,
    CaseType,
    Compartment,
    Source,
    stage_after,
)
from huiyin.core.dates import date_text
from huiyin.core.errors import DomainError
from huiyin.core.validators import NO_WORDS_MESSAGE, has_words
from huiyin.org.models import OrgUnit, User
from huiyin.people.models import Petitioner
from huiyin.people.services import (
    MIN_REASON_LENGTH,
    approval_missing_message,
    case_needs_custodian,
    petitioner_create,
    unseal_approval_live,
)

MAX_EXTENSION_DAYS = 30
NEXT_REQUEST_KIND = {CaseStage.FIRST: "review_request", CaseStage.REVIEW: "recheck_request"}
REQUEST_WINDOW_DAYS = 30


@dataclass(frozen=True)
class PetitionerData:
    name: str = ""
    id_number: str = ""
    employee_no: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class RepresentativeData:
    name: str
    phone: str = ""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("{label} is required.").format(label=label), fields={field: [_("This field is required.")]})
    return value


def _worded(value: str, field: str, label: str) -> str:
    """`_required`, and holding a letter, digit or CJK character: punctuation alone says nothing (`has_words`)."""
    value = _required(value, field, label)
    if not has_words(value):
        problem = str(NO_WORDS_MESSAGE)
        raise DomainError(_("{label}: {error}").format(label=label, error=problem), fields={field: [problem]})
    return value


def case_number_next(*, year: int) -> str:
    """Take the next readable case number of `year` (e.g. 2026-000123). Call inside a transaction."""
    CaseSequence.objects.get_or_create(year=year)
    seq = CaseSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{year}-{seq.last:06d}"


@transaction.atomic
def case_register(
    *,
    actor: Any,
    unit: OrgUnit,
    channel: str,
    type: str,  # noqa: A002 - the domain's word
    subject: str,
    content: str,
    received_at: datetime | None = None,
    category: Category | None = None,
    target_unit: OrgUnit | None = None,
    anonymous: bool = False,
    petitioner: PetitionerData | Petitioner | None = None,
    collective: bool = False,
    headcount: int = 1,
    representatives: Sequence[RepresentativeData] = (),
    source: str = Source.OWN,
    forwarded_authority: str = "",
    forwarded_ref: str = "",
    forwarded_deadline: date | None = None,
    uploads: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Case:
    """Register a matter from any channel: the case, its petitioner, files and first event commit together."""
    now = _now(now)
    received_at = received_at or now
    subject = _worded(subject, "subject", _("Subject"))
    content = _worded(content, "content", _("Content"))
    register_dates_check(received_at=received_at, now=now, source=source, forwarded_deadline=forwarded_deadline)
    if type not in CaseType.values:
        raise DomainError(_("Unknown case type."), fields={"type": [_("Choose a valid type.")]})
    if collective:
        if headcount < 2:
            raise DomainError(
                _("A collective case involves at least two people."), fields={"headcount": [_("At least 2.")]}
            )
        if len(representatives) > MAX_REPRESENTATIVES:
            raise DomainError(
                _("A collective case has at most {n} representatives.").format(n=MAX_REPRESENTATIVES),
                fields={"representatives": [_("At most {n}.").format(n=MAX_REPRESENTATIVES)]},
            )
    elif representatives:
        raise DomainError(_("Only a collective case has representatives."), fields={"representatives": [_("Remove.")]})
    if source == Source.FORWARDED:
        forwarded_authority = _required(forwarded_authority, "forwarded_authority", _("Forwarding authority"))
    else:
        forwarded_authority, forwarded_ref, forwarded_deadline = "", "", None
    if len(uploads) > settings.HUIYIN_ATTACHMENT_MAX_COUNT:
        raise DomainError(
            _("At most {n} attachments.").format(n=settings.HUIYIN_ATTACHMENT_MAX_COUNT),
            fields={"attachments": [_("Too many files.")]},
        )
    # Every file is checked and its metadata-free copy made before anything is written: a refused file
    # (wrong type, zip or decompression bomb, XML entities) leaves no case behind.
    inspected = [(upload, *_attachment_prepare(upload, field="attachments")) for upload in uploads]

    person = None
    if not anonymous and petitioner is not None:
        if isinstance(petitioner, Petitioner):
            person = petitioner
        elif any(vars(petitioner).values()):
            person = petitioner_create(**vars(petitioner))
    case = Case.objects.create(
        case_no=case_number_next(year=timezone.localtime(received_at).year),
        channel=channel,
        source=source,
        forwarded_authority=forwarded_authority.strip(),
        forwarded_ref=forwarded_ref.strip(),
        forwarded_deadline=forwarded_deadline,
        received_at=received_at,
        type=type,
        compartment=Compartment.DISCIPLINE if type == CaseType.ACCUSATION else Compartment.GENERAL,
        category=category,
        subject=subject,
        content=content,
        unit=unit,
        target_unit=target_unit,
        anonymous=anonymous,
        petitioner=person,
        collective=collective,
        headcount=headcount if collective else max(1, headcount),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for rep in representatives:
        CaseRepresentative.objects.create(
            case=case, name=_required(rep.name, "representatives", _("Name")), phone=rep.phone
        )
    case_event_record(case=case, kind=EventKind.REGISTERED, actor=actor, to_status=CaseStatus.REGISTERED, at=now)
    for upload, info, clean in inspected:
        _attachment_store(case=case, upload=upload, info=info, clean=clean, actor=actor, at=now)
    return case


def register_dates_check(
    *, received_at: datetime, now: datetime, source: str = Source.OWN, forwarded_deadline: date | None = None
) -> None:
    """The dates of a registration that are impossible on any channel: a time received in the future (a few
    minutes' clock difference allowed), a forwarding authority's deadline before the day received."""
    if received_at > now + timedelta(minutes=5):
        raise DomainError(
            _("The time received cannot be in the future."), fields={"received_at": [_("In the future.")]}
        )
    received_on = timezone.localtime(received_at).date()
    if source == Source.FORWARDED and forwarded_deadline is not None and forwarded_deadline < received_on:
        raise DomainError(
            _("The forwarding authority's deadline cannot be before the day the matter was received."),
            fields={"forwarded_deadline": [_("Before the day received.")]},
        )


@transaction.atomic
def case_transition(
    *, case: Case, to: str, actor: Any, note: str = "", data: dict | None = None, now: datetime | None = None
) -> Case:
    """Move `case` to `to`: lock, recheck the table, save, record the event and the audit entry."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.ensure_can_transition_to(to)
    old_status, old_stage = locked.status, locked.stage
    locked.stage = stage_after(status=old_status, stage=old_stage, target=to)
    locked.status = to
    fields = ["status", "stage", "updated_at"]
    if to in (
        CaseStatus.CLOSED,
        CaseStatus.FINAL,
        CaseStatus.REDIRECTED,
        CaseStatus.FORWARDED,
        CaseStatus.NOT_ACCEPTED,
    ):
        locked.closed_at = _now(now)
        fields.append("closed_at")
    elif to == CaseStatus.ACCEPTED:
        locked.closed_at = None
        fields.append("closed_at")
    locked.save(update_fields=fields)
    case_event_record(
        case=locked,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=old_status,
        to_status=to,
        text=note,
        data={**(data or {}), "from_stage": old_stage},
        at=_now(now),
    )
    audit_record(
        actor=actor,
        action=AuditAction.STATE_CHANGE,
        obj=locked,
        detail={"case_no": locked.case_no, "from": old_status, "to": to, "stage": locked.stage},
    )
    _refresh(case, locked)
    return locked


def _refresh(target: Case, source: Case) -> None:
    for field in ("status", "stage", "closed_at", "handling_unit_id", "responsible_leader_id", "plan", "category_id"):
        setattr(target, field, getattr(source, field))


# Screening -------------------------------------------------------------------------------------


@transaction.atomic
def case_accept(
    *,
    case: Case,
    actor: Any,
    category: Category | None = None,
    note: str = "",
    now: datetime | None = None,
    require_category: bool = False,
) -> Case:
    """Accept the matter for handling (受理).

    With `require_category` (the staff command) a case without a category is accepted only with
    one: the category feeds routing, statistics and unit assessment.
    """
    if require_category and category is None and case.category_id is None:
        raise DomainError(_("Choose a category."), fields={"category": [_("This field is required.")]})
    if category is not None and category.pk != case.category_id:
        Case.objects.filter(pk=case.pk).update(category=category)
        case.category = category
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=actor, note=note, now=now)


@transaction.atomic
def case_redirect(*, case: Case, actor: Any, channel: str, reason: str, now: datetime | None = None) -> Case:
    """Tell the petitioner to use another lawful procedure (litigation, arbitration …) and why."""
    reason = _required(reason, "reason", _("Reason"))
    _required(channel, "channel", _("Lawful channel"))
    Case.objects.filter(pk=case.pk).update(redirect_channel=channel, disposition_reason=reason)
    return case_transition(
        case=case, to=CaseStatus.REDIRECTED, actor=actor, note=reason, data={"channel": channel}, now=now
    )


@transaction.atomic
def case_forward(*, case: Case, actor: Any, to_whom: str, reason: str, now: datetime | None = None) -> Case:
    """Forward the matter to the body that has jurisdiction."""
    to_whom = _required(to_whom, "to_whom", _("Recipient"))
    reason = _required(reason, "reason", _("Reason"))
    Case.objects.filter(pk=case.pk).update(forwarded_to=to_whom, disposition_reason=reason)
    return case_transition(case=case, to=CaseStatus.FORWARDED, actor=actor, note=reason, data={"to": to_whom}, now=now)


@transaction.atomic
def case_not_accept(*, case: Case, actor: Any, reason: str, now: datetime | None = None) -> Case:
    """Decline to accept, stating the reason (e.g. the same facts after a re-review)."""
    reason = _required(reason, "reason", _("Reason"))
    Case.objects.filter(pk=case.pk).update(disposition_reason=reason)
    return case_transition(case=case, to=CaseStatus.NOT_ACCEPTED, actor=actor, note=reason, now=now)


# The category of accusation reports (the default list's 违纪违法检举). A general-lane case under it may be one
# registered under the wrong type, to transfer (`case_to_discipline`); it may also be an appeal against a
# disciplinary sanction or a suggestion on integrity, which the general lane handles: so it is not refused there.
ACCUSATION_CATEGORY = "discipline"


@transaction.atomic
def case_to_discipline(*, case: Case, actor: Any, reason: str, now: datetime | None = None) -> Case:
    """Move a matter registered in the general lane to discipline inspection, as an accusation report.

    For a letter that turns out to accuse someone (检举控告): registered as a claim or a suggestion, it would
    be read and handled by the petition office and a unit that may be the accused's own. The case becomes an
    accusation in the discipline compartment and starts there afresh as registered: the handling unit,
    the responsible leader and the team are removed (so none of them keeps access), a draft being written
    is returned, and the general lane's clocks are cancelled (`workflow`: discipline's own clock starts on
    the day it receives the matter). The timeline keeps what was done before; only discipline inspection
    can read it from now on. Possible while the first handling is open; a review or re-review stays where
    the first answer was given.
    """
    reason = _required(reason, "reason", _("Reason"))
    at = _now(now)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.compartment != Compartment.GENERAL:
        raise DomainError(_("The case is already with discipline inspection."))
    if locked.status not in OPEN or locked.stage != CaseStage.FIRST:
        raise DomainError(
            _("Only a case in its first handling, not yet answered, can be transferred to discipline inspection.")
        )
    before = {
        "from_status": locked.status,
        "from_type": locked.type,
        "handling_unit": locked.handling_unit.name if locked.handling_unit_id else "",
        "leader": locked.responsible_leader_id,
        "team": sorted(CaseMember.objects.filter(case=locked).values_list("user_id", flat=True)),
    }
    ReplyDraft.objects.filter(case=locked, status__in=OPEN_DRAFT_STATUSES).update(
        status=DraftStatus.RETURNED,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=at,
        note=_("Transferred to discipline inspection."),
        updated_at=at,
    )
    CaseMember.objects.filter(case=locked).delete()
    old_status = locked.status
    locked.type = CaseType.ACCUSATION
    locked.compartment = Compartment.DISCIPLINE
    locked.status = CaseStatus.REGISTERED
    locked.handling_unit = None
    locked.responsible_leader = None
    locked.plan = ""
    locked.closed_at = None
    locked.save(
        update_fields=[
            "type",
            "compartment",
            "status",
            "handling_unit",
            "responsible_leader",
            "plan",
            "closed_at",
            "updated_at",
        ]
    )
    case_event_record(
        case=locked,
        kind=EventKind.TO_DISCIPLINE,
        actor=actor,
        from_status=old_status,
        to_status=CaseStatus.REGISTERED,
        text=reason,
        data=before,
        at=at,
    )
    audit_record(
        actor=actor,
        action=AuditAction.STATE_CHANGE,
        obj=locked,
        detail={"case_no": locked.case_no, "from": old_status, "to": CaseStatus.REGISTERED, "lane": "discipline"},
    )
    case.type, case.compartment = locked.type, locked.compartment
    _refresh(case, locked)
    return locked


# Classification --------------------------------------------------------------------------------


def _category_data(category: Category | None) -> dict | None:
    # A snapshot: the timeline keeps the name the category had when the step was taken.
    if category is None:
        return None
    return {"id": category.pk, "code": category.code, "name": category.name_zh}


@transaction.atomic
def case_categorise(
    *, case: Case, actor: Any, category: Category | None, reason: str = "", now: datetime | None = None
) -> Case:
    """Set or change the category of an open case (分类), recording the old and the new on the timeline.

    A category is set at registration or acceptance; this is the step for a case whose category
    turns out wrong later (during screening or handling). Changing a category already set needs a
    reason, which is recorded on the timeline. Status and stage are not touched.
    """
    if category is None:
        raise DomainError(_("Choose a category."), fields={"category": [_("This field is required.")]})
    reason = (reason or "").strip()
    locked = Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case.pk)
    if locked.status not in OPEN:
        raise DomainError(
            _("The category of a case in state “{status}” can no longer be changed.").format(
                status=CaseStatus(locked.status).label
            )
        )
    # Read the flag afresh: the category may have been retired since the form was shown.
    if not Category.objects.filter(pk=category.pk, active=True).exists():
        raise DomainError(
            _("The category “{category}” is no longer in use: choose an active category.").format(category=category),
            fields={"category": [_("Choose an active category.")]},
        )
    if locked.category_id == category.pk:
        raise DomainError(
            _("The case already has the category “{category}”.").format(category=category),
            fields={"category": [_("Choose a different category.")]},
        )
    if locked.category_id is not None and not reason:
        # Changing a category someone set is recorded with why (setting the first one needs none).
        raise DomainError(
            _("Give the reason for changing the category."), fields={"reason": [_("This field is required.")]}
        )
    old = locked.category
    locked.category = category
    locked.save(update_fields=["category", "updated_at"])
    data = {"from": _category_data(old), "to": _category_data(category)}
    case_event_record(case=locked, kind=EventKind.CATEGORY_CHANGED, actor=actor, text=reason, data=data, at=_now(now))
    audit_record(
        actor=actor,
        action=AuditAction.CATEGORY_CHANGE,
        obj=locked,
        detail={
            "case_no": locked.case_no,
            "from": old.code if old is not None else "",
            "to": category.code,
        },
    )
    _refresh(case, locked)
    case.category = category
    return locked


# Assignment and handling -----------------------------------------------------------------------


def _earlier_people_refuse(*, case: Case, leader: User, team: Sequence[User]) -> None:
    """Refuse, in a review (复查) or re-review (复核), a leader or team member who took part in an earlier stage.

    A review is made by the body above the one that decided (Arts. 35, 36 of the Regulations): whoever led
    or handled an earlier stage, drafted or decided on its reply or issued it would review their own decision.
    """
    if case.stage == CaseStage.FIRST:
        return
    earlier = earlier_stage_people(case=case)
    person = next((p for p in [leader, *team] if p.pk in earlier), None)
    if person is None:
        return
    if case.stage == CaseStage.REVIEW:
        message = _(
            "{name} took part in an earlier stage of this case and cannot take part in its review: a review is "
            "made by people who did not make the decision under review (Art. 35 of the Regulations). Choose "
            "someone else."
        )
    else:
        message = _(
            "{name} took part in an earlier stage of this case and cannot take part in its re-review: a re-review "
            "is made by people who did not make the decisions under review (Art. 36 of the Regulations). Choose "
            "someone else."
        )
    message = message.format(name=person.display_name)
    raise DomainError(message, fields={"leader" if person == leader else "team": [message]})


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Any,
    handling_unit: OrgUnit,
    leader: User,
    team: Sequence[User],
    plan: str,
    now: datetime | None = None,
) -> Case:
    """One matter, one leader, one team, one plan: assign and, from `accepted`, start handling."""
    plan = _required(plan, "plan", _("Handling plan"))
    if handling_unit is None:
        raise DomainError(_("Choose the handling unit."), fields={"handling_unit": [_("This field is required.")]})
    if leader is None:
        raise DomainError(_("Choose the responsible leader."), fields={"leader": [_("This field is required.")]})
    recused = set(CaseRecusal.objects.filter(case=case).values_list("user_id", flat=True))
    blocked = [u for u in [leader, *team] if u.pk in recused]
    if blocked:
        raise DomainError(
            _("{name} is recused from this case.").format(name=blocked[0].display_name),
            fields={"leader" if blocked[0] == leader else "team": [_("Recused.")]},
        )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING):
        raise DomainError(_("Only an accepted case or one in handling can be assigned."))
    refused = assignment_refused(locked, handling_unit)
    if refused:
        raise DomainError(refused, fields={"handling_unit": [refused]})
    _earlier_people_refuse(case=locked, leader=leader, team=team)
    first = locked.status == CaseStatus.ACCEPTED
    before_team = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    after_team = {m.pk for m in team}
    before_people = before_team | ({locked.responsible_leader_id} if locked.responsible_leader_id else set())
    if not first and (locked.handling_unit_id, locked.responsible_leader_id, before_team, locked.plan) == (
        handling_unit.pk,
        leader.pk,
        after_team,
        plan,
    ):
        # A change of assignment that changes nothing would only tell the same people again.
        raise DomainError(
            _("The case is already assigned to this unit, leader and team: nothing would change."),
            fields={"leader": [_("Already assigned to this person.")]},
        )
    Case.objects.filter(pk=case.pk).update(handling_unit=handling_unit, responsible_leader=leader, plan=plan)
    CaseMember.objects.filter(case=case).exclude(user__in=list(team)).delete()
    for member in team:
        CaseMember.objects.get_or_create(case=case, user=member)
    # Everyone given the case must be able to open it: not a person it concerns or their reporting line
    # (the scope's exclusions), not recused, holding the permission. Raising rolls the assignment back.
    for person in [leader, *team]:
        if not Case.objects.visible_to(person).filter(pk=case.pk).exists():
            raise DomainError(
                _("{name} cannot be given this case: they are kept off it or may not open cases.").format(
                    name=person.display_name
                ),
                fields={"leader" if person == leader else "team": [_("Cannot be given this case.")]},
            )
    data = {
        "unit": handling_unit.name,
        "leader": leader.display_name,
        "team": [m.display_name for m in team],
        # Ids as well as names: a later stage must know exactly which unit and people handled this one.
        "unit_id": handling_unit.pk,
        "leader_id": leader.pk,
        "team_ids": sorted(after_team),
        # Who is newly given the case: only they are told (a change of plan alone tells nobody again).
        "added": sorted(({leader.pk} | after_team) - before_people),
    }
    case.handling_unit, case.responsible_leader, case.plan = handling_unit, leader, plan
    if first:
        case_transition(case=case, to=CaseStatus.IN_HANDLING, actor=actor, data=data, now=now)
        case_event_record(case=case, kind=EventKind.ASSIGNED, actor=actor, text=plan, data=data, at=_now(now))
    else:
        case_event_record(case=case, kind=EventKind.REASSIGNED, actor=actor, text=plan, data=data, at=_now(now))
    return case


@transaction.atomic
def case_note_add(*, case: Case, actor: Any, text: str, now: datetime | None = None) -> CaseEvent:
    """Record progress or measures taken."""
    text = _required(text, "text", _("Note"))
    return case_event_record(case=case, kind=EventKind.NOTE, actor=actor, text=text, at=_now(now))


@transaction.atomic
def case_extension_request(
    *, case: Case, actor: Any, days: int, reason: str, now: datetime | None = None
) -> CaseExtension:
    """Ask to extend the handling period; at most 30 days per stage in all (Art. 34)."""
    reason = _required(reason, "reason", _("Reason"))
    if case.status != CaseStatus.IN_HANDLING:
        raise DomainError(_("Only a case in handling can be extended."))
    if CaseExtension.objects.filter(case=case, stage=case.stage, status=ExtensionStatus.REQUESTED).exists():
        raise DomainError(_("An extension request is already waiting for approval."))
    used = sum(
        CaseExtension.objects.filter(case=case, stage=case.stage, status=ExtensionStatus.APPROVED).values_list(
            "days", flat=True
        )
    )
    if days < 1 or used + days > MAX_EXTENSION_DAYS:
        raise DomainError(
            _("An extension is 1 to {left} days (at most {max} in all).").format(
                left=max(MAX_EXTENSION_DAYS - used, 0), max=MAX_EXTENSION_DAYS
            ),
            fields={"days": [_("Out of range.")]},
        )
    from huiyin.workflow.services import extension_check_in_time

    extension_check_in_time(case=case, stage=case.stage, today=timezone.localtime(_now(now)).date(), approving=False)
    ext = CaseExtension.objects.create(case=case, stage=case.stage, days=days, reason=reason, requested_by=actor)
    case_event_record(
        case=case, kind=EventKind.EXTENSION_REQUESTED, actor=actor, text=reason, data={"days": days}, at=_now(now)
    )
    return ext


@transaction.atomic
def case_extension_decide(
    *, extension: CaseExtension, actor: Any, approve: bool, note: str = "", now: datetime | None = None
) -> CaseExtension:
    """Approve or reject a pending extension. An approval moves the clock; the petitioner is told the reason."""
    ext = CaseExtension.objects.select_for_update().get(pk=extension.pk)
    if ext.status != ExtensionStatus.REQUESTED:
        raise DomainError(_("This extension request has already been decided."))
    if ext.requested_by_id == getattr(actor, "pk", None):
        raise DomainError(_("An extension cannot be approved by the person who requested it."))
    case = ext.case
    if case.status != CaseStatus.IN_HANDLING or case.stage != ext.stage:
        raise DomainError(_("The case is no longer in the stage this request was made for."))
    at = _now(now)
    from huiyin.workflow.services import extension_check_in_time, extension_check_rejection_note

    if approve:
        extension_check_in_time(case=case, stage=ext.stage, today=timezone.localtime(at).date(), approving=True)
    else:
        extension_check_rejection_note(note)
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    ext.decided_by = actor
    ext.decided_at = at
    ext.decision_note = note.strip()
    if approve:
        ext.told_at = at  # the notice to the petitioner is queued with this event
    ext.save()
    case_event_record(
        case=case,
        kind=EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED,
        actor=actor,
        # The decider's own words when they wrote any (the request's reason is on the request's event).
        text=(note.strip() or ext.reason) if approve else note,
        data={"days": ext.days, "extension": ext.pk},
        at=at,
    )
    return ext


def next_request_period(*, case: Case, stage: str) -> str | None:
    """The time the petitioner has to request the next stage after `stage`'s answer, as words ("30日",
    "15个工作日"): the rule of the case's profile, the one its deadline is counted by (None after a re-review)."""
    from huiyin.clock.rules import Unit
    from huiyin.workflow.clocks import profile_for, profile_get

    if stage not in NEXT_REQUEST_KIND:
        return None
    rule = profile_get(profile_for(case)).rule(NEXT_REQUEST_KIND[stage])
    words = _("{days} working days") if rule.unit == Unit.WORKING else _("{days} days")
    return words.format(days=rule.days)


def next_right_text(*, stage: str, due: date | None, period: str | None = None) -> str:
    """The sentence every decision carries: the petitioner's next right and its deadline. `period` is the time
    allowed (`next_request_period`); without it, the Regulations' 30 days (Arts. 35, 36). A profile that
    shortens the period must not leave the letter saying 30 days (found while building the reply check)."""
    if stage == CaseStage.RECHECK:
        return _(
            "This re-review opinion is final. The same matter will not be accepted again on the same facts and reasons."
        )
    name = _("a review") if stage == CaseStage.FIRST else _("a re-review")
    period = period or _("{days} days").format(days=30)
    if due is None:
        return _("If you disagree with this reply you may request {what} within {period} of receiving it.").format(
            what=name, period=period
        )
    return _(
        "If you disagree with this reply you may request {what} by {due} (within {period} of receiving it)."
    ).format(what=name, due=date_text(due), period=period)


# The remedy that follows each stage's answer, as a reply names it (Arts. 35, 36).
NEXT_REMEDY_WORD = {CaseStage.FIRST: "复查", CaseStage.REVIEW: "复核"}


def next_right_in_force(*, case: Case, stage: str) -> tuple[str, int, str] | None:
    """The right that follows `stage` as a reply states it: the remedy (复查 / 复核), the days and their unit as
    written ("日" or "个工作日"), by the rule of the case's profile; None after the last stage. What the reply check
    (`triage.reply_check.wrong_period`) and `reply_states_next_right` compare a reply's stated periods with."""
    from huiyin.clock.rules import Unit
    from huiyin.workflow.clocks import profile_for, profile_get

    if stage not in NEXT_REQUEST_KIND:
        return None
    rule = profile_get(profile_for(case)).rule(NEXT_REQUEST_KIND[stage])
    return NEXT_REMEDY_WORD[stage], rule.days, "个工作日" if rule.unit == Unit.WORKING else "日"


def reply_states_next_right(*, case: Case, stage: str, text: str) -> bool:
    """Whether the reply `text` itself tells the petitioner the right that follows `stage` and the period in force
    ("如对本答复意见不服，可自收到之日起30日内向……请求复查"), as the reply check reads it
    (`huiyin.nlp.replycheck.stated_periods`): the platform then does not state it a second time.

    A reply that states another period, or a limit for another remedy, does not: the platform's sentence
    with the right period stands, and the reply check asks the handler to correct or delete theirs.
    """
    from huiyin.nlp.replycheck import stated_periods

    expected = next_right_in_force(case=case, stage=stage)
    stated = stated_periods(text) if expected else []
    return bool(stated) and all((s.remedy, s.days, s.unit) == expected for s in stated)


def next_right_due_text(*, stage: str, due: date) -> str:
    """What the platform adds to a reply that states the next right and its period itself: the day the period
    ends, which the handler cannot know when writing."""
    name = _("a review") if stage == CaseStage.FIRST else _("a re-review")
    return _("The period to request {what} ends on {due}.").format(what=name, due=date_text(due))


@transaction.atomic
def case_reply(
    *,
    case: Case,
    actor: Any,
    text: str,
    now: datetime | None = None,
    draft: ReplyDraft | None = None,
    note: str = "",
) -> CaseReply:
    """Issue the written reply of the current stage. After the re-review reply the case is final.

    `draft` is the handling unit's draft this reply signs off (`reply_draft_sign_off`). When the
    responsible leader issues directly while a draft awaits their sign-off, that draft is the one
    signed off, as written or edited. Any other open draft of the stage is closed as superseded:
    its text stays on record.
    """
    from huiyin.workflow.clocks import due_for, profile_for

    text = _required(text, "text", _("Reply"))
    at = _now(now)
    stage = case.stage
    target = CaseStatus.FINAL if stage == CaseStage.RECHECK else CaseStatus.REPLIED
    case.ensure_can_transition_to(target)
    open_drafts = list(
        ReplyDraft.objects.select_for_update()
        .filter(case=case, stage=stage, status__in=OPEN_DRAFT_STATUSES)
        .select_related("written_by")
    )
    if draft is None and getattr(actor, "pk", None) == case.responsible_leader_id:
        draft = next((d for d in open_drafts if d.status == DraftStatus.SUBMITTED), None)
    if draft is not None:
        draft = next((d for d in open_drafts if d.pk == draft.pk), None)
        if draft is None or draft.status != DraftStatus.SUBMITTED:
            raise DomainError(_("This draft is not awaiting sign-off."))
    due = None
    if stage in NEXT_REQUEST_KIND:
        rule = NEXT_REQUEST_KIND[stage]
        due = due_for(rule=rule, start=timezone.localtime(at).date(), profile=profile_for(case)).due
    if due is not None and reply_states_next_right(case=case, stage=stage, text=text):
        # The reply tells the right and its period in its own words: the platform adds only the day it ends.
        next_right = next_right_due_text(stage=stage, due=due)
    else:
        next_right = next_right_text(stage=stage, due=due, period=next_request_period(case=case, stage=stage))
    reply = CaseReply.objects.create(
        case=case,
        stage=stage,
        text=text,
        next_right=next_right,
        next_right_due=due,
        issued_by=actor,
        issued_at=at,
    )
    data: dict[str, Any] = {"reply": reply.pk}
    if draft is not None:
        # The timeline says the leader signed off and who drafted it (the actor is the leader).
        data.update(
            signed_off=True,
            draft=draft.pk,
            version=draft.version,
            drafted_by=draft.written_by.display_name,
            drafted_by_id=draft.written_by_id,
            edited=draft.text.strip() != text,
        )
        ReplyDraft.objects.filter(pk=draft.pk).update(
            status=DraftStatus.ISSUED, decided_by=actor, decided_at=at, note=note.strip(), reply=reply, updated_at=at
        )
    superseded = [d.pk for d in open_drafts if draft is None or d.pk != draft.pk]
    if superseded:
        ReplyDraft.objects.filter(pk__in=superseded).update(
            status=DraftStatus.SUPERSEDED, decided_by=actor, decided_at=at, updated_at=at
        )
    case_event_record(case=case, kind=EventKind.REPLIED, actor=actor, text=text, data=data, at=at)
    # A request for more time that nobody decided has lapsed with the reply: off every approver's list.
    CaseExtension.objects.filter(case=case, stage=stage, status=ExtensionStatus.REQUESTED).update(
        status=ExtensionStatus.LAPSED, decided_at=at, updated_at=at
    )
    case_transition(case=case, to=target, actor=actor, now=now)
    return reply


# Reply drafts and the leader's sign-off (领导审签) ---------------------------------------------------


def _sees_case(case: Case, user: Any) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


@transaction.atomic
def reply_draft_save(
    *, case: Case, actor: Any, text: str, submit: bool = False, now: datetime | None = None
) -> ReplyDraft:
    """Save the handling unit's draft of the current stage's reply; with `submit`, send it to the
    responsible leader for sign-off.

    The open draft of the stage is updated in place until it is submitted; after a return the next
    save starts a new version, so the returned one stays as the leader saw it. A submitted draft
    cannot be changed until the leader returns it. What the reply check finds missing at submission
    is recorded on the draft for the leader.
    """
    text = _required(text, "text", _("Draft reply"))
    at = _now(now)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.IN_HANDLING:
        raise DomainError(_("A reply can be drafted only while the case is in handling."))
    if not _sees_case(locked, actor):
        raise DomainError(_("You are kept off this case and cannot draft its reply."))
    if submit and getattr(actor, "pk", None) == locked.responsible_leader_id:
        raise DomainError(_("You are the responsible leader of this case: issue the reply yourself."))
    drafts = ReplyDraft.objects.select_for_update().filter(case=locked, stage=locked.stage)
    current = drafts.filter(status__in=OPEN_DRAFT_STATUSES).first()
    if current is not None and current.status == DraftStatus.SUBMITTED:
        raise DomainError(
            _("The draft is awaiting the responsible leader's sign-off; it can be changed once it is returned.")
        )
    if current is None:
        last = drafts.order_by("-version").values_list("version", flat=True).first() or 0
        current = ReplyDraft(case=locked, stage=locked.stage, version=last + 1)
    current.text = text
    current.written_by = actor
    if submit:
        current.status = DraftStatus.SUBMITTED
        current.submitted_at = at
        current.check_missing = [str(item) for item in reply_missing(locked, text)]
    current.save()
    if submit:
        case_event_record(
            case=locked,
            kind=EventKind.DRAFT_SUBMITTED,
            actor=actor,
            data={
                "draft": current.pk,
                "version": current.version,
                "leader": locked.responsible_leader.display_name,
                "missing": len(current.check_missing),
            },
            at=at,
        )
    return current


def _draft_for_decision(*, draft: ReplyDraft, actor: Any) -> tuple[ReplyDraft, Case]:
    """Lock a submitted draft and its case, and check that `actor` is the one to decide on it."""
    locked = ReplyDraft.objects.select_for_update(of=("self",)).select_related("written_by").get(pk=draft.pk)
    case = Case.objects.select_for_update(of=("self",)).select_related("responsible_leader").get(pk=locked.case_id)
    if locked.status != DraftStatus.SUBMITTED:
        raise DomainError(_("This draft is not awaiting sign-off."))
    if case.status != CaseStatus.IN_HANDLING or case.stage != locked.stage:
        raise DomainError(_("The case is no longer in the stage this draft was written for."))
    if getattr(actor, "pk", None) != case.responsible_leader_id:
        raise DomainError(_("Only the case's responsible leader can sign off its reply."))
    if not _sees_case(case, actor):
        raise DomainError(_("You are kept off this case and cannot sign off its reply."))
    return locked, case


@transaction.atomic
def reply_draft_return(*, draft: ReplyDraft, actor: Any, note: str, now: datetime | None = None) -> ReplyDraft:
    """Return a submitted draft to the handling unit for revision (退回修改), saying what to revise."""
    note = _required(note, "note", _("What to revise"))
    locked, case = _draft_for_decision(draft=draft, actor=actor)
    at = _now(now)
    locked.status = DraftStatus.RETURNED
    locked.decided_by = actor
    locked.decided_at = at
    locked.note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    case_event_record(
        case=case,
        kind=EventKind.DRAFT_RETURNED,
        actor=actor,
        text=note,
        data={
            "draft": locked.pk,
            "version": locked.version,
            "drafted_by": locked.written_by.display_name,
            "drafted_by_id": locked.written_by_id,
        },
        at=at,
    )
    return locked


@transaction.atomic
def reply_draft_sign_off(
    *, draft: ReplyDraft, actor: Any, text: str, note: str = "", now: datetime | None = None
) -> CaseReply:
    """Sign off a submitted draft and issue it as the stage's reply (审签并答复), as written or edited
    by the responsible leader. The draft keeps the text that was submitted."""
    locked, case = _draft_for_decision(draft=draft, actor=actor)
    return case_reply(case=case, actor=actor, text=text, now=now, draft=locked, note=note)


@transaction.atomic
def case_rate(*, case: Case, actor: Any, rating: str, comment: str = "", now: datetime | None = None) -> CaseRating:
    """Record the petitioner's rating of the current stage's reply; a rated reply closes the case."""
    from huiyin.cases.states import Rating

    if rating not in Rating.values:
        raise DomainError(_("Choose a valid rating."), fields={"rating": [_("Choose a valid rating.")]})
    if case.status not in (CaseStatus.REPLIED, CaseStatus.FINAL):
        raise DomainError(_("Only a replied case can be rated."))
    if CaseRating.objects.filter(case=case, stage=case.stage).exists():
        raise DomainError(_("This reply has already been rated."))
    at = _now(now)
    result = CaseRating.objects.create(
        case=case,
        stage=case.stage,
        rating=rating,
        comment=comment.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        rated_at=at,
    )
    case_event_record(
        case=case, kind=EventKind.RATED, actor=actor, text=comment.strip(), data={"rating": rating}, at=at
    )
    if case.status == CaseStatus.REPLIED:
        case_transition(case=case, to=CaseStatus.CLOSED, actor=actor, now=now)
    return result


@transaction.atomic
def case_close(*, case: Case, actor: Any, note: str = "", now: datetime | None = None) -> Case:
    """Close a replied case without a rating (e.g. the petitioner declined to rate, or the window lapsed)."""
    return case_transition(case=case, to=CaseStatus.CLOSED, actor=actor, note=note, now=now)


@transaction.atomic
def next_stage_request_due(*, case: Case) -> date | None:
    """The last day a review (复查) or re-review (复核) of the case's current stage may be requested:
    30 days from the stage's reply; None while the stage has no reply."""
    reply = CaseReply.objects.filter(case=case, stage=case.stage).first()
    if reply is None:
        return None
    due = reply.next_right_due or (timezone.localtime(reply.issued_at).date() + timedelta(days=REQUEST_WINDOW_DAYS))
    # A schedule loaded later may have lengthened the window: the running clock then wins.
    window = case.deadlines.filter(kind=NEXT_REQUEST_KIND[case.stage], stage=case.stage).first()
    if window is not None:
        due = max(due, window.told_due or window.due, window.due)
    return due


def next_stage_request_window(*, case: Case) -> date | None:
    """The last day a review (复查) or re-review (复核) of `case` may be requested, when one can be: its stage
    is answered and has a next stage. None otherwise. The staff action and the portal offer the request
    until that day; `case_next_stage_request` refuses it after."""
    if case.status not in (CaseStatus.REPLIED, CaseStatus.CLOSED) or case.stage not in NEXT_STAGE:
        return None
    return next_stage_request_due(case=case)


def case_next_stage_request(*, case: Case, actor: Any, reason: str, now: datetime | None = None) -> Case:
    """Register a review (复查) or re-review (复核) request within 30 days of the stage's reply."""
    reason = _required(reason, "reason", _("Reason"))
    at = _now(now)
    if case.stage not in NEXT_STAGE or case.status not in (CaseStatus.REPLIED, CaseStatus.CLOSED):
        raise DomainError(_("No review can be requested for this case now."))
    due = next_stage_request_due(case=case)
    if due is None:
        raise DomainError(_("This stage has no reply yet."))
    if timezone.localtime(at).date() > due:
        raise DomainError(
            _("The request period ended on {due}.").format(due=date_text(due)), fields={"reason": [_("Too late.")]}
        )
    next_stage = NEXT_STAGE[case.stage]
    kind = EventKind.REVIEW_REQUESTED if next_stage == CaseStage.REVIEW else EventKind.RECHECK_REQUESTED
    case_event_record(case=case, kind=kind, actor=actor, text=reason, at=at)
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=actor, note=reason, now=now)


# Links, recusal, attachments -------------------------------------------------------------------


@transaction.atomic
def case_link_add(*, case: Case, other: Case, kind: str, actor: Any, note: str = "") -> CaseLink:
    """Link two cases (repeat petition, same issue, related)."""
    if other.pk == case.pk:
        raise DomainError(_("A case cannot be linked to itself."), fields={"case_no": [_("Same case.")]})
    if CaseLink.objects.filter(from_case=case, to_case=other).exists():
        raise DomainError(_("These cases are already linked."), fields={"case_no": [_("Already linked.")]})
    link = CaseLink.objects.create(from_case=case, to_case=other, kind=kind, note=note.strip(), created_by=actor)
    # On both timelines: whoever works on the earlier case learns of the later one. A reader who may not see
    # the other case is not shown the event (`selectors.case_timeline`).
    for this, that in ((case, other), (other, case)):
        case_event_record(
            case=this,
            kind=EventKind.LINKED,
            actor=actor,
            text=note.strip(),
            data={"case_no": that.case_no, "kind": kind, "case_id": that.pk},
        )
    return link


@transaction.atomic
def case_recuse(*, case: Case, user: User, reason: str, actor: Any) -> CaseRecusal:
    """Keep `user` off `case` (conflict of interest, Art. 28); removes them from the team."""
    reason = _required(reason, "reason", _("Reason"))
    if case.responsible_leader_id == user.pk:
        raise DomainError(_("Assign another responsible leader before recusing this one."))
    recusal, _created = CaseRecusal.objects.get_or_create(
        case=case, user=user, defaults={"reason": reason, "created_by": actor}
    )
    CaseMember.objects.filter(case=case, user=user).delete()
    case_event_record(case=case, kind=EventKind.RECUSED, actor=actor, text=reason, data={"user": user.display_name})
    return recusal


def _attachment_prepare(upload: UploadedFile, *, field: str) -> tuple[UploadInfo, SanitisedCopy]:
    """Check an upload and make the copy handlers will open; a refusal is a DomainError on `field`."""
    try:
        info = inspect_upload(upload)
        return info, sanitise_upload(upload, info.content_type)
    except AttachmentError as exc:
        raise DomainError(exc.message, fields={field: [exc.message]}) from exc


def _attachment_store(
    *, case: Case, upload: UploadedFile, info: UploadInfo, clean: SanitisedCopy, actor: Any, at: datetime
) -> Attachment:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=info.safe_name,
        content_type=info.content_type,
        size=info.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        sanitiser=clean.method,
        metadata_removed=clean.removed,
        metadata_kept=list(clean.kept),
    )
    attachment.file.save("upload", upload, save=False)
    if clean.copy is not None:
        attachment.sanitised_file.save("sanitised", clean.copy, save=False)
        clean.copy.close()
    attachment.save()
    case_event_record(
        case=case,
        kind=EventKind.ATTACHMENT_ADDED,
        actor=actor,
        data={"name": info.safe_name, "size": info.size, "attachment": attachment.pk},
        at=at,
    )
    return attachment


@transaction.atomic
def case_attachment_add(*, case: Case, upload: UploadedFile, actor: Any, now: datetime | None = None) -> Attachment:
    """Add a checked file to a case."""
    if case.attachments.count() >= settings.HUIYIN_ATTACHMENT_MAX_COUNT * 3:
        raise DomainError(_("This case has too many attachments."))
    info, clean = _attachment_prepare(upload, field="file")
    return _attachment_store(case=case, upload=upload, info=info, clean=clean, actor=actor, at=_now(now))


@transaction.atomic
def attachment_sanitise_existing(*, attachment: Attachment) -> Attachment:
    """Make the handler copy of a file stored before copies were made, or before its format was handled as it
    is now (a new copy replaces the earlier one). The original is left exactly as it is."""
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if locked.sanitiser:
        return locked
    earlier = locked.sanitised_file.name if locked.sanitised_file else ""
    with locked.file.open("rb") as original:
        try:
            clean = sanitise_upload(original, locked.content_type)
        except AttachmentError:
            # Accepted before these checks existed: never dropped now, only marked.
            clean = SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
        if clean.copy is not None:
            locked.sanitised_file.save("sanitised", clean.copy, save=False)
            clean.copy.close()
        # No new copy: an earlier copy, if any, is still served (it was cleaned by the rules of its day).
    locked.sanitiser = clean.method
    locked.metadata_removed = clean.removed
    locked.metadata_kept = list(clean.kept)
    locked.save(update_fields=["sanitised_file", "sanitiser", "metadata_removed", "metadata_kept", "updated_at"])
    if earlier and earlier != locked.sanitised_file.name:
        # After the commit: a rollback must leave the row pointing at a file that still exists.
        storage = locked.sanitised_file.storage
        transaction.on_commit(lambda: storage.delete(earlier))
    return locked


def attachment_download_record(*, attachment: Attachment, actor: Any) -> None:
    """Log a normal download: the copy without metadata when there is one."""
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_DOWNLOAD,
        obj=attachment,
        detail={"case_no": attachment.case.case_no, "copy": "sanitised" if attachment.sanitised_file else "original"},
    )


def attachment_original_open(*, attachment: Attachment, actor: Any, reason: str) -> Any:
    """Open the original of an attachment whose handler copy had metadata removed, and log it with the reason.

    The original's metadata can name the petitioner, so it is released under the rules of unsealing
    an identity: the right `people.unseal_petitioner`, a stated reason, and on accusation reports a
    live custodian approval. Refusals are logged too.
    """
    case = attachment.case
    detail: dict[str, Any] = {"what": "attachment_original", "case_no": case.case_no}
    if not actor.has_perm("people.unseal_petitioner"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=attachment, detail=detail)
        raise PermissionDenied
    if not attachment.sanitised_file:
        raise DomainError(_("This file was stored only as received: the normal download is the original."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("State why you need the original file (at least {n} characters).").format(n=MIN_REASON_LENGTH),
            fields={"reason": [_("A reason is required.")]},
        )
    if case_needs_custodian(case) and unseal_approval_live(case=case, user=actor) is None:
        audit_record(
            actor=actor,
            action=AuditAction.ACCESS_DENIED,
            obj=attachment,
            detail={**detail, "reason": "no_custodian_approval"},
        )
        raise DomainError(approval_missing_message(case=case, user=actor), code="approval_required")
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_DOWNLOAD,
        obj=attachment,
        detail={"case_no": case.case_no, "copy": "original", "reason": reason},
    )
    return attachment.file.open("rb")
