"""Case states, stages and the codes of ARCHITECTURE §4, as data.

`ALLOWED_TRANSITIONS` is the whole state machine; `can_transition` adds the stage rules
(review and re-review are stages of the same case, each with its own reply, rating and clocks).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    REDIRECTED = "redirected", _("Redirected")
    FORWARDED = "forwarded", _("Forwarded")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    IN_HANDLING = "in_handling", _("In handling")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    FINAL = "final", _("Final")


class CaseStage(models.TextChoices):
    FIRST = "first", _("First handling")
    REVIEW = "review", _("Review")
    RECHECK = "recheck", _("Re-review")


class CaseType(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion or opinion")
    ACCUSATION = "accusation", _("Accusation or report")
    CLAIM = "claim", _("Appeal or claim")


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    BOX = "box", _("Suggestion box")
    RECEPTION = "reception", _("Reception day")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    OWN = "own", _("Received directly")
    FORWARDED = "forwarded", _("Forwarded from above")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Compartment(models.TextChoices):
    GENERAL = "general", _("General")
    DISCIPLINE = "discipline", _("Discipline inspection")


class LawfulChannel(models.TextChoices):
    LITIGATION = "litigation", _("Litigation (people's court)")
    ARBITRATION = "arbitration", _("Labour dispute arbitration")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    DISCIPLINE = "discipline", _("Discipline inspection and supervision")
    OTHER = "other", _("Other lawful procedure")


S = CaseStatus
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.ACCEPTED, S.REDIRECTED, S.FORWARDED, S.NOT_ACCEPTED}),
    S.ACCEPTED: frozenset({S.IN_HANDLING}),
    S.IN_HANDLING: frozenset({S.REPLIED, S.FINAL}),
    # replied/closed → accepted opens the next stage (review, then re-review).
    S.REPLIED: frozenset({S.CLOSED, S.ACCEPTED}),
    S.CLOSED: frozenset({S.ACCEPTED}),
    S.REDIRECTED: frozenset(),
    S.FORWARDED: frozenset(),
    S.NOT_ACCEPTED: frozenset(),
    S.FINAL: frozenset(),
}

NEXT_STAGE: dict[str, str] = {CaseStage.FIRST: CaseStage.REVIEW, CaseStage.REVIEW: CaseStage.RECHECK}
TERMINAL = frozenset({S.REDIRECTED, S.FORWARDED, S.NOT_ACCEPTED, S.FINAL})
OPEN = frozenset({S.REGISTERED, S.ACCEPTED, S.IN_HANDLING})


def can_transition(*, status: str, stage: str, target: str) -> bool:
    """True when `status` → `target` is legal at `stage`."""
    if target not in ALLOWED_TRANSITIONS.get(status, frozenset()):
        return False
    if status == S.IN_HANDLING:
        # The re-review reply makes the case final; earlier replies make it replied.
        return (target == S.FINAL) == (stage == CaseStage.RECHECK)
    if target == S.ACCEPTED and status in (S.REPLIED, S.CLOSED):
        return stage in NEXT_STAGE
    return True


def stage_after(*, status: str, stage: str, target: str) -> str:
    """The stage a transition leads to: the next stage when a review or re-review is opened."""
    if target == S.ACCEPTED and status in (S.REPLIED, S.CLOSED):
        return NEXT_STAGE[stage]
    return stage


# The stages in the order a case passes through them.
STAGE_ORDER: tuple[str, ...] = (CaseStage.FIRST, CaseStage.REVIEW, CaseStage.RECHECK)


# The name of each stage's written answer (Arts. 34–36), shared by the staff pages, the portal and the notices.


def reply_label(stage: str) -> str:
    """The name of a stage's written answer, as a heading: 答复, 复查意见, 复核意见."""
    if stage == CaseStage.REVIEW:
        return gettext("Review opinion")
    if stage == CaseStage.RECHECK:
        return gettext("Re-review opinion")
    return gettext("Reply")


def reply_noun(stage: str) -> str:
    """`reply_label` inside a sentence ("Draft the review opinion"): only its first letter changes, and
    only in a language with letter case."""
    label = reply_label(stage)
    return label[:1].lower() + label[1:]


def draft_label(stage: str) -> str:
    """The name of a draft of a stage's answer: 答复稿, 复查意见稿, 复核意见稿."""
    return gettext("Draft {answer}").format(answer=reply_noun(stage))


def mermaid() -> str:
    """The state machine as a Mermaid diagram (docs/workflow/states.md is generated from it)."""
    lines = ["stateDiagram-v2", "    [*] --> registered"]
    for source, targets in ALLOWED_TRANSITIONS.items():
        for target in sorted(targets):
            label = ""
            if target == S.ACCEPTED and source in (S.REPLIED, S.CLOSED):
                label = " : review / re-review request"
            if source == S.IN_HANDLING and target == S.FINAL:
                label = " : re-review reply"
            lines.append(f"    {source} --> {target}{label}")
    lines.append("    final --> [*]")
    return "\n".join(lines)
