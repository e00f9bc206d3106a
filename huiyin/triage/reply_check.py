"""The reply check of the case page: does a draft answer each point raised, cite a basis, state the
next right and its deadline, and leave no template blank (huiyin.nlp.replycheck)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiyin.cases.models import Case, EventKind
from huiyin.cases.services import next_right_text
from huiyin.cases.states import NEXT_STAGE, CaseStage
from huiyin.nlp.replycheck import ELEMENTS, check_reply

ELEMENT_LABELS: dict[str, Promise] = {
    "points": _("Answers every point raised"),
    "basis": _("Cites a basis (policy or rule)"),
    "next_step": _("States the next right and its deadline"),
    "blanks": _("Leaves no template blank"),
}


@dataclass(frozen=True)
class ElementView:
    name: str
    label: Promise
    ok: bool
    detail: str
    by_platform: bool = False


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


def reply_check(*, case: Case, text: str) -> list[ElementView]:
    """Check `text` as it will be issued: the platform appends the next right and its deadline to
    every reply before the final stage (cases.services.next_right_text), so that sentence is checked
    with it; the final (re-review) opinion has no further right to state."""
    appended = ""
    if case.stage in NEXT_STAGE:
        # The checker reads Chinese; the letter goes out in Chinese whatever the staff UI language.
        with translation.override("zh-hans"):
            appended = next_right_text(stage=case.stage, due=None)
    result = check_reply(petition_text=points_source(case), reply_text=f"{text}\n{appended}")
    views = []
    for name in ELEMENTS:
        element = result.elements[name]
        if name == "next_step" and not appended:
            continue
        views.append(
            ElementView(
                name=name,
                label=ELEMENT_LABELS.get(name, name),
                ok=element.ok,
                detail=element.detail,
                by_platform=name == "next_step" and bool(appended),
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
