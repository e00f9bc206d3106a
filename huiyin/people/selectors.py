"""What an identity custodian needs beside a request to decide it: the requester's part in the case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import CaseMember
from huiyin.people.models import UnsealRequest, UnsealStatus

PART_LEADER = _("responsible leader")
PART_MEMBER = _("member of the handling team")
PART_HANDLING_UNIT = _("works in the handling unit")
PART_REGISTERED = _("registered the case")
PART_REMIT = _("the case is within their remit")


@dataclass
class UnsealContext:
    """`parts`: how the requester is involved in the case (empty: not at all, by the record);
    `approved` / `denied`: their earlier decided requests on the same case; `revoked`: how many of those
    approvals a custodian ended early."""

    parts: list = field(default_factory=list)
    approved: int = 0
    denied: int = 0
    revoked: int = 0


def unseal_context(requests: Iterable[UnsealRequest]) -> dict[int, UnsealContext]:
    """Context for each request, by pk, in two queries whatever the number of requests.

    The requests should select `case`, its `unit` and `handling_unit`, and `requested_by__unit`. Only the case
    record is read (its leader, team, handling unit, registrar): no content, no identity.
    """
    requests = list(requests)
    if not requests:
        return {}
    case_ids = {r.case_id for r in requests}
    user_ids = {r.requested_by_id for r in requests}
    members = set(
        CaseMember.objects.filter(case_id__in=case_ids, user_id__in=user_ids).values_list("case_id", "user_id")
    )
    history: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    earlier = UnsealRequest.objects.filter(
        case_id__in=case_ids,
        requested_by_id__in=user_ids,
        status__in=[UnsealStatus.APPROVED, UnsealStatus.DENIED, UnsealStatus.WITHDRAWN],
    ).values_list("case_id", "requested_by_id", "status", "pk")
    shown = {r.pk for r in requests}
    for case_id, user_id, status, pk in earlier:
        if pk not in shown:
            history[(case_id, user_id)][status] += 1
    out: dict[int, UnsealContext] = {}
    for r in requests:
        case, user = r.case, r.requested_by
        parts = []
        if case.responsible_leader_id == user.pk:
            parts.append(PART_LEADER)
        if (case.pk, user.pk) in members:
            parts.append(PART_MEMBER)
        # Where the case is handled (or, not yet assigned, registered): the requester works there, or
        # their unit is above it (a group discipline office supervising a company's reports).
        where = case.handling_unit if case.handling_unit_id else case.unit
        if user.unit_id and user.unit.path.startswith(where.path):
            parts.append(PART_HANDLING_UNIT)
        elif user.unit_id and where.path.startswith(user.unit.path):
            parts.append(PART_REMIT)
        if case.registered_by_id == user.pk:
            parts.append(PART_REGISTERED)
        seen = history.get((case.pk, user.pk), {})
        revoked = seen.get(UnsealStatus.WITHDRAWN, 0)
        out[r.pk] = UnsealContext(
            parts=parts,
            approved=seen.get(UnsealStatus.APPROVED, 0) + revoked,
            denied=seen.get(UnsealStatus.DENIED, 0),
            revoked=revoked,
        )
    return out
