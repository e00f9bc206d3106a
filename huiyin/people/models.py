"""Petitioners: identity held encrypted at rest, masked by default, matched by keyed hash."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel
from huiyin.people import masking
from huiyin.people.fields import EncryptedTextField


def new_pseudonym() -> str:
    # 40 bits: a collision among millions of petitioners is negligible (a birthday bound of ~1e-6 at 1.5M).
    return "P-" + secrets.token_hex(5).upper()


class Petitioner(BaseModel):
    """A person who submitted a matter. A matter-level record (一事一档), never a person-level dossier."""

    pseudonym = models.CharField(_("pseudonym"), max_length=16, unique=True, default=new_pseudonym)
    name = EncryptedTextField(_("name"), blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    employee_no = EncryptedTextField(_("employee number"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address or workplace"), blank=True)
    match_key = models.CharField(_("matching hash"), max_length=64, blank=True, db_index=True, editable=False)
    account = models.ForeignKey(
        "org.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitioner_records",
        verbose_name=_("portal account"),
    )

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        permissions = [
            ("unseal_petitioner", _("Can unseal a petitioner's identity with a stated reason")),
            ("approve_unseal", _("Can approve unsealing the identity of an accusation's author")),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def masked(self) -> dict[str, str]:
        return {
            "name": masking.mask_name(self.name),
            "id_number": masking.mask_digits(self.id_number, keep_start=4, keep_end=2),
            "employee_no": masking.mask_digits(self.employee_no, keep_start=2, keep_end=2),
            "phone": masking.mask_digits(self.phone),
            "address": masking.mask_text(self.address),
        }


class UnsealStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Revoked")  # an approval a custodian ended before it expired


class UnsealRequest(BaseModel):
    """A request to see the identities on an accusation case (its author and the accused), decided by a custodian.

    An approval is personal (only the requester may use it), bound to one case and limited in time
    (HUIYIN_UNSEAL_APPROVAL_HOURS). Every view made under it is still logged with its own reason.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="unseal_requests", verbose_name=_("case"))
    requested_by = models.ForeignKey(
        "org.User", models.PROTECT, related_name="unseal_requests", verbose_name=_("requested by")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=UnsealStatus.choices, default=UnsealStatus.REQUESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    expires_at = models.DateTimeField(_("approval valid until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_note = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("unsealing request")
        verbose_name_plural = _("unsealing requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "requested_by", "status"], name="unseal_case_user_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=UnsealStatus.values), name="unseal_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(expires_at__isnull=False),
                name="unseal_approval_expires",
            ),
            models.UniqueConstraint(
                fields=["case", "requested_by"],
                condition=models.Q(status="requested"),
                name="unseal_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.requested_by_id} {self.status}"

    def in_force(self, now) -> bool:
        """An approval that has neither been revoked nor run out at `now` (what `unseal_approval_live` queries)."""
        return self.status == UnsealStatus.APPROVED and self.expires_at is not None and self.expires_at > now


class PetitionerKey(models.Model):
    """One keyed hash per identity the petitioner gave (ID number, employee number, name + phone).

    `Petitioner.match_key` holds the strongest of them; these rows let a letter with an ID number and a
    later call with only name and phone be recognised as the same person. Hashes only: nothing here can
    be read back, and erasing the identity deletes them.
    """

    petitioner = models.ForeignKey(Petitioner, models.CASCADE, related_name="keys", verbose_name=_("petitioner"))
    key = models.CharField(_("matching hash"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("petitioner matching hash")
        verbose_name_plural = _("petitioner matching hashes")
        constraints = [models.UniqueConstraint(fields=["petitioner", "key"], name="petitioner_key_unique")]

    def __str__(self) -> str:
        return self.key[:12]


class AccusedPerson(BaseModel):
    """A person an accusation is about (被反映人). Identity encrypted at rest and masked by default.

    When `user` links a staff account, that account and its reporting line lose sight of the case
    (Art. 30 ¶3); see `people.exclusions`.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="accused", verbose_name=_("case"))
    name = EncryptedTextField(_("name"))
    position = EncryptedTextField(_("position or workplace"), blank=True)
    description = EncryptedTextField(_("what they are accused of"), blank=True)
    user = models.ForeignKey(
        "org.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="accusations_against",
        verbose_name=_("staff account"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("accused person")
        verbose_name_plural = _("accused persons")
        indexes = [
            models.Index(fields=["user", "case"], name="accused_user_case"),
            models.Index(fields=["unit", "case"], name="accused_unit_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {masking.mask_name(self.name)}"

    @property
    def masked(self) -> dict[str, str]:
        return {
            "name": masking.mask_name(self.name),
            "position": masking.mask_text(self.position),
            "description": masking.mask_text(self.description),
        }

    @property
    def masked_label(self) -> str:
        """Masked name and position, and the unit: enough to tell the persons of one case apart."""
        masked = self.masked
        parts = [masked["name"], masked["position"] or "—"]
        if self.unit_id is not None:
            parts.append(self.unit.name)
        return " · ".join(parts)
