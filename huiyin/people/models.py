"""Petitioners: identity held encrypted at rest, masked by default, matched by keyed hash."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel
from huiyin.people import masking
from huiyin.people.fields import EncryptedTextField


def new_pseudonym() -> str:
    return "P-" + secrets.token_hex(3).upper()


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
