"""Writes to the organisation tree and to staff accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from huiyin.org.models import OrgUnit, User
from huiyin.org.roles import ROLE_PERMISSIONS


@transaction.atomic
def unit_create(*, name: str, code: str, kind: str, parent: OrgUnit | None = None, **extra) -> OrgUnit:
    """Create a unit under `parent` and set its materialised path."""
    unit = OrgUnit(name=name, code=code, kind=kind, parent=parent, **extra)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def unit_move(*, unit: OrgUnit, parent: OrgUnit) -> OrgUnit:
    """Move `unit` and its subtree under `parent`."""
    if parent.is_within(unit):
        raise ValueError("A unit cannot move below itself.")
    old_path = unit.path
    new_path = f"{parent.path}{unit.pk}/"
    delta = parent.depth + 1 - unit.depth
    for node in OrgUnit.objects.select_for_update().filter(path__startswith=old_path):
        node.path = new_path + node.path[len(old_path) :]
        node.depth += delta
        node.save(update_fields=["path", "depth", "updated_at"])
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def user_create(
    *, username: str, password: str | None, unit: OrgUnit | None, roles: list[str], full_name: str = "", title: str = ""
) -> User:
    """Create a staff account in `unit` with the given roles."""
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    user = User(username=username, unit=unit, full_name=full_name, title=title)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
