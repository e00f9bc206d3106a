"""The organisation tree and the staff user model: the basis of object scoping."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel


class UnitKind(models.TextChoices):
    GROUP = "group", _("Group")
    COMPANY = "company", _("Company")
    BRANCH = "branch", _("Branch")
    DEPARTMENT = "department", _("Department")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """Return `unit` and every unit below it."""
        return self.filter(path__startswith=unit.path)


class OrgUnit(BaseModel):
    """A node of the organisation tree: group → company → branch → department.

    `path` is the materialised path of primary keys ("/1/4/17/"), so a subtree is one
    indexed prefix match. It is maintained by `org.services.unit_create` / `unit_move`.
    """

    name = models.CharField(_("unit name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("Use letters, digits, '-' and '_' only."))],
        help_text=_("Short unique code, used by commands such as --unit CODE."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    is_petition_office = models.BooleanField(
        _("petition office"), default=False, help_text=_("This unit is a petition office (信访办).")
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="org_unit_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def is_within(self, ancestor: OrgUnit) -> bool:
        return self.path.startswith(ancestor.path)

    def company(self) -> OrgUnit:
        """Return the company this unit belongs to (itself for a company, the group for the group)."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        if len(ids) >= 2:
            return OrgUnit.objects.get(pk=ids[1])
        return self


class User(AbstractUser):
    """A staff member or an employee signing in to the portal."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("unit")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
