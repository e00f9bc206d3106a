"""The audit log as an Excel workbook, for an auditor's file: the records a filter selects, newest first.

Each row reads as the log page does (names, labelled details) and keeps what a check needs: the stored
detail as JSON, the object as stored, and both hashes. A second sheet says who exported what, when, and
how to verify the chain. Written in write-only mode into a temporary file, chunk by chunk, so memory stays
flat; cells that look like formulas stay text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.presentation import (
    detail_items,
    detail_raw,
    labelled,
    object_labels,
    page_names,
    person_label,
)
from huiyin.audit.services import last_check
from huiyin.core.dates import datetime_text
from huiyin.core.downloads import ExportTooLarge
from huiyin.documents.sheets import column_widths, header_row, text_cell

DEFAULT_MAX_ROWS = 100_000
CHUNK = 2000
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def max_rows() -> int:
    return int(getattr(settings, "HUIYIN_AUDIT_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _columns() -> list[tuple[str, int]]:
    return [
        (_("Sequence"), 9),
        (_("Time"), 20),
        (_("Actor"), 18),
        (_("Action"), 18),
        (_("Object"), 22),
        (_("Detail"), 60),
        (_("Raw data"), 40),
        (_("Object as stored"), 22),
        (_("Previous hash"), 20),
        (_("Hash"), 20),
    ]


def _chunks(qs: QuerySet[AuditRecord]) -> Iterator[list[AuditRecord]]:
    records = qs.iterator(chunk_size=CHUNK)
    while chunk := list(islice(records, CHUNK)):
        yield chunk


def _time_cell(ws: Any, record: AuditRecord) -> Any:
    # Excel has no time zones: the local time, as the page shows it.
    # Whole seconds, as the page shows them (a spreadsheet would round 12:19:39.990 up to 12:19:40).
    cell = WriteOnlyCell(ws, value=timezone.localtime(record.at).replace(tzinfo=None, microsecond=0))
    cell.number_format = TIME_FORMAT
    return cell


def _rows(ws: Any, chunk: list[AuditRecord], user: Any, actions: dict[str, str]) -> Iterator[list[Any]]:
    names = page_names(chunk)
    labels = object_labels(chunk, user)
    for r in chunk:
        items = detail_items(r, names)
        yield [
            r.seq,
            _time_cell(ws, r),
            text_cell(ws, names.actor(r)),
            text_cell(ws, actions.get(r.action, r.action)),
            text_cell(ws, labels[r.pk].text),
            text_cell(ws, "\n".join(labelled(item.label, item.value) for item in items)),
            text_cell(ws, detail_raw(r)),
            text_cell(ws, labels[r.pk].raw),
            r.prev_hash,
            r.hash,
        ]


def _about(wb: Workbook, *, user: Any, filters: list[tuple[str, str]], rows: int) -> None:
    ws = wb.create_sheet(_("About this export"))
    column_widths(ws, [18, 90])
    check = last_check()
    if check is None:
        checked = _("The chain has not been verified yet.")
    else:
        outcome = _("intact") if check.detail.get("intact") else _("broken")
        checked = _("%(when)s by %(who)s: %(outcome)s, %(count)s records checked") % {
            "when": datetime_text(check.at),
            "who": page_names([check]).actor(check),
            "outcome": outcome,
            "count": check.detail.get("checked", "—"),
        }
    lines = [
        (_("Exported by"), person_label(user.username, getattr(user, "full_name", ""))),
        (_("Exported at"), datetime_text(timezone.now())),
        (_("Filter"), _("; ").join(labelled(label, value) for label, value in filters) or _("None (the whole log)")),
        (_("Records"), str(rows)),
        (_("Last verification"), checked),
        (
            _("How to verify"),
            _(
                "Each record's hash covers its content and the previous record's hash, so a changed, removed or "
                "reordered record breaks the chain. Verify the live log with 'Verify the chain' on the audit log "
                "page or with `python manage.py audit verify`."
            ),
        ),
    ]
    for label, value in lines:
        ws.append([text_cell(ws, str(label)), text_cell(ws, str(value))])


def audit_log_xlsx(qs: QuerySet[AuditRecord], *, user: Any, filters: list[tuple[str, str]]) -> tuple[IO[bytes], int]:
    """The workbook of the records `qs` selects as an open temporary file at its start, and its number of rows.

    `filters` are the filters in use as (label, value), for the second sheet.
    Raises `ExportTooLarge` (before building anything) when they are more than an export may hold.
    """
    limit = max_rows()
    count = qs.count()
    if count > limit:
        raise ExportTooLarge(
            _("The filter selects {count} records; an export holds at most {limit}. Narrow the filter.").format(
                count=count, limit=limit
            )
        )
    wb = Workbook(write_only=True)
    wb.properties.title = _("Audit log")
    wb.properties.creator = "Huiyin"
    ws = wb.create_sheet(_("Audit log"))
    ws.freeze_panes = "A2"
    columns = _columns()
    column_widths(ws, [width for _title, width in columns])
    header_row(ws, [title for title, _width in columns])
    actions = {value: str(label) for value, label in AuditAction.choices}
    rows = 0
    for chunk in _chunks(qs):
        for row in _rows(ws, chunk, user, actions):
            ws.append(row)
            rows += 1
    _about(wb, user=user, filters=filters, rows=rows)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    wb.save(handle)
    handle.seek(0)
    return handle, rows
