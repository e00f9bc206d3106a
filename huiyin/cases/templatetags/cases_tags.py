from datetime import date

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from huiyin.clock import days_left

register = template.Library()


@register.simple_tag
def clock(deadline, today: date) -> dict:
    """State of a deadline for display: label, css class and the days left."""
    if deadline.cancelled_at:
        return {"css": "muted", "text": _("no longer applies")}
    if deadline.met_at:
        return {"css": "ok", "text": _("met")}
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
