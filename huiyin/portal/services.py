"""Writes of the employee portal: submissions, receipts, messages, ratings, review requests and
the retaliation check-ins. Case changes go through `huiyin.cases.services`.

Everything a petitioner does through the portal is done by `PORTAL_ACTOR`, an unauthenticated
actor: the case timeline then names no one, so a named petitioner who signs in is not revealed to
staff who may only see a pseudonym.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case, CaseReply
from huiyin.cases.services import (
    PetitionerData,
    RepresentativeData,
    case_next_stage_request,
    case_rate,
    case_register,
    next_stage_request_window,
)
from huiyin.cases.states import CaseStatus, Channel
from huiyin.core.dates import date_text
from huiyin.core.errors import DomainError
from huiyin.notify.handlers import notify_on_petitioner_message
from huiyin.org.models import OrgUnit
from huiyin.people.services import petitioner_create
from huiyin.portal import receipts
from huiyin.portal.models import (
    CaseMessage,
    CheckinAnswer,
    FollowUpStatus,
    IdempotencyRecord,
    MessageDirection,
    Receipt,
    RetaliationCheckin,
    RetaliationFollowUp,
)
from huiyin.portal.throttle import Limit, throttle_blocked, throttle_hit

logger = logging.getLogger("huiyin.portal")

MAX_MESSAGE = 5000
MAX_COMMENT = 2000


class PortalActor:
    """The petitioner acting through the portal: never authenticated as staff, holds no permission."""

    is_authenticated = False
    is_active = False
    is_superuser = False
    pk = None
    id = None
    username = ""
    display_name = gettext_lazy("Petitioner")

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def __str__(self) -> str:
        return str(self.display_name)


PORTAL_ACTOR = PortalActor()


class ReceiptInvalid(Exception):
    """Unknown case number or wrong secret: the caller answers 404 either way."""


class ReceiptReplaced(ReceiptInvalid):
    """The secret proves a receipt the office has since replaced (补发新回执码).

    Only someone who holds the old code gets this answer; a guess still gets ReceiptInvalid. A caller
    that does not tell the two apart answers 404, as before.
    """


class ReceiptThrottled(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"


# Submissions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    type: str
    subject: str
    content: str
    anonymous: bool
    contact: str = ""
    name: str = ""
    employee_no: str = ""
    collective: bool = False
    headcount: int = 1
    representatives: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SubmitResult:
    case: Case
    receipt: str | None  # shown once; None on a replay
    replayed: bool


def portal_unit() -> OrgUnit:
    """The unit that registers portal submissions: HUIYIN_PORTAL_UNIT_CODE, else the highest petition office, else the root."""
    code = settings.HUIYIN_PORTAL_UNIT_CODE
    if code:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None:
            return unit
    unit = OrgUnit.objects.filter(is_petition_office=True).order_by("depth", "path").first()
    unit = unit or OrgUnit.objects.order_by("depth", "path").first()
    if unit is None:
        raise DomainError(_("The portal is not configured yet: no organisation unit exists."), code="not_configured")
    return unit


def submission_digest(submission: Submission, *, account_id: int | None, files: Sequence[str] = ()) -> str:
    """SHA-256 of the canonical submission: what makes a retry 'the same' request."""
    body = {**asdict(submission), "account": account_id, "files": list(files)}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=list)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _file_digests(uploads: Sequence[UploadedFile]) -> list[str]:
    digests = []
    for upload in uploads:
        h = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            h.update(chunk)
        upload.seek(0)
        digests.append(h.hexdigest())
    return digests


def _replay(key: str, digest: str, text_digest: str | None = None) -> SubmitResult | None:
    """The earlier result for `key`, if this is the same submission; None if the key is new.

    With `text_digest` (a form resent without its files, which browsers do not restore), the same text
    also counts as the same submission.
    """
    record = IdempotencyRecord.objects.filter(key=key).select_related("case").first()
    if record is None:
        return None
    same = record.body_sha256 == digest or bool(text_digest and record.text_sha256 == text_digest)
    if not same or record.case is None:
        raise IdempotencyConflict(
            _("This idempotency key was already used for a different submission."),
            fields={"Idempotency-Key": [_("Use a new key for a new submission.")]},
        )
    return SubmitResult(case=record.case, receipt=None, replayed=True)


def portal_submit(
    *,
    key: str,
    submission: Submission,
    account: Any = None,
    uploads: Sequence[UploadedFile] = (),
    now: datetime | None = None,
    files_may_be_missing: bool = False,
) -> SubmitResult:
    """Register a portal submission exactly once per idempotency key and issue its receipt.

    The idempotency record, the case, its petitioner, files, first event and the receipt hash commit
    in one transaction. Concurrent retries with the same key collide on the key's unique index: one
    wins, the others roll back and answer with the winner's case number.

    `files_may_be_missing`: the request comes from a browser form, which may resend a used key
    without the files (they are never restored on Back); the same text with no files is then a replay.
    """
    account = account if getattr(account, "is_authenticated", False) else None
    if submission.anonymous:
        account = None  # an anonymous matter is never linked to an account
    account_id = getattr(account, "pk", None)
    digest = submission_digest(submission, account_id=account_id, files=_file_digests(uploads))
    text_digest = submission_digest(submission, account_id=account_id)
    resent_without_files = text_digest if files_may_be_missing and not uploads else None
    replay = _replay(key, digest, resent_without_files)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(key=key, body_sha256=digest, text_sha256=text_digest)
            case = case_register(
                actor=PORTAL_ACTOR,
                unit=portal_unit(),
                channel=Channel.WEB,
                type=submission.type,
                subject=submission.subject,
                content=submission.content,
                anonymous=submission.anonymous,
                petitioner=_petitioner(submission, account),
                collective=submission.collective,
                headcount=submission.headcount,
                representatives=[RepresentativeData(name=n, phone=p) for n, p in submission.representatives],
                uploads=uploads,
                now=now,
            )
            record.case = case
            record.save(update_fields=["case"])
            secret = receipt_issue(case=case, actor=PORTAL_ACTOR)
    except IntegrityError:
        replay = _replay(key, digest, resent_without_files)
        if replay is None:
            raise
        return replay
    logger.info("portal submission registered as %s", case.case_no)
    return SubmitResult(case=case, receipt=secret, replayed=False)


def _petitioner(submission: Submission, account: Any) -> Any:
    if submission.anonymous:
        return None
    if account is not None:
        return petitioner_create(
            name=submission.name or account.full_name or "",
            employee_no=submission.employee_no,
            phone=submission.contact,
            account=account,
        )
    return PetitionerData(name=submission.name, employee_no=submission.employee_no, phone=submission.contact)


# Receipts ---------------------------------------------------------------------------------------


@transaction.atomic
def receipt_issue(*, case: Case, actor: Any, reason: str = "") -> str:
    """Issue a receipt for `case`, revoking any live one; return the receipt text (shown once, never stored)."""
    now = timezone.now()
    revoked = Receipt.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    secret = receipts.new_secret()
    Receipt.objects.create(
        case=case,
        secret_hash=receipts.hash_secret(secret),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.RECEIPT_ISSUE,
        obj=case,
        detail={"case_no": case.case_no, "reissue": bool(revoked), "channel": case.channel, "reason": reason},
    )
    return receipts.format_receipt(case.case_no, secret)


def receipt_limits(case_no: str | None) -> list[Limit]:
    limits = [
        Limit("receipt-global", settings.HUIYIN_RECEIPT_FAILURES_GLOBAL, settings.HUIYIN_RECEIPT_GLOBAL_WINDOW_SECONDS)
    ]
    if case_no:
        limits.insert(
            0,
            Limit(
                f"receipt-case:{case_no}",
                settings.HUIYIN_RECEIPT_FAILURES_PER_CASE,
                settings.HUIYIN_RECEIPT_CASE_WINDOW_SECONDS,
            ),
        )
    return limits


# How many replaced (voided) codes of a case are checked, newest first: the code replaced last and the
# one before it. Every failed lookup verifies against exactly this many hashes (dummies standing in).
REPLACED_CODES_CHECKED = 2


def receipt_lookup(*, text: str | None) -> Receipt:
    """Return the live receipt that `text` proves, or raise ReceiptInvalid / ReceiptReplaced / ReceiptThrottled.

    Failures are counted per case number and globally; while a limit is reached no receipt for that
    case number (or none at all) is even checked, so guessing cannot go faster than the limits.

    A failed lookup always costs the same: one Argon2 verification for the live code and one for each
    of the last REPLACED_CODES_CHECKED replaced codes, each against a dummy hash when there is no such
    receipt. An unknown case number, a wrong secret and a replaced code take the same time; only a
    secret that verifies against a replaced code's hash is told it was replaced.
    """
    parsed = receipts.parse_receipt(text)
    case_no = parsed.case_no if parsed else receipts.case_no_hint(text)
    limits = receipt_limits(case_no)
    wait = throttle_blocked(limits)
    if wait is not None:
        raise ReceiptThrottled(wait)
    rows: list[Receipt] = []
    if parsed is not None:
        rows = list(
            Receipt.objects.filter(case__case_no=parsed.case_no)
            .select_related("case", "case__petitioner")
            .order_by(F("revoked_at").desc(nulls_first=True), "-id")[: 1 + REPLACED_CODES_CHECKED]
        )
    receipt = next((r for r in rows if r.revoked_at is None), None)
    replaced_hashes = [r.secret_hash for r in rows if r.revoked_at is not None][:REPLACED_CODES_CHECKED]
    secret = parsed.secret if parsed else "0" * receipts.SECRET_CHARS
    # Verify even when the case is unknown, against a dummy hash: same work, same answer.
    ok = receipts.verify_secret(receipt.secret_hash if receipt else receipts.dummy_hash(), secret)
    if ok and receipt is not None:
        return receipt
    replaced = False
    for i in range(REPLACED_CODES_CHECKED):
        # No early exit: a replaced code costs as much as a wrong one.
        matched = receipts.verify_secret(
            replaced_hashes[i] if i < len(replaced_hashes) else receipts.dummy_hash(), secret
        )
        replaced = replaced or (matched and i < len(replaced_hashes))
    # A replaced code is not a guess, but it is no access either: it counts against the limits like
    # any failure, so an old slip cannot be used to make the server hash without end.
    counts = throttle_hit(limits)
    audit_record(
        actor=None,
        action=AuditAction.ACCESS_DENIED,
        object_type="portal.receipt",
        object_id=(case_no or "")[:40],
        detail={"reason": "receipt_replaced" if replaced else "receipt_mismatch"},
    )
    for limit in limits:
        if counts.get(limit.name) == limit.limit:
            audit_record(
                actor=None,
                action=AuditAction.RECEIPT_THROTTLED,
                object_type="portal.receipt",
                object_id=(case_no or "")[:40] if limit.name.startswith("receipt-case") else "*",
                detail={"limit": limit.limit, "window_seconds": limit.window_seconds},
            )
    if replaced:
        raise ReceiptReplaced
    raise ReceiptInvalid


def receipt_is_live(receipt_id: int, case_id: int) -> bool:
    return Receipt.objects.filter(pk=receipt_id, case_id=case_id, revoked_at__isnull=True).exists()


def receipt_was_replaced(receipt_id: int, case_id: int) -> bool:
    """True when the receipt was revoked and a newer one is live (补发新回执码), not merely revoked."""
    return (
        Receipt.objects.filter(pk=receipt_id, case_id=case_id, revoked_at__isnull=False).exists()
        and Receipt.objects.filter(case_id=case_id, revoked_at__isnull=True, pk__gt=receipt_id or 0).exists()
    )


# Messages ---------------------------------------------------------------------------------------


def _text(value: str, *, field_name: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(
            _("{label} is required.").format(label=label), fields={field_name: [_("This field is required.")]}
        )
    if len(value) > limit:
        raise DomainError(
            _("{label} is too long (at most {n} characters).").format(label=label, n=limit),
            fields={field_name: [_("Too long.")]},
        )
    return value


@transaction.atomic
def message_from_petitioner(*, case: Case, text: str, now: datetime | None = None) -> CaseMessage:
    """The petitioner writes to the handler; the handling team (or the petition office) is told."""
    text = _text(text, field_name="text", label=_("Message"), limit=MAX_MESSAGE)
    message = CaseMessage.objects.create(
        case=case, direction=MessageDirection.PETITIONER, text=text, at=now or timezone.now()
    )
    # In the same transaction: the notices commit with the message (the outbox).
    notify_on_petitioner_message(message)
    return message


@transaction.atomic
def message_to_petitioner(*, case: Case, actor: Any, text: str, now: datetime | None = None) -> CaseMessage:
    """A handler answers the petitioner; they read it on the portal."""
    text = _text(text, field_name="text", label=_("Message"), limit=MAX_MESSAGE)
    return CaseMessage.objects.create(
        case=case, direction=MessageDirection.STAFF, text=text, author=actor, at=now or timezone.now()
    )


def portal_reachable(case: Case) -> bool:
    """True when the petitioner can read the portal: a live receipt or a linked account."""
    if Receipt.objects.filter(case=case, revoked_at__isnull=True).exists():
        return True
    return case.petitioner_id is not None and case.petitioner.account_id is not None


# Rating and review ------------------------------------------------------------------------------


def rating_due(case: Case) -> date | None:
    """The last day to rate the current stage's reply (the petitioner's rating clock, else reply + window)."""
    from huiyin.workflow.models import Deadline, DeadlineKind

    deadline = Deadline.objects.filter(case=case, kind=DeadlineKind.RATING, stage=case.stage).first()
    if deadline is not None:
        return deadline.due
    reply = CaseReply.objects.filter(case=case, stage=case.stage).first()
    if reply is None:
        return None
    return timezone.localtime(reply.issued_at).date() + timedelta(days=settings.HUIYIN_RATING_WINDOW_DAYS)


def can_rate(case: Case) -> bool:
    if case.status not in (CaseStatus.REPLIED, CaseStatus.FINAL):
        return False
    if case.ratings.filter(stage=case.stage).exists():
        return False
    due = rating_due(case)
    return due is None or timezone.localdate() <= due


@transaction.atomic
def portal_rate(*, case: Case, rating: str, comment: str = "", now: datetime | None = None) -> Any:
    """The petitioner rates the reply (满意 / 基本满意 / 不满意) within the rating window."""
    comment = _text(comment, field_name="comment", label=_("Comment"), limit=MAX_COMMENT, required=False)
    due = rating_due(case)
    today = timezone.localtime(now or timezone.now()).date()
    # Also once the sweep has closed the case because the window lapsed unrated: the window is what ended.
    lapsed = case.status in (CaseStatus.REPLIED, CaseStatus.FINAL, CaseStatus.CLOSED)
    if due is not None and today > due and lapsed and not case.ratings.filter(stage=case.stage).exists():
        raise DomainError(
            _("The period for rating this reply ended on {due}.").format(due=date_text(due)),
            code="window_closed",
            fields={"rating": [_("Too late.")]},
        )
    return case_rate(case=case, actor=PORTAL_ACTOR, rating=rating, comment=comment, now=now)


def can_request_review(case: Case, *, today: date | None = None) -> bool:
    """Whether the request form is offered: only within the request period, which the service enforces too."""
    due = next_stage_request_window(case=case)
    return due is not None and (today or timezone.localdate()) <= due


def portal_request_review(*, case: Case, reason: str, now: datetime | None = None) -> Case:
    """The petitioner requests a review (复查) or re-review (复核) within 30 days of the reply."""
    reason = _text(reason, field_name="reason", label=_("Reason"), limit=MAX_COMMENT)
    due = next_stage_request_window(case=case)
    if due is not None and timezone.localtime(now or timezone.now()).date() > due:
        # `case_next_stage_request` refuses it too; here the refusal says which rule: the window has closed.
        raise DomainError(
            _("The request period ended on {due}.").format(due=date_text(due)),
            code="window_closed",
            fields={"reason": [_("Too late.")]},
        )
    return case_next_stage_request(case=case, actor=PORTAL_ACTOR, reason=reason, now=now)


# Retaliation check-ins --------------------------------------------------------------------------

CLOSED_STATES = (
    CaseStatus.CLOSED,
    CaseStatus.FINAL,
    CaseStatus.REDIRECTED,
    CaseStatus.FORWARDED,
    CaseStatus.NOT_ACCEPTED,
)


def retaliation_checkins_open(*, now: datetime | None = None) -> int:
    """Ask at 30 and 90 days after closing whether the petitioner met retaliation. Safe to run twice.

    Only cases the petitioner can still reach (a live receipt or a linked account) are asked; a case
    closed long ago is not asked the earlier question once the later one is due.
    """
    now = now or timezone.now()
    days = sorted(settings.HUIYIN_RETALIATION_CHECKIN_DAYS)
    reachable = Exists(Receipt.objects.filter(case_id=OuterRef("pk"), revoked_at__isnull=True)) | Q(
        petitioner__account__isnull=False
    )
    created = 0
    for i, day in enumerate(days):
        later = days[i + 1] if i + 1 < len(days) else day * 2
        cases = (
            Case.objects.filter(status__in=CLOSED_STATES, closed_at__lte=now - timedelta(days=day))
            .filter(closed_at__gt=now - timedelta(days=later))
            .filter(reachable)
            .exclude(Exists(RetaliationCheckin.objects.filter(case_id=OuterRef("pk"), day=day)))
            .values_list("pk", flat=True)
        )
        for case_id in list(cases[:5000]):
            _obj, was_created = RetaliationCheckin.objects.get_or_create(
                case_id=case_id, day=day, defaults={"asked_at": now}
            )
            created += int(was_created)
    return created


def checkin_pending(case: Case) -> RetaliationCheckin | None:
    return case.retaliation_checkins.filter(answered_at__isnull=True).order_by("day").first()


@transaction.atomic
def retaliation_answer(
    *, checkin: RetaliationCheckin, answer: str, comment: str = "", now: datetime | None = None
) -> RetaliationFollowUp | None:
    """Record the petitioner's answer; a yes opens a protected follow-up for the office and discipline inspection."""
    if answer not in CheckinAnswer.values:
        raise DomainError(_("Answer yes or no."), fields={"answer": [_("Answer yes or no.")]})
    comment = _text(comment, field_name="comment", label=_("Comment"), limit=MAX_MESSAGE, required=False)
    locked = RetaliationCheckin.objects.select_for_update().get(pk=checkin.pk)
    if locked.answered_at is not None:
        raise DomainError(_("This question has already been answered."))
    now = now or timezone.now()
    locked.answer = answer
    locked.answered_at = now
    locked.save(update_fields=["answer", "answered_at", "updated_at"])
    checkin.answer, checkin.answered_at = locked.answer, locked.answered_at
    if answer != CheckinAnswer.YES:
        return None
    followup = RetaliationFollowUp.objects.create(case=locked.case, checkin=locked, account=comment)
    # Any later unanswered question is moot: the matter is now being followed up.
    audit_record(
        actor=None,
        action=AuditAction.RETALIATION_REPORTED,
        obj=followup,
        detail={"case_no": locked.case.case_no, "day": locked.day},
    )
    return followup


@transaction.atomic
def retaliation_followup_close(*, followup: RetaliationFollowUp, actor: Any, outcome: str) -> RetaliationFollowUp:
    """Close a follow-up, recording what was found and done."""
    outcome = _text(outcome, field_name="outcome", label=_("Outcome"), limit=MAX_MESSAGE)
    locked = RetaliationFollowUp.objects.select_for_update().get(pk=followup.pk)
    if locked.status != FollowUpStatus.OPEN:
        raise DomainError(_("This follow-up is already closed."))
    locked.status = FollowUpStatus.CLOSED
    locked.outcome = outcome
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor, action=AuditAction.RETALIATION_CLOSED, obj=locked, detail={"case_no": locked.case.case_no}
    )
    return locked


# Housekeeping -----------------------------------------------------------------------------------


def idempotency_cleanup(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.HUIYIN_IDEMPOTENCY_KEEP_DAYS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
