"""Sample files as phones and office software write them, with the metadata that can name a petitioner."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile

import docx
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

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


def pdf_with_photo(jpeg: bytes, size=(40, 20), attachment: tuple[str, bytes] | None = None) -> bytes:
    """A one-page PDF showing a phone photo kept whole as a DCTDecode image (as scan apps and "print to PDF"
    do), optionally with a file attached to the document."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    image = StreamObject()
    image._data = jpeg
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(size[0]),
            NameObject("/Height"): NumberObject(size[1]),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    content = StreamObject()
    content._data = b"q 40 0 0 20 10 10 cm /Im0 Do Q"
    page[NameObject("/Contents")] = writer._add_object(content)
    if attachment:
        writer.add_attachment(*attachment)
    out = io.BytesIO()
    writer.write(out)
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

    def chunk(chunk_id: bytes, body: bytes) -> bytes:
        return chunk_id + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")

    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000, 1, 8)
    info = b"INFO" + chunk(b"IART", b"ZhangSan\0") + chunk(b"ISFT", b"Recorder-4711\0")
    bext = b"Originator: ZHANGSAN-PHONE".ljust(602, b"\0")
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"LIST", info) + chunk(b"bext", bext) + chunk(b"data", frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# Older binary Office objects ------------------------------------------------------------------------
# A minimal compound file writer (MS-CFB version 3: 512-byte sectors, 64-byte mini sectors below 4,096
# bytes), enough to make the objects Office stores as word/embeddings/oleObject1.bin. Test-only: the
# product only ever rewrites streams in place.

_FREE, _END, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` (names with "/" for storages) as Office writes it."""
    entries = [("Root Entry", 5, None)]  # (name, type, parent index)
    index: dict[str, int] = {"": 0}
    for path in sorted(streams):
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key not in index:
                index[key] = len(entries)
                kind = 2 if depth == len(parts) else 1
                entries.append((parts[depth - 1], kind, index["/".join(parts[: depth - 1])]))
    mini, big = bytearray(), bytearray()
    mini_fat: list[int] = []
    big_chains: list[tuple[int, int]] = []  # (first sector, sectors): the big streams come first
    placed: dict[int, tuple[int, int]] = {}  # entry -> (start sector, size)
    for path, data in streams.items():
        entry = index[path]
        if len(data) < 4096:
            first, count = len(mini) // 64, max(1, -(-len(data) // 64))
            mini += data.ljust(count * 64, b"\x00")
            mini_fat += [first + k + 1 for k in range(count - 1)] + [_END]
            placed[entry] = (first, len(data))
        else:
            first, count = len(big) // 512, -(-len(data) // 512)
            big += data.ljust(count * 512, b"\x00")
            big_chains.append((first, count))
            placed[entry] = (first, len(data))
    mini = mini.ljust(-(-len(mini) // 512) * 512, b"\x00")
    mini_fat_bytes = b"".join(struct.pack("<I", v) for v in mini_fat)
    mini_fat_bytes = mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // 512) * 512, b"\xff")
    directory_sectors = -(-len(entries) * 128 // 512)
    # Layout: big streams, mini stream container, mini FAT, directory, FAT.
    sizes = [len(big) // 512, len(mini) // 512, len(mini_fat_bytes) // 512, directory_sectors]
    starts = [sum(sizes[:k]) for k in range(4)]
    used = sum(sizes)
    fat_sectors = 1
    while (used + fat_sectors) > fat_sectors * 128:
        fat_sectors += 1
    fat = [_FREE] * (fat_sectors * 128)

    def chain(start: int, count: int) -> None:
        for k in range(count):
            fat[start + k] = start + k + 1 if k < count - 1 else _END

    for first, count in big_chains:
        chain(first, count)
    for k in range(1, 4):
        if sizes[k]:
            chain(starts[k], sizes[k])
    for k in range(fat_sectors):
        fat[used + k] = _FAT_SECTOR
    children: dict[int, list[int]] = {}
    for number, (_name, _kind, parent) in enumerate(entries):
        if parent is not None:
            children.setdefault(parent, []).append(number)

    def order(number: int) -> tuple[int, str]:
        name = entries[number][0]
        return (len(name), name.upper())

    left_right: dict[int, int] = {}
    child_of: dict[int, int] = {}
    for parent, numbers in children.items():
        numbers.sort(key=order)  # a right-leaning chain in CFB order is a valid (all black) tree
        child_of[parent] = numbers[0]
        for a, b in itertools.pairwise(numbers):
            left_right[a] = b
    directory = bytearray()
    for number, (name, kind, _parent) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        start, size = _END, 0
        if number == 0 and mini:
            start, size = starts[1], len(mini)
        elif number in placed:
            start, size = placed[number]
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            _FREE,
            left_right.get(number, _FREE),
            child_of.get(number, _FREE),
            bytes(16),
            0,
            0,
            0,
            start,
            size,
        )
    directory = directory.ljust(directory_sectors * 512, b"\x00")
    difat = [used + k for k in range(fat_sectors)] + [_FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHHHIIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        0,
        0,
        0,
        fat_sectors,
        starts[3],
        0,
        4096,
        starts[2] if mini_fat else _END,
        sizes[2],
        _END,
        0,
    ) + b"".join(struct.pack("<I", v) for v in difat)
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    return header + bytes(big) + bytes(mini) + mini_fat_bytes + bytes(directory) + fat_bytes


SUMMARY_FMTID = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
DOC_SUMMARY_FMTID = bytes.fromhex("02d5cdd59c2e1b10939708002b2cf9ae")


def property_set(fmtid: bytes, strings: dict[int, str], codepage: int = 936) -> bytes:
    """A property set stream (MS-OLEPS) with a code page and string properties, e.g. 4: author, 8: last saved by."""
    values = [(1, struct.pack("<HHhH", 2, 0, codepage - 65536 * (codepage > 32767), 0))]
    for pid, text in strings.items():
        raw = text.encode("gbk") + b"\x00"
        raw = raw.ljust(-(-len(raw) // 4) * 4, b"\x00")
        values.append((pid, struct.pack("<HHI", 0x1E, 0, len(text.encode("gbk")) + 1) + raw))
    offsets, body, at = [], b"", 8 + 8 * len(values)
    for pid, value in values:
        offsets.append(struct.pack("<II", pid, at))
        body += value
        at += len(value)
    section = struct.pack("<II", at, len(values)) + b"".join(offsets) + body
    return struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), 1) + fmtid + struct.pack("<I", 48) + section


def _biff(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _xl_string(text: str) -> bytes:
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def biff8_workbook(user: str = "zhangsan", note_author: str = "张三", picture: bytes = b"") -> bytes:
    """An Excel 97-2003 workbook stream: the saving user (WRITEACCESS), a shared-file user (FILESHARING),
    a cell note with its author (NOTE) and, optionally, a picture in the drawing layer."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0)
    write_access = _xl_string(user).ljust(112, b" ")
    records = [
        _biff(0x0809, bof),
        _biff(0x005C, write_access),
        _biff(0x005B, struct.pack("<HH", 0, 0) + _xl_string(user)),
        _biff(0x0042, struct.pack("<H", 1200)),
    ]
    if picture:
        records.append(_biff(0x00EB, struct.pack("<HHI", 0x000F, 0xF000, len(picture)) + picture))
    records += [
        _biff(0x000A, b""),
        _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0)),
        _biff(0x0204, struct.pack("<HHH", 0, 0, 15) + "八月加班费".encode("utf-16-le")),
        _biff(0x001C, struct.pack("<HHHH", 0, 0, 0, 1) + _xl_string(note_author) + b"\x00"),
        _biff(0x000A, b""),
    ]
    return b"".join(records)


def excel97_object(author: str = "张三", user: str = "zhangsan", picture: bytes = b"") -> bytes:
    """oleObject1.bin as Word stores an Excel 97-2003 worksheet inserted into a letter."""
    return compound_file(
        {
            "\x01CompObj": b"\x01\x00\xfe\xff\x03\x0a\x00\x00" + bytes(60),
            "\x03ObjInfo": b"\x00\x00\x03\x00\x04\x00",
            "\x05SummaryInformation": property_set(SUMMARY_FMTID, {2: "工资表", 4: author, 8: author}),
            "\x05DocumentSummaryInformation": property_set(DOC_SUMMARY_FMTID, {15: "某某集团公司"}),
            "Workbook": biff8_workbook(user=user, note_author=author, picture=picture),
        }
    )


def package_object(content: bytes = b"%PDF-1.4 attached", label: str = "report.pdf") -> bytes:
    """oleObject1.bin as Word stores a file inserted as an icon ("Package"): label, source and temporary path."""
    source = ("C:\\Users\\zhangsan\\Desktop\\" + label).encode("gbk") + b"\x00"
    temp = ("C:\\Users\\zhangsan\\AppData\\Local\\Temp\\" + label).encode("gbk") + b"\x00"
    native = (
        struct.pack("<H", 2)
        + label.encode("gbk")
        + b"\x00"
        + source
        + struct.pack("<HH", 0, 3)
        + struct.pack("<I", len(temp))
        + temp
        + struct.pack("<I", len(content))
        + content
    )
    for text in (temp[:-1].decode("gbk"), label, source[:-1].decode("gbk")):
        native += struct.pack("<I", len(text)) + text.encode("utf-16-le")
    return compound_file(
        {
            "\x01CompObj": b"\x01\x00\xfe\xff\x03\x0a\x00\x00" + bytes(60),
            "\x01Ole10Native": struct.pack("<I", len(native)) + native,
        }
    )


def emf_picture(description: str = "WPS Office\x00C:\\Users\\zhangsan\\图.emf\x00\x00") -> bytes:
    """An EMF drawing whose header names the program and the picture's file (EMR_HEADER with a description)."""
    text = description.encode("utf-16-le")
    header_size = 108 + len(text)
    header = struct.pack(
        "<II4i4iIIIIHHIIIiiii",
        1,
        header_size,
        0,
        0,
        10,
        10,
        0,
        0,
        1000,
        1000,
        0x464D4520,
        0x10000,
        header_size + 20,
        2,
        1,
        0,
        len(text) // 2,
        108,
        0,
        1920,
        1080,
        508,
        286,
    )
    header = header.ljust(108, b"\x00") + text
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    return header + eof
