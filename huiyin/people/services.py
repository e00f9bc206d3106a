"""Petitioner records and unsealing their identity."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.core.errors import DomainError
from huiyin.people.crypto import match_hash
from huiyin.people.models import Petitioner

MIN_REASON_LENGTH = 4


def petitioner_match_key(*, name: str = "", id_number: str = "", employee_no: str = "", phone: str = "") -> str:
    """The keyed hash used to recognise the same petitioner: ID number first, then employee number, then name+phone."""
    if id_number.strip():
        return match_hash("id", id_number)
    if employee_no.strip():
        return match_hash("emp", employee_no)
    if name.strip() and phone.strip():
        return match_hash("np", name, phone)
    return ""


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
    return petitioner


@transaction.atomic
def petitioner_unseal(*, petitioner: Petitioner, actor: Any, reason: str, case: Any = None) -> dict[str, str]:
    """Return the identity in clear after checking the right and the reason; write an audit record."""
    if not actor.has_perm("people.unseal_petitioner"):
        audit_record(actor=actor, action=AuditAction.ACCESS_DENIED, obj=petitioner, detail={"what": "unseal"})
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("State why you need to see the identity (at least {n} characters).").format(n=MIN_REASON_LENGTH),
            fields={"reason": [_("A reason is required.")]},
        )
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
