"""Metadata stripped from the copy handlers open (SECURITY.md, uploads; ASVS 5.2.x, 5.4.x).

The original is kept unchanged as accepted evidence; the normal download serves the copy; the original
is a separate, audited download under the rules of unsealing an identity.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import docx
import olefile
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader

from huiyin.audit.models import AuditRecord
from huiyin.cases.attachments import AttachmentError
from huiyin.cases.models import AttachmentSanitiser, Case
from huiyin.cases.sanitise import MAX_DOCUMENT_PIXELS, MAX_IMAGE_PIXELS, sanitise_upload
from huiyin.cases.tests.sample_files import (
    BILLION_LAUGHS,
    MP3_FRAME,
    SUMMARY_FMTID,
    compound_file,
    emf_picture,
    excel97_object,
    excel_file,
    package_object,
    pdf_with_author,
    pdf_with_photo,
    phone_photo,
    png_bomb,
    png_with_author,
    property_set,
    replace_parts,
    tagged_mp3,
    wav_with_info,
    word_file,
)
from huiyin.core.errors import DomainError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THUMBNAIL = "docProps/thumbnail.jpeg"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _read(sanitised):
    sanitised.copy.seek(0)
    return sanitised.copy.read()


# The sanitiser, per type ------------------------------------------------------------------------


def test_phone_photo_loses_gps_and_serial_and_is_turned_upright():
    original = phone_photo(orientation=3)  # stored upside down
    assert b"CAM-SERIAL-4711" in original

    result = sanitise_upload(SimpleUploadedFile("IMG_0001.jpg", original), "image/jpeg")

    data = _read(result)
    assert result.method == AttachmentSanitiser.IMAGE and result.removed
    copy = Image.open(io.BytesIO(data))
    assert copy.format == "JPEG" and copy.size == (40, 20)
    assert not copy.getexif() and "exif" not in copy.info
    assert b"CAM-SERIAL-4711" not in data and b"Pixel-7-SN" not in data and b"Exif" not in data
    # Rotated by 180°: what was on the right (blue) is now on the left.
    red, green, blue = copy.convert("RGB").getpixel((5, 10))
    assert blue > 200 and red < 60


def test_quarter_turn_swaps_the_sides():
    result = sanitise_upload(SimpleUploadedFile("IMG_0002.jpg", phone_photo(orientation=6)), "image/jpeg")
    assert Image.open(io.BytesIO(_read(result))).size == (20, 40)


def test_png_text_chunks_are_removed():
    info = PngInfo()
    info.add_text("Author", "张三")
    info.add_itxt("Comment", "拍摄于一厂宿舍", lang="zh")
    out = io.BytesIO()
    Image.new("RGBA", (12, 8), (10, 20, 30, 128)).save(out, "PNG", pnginfo=info)

    result = sanitise_upload(SimpleUploadedFile("截图.png", out.getvalue()), "image/png")

    data = _read(result)
    copy = Image.open(io.BytesIO(data))
    copy.load()
    assert result.removed and copy.size == (12, 8) and copy.mode == "RGBA"
    assert b"Author" not in data and b"tEXt" not in data and b"iTXt" not in data and not copy.info.get("Author")
    assert copy.getpixel((3, 3)) == (10, 20, 30, 128)


def test_decompression_bomb_is_refused_quickly():
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000 and MAX_IMAGE_PIXELS < 9000 * 9000
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="megapixels|百万像素"):
        sanitise_upload(SimpleUploadedFile("bomb.png", out.getvalue()), "image/png")
    assert time.monotonic() - started < 2


def test_word_file_loses_author_and_comment_authors_and_keeps_its_text():
    original = word_file(pictures=[phone_photo(orientation=1)])

    result = sanitise_upload(SimpleUploadedFile("举报.docx", original), DOCX)

    data = _read(result)
    assert result.method == AttachmentSanitiser.OFFICE and result.removed
    copy = docx.Document(io.BytesIO(data))
    assert copy.core_properties.author == "" and copy.core_properties.last_modified_by == ""
    assert copy.core_properties.title == ""
    assert [p.text for p in copy.paragraphs][0] == "一厂八月加班费未发放，请核实。"
    assert [(c.author, c.initials, c.text) for c in copy.comments] == [("", "", "此处需补充证据")]
    assert "王五".encode() not in data
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(data))
    assert before.namelist() == after.namelist()
    media = [name for name in before.namelist() if name.startswith("word/media/")]
    # python-docx's template carries a preview thumbnail: it is re-encoded like the photo.
    assert len(media) == 1 and result.media == (*media, THUMBNAIL)
    assert before.read(media[0]) != after.read(media[0])  # the photo, re-encoded without its EXIF
    changed = {"docProps/core.xml", "docProps/app.xml", "word/comments.xml", *media, THUMBNAIL}
    for name in before.namelist():
        if name not in changed:
            assert before.read(name) == after.read(name), name  # every other part exactly as it was


# Pictures pasted into Office files ------------------------------------------------------------


def _media(data: bytes, folder: str = "word/media/") -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist() if name.startswith(folder)}


def test_photo_in_a_word_file_loses_gps_and_serial_and_keeps_its_size():
    original = word_file(pictures=[phone_photo(orientation=1)])
    (name, photo), *_others = _media(original).items()
    assert b"CAM-SERIAL-4711" in photo and Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)

    result = sanitise_upload(SimpleUploadedFile("现场说明.docx", original), DOCX)

    data = _read(result)
    picture = _media(data)[name]
    assert result.method == AttachmentSanitiser.OFFICE and result.media == (name, THUMBNAIL)
    assert b"CAM-SERIAL-4711" not in data and b"Pixel-7-SN" not in data and b"Exif" not in picture
    copy = Image.open(io.BytesIO(picture))
    assert copy.format == "JPEG" and copy.size == (40, 20) and not copy.getexif() and "exif" not in copy.info
    red, _green, blue = copy.convert("RGB").getpixel((5, 10))
    assert red > 200 and blue < 60  # the same picture, not a placeholder
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "一厂八月加班费未发放，请核实。"
    assert len(document.inline_shapes) == 1
    assert [(part.partname, part.content_type) for part in document.part.package.image_parts] == [
        ("/" + name, "image/jpeg")
    ]
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(data))
    assert before.read("[Content_Types].xml") == after.read("[Content_Types].xml")
    assert before.read("word/_rels/document.xml.rels") == after.read("word/_rels/document.xml.rels")


def test_photo_in_a_word_file_is_turned_upright_like_an_uploaded_photo():
    data = _read(sanitise_upload(SimpleUploadedFile("a.docx", word_file(pictures=[phone_photo(orientation=6)])), DOCX))
    (picture,) = _media(data).values()
    assert Image.open(io.BytesIO(picture)).size == (20, 40)


def test_png_author_chunk_in_a_word_file_is_removed():
    original = word_file(pictures=[png_with_author()])
    (name, png), *_others = _media(original).items()
    assert b"tEXtAuthor\x00zhangsan" in png and b"iTXtComment" in png

    result = sanitise_upload(SimpleUploadedFile("截图.docx", original), DOCX)

    picture = _media(_read(result))[name]
    assert result.media == (name, THUMBNAIL) and name.endswith(".png")
    assert b"zhangsan" not in picture and b"tEXt" not in picture and b"iTXt" not in picture
    copy = Image.open(io.BytesIO(picture))
    copy.load()
    assert copy.format == "PNG" and copy.size == (12, 8) and copy.getpixel((3, 3)) == (10, 20, 30, 128)


def test_photo_in_an_excel_file_is_cleaned():
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage

    workbook = Workbook()
    workbook.active.add_image(SheetImage(io.BytesIO(phone_photo(orientation=1))), "B2")
    out = io.BytesIO()
    workbook.save(out)
    assert b"CAM-SERIAL-4711" in _media(out.getvalue(), "xl/media/")["xl/media/image1.jpeg"]

    result = sanitise_upload(SimpleUploadedFile("工资.xlsx", out.getvalue()), XLSX)

    picture = _media(_read(result), "xl/media/")["xl/media/image1.jpeg"]
    assert result.media == ("xl/media/image1.jpeg",) and b"CAM-SERIAL-4711" not in picture
    assert Image.open(io.BytesIO(picture)).size == (40, 20)


def test_the_preview_thumbnail_of_a_word_file_is_re_encoded_too():
    data = replace_parts(word_file(), {THUMBNAIL: phone_photo(orientation=1)})
    assert b"CAM-SERIAL-4711" in zipfile.ZipFile(io.BytesIO(data)).read(THUMBNAIL)

    result = sanitise_upload(SimpleUploadedFile("thumb.docx", data), DOCX)

    thumbnail = zipfile.ZipFile(io.BytesIO(_read(result))).read(THUMBNAIL)
    assert THUMBNAIL in result.media and b"CAM-SERIAL-4711" not in thumbnail
    assert Image.open(io.BytesIO(thumbnail)).size == (40, 20)


EMBEDDED = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"


def test_a_worksheet_embedded_in_a_word_file_loses_its_author_too():
    sheet = excel_file(author="嵌入作者")
    data = replace_parts(word_file(author="外层作者"), {EMBEDDED: sheet})

    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)

    copy = zipfile.ZipFile(io.BytesIO(_read(result)))
    inner = zipfile.ZipFile(io.BytesIO(copy.read(EMBEDDED)))
    assert result.removed and EMBEDDED in result.media
    assert "嵌入作者".encode() not in b"".join(inner.read(name) for name in inner.namelist())
    assert "外层作者".encode() not in b"".join(copy.read(name) for name in copy.namelist() if name != EMBEDDED)
    assert inner.read("xl/worksheets/sheet1.xml") == zipfile.ZipFile(io.BytesIO(sheet)).read("xl/worksheets/sheet1.xml")


def test_a_damaged_embedded_document_is_kept_and_the_letter_still_cleaned():
    data = replace_parts(word_file(author="外层作者"), {EMBEDDED: b"PK\x03\x04 not really a workbook"})
    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)
    copy = zipfile.ZipFile(io.BytesIO(_read(result)))
    assert result.method == AttachmentSanitiser.PARTIAL and EMBEDDED not in result.media
    assert result.kept == (EMBEDDED,) and copy.read(EMBEDDED) == b"PK\x03\x04 not really a workbook"
    assert "外层作者".encode() not in copy.read("docProps/core.xml")


def test_a_zip_bomb_embedded_in_a_word_file_is_refused():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as inner:
        inner.writestr("[Content_Types].xml", b"<Types/>")
        inner.writestr("xl/big.xml", bytes(150 * 1024 * 1024))  # 150 MB of zeros in a few hundred KB
    data = replace_parts(word_file(), {EMBEDDED: bomb.getvalue()})
    with pytest.raises(AttachmentError):
        sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)


INKSCAPE_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with Inkscape -->\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
    b'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'width="40" height="20" sodipodi:docname="zhangsan-site.svg" '
    b'inkscape:export-filename="/home/zhangsan/Desktop/site.png">'
    b"<metadata><rdf:RDF><dc:creator>ZhangSanRDF</dc:creator></rdf:RDF></metadata>"
    b'<sodipodi:namedview inkscape:current-layer="layer1"/>'
    b"<title>\xe8\xbd\xa6\xe9\x97\xb4\xe5\xb9\xb3\xe9\x9d\xa2\xe5\x9b\xbe</title>"
    b'<rect x="1" y="1" width="38" height="18" fill="red" inkscape:label="ZhangSanLayer"/></svg>'
)
SVG_PART = "word/media/image7.svg"


def test_an_svg_picture_in_a_word_file_loses_its_editors_metadata_and_keeps_its_drawing():
    data = replace_parts(word_file(), {SVG_PART: INKSCAPE_SVG})

    result = sanitise_upload(SimpleUploadedFile("平面图.docx", data), DOCX)

    svg = zipfile.ZipFile(io.BytesIO(_read(result))).read(SVG_PART)
    assert SVG_PART in result.media and result.removed
    assert not any(mark in svg for mark in (b"zhangsan", b"ZhangSan", b"inkscape", b"sodipodi", b"metadata"))
    assert b'<rect x="1" y="1" width="38" height="18" fill="red"/>' in svg
    assert "车间平面图".encode() in svg  # the picture's own title is content, not metadata


def test_an_svg_with_entity_declarations_is_kept_and_the_document_still_accepted():
    illustrator = (
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_ai "http://ns.adobe.com/AI">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    )
    result = sanitise_upload(SimpleUploadedFile("图.docx", replace_parts(word_file(), {SVG_PART: illustrator})), DOCX)
    assert result.method == AttachmentSanitiser.PARTIAL and SVG_PART not in result.media
    assert result.kept == (SVG_PART,)
    assert zipfile.ZipFile(io.BytesIO(_read(result))).read(SVG_PART) == illustrator  # never expanded, kept as is


def test_an_svg_with_a_bare_doctype_is_cleaned():
    svg = INKSCAPE_SVG.replace(
        b"<svg ",
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg ',
        1,
    )
    result = sanitise_upload(SimpleUploadedFile("图.docx", replace_parts(word_file(), {SVG_PART: svg})), DOCX)
    assert SVG_PART in result.media
    assert b"zhangsan" not in zipfile.ZipFile(io.BytesIO(_read(result))).read(SVG_PART)


OLE_PART = "word/embeddings/oleObject1.bin"
# How a name can sit in an older binary object: GBK in property sets and paths, UTF-16 in the workbook.
NAME_MARKS = ("嵌入作者".encode("gbk"), "嵌入作者".encode("utf-16-le"), b"zhangsan", "zhangsan".encode("utf-16-le"))


def _ole_streams(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(data))
    return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


def _embedded(result, part=OLE_PART) -> bytes:
    return zipfile.ZipFile(io.BytesIO(_read(result))).read(part)


def test_an_excel_97_sheet_embedded_in_a_word_file_loses_its_author_and_user_names():
    original = excel97_object(author="嵌入作者", user="zhangsan")
    data = replace_parts(word_file(author="外层作者"), {OLE_PART: original})

    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)

    copy = _embedded(result)
    streams = _ole_streams(copy)
    assert result.method == AttachmentSanitiser.OFFICE and result.removed and not result.kept
    assert OLE_PART in result.media and len(copy) == len(original)
    assert not any(mark in value for mark in NAME_MARKS for value in streams.values())
    assert "某某集团公司".encode("gbk") not in streams["\x05DocumentSummaryInformation"]
    metadata = olefile.OleFileIO(io.BytesIO(copy)).get_metadata()
    assert metadata.author is None and metadata.codepage == 936  # an empty set that still names its code page
    workbook = _ole_streams(original)["Workbook"]
    assert len(streams["Workbook"]) == len(workbook) and "八月加班费".encode("utf-16-le") in streams["Workbook"]


def test_a_workbook_holding_a_photo_loses_its_names_but_is_reported_as_kept():
    photo = phone_photo(orientation=1)
    data = replace_parts(word_file(), {OLE_PART: excel97_object(picture=photo)})

    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)

    streams = _ole_streams(_embedded(result))
    assert result.method == AttachmentSanitiser.PARTIAL and result.kept == (OLE_PART,)
    assert b"zhangsan" not in streams["Workbook"] and photo in streams["Workbook"]  # the photo is as it was


def test_a_file_attached_as_an_icon_loses_its_folders_and_keeps_its_name_and_content():
    content = b"%PDF-1.4 the attached file"
    data = replace_parts(word_file(), {OLE_PART: package_object(content, label="report.pdf")})

    result = sanitise_upload(SimpleUploadedFile("说明.docx", data), DOCX)

    native = _ole_streams(_embedded(result))["\x01Ole10Native"]
    assert b"zhangsan" not in native and "zhangsan".encode("utf-16-le") not in native
    assert b"Desktop" not in native and b"AppData" not in native
    assert native.count(b"report.pdf") == 3 and native.count("report.pdf".encode("utf-16-le")) == 3
    assert content in native
    # The attached file itself is not cleaned: it may have an author of its own.
    assert result.method == AttachmentSanitiser.PARTIAL and result.kept == (OLE_PART,) and result.removed


@pytest.mark.parametrize(
    "obj",
    [
        compound_file(
            {"WordDocument": bytes(700), "\x05SummaryInformation": property_set(SUMMARY_FMTID, {4: "嵌入作者"})}
        ),
        bytes.fromhex("d0cf11e0a1b11ae1") + b"damaged" * 100,
        b"%PDF-1.4 a file of another kind",
    ],
    ids=["word-97", "damaged", "not-ole"],
)
def test_objects_that_cannot_be_cleaned_fully_are_reported_as_kept(obj):
    data = replace_parts(word_file(author="外层作者"), {OLE_PART: obj})

    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)

    copy = _embedded(result)
    assert result.method == AttachmentSanitiser.PARTIAL and result.kept == (OLE_PART,)
    assert len(copy) == len(obj) and "嵌入作者".encode("gbk") not in copy  # what can be cleaned still is
    assert "外层作者".encode() not in zipfile.ZipFile(io.BytesIO(_read(result))).read("docProps/core.xml")


def test_the_printer_named_in_a_page_setup_is_blanked_and_macros_are_reported_as_kept():
    printer = "\\\\FIN-SRV\\HP 财务部".encode("utf-16-le").ljust(64, b"\x00") + b"\x01\x04\x00\x06" + bytes(200)
    sheet = replace_parts(
        excel_file(), {"xl/printerSettings/printerSettings1.bin": printer, "xl/vbaProject.bin": compound_file({})}
    )

    result = sanitise_upload(SimpleUploadedFile("表.xlsx", sheet), XLSX)

    copy = zipfile.ZipFile(io.BytesIO(_read(result)))
    settings_copy = copy.read("xl/printerSettings/printerSettings1.bin")
    assert settings_copy == bytes(64) + printer[64:] and result.removed
    assert result.method == AttachmentSanitiser.PARTIAL and result.kept == ("xl/vbaProject.bin",)


def test_an_emf_picture_loses_its_description_and_keeps_its_drawing():
    picture = emf_picture()
    data = replace_parts(word_file(), {"word/media/image3.emf": picture})

    result = sanitise_upload(SimpleUploadedFile("图.docx", data), DOCX)

    copy = _embedded(result, "word/media/image3.emf")
    assert result.method == AttachmentSanitiser.OFFICE and result.removed and "word/media/image3.emf" in result.media
    assert "zhangsan".encode("utf-16-le") not in copy and b"W\x00P\x00S" not in copy
    assert len(copy) == len(picture) and copy[:108] == picture[:108] and copy[-20:] == picture[-20:]


def test_an_embedding_inside_an_embedded_document_is_reported_as_kept():
    sheet = replace_parts(excel_file(author="嵌入作者"), {"xl/embeddings/oleObject1.bin": excel97_object()})
    data = replace_parts(word_file(), {EMBEDDED: sheet})

    result = sanitise_upload(SimpleUploadedFile("附表.docx", data), DOCX)

    assert result.method == AttachmentSanitiser.PARTIAL and result.kept == (EMBEDDED,)
    assert EMBEDDED in result.media  # the embedded workbook itself is still cleaned
    inner = zipfile.ZipFile(io.BytesIO(_embedded(result, EMBEDDED)))
    assert "嵌入作者".encode() not in inner.read("docProps/core.xml")


def test_damaged_or_unknown_media_are_kept_and_the_document_is_still_stored(make_case):
    good = phone_photo(orientation=1)
    original = word_file(pictures=[png_with_author(), good])
    media = _media(original)
    png_name = next(name for name in media if name.endswith(".png"))
    jpeg_name = next(name for name in media if name.endswith((".jpg", ".jpeg")))
    truncated = media[png_name][: media[png_name].index(b"IDAT") + 10]  # the header reads, the pixels do not
    assert Image.open(io.BytesIO(truncated)).size == (12, 8)
    emf = b"\x01\x00\x00\x00" + b"\x00" * 100  # a drawing format that is not re-encoded
    data = replace_parts(original, {png_name: truncated, "word/media/image9.emf": emf})

    case = make_case(uploads=[SimpleUploadedFile("举报.docx", data)])

    attachment = case.attachments.get()
    assert attachment.sanitiser == "partial" and attachment.metadata_removed and attachment.file.read() == data
    assert attachment.metadata_kept == sorted([png_name, "word/media/image9.emf"])
    copy = _media(attachment.sanitised_file.read())
    assert copy[png_name] == truncated and copy["word/media/image9.emf"] == emf  # kept exactly as they were
    assert b"CAM-SERIAL-4711" not in copy[jpeg_name]  # the readable photo is still cleaned


def test_decompression_bomb_in_a_word_file_is_refused_like_a_bare_image():
    data = word_file(pictures=[phone_photo(orientation=1), png_bomb()])
    started = time.monotonic()
    with pytest.raises(AttachmentError) as in_document:
        sanitise_upload(SimpleUploadedFile("举报.docx", data), DOCX)
    assert time.monotonic() - started < 2
    with pytest.raises(AttachmentError) as bare:
        sanitise_upload(SimpleUploadedFile("bomb.png", png_bomb()), "image/png")
    assert in_document.value.message == bare.value.message


def test_decompression_bomb_in_a_word_file_at_intake_creates_nothing(make_case, settings):
    from pathlib import Path

    data = word_file(pictures=[png_bomb()])
    with pytest.raises(DomainError) as refused:
        make_case(uploads=[SimpleUploadedFile("ok.txt", b"fine"), SimpleUploadedFile("举报.docx", data)])
    assert "64" in refused.value.message and refused.value.fields["attachments"]
    assert not Case.objects.exists()
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_many_pictures_each_under_the_limit_are_refused_together():
    side = 7600  # 57.8 megapixels each: every one passes alone, five together do not
    assert side * side < MAX_IMAGE_PIXELS and 5 * side * side > MAX_DOCUMENT_PIXELS
    data = word_file(pictures=[png_bomb((side + i, side)) for i in range(5)])  # distinct, so five parts
    assert len(_media(data)) == 5
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="megapixels|百万像素"):
        sanitise_upload(SimpleUploadedFile("举报.docx", data), DOCX)
    assert time.monotonic() - started < 2  # refused from the headers, before any picture is decoded


def test_custom_properties_are_dropped_with_their_relationship():
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Department">'
        "<vt:lpwstr>一厂财务科</vt:lpwstr></property></Properties>"
    ).encode()
    original = word_file()
    source = zipfile.ZipFile(io.BytesIO(original))
    rels = source.read("_rels/.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    types = source.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    data = replace_parts(original, {"docProps/custom.xml": custom, "_rels/.rels": rels, "[Content_Types].xml": types})

    cleaned = _read(sanitise_upload(SimpleUploadedFile("a.docx", data), DOCX))

    copy = zipfile.ZipFile(io.BytesIO(cleaned))
    assert "docProps/custom.xml" not in copy.namelist() and "一厂财务科".encode() not in cleaned
    assert b"custom" not in copy.read("_rels/.rels") and b"custom.xml" not in copy.read("[Content_Types].xml")
    assert b"officeDocument" in copy.read("_rels/.rels")  # the document's own relationship stays
    assert docx.Document(io.BytesIO(cleaned)).paragraphs[0].text == "一厂八月加班费未发放，请核实。"


def test_excel_author_comment_authors_and_save_folder_are_removed():
    from openpyxl import load_workbook

    original = excel_file()
    assert b"zhangsan" in zipfile.ZipFile(io.BytesIO(original)).read("xl/workbook.xml")

    data = _read(sanitise_upload(SimpleUploadedFile("工资.xlsx", original), XLSX))

    copy = zipfile.ZipFile(io.BytesIO(data))
    assert not any(b"zhangsan" in copy.read(n) or "张三".encode() in copy.read(n) for n in copy.namelist())
    assert b"creator" not in copy.read("docProps/core.xml")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook["工资"]["A1"].value == "八月加班费"
    assert workbook["工资"]["A1"].comment.text.endswith("未发放")


@pytest.mark.parametrize("part", ["docProps/core.xml", "word/styles.xml"])
def test_xml_entity_expansion_is_refused_without_expanding(part):
    data = replace_parts(word_file(), {part: BILLION_LAUGHS})
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="entity|实体"):
        sanitise_upload(SimpleUploadedFile("举报.docx", data), DOCX)
    assert time.monotonic() - started < 2


def test_pdf_loses_info_xmp_and_older_revisions():
    original = pdf_with_author()
    assert all(name in original for name in (b"FirstAuthor", b"SecondAuthor", b"XmpAuthor"))

    result = sanitise_upload(SimpleUploadedFile("证明.pdf", original), "application/pdf")

    data = _read(result)
    assert result.method == AttachmentSanitiser.PDF and result.removed
    assert not any(name in data for name in (b"FirstAuthor", b"SecondAuthor", b"XmpAuthor", b"/Producer"))
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is None and reader.xmp_metadata is None and len(reader.pages) == 1


def test_a_photo_kept_whole_in_a_pdf_loses_its_exif_and_keeps_its_pixels():
    photo = phone_photo(orientation=1)
    original = pdf_with_photo(photo)
    assert b"CAM-SERIAL-4711" in original

    result = sanitise_upload(SimpleUploadedFile("扫描件.pdf", original), "application/pdf")

    data = _read(result)
    assert result.method == AttachmentSanitiser.PDF and result.removed and b"CAM-SERIAL-4711" not in data
    image = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()
    picture = Image.open(io.BytesIO(image._data))
    assert not picture.getexif() and picture.tobytes() == Image.open(io.BytesIO(photo)).tobytes()


def test_a_file_attached_to_a_pdf_is_named_as_kept():
    original = pdf_with_photo(phone_photo(orientation=1), attachment=("名单.xlsx", excel_file(author="附件作者")))

    result = sanitise_upload(SimpleUploadedFile("扫描件.pdf", original), "application/pdf")

    assert result.method == AttachmentSanitiser.PARTIAL and len(result.kept) == 1 and "名单.xlsx" in result.kept[0]
    assert b"CAM-SERIAL-4711" not in _read(result)  # the page's photo is still cleaned


def test_unreadable_pdf_is_kept_and_marked_not_stripped():
    result = sanitise_upload(SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\ngarbage"), "application/pdf")
    assert result.method == AttachmentSanitiser.UNSTRIPPED and result.copy is None


@pytest.mark.parametrize(
    ("content_type", "method"),
    [("text/plain", AttachmentSanitiser.PLAIN), ("audio/amr", AttachmentSanitiser.NO_METADATA)],
)
def test_formats_without_metadata_are_served_as_they_are_with_the_method_recorded(content_type, method):
    result = sanitise_upload(SimpleUploadedFile("f", b"#!AMR\n" + bytes(31)), content_type)
    assert result.method == method and result.copy is None and not result.removed


def test_mp3_recording_loses_its_id3_and_ape_tags_and_keeps_its_sound():
    original = tagged_mp3()
    assert all(mark in original for mark in (b"TPE1", b"SERIAL-4711", b"APETAGEX", b"ZhangSanV1"))

    result = sanitise_upload(SimpleUploadedFile("录音.mp3", original), "audio/mpeg")

    data = _read(result)
    assert result.method == AttachmentSanitiser.AUDIO and result.removed
    assert data == MP3_FRAME * 20  # exactly the frames, nothing before or after them
    assert not any(mark in data for mark in (b"TPE1", b"SERIAL-4711", b"ZhangSan", b"APETAGEX"))


def test_untagged_mp3_is_copied_unchanged_and_marked_as_nothing_removed():
    result = sanitise_upload(SimpleUploadedFile("录音.mp3", MP3_FRAME * 5), "audio/mpeg")
    assert result.method == AttachmentSanitiser.AUDIO and not result.removed and _read(result) == MP3_FRAME * 5


def test_wav_recording_keeps_only_its_sound_chunks():
    import wave

    frames = bytes(range(256)) * 8
    original = wav_with_info(frames)

    result = sanitise_upload(SimpleUploadedFile("录音.wav", original), "audio/x-wav")

    data = _read(result)
    assert result.method == AttachmentSanitiser.AUDIO and result.removed
    assert not any(mark in data for mark in (b"ZhangSan", b"ZHANGSAN", b"Recorder-4711", b"LIST", b"bext"))
    with wave.open(io.BytesIO(data)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 1, 8000)
        assert sound.readframes(sound.getnframes()) == frames
    assert int.from_bytes(data[4:8], "little") == len(data) - 8


@pytest.mark.parametrize(
    "damage",
    [
        lambda wav: wav[:-100],  # the data chunk runs past the end
        lambda wav: wav.replace(b"fmt ", b"xxxx"),  # no format chunk
        lambda wav: b"RIFX" + wav[4:],  # not a little-endian RIFF file
    ],
)
def test_damaged_wav_is_kept_as_it_is_and_marked_not_stripped(damage):
    result = sanitise_upload(SimpleUploadedFile("录音.wav", damage(wav_with_info())), "audio/x-wav")
    assert result.method == AttachmentSanitiser.UNSTRIPPED and result.copy is None


def test_damaged_mp3_is_kept_as_it_is_and_marked_not_stripped():
    broken = b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + bytes(20)  # a tag header claiming 256 MB
    result = sanitise_upload(SimpleUploadedFile("录音.mp3", broken), "audio/mpeg")
    assert result.method == AttachmentSanitiser.UNSTRIPPED and result.copy is None


def test_only_an_id3v1_tag_is_removed_too():
    result = sanitise_upload(
        SimpleUploadedFile("录音.mp3", MP3_FRAME * 3 + b"TAG" + b"ZhangSan".ljust(125)), "audio/mpeg"
    )
    assert result.method == AttachmentSanitiser.AUDIO and result.removed and _read(result) == MP3_FRAME * 3


def test_recording_registered_at_intake_keeps_its_original_and_serves_the_copy(make_case):
    original = tagged_mp3()
    case = make_case(uploads=[SimpleUploadedFile("电话录音.mp3", original)])
    attachment = case.attachments.get()
    assert attachment.content_type == "audio/mpeg" and attachment.sanitiser == "audio" and attachment.metadata_removed
    assert attachment.file.read() == original and attachment.metadata_note == "removed"
    assert attachment.handler_file.read() == MP3_FRAME * 20


# Storing: one transaction, the original unchanged --------------------------------------------


def test_registration_keeps_the_original_and_stores_the_copy(make_case):
    photo = phone_photo()

    case = make_case(uploads=[SimpleUploadedFile("现场.jpg", photo), SimpleUploadedFile("说明.txt", "说明".encode())])

    image, text = case.attachments.order_by("content_type")  # image/jpeg, text/plain
    assert image.original_name == "现场.jpg" and image.sanitiser == "image" and image.metadata_removed
    assert image.file.read() == photo and image.sha256 == hashlib.sha256(photo).hexdigest()
    assert image.sanitised_file.name != image.file.name and b"CAM-SERIAL-4711" not in image.sanitised_file.read()
    assert text.sanitiser == "plain" and not text.sanitised_file and text.handler_file.read() == "说明".encode()


def test_decompression_bomb_at_intake_changes_nothing(make_case):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    with pytest.raises(DomainError) as refused:
        make_case(uploads=[SimpleUploadedFile("ok.txt", b"fine"), SimpleUploadedFile("bomb.png", out.getvalue())])
    assert "64" in refused.value.message and refused.value.fields["attachments"]
    assert not Case.objects.exists()


def test_word_bomb_at_intake_page_is_a_clear_error(client, clerk, org):
    from huiyin.intake.tests.test_register import form_data

    client.force_login(clerk)
    bomb = SimpleUploadedFile("举报.docx", replace_parts(word_file(), {"docProps/core.xml": BILLION_LAUGHS}))
    response = client.post(reverse("intake:register"), {**form_data(unit=org["a_office"].pk), "attachments": [bomb]})
    assert response.status_code == 400 and not Case.objects.exists()
    assert gettext("The document contains XML entity declarations, which Office files never need; refused.") in (
        response.content.decode()
    )


# Downloads --------------------------------------------------------------------------------------


@pytest.fixture
def photo_case(make_case):
    case = make_case(uploads=[SimpleUploadedFile("现场.jpg", phone_photo())])
    return case, case.attachments.get()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_normal_download_serves_the_copy_and_is_logged(client, office, photo_case):
    case, attachment = photo_case
    client.force_login(office)
    response = client.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    body = _body(response)
    assert body == attachment.sanitised_file.read() and b"CAM-SERIAL-4711" not in body
    record = AuditRecord.objects.filter(action="attachment.download").latest("seq")
    assert record.detail["copy"] == "sanitised"


def test_original_download_needs_the_unsealing_right_and_a_reason_and_is_audited(client, office, photo_case):
    case, attachment = photo_case
    url = reverse("cases:attachment_original", args=[case.pk, attachment.pk])
    client.force_login(office)

    assert client.get(url).status_code == 405
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 302 and not AuditRecord.objects.filter(detail__copy="original").exists()

    response = client.post(url, {"reason": "核对照片拍摄时间"})

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert _body(response) == phone_photo()
    record = AuditRecord.objects.filter(action="attachment.download").latest("seq")
    assert record.detail == {"case_no": case.case_no, "copy": "original", "reason": "核对照片拍摄时间"}
    assert record.actor_id == office.pk and record.object_id == str(attachment.pk)


@pytest.mark.parametrize(("persona", "code"), [("clerk", 403), ("executive", 403), ("other_unit_clerk", 404)])
def test_original_download_is_refused_to_others(client, request, photo_case, persona, code):
    case, attachment = photo_case
    client.force_login(request.getfixturevalue(persona))
    before = AuditRecord.objects.filter(action="access.denied").count()
    response = client.post(
        reverse("cases:attachment_original", args=[case.pk, attachment.pk]), {"reason": "想看看原件"}
    )
    assert response.status_code == code
    assert AuditRecord.objects.filter(action="access.denied").count() == before + 1
    assert not AuditRecord.objects.filter(detail__copy="original").exists()


def test_original_of_an_accusation_needs_a_custodian_approval(client, make_case, discipline, custodian):
    from huiyin.people.services import unseal_request_create, unseal_request_decide

    case = make_case(
        type="accusation",
        subject="检举一厂某科长违规报销",
        content="一厂某科长多次虚开发票报销。",
        uploads=[SimpleUploadedFile("发票.jpg", phone_photo())],
    )
    attachment = case.attachments.get()
    url = reverse("cases:attachment_original", args=[case.pk, attachment.pk])
    client.force_login(discipline)

    response = client.post(url, {"reason": "核实发票照片"}, follow=True)
    assert gettext("This is an accusation report: ask an identity custodian to approve unsealing first.") in (
        response.content.decode()
    )
    assert not AuditRecord.objects.filter(detail__copy="original").exists()

    request = unseal_request_create(case=case, actor=discipline, reason="核实发票照片来源")
    unseal_request_decide(request=request, actor=custodian, approve=True)
    response = client.post(url, {"reason": "核实发票照片"})
    assert response.status_code == 200 and _body(response) == phone_photo()


def test_case_page_shows_the_notes_and_the_original_form_only_to_the_right(client, office, clerk, photo_case):
    case, attachment = photo_case
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert gettext("Metadata removed") in page and gettext("Original restricted to authorised staff") in page
    assert reverse("cases:attachment_original", args=[case.pk, attachment.pk]) in page
    client.force_login(clerk)
    page = client.get(case.get_absolute_url()).content.decode()
    assert gettext("Metadata removed") in page
    assert reverse("cases:attachment_original", args=[case.pk, attachment.pk]) not in page


def test_file_kept_unstripped_is_flagged_on_the_page(client, office, make_case):
    case = make_case(uploads=[SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\ngarbage")])
    attachment = case.attachments.get()
    assert attachment.sanitiser == "unstripped" and not attachment.sanitised_file
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert gettext("Metadata not removed") in page
    assert reverse("cases:attachment_original", args=[case.pk, attachment.pk]) not in page


def test_partly_cleaned_file_is_flagged_with_the_parts_kept(client, office, make_case):
    data = replace_parts(
        word_file(), {OLE_PART: package_object(), "word/media/media1.mp4": b"\x00\x00\x00\x18ftypmp42"}
    )
    case = make_case(uploads=[SimpleUploadedFile("说明.docx", data)])
    attachment = case.attachments.get()
    assert attachment.sanitiser == "partial" and attachment.metadata_kept == [
        "word/embeddings/oleObject1.bin",
        "word/media/media1.mp4",
    ]
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert gettext("Metadata partly removed") in page and gettext("Metadata removed") not in page
    assert "oleObject1.bin" in page and "media1.mp4" in page
    assert reverse("cases:attachment_original", args=[case.pk, attachment.pk]) in page  # the original differs


def test_files_stored_before_copies_existed_get_one_and_keep_their_original(make_case):
    from django.core.management import call_command

    case = make_case(uploads=[SimpleUploadedFile("现场.jpg", phone_photo()), SimpleUploadedFile("a.txt", b"abc")])
    # As stored before this change: no copy, not checked.
    case.attachments.update(sanitised_file="", sanitiser="", metadata_removed=False)
    out = io.StringIO()

    call_command("attachments_sanitise", stdout=out)
    call_command("attachments_sanitise", stdout=out)  # again: nothing left to do

    files = {a.original_name: a for a in case.attachments.all()}
    image, text = files["现场.jpg"], files["a.txt"]
    assert image.sanitiser == "image" and image.metadata_removed and image.file.read() == phone_photo()
    assert b"CAM-SERIAL-4711" not in image.sanitised_file.read()
    assert text.sanitiser == "plain" and not text.sanitised_file
    assert out.getvalue().splitlines() == [
        "2 attachment(s) checked, metadata removed from 1.",
        "0 attachment(s) checked, metadata removed from 0.",
    ]


def test_recordings_stored_before_audio_was_handled_get_their_copy_after_the_upgrade(make_case):
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    upgrade = importlib.import_module("huiyin.cases.migrations.0005_attachment_audio_sanitiser")
    case = make_case(
        uploads=[
            SimpleUploadedFile("录音.mp3", tagged_mp3()),
            SimpleUploadedFile("语音.amr", b"#!AMR\n" + bytes(31)),
            SimpleUploadedFile("说明.txt", b"text"),
        ]
    )
    case.attachments.exclude(content_type="text/plain").update(
        sanitised_file="", sanitiser="unstripped", metadata_removed=False
    )

    upgrade.audio_to_recheck(apps, None)
    call_command("attachments_sanitise", stdout=io.StringIO())

    files = {a.original_name: a for a in case.attachments.all()}
    assert files["录音.mp3"].sanitiser == "audio" and files["录音.mp3"].handler_file.read() == MP3_FRAME * 20
    assert files["语音.amr"].sanitiser == "none" and not files["语音.amr"].sanitised_file
    assert files["说明.txt"].sanitiser == "plain"


def test_office_files_are_cleaned_again_after_the_upgrade_and_the_earlier_copy_removed(
    make_case, django_capture_on_commit_callbacks
):
    import importlib

    from django.apps import apps
    from django.core.management import call_command

    upgrade = importlib.import_module("huiyin.cases.migrations.0006_attachment_metadata_kept")
    data = replace_parts(word_file(author="外层作者"), {OLE_PART: excel97_object(author="嵌入作者")})
    scan = pdf_with_photo(phone_photo(orientation=1))
    case = make_case(
        uploads=[
            SimpleUploadedFile("附表.docx", data),
            SimpleUploadedFile("扫描件.pdf", scan),
            SimpleUploadedFile("现场.jpg", phone_photo()),
        ]
    )
    # As cleaned before embedded objects and photos in PDFs were handled: both kept with their metadata.
    old_pdf = case.attachments.get(original_name="扫描件.pdf")
    old_pdf.sanitised_file.save("sanitised", SimpleUploadedFile("x", scan), save=False)
    old_pdf.save()
    letter = case.attachments.get(original_name="附表.docx")
    letter.sanitised_file.save("sanitised", SimpleUploadedFile("x", data), save=False)
    letter.save()
    earlier = letter.sanitised_file.name
    storage = letter.sanitised_file.storage

    upgrade.documents_to_recheck(apps, None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("attachments_sanitise", stdout=io.StringIO())

    letter.refresh_from_db()
    assert letter.sanitiser == "office" and letter.sanitised_file.name != earlier and not storage.exists(earlier)
    copy = zipfile.ZipFile(io.BytesIO(letter.sanitised_file.read())).read(OLE_PART)
    assert "嵌入作者".encode("gbk") not in copy and letter.file.read() == data
    pdf = case.attachments.get(original_name="扫描件.pdf")
    assert pdf.sanitiser == "pdf" and b"CAM-SERIAL-4711" not in pdf.handler_file.read()
    assert case.attachments.get(original_name="现场.jpg").sanitiser == "image"  # other kinds are left alone
