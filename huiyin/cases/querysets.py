"""Scoping: the one place that decides which cases a user may see.

Rules (deny by default):
- a user sees cases registered in, or handled by, a unit of their own subtree, plus cases they own
  as responsible leader or work on as a team member;
- accusation reports (the discipline compartment) only with `cases.view_discipline_case`, or when
  personally on the case;
- never a case they are recused from (conflict of interest, the accused and their reporting line).

Every clause is an EXISTS subquery or a plain column test, so the query never needs DISTINCT and
stays index-friendly at a million cases. `EXCLUSIONS` lets other apps add further exclusions.
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


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        from huiyin.cases.models import CaseMember, CaseRecusal
        from huiyin.cases.states import Compartment
        from huiyin.org.models import OrgUnit

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
            subtree = OrgUnit.objects.filter(path__startswith=user.unit.path)
            in_units = Exists(subtree.filter(pk=OuterRef("unit_id"))) | Exists(
                subtree.filter(pk=OuterRef("handling_unit_id"))
            )
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

        Driven from the (small, partially indexed) set of open deadlines rather than from every case.
        """
        deadline_model = self.model._meta.get_field("deadlines").related_model
        deadlines = deadline_model.objects.filter(met_at__isnull=True, cancelled_at__isnull=True, party="unit")
        if overdue_on is not None:
            deadlines = deadlines.filter(due__lt=overdue_on)
        if due_by is not None:
            deadlines = deadlines.filter(due__lte=due_by)
        if due_from is not None:
            deadlines = deadlines.filter(due__gte=due_from)
        return self.filter(pk__in=deadlines.values("case_id"))
