from datetime import date

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huiyin.clock import days_left

register = template.Library()


def days_late(deadline) -> int:
    """Calendar days between the due day and the day the deadline was met (0 when met on time or still open)."""
    if not deadline.met_at:
        return 0
    met_on = timezone.localtime(deadline.met_at).date()
    return max(0, -days_left(due=deadline.due, today=met_on))


@register.simple_tag
def clock(deadline, today: date) -> dict:
    """State of a deadline for display: label, css class and the days left."""
    if deadline.cancelled_at:
        return {"css": "muted", "text": _("no longer applies")}
    if deadline.met_at:
        # Met after the end of the due day is a late completion, never "on time".
        late = days_late(deadline)
        if late > 0:
            text = ngettext("Completed {days} day late", "Completed {days} days late", late).format(days=late)
            return {"css": "soon late", "text": text, "late": late}
        return {"css": "ok", "text": _("Completed on time"), "late": 0}
    left = days_left(due=deadline.due, today=today)
    if left < 0 and deadline.party == "petitioner":
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
