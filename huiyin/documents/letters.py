"""The written reply letter (Word): what the petitioner receives at the end of each stage.

It carries the reply, and the petitioner's next right with its deadline as the clock engine
computes it (marked provisional while it rests on a provisional holiday schedule). A letter is
sent, so it never shows a masked name: it is addressed by the petitioner's name only when the
person generating it is entitled to the identity (`people.services.petitioner_name_for_letter`,
which records the view in the audit log), otherwise to "the petitioner" (信访人); the office adds
the address when it posts the letter.

It is headed and signed by the body that handled the stage it answers (`huiyin.org.tree`), and
names the body above that one for the next stage: the rule by which the next stage is assigned
(`huiyin.workflow.review`).

Layout follows GB/T 9704-2012 (党政机关公文格式) as far as a letter needs it: A4, margins 37/35/28/26 mm,
title at 二号 in 小标宋, body at 三号 in 仿宋 on a fixed 28.95 pt line, first lines indented two
characters, the issuing unit and the date (年月日 in Arabic numerals, no leading zeros) at the foot,
no blank paragraphs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from huiyin.cases.models import Case, CaseReply, EventKind
from huiyin.cases.selectors import stage_handling_unit
from huiyin.cases.services import NEXT_REMEDY_WORD, next_request_period, next_right_text, reply_states_next_right
from huiyin.cases.states import CaseStage, Compartment
from huiyin.clock import never_shorter
from huiyin.documents.word import BODY_FONT, FALLBACK_FONT, a4_page
from huiyin.documents.word import body_font as _body_font
from huiyin.nlp.replycheck import stated_periods
from huiyin.org.models import OrgUnit, UnitKind
from huiyin.org.tree import BODY_KINDS, counterpart_in, handling_body, superior_body, unit_chain
from huiyin.people.services import petitioner_name_for_letter
from huiyin.portal.services import portal_reachable
from huiyin.workflow import clocks
from huiyin.workflow.models import Deadline
from huiyin.workflow.services import NEXT_REQUEST_KIND

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Fonts of the letter. Word keeps the font *name* written in the file and substitutes only on a machine
# that lacks it, so the letter names the fonts GB/T 9704 asks for: 仿宋 (FangSong, on every Windows and in
# WPS; the standard's 仿宋_GB2312 is no longer shipped with Windows) for the body and 方正小标宋简体 for the
# title (installed on practically every office PC that prints 公文). The font table gives each its
# GB2312 charset and serif family, so where one is missing (a Linux box with only Noto CJK, an office PC
# without 小标宋) Word and LibreOffice substitute a serif Chinese face (宋体 / Noto Serif CJK SC), not a
# sans one. Latin letters and digits use Times New Roman, as most 公文 templates do. The site's
# HUIYIN_LETTER_FONT is honoured when an operator sets it; its shipped default is a screen font (Noto
# Sans CJK SC), which is not fit for an official letter and is replaced by 仿宋.
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
_FONT_TABLE = (  # name, alternative name, family
    (BODY_FONT, "FangSong", "modern"),
    (TITLE_FONT, FALLBACK_FONT, "roman"),
    (FALLBACK_FONT, "SimSun", "auto"),
)
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
LINE_PITCH = 28.95  # GB/T 9704: 22 lines on the 225 mm text block
INDENT = 2 * BODY_SIZE  # two characters

_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}  # noqa: S104 - compared, not bound


@dataclass(frozen=True)
class NextRight:
    text: str
    due: date | None
    provisional: bool
    article: str


def letter_date(value: date) -> str:
    """A date as official Chinese documents write it: 2026年1月5日 (Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def chinese_dates(text: str) -> str:
    """`text` with every ISO date (2026-12-24) written as 2026年12月24日, and no space left around it."""

    def convert(match: re.Match[str]) -> str:
        try:
            return letter_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:  # not a date (2026-13-40): left as written
            return match[0]

    text = _ISO_DATE.sub(convert, text)
    # "可于 2026年12月24日 前": the spaces set a Latin date apart; between Chinese characters they are gaps.
    return re.sub(rf"(?<={_CJK}) +(?=\d{{4}}年)|(?<=\d日) +(?={_CJK})", "", text)


# Units ---------------------------------------------------------------------------------------------


def unit_formal_name(unit: OrgUnit) -> str:
    """The name a unit signs with.

    The group may carry the configured organisation name (HUIYIN_ORGANISATION_NAME). A branch is named
    after the company it belongs to (企业名称登记管理规定: 分支机构名称冠以所属企业名称), so a branch stored
    as "港口储运分公司" signs as "衡兴物流有限公司港口储运分公司"; a department (only a discipline office
    signs in its own name, see `letter_issuer`) likewise carries the name of the unit it belongs to.
    """
    if unit.parent_id is None:
        return settings.HUIYIN_ORGANISATION_NAME or unit.name
    if unit.kind in (UnitKind.BRANCH, UnitKind.DEPARTMENT):
        parent = next((u for u in reversed(unit_chain(unit)[:-1]) if u.kind in BODY_KINDS), None)
        if parent is not None:
            parent_name = unit_formal_name(parent)
            if not unit.name.startswith(parent_name):
                return parent_name + unit.name
    return unit.name


def _review_body(issuer: OrgUnit) -> str:
    """The body named in the letter as the one to ask for the next stage.

    The superior's petition office; for a letter a discipline office signed, the superior's office of
    the same name (a discipline matter is reviewed by the discipline body one level up).
    """
    organ = superior_body(issuer)
    if organ is None:
        return _("the authority one level above the unit that handled the matter")
    name = unit_formal_name(organ)
    office = counterpart_in(organ, issuer)
    if office is None:
        office = OrgUnit.objects.filter(parent=organ, is_petition_office=True).order_by("path").first()
    if office is not None:
        return office.name if office.name.startswith(name) else name + office.name
    return _("the petition office of {organisation}").format(organisation=name)


def letter_issuer(reply: CaseReply) -> OrgUnit:
    """The unit that heads and signs the letter of `reply`: the body that handled the stage it answers.

    《信访工作条例》 has the reply issued by the organ or unit that handled the matter (办理机关、单位), and
    practice has it signed and sealed by a body that holds a seal and can decide (`org.tree.handling_body`):
    a department (人力资源部, 信访办公室) handles the matter on behalf of its company or branch, which signs.
    The stage's own unit counts, not the case's current one: a review is another body's.

    One exception: a discipline matter (检举控告, the discipline compartment) is answered by the
    discipline inspection body that handled it, in its own name and not in the company's; its office
    (纪委办公室) then signs, qualified by its company's name.
    """
    case = reply.case
    unit = stage_handling_unit(case=case, stage=reply.stage) or case.handling_unit or case.unit
    if case.compartment == Compartment.DISCIPLINE and unit.kind == UnitKind.DEPARTMENT:
        return unit
    return handling_body(unit)


def organisation_name(case: Case) -> str:
    """The group at the root of the case's unit (or the configured organisation name)."""
    return unit_formal_name(unit_chain(case.unit)[0])


# The next right ----------------------------------------------------------------------------------------


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
    period = next_request_period(case=case, stage=stage)
    return NextRight(next_right_text(stage=stage, due=due, period=period), due, provisional, computed.article)


def _article(article: str) -> str:
    # 《信访工作条例》（2022）第三十五条 -> 《信访工作条例》第三十五条: the year marks the engine's rule version,
    # which a letter to the petitioner does not cite. (A profile's own article may use half-width brackets.)
    return re.sub(r"\s*[(（]\d{4}[)）]\s*", "", article).strip()


# Reading the reply as the handler wrote it ----------------------------------------------------------------

# A reply drafted as a whole letter opens with its own salutation ("信访人：", "张**同志：") and its own
# "现答复如下": the letter then does not say them a second time. A heading such as "一、调查核实情况：" or
# "处理意见：" is not a salutation.
_SALUTATION = re.compile(
    r"^(?![一二三四五六七八九十\d（(])[^。；;，,]{0,16}(?:信访人|举报人|检举人|控告人|反映人|同志|先生|女士|师傅|职工|员工|某|\*)[^。；;，,]{0,8}[：:]$"
)
_OWN_OPENING = re.compile(r"(?:答复|回复|意见|反馈|说明)如下")

# A reply that ends as a letter does, with the signing unit and/or the date (and perhaps "（盖章）").
_DATE_LINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日)$"
)
_SEAL_LINE = re.compile(r"^[（(]\s*(?:盖章|印章|公章)\s*[)）]$")
_UNIT_LINE = re.compile(
    r"^[\u4e00-\u9fffA-Za-z0-9（）()·]{2,40}"
    r"(?:集团|公司|厂|矿|部|室|办|中心|委员会|委|局|处|科|站|所|院|队|工会|基地)(?:[（(][\u4e00-\u9fff]{1,12}[)）])?$"
)


def _is_signature_line(line: str, unit_names: set[str]) -> bool:
    compact = re.sub(r"\s+", "", line)
    return bool(
        _DATE_LINE.match(compact) or _SEAL_LINE.match(compact) or compact in unit_names or _UNIT_LINE.match(compact)
    )


def _reply_blocks(text: str, *, unit_names: set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """The reply's paragraphs without its own salutation, and the signature lines it ended with."""
    blocks = [chinese_dates(block.strip()) for block in text.splitlines() if block.strip()]
    if blocks and _SALUTATION.match(blocks[0]):
        blocks = blocks[1:]
    signature: list[str] = []
    # At most the unit, the date and a seal mark; the body keeps at least one paragraph.
    while len(blocks) > 1 and len(signature) < 3 and _is_signature_line(blocks[-1], unit_names):
        signature.insert(0, blocks.pop())
    return blocks, signature


_SENTENCE = re.compile(r"[^。！？；;!?]+[。！？；;!?]?")
_BODY = re.compile(r"向[^。；;，,]{2,40}?(?:书面)?(?:提出|申请|请求)")
_PERIOD = re.compile(
    r"\d+\s*(?:个)?(?:工作)?日(?:内|之内|以内)|[三四五六七八九十]+日内|之日起|\d{4}年\d{1,2}月\d{1,2}日"
)


@dataclass(frozen=True)
class OwnRight:
    """How the reply itself states the next right: whether it names a body, a period and a date."""

    stated: bool
    names_body: bool = False
    names_date: bool = False


def _own_right(blocks: list[str], stage: str, due: date | None) -> OwnRight:
    """Whether the reply already tells the petitioner their next right, and with what.

    A next right is stated when a sentence asks for the next stage by name (申请复查 / 复核申请 …) and
    says to whom or by when; the word alone ("经复查考勤记录") is not a statement of the right. After the
    re-review the reply states it by saying the matter will not be accepted again (不再受理).
    """
    text = "\n".join(blocks)
    if stage not in NEXT_REMEDY_WORD:
        final = next_right_text(stage=stage, due=None)
        return OwnRight(stated=final in text or "不再受理" in text)
    word = NEXT_REMEDY_WORD[stage]
    asks = re.compile(rf"(?:申请|请求|提出|要求)[^。；;]{{0,12}}{word}|{word}(?:申请|请求)")
    for sentence in _SENTENCE.findall(text):
        if not asks.search(sentence):
            continue
        names_body = bool(_BODY.search(sentence))
        names_period = bool(_PERIOD.search(sentence))
        if names_body or names_period:
            names_date = due is not None and letter_date(due) in sentence
            return OwnRight(stated=True, names_body=names_body, names_date=names_date)
    return OwnRight(stated=False)


def _portal_url() -> str | None:
    """The portal's address for a printed letter; None when the site URL is a loopback address.

    A loopback URL (the development default) points at the reader's own computer: on paper it is useless.
    """
    site = settings.HUIYIN_SITE_URL.strip().rstrip("/")
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", site, flags=re.IGNORECASE).split("/")[0].rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host.split("]")[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":")[0]
    host = host.lower()
    if not host or host in _LOOPBACK_HOSTS or host.strip("[]") in _LOOPBACK_HOSTS or host.startswith("127."):
        return None
    return site + reverse("portal:home")


def _portal_sentence(case: Case) -> str:
    """Where else the request can be made: the portal, only for a petitioner who can use it there (a receipt
    code, or an account the case is linked to). Nobody else is sent to a portal they cannot open."""
    if not portal_reachable(case):
        return ""
    portal = _portal_url()
    if case.anonymous:
        if portal is None:
            return _(
                "The request can also be made on the employee portal with the receipt code you were given; "
                "you stay anonymous."
            )
        return _(
            "The request can also be made on the employee portal ({portal}) with the receipt code you were "
            "given; you stay anonymous."
        ).format(portal=portal)
    if portal is None:
        return _("The request can also be made on the employee portal.")
    return _("The request can also be made on the employee portal ({portal}).").format(portal=portal)


def _right_paragraphs(case: Case, stage: str, right: NextRight, own: OwnRight, body: str) -> list[str]:
    """What the letter adds about the next right: one statement, one body, one deadline."""
    if stage not in NEXT_REQUEST_KIND:
        return [] if own.stated else [right.text]
    mark = _(" (provisional)") if right.provisional else ""
    article = _article(right.article)
    what = _("a review") if stage == CaseStage.FIRST else _("a re-review")
    period = next_request_period(case=case, stage=stage)
    paragraphs = []
    if not own.stated:
        basis = _(" (under {article})").format(article=article) if article else ""
        if right.due is None:
            statement = _(
                "If you disagree with this opinion, you may request {what} in writing from {body} within {period} "
                "of receiving it{basis}."
            ).format(what=what, body=body, period=period, basis=basis)
        else:
            statement = _(
                "If you disagree with this opinion, you may request {what} in writing from {body} within {period} "
                "of receiving it; the period ends on {due}{mark}{basis}."
            ).format(what=what, body=body, period=period, due=letter_date(right.due), mark=mark, basis=basis)
        paragraphs.append(statement + _portal_sentence(case))
    else:
        # The reply states the right in its own words: the letter adds only what it leaves out, and never
        # a second body (the reply's own is the one the petitioner is told).
        sentences = []
        if right.due is not None and not own.names_date:
            sentences.append(
                _("Deadline for your next step: {due}{mark}. Time limit under {article}.").format(
                    due=letter_date(right.due), mark=mark, article=article
                )
            )
        if not own.names_body:
            sentences.append(_("Send the request in writing to {body}.").format(body=body))
        sentences.append(_portal_sentence(case))
        if any(sentences):
            paragraphs.append("".join(sentences))
    if right.provisional:
        paragraphs.append(
            _(
                "This deadline is provisional: the official holiday schedule it depends on has not been "
                "published yet. If the official schedule gives a later date, the later date applies; it will "
                "never be earlier than the date above."
            )
        )
    return paragraphs


# The letter's own words ---------------------------------------------------------------------------------


def letter_title(stage: str) -> str:
    """The letter's title for a stage's answer (信访事项答复意见书, …复查意见书, …复核意见书)."""
    return {
        CaseStage.FIRST: _("Reply to a petition"),
        CaseStage.REVIEW: _("Review opinion on a petition"),
        CaseStage.RECHECK: _("Re-review opinion on a petition"),
    }[stage]


def _addressee(case: Case, user: Any) -> str:
    """How the letter addresses the petitioner.

    A letter is sent, so it never shows a mask ("王**同志"): the real name when `user` is entitled to the
    identity (the view is audit-logged), else 信访人, as official replies address a petitioner unnamed.
    """
    name = petitioner_name_for_letter(case=case, actor=user) if user is not None else None
    if name:
        if case.collective and case.headcount > 1:
            return _("{name} and others ({count} people)").format(name=name, count=case.headcount)
        return _("Comrade {name}").format(name=name)
    return _("Petitioner")


def _matter(subject: str) -> str:
    # Quoted as the name of the matter: its own closing full stop would read as the end of the sentence.
    return subject.strip().rstrip("。.；;，, ")


def _opening(case: Case, reply: CaseReply) -> str:
    """The letter's first sentence: what was received when, and under which stage it is answered."""
    # The subject is quoted as the matter's name (信访事项“…”), not wrapped in 关于…问题: subjects are often
    # written "关于…的反映" themselves, and "关于“关于…的反映”问题" doubles the words.
    subject = _matter(case.subject)
    if reply.stage == CaseStage.FIRST:
        return _(
            "We received the petition “{subject}” you made on {date}. Having investigated, we reply as follows:"
        ).format(date=letter_date(timezone.localtime(case.received_at).date()), subject=subject)
    kind = EventKind.REVIEW_REQUESTED if reply.stage == CaseStage.REVIEW else EventKind.RECHECK_REQUESTED
    request = case.events.filter(kind=kind, at__lte=reply.issued_at).order_by("-at", "-id").first()
    asked = timezone.localtime(request.at if request is not None else reply.issued_at).date()
    if reply.stage == CaseStage.REVIEW:
        return _(
            "We received your request of {date} for a review of the handling opinion on the petition “{subject}”. "
            "Having reviewed the matter, we give our review opinion as follows:"
        ).format(date=letter_date(asked), subject=subject)
    return _(
        "We received your request of {date} for a re-review of the review opinion on the petition “{subject}”. "
        "Having re-reviewed the matter, we give our re-review opinion as follows:"
    ).format(date=letter_date(asked), subject=subject)


# Word ---------------------------------------------------------------------------------------------------


def _set_run_fonts(rpr, *, east_asia: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", east_asia)):
        rfonts.set(qn(attr), value)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _setup(document: Document, body_font: str) -> None:
    """A4 with the GB/T 9704 margins, the Normal style in 仿宋 三号 on a fixed line, the fonts declared."""
    a4_page(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    _set_run_fonts(rpr, east_asia=body_font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese punctuation rules and line breaking
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH)
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            root = etree.fromstring(part.blob)
            body = (body_font, "FangSong" if body_font == BODY_FONT else FALLBACK_FONT, "modern")
            for name, alt, family in (body, *_FONT_TABLE[1:]):
                node = etree.SubElement(root, qn("w:font"))
                node.set(qn("w:name"), name)
                etree.SubElement(node, qn("w:altName")).set(qn("w:val"), alt)
                etree.SubElement(node, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
                etree.SubElement(node, qn("w:family")).set(qn("w:val"), family)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _page_number(document.sections[0])


def _page_number(section) -> None:
    """「— 1 —」 centred in the footer (GB/T 9704 7.5), as a PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = Pt(14)  # 四号


def _add(
    document: Document,
    text: str,
    *,
    font: str,
    size: int = BODY_SIZE,
    align=None,
    indent: bool = True,
    right_indent: float = 0,
    space_before: float = 0,
    line: float = LINE_PITCH,
) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    _set_run_fonts(run._r.get_or_add_rPr(), east_asia=font)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    if indent:
        fmt.first_line_indent = Pt(INDENT)
    if right_indent:
        fmt.right_indent = Pt(right_indent)
    if space_before:
        fmt.space_before = Pt(space_before)
    if align is not None:
        paragraph.alignment = align


def _width(text: str) -> float:
    """Width in characters of 三号: a Chinese character is one, a digit or Latin letter half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def reply_letter_docx(*, reply: CaseReply, user: Any = None) -> bytes:
    """The Word letter of `reply`, in the site's language, signed once by the unit that issues it.

    `user` is whoever generates it: the petitioner is named only if they are entitled to the identity.
    """
    case = reply.case
    with translation.override(settings.LANGUAGE_CODE):
        issuer = letter_issuer(reply)
        signatory = unit_formal_name(issuer)
        right = next_right_for(reply)
        issued = timezone.localtime(reply.issued_at).date()
        body_font = _body_font()
        unit_names = {signatory, issuer.name} | set(OrgUnit.objects.values_list("name", flat=True))
        blocks, _signature = _reply_blocks(reply.text, unit_names=unit_names)
        own = _own_right(blocks, reply.stage, right.due)
        # A reply stating the right with a period not in force ("15日内申请复查" where the rule gives 30 days)
        # does not state it: the letter adds the right as the platform states it, as the case page and the
        # portal do (`cases.services.reply_states_next_right`), never only the day the wrong period "ends".
        if (
            own.stated
            and reply.stage in NEXT_REQUEST_KIND
            and stated_periods(reply.text)
            and not reply_states_next_right(case=case, stage=reply.stage, text=reply.text)
        ):
            own = OwnRight(stated=False)

        document = Document()
        _setup(document, body_font)
        document.core_properties.title = f"{letter_title(reply.stage)} {case.case_no}"
        document.core_properties.author = signatory
        centred = WD_ALIGN_PARAGRAPH.CENTER
        heading = {"font": TITLE_FONT, "size": TITLE_SIZE, "align": centred, "indent": False, "line": 35}
        _add(document, signatory, **heading)
        _add(document, letter_title(reply.stage), **heading)
        _add(
            document,
            _("Case number: {case_no}").format(case_no=case.case_no),
            font=body_font,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            indent=False,
            space_before=LINE_PITCH / 2,
        )
        _add(document, _("{name}:").format(name=_addressee(case, user)), font=body_font, indent=False)
        if not any(_OWN_OPENING.search(block) for block in blocks[:2]):
            _add(document, _opening(case, reply), font=body_font)
        for block in blocks:
            _add(document, block, font=body_font)
        for paragraph in _right_paragraphs(case, reply.stage, right, own, _review_body(issuer)):
            _add(document, paragraph, font=body_font)
        # The signature: the unit centred over the date, the date four characters from the right margin
        # (GB/T 9704 7.3.5.2), two lines below the text for the seal. The reply's own signature lines, if
        # it ended with any, were taken out above: one letter, one signature, the issuing unit's.
        dated = letter_date(issued)
        date_indent = 4 * BODY_SIZE
        name_indent = max(0.0, date_indent + (_width(dated) - _width(signatory)) / 2 * BODY_SIZE)
        right_aligned = {"font": body_font, "align": WD_ALIGN_PARAGRAPH.RIGHT, "indent": False}
        _add(document, signatory, right_indent=name_indent, space_before=2 * LINE_PITCH, **right_aligned)
        _add(document, dated, right_indent=date_indent, **right_aligned)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
