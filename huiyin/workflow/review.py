"""Who may take a review (复查) or re-review (复核): the body one level above the one that decided.

Art. 35 of the Regulations has a review made by the organ or unit one level above the one that handled
the matter, and Art. 36 a re-review by the one above the reviewer. So when a case enters either stage,
the assign form proposes that body (`review_form_initial`) and the assignment refuses a unit that handled
an earlier stage, or lies under it (`review_unit_refusal`): a unit must not review its own decision, nor
may a unit it directs. Registered in `WorkflowConfig.ready()` through `cases.hooks`; the people who took
part in an earlier stage are refused by `cases.services.case_assign` itself.

A department acts for the company or branch it belongs to (`org.tree.handling_body`): the matter handled
by 一厂人力资源部 was 一厂's, and its review is 一厂's superior's.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huiyin.cases.models import Case
from huiyin.cases.selectors import earlier_stage_units, stage_handling_unit, stages_before
from huiyin.cases.states import CaseStage, CaseStatus, Compartment
from huiyin.org.models import OrgUnit
from huiyin.org.tree import counterpart_in, handling_body, superior_body


def stage_body(case: Case, stage: str) -> OrgUnit | None:
    """The body that handled `stage` of `case`; None if the stage was never assigned."""
    unit = stage_handling_unit(case=case, stage=stage)
    return handling_body(unit) if unit is not None else None


def previous_stage_body(case: Case) -> OrgUnit | None:
    """The body that handled the stage before `case`'s current one; None in the first handling."""
    stages = stages_before(case.stage)
    return stage_body(case, stages[-1]) if stages else None


def next_stage_body(case: Case) -> OrgUnit | None:
    """The body a review or re-review of `case` goes to: the one above the body of the previous stage.

    The same body the previous stage's reply letter named (`documents.letters`). None in the first handling
    and when the previous stage was handled at the top of the tree (its superior is outside the organisation).
    """
    body = previous_stage_body(case)
    return superior_body(body) if body is not None else None


def next_stage_unit(case: Case) -> OrgUnit | None:
    """The unit a review or re-review of `case` is proposed to: the body above the previous stage's
    (`next_stage_body`); for a discipline matter a discipline office decided, that body's office of the same
    name, the one the previous stage's letter named (`documents.letters`)."""
    body = next_stage_body(case)
    if body is None or case.compartment != Compartment.DISCIPLINE:
        return body
    stages = stages_before(case.stage)
    previous = stage_handling_unit(case=case, stage=stages[-1]) if stages else None
    return (counterpart_in(body, previous) if previous is not None else None) or body


def request_body(case: Case, decided_stage: str) -> OrgUnit | None:
    """The body whose petition office takes up a request to review `decided_stage` of `case`: the body above the
    one that decided it. At the top of the tree, where no body above is in the organisation, the body that
    decided, whose office passes the request on to the authority above it. None if the stage was never assigned."""
    body = stage_body(case, decided_stage)
    return (superior_body(body) or body) if body is not None else None


def review_pending_body(case: Case) -> OrgUnit | None:
    """The body whose petition office takes up the review or re-review of `case` while it waits for assignment
    (`request_body` of the stage before); None in the first handling and once assigned."""
    stages = stages_before(case.stage)
    if not stages or case.status != CaseStatus.ACCEPTED:
        return None
    return request_body(case, stages[-1])


def review_work_body(case: Case) -> OrgUnit | None:
    """The body whose petition office has the review or re-review of `case` as its work (`cases.hooks.work_body`):
    while it waits for assignment, the body that takes it up (`review_pending_body`); once assigned, the body
    it was assigned to. None in the first handling, where any office in scope has it."""
    if case.stage == CaseStage.FIRST:
        return None
    if case.status == CaseStatus.ACCEPTED:
        return review_pending_body(case)
    return handling_body(case.handling_unit) if case.handling_unit_id else None


def review_unit_refusal(case: Case, unit: OrgUnit | None) -> str | None:
    """Why `unit` may not handle the current review or re-review of `case`: a body that handled an earlier
    stage is `unit` or lies above it."""
    if unit is None or case.stage == CaseStage.FIRST:
        return None
    for earlier in earlier_stage_units(case=case):
        body = handling_body(earlier)
        if not unit.is_within(body):
            continue
        if unit.pk == body.pk:
            who = _("{body} has already handled this matter.").format(body=body.name)
        else:
            who = _("{unit} belongs to {body}, which has already handled this matter.").format(
                unit=unit.name, body=body.name
            )
        if case.stage == CaseStage.REVIEW:
            rule = _(
                " A review is made by the body one level above the one that handled the matter "
                "(Art. 35 of the Regulations)."
            )
        else:
            rule = _(
                " A re-review is made by the body one level above the one that made the review "
                "(Art. 36 of the Regulations)."
            )
        above = next_stage_body(case)
        if above is not None:
            where = _(" Assign it to {body} or one of its departments.").format(body=above.name)
        else:
            top = previous_stage_body(case) or body
            where = _(
                " {body} has no superior body in this organisation: the request goes to the authority above it."
            ).format(body=top.name)
        # The sentences' own msgids carry the space English puts between them; Chinese puts none.
        return who + rule + where
    return None


def review_form_initial(action: str, case: Case, user: Any) -> dict[str, Any]:
    """Propose, on the assign form of a review or re-review not yet assigned, the body it goes to."""
    if action != "assign" or case.stage == CaseStage.FIRST or case.status != CaseStatus.ACCEPTED:
        return {}
    unit = next_stage_unit(case)
    return {"handling_unit": unit.pk} if unit is not None else {}
