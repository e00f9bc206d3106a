"""The data of the page's charts, passed to `stats/stats.js` with json_script (no inline script: CSP).

Only numbers and labels already on the page; every chart has a table with the same numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from huiyin.stats.selectors import Statistics

MAX_UNITS = 20


def month_label(month) -> str:
    return f"{month.year}-{month.month:02d}"


def chart_data(stats: Statistics) -> dict:
    units = [u for u in stats.units if u.cases][:MAX_UNITS]
    # Every category the table lists, uncategorised included: the chart and the table tell the same story.
    top = [s for s in stats.by_category if s.n]
    return {
        "trend": {
            "labels": [month_label(p.month) for p in stats.trend],
            "received": [p.received for p in stats.trend],
            "replied": [p.replied for p in stats.trend],
            "received_label": _("Cases received"),
            "replied_label": _("Replies issued"),
        },
        "channel": {"items": [{"name": s.label, "value": s.n} for s in stats.by_channel if s.n]},
        "type": {"items": [{"name": s.label, "value": s.n} for s in stats.by_type if s.n]},
        "category": {"labels": [s.label for s in top], "values": [s.n for s in top], "label": _("Number of cases")},
        "unit": {
            "labels": [u.name for u in units],
            "cases": [u.cases for u in units],
            "on_time": [u.on_time for u in units],
            "late": [u.late for u in units],
            "cases_label": _("Number of cases"),
            "on_time_label": _("Replied on time"),
            "late_label": _("Replied late"),
        },
    }
