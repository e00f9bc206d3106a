"""The written reply letter (Word): what the petitioner receives at the end of each stage.

It carries the reply, and the petitioner's next right with its deadline as the clock engine
computes it (marked provisional while it rests on a provisional holiday schedule). The
petitioner's identity is never unsealed for a letter: it is addressed to the masked name or
to "the petitioner"; the office adds the address when it posts the letter.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from huiyin.cases.models import Case, CaseReply
from huiyin.cases.services import next_right_text
from huiyin.cases.states import CaseStage
from huiyin.clock import never_shorter
from huiyin.org.models import OrgUnit
from huiyin.workflow import clocks
from huiyin.workflow.models import Deadline
from huiyin.workflow.services import NEXT_REQUEST_KIND

FALLBACK_FONT = "宋体"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class NextRight:
    text: str
    due: date | None
    provisional: bool
    article: str


def organisation_name(case: Case) -> str:
    """The letterhead: the configured organisation, else the group at the root of the case's unit."""
    if settings.HUIYIN_ORGANISATION_NAME:
        return settings.HUIYIN_ORGANISATION_NAME
    ids = [int(p) for p in case.unit.path.strip("/").split("/") if p]
    root = OrgUnit.objects.filter(pk=ids[0]).first() if ids else None
    return root.name if root is not None else case.unit.name


def next_right_for(reply: CaseReply) -> NextRight:
    """The petitioner's next right after `reply` and its deadline, computed by the engine.

    The running clock is authoritative (it is recomputed when an official schedule arrives and is
    never shorter than the date told in the reply); without one the engine computes it afresh.
    """
    case, stage = reply.case, reply.stage
    if stage not in NEXT_REQUEST_KIND:
        return NextRight(next_right_text(stage=stage, due=None), None, False, "")
    rule = NEXT_REQUEST_KIND[stage]
    issued = timezone.localtime(reply.issued_at).date()
    computed = clocks.compute(rule=rule, start=issued, profile=clocks.profile_for(case))
    deadline = Deadline.objects.filter(case=case, kind=rule, stage=stage).first()
    if deadline is not None:
        due, provisional = deadline.due, deadline.provisional
    else:
        kept = never_shorter(told=reply.next_right_due, new=computed)
        due, provisional = kept.due, kept.provisional
    return NextRight(next_right_text(stage=stage, due=due), due, provisional, computed.article)


def _set_fonts(document: Document, font: str) -> None:
    """Latin and East Asian font of the body; the font table names 宋体 as the fallback."""
    for style_name in ("Normal", "Title", "Heading 1"):
        try:
            style = document.styles[style_name]
        except KeyError:
            continue
        style.font.name = font
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = etree.SubElement(rpr, qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), font)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    document.styles["Normal"].font.size = Pt(12)
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            root = etree.fromstring(part.blob)
            for name, alt in ((font, FALLBACK_FONT), (FALLBACK_FONT, "SimSun")):
                node = etree.SubElement(root, qn("w:font"))
                node.set(qn("w:name"), name)
                etree.SubElement(node, qn("w:altName")).set(qn("w:val"), alt)
                etree.SubElement(node, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
                etree.SubElement(node, qn("w:family")).set(qn("w:val"), "auto")
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _title(stage: str) -> str:
    return {
        CaseStage.FIRST: _("Reply to a petition"),
        CaseStage.REVIEW: _("Review opinion on a petition"),
        CaseStage.RECHECK: _("Re-review opinion on a petition"),
    }[stage]


def _addressee(case: Case) -> str:
    if not case.anonymous and case.petitioner_id is not None:
        masked = case.petitioner.masked.get("name")
        if masked:
            return masked
    return _("Petitioner")


# A reply drafted as a whole letter opens with its own salutation ("信访人：", "张**同志：") and its own
# "现答复如下": the letter then does not say them a second time.
_SALUTATION = re.compile(r"^.{1,20}[：:]$")
_OWN_OPENING = "答复如下"


def _reply_blocks(text: str) -> list[str]:
    blocks = [block.strip() for block in text.splitlines() if block.strip()]
    if blocks and _SALUTATION.match(blocks[0]):
        blocks = blocks[1:]
    return blocks


# The word that names the next right of each stage in a reply that states it in its own words.
_RIGHT_WORDS = {CaseStage.FIRST: "复查", CaseStage.REVIEW: "复核", CaseStage.RECHECK: "不再受理"}


def _states_right(reply: CaseReply) -> bool:
    """The reply already tells the petitioner their next right (in the platform's sentence or in its own)."""
    right = next_right_text(stage=reply.stage, due=None)
    return right in reply.text or _RIGHT_WORDS.get(reply.stage, right) in reply.text


def _how_to_request(case: Case, organisation: str, *, portal_only: bool = False) -> str:
    portal = settings.HUIYIN_SITE_URL.rstrip("/") + reverse("portal:home")
    if portal_only:
        if case.anonymous:
            return _(
                "The request can also be made on the employee portal ({portal}) with the receipt code you were "
                "given; you stay anonymous."
            ).format(portal=portal)
        return _("The request can also be made on the employee portal ({portal}).").format(portal=portal)
    if case.anonymous:
        return _(
            "Send the request in writing to the petition office of {organisation}, or on the employee portal "
            "({portal}) with the receipt code you were given; you stay anonymous either way."
        ).format(organisation=organisation, portal=portal)
    return _(
        "Send the request in writing to the petition office of {organisation}, or on the employee portal ({portal})."
    ).format(organisation=organisation, portal=portal)


def _paragraph(document: Document, text: str, *, bold: bool = False, size: int | None = None, align=None) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def reply_letter_docx(*, reply: CaseReply) -> bytes:
    """The Word letter of `reply`, in the site's language."""
    case = reply.case
    with translation.override(settings.LANGUAGE_CODE):
        organisation = organisation_name(case)
        right = next_right_for(reply)
        issued = timezone.localtime(reply.issued_at).date()
        document = Document()
        _set_fonts(document, settings.HUIYIN_LETTER_FONT)
        document.core_properties.title = f"{_title(reply.stage)} {case.case_no}"
        document.core_properties.author = organisation
        _paragraph(document, organisation, bold=True, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(document, _title(reply.stage), bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(document, _("Case number: {case_no}").format(case_no=case.case_no), align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, _("{name}:").format(name=_addressee(case)))
        blocks = _reply_blocks(reply.text)
        if not any(_OWN_OPENING in block for block in blocks[:2]):
            _paragraph(
                document,
                _("We received your petition on {date} concerning “{subject}”. Our reply is as follows.").format(
                    date=formats.date_format(timezone.localtime(case.received_at).date(), "DATE_FORMAT"),
                    subject=case.subject,
                ),
            )
        for block in blocks:
            _paragraph(document, block)
        own_words = _states_right(reply)  # the reply check has the handler write the right into the reply
        if not own_words:
            _paragraph(document, right.text, bold=True)
        if right.due is not None:
            _paragraph(
                document,
                _("Deadline for your next step: {due}{mark}. Time limit under {article}.").format(
                    due=right.due.isoformat(),
                    mark=_(" (provisional)") if right.provisional else "",
                    article=right.article,
                ),
            )
        if right.provisional:
            _paragraph(
                document,
                _(
                    "This deadline is provisional: the official holiday schedule it depends on has not been "
                    "published yet. If the official schedule gives a later date, the later date applies; it will "
                    "never be earlier than the date above."
                ),
            )
        if reply.stage in NEXT_REQUEST_KIND:
            # Where and how: a right the letter does not say how to use is hard to use. A reply that states
            # the right in its own words also names where to send it; the letter then only adds the portal.
            _paragraph(document, _how_to_request(case, organisation, portal_only=own_words))
        _paragraph(document, "")
        _paragraph(document, organisation, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, formats.date_format(issued, "DATE_FORMAT"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
