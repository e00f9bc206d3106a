from datetime import date

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from huiyin.cases import states
from huiyin.cases.models import CaseRating, EventKind
from huiyin.clock import days_left
from huiyin.workflow.models import DeadlineKind, Party

register = template.Library()


def days_late(deadline) -> int:
    """Calendar days between the due day and the day the deadline was met (0 when met on time or still open)."""
    if not deadline.met_at:
        return 0
    met_on = timezone.localtime(deadline.met_at).date()
    return max(0, -days_left(due=deadline.due, today=met_on))


# A petitioner's request window is met when the request is made (the next stage is accepted then).
_REQUEST_USED = {
    DeadlineKind.REVIEW_REQUEST: gettext_noop("Used: review requested"),
    DeadlineKind.RECHECK_REQUEST: gettext_noop("Used: re-review requested"),
}


def petitioner_window_state(deadline) -> dict:
    """A petitioner's window that is no longer open: used by the petitioner, or not used.

    The platform marks such a window met when the case moves on (a request accepted, the case
    closed), not only when the petitioner acts: the rating window is also met when the case is
    closed without a rating after it lapsed. So the time it was met says nothing about lateness;
    what the petitioner did does.
    """
    if deadline.kind in _REQUEST_USED:
        # Met only by the request itself, which is refused once the window has ended.
        return {"css": "ok", "text": _(_REQUEST_USED[deadline.kind]), "late": 0}
    if deadline.kind == DeadlineKind.RATING:
        if CaseRating.objects.filter(case_id=deadline.case_id, stage=deadline.stage).exists():
            return {"css": "ok", "text": _("Used: rated"), "late": 0}
        if days_late(deadline) > 0:
            return {"css": "muted", "text": _("Period ended: not rated"), "late": 0}
        # Closed, or a review requested, before the window ended.
        return {"css": "muted", "text": _("Not rated"), "late": 0}
    return {"css": "ok", "text": _("Completed on time"), "late": 0}


@register.simple_tag
def clock(deadline, today: date) -> dict:
    """State of a deadline for display: label, css class and the days left."""
    if deadline.cancelled_at:
        return {"css": "muted", "text": _("no longer applies")}
    if deadline.met_at and deadline.party == Party.PETITIONER:
        return petitioner_window_state(deadline)
    if deadline.met_at:
        # Met after the end of the due day is a late completion, never "on time".
        late = days_late(deadline)
        if late > 0:
            text = ngettext("Completed {days} day late", "Completed {days} days late", late).format(days=late)
            return {"css": "soon late", "text": text, "late": late}
        return {"css": "ok", "text": _("Completed on time"), "late": 0}
    left = days_left(due=deadline.due, today=today)
    if left < 0 and deadline.party == Party.PETITIONER:
        # A petitioner's window is never overdue for the unit: it simply lapses.
        return {"css": "muted", "text": _("window closed")}
    if left < 0:
        return {"css": "overdue", "text": _("overdue by {n} days").format(n=-left)}
    if left <= settings.HUIYIN_DUE_SOON_DAYS:
        return {"css": "soon", "text": _("{n} days left").format(n=left)}
    return {"css": "running", "text": _("{n} days left").format(n=left)}


@register.filter
def status_css(status: str) -> str:
    return f"st-{status}"


# Each stage's answer under its own name (答复, 复查意见, 复核意见), and its drafts (答复稿, 复查意见稿 …).

register.filter("reply_label", states.reply_label)
register.filter("draft_label", states.draft_label)


@register.filter
def event_label(event) -> str:
    """The timeline's name of an event; a draft's submission or return names the stage's answer."""
    if event.kind == EventKind.DRAFT_SUBMITTED:
        return _("Draft {answer} submitted for sign-off").format(answer=states.reply_noun(event.stage))
    if event.kind == EventKind.DRAFT_RETURNED:
        return _("Draft {answer} returned for revision").format(answer=states.reply_noun(event.stage))
    return event.get_kind_display()
