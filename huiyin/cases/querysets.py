"""Scoping: the one place that decides which cases a user may see.

Rules (deny by default):
- a user sees cases registered in, or handled by, a unit of their own subtree, plus cases they own
  as responsible leader or work on as a team member;
- accusation reports (the discipline compartment) only with `cases.view_discipline_case`, or when
  personally on the case;
- never a case they are recused from (conflict of interest, the accused and their reporting line).

Every clause is an EXISTS subquery or a plain column test (the unit subtree as a list of ids), so
the query never joins or needs DISTINCT, and the planner can combine the unit indexes; it stays fast
at a million cases (see `make bench`). `EXCLUSIONS` lets other apps add further exclusions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from huiyin.org.models import User

# Callables taking a user and returning a Q that must be FALSE for a visible case.
EXCLUSIONS: list[Callable[[User], Q]] = []


def subtree_ids(unit) -> list[int]:
    """Primary keys of `unit` and every unit below it (a few hundred at most), memoised on the unit object."""
    from huiyin.org.models import OrgUnit

    cached = getattr(unit, "_subtree_ids", None)
    if cached is None:
        cached = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        unit._subtree_ids = cached
    return cached


def kept_off(case, users) -> set[int]:
    """The ids of `users` this case is kept from whatever their role: recused, or excluded by another app
    (a person it concerns and their reporting line). Giving it to them is refused; forms leave them out.
    One query per user: for the few people a form offers."""
    from huiyin.cases.models import Case, CaseRecusal

    out = set()
    for user in users:
        barred = Q(Exists(CaseRecusal.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)))
        for exclusion in EXCLUSIONS:
            barred |= exclusion(user)
        if Case.objects.filter(pk=case.pk).filter(barred).exists():
            out.add(user.pk)
    return out


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        from huiyin.cases.models import CaseMember, CaseRecusal
        from huiyin.cases.states import Compartment

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("cases.view_case"):
            return self.none()

        personal = Q(responsible_leader_id=user.pk) | Exists(
            CaseMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
        )
        if user.unit_id is not None:
            if user.unit.depth == 0:
                # The whole tree. Not Q(): an empty Q() OR-ed with `personal` collapses to `personal`.
                in_units = Q(pk__isnull=False)
            else:
                # The subtree's ids as constants let the planner combine the unit indexes (BitmapOr)
                # instead of testing a subquery against every case.
                ids = subtree_ids(user.unit)
                in_units = Q(unit_id__in=ids) | Q(handling_unit_id__in=ids)
            if not user.has_perm("cases.view_discipline_case"):
                in_units &= ~Q(compartment=Compartment.DISCIPLINE)
            scope = in_units | personal
        else:
            scope = personal
        qs = self.filter(scope).exclude(Exists(CaseRecusal.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)))
        for exclusion in EXCLUSIONS:
            qs = qs.exclude(exclusion(user))
        return qs

    def open(self) -> Self:
        from huiyin.cases.states import OPEN

        return self.filter(status__in=OPEN)

    def with_open_deadline(self, *, overdue_on=None, due_by=None, due_from=None) -> Self:
        """Cases with an open unit deadline, optionally overdue on a date or due by a date.

        A correlated EXISTS on (case, kind): a list ordered by date stops after a page of matches, and
        a capped count after the cap, without building the whole set of open deadlines first.
        """
        deadline_model = self.model._meta.get_field("deadlines").related_model
        deadlines = deadline_model.objects.filter(
            case_id=OuterRef("pk"), met_at__isnull=True, cancelled_at__isnull=True, party="unit"
        )
        if overdue_on is not None:
            deadlines = deadlines.filter(due__lt=overdue_on)
        if due_by is not None:
            deadlines = deadlines.filter(due__lte=due_by)
        if due_from is not None:
            deadlines = deadlines.filter(due__gte=due_from)
        return self.filter(Exists(deadlines))
