"""Petitioner records, accused persons and unsealing their identity.

Identity is encrypted at rest and masked by default. Seeing it in clear ("unsealing") needs the
right (`people.unseal_petitioner`), a stated reason, and — on accusation (检举控告) cases — a live
approval from an identity custodian (`people.approve_unseal`). Every request, decision, view and
refusal is written to the hash-chained audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.core.dates import datetime_text
from huiyin.core.errors import DomainError
from huiyin.people.crypto import match_hash, match_keys, normalise_phone
from huiyin.people.models import AccusedPerson, Petitioner, PetitionerKey, UnsealRequest, UnsealStatus

MIN_REASON_LENGTH = 4
ACCUSATION = "accusation"


# Matching ---------------------------------------------------------------------------------------


def petitioner_match_key(
    *, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "", key: str | None = None
) -> str:
    """The keyed hash used to recognise the same petitioner: ID number first, then employee number, then name+phone.

    Every part is NFKC-normalised, lower-cased and stripped of all white space (full-width spaces too);
    the phone is reduced to its digits without country code (`normalise_phone`). A change here changes
    stored hashes: `manage.py rehash` recomputes them (the match-key rotation path).
    """
    if id_number.strip():
        return match_hash("id", id_number, key=key)
    if employee_no.strip():
        return match_hash("emp", employee_no, key=key)
    phone = normalise_phone(phone)
    if name.strip() and phone:
        return match_hash("np", name, phone, key=key)
    return ""


def petitioner_identity_keys(
    *, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "", key: str | None = None
) -> list[str]:
    """Every hash these identity fields give (ID number, employee number, name + phone), strongest first."""
    parts = [
        petitioner_match_key(id_number=id_number, key=key),
        petitioner_match_key(employee_no=employee_no, key=key),
        petitioner_match_key(name=name, phone=phone, key=key),
    ]
    return [k for k in dict.fromkeys(parts) if k]


def _keys_store(petitioner: Petitioner) -> None:
    """Make the petitioner's stored hashes those of its identity fields under the current key."""
    wanted = set(
        petitioner_identity_keys(
            name=petitioner.name,
            id_number=petitioner.id_number,
            employee_no=petitioner.employee_no,
            phone=petitioner.phone,
        )
    )
    have = set(PetitionerKey.objects.filter(petitioner=petitioner).values_list("key", flat=True))
    if have - wanted:
        PetitionerKey.objects.filter(petitioner=petitioner, key__in=have - wanted).delete()
    PetitionerKey.objects.bulk_create([PetitionerKey(petitioner=petitioner, key=k) for k in sorted(wanted - have)])


def petitioner_match_keys(*, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "") -> list[str]:
    """Every identity hash of these fields under the current match key and every previous key still
    accepted (during a rotation)."""
    keys = [
        k
        for secret in match_keys()
        for k in petitioner_identity_keys(
            name=name, id_number=id_number, employee_no=employee_no, phone=phone, key=secret
        )
    ]
    return list(dict.fromkeys(keys))


def petitioner_find_same(
    *, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "", exclude: Petitioner | None = None
) -> QuerySet[Petitioner]:
    """Petitioner records that match these identity fields, found by keyed hash without decrypting anything."""
    keys = petitioner_match_keys(name=name, id_number=id_number, employee_no=employee_no, phone=phone)
    qs = (
        Petitioner.objects.filter(
            Q(match_key__in=keys) | Q(pk__in=PetitionerKey.objects.filter(key__in=keys).values("petitioner_id"))
        )
        if keys
        else Petitioner.objects.none()
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def petitioner_rehash(*, batch: int = 500) -> int:
    """Recompute every stored match hash with the current HUIYIN_MATCH_KEY; return how many changed."""
    changed = 0
    last = 0
    while True:
        rows = list(Petitioner.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return changed
        with transaction.atomic():
            for p in rows:
                new = petitioner_match_key(name=p.name, id_number=p.id_number, employee_no=p.employee_no, phone=p.phone)
                if new != p.match_key:
                    Petitioner.objects.filter(pk=p.pk).update(match_key=new)
                    changed += 1
                _keys_store(p)
        last = rows[-1].pk


# Petitioners ------------------------------------------------------------------------------------


@transaction.atomic
def petitioner_create(
    *, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "", address: str = "", account=None
) -> Petitioner:
    """Create a petitioner record; identity fields are encrypted by the model fields."""
    petitioner = Petitioner(
        name=name.strip(),
        id_number=id_number.strip(),
        employee_no=employee_no.strip(),
        phone=phone.strip(),
        address=address.strip(),
        account=account,
        match_key=petitioner_match_key(name=name, id_number=id_number, employee_no=employee_no, phone=phone),
    )
    petitioner.save()
    _keys_store(petitioner)
    return petitioner


# Custodian approval -----------------------------------------------------------------------------


def case_needs_custodian(case: Any) -> bool:
    """Accusation reports need a custodian's approval before anyone sees an identity on them."""
    return getattr(case, "type", "") == ACCUSATION


def unseal_approval_live(*, case: Any, user: Any, now: datetime | None = None) -> UnsealRequest | None:
    """The approval `user` holds for `case` right now, if any."""
    if case is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (
        UnsealRequest.objects.filter(
            case_id=case.pk, requested_by_id=user.pk, status=UnsealStatus.APPROVED, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )


def approval_missing_message(*, case: Any, user: Any, now: datetime | None = None) -> str:
    """Why `user` may not see identities on accusation `case` now: their approval was revoked, or has run out,
    or they have none; each says what to do."""
    now = now or timezone.now()
    latest = (
        UnsealRequest.objects.filter(
            case_id=case.pk, requested_by_id=user.pk, status__in=[UnsealStatus.APPROVED, UnsealStatus.WITHDRAWN]
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    if latest is not None and latest.status == UnsealStatus.WITHDRAWN and latest.revoked_at:
        return _(
            "Your approval for this case was revoked on {when}: {note} Ask a custodian again if you still need it."
        ).format(when=datetime_text(latest.revoked_at), note=latest.revoke_note)
    if latest is not None and latest.status == UnsealStatus.APPROVED and not latest.in_force(now):
        return _("Your approval for this case ran out on {when}. Ask a custodian again if you still need it.").format(
            when=datetime_text(latest.expires_at)
        )
    return _("This is an accusation report: ask an identity custodian to approve unsealing first.")


def unseal_gate(*, case: Any, user: Any, now: datetime | None = None) -> str:
    """What the case page offers `user` to see identities on `case`.

    "open": the reasoned unsealing form (no custodian needed, or a live approval is held);
    "pending": a request waits for a custodian; "request": ask a custodian first (the form could
    only fail). Rights are not checked here: the caller shows nothing without the permission.
    """
    if not case_needs_custodian(case) or unseal_approval_live(case=case, user=user, now=now) is not None:
        return "open"
    waiting = UnsealRequest.objects.filter(case_id=case.pk, requested_by_id=user.pk, status=UnsealStatus.REQUESTED)
    return "pending" if waiting.exists() else "request"


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("State why you need to see the identity (at least {n} characters).").format(n=MIN_REASON_LENGTH),
            fields={"reason": [_("A reason is required.")]},
        )
    return reason


def unseal_request_create(*, case: Any, actor: Any, reason: str) -> UnsealRequest:
    """Ask an identity custodian for permission to see the identities on an accusation case."""
    if not actor.has_perm("people.unseal_petitioner"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=case, detail={"what": "unseal_request"})
        raise PermissionDenied
    # The refusal above is recorded outside this transaction, so rolling back does not erase it.
    with transaction.atomic():
        reason = _reason(reason)
        if not case_needs_custodian(case):
            raise DomainError(_("Only accusation reports need a custodian's approval."))
        if UnsealRequest.objects.filter(
            case_id=case.pk, requested_by_id=actor.pk, status=UnsealStatus.REQUESTED
        ).exists():
            raise DomainError(_("Your request is already waiting for a custodian."))
        request = UnsealRequest.objects.create(case_id=case.pk, requested_by=actor, reason=reason)
        audit_record(
            actor=actor,
            action=AuditAction.IDENTITY_UNSEAL_REQUEST,
            obj=request,
            detail={"case": case.case_no, "reason": reason},
        )
        from huiyin.notify.handlers import notify_unseal_requested  # notify reads cases; people is read by cases

        notify_unseal_requested(request)
        return request


def unseal_request_decide(
    *, request: UnsealRequest, actor: Any, approve: bool, note: str = "", now: datetime | None = None
) -> UnsealRequest:
    """A custodian approves (for HUIYIN_UNSEAL_APPROVAL_HOURS) or denies a pending request."""
    if not actor.has_perm("people.approve_unseal"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=request, detail={"what": "unseal_decide"})
        raise PermissionDenied
    # The refusal above is recorded outside this transaction, so rolling back does not erase it.
    with transaction.atomic():
        locked = UnsealRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != UnsealStatus.REQUESTED:
            raise DomainError(_("This request has already been decided."))
        if locked.requested_by_id == actor.pk:
            raise DomainError(_("A request cannot be decided by the person who made it."))
        note = (note or "").strip()
        if not approve and not note:
            raise DomainError(_("State why the request is denied."), fields={"note": [_("A reason is required.")]})
        now = now or timezone.now()
        locked.status = UnsealStatus.APPROVED if approve else UnsealStatus.DENIED
        locked.decided_by = actor
        locked.decided_at = now
        locked.decision_note = note
        if approve:
            locked.expires_at = now + timedelta(hours=settings.HUIYIN_UNSEAL_APPROVAL_HOURS)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.IDENTITY_UNSEAL_APPROVE if approve else AuditAction.IDENTITY_UNSEAL_DENY,
            obj=locked,
            detail={
                "case": locked.case.case_no,
                "requested_by": locked.requested_by.username,
                "note": note,
                "expires_at": locked.expires_at.isoformat() if locked.expires_at else None,
            },
        )
        request.status, request.expires_at = locked.status, locked.expires_at
        from huiyin.notify.handlers import notify_unseal_decided

        notify_unseal_decided(locked)
        return locked


def unseal_approval_revoke(
    *, request: UnsealRequest, actor: Any, note: str, now: datetime | None = None
) -> UnsealRequest:
    """A custodian ends an approval before it expires: the need has passed, or it should not have been given.

    From then on the requester sees no identity on the case; what they viewed before stays logged.
    """
    if not actor.has_perm("people.approve_unseal"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=request, detail={"what": "unseal_revoke"})
        raise PermissionDenied
    # The refusal above is recorded outside this transaction, so rolling back does not erase it.
    with transaction.atomic():
        locked = UnsealRequest.objects.select_for_update().get(pk=request.pk)
        now = now or timezone.now()
        if not locked.in_force(now):
            raise DomainError(_("This approval is no longer in force."))
        note = (note or "").strip()
        if not note:
            raise DomainError(_("State why the approval is revoked."), fields={"note": [_("A reason is required.")]})
        locked.status = UnsealStatus.WITHDRAWN
        locked.revoked_by = actor
        locked.revoked_at = now
        locked.revoke_note = note
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.IDENTITY_UNSEAL_REVOKE,
            obj=locked,
            detail={"case": locked.case.case_no, "requested_by": locked.requested_by.username, "note": note},
        )
        request.status = locked.status
        from huiyin.notify.handlers import notify_unseal_decided

        notify_unseal_decided(locked)
        return locked


def unseal_requests_pending() -> QuerySet[UnsealRequest]:
    return UnsealRequest.objects.filter(status=UnsealStatus.REQUESTED).select_related("case", "requested_by")


def _check_unseal(*, actor: Any, obj: Any, case: Any, reason: str, what: str) -> str:
    if not actor.has_perm("people.unseal_petitioner"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=obj, detail={"what": what}, case=case)
        raise PermissionDenied
    reason = _reason(reason)
    if case_needs_custodian(case) and unseal_approval_live(case=case, user=actor) is None:
        audit_record(
            actor=actor,
            action=AuditAction.ACCESS_DENIED,
            obj=obj,
            detail={"what": what, "case": case.case_no, "reason": "no_custodian_approval"},
        )
        raise DomainError(
            approval_missing_message(case=case, user=actor),
            code="approval_required",
            fields={"reason": [_("A custodian's approval is required.")]},
        )
    return reason


def petitioner_unseal(*, petitioner: Petitioner, actor: Any, reason: str, case: Any) -> dict[str, str]:
    """Return the identity in clear after checking the right, the reason and (accusations) the approval; audit it.

    The identity is unsealed for one `case` of the petitioner's: the approval is checked, and the view
    logged, against that case. (A petitioner with a general case and an accusation report must not be
    unsealed under the general one's rules.)
    """
    if case is None or case.petitioner_id != petitioner.pk:
        raise DomainError(_("An identity is unsealed for one of the petitioner's cases."))
    # Record a refusal even though the caller's error rolls nothing back: the audit row must stay.
    reason = _check_unseal(actor=actor, obj=petitioner, case=case, reason=reason, what="unseal")
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_VIEW,
        obj=petitioner,
        detail={"reason": reason, "case": getattr(case, "case_no", None)},
    )
    return {
        "name": petitioner.name,
        "id_number": petitioner.id_number,
        "employee_no": petitioner.employee_no,
        "phone": petitioner.phone,
        "address": petitioner.address,
    }


def petitioner_name_for_letter(*, case: Any, actor: Any) -> str | None:
    """The petitioner's name, to address a written reply `actor` is generating; None when they may not see it.

    A letter is sent to the petitioner, so it carries either the name or none (never a mask). `actor` is
    entitled under the rules of unsealing: the right `people.unseal_petitioner` and, on an accusation
    report, a live custodian approval. The reason is the letter itself. Only the name is read, and the
    view is written to the audit log like any other; a user without the right is neither refused nor
    logged, the letter simply names nobody.
    """
    if case is None or case.anonymous or case.petitioner_id is None:
        return None
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("people.unseal_petitioner"):
        return None
    if case_needs_custodian(case) and unseal_approval_live(case=case, user=actor) is None:
        return None
    petitioner = case.petitioner
    if not petitioner.name:
        return None
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_VIEW,
        obj=petitioner,
        detail={"reason": "reply_letter", "case": case.case_no, "fields": ["name"]},
    )
    return petitioner.name


# Accused persons --------------------------------------------------------------------------------


@transaction.atomic
def accused_add(
    *,
    case: Any,
    actor: Any,
    name: str,
    position: str = "",
    description: str = "",
    user: Any = None,
    unit: Any = None,
) -> AccusedPerson:
    """Record a person the matter is about. A linked staff account and its reporting line lose sight of the case."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name is required."), fields={"name": [_("This field is required.")]})
    if unit is None and user is not None:
        unit = user.unit
    accused = AccusedPerson.objects.create(
        case_id=case.pk,
        name=name,
        position=(position or "").strip(),
        description=(description or "").strip(),
        user=user,
        unit=unit,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The audit detail names no one: the identity stays in the vault.
    audit_record(
        actor=actor,
        action=AuditAction.ACCUSED_ADD,
        obj=accused,
        detail={"case": case.case_no, "linked_account": user is not None, "unit": getattr(unit, "code", None)},
    )
    return accused


@transaction.atomic
def accused_remove(*, case: Any, actor: Any, accused: AccusedPerson, reason: str) -> None:
    """Take back a person recorded by mistake (a wrong name, the wrong account linked). Their account, if one
    was linked, and its reporting line see the case again as their scope allows, so the reason is required
    and the removal audited; the audit detail names no one."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), fields={"reason": [_("This field is required.")]})
    if accused.case_id != case.pk:
        raise DomainError(_("This person is not recorded on this case."))
    audit_record(
        actor=actor,
        action=AuditAction.ACCUSED_REMOVE,
        obj=accused,
        detail={"case": case.case_no, "linked_account": accused.user_id is not None, "reason": reason},
    )
    accused.delete()


def accused_unseal(*, case: Any, actor: Any, reason: str) -> list[dict[str, str]]:
    """Return the accused persons of `case` in clear, under the same rules as a petitioner's identity."""
    people: Iterable[AccusedPerson] = list(AccusedPerson.objects.filter(case_id=case.pk).select_related("unit"))
    reason = _check_unseal(actor=actor, obj=case, case=case, reason=reason, what="accused_unseal")
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_VIEW,
        object_type="people.accusedperson",
        object_id=",".join(str(p.pk) for p in people)[:40],
        detail={"reason": reason, "case": case.case_no, "accused": [p.pk for p in people]},
    )
    return [
        {
            "name": p.name,
            "position": p.position,
            "description": p.description,
            "unit": p.unit.name if p.unit else "",
        }
        for p in people
    ]
