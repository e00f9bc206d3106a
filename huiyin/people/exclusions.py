"""Keep the accused and their reporting line off the case (信访工作条例 Art. 30 ¶3).

Registered in `CaseQuerySet.visible_to` through `cases.querysets.EXCLUSIONS`. A user loses sight of a
case when an `AccusedPerson` on it

- is linked to the user's own account (always, whatever roles the user holds), or
- belongs to the user's unit or to a unit below it, and the user holds a reporting-line role
  (HUIYIN_REPORTING_LINE_ROLES, by default `leader` and `executive`) — unless the user is in
  discipline inspection (`cases.view_discipline_case`), whose job is to investigate the accusation.

"Reporting line" is thus defined by the organisation tree: the leaders of the accused's unit and of
every unit above it. It is evaluated at query time, so someone who becomes such a leader later loses
sight as well, and nothing about the accused is written to the case timeline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q


def _roles(user: Any) -> set[str]:
    cached = getattr(user, "_huiyin_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._huiyin_role_names = cached
    return cached


def in_reporting_line_role(user: Any) -> bool:
    if user.has_perm("cases.view_discipline_case"):
        return False
    return bool(_roles(user) & set(settings.HUIYIN_REPORTING_LINE_ROLES))


def accused_exclusion(user: Any) -> Q:
    """A condition that is TRUE for the cases `user` must not see because of an accused person."""
    from huiyin.people.models import AccusedPerson

    condition = Q(user_id=user.pk)
    if user.unit_id is not None and in_reporting_line_role(user):
        condition |= Q(unit__path__startswith=user.unit.path)
    return Q(Exists(AccusedPerson.objects.filter(condition, case_id=OuterRef("pk"))))


def accused_unit_refusal(case: Any, unit: Any) -> str | None:
    """Why `unit` may not handle `case`: an accused person belongs to it (or to a unit below it).

    Art. 30 ¶3 forbids passing an accusation to the accused person *or unit*. The group itself (the
    root) may handle anything; a department beside the accused's unit - discipline inspection, say -
    is not above it and may.
    """
    from django.utils.translation import gettext as _

    from huiyin.people.models import AccusedPerson

    if unit is None or unit.depth == 0:
        return None
    rows = AccusedPerson.objects.filter(case_id=case.pk).values_list("unit__path", "user__unit__path")
    if any((own or via_account or "").startswith(unit.path) for own, via_account in rows if own or via_account):
        return _(
            "A person this case is about belongs to {unit}: an accusation may not be handed to the accused's "
            "unit or a unit above it (Art. 30 of the Regulations). Choose another handling unit."
        ).format(unit=unit.name)
    return None
