"""Sample files as phones and office software write them, with the metadata that can name a petitioner."""

from __future__ import annotations

import io
import zipfile

import docx
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

GPS_IFD, ORIENTATION, MODEL, BODY_SERIAL = 0x8825, 0x0112, 0x0110, 0xA431


def phone_photo(orientation=3) -> bytes:
    """40×20: left half red, right half blue; EXIF with GPS, camera model and serial, and an orientation."""
    image = Image.new("RGB", (40, 20), "red")
    image.paste(Image.new("RGB", (20, 20), "blue"), (20, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MODEL] = "Pixel-7-SN"
    exif[BODY_SERIAL] = "CAM-SERIAL-4711"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def word_file(author="王五", pictures=()) -> bytes:
    """A Word file naming its author; `pictures` (image bytes) are pasted after the text, into word/media/."""
    document = docx.Document()
    paragraph = document.add_paragraph("一厂八月加班费未发放，请核实。")
    document.add_comment(paragraph.runs, text="此处需补充证据", author=author, initials="WW")
    for picture in pictures:
        document.add_picture(io.BytesIO(picture))
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    document.core_properties.title = "举报材料"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_with_author(size=(12, 8)) -> bytes:
    """A screenshot as some editors save it: a tEXt chunk naming the author, an iTXt chunk saying where."""
    info = PngInfo()
    info.add_text("Author", "zhangsan")  # Latin-1, so a tEXt chunk (Pillow writes other text as iTXt)
    info.add_itxt("Comment", "拍摄于一厂宿舍", lang="zh")
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 20, 30, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_bomb(size=(9000, 9000)) -> bytes:
    """81 megapixels in a few kilobytes: decoding it takes far more memory than the file suggests."""
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")
    return out.getvalue()


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename, source.read(info)))
        for name, content in parts.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)  # lol9 expands to 10⁹ copies of "lol"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + LAUGHS + "]>"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>&lol9;</dc:creator></cp:coreProperties>'
).encode()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "FirstAuthor", "/Creator": "WPS"})
    first = io.BytesIO()
    writer.write(first)
    # A second, incremental save: the old /Info stays in the bytes, unreferenced, as real PDFs do.
    update = PdfWriter(PdfReader(io.BytesIO(first.getvalue())), incremental=True)
    update.add_metadata({"/Author": "SecondAuthor"})
    xmp = StreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>XmpAuthor</dc:creator></x:xmpmeta>")
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    update.root_object[NameObject("/Metadata")] = update._add_object(xmp)
    out = io.BytesIO()
    update.write(out)
    return out.getvalue()


def excel_file(author="张三") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    workbook.properties.creator = author
    workbook.active.title = "工资"
    workbook.active["A1"] = "八月加班费"
    workbook.active["A1"].comment = Comment("未发放", author)
    out = io.BytesIO()
    workbook.save(out)
    # What Excel adds on save: the sharing user and the folder the file was saved in.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    saved = source.read("xl/workbook.xml").replace(
        b"<workbookPr",
        b'<fileSharing userName="zhangsan"/><mc:AlternateContent '
        b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15">'
        b'<x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
        b'url="C:\\Users\\zhangsan\\Desktop\\"/></mc:Choice></mc:AlternateContent><workbookPr',
        1,
    )
    return replace_parts(out.getvalue(), {"xl/workbook.xml": saved})


# One MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz) of silence: the sound of the test recordings.
MP3_FRAME = bytes.fromhex("fffb9064") + bytes(413)


def tagged_mp3() -> bytes:
    """A phone recording as recorder apps write it: ID3v2 naming the owner and device, an APE tag and an
    ID3v1 tag after the sound."""
    from mutagen.apev2 import APEv2
    from mutagen.id3 import COMM, ID3, TPE1

    out = io.BytesIO(MP3_FRAME * 20)
    tags = ID3()
    tags.add(TPE1(encoding=3, text=["张三的手机"]))
    tags.add(COMM(encoding=3, lang="chi", desc="", text=["HUAWEI-P40-SERIAL-4711"]))
    tags.save(out)
    ape = APEv2()
    ape["Artist"] = "ZhangSanApe"
    ape.save(out)
    out.seek(0, 2)
    out.write(b"TAG" + b"ZhangSanV1".ljust(125, b"\0"))
    return out.getvalue()


def wav_with_info(frames: bytes = bytes(range(256)) * 8) -> bytes:
    """A PCM WAV whose LIST/INFO names the artist and software and whose bext chunk names the originator,
    as field recorders write them; the data chunk is 2,048 bytes of 8-bit mono samples."""
    import struct

    def chunk(chunk_id: bytes, body: bytes) -> bytes:
        return chunk_id + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")

    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000, 1, 8)
    info = b"INFO" + chunk(b"IART", b"ZhangSan\0") + chunk(b"ISFT", b"Recorder-4711\0")
    bext = b"Originator: ZHANGSAN-PHONE".ljust(602, b"\0")
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"LIST", info) + chunk(b"bext", bext) + chunk(b"data", frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body
