"""The ledger (xlsx) and the analysis report (docx): they open, hold the right rows and figures, keep
identities out, neutralise formulas, and are written to the audit log as exports."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.stats.ledger import LEDGER_COLUMNS, UNIT_COLUMNS
from huiyin.stats.report import compare_text
from huiyin.stats.tests.conftest import at
from huiyin.triage.models import HotIssue, HotIssueCase, HotIssueRun


def _get(client, name, period):
    return client.get(reverse(name), {"from": period.first.isoformat(), "to": period.last.isoformat()})


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith("attachment;")
    data = _body(response)
    return load_workbook(io.BytesIO(data)), data


def _titles(columns):
    with translation.override(settings.LANGUAGE_CODE):
        return [title() for title, _width in columns]


def test_ledger_has_headers_rows_and_typed_dates(client, office, scenario, b_case, org):
    client.force_login(office)
    wb, _data = _workbook(_get(client, "stats:ledger", scenario.period))
    ledger, units = wb.worksheets
    rows = list(ledger.iter_rows(values_only=True))
    assert list(rows[0]) == _titles(LEDGER_COLUMNS)
    assert len(rows) == 1 + 5  # the five cases of company A, not company B's
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {
        c.case_no for c in (scenario.on_time, scenario.late, scenario.extended, scenario.overdue, scenario.pending)
    }
    assert b_case.case_no not in numbers
    by_no = {r[0]: r for r in rows[1:]}
    on_time = by_no[scenario.on_time.case_no]
    received = on_time[1]
    assert isinstance(received, datetime)  # typed as a date, not text
    assert received.date() == timezone.localtime(scenario.on_time.received_at).date()
    assert ledger.cell(row=2, column=2).is_date and ledger.cell(row=2, column=2).number_format == "yyyy-mm-dd"
    assert isinstance(on_time[10], datetime) and isinstance(on_time[11], datetime)  # deadline, replied
    with translation.override(settings.LANGUAGE_CODE):
        yes, no = translation.gettext("Yes"), translation.gettext("No")
    assert on_time[12] == yes
    assert by_no[scenario.late.case_no][12] == no
    assert by_no[scenario.extended.case_no][12] == yes and by_no[scenario.extended.case_no][13] == 30
    assert by_no[scenario.overdue.case_no][12] == no  # past due and not replied
    assert by_no[scenario.pending.case_no][12] is None  # not accepted yet: no handling clock
    assert by_no[scenario.late.case_no][15] == yes  # review requested
    assert on_time[8] == "赵领导"  # the responsible leader, by name
    assert ledger.freeze_panes == "A2"
    assert ledger.auto_filter.ref == f"A1:P{len(rows)}"
    # The second sheet: the unit assessment with a total row.
    unit_rows = list(units.iter_rows(values_only=True))
    assert list(unit_rows[0]) == _titles(UNIT_COLUMNS)
    plant = next(r for r in unit_rows if r[0] == org["a_plant"].name)
    assert plant[1:4] == (4, 3, 2)
    assert plant[4] == pytest.approx(2 / 3, abs=0.001)


def test_ledger_holds_no_identity_or_content(client, office, scenario):
    client.force_login(office)
    _wb, data = _workbook(_get(client, "stats:ledger", scenario.period))
    text = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    decoded = text.decode("utf-8", errors="ignore")
    assert "刘某某" not in decoded and "13800001111" not in decoded and "E20190001" not in decoded
    assert "加班费至今未发放" not in decoded  # the content of the petition


@pytest.mark.parametrize("subject", ['=HYPERLINK("http://x.invalid","点我")', "+1+2", "-3+4", "@SUM(A1:A2)"])
def test_ledger_neutralises_formula_injection(client, office, make_case, period, subject):
    case = make_case(subject=subject, received_at=at(period.first + timedelta(days=1)))
    client.force_login(office)
    wb, data = _workbook(_get(client, "stats:ledger", period))
    ws = wb.worksheets[0]
    cell = next(row[6] for row in ws.iter_rows(min_row=2) if row[0].value == case.case_no)
    assert cell.value == subject  # the text as written
    assert cell.data_type == "s"  # a string, never a formula
    assert cell.quotePrefix  # Excel's "text, though it looks like a formula" mark
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_text_cell_handles_tab_and_carriage_return():
    from openpyxl import Workbook

    from huiyin.documents.sheets import text_cell

    ws = Workbook(write_only=True).create_sheet()
    for value in ("\tcmd", "\rcmd", "=1+1"):
        cell = text_cell(ws, value)
        assert cell.data_type == "s" and cell.quotePrefix
    assert text_cell(ws, "食堂价格") == "食堂价格"
    assert text_cell(ws, "食堂\x07价格") == "食堂价格"  # a control character Excel refuses is dropped


def test_ledger_is_an_audited_export(client, office, scenario):
    client.force_login(office)
    _workbook(_get(client, "stats:ledger", scenario.period))
    record = AuditRecord.objects.get(action=AuditAction.EXPORT)
    assert record.actor_id == office.pk
    assert record.detail["document"] == "stats_ledger"
    assert record.detail["from"] == scenario.period.first.isoformat()
    assert record.detail["to"] == scenario.period.last.isoformat()
    assert record.detail["n"] == 5


def test_ledger_refuses_a_period_with_too_many_cases(client, office, scenario, settings):
    settings.HUIYIN_STATS_LEDGER_MAX_ROWS = 3
    client.force_login(office)
    response = _get(client, "stats:ledger", scenario.period)
    assert response.status_code == 400
    assert "5" in response.content.decode()
    assert not AuditRecord.objects.filter(action=AuditAction.EXPORT).exists()


def _docx_text(response) -> tuple[str, list[list[str]]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return text, cells


def test_report_contains_the_figures(client, office, scenario, org):
    client.force_login(office)
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    with translation.override(settings.LANGUAGE_CODE):
        period_label = scenario.period.label()
    assert period_label in text
    assert "66.7%" in text  # on-time rate and satisfaction rate in the sentences
    plant = next(row for row in cells if row[0] == org["a_plant"].name)
    assert plant[1:4] == ["4", "3", "2"]
    assert plant[4] == "66.7%"
    assert any(row[1:2] == ["5"] for row in cells)  # received, in the summary table
    # Found in a walk-through: the collective row read "0 (0 people)" in the Chinese report.
    assert ["集体信访", "0件（0人）"] in cells
    record = AuditRecord.objects.get(action=AuditAction.EXPORT)
    assert record.detail["document"] == "stats_report" and record.actor_id == office.pk


def test_report_has_no_identity(client, office, scenario):
    client.force_login(office)
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    everything = text + str(cells)
    assert "刘某某" not in everything and "13800001111" not in everything
    assert "张承办" not in everything  # no handler is named, let alone ranked


def _hot_issue(cases, now):
    run = HotIssueRun.objects.create(started_at=now, finished_at=now, since=now - timedelta(days=400), window_days=7)
    issue = HotIssue.objects.create(
        run=run,
        number=1,
        rank=1,
        size=len(cases),
        top_terms=["夜班补贴", "拖欠"],
        first_at=min(c.received_at for c in cases),
        last_at=max(c.received_at for c in cases),
    )
    for case in cases:
        HotIssueCase.objects.create(issue=issue, case=case, received_at=case.received_at, unit=case.unit)
    return issue


def test_report_lists_hot_issues_only_to_those_who_may_see_them(client, office, discipline, scenario):
    _hot_issue([scenario.on_time, scenario.late, scenario.extended], timezone.now())
    client.force_login(office)
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    # Named as the hot-issues page heads it, by the subject that best names it, not by its key words.
    assert "本期热点问题：夜班补贴核算（3件）" in text
    assert any(row[0] == "夜班补贴核算" for row in cells) and "夜班补贴 拖欠" not in text
    client.force_login(discipline)  # no right to see hot issues
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    assert "夜班补贴" not in text + str(cells)


def test_report_counts_a_hot_issue_on_the_periods_cases_only(client, office, scenario, make_case):
    """An issue running past the period's end: its row counts the two cases received in the period."""
    after = at(scenario.period.last + timedelta(days=3))
    later = [make_case(subject=f"夜班补贴拖欠{i}", received_at=after) for i in range(2)]
    _hot_issue([scenario.on_time, scenario.late, *later], timezone.now())
    client.force_login(office)
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    row = next(row for row in cells if row[0].startswith("夜班补贴"))
    assert row[1] == "2"  # not 4
    assert f"{row[0]}（2件）" in text


def test_report_leaves_out_a_hot_issue_with_one_case_in_the_period(client, office, scenario, make_case):
    after = at(scenario.period.last + timedelta(days=3))
    later = [make_case(subject=f"夜班补贴拖欠{i}", received_at=after) for i in range(3)]
    _hot_issue([scenario.on_time, *later], timezone.now())
    client.force_login(office)
    text, cells = _docx_text(_get(client, "stats:report", scenario.period))
    assert "夜班补贴" not in text + str(cells)


def test_report_is_laid_out_as_offices_expect(client, office, scenario):
    """Found in a walk-through: every paragraph was Normal (no headings), in a screen font, the months read
    2026-10, and section 6 repeated the category table of section 3."""
    client.force_login(office)
    response = _get(client, "stats:report", scenario.period)
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、总体情况" and headings[-1] == "六、热点问题" and len(headings) == 6
    rfonts = document.styles["Heading 1"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    assert document.styles["Normal"].font.name == "仿宋"
    months = [row.cells[0].text for t in document.tables for row in t.rows[1:] if t.rows[0].cells[0].text == "月份"]
    assert months and all(re.fullmatch(r"\d{4}年\d{1,2}月", m) for m in months)
    category_tables = [t for t in document.tables if t.rows[0].cells[0].text == "问题类别"]
    assert len(category_tables) == 1
    assert "本期间没有您有权查看的热点问题。" in "\n".join(p.text for p in document.paragraphs)


def test_compare_text_reads_the_change():
    with translation.override("en"):
        assert compare_text(12, 10, year=False) == "2 more than in the previous period (10), up 20.0%"
        assert compare_text(5, 10, year=True) == "5 fewer than in the same period a year earlier (10), down 50.0%"
        assert compare_text(3, 3, year=False) == "as many as in the previous period (3)"
        assert compare_text(3, 0, year=False) == "none were received in the previous period"


def test_report_is_on_a4_paper(client, office, scenario):
    """Found in a walk-through: the report came on python-docx's US Letter; offices print on A4."""

    client.force_login(office)
    section = Document(io.BytesIO(_get(client, "stats:report", scenario.period).content)).sections[0]
    # Stored in twips: within a tenth of a millimetre.
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    assert abs(section.left_margin.mm - 28) < 0.1 and abs(section.right_margin.mm - 26) < 0.1


def test_a_period_not_begun_claims_no_fall(client, office, scenario):
    """Found in a walk-through: next quarter's report said received fell 100% on the previous period."""
    from huiyin.stats.periods import Period

    today = timezone.localdate()
    coming = Period(today + timedelta(days=10), today + timedelta(days=100))
    client.force_login(office)
    text, _cells = _docx_text(_get(client, "stats:report", coming))
    assert "尚无统计数据" in text
    assert "下降" not in text and "减少" not in text
    page = _get(client, "stats:overview", coming).content.decode()
    assert 'id="not-started"' in page
    assert 'id="not-started"' not in _get(client, "stats:overview", scenario.period).content.decode()


def test_figures_without_accusations_say_so(client, office, discipline, scenario):
    """Found in a walk-through: the executive's figures showed 0 accusation reports and a smaller total, without
    a word that the discipline compartment's cases are not theirs to count."""
    client.force_login(office)
    note = "检举控告事项由纪检监察机构办理，不在本统计之内。"
    assert note in _docx_text(_get(client, "stats:report", scenario.period))[0]
    assert note in _get(client, "stats:overview", scenario.period).content.decode()
    client.force_login(discipline)
    assert note not in _docx_text(_get(client, "stats:report", scenario.period))[0]
    assert note not in _get(client, "stats:overview", scenario.period).content.decode()
