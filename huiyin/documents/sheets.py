"""Cells and layout shared by the Excel exports (the petition ledger, the audit log).

Text that a spreadsheet would read as a formula (= + - @, a leading tab or carriage return) is stored as
a string cell marked with Excel's quote prefix: it shows as the text it is, and stays text when edited.
Exports are written with openpyxl's write-only mode, so every helper here makes write-only cells.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws: Any, value: str) -> Any:
    """A string cell; one a spreadsheet would take for a formula is kept as text with the quote prefix."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value  # a plain string: no cell object needed (most cells; keeps big exports fast)
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never "f": the value is written as a string, not a formula
    cell.quotePrefix = True
    return cell


def header_row(ws: Any, titles: list[str]) -> None:
    """Append `titles` as the sheet's bold header row."""
    bold = Font(bold=True)
    row = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        cell.alignment = Alignment(vertical="center")
        row.append(cell)
    ws.append(row)


def column_widths(ws: Any, widths: list[int]) -> None:
    """Set the widths of the first columns (call before appending rows: write-only sheets need them first)."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
