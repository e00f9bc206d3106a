"""Metadata in binary parts of documents: legacy OLE objects and EMF pictures in Office files, JPEGs in PDFs.

An Office file can hold objects in the older binary format (``embeddings/oleObject1.bin``: an Excel 97
worksheet, a file attached as an icon, a formula) and EMF drawings. Their container (the OLE compound
file) cannot grow or shrink here (olefile only rewrites a stream in place), so what can name a person is
overwritten at the same length:

- the property sets ``\\x05SummaryInformation`` and ``\\x05DocumentSummaryInformation`` (author, last saved
  by, company, manager, custom properties) become an empty set keeping only the code page;
- an attached file (``\\x01Ole10Native``, "Package") keeps its label but its source and temporary paths
  (``C:\\Users\\<name>\\Desktop\\...``) lose every folder name;
- an Excel 97-2003 workbook (``Workbook``) loses the user names in WRITEACCESS, FILESHARING and the
  authors of cell notes;
- an EMF picture loses its description (the program and the picture's name);
- a JPEG kept whole inside a PDF (a scan app's page, a photo "printed" to PDF) loses its EXIF, XMP, IPTC
  and comment segments, losslessly.

What cannot be cleaned this way is reported as kept, never claimed clean: an attached file's own content,
Word or PowerPoint binary documents, macros, an encrypted or a picture-holding workbook, any stream
not listed in `_NEUTRAL_STREAMS`.
"""

from __future__ import annotations

import io
import logging
import re
import struct
from dataclasses import dataclass

import olefile

logger = logging.getLogger(__name__)

OLE_MAGIC = olefile.MAGIC

_PROPERTY_STREAMS = {"\x05summaryinformation", "\x05documentsummaryinformation"}
# Streams that carry no text about who wrote or saved the object: the object's class and flags, its cached
# picture, a formula (Equation Editor / MathType).
_NEUTRAL_STREAMS = re.compile(r"\x01compobj|\x01ole|\x03objinfo|\x02olepres\d{3}|equation native|\x03eprint")

_CODEPAGE_PID = 1
_VT_I2 = 2
_EMPTY_SET_SIZE = 72  # header, one section, the code page property


@dataclass(frozen=True)
class OleResult:
    """The cleaned compound file, whether anything was removed, and whether every stream is now known clean."""

    data: bytes
    removed: bool
    complete: bool


def is_ole(head: bytes) -> bool:
    return head[:8] == OLE_MAGIC


def clean_ole(data: bytes) -> OleResult | None:
    """Clean a compound file in place (same length); None if it cannot be read (kept as it is)."""
    buffer = io.BytesIO(data)
    try:
        ole = olefile.OleFileIO(buffer)
    except Exception:  # olefile raises many kinds on damaged or hostile files; the object is then kept
        logger.warning("embedded OLE object could not be read; kept", exc_info=True)
        return None
    removed, complete = False, True
    try:
        for path in ole.listdir(streams=True, storages=False):
            name = path[-1].lower()
            stream = ole.openstream(path).read()
            if name in _PROPERTY_STREAMS:
                emptied = _empty_property_set(stream)
                if emptied is None:
                    complete = False
                    continue
                clean, held = emptied
                removed = removed or held
            elif name == "\x01ole10native":
                clean = _package_without_paths(stream)
                complete = False  # the attached file's own content (and its metadata) is kept as it is
                if clean is None:
                    continue
            elif name == "workbook":
                workbook = _workbook_without_names(stream)
                if workbook is None:
                    complete = False
                    continue
                clean, whole = workbook
                complete = complete and whole
            else:
                if not _NEUTRAL_STREAMS.fullmatch(name):
                    complete = False  # WordDocument, PowerPoint Document, macros, anything unknown
                continue
            if clean != stream:
                ole.write_stream(path, clean)
                removed = removed or name not in _PROPERTY_STREAMS
    except Exception:  # as above: a damaged stream table or chain
        logger.warning("embedded OLE object could not be cleaned; kept", exc_info=True)
        return None
    finally:
        ole.close()
    return OleResult(buffer.getvalue(), removed, complete)


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _empty_property_set(stream: bytes) -> tuple[bytes, bool] | None:
    """The same property set stream with its code page alone (MS-OLEPS requires one), zero-padded to its
    length, and whether it held anything else."""
    if len(stream) < _EMPTY_SET_SIZE or stream[:2] != b"\xfe\xff":
        return None
    codepage = 1200  # UTF-16, when the set names none
    sections, first = _u32(stream, 24), _u32(stream, 44)
    count = _u32(stream, first + 4) if first + 8 <= len(stream) else 0
    held = sections > 1 or any(
        first + 16 + 8 * index <= len(stream) and _u32(stream, first + 8 + 8 * index) != _CODEPAGE_PID
        for index in range(min(count, 1024))
    )
    for index in range(min(count, 1024)):
        entry = first + 8 + 8 * index
        if entry + 8 > len(stream):
            break
        pid, offset = struct.unpack_from("<II", stream, entry)
        value = first + offset
        if pid == _CODEPAGE_PID and value + 6 <= len(stream) and _u16(stream, value) == _VT_I2:
            codepage = _u16(stream, value + 4)
    header = stream[:24] + struct.pack("<I", 1) + stream[28:44] + struct.pack("<I", 48)
    section = struct.pack("<IIIIHHhH", 24, 1, _CODEPAGE_PID, 16, _VT_I2, 0, codepage - 65536 * (codepage > 32767), 0)
    return (header + section).ljust(len(stream), b"\x00"), held


def _without_folders(path: bytes, wide: bool = False) -> bytes:
    """The same number of bytes: every folder name replaced by underscores, the file name kept."""
    if not wide:
        cut = max(path.rfind(b"\\"), path.rfind(b"/"))
        return path if cut < 0 else b"_" * cut + path[cut:]
    text = path.decode("utf-16-le", "surrogatepass")
    cut = max(text.rfind("\\"), text.rfind("/"))
    if cut < 0:
        return path
    folders = len(text[:cut].encode("utf-16-le", "surrogatepass")) // 2
    return ("_" * folders + text[cut:]).encode("utf-16-le", "surrogatepass")


def _package_without_paths(stream: bytes) -> bytes | None:
    """An attached file (MS-OLEDS OLENativeStream, Packager layout) with its source and temporary paths
    stripped of folder names; None if the stream has another layout."""
    data = bytearray(stream)
    at = 4
    if len(data) < 8 or _u16(data, at) != 2:
        return None
    at += 2
    label_end = data.find(b"\x00", at)  # the label shown under the icon: the file's name, kept
    if label_end < 0:
        return None
    at = label_end + 1
    path_end = data.find(b"\x00", at)
    if path_end < 0:
        return None
    data[at:path_end] = _without_folders(bytes(data[at:path_end]))
    at = path_end + 1 + 4  # two reserved words
    if at + 4 > len(data):
        return None
    size = _u32(data, at)
    at += 4
    if at + size > len(data):
        return None
    temp_end = data.find(b"\x00", at, at + size)
    temp_end = at + size if temp_end < 0 else temp_end
    data[at:temp_end] = _without_folders(bytes(data[at:temp_end]))
    at += size
    if at + 4 > len(data):
        return None
    at += 4 + _u32(data, at)  # the attached file itself
    # Optional Unicode copies: temporary path, label, source path (each a character count and UTF-16LE text).
    for field in ("temp", "label", "source"):
        if at + 4 > len(data):
            break
        chars = _u32(data, at)
        at += 4
        if at + 2 * chars > len(data):
            return None
        if field != "label":
            data[at : at + 2 * chars] = _without_folders(bytes(data[at : at + 2 * chars]), wide=True)
        at += 2 * chars
    return bytes(data)


# BIFF8 records (MS-XLS 2.3): the ones that hold a user name, and the ones that end what can be read.
_WRITEACCESS, _FILESHARING, _NOTE = 0x005C, 0x005B, 0x001C
_FILEPASS, _DRAWING_GROUP, _CONTINUE, _BOF = 0x002F, 0x00EB, 0x003C, 0x0809
_PICTURE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*")


def _blank_unicode_string(data: bytearray, at: int, end: int) -> None:
    """Overwrite the characters of an XLUnicodeString (cch, fHighByte, characters) with spaces."""
    if at + 3 > end:
        return
    chars, high = _u16(data, at), data[at + 2] & 1
    start = at + 3
    stop = min(end, start + chars * (2 if high else 1))
    data[start:stop] = (b" \x00" if high else b" ") * ((stop - start) // (2 if high else 1))


def _workbook_without_names(stream: bytes) -> tuple[bytes, bool] | None:
    """An Excel 97-2003 workbook stream without user names; whether nothing else that can name someone is
    left (not encrypted, no pictures). None if it is not BIFF8."""
    data = bytearray(stream)
    if len(data) < 8 or _u16(data, 0) != _BOF or _u16(data, 4) != 0x0600:
        return None
    at, whole, in_drawing_group = 0, True, False
    while at + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, at)
        body, end = at + 4, min(at + 4 + length, len(data))
        if kind == _FILEPASS:  # the rest is encrypted: not readable here
            return bytes(data), False
        if kind == _WRITEACCESS:
            _blank_unicode_string(data, body, end)
        elif kind == _FILESHARING:
            _blank_unicode_string(data, body + 4, end)
        elif kind == _NOTE:
            _blank_unicode_string(data, body + 8, end)
        if kind == _DRAWING_GROUP or (kind == _CONTINUE and in_drawing_group):
            in_drawing_group = True
            if any(magic in data[body:end] for magic in _PICTURE_MAGIC):
                whole = False  # a photo with its EXIF inside the workbook's drawing layer
        else:
            in_drawing_group = False
        at = end
    return bytes(data), whole


_EMF_SIGNATURE = 0x464D4520  # " EMF"


def is_emf(head: bytes) -> bool:
    """The first 88 bytes are an EMF header record (EMR_HEADER with the " EMF" signature)."""
    return len(head) >= 88 and _u32(head, 0) == 1 and _u32(head, 40) == _EMF_SIGNATURE


def clean_emf(data: bytes) -> tuple[bytes, bool] | None:
    """An EMF picture without its header description; None if it is not an EMF picture."""
    if not is_emf(data):
        return None
    header_size = _u32(data, 4)
    chars, offset = _u32(data, 60), _u32(data, 64)
    if not chars or offset < 88 or offset + 2 * chars > min(header_size, len(data)):
        return data, False
    description = data[offset : offset + 2 * chars]
    if not description.strip(b"\x00"):
        return data, False
    return data[:offset] + bytes(2 * chars) + data[offset + 2 * chars :], True


# JPEG segments (ITU T.81 B.1.1.3). Kept: JFIF (APP0), ICC colour profiles (APP2 "ICC_PROFILE"), Adobe's
# colour transform (APP14), and every segment that decodes the picture. Dropped: EXIF and XMP (APP1: GPS,
# camera serial, owner), MPF and other APP2 (they point at further pictures appended after the end), APP3
# to APP13 (IPTC "by-line", Ducky), APP15, comments, and anything after the end of the picture.
_JPEG_KEEP_APP = {0xE0, 0xEE}
_ICC = b"ICC_PROFILE\x00"


def jpeg_without_metadata(data: bytes) -> tuple[bytes, bool] | None:
    """The same JPEG without its metadata segments, losslessly (the coded picture is copied byte for byte),
    and whether anything was removed; None if it is not a JPEG this can walk."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out, at, removed = bytearray(b"\xff\xd8"), 2, False
    while True:
        if at + 4 > len(data) or data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        length = struct.unpack_from(">H", data, at + 2)[0]
        end = at + 2 + length
        if length < 2 or end > len(data):
            return None
        segment = data[at:end]
        if marker == 0xDA:  # start of scan: the coded picture, up to the first end-of-image marker
            stop = data.find(b"\xff\xd9", end)
            stop = len(data) if stop < 0 else stop + 2
            out += data[at:stop]
            return bytes(out), removed or stop < len(data)
        metadata = marker == 0xFE or (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP)
        if metadata and not (marker == 0xE2 and segment[4:16] == _ICC):
            removed = True
            at = end
            continue
        out += segment
        at = end
