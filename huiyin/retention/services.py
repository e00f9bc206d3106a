"""Every write of the retention app: rules, legal holds, the removal of personal data, archival
reviews and destruction. Each removal, destruction, hold and rule change is an audit record.

The audit log itself is never touched here: it is kept at least six months (网络安全法 Art. 21)
and, being hash-chained, for as long as the chain is kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Attachment, Case, CaseRepresentative
from huiyin.core.errors import DomainError
from huiyin.people.models import AccusedPerson, Petitioner, PetitionerKey
from huiyin.retention.models import (
    MAX_YEARS,
    ArchiveAction,
    ArchiveDecision,
    ArchiveReview,
    DestroyedCase,
    LegalHold,
    PersonalDataErasure,
    RetentionRule,
)
from huiyin.retention.policies import CLOSED_STATES, Policy, add_years, policies, policy_for, rule_policy
from huiyin.retention.selectors import (
    archive_due_cases,
    blocker_labels,
    local_date,
    personal_data_due_cases,
    retention_blockers,
)

logger = logging.getLogger(__name__)

# Audit actions of this app.
AUDIT_ERASE = AuditAction.RETENTION_ERASE
AUDIT_ARCHIVE_DUE = AuditAction.RETENTION_ARCHIVE_DUE
AUDIT_ARCHIVE_KEEP = AuditAction.RETENTION_ARCHIVE_KEEP
AUDIT_DESTROY = AuditAction.RETENTION_DESTROY
AUDIT_HOLD_SET = AuditAction.RETENTION_HOLD_SET
AUDIT_HOLD_LIFT = AuditAction.RETENTION_HOLD_LIFT
AUDIT_RULE_CHANGE = AuditAction.RETENTION_RULE_CHANGE

# What replaces an erased identity: the pseudonym stays, the person is gone.
ERASED_MARKER = "〔已按保存期限删除〕"
MIN_REASON_LENGTH = 4


def _reason(value: str, field_name: str = "reason") -> str:
    value = (value or "").strip()
    if len(value) < MIN_REASON_LENGTH:
        raise DomainError(
            _("State the reason (at least {n} characters).").format(n=MIN_REASON_LENGTH),
            fields={field_name: [_("A reason is required.")]},
        )
    return value


# Rules -------------------------------------------------------------------------------------------------


def _rule_snapshot(rule: RetentionRule) -> dict:
    return {
        "category": rule.category.code if rule.category_id else None,
        "archive_years": rule.archive_years,
        "personal_data_years": rule.personal_data_years,
        "archive_action": rule.archive_action,
        "note": rule.note,
    }


@transaction.atomic
def retention_rule_save(*, rule: RetentionRule, actor: Any) -> RetentionRule:
    """Create or change a rule after checking its limits; the change is audited with before and after."""
    if rule.archive_years is not None and rule.personal_data_years > rule.archive_years:
        raise DomainError(
            _("Personal data cannot be kept longer than the archive."),
            fields={"personal_data_years": [_("At most the archive period.")]},
        )
    if rule.archive_years is None and rule.archive_action == ArchiveAction.DESTROY:
        raise DomainError(
            _("A permanent archive is never destroyed."),
            fields={"archive_action": [_("Choose the archival review, or set an archive period.")]},
        )
    if not 1 <= rule.personal_data_years <= MAX_YEARS or (
        rule.archive_years is not None and not 1 <= rule.archive_years <= MAX_YEARS
    ):
        raise DomainError(_("Periods are 1 to {n} years.").format(n=MAX_YEARS))
    clash = RetentionRule.objects.filter(category_id=rule.category_id).exclude(pk=rule.pk)
    if clash.exists():
        raise DomainError(
            _("This category already has a rule: change that one."), fields={"category": [_("Already has a rule.")]}
        )
    before = None
    now = timezone.now()
    old = RetentionRule.objects.select_for_update().filter(pk=rule.pk).first() if rule.pk else None
    if old is not None:
        before = _rule_snapshot(old)
        in_force = rule_policy(old, "", now)
    else:
        # A new rule replaces what its category followed until now: its parent's rule or the default.
        in_force = policy_for(rule.category_id, policies(now))
    new = Policy(rule.archive_years, rule.personal_data_years, rule.archive_action, rule.pk, "")  # as entered
    if in_force.shortened_by(new):
        # The periods in force stay for a full notice period from this change; a second shortening within
        # one keeps the longest periods and starts the notice again.
        rule.longer = in_force.values()
        rule.longer_until = now + timedelta(days=settings.HUIYIN_RETENTION_SHORTENING_DAYS)
    else:
        rule.longer = rule.longer_until = None
    rule.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    rule.save()
    after = _rule_snapshot(rule)
    if rule.longer_until:
        after["shorter_periods_from"] = rule.longer_until.isoformat()
    audit_record(actor=actor, action=AUDIT_RULE_CHANGE, obj=rule, detail={"before": before, "after": after})
    return rule


@transaction.atomic
def retention_rule_delete(*, rule: RetentionRule, actor: Any) -> None:
    """Remove a category's rule (the category then follows its parent's or the default rule)."""
    if rule.is_default:
        raise DomainError(_("The default rule cannot be removed; change it instead."))
    now = timezone.now()
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    if rule_policy(rule, "", now).shortened_by(policy_for(rule.category_id, policies(now, without=rule.pk))):
        raise DomainError(
            _(
                "Removing this rule would keep its cases for less time under the rule it falls back to. "
                "Change it to the shorter periods first: a shortening takes effect after {days} days, and "
                "then the rule can be removed."
            ).format(days=settings.HUIYIN_RETENTION_SHORTENING_DAYS)
        )
    before = _rule_snapshot(rule)
    pk = rule.pk
    rule.delete()
    audit_record(
        actor=actor,
        action=AUDIT_RULE_CHANGE,
        object_type="retention.retentionrule",
        object_id=str(pk),
        detail={"before": before, "after": None},
    )


# Legal holds -------------------------------------------------------------------------------------------


@transaction.atomic
def legal_hold_set(*, case: Case, actor: Any, reason: str, now: datetime | None = None) -> LegalHold:
    """Put a case on legal hold: nothing on it is removed or destroyed until the hold is lifted."""
    reason = _reason(reason)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    hold = LegalHold.objects.create(case=locked, reason=reason, set_by=actor, set_at=now or timezone.now())
    audit_record(actor=actor, action=AUDIT_HOLD_SET, obj=hold, detail={"case_no": locked.case_no, "reason": reason})
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, actor: Any, reason: str, now: datetime | None = None) -> LegalHold:
    """Lift a hold with a stated reason; the schedule resumes with the next run of the retention job."""
    reason = _reason(reason, "lift_reason")
    locked = LegalHold.objects.select_for_update(of=("self", "case")).select_related("case").get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise DomainError(_("This hold has already been lifted."))
    locked.lifted_at = now or timezone.now()
    locked.lifted_by = actor
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AUDIT_HOLD_LIFT,
        obj=locked,
        detail={"case_no": locked.case.case_no, "reason": reason, "set_at": locked.set_at.isoformat()},
    )
    return locked


# Removal of personal data ------------------------------------------------------------------------------


class RetentionBlocked(DomainError):
    """Something on the case (a hold, an open clock, an open review) forbids the removal now."""

    code = "blocked"

    def __init__(self, case: Case, blockers: list[str]):
        self.blockers = blockers
        super().__init__(
            _("Case {case} cannot be changed now: {why}.").format(
                case=case.case_no, why="; ".join(blocker_labels(blockers))
            )
        )


def _delete_files_on_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # The row is gone; the file is logged so an operator removes it by hand.
                logger.exception("retention: could not delete the attachment file %s", name)

    if names:
        transaction.on_commit(delete)


def _file_digest(name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _attachments_drop_originals(attachments: list[Attachment]) -> tuple[list[str], int]:
    """Remove the originals as received (metadata and all). Where a separate copy without metadata
    exists it stays with the archive, under a neutral name; otherwise the attachment goes entirely.
    The files are deleted once the transaction commits. Returns the deleted names and the copies kept."""
    originals: list[str] = []
    kept = 0
    gone: list[int] = []
    for attachment in attachments:
        copy = getattr(attachment, "sanitised_file", None)
        if attachment.file.name:
            originals.append(attachment.file.name)
        if copy and copy.name:
            digest, size = _file_digest(copy.name)
            extension = os.path.splitext(attachment.original_name)[1][:10]
            Attachment.objects.filter(pk=attachment.pk).update(
                file=copy.name,
                sanitised_file="",
                original_name=f"attachment-{attachment.pk}{extension}",
                size=size,
                sha256=digest,
                updated_at=timezone.now(),
            )
            kept += 1
        else:
            gone.append(attachment.pk)
    Attachment.objects.filter(pk__in=gone).delete()
    _delete_files_on_commit(originals)
    return originals, kept


def _locked_unblocked(case_id: int, *, now: datetime) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    blockers = retention_blockers(cases=[case], today=local_date(now))[case.pk]
    if blockers:
        raise RetentionBlocked(case, blockers)
    return case


@transaction.atomic
def case_personal_data_erase(
    *, case_id: int, policy: Policy | None = None, actor: Any = None, now: datetime | None = None, via: str = "job"
) -> PersonalDataErasure | None:
    """Erase the identities on a closed case and remove its attachments; keep the matter.

    Erased: the petitioner's identity (once no other case still needs it), representatives,
    accused persons' names and descriptions, retaliation accounts; attachments are deleted with
    their files. Kept: the case, its timeline, replies, ratings and messages, the pseudonym, and
    the accused's account link (it keeps the accused away from the case, Art. 30). Returns None when
    the data was already removed (the job is idempotent).
    """
    from huiyin.portal.models import RetaliationFollowUp

    now = now or timezone.now()
    case = _locked_unblocked(case_id, now=now)
    if PersonalDataErasure.objects.filter(case_id=case.pk).exists():
        return None
    policy = policy or policy_for(case.category_id)

    attachments = list(Attachment.objects.filter(case_id=case.pk).order_by("pk"))
    _originals, kept = _attachments_drop_originals(attachments)
    representatives = CaseRepresentative.objects.filter(case_id=case.pk).update(
        name=ERASED_MARKER, phone="", updated_at=now
    )
    accused = AccusedPerson.objects.filter(case_id=case.pk).update(
        name=ERASED_MARKER, position="", description="", updated_at=now
    )
    followups = RetaliationFollowUp.objects.filter(case_id=case.pk).update(
        account=ERASED_MARKER, outcome="", updated_at=now
    )
    erasure = PersonalDataErasure.objects.create(
        case=case,
        erased_at=now,
        rule=policy.label,
        detail={
            "attachments": [{"sha256": a.sha256, "size": a.size, "type": a.content_type} for a in attachments],
            "attachment_copies_kept": kept,
            "representatives": representatives,
            "accused": accused,
            "retaliation_followups": followups,
        },
    )
    petitioner = "none"
    if case.petitioner_id is not None:
        petitioner = "kept_for_other_cases"
        still_needed = (
            Case.objects.filter(petitioner_id=case.petitioner_id)
            .exclude(pk=case.pk)
            .exclude(Exists(PersonalDataErasure.objects.filter(case_id=OuterRef("pk"))))
            .exists()
        )
        if not still_needed:
            _petitioner_erase(case.petitioner_id, now=now)
            erasure.petitioner_erased = True
            erasure.save(update_fields=["petitioner_erased"])
            petitioner = "erased"
    erasure.detail["petitioner"] = petitioner
    erasure.save(update_fields=["detail"])
    audit_record(
        actor=actor,
        action=AUDIT_ERASE,
        obj=case,
        detail={
            "case_no": case.case_no,
            "rule": policy.label,
            "personal_data_years": policy.personal_data_years,
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "via": via,
            **erasure.detail,
        },
    )
    return erasure


def _petitioner_erase(petitioner_id: int, *, now: datetime) -> None:
    """Erase a petitioner's identity: the marker for the name, nothing else; no match hash, no account link."""
    Petitioner.objects.filter(pk=petitioner_id).update(
        name=ERASED_MARKER,
        id_number="",
        employee_no="",
        phone="",
        address="",
        match_key="",
        account=None,
        updated_at=now,
    )
    PetitionerKey.objects.filter(petitioner_id=petitioner_id).delete()


# Archives ----------------------------------------------------------------------------------------------


@transaction.atomic
def archive_review_mark(
    *, case_id: int, policy: Policy | None = None, now: datetime | None = None
) -> ArchiveReview | None:
    """Mark a closed case whose archive period has ended as due for archival review (once)."""
    now = now or timezone.now()
    case = _locked_unblocked(case_id, now=now)
    if ArchiveReview.objects.filter(case_id=case.pk, decided_at__isnull=True).exists():
        return None
    policy = policy or policy_for(case.category_id)
    due = policy.archive_due(local_date(case.closed_at)) if case.closed_at else None
    review = ArchiveReview.objects.create(case=case, due_on=due or local_date(now), marked_at=now)
    audit_record(
        actor=None,
        action=AUDIT_ARCHIVE_DUE,
        obj=case,
        detail={"case_no": case.case_no, "rule": policy.label, "archive_years": policy.archive_years},
    )
    return review


@transaction.atomic
def case_archive_destroy(
    *,
    case_id: int,
    actor: Any = None,
    reason: str = "",
    rule: str = "",
    now: datetime | None = None,
    via: str = "job",
) -> DestroyedCase:
    """Destroy a closed case record (档案销毁): the case and everything on it, its files, and its
    petitioner record when no other case refers to it. The destruction register keeps the number,
    dates and reason; the audit log keeps the record of it."""
    from huiyin.search.services import cases_unindex

    now = now or timezone.now()
    case = _locked_unblocked(case_id, now=now)
    if case.status not in CLOSED_STATES:
        raise DomainError(_("Only a closed case can be destroyed."))
    files = [
        f.name
        for a in Attachment.objects.filter(case_id=case.pk)
        for f in (a.file, getattr(a, "sanitised_file", None))
        if f and f.name
    ]
    entry = DestroyedCase.objects.create(
        case_no=case.case_no,
        category=str(case.category) if case.category_id else "",
        received_at=case.received_at,
        closed_at=case.closed_at,
        status=case.status,
        unit=case.unit.name,
        destroyed_at=now,
        destroyed_by=actor if getattr(actor, "is_authenticated", False) else None,
        rule=rule,
        reason=reason,
    )
    petitioner_id = case.petitioner_id
    case_pk = case.pk
    case.delete()
    if petitioner_id and not Case.objects.filter(petitioner_id=petitioner_id).exists():
        Petitioner.objects.filter(pk=petitioner_id).delete()
    _delete_files_on_commit(files)
    cases_unindex(case_ids=[case_pk])
    audit_record(
        actor=actor,
        action=AUDIT_DESTROY,
        object_type="cases.case",
        object_id=str(case_pk),
        detail={"case_no": entry.case_no, "rule": rule, "reason": reason, "via": via, "files": len(files)},
    )
    return entry


@transaction.atomic
def archive_review_decide(
    *,
    review: ArchiveReview,
    actor: Any,
    decision: str,
    reason: str,
    keep_years: int | None = None,
    now: datetime | None = None,
) -> ArchiveReview | DestroyedCase:
    """The office's appraisal: keep the record for more years, or destroy it."""
    now = now or timezone.now()
    reason = _reason(reason)
    locked = ArchiveReview.objects.select_for_update(of=("self", "case")).select_related("case").get(pk=review.pk)
    if locked.decided_at is not None:
        raise DomainError(_("This archival review has already been decided."))
    if decision == ArchiveDecision.DESTROY:
        return case_archive_destroy(
            case_id=locked.case_id, actor=actor, reason=reason, rule="review", now=now, via="review"
        )
    if decision != ArchiveDecision.KEEP:
        raise DomainError(_("Choose to keep or to destroy."), fields={"decision": [_("Choose a decision.")]})
    if keep_years is None or not 1 <= keep_years <= MAX_YEARS:
        raise DomainError(
            _("Keep for 1 to {n} more years.").format(n=MAX_YEARS), fields={"keep_years": [_("Out of range.")]}
        )
    locked.decision = ArchiveDecision.KEEP
    locked.keep_until = add_years(local_date(now), keep_years)
    locked.note = reason
    locked.decided_by = actor
    locked.decided_at = now
    locked.save(update_fields=["decision", "keep_until", "note", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AUDIT_ARCHIVE_KEEP,
        obj=locked.case,
        detail={"case_no": locked.case.case_no, "keep_until": locked.keep_until.isoformat(), "reason": reason},
    )
    return locked


# The job -----------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    dry_run: bool = False
    erased: int = 0
    marked_for_review: int = 0
    destroyed: int = 0
    blocked: int = 0
    errors: int = 0
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "erased": self.erased,
            "marked_for_review": self.marked_for_review,
            "destroyed": self.destroyed,
            "blocked": self.blocked,
            "errors": self.errors,
        }


def _batches(queryset, *, batch: int):
    """Keyset batches of cases (by primary key) so a long run never holds one big transaction."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).select_related("category")[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _secure_delete() -> None:
    # SQLite: overwrite freed pages with zeros, so erased identities do not linger in the file.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def retention_run(
    *, now: datetime | None = None, dry_run: bool = False, batch: int = 200, limit: int = 5000
) -> RunResult:
    """Apply the retention rules once: remove personal data that is due, mark or destroy archives that are due.

    Idempotent and safe to run in two processes: every case is locked and rechecked in its own
    transaction. At most `limit` cases are changed per step (the next run goes on); held-back cases
    are looked at every time, so they never keep due ones waiting. A dry run reports what would
    happen and writes nothing, not even to the audit log.
    """
    now = now or timezone.now()
    today = local_date(now)
    table = policies(now)
    result = RunResult(dry_run=dry_run)
    if not dry_run:
        _secure_delete()

    def policy_of(case: Case) -> Policy:
        return table[1].get(case.category_id, table[0]) if case.category_id else table[0]

    for rows in _batches(personal_data_due_cases(now=now, table=table), batch=batch):
        if result.erased >= limit:
            break
        blockers = retention_blockers(cases=rows, today=today)
        for case in rows:
            if result.erased >= limit:
                break
            policy = policy_of(case)
            if blockers[case.pk]:
                result.blocked += 1
                result.lines.append(
                    f"blocked    {case.case_no}  personal data ({policy.label}): "
                    + "; ".join(blocker_labels(blockers[case.pk]))
                )
                continue
            if dry_run:
                result.erased += 1
                result.lines.append(f"would erase {case.case_no}  personal data ({policy.label})")
                continue
            try:
                erasure = case_personal_data_erase(case_id=case.pk, policy=policy, now=now)
            except RetentionBlocked:
                result.blocked += 1
                continue
            except Exception:
                result.errors += 1
                logger.exception("retention: erasing the personal data of case %s failed", case.pk)
                continue
            if erasure is not None:
                result.erased += 1
                result.lines.append(f"erased     {case.case_no}  personal data ({policy.label})")

    for rows in _batches(archive_due_cases(now=now, table=table), batch=batch):
        if result.marked_for_review + result.destroyed >= limit:
            break
        blockers = retention_blockers(cases=rows, today=today)
        for case in rows:
            if result.marked_for_review + result.destroyed >= limit:
                break
            policy = policy_of(case)
            destroy = policy.archive_action == ArchiveAction.DESTROY
            what = "archive destruction" if destroy else "archival review"
            if blockers[case.pk]:
                result.blocked += 1
                result.lines.append(
                    f"blocked    {case.case_no}  {what} ({policy.label}): "
                    + "; ".join(blocker_labels(blockers[case.pk]))
                )
                continue
            if dry_run:
                if destroy:
                    result.destroyed += 1
                    result.lines.append(f"would destroy {case.case_no}  ({policy.label})")
                else:
                    result.marked_for_review += 1
                    result.lines.append(f"would mark {case.case_no}  due for archival review ({policy.label})")
                continue
            try:
                if destroy:
                    case_archive_destroy(case_id=case.pk, rule=policy.label, reason="archive period ended", now=now)
                    result.destroyed += 1
                    result.lines.append(f"destroyed  {case.case_no}  ({policy.label})")
                elif archive_review_mark(case_id=case.pk, policy=policy, now=now) is not None:
                    result.marked_for_review += 1
                    result.lines.append(f"marked     {case.case_no}  due for archival review ({policy.label})")
            except RetentionBlocked:
                result.blocked += 1
            except Exception:
                result.errors += 1
                logger.exception("retention: the archive step on case %s failed", case.pk)
    if result.erased or result.marked_for_review or result.destroyed or result.errors:
        logger.info("retention run: %s", result.as_dict())
    return result
