"""The ledger (信访事项台账) as an Excel workbook: one row per case of the period, and the unit assessment.

For leadership and filing, so matter-level fields only: never the petitioner's identity, the content
or the persons accused. Written with openpyxl's write-only mode into a temporary file, so memory stays
flat whatever the number of rows; cells that look like formulas stay text (`documents.sheets`).
"""

from __future__ import annotations

import tempfile
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from huiyin.cases.states import CaseStage, CaseStatus, CaseType, Channel, Rating, Source
from huiyin.core.downloads import ExportTooLarge
from huiyin.documents.sheets import column_widths, header_row, text_cell
from huiyin.stats.periods import Period, local_zone
from huiyin.stats.selectors import Statistics, ledger_rows

DEFAULT_MAX_ROWS = 200_000
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"


def max_rows() -> int:
    return int(getattr(settings, "HUIYIN_STATS_LEDGER_MAX_ROWS", DEFAULT_MAX_ROWS))


def date_cell(ws: Any, value: date | None) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _on_time(row: dict, replied_on: date | None, today: date) -> str:
    due = row["hd__due"]
    if due is None:
        return ""
    if replied_on is not None:
        return _("Yes") if replied_on <= due else _("No")
    if row["hd__cancelled_at"] is not None:
        return ""
    return _("No") if due < today else _("Not yet due")


LEDGER_COLUMNS: list[tuple[Any, int]] = [
    (lambda: _("Case number"), 16),
    (lambda: _("Date received"), 12),
    (lambda: _("Channel"), 10),
    (lambda: _("Source"), 22),
    (lambda: _("Type"), 14),
    (lambda: _("Category"), 16),
    (lambda: _("Subject"), 44),
    (lambda: _("Handling unit"), 20),
    (lambda: _("Responsible leader"), 12),
    (lambda: _("State"), 14),
    (lambda: _("Statutory deadline"), 12),
    (lambda: _("Date replied"), 12),
    (lambda: _("Replied on time"), 10),
    (lambda: _("Extension days"), 10),
    (lambda: _("Satisfaction"), 12),
    (lambda: _("Review requested"), 10),
]


def _ledger_row(ws: Any, row: dict, today: date, language_en: bool) -> list:
    zone = local_zone()
    met_at = row["hd__met_at"]
    replied_on = met_at.astimezone(zone).date() if met_at is not None else None
    source = _label(Source, row["source"])
    if row["source"] == Source.FORWARDED and row["forwarded_authority"]:
        source = f"{source}（{row['forwarded_authority']}）"
    category = (row["category__name_en"] if language_en else "") or row["category__name_zh"] or ""
    state = _label(CaseStatus, row["status"])
    if row["stage"] != CaseStage.FIRST:
        state = f"{state}（{_label(CaseStage, row['stage'])}）"
    leader = row["responsible_leader__full_name"] or row["responsible_leader__username"] or ""
    extension = row["hd__extension_days"]
    return [
        text_cell(ws, row["case_no"]),
        date_cell(ws, row["received_at"].astimezone(zone).date()),
        text_cell(ws, _label(Channel, row["channel"])),
        text_cell(ws, source),
        text_cell(ws, _label(CaseType, row["type"])),
        text_cell(ws, category),
        text_cell(ws, row["subject"]),
        text_cell(ws, row["handling_unit__name"] or ""),
        text_cell(ws, leader),
        text_cell(ws, state),
        date_cell(ws, row["hd__due"]),
        date_cell(ws, replied_on),
        text_cell(ws, _on_time(row, replied_on, today)),
        extension if extension else None,
        text_cell(ws, _label(Rating, row["rt__rating"]) if row["rt__rating"] else ""),
        text_cell(ws, _("Yes") if row["stage"] != CaseStage.FIRST else _("No")),
    ]


UNIT_COLUMNS: list[tuple[Any, int]] = [
    (lambda: _("Handling unit"), 24),
    (lambda: _("Number of cases"), 8),
    (lambda: _("Replied"), 8),
    (lambda: _("Replied on time"), 10),
    (lambda: _("On-time rate"), 10),
    (lambda: _("Overdue, still open"), 10),
    (lambda: _("Extended"), 8),
    (lambda: _("Extension days"), 10),
    (lambda: _("Replies rated"), 8),
    (lambda: _("Satisfied or basically satisfied"), 12),
    (lambda: _("Satisfaction rate"), 10),
    (lambda: _("Review requests"), 10),
]


def _ratio_cell(ws: Any, value: float | None) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value / 100.0)
    cell.number_format = PERCENT_FORMAT
    return cell


def _unit_sheet(wb: Workbook, stats: Statistics) -> None:
    ws = wb.create_sheet(_("Unit assessment"))
    ws.freeze_panes = "A2"
    column_widths(ws, [w for _title, w in UNIT_COLUMNS])
    header_row(ws, [title() for title, _w in UNIT_COLUMNS])
    for u in [*stats.units, None]:
        if u is None:
            t = stats.totals
            name, figures = _("Total"), t
            cases = t.received
            extension_days = sum(unit.extension_days for unit in stats.units)
        else:
            name, figures, cases, extension_days = u.name, u, u.cases, u.extension_days
        ws.append(
            [
                text_cell(ws, name),
                cases,
                figures.replied,
                figures.on_time,
                _ratio_cell(ws, figures.on_time_rate),
                figures.overdue_open,
                figures.extended,
                extension_days,
                figures.rated,
                figures.satisfied,
                _ratio_cell(ws, figures.satisfaction_rate),
                figures.reviews,
            ]
        )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(UNIT_COLUMNS))}{len(stats.units) + 1}"


def ledger_xlsx(*, user: Any, period: Period, stats: Statistics, today: date | None = None) -> tuple[IO[bytes], int]:
    """The workbook of the period as an open temporary file positioned at its start, and its number of case rows.

    Raises `ExportTooLarge` (before building anything) when the period holds more cases than a ledger may.
    """
    today = today or timezone.localdate()
    limit = max_rows()
    count = stats.totals.received
    if count > limit:
        raise ExportTooLarge(
            _("The period holds {count} cases; a ledger holds at most {limit}. Choose a shorter period.").format(
                count=count, limit=limit
            )
        )
    language_en = (settings.LANGUAGE_CODE or "").startswith("en")
    wb = Workbook(write_only=True)
    wb.properties.title = _("Petition ledger {period}").format(period=period.label())
    wb.properties.creator = "Huiyin"
    ws = wb.create_sheet(_("Ledger"))
    ws.freeze_panes = "A2"
    column_widths(ws, [w for _title, w in LEDGER_COLUMNS])
    header_row(ws, [title() for title, _w in LEDGER_COLUMNS])
    rows = 0
    for row in ledger_rows(user=user, period=period):
        ws.append(_ledger_row(ws, row, today, language_en))
        rows += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LEDGER_COLUMNS))}{rows + 1}"
    _unit_sheet(wb, stats)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    wb.save(handle)
    handle.seek(0)
    return handle, rows
