"""Word helpers for documents other than the reply letter (the analysis report): body fonts with a CJK
fallback declared in the font table, one-run paragraphs. The reply letter lays out its own page
(GB/T 9704) in `letters.py`."""

from __future__ import annotations

from django.conf import settings
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

FALLBACK_FONT = "宋体"
# The body font of documents offices print (letters, reports): 仿宋, unless the operator names another font in
# HUIYIN_LETTER_FONT. Its shipped default is a screen font, not fit for a printed document, and so is replaced.
BODY_FONT = "仿宋"
SCREEN_DEFAULT_FONT = "Noto Sans CJK SC"


def a4_page(document: Document) -> None:
    """A4 paper with the GB/T 9704 margins (37/35/28/26 mm): python-docx's template is US Letter."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)


def body_font() -> str:
    configured = settings.HUIYIN_LETTER_FONT
    return configured if configured and configured != SCREEN_DEFAULT_FONT else BODY_FONT


def set_document_fonts(document: Document, font: str) -> None:
    """Latin and East Asian font of the body styles (12 pt); the font table names 宋体 as the fallback."""
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


def text_paragraph(document: Document, text: str, *, bold: bool = False, size: int | None = None, align=None) -> None:
    """A paragraph of one run."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
