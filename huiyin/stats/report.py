"""The analysis report (季度信访分析报告) as a Word document, written from the figures.

Plain sentences generated from `Statistics`, then the tables: totals, breakdowns, unit assessment, top
categories and, when the reader may see them, the hot issues of the period. Built like the reply
letters (`huiyin.documents.letters`): the same CJK fonts, in the site's language. About matters and
units only: no figure about any person.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from huiyin.core.dates import date_text
from huiyin.documents.word import a4_page, body_font, set_document_fonts, text_paragraph
from huiyin.stats.selectors import Statistics


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def compare_text(current: int, previous: int, *, year: bool) -> str:
    """How `current` compares with the previous period (or the same period a year earlier)."""
    if previous == 0:
        if year:
            return _("none were received in the same period a year earlier")
        return _("none were received in the previous period")
    diff = current - previous
    pct = f"{abs(diff) * 100.0 / previous:.1f}%"
    if diff > 0:
        message = (
            _("{n} more than in the same period a year earlier ({previous}), up {pct}")
            if year
            else _("{n} more than in the previous period ({previous}), up {pct}")
        )
    elif diff < 0:
        message = (
            _("{n} fewer than in the same period a year earlier ({previous}), down {pct}")
            if year
            else _("{n} fewer than in the previous period ({previous}), down {pct}")
        )
    else:
        message = (
            _("as many as in the same period a year earlier ({previous})")
            if year
            else _("as many as in the previous period ({previous})")
        )
    return message.format(n=abs(diff), previous=previous, pct=pct)


def _joined(items: Sequence[str]) -> str:
    return _(", ").join(items)


def summary_sentences(stats: Statistics) -> list[str]:
    """The report's text: one paragraph per theme, each a sentence built from the figures."""
    t = stats.totals
    period = stats.period.label()
    if stats.not_started:
        return [
            _("{period} begins on {first}, after today: there are no figures for it yet.").format(
                period=period, first=date_text(stats.period.first)
            )
        ]
    out = []
    if stats.compared_until is not None:
        out.append(
            _(
                "The period is not over: figures run to {day}, and the comparisons set its first {days} days "
                "against as many days of the earlier periods."
            ).format(day=date_text(stats.compared_until), days=(stats.compared_until - stats.period.first).days + 1)
        )
    out += [
        _(
            "In {period} {received} petition matters were received: {previous_cmp}; {year_cmp}. "
            "Of these, {accepted} were accepted, {not_accepted} not accepted, {redirected} redirected to another "
            "lawful procedure, {forwarded} forwarded to the body with jurisdiction, and {pending} await screening."
        ).format(
            period=period,
            received=t.received,
            previous_cmp=compare_text(t.received, stats.previous, year=False),
            year_cmp=compare_text(t.received, stats.year_before, year=True),
            accepted=t.accepted,
            not_accepted=t.not_accepted,
            redirected=t.redirected,
            forwarded=t.forwarded,
            pending=t.pending,
        )
    ]
    out.append(
        _(
            "{replied} of them have been replied to, {on_time} within the statutory time limit (on-time rate "
            "{on_time_rate}) and {late} late; {closed} are closed. {open} were still open at the end of the period, "
            "and {overdue} open matters are past their time limit. {extended} handling periods were extended."
        ).format(
            replied=t.replied,
            on_time=t.on_time,
            on_time_rate=_pct(t.on_time_rate),
            late=t.late,
            closed=t.closed,
            open=t.open_at_end,
            overdue=t.overdue_open,
            extended=t.extended,
        )
    )
    out.append(
        _(
            "{rated} replies were rated, {satisfied} of them satisfied or basically satisfied (satisfaction rate "
            "{satisfaction}); {reviews} matters went on to a review or re-review."
        ).format(rated=t.rated, satisfied=t.satisfied, satisfaction=_pct(t.satisfaction_rate), reviews=t.reviews)
    )
    out.append(
        _(
            "{collective} collective matters involved {people} people; {anonymous} matters ({share}) were "
            "submitted anonymously."
        ).format(
            collective=t.collective, people=t.collective_people, anonymous=t.anonymous, share=_pct(t.anonymous_share)
        )
    )
    channels = [s for s in sorted(stats.by_channel, key=lambda s: -s.n) if s.n][:3]
    types = [s for s in stats.by_type if s.n]
    if channels:
        out.append(
            _("Most matters came by {channels}. By type: {types}.").format(
                channels=_joined([_("{name} ({n})").format(name=s.label, n=s.n) for s in channels]),
                types=_joined([_("{name} ({n})").format(name=s.label, n=s.n) for s in types]),
            )
        )
    top = stats.top_categories[:5]
    if top:
        out.append(
            _("The categories raised most often were {categories}.").format(
                categories=_joined(
                    [_("{name} ({n}, {share})").format(name=s.label, n=s.n, share=_pct(s.share)) for s in top]
                )
            )
        )
    overdue = sorted(stats.units_with_overdue, key=lambda u: (-u.overdue_open, u.name))
    if overdue:
        out.append(
            _("Units with matters past their time limit: {units}. They should be followed up.").format(
                units=_joined([_("{name} ({n})").format(name=u.name, n=u.overdue_open) for u in overdue])
            )
        )
    if stats.hot_issues:
        out.append(
            _("Hot issues among the period's matters: {issues}.").format(
                issues=_joined([_("{name} ({n})").format(name=hot_issue_name(v), n=v.size) for v in stats.hot_issues])
            )
        )
    return out


def hot_issue_name(view) -> str:
    """A hot issue as the hot-issues page heads it: the subject that best names it (a petitioner's words,
    not a list of key words), else its key words, else its number."""
    if view.headline:
        return view.headline
    terms = view.terms[:4]
    return " ".join(terms) if terms else _("hot issue #{number}").format(number=view.number)


def _table(document: Document, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(title))
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    document.add_paragraph("")


# Headings are Word headings (the navigation pane and a table of contents find them), in 黑体 as Chinese
# reports set them, black rather than the template's theme blue.
HEADING_FONT = "黑体"


def _heading(document: Document, text: str) -> None:
    document.add_paragraph(text, style="Heading 1")


def _heading_style(document: Document) -> None:
    style = document.styles["Heading 1"]
    style.font.size = Pt(14)
    style.font.bold = True
    style.font.color.rgb = RGBColor(0, 0, 0)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), HEADING_FONT)
    style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(12), Pt(6)


def report_docx(*, stats: Statistics) -> bytes:
    """The Word report of `stats`. Call inside the language it is to be written in."""
    t = stats.totals
    period = stats.period
    document = Document()
    a4_page(document)
    set_document_fonts(document, body_font())
    _heading_style(document)
    title = _("Petition work analysis report, {period}").format(period=period.label())
    document.core_properties.title = title
    document.core_properties.author = settings.HUIYIN_ORGANISATION_NAME or "Huiyin"
    if settings.HUIYIN_ORGANISATION_NAME:
        text_paragraph(document, settings.HUIYIN_ORGANISATION_NAME, bold=True, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
    text_paragraph(document, title, bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    text_paragraph(
        document,
        _("Period: {first} to {last}. Prepared on {today}.").format(
            first=date_text(period.first), last=date_text(period.last), today=date_text(timezone.localdate())
        ),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    text_paragraph(
        document,
        _(
            "The figures cover the petition matters the author of this report may see; they concern matters and "
            "units, not individual people."
        ),
    )
    if stats.without_accusations:
        text_paragraph(
            document,
            _("Accusation reports are handled by the discipline inspection body and are not in these figures."),
        )

    _heading(document, _("1. Overview"))
    for sentence in summary_sentences(stats):
        text_paragraph(document, sentence)

    _heading(document, _("2. Summary figures"))
    _table(
        document,
        [_("Item"), _("Figure")],
        [
            (_("Cases received"), t.received),
            (_("Accepted"), t.accepted),
            (_("Not accepted, redirected or forwarded"), t.not_accepted_all),
            (_("Replied"), t.replied),
            (_("Replied on time"), f"{t.on_time} ({_pct(t.on_time_rate)})"),
            (_("Closed"), t.closed),
            (_("Open at the end of the period"), t.open_at_end),
            (_("Overdue, still open"), t.overdue_open),
            (_("Collective cases"), _("{n} ({people} people)").format(n=t.collective, people=t.collective_people)),
            (_("Anonymous"), f"{t.anonymous} ({_pct(t.anonymous_share)})"),
            (_("Satisfaction rate"), f"{t.satisfied}/{t.rated} ({_pct(t.satisfaction_rate)})"),
            (_("Review requests"), t.reviews),
            (_("Previous period"), stats.previous),
            (_("Same period a year earlier"), stats.year_before),
        ],
    )

    _heading(document, _("3. Breakdown"))
    for caption, shares, first in (
        (_("By channel"), stats.by_channel, _("Channel")),
        (_("By type"), stats.by_type, _("Type")),
        (_("By category"), stats.by_category, _("Category")),
    ):
        text_paragraph(document, caption, bold=True)
        _table(document, [first, _("Number of cases"), _("Share")], [(s.label, s.n, _pct(s.share)) for s in shares])

    _heading(document, _("4. Unit assessment"))
    _table(
        document,
        [
            _("Handling unit"),
            _("Number of cases"),
            _("Replied"),
            _("Replied on time"),
            _("On-time rate"),
            _("Overdue, still open"),
            _("Extended"),
            _("Satisfaction rate"),
            _("Review requests"),
        ],
        [
            (
                u.name,
                u.cases,
                u.replied,
                u.on_time,
                _pct(u.on_time_rate),
                u.overdue_open,
                u.extended,
                _pct(u.satisfaction_rate),
                u.reviews,
            )
            for u in stats.units
        ]
        + [
            (
                _("Total"),
                t.received,
                t.replied,
                t.on_time,
                _pct(t.on_time_rate),
                t.overdue_open,
                t.extended,
                _pct(t.satisfaction_rate),
                t.reviews,
            )
        ],
    )

    _heading(document, _("5. Monthly trend"))
    _table(
        document,
        [_("Month"), _("Cases received"), _("Replies issued")],
        [(formats.date_format(p.month, "YEAR_MONTH_FORMAT"), p.received, p.replied) for p in stats.trend],
    )

    # The categories are in section 3 (all of them); this section adds what the categories do not show.
    _heading(document, _("6. Hot issues"))
    if stats.hot_issues:
        _table(
            document,
            [_("Hot issue"), _("Cases in the period"), _("Units"), _("People")],
            [(hot_issue_name(v), v.size, v.units, v.headcount) for v in stats.hot_issues],
        )
    else:
        text_paragraph(document, _("No hot issue among the period's matters that you may see."))
    text_paragraph(document, "")
    text_paragraph(document, formats.date_format(timezone.localdate(), "DATE_FORMAT"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
