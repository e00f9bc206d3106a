"""The reply check of the case page: does a draft answer each point raised, cite a basis, state the
next right and its deadline, and leave no template blank (huiyin.nlp.replycheck)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case, EventKind
from huiyin.cases.services import (
    NEXT_REMEDY_WORD,
    next_request_period,
    next_right_in_force,
    next_right_text,
    reply_states_next_right,
)
from huiyin.cases.states import NEXT_STAGE, CaseStage
from huiyin.nlp.replycheck import ELEMENTS, StatedPeriod, check_reply, stated_periods

ELEMENT_LABELS: dict[str, Promise] = {
    "points": _("Answers every point raised"),
    "basis": _("Cites a basis (policy or rule)"),
    "next_step": _("States the next right and its deadline"),
    "blanks": _("Leaves no template blank"),
    "salutation": _("Leaves the salutation to the letter"),
}


@dataclass(frozen=True)
class ElementView:
    name: str
    label: Promise
    ok: bool
    detail: str
    by_platform: bool = False  # the platform adds the sentence this element finds (the next right)
    in_draft: bool = False  # the draft states it itself; the platform adds only what it cannot know (the date)


def points_source(case: Case) -> str:
    """What the reply must answer: the petition; in a review or re-review, the grounds the petitioner
    gave for requesting it (a review opinion answers the objection, e.g. 误工费 left out), with the
    petition when no grounds were recorded."""
    kind = {CaseStage.REVIEW: EventKind.REVIEW_REQUESTED, CaseStage.RECHECK: EventKind.RECHECK_REQUESTED}.get(
        case.stage
    )
    if kind is not None:
        grounds = case.events.filter(kind=kind).order_by("-at", "-id").values_list("text", flat=True).first()
        if grounds and grounds.strip():
            return grounds
    return f"{case.subject}。\n{case.content}"


# A sentence telling the petitioner what they may do next: "如不服……可……申请复查". Only such a sentence:
# a review opinion also says "经复查" and "你于10月3日申请复查", which tell what happened, not a right.
_REMEDY_SENTENCE = re.compile(
    r"[^。！？!?\n]*(?:不服|异议|不满意|不同意)[^。！？!?\n]*?(?:申请|请求|提出)[^。！？!?\n]{0,12}?(复查|复核)"
)


def wrong_remedy(*, stage: str, text: str) -> str:
    """The remedy `text` tells the petitioner of, when it is not the one that follows `stage` ("" if none
    is named or it is the right one). The platform's own sentence states the right one; a reply naming
    another contradicts it in the same letter."""
    right = NEXT_REMEDY_WORD.get(stage)
    for match in _REMEDY_SENTENCE.finditer(text):
        if match.group(1) != right:
            return match.group(1)
    return ""


@dataclass(frozen=True)
class WrongPeriod:
    stated: StatedPeriod
    days: int
    working: bool

    @property
    def expected(self) -> str:
        words = gettext("{days} working days") if self.working else gettext("{days} days")
        return words.format(days=self.days)


def wrong_period(*, case: Case, text: str) -> WrongPeriod | None:
    """The time limit `text` states for the next right, when it is not the one in force (None if the reply
    states none or the right one).

    The limit in force is the one the platform states and counts the deadline by when it issues the
    reply (`cases.services.case_reply`): the rule of the case's profile (`workflow.clocks.profile_for`),
    30 calendar days under the Regulations (Arts. 35, 36) unless the enterprise's profile shortens it. A
    reply telling another limit contradicts the platform's sentence in the same letter.
    """
    in_force = next_right_in_force(case=case, stage=case.stage)
    if in_force is None:
        return None
    right, days, unit = in_force
    for stated in stated_periods(text):
        if stated.remedy != right:
            continue  # naming another remedy is `wrong_remedy`'s to report
        if (stated.days, stated.unit) != (days, unit):
            return WrongPeriod(stated=stated, days=days, working=unit == "个工作日")
    return None


# A salutation naming the petitioner typed at the head of a line: "王建军同志：", "尊敬的李红女士:". The letter
# addresses the petitioner itself, from their record (documents.letters._addressee), and drops a salutation
# the reply opens with; typed into the text, the name is kept with the reply and shown on the case page to
# everyone who may read the case, where the petitioner's card shows it masked (王**).
_TYPED_SALUTATION = re.compile(
    r"^[ \t\u3000]*(?:尊敬的|亲爱的)?(?!各位|全体|广大|职工|员工|工友)([\u4e00-\u9fff]{2,4}(?:同志|先生|女士|师傅))[ \t\u3000]*[：:]",
    re.MULTILINE,
)


def typed_salutation(text: str) -> str:
    """The salutation naming someone that `text` has at the head of a line ("王建军同志"), or "".

    Read from the text alone: the petitioner's identity is neither decrypted nor compared.
    """
    match = _TYPED_SALUTATION.search(text or "")
    return match.group(1) if match else ""


def reply_check(*, case: Case, text: str) -> list[ElementView]:
    """Check `text` as it will be issued: the platform appends the next right and its deadline to
    every reply before the final stage that does not state them itself (cases.services.next_right_text,
    `reply_states_next_right`), so that sentence is checked with it; the final (re-review) opinion has no
    further right to state. A reply that names another remedy, or another time limit for the right one,
    fails the element: the letter would contradict itself."""
    appended = ""
    in_draft = case.stage in NEXT_STAGE and reply_states_next_right(case=case, stage=case.stage, text=text)
    if case.stage in NEXT_STAGE and not in_draft:
        # The checker reads Chinese; the letter goes out in Chinese whatever the staff UI language.
        with translation.override("zh-hans"):
            appended = next_right_text(
                stage=case.stage, due=None, period=next_request_period(case=case, stage=case.stage)
            )
    result = check_reply(petition_text=points_source(case), reply_text=f"{text}\n{appended}")
    named = wrong_remedy(stage=case.stage, text=text)
    period = None if named else wrong_period(case=case, text=text)
    views = []
    for name in ELEMENTS:
        element = result.elements[name]
        if name == "next_step" and named:
            right = NEXT_REMEDY_WORD.get(case.stage)
            if right:
                detail = gettext(
                    "The reply tells the petitioner to request {named}, but after this stage the right is to "
                    "request {right}: correct or delete that sentence (the platform adds the right one)."
                ).format(named=named, right=right)
            else:
                detail = gettext(
                    "The reply tells the petitioner to request {named}, but a re-review opinion is final: "
                    "delete that sentence."
                ).format(named=named)
            views.append(ElementView(name=name, label=ELEMENT_LABELS[name], ok=False, detail=detail))
            continue
        if name == "next_step" and period is not None:
            detail = gettext(
                "The reply states {stated} to request {what}, but the period in force is {expected}: correct or "
                "delete that sentence (the platform adds the right one)."
            ).format(stated=period.stated.text, what=period.stated.remedy, expected=period.expected)
            views.append(ElementView(name=name, label=ELEMENT_LABELS[name], ok=False, detail=detail))
            continue
        if name == "next_step" and case.stage not in NEXT_STAGE:
            continue
        views.append(
            ElementView(
                name=name,
                label=ELEMENT_LABELS.get(name, name),
                ok=element.ok,
                detail=element.detail,
                by_platform=name == "next_step" and bool(appended),
                in_draft=name == "next_step" and in_draft,
            )
        )
    salutation = typed_salutation(text)
    if salutation:
        # Shown only when found: a reply with no salutation has nothing to be told about it.
        views.append(
            ElementView(
                name="salutation",
                label=ELEMENT_LABELS["salutation"],
                ok=False,
                detail=gettext(
                    "The reply contains a salutation naming the petitioner (“{salutation}”). The letter adds the "
                    "salutation from the petitioner's record when it is issued: delete it here, and do not type the "
                    "name into the text (it would show to everyone who reads the case)."
                ).format(salutation=salutation),
            )
        )
    return views


def triage_reply_checker(case: Case, text: str) -> list[str]:
    """Registered in `huiyin.cases.hooks`: the missing elements as "label: detail" lines."""
    if not settings.HUIYIN_REPLY_CHECK:
        return []
    return [
        gettext("{label}: {detail}").format(label=e.label, detail=e.detail)
        for e in reply_check(case=case, text=text)
        if not e.ok
    ]
