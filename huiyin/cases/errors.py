from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from huiyin.core.errors import DomainError

if TYPE_CHECKING:
    from huiyin.cases.models import Case


class CaseTransitionError(DomainError):
    code = "illegal_transition"

    def __init__(self, *, case: Case, target: str):
        from huiyin.cases.states import CaseStatus

        super().__init__(
            _("A case in state “{status}” cannot move to “{target}”.").format(
                status=CaseStatus(case.status).label, target=CaseStatus(target).label
            )
        )
        self.case = case
        self.target = target
