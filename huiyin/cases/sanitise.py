"""The copy of an upload that handlers open: the same content without the metadata that can name its author.

A phone photo carries GPS coordinates and the camera's serial number in EXIF; a Word or Excel file
names its author, company and last editor; a PDF names its author in /Info and XMP. An anonymous
petitioner is identified by any of these. The original is kept unchanged (it is the evidence that
was accepted); this module makes the copy the normal download serves.

What is done depends on the type detected from the bytes (`attachments.inspect_upload`):
- images are decoded and re-encoded from their pixels alone, EXIF orientation applied first;
- Office Open XML files get neutral document properties, no custom properties, and no author names
  on comments and tracked changes, and so do the Office files embedded in them (one level deep); the pictures pasted into them (word/media/, xl/media/, ppt/media/)
  and the preview thumbnail (docProps/thumbnail.*) are re-encoded like uploaded images; SVG pictures
  lose their RDF metadata and the editor's own elements and attributes (Inkscape's export path); EMF
  drawings lose their description; objects in the older binary format (an Excel 97 sheet, a file shown
  as an icon) lose their author fields, user names and folder paths (`sanitise_binary`); a saved page
  setup loses the printer's name; every other part keeps its exact content;
- PDFs are rewritten by pypdf without /Info, XMP or application private data (and without the
  older revisions an incremental save leaves behind);
- MP3 recordings lose their ID3 (v1 and v2) and APE tags, which phone recorders fill with the
  owner's or the device's name; WAV recordings keep only the chunks that carry sound (fmt, fact,
  data), losing LIST/INFO, bext, iXML, XMP and ID3 chunks; the audio bytes are copied unchanged;
- plain text and AMR recordings carry no metadata.

Refused here, before anything is written: images that would decompress to more than
MAX_IMAGE_PIXELS, alone or as a picture inside an Office file; Office files whose pictures together
exceed MAX_DOCUMENT_PIXELS; and Office files declaring a DTD (XML entity expansion, "billion laughs").
A file that cannot be processed for any other reason is kept as it is and marked "not stripped",
so the handler sees a notice: an accepted file is never lost. A picture inside an Office file that
cannot be decoded (damaged, or a format we do not read: a video, a sound), an embedded object that cannot
be cleaned completely (a Word 97 document, an attached file's own content), macros and ActiveX controls,
and an embedding inside an embedded document are kept as they are, and the copy is marked partial with their names
(`SanitisedCopy.kept`), so the page never claims more than was done.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.saxutils import XMLGenerator

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

from huiyin.cases.attachments import AttachmentError, archive_check
from huiyin.cases.models import AttachmentSanitiser
from huiyin.cases.sanitise_binary import OleResult, clean_emf, clean_ole, is_emf, is_ole, jpeg_without_metadata

logger = logging.getLogger(__name__)

# 64 megapixels: a 50 MP phone photo passes, a decompression bomb does not (it needs ~200 MB to decode).
MAX_IMAGE_PIXELS = 64_000_000
# All the pictures of one Office file together: some twenty full-size phone photos pass; thousands of
# small bombs, each under MAX_IMAGE_PIXELS, do not (the archive checks allow 2,000 parts).
MAX_DOCUMENT_PIXELS = 4 * MAX_IMAGE_PIXELS
# Copies kept in memory up to this size, then on disk.
SPOOL_BYTES = 4 * 1024 * 1024

IMAGE_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/tiff": "TIFF",
}
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
PLAIN_TYPES = {"text/plain"}
# Formats without any place for metadata: an AMR file is a magic line followed by speech frames.
NO_METADATA_TYPES = {"audio/amr"}


@dataclass(frozen=True)
class SanitisedCopy:
    """The result: which method ran, whether it removed anything, and the copy (None: serve the original).
    `media` names the parts inside an Office file that were cleaned on their own: pictures re-encoded without
    their metadata, and embedded Office files (a worksheet pasted into a letter) cleaned like the letter.
    `kept` names the parts that may still carry metadata because they could not be cleaned (a video, a
    picture that does not decode, an object in an older binary format): such a copy is marked partial."""

    method: str
    removed: bool
    copy: File | None = None
    media: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


def sanitise_upload(upload: File, content_type: str) -> SanitisedCopy:
    """Make the handlers' copy of a checked upload, or raise AttachmentError if the file must be refused."""
    upload.seek(0)
    try:
        if content_type in IMAGE_FORMATS:
            return _image(upload, IMAGE_FORMATS[content_type])
        if content_type in OOXML_TYPES:
            return _ooxml(upload)
        if content_type == "application/pdf":
            return _pdf(upload)
        if content_type in PLAIN_TYPES:
            return SanitisedCopy(AttachmentSanitiser.PLAIN, removed=False)
        if content_type == "audio/mpeg":
            return _mp3(upload)
        if content_type == "audio/x-wav":
            return _wav(upload)
        if content_type in NO_METADATA_TYPES:
            return SanitisedCopy(AttachmentSanitiser.NO_METADATA, removed=False)
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    finally:
        upload.seek(0)


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to storage, closed with it


def _as_file(out: IO[bytes]) -> File:
    out.seek(0)
    return File(out, name="sanitised")


# Images -----------------------------------------------------------------------------------------

# Decoder facts that are not metadata: kept on the copy (transparency, timing) or only reported as not removed.
_NEUTRAL_INFO = {
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "dpi",
    "progressive",
    "progression",
    "adobe",
    "adobe_transform",
    "transparency",
    "duration",
    "loop",
    "background",
    "disposal",
    "blend",
    "default_image",
    "version",
    "compression",
    "aspect",
    "gamma",
}
_KEEP_INFO = {"transparency", "duration", "loop", "background", "disposal", "blend"}
# TIFF tags naming a device, a person, a place or a program; 34665/34853 point to the EXIF and GPS blocks.
_TIFF_METADATA_TAGS = {270, 271, 272, 305, 306, 315, 316, 700, 33432, 33723, 34377, 34665, 34675, 34853}


def _image_refused() -> AttachmentError:
    return AttachmentError(
        _("The image is too large to open safely (more than {mp} megapixels) and was refused.").format(
            mp=MAX_IMAGE_PIXELS // 1_000_000
        )
    )


def _image_open(stream: IO[bytes], formats: list[str]) -> tuple[Image.Image, str, int]:
    """Open an image, its header only, and refuse it if it would decode to more than MAX_IMAGE_PIXELS.
    Returns the image, the format to write it back in, and the number of pixels decoding will produce."""
    try:
        # Pillow's own bound (Image.MAX_IMAGE_PIXELS) raises beyond twice its value; ours is lower and
        # checked before a single pixel is decoded.
        image = Image.open(stream, formats=formats)
        fmt = "JPEG" if image.format == "MPO" else image.format
        frames = 1 if fmt == "JPEG" else getattr(image, "n_frames", 1)  # MPO: only the main picture is decoded
    except Image.DecompressionBombError as exc:
        raise _image_refused() from exc
    pixels = image.width * image.height * frames
    if pixels > MAX_IMAGE_PIXELS:
        raise _image_refused()
    return image, fmt, pixels


def _image(upload: File, fmt: str) -> SanitisedCopy:
    try:
        image, fmt, _pixels = _image_open(upload, [fmt])
        out, removed = _image_reencode(image, fmt)
    except Image.DecompressionBombError as exc:
        raise _image_refused() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError):
        # A damaged or unusual image the type check let through: kept as accepted, marked not stripped.
        logger.warning("image could not be re-encoded; kept unstripped", exc_info=True)
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    return SanitisedCopy(AttachmentSanitiser.IMAGE, removed=removed, copy=_as_file(out))


def _image_found_metadata(image: Image.Image, fmt: str) -> bool:
    if set(image.info) - _NEUTRAL_INFO:
        return True
    if fmt == "JPEG" and any(marker not in ("APP0", "APP14") for marker, _data in getattr(image, "applist", [])):
        return True
    if fmt == "TIFF" and _TIFF_METADATA_TAGS & set(getattr(image, "tag_v2", {})):
        return True
    return bool(image.getexif())


def _clean_frame(frame: Image.Image) -> Image.Image:
    # copy() gives a plain Image: no EXIF, no TIFF tags, no PNG text, only the pixels and their palette.
    clean = frame.copy()
    clean.info = {k: v for k, v in frame.info.items() if k in _KEEP_INFO}
    return clean


def _image_reencode(image: Image.Image, fmt: str) -> tuple[IO[bytes], bool]:
    """The image written again from its pixels alone, and whether the original carried metadata."""
    options: dict[str, Any] = {}
    if "dpi" in image.info:
        options["dpi"] = image.info["dpi"]
    animated = getattr(image, "n_frames", 1) > 1 and fmt != "JPEG"  # MPO: keep the main picture only
    if fmt == "JPEG":
        # The original's quantisation tables and subsampling keep the copy's quality close to the original.
        options["qtables"] = image.quantization
        options["subsampling"] = JpegImagePlugin.get_sampling(image)
        options["progressive"] = bool(image.info.get("progressive"))
    elif fmt == "WEBP":
        options["quality"] = 90
    elif fmt == "TIFF":
        options["compression"] = image.info.get("compression", "tiff_lzw")
    if animated:
        removed = False
        frames = []
        for frame in ImageSequence.Iterator(image):
            removed = removed or _image_found_metadata(frame, fmt)
            frames.append(_clean_frame(frame))
        first = frames[0]
        options.update(save_all=True, append_images=frames[1:])
        if fmt in ("GIF", "WEBP"):
            options["duration"] = [f.info.get("duration", 100) for f in frames]
            options["loop"] = image.info.get("loop", 0)
    else:
        image.load()  # PNG text after the pixel data is read only now
        removed = _image_found_metadata(image, fmt)
        # Orientation first, so the copy shows the picture the right way up once EXIF is gone.
        first = _clean_frame(ImageOps.exif_transpose(image))
    out = _spool()
    first.save(out, format=fmt, **options)
    out.seek(0)
    return out, removed


# Office Open XML --------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
X15AC = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
X_PERSONS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
P_STRICT = "http://purl.oclc.org/ooxml/presentationml/main"
P188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"
ANY = "*"

# (element namespace, element name, attribute namespace, attribute name) whose value is emptied.
# Word qualifies its attributes (w:author) and puts them on many elements; the others name the element.
_AUTHOR_ATTRIBUTES = {
    *((ANY, ANY, ns, name) for ns in (W, W_STRICT) for name in ("author", "initials")),
    *((ANY, ANY, W15, name) for name in ("author", "userId", "providerId")),
    *((ns, "fileSharing", None, "userName") for ns in (X, X_STRICT)),
    *((ns, "header", None, "userName") for ns in (X, X_STRICT)),  # shared-workbook revision headers
    *((ns, "userInfo", None, "name") for ns in (X, X_STRICT)),
    (X15AC, "absPath", None, "url"),  # the folder the workbook was saved in: C:\Users\<name>\...
    *((X_PERSONS, "person", None, name) for name in ("displayName", "userId", "providerId")),
    *((ns, "cmAuthor", None, name) for ns in (P, P_STRICT) for name in ("name", "initials")),
    *((P188, "author", None, name) for name in ("name", "initials", "userId", "providerId")),
}
# Elements whose text is emptied: the author list of Excel comments.
_AUTHOR_ELEMENTS = {(X, "author"), (X_STRICT, "author")}
# Cheap filter before parsing a part: every name above contains one of these.
_TRIGGERS = (b"author", b"initials", b"userId", b"providerId", b"userName", b"userInfo", b"absPath", b"displayName")

REL_CORE = "/metadata/core-properties"
REL_APP = "/extended-properties"
REL_CUSTOM = "/custom-properties"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


class _RootReached(SAXException):
    def __init__(self) -> None:
        super().__init__("root element reached")


def _ooxml_refused() -> AttachmentError:
    return AttachmentError(_("The document contains XML entity declarations, which Office files never need; refused."))


def _parse(stream: IO[bytes], handler: ContentHandler) -> None:
    """Parse with expat, refusing any DTD: no entity can be declared, so none can expand."""
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    try:
        parser.parse(stream)
    except DefusedXmlException as exc:
        raise _ooxml_refused() from exc


class _PrologCheck(ContentHandler):
    def startElement(self, name, attrs):  # noqa: N802 - SAX interface
        raise _RootReached


def _check_prolog(stream: IO[bytes]) -> None:
    """Refuse a DTD in a part we copy unchanged. A DTD can only come before the root element: stop there."""
    try:
        _parse(stream, _PrologCheck())
    except _RootReached:
        return
    except SAXException:
        return  # malformed, but declares nothing: the part is copied as it is


def _split(qname: str) -> tuple[str, str]:
    prefix, _sep, local = qname.rpartition(":")
    return prefix, local


class _Rewriter(XMLGenerator):
    """Echo a part with prefixes as written (namespace processing off), emptying author names and
    dropping elements `drop` selects. `changed` says whether a non-empty value was removed."""

    def __init__(self, out: IO[bytes], drop=None, drop_attribute=None) -> None:
        super().__init__(out, encoding="UTF-8", short_empty_elements=True)
        self.drop = drop
        self.drop_attribute = drop_attribute
        self.changed = False
        self._scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
        self._blank_depth = 0
        self._skip_depth = 0

    def startDocument(self):  # noqa: N802 - SAX interface
        self._write(XML_DECLARATION)

    def _uri(self, prefix: str) -> str | None:
        return self._scopes[-1].get(prefix)

    def startElement(self, name, attrs):  # noqa: N802
        scope = dict(self._scopes[-1])
        for key, value in attrs.items():
            if key == "xmlns":
                scope[""] = value
            elif key.startswith("xmlns:"):
                scope[key[6:]] = value
        self._scopes.append(scope)
        if self._skip_depth:
            self._skip_depth += 1
            return
        prefix, local = _split(name)
        element = (self._uri(prefix), local)
        if self.drop is not None and self.drop(element, attrs):
            self.changed = True
            self._skip_depth = 1
            return
        kept = {}
        for key, value in attrs.items():
            attr_prefix, attr_local = _split(key)
            attr = (self._uri(attr_prefix) if attr_prefix else None, attr_local)
            if self.drop_attribute is not None and self.drop_attribute(key, value, attr):
                self.changed = True
                continue
            if value and ((ANY, ANY, *attr) in _AUTHOR_ATTRIBUTES or (*element, *attr) in _AUTHOR_ATTRIBUTES):
                self.changed = True
                value = ""
            kept[key] = value
        if self._blank_depth or element in _AUTHOR_ELEMENTS:
            self._blank_depth += 1
        super().startElement(name, kept)

    def endElement(self, name):  # noqa: N802
        self._scopes.pop()
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if self._blank_depth:
            self._blank_depth -= 1
        super().endElement(name)

    def characters(self, content):
        if self._skip_depth:
            return
        if self._blank_depth:
            self.changed = self.changed or bool(content.strip())
            return
        super().characters(content)

    def ignorableWhitespace(self, content):  # noqa: N802
        if not self._skip_depth:
            super().ignorableWhitespace(content)

    def processingInstruction(self, target, data):  # noqa: N802
        if not self._skip_depth:
            super().processingInstruction(target, data)


class _Neutral(ContentHandler):
    """Read a properties part: its root element (to write back empty) and whether any value was set."""

    def __init__(self) -> None:
        super().__init__()
        self.root: tuple[str, dict[str, str]] | None = None
        self.had_values = False

    def startElement(self, name, attrs):  # noqa: N802
        if self.root is None:
            self.root = (name, {k: v for k, v in attrs.items() if k == "xmlns" or k.startswith("xmlns:")})

    def characters(self, content):
        self.had_values = self.had_values or bool(content.strip())


def _neutral_properties(stream: IO[bytes]) -> tuple[bytes, bool]:
    """The same properties part with no properties: the root element alone, with its namespaces."""
    reader = _Neutral()
    try:
        _parse(stream, reader)
    except SAXException as exc:
        raise _Unprocessable from exc
    if reader.root is None:
        raise _Unprocessable
    out = io.BytesIO()
    writer = XMLGenerator(out, encoding="UTF-8", short_empty_elements=True)
    out.write(XML_DECLARATION.encode())
    writer.startElement(reader.root[0], reader.root[1])
    writer.endElement(reader.root[0])
    writer.endDocument()
    return out.getvalue(), reader.had_values


class _Unprocessable(Exception):
    """A part we must change cannot be parsed: keep the whole file as it is, marked not stripped."""


def _rewrite(stream: IO[bytes], drop=None, drop_attribute=None) -> tuple[bytes, bool]:
    out = io.BytesIO()
    rewriter = _Rewriter(out, drop=drop, drop_attribute=drop_attribute)
    try:
        _parse(stream, rewriter)
    except SAXException as exc:
        raise _Unprocessable from exc
    return out.getvalue(), rewriter.changed


def _package_relationships(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Relationship type suffix → part name, from the package's _rels/.rels."""
    found: dict[str, str] = {}
    if "_rels/.rels" not in names:
        return found

    class Relationships(ContentHandler):
        def startElement(self, name, attrs):  # noqa: N802
            if _split(name)[1] != "Relationship" or attrs.get("TargetMode") == "External":
                return
            for suffix in (REL_CORE, REL_APP, REL_CUSTOM):
                if attrs.get("Type", "").endswith(suffix):
                    found[suffix] = attrs.get("Target", "").lstrip("/")

    with archive.open("_rels/.rels") as part:
        try:
            _parse(part, Relationships())
        except SAXException as exc:
            raise _Unprocessable from exc
    return found


def _needs_cleaning(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    overlap = max(len(t) for t in _TRIGGERS)
    with archive.open(info) as part:
        tail = part.read(2)
        # UTF-16 parts (a byte-order mark) are always parsed: the byte search would not see their names.
        if tail in (b"\xff\xfe", b"\xfe\xff"):
            return True
        while chunk := part.read(1024 * 1024):
            window = tail + chunk
            if any(t in window for t in _TRIGGERS):
                return True
            tail = window[-overlap:]
    return False


# Word, Excel and PowerPoint keep the pictures pasted into a file in a media folder of their own part tree;
# "save preview picture" adds a thumbnail of the first page at the package root (docProps/thumbnail.jpeg).
_MEDIA_PART = re.compile(r"(?:word|xl|ppt)/(?:[^/]+/)*media/[^/]+|docProps/thumbnail\.[^/]+", re.IGNORECASE)
_MEDIA_FORMATS = list(IMAGE_FORMATS.values())


def _document_pictures_refused() -> AttachmentError:
    return AttachmentError(
        _(
            "The pictures in the document add up to more than {mp} megapixels, too many to open safely; "
            "the document was refused."
        ).format(mp=MAX_DOCUMENT_PIXELS // 1_000_000)
    )


def _ooxml_pictures(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The media parts that are pictures we re-encode. Every header is read before any pixel is decoded,
    so a decompression bomb, alone or many small ones together, refuses the file before any work."""
    pictures: set[str] = set()
    total = 0
    for info in infos:
        if not _MEDIA_PART.fullmatch(info.filename):
            continue
        with archive.open(info) as part:
            try:
                _image, _fmt, pixels = _image_open(part, _MEDIA_FORMATS)
            except AttachmentError:
                raise
            except Exception:  # not a picture we re-encode (EMF, SVG, video, damaged): kept as it is
                logger.debug("media part %s is not a picture that is re-encoded", info.filename, exc_info=True)
                continue
        total += pixels
        if total > MAX_DOCUMENT_PIXELS:
            raise _document_pictures_refused()
        pictures.add(info.filename)
    return pictures


def _ooxml_picture(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[IO[bytes], bool] | None:
    """A media part re-encoded without metadata, and whether it had any; None if it cannot be decoded."""
    with archive.open(info) as part:
        try:
            image, fmt, _pixels = _image_open(part, _MEDIA_FORMATS)
            return _image_reencode(image, fmt)
        except Image.DecompressionBombError as exc:
            raise _image_refused() from exc
        except AttachmentError:
            raise
        except Exception:  # Pillow raises many kinds on damaged data; the document itself is still cleaned
            logger.warning(
                "picture %s in an office document could not be re-encoded; kept", info.filename, exc_info=True
            )
            return None


def _ooxml(upload: File) -> SanitisedCopy:
    try:
        with zipfile.ZipFile(upload) as archive:
            return _ooxml_rewrite(archive)
    except (_Unprocessable, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        logger.warning("office document could not be cleaned; kept unstripped", exc_info=True)
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)


# Drawing programs write who saved an SVG and where: Inkscape's export path (/home/<name>/...), the document
# name, RDF metadata with creator and rights. Office 365 keeps pasted SVGs as they came.
SVG = "http://www.w3.org/2000/svg"
_SVG_EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
    "http://www.bohemiancoding.com/sketch/ns",
}
_SVG_PART = re.compile(r"(?:word|xl|ppt)/(?:[^/]+/)*media/[^/]+\.svg", re.IGNORECASE)


def _svg_drop(element: tuple[str | None, str], attrs: Any) -> bool:
    return element == (SVG, "metadata") or element[0] in _SVG_EDITOR_NAMESPACES


def _svg_drop_attribute(key: str, value: str, attr: tuple[str | None, str]) -> bool:
    if key == "xmlns" or key.startswith("xmlns:"):  # the editors' namespace declarations go with their names
        return value in _SVG_EDITOR_NAMESPACES
    return attr[0] in _SVG_EDITOR_NAMESPACES


# A DOCTYPE naming the SVG 1.1 DTD, without an internal subset: it declares nothing and is dropped before
# parsing, so no DTD ever reaches the parser. One with an internal subset ("[") is not matched.
_SVG_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+svg\s+PUBLIC\s+\"[^\"<>\[]*\"\s+\"[^\"<>\[]*\"\s*>")


def _ooxml_svg(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, bool] | None:
    """An SVG picture without its editor's metadata; None if it cannot be parsed (kept as it is)."""
    with archive.open(info) as part:
        data = part.read()
    start = data.find(b"<svg")
    if start > 0:
        data = _SVG_BARE_DOCTYPE.sub(b"", data[:start], count=1) + data[start:]
    try:
        return _rewrite(io.BytesIO(data), drop=_svg_drop, drop_attribute=_svg_drop_attribute)
    except (_Unprocessable, AttachmentError):
        # Entity declarations (older Illustrator exports) or damage: kept as it is, never parsed further or
        # expanded, rather than refusing the document around it.
        logger.warning("SVG picture %s in an office document could not be cleaned; kept", info.filename)
        return None


def _ooxml_embedded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> SanitisedCopy | None:
    """An Office file embedded in another (its own author, company, pictures), cleaned the same way one level
    deep; None if it cannot be processed, and then it is kept as it is like an unknown picture."""
    inner = _spool()
    with archive.open(info) as part:
        shutil.copyfileobj(part, inner, 1024 * 1024)
    inner_file = File(inner, name=info.filename)
    try:
        if not zipfile.is_zipfile(inner):  # damaged, or an old binary .xls renamed: kept as it is
            return None
        archive_check(inner_file)  # an embedded zip bomb refuses the document like an uploaded one
        with zipfile.ZipFile(inner) as embedded:
            return _ooxml_rewrite(embedded, nested=True)
    except AttachmentError:
        raise
    except (_Unprocessable, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        logger.warning("embedded document %s could not be cleaned; kept", info.filename, exc_info=True)
        return None
    finally:
        inner.close()


# Objects pasted into a document ("insert object") are stored whole in an embeddings folder: Office files as
# they are, older objects (an Excel 97 sheet, a file shown as an icon, a formula) as OLE compound files.
_EMBEDDING = re.compile(r"(?:word|xl|ppt)/(?:[^/]+/)*embeddings/[^/]+", re.I)
_EMBEDDED_OOXML = re.compile(r"(?:word|xl|ppt)/(?:[^/]+/)*embeddings/[^/]+\.(?:docx|xlsx|pptx|docm|xlsm|pptm)", re.I)


def _ooxml_ole(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> OleResult | None:
    """An object in the older binary format with its author fields and paths overwritten; None if it is not
    one or cannot be read (kept as it is)."""
    with archive.open(info) as part:
        if not is_ole(part.read(8)):
            return None
    with archive.open(info) as part:
        return clean_ole(part.read())


# Page setup saved by Excel and Word: a Windows DEVMODE whose first 32 UTF-16 characters name the printer
# (a network printer such as "FIN-SRV, HP 财务部"), which can point to the office a file was printed in.
_PRINTER_SETTINGS = re.compile(r"(?:word|xl|ppt)/(?:[^/]+/)*printerSettings/[^/]+\.bin", re.I)
_PRINTER_NAME_BYTES = 64


def _without_printer_name(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, bool]:
    """The page setup with the printer's name blanked (the printer then is the reader's default)."""
    with archive.open(info) as part:
        data = part.read()
    name = data[:_PRINTER_NAME_BYTES]
    return bytes(len(name)) + data[_PRINTER_NAME_BYTES:], any(name)


# Windows metafiles: a placeable WMF's key, or a plain WMF header (memory or disk metafile, version 3).
_WMF_HEADS = (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00\x00\x03", b"\x02\x00\x09\x00\x00\x03")


def _ooxml_drawing(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, bool] | None:
    """A Windows drawing (EMF without its description; WMF has no place for one); None for anything else."""
    with archive.open(info) as part:
        head = part.read(88)
        if head.startswith(_WMF_HEADS):
            return head + part.read(), False
        return clean_emf(head + part.read()) if is_emf(head) else None


def _ooxml_rewrite(archive: zipfile.ZipFile, nested: bool = False) -> SanitisedCopy:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    rels = _package_relationships(archive, names)
    core = rels.get(REL_CORE, "docProps/core.xml")
    app = rels.get(REL_APP, "docProps/app.xml")
    custom = rels.get(REL_CUSTOM, "docProps/custom.xml")
    pictures = _ooxml_pictures(archive, infos)
    replaced: dict[str, bytes] = {}
    removed = False
    for name in (core, app):
        if name in names:
            with archive.open(name) as part:
                replaced[name], had_values = _neutral_properties(part)
            removed = removed or had_values
    if custom in names:
        removed = True
        custom_part = "/" + custom

        def drop_custom(element: tuple[str | None, str], attrs: Any) -> bool:
            return (element[1] == "Relationship" and attrs.get("Type", "").endswith(REL_CUSTOM)) or (
                element[1] == "Override" and attrs.get("PartName") == custom_part
            )

        for name in ("_rels/.rels", "[Content_Types].xml"):
            if name in names:
                with archive.open(name) as part:
                    replaced[name], _changed = _rewrite(part, drop=drop_custom)
    for info in infos:
        name = info.filename
        if name in replaced or name == custom or not name.endswith((".xml", ".rels")):
            continue
        if _needs_cleaning(archive, info):
            with archive.open(info) as part:
                data, changed = _rewrite(part)
            if changed:
                replaced[name], removed = data, True
        else:
            with archive.open(info) as part:
                _check_prolog(part)

    media: list[str] = []
    kept: list[str] = []
    for info in infos:
        name = info.filename
        if not _MEDIA_PART.fullmatch(name) or name in pictures:
            continue
        if _SVG_PART.fullmatch(name) and (svg := _ooxml_svg(archive, info)) is not None:
            replaced[name], had_metadata = svg
        elif (drawing := _ooxml_drawing(archive, info)) is not None:
            replaced[name], had_metadata = drawing
        else:  # a video or sound, a picture that does not decode, a format we do not read: kept as it is
            kept.append(name)
            continue
        media.append(name)
        removed = removed or had_metadata
    embedded: dict[str, SanitisedCopy] = {}
    for info in infos:
        name = info.filename
        if _PRINTER_SETTINGS.fullmatch(name):
            replaced[name], had_printer = _without_printer_name(archive, info)
            removed = removed or had_printer
            continue
        if not _EMBEDDING.fullmatch(name):
            if name.lower().endswith(".bin"):  # macros (vbaProject.bin), ActiveX controls: not read here
                kept.append(name)
            continue
        if nested:  # one level deep: an embedding inside an embedding is kept as it is
            kept.append(name)
        elif _EMBEDDED_OOXML.fullmatch(name) and (clean := _ooxml_embedded(archive, info)) is not None:
            embedded[name] = clean
            removed = removed or clean.removed
            if clean.kept:
                kept.append(name)
        elif (ole := _ooxml_ole(archive, info)) is not None:
            replaced[name] = ole.data
            media.append(name)
            removed = removed or ole.removed
            if not ole.complete:
                kept.append(name)
        else:
            kept.append(name)
    out = _spool()
    with zipfile.ZipFile(out, "w") as copy:
        for info in infos:
            if info.filename == custom:
                continue
            picture = _ooxml_picture(archive, info) if info.filename in pictures else None
            if info.filename in pictures and picture is None:
                kept.append(info.filename)
            # A fixed date and no comments or extra fields: a zip entry can carry when and where it was saved.
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = (
                zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            )
            entry.external_attr = info.external_attr
            if info.filename in replaced:
                copy.writestr(entry, replaced[info.filename])
            elif info.filename in embedded:
                clean_copy = embedded[info.filename].copy
                with clean_copy, copy.open(entry, "w") as target:
                    shutil.copyfileobj(clean_copy, target, 1024 * 1024)
                media.append(info.filename)
            elif picture is not None:
                # Same part name, so the same content type; the picture re-encoded from its pixels alone.
                clean, had_metadata = picture
                with clean, copy.open(entry, "w") as target:
                    shutil.copyfileobj(clean, target, 1024 * 1024)
                media.append(info.filename)
                removed = removed or had_metadata
            else:
                with archive.open(info) as source, copy.open(entry, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
    return SanitisedCopy(
        AttachmentSanitiser.PARTIAL if kept else AttachmentSanitiser.OFFICE,
        removed=removed,
        copy=_as_file(out),
        media=tuple(media),
        kept=tuple(sorted(kept)),
    )


# PDF --------------------------------------------------------------------------------------------


def _pdf(upload: File) -> SanitisedCopy:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, StreamObject

    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            # Without the password the document information cannot be rewritten.
            return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
        removed = bool(reader.trailer.get("/Info"))
        kept = [_("attached file {name}").format(name=name) for name in reader.attachments]
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # no /Info at all, not even pypdf's own /Producer
        for number, obj in enumerate(writer._objects, start=1):
            # Every object the clone kept: pages, images, fonts can carry XMP.
            if isinstance(obj, DictionaryObject):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
                        removed = True
                if obj.get("/Subtype") == "/FileAttachment":
                    kept.append(_("attached file {name}").format(name=_pdf_attachment_name(obj)))
            if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image":
                picture = _pdf_picture(obj)
                if picture is None:
                    kept.append(_("picture {number}").format(number=number))
                removed = removed or bool(picture)
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        writer._ID = None
        writer.generate_file_identifiers()  # fresh random identifiers, not the ones made where it was written
        out = _spool()
        writer.write(out)
    except Exception:  # pypdf raises many kinds on malformed files; the file was accepted, so keep it
        logger.warning("PDF could not be rewritten; kept unstripped", exc_info=True)
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    method = AttachmentSanitiser.PARTIAL if kept else AttachmentSanitiser.PDF
    return SanitisedCopy(method, removed=removed, copy=_as_file(out), kept=tuple(dict.fromkeys(kept)))


def _pdf_picture(image: Any) -> bool | None:
    """Strip a photo's EXIF and XMP segments in place (a scan app or "print to PDF" keeps the phone's JPEG as
    it was); whether any were removed, or None for a JPEG that cannot be walked or a JPEG 2000 picture
    (kept as they are). Pictures stored as plain pixels carry no metadata."""
    filters = image.get("/Filter")
    names = [filters] if isinstance(filters, str) else [str(name) for name in filters or ()]
    if names == ["/DCTDecode"]:
        clean = jpeg_without_metadata(image._data)
        if clean is None:
            return None
        if clean[1]:
            image._data = clean[0]  # the coded picture is unchanged, so no filter needs to run again
            image.decoded_self = None
        return clean[1]
    return None if {"/DCTDecode", "/JPXDecode"} & set(names) else False


def _pdf_attachment_name(annotation: Any) -> str:
    spec = annotation.get("/FS")
    spec = spec.get_object() if spec is not None else None
    if isinstance(spec, dict):
        return str(spec.get("/UF") or spec.get("/F") or "")
    return str(spec or "")


# Audio ------------------------------------------------------------------------------------------


def _mp3(upload: File) -> SanitisedCopy:
    """Remove ID3v2, ID3v1 and APEv2 tags; the MPEG frames between them are copied unchanged."""
    import mutagen.apev2
    import mutagen.id3

    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to storage, closed with it; mutagen edits in place
    shutil.copyfileobj(upload, out, 1024 * 1024)
    try:
        out.seek(0)
        try:
            removed = bool(mutagen.id3.ID3(out))  # reads ID3v2 and ID3v1 alike
        except mutagen.id3.ID3NoHeaderError:
            removed = False
        if _has_ape(out):
            removed = True
            out.seek(0)
            mutagen.apev2.delete(out)
        out.seek(0)
        mutagen.id3.delete(out, delete_v1=True, delete_v2=True)
        out.seek(0)
        if out.read(3) == b"ID3":  # a tag mutagen could not take off
            raise ValueError("ID3 header left")
    except Exception:  # mutagen raises many kinds on damaged data; the recording was accepted, so keep it
        logger.warning("MP3 tags could not be removed; kept unstripped", exc_info=True)
        out.close()
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    return SanitisedCopy(AttachmentSanitiser.AUDIO, removed=removed, copy=_as_file(out))


def _has_ape(stream: IO[bytes]) -> bool:
    import mutagen.apev2

    stream.seek(0)
    try:
        mutagen.apev2.APEv2(stream)
    except mutagen.apev2.APENoHeaderError:
        return False
    return True


# RIFF chunks a player needs: the format, the sample count of compressed formats, the sound itself.
_WAV_SOUND_CHUNKS = {b"fmt ", b"fact", b"data"}


def _wav(upload: File) -> SanitisedCopy:
    """Copy a WAV file chunk by chunk, keeping only the chunks that carry sound (bytes unchanged)."""
    size = upload.seek(0, 2)
    upload.seek(0)
    head = upload.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:] != b"WAVE":  # RF64 and damaged files: kept as they are
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    out = _spool()
    out.write(b"RIFF\0\0\0\0WAVE")
    kept: set[bytes] = set()
    removed = False
    position = 12
    while position + 8 <= size:
        header = upload.read(8)
        chunk_id, length = header[:4], int.from_bytes(header[4:], "little")
        padded = length + (length & 1)
        if position + 8 + length > size:  # a chunk running past the end: the file is damaged
            out.close()
            logger.warning("WAV chunk %r runs past the end of the file; kept unstripped", chunk_id)
            return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
        if chunk_id in _WAV_SOUND_CHUNKS:
            out.write(header)
            _copy_exactly(upload, out, length)
            if length & 1:
                out.write(b"\0")
                upload.seek(1, 1)
            kept.add(chunk_id)
        else:
            removed = True
            upload.seek(padded, 1)
        position += 8 + padded
    if not {b"fmt ", b"data"} <= kept:
        out.close()
        return SanitisedCopy(AttachmentSanitiser.UNSTRIPPED, removed=False)
    total = out.tell()
    out.seek(4)
    out.write((total - 8).to_bytes(4, "little"))
    return SanitisedCopy(AttachmentSanitiser.AUDIO, removed=removed, copy=_as_file(out))


def _copy_exactly(source: IO[bytes], target: IO[bytes], length: int) -> None:
    while length > 0:
        block = source.read(min(length, 1024 * 1024))
        if not block:
            raise EOFError
        target.write(block)
        length -= len(block)
