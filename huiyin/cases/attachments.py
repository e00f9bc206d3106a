"""Checking uploads: size, type from the bytes (never the name or the browser's word), safe names,
and bounded archives (Office files are ZIP archives: a zip bomb is refused before anyone opens it)."""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Detected MIME type → extension we keep. Anything else is refused.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/amr": "amr",
    "text/plain": "txt",
}
ZIP_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNPACKED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_NAME = 120
# Bidirectional controls and other format characters let a name pretend to be another (e.g. "gpj.exe").
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


class AttachmentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    extension: str
    size: int
    safe_name: str


def safe_filename(name: str, extension: str) -> str:
    """A display name without paths, control or bidi characters, with the extension the bytes justify."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _FORBIDDEN_CATEGORIES)
    stem = os.path.splitext(name)[0].strip(" .") or "file"
    return f"{stem[:MAX_NAME]}.{extension}"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample boundary is fine
        if exc.start < len(head) - 4:
            return False
    return True


def archive_check(upload: UploadedFile) -> None:
    """Refuse a zip-based document with too many parts, an unreasonable unpacked size or unsafe paths."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                raise AttachmentError(_("The document contains too many parts."))
            unpacked = sum(e.file_size for e in entries)
            packed = max(sum(e.compress_size for e in entries), 1)
            if unpacked > MAX_ARCHIVE_UNPACKED or unpacked / packed > MAX_COMPRESSION_RATIO:
                raise AttachmentError(_("The document expands to an unreasonable size and was refused."))
            for entry in entries:
                if entry.filename.startswith("/") or ".." in entry.filename.split("/"):
                    raise AttachmentError(_("The document contains unsafe paths."))
    except zipfile.BadZipFile as exc:
        raise AttachmentError(_("The document is damaged.")) from exc
    finally:
        upload.seek(0)


def inspect_upload(upload: UploadedFile) -> UploadInfo:
    """Return what the file really is, or raise AttachmentError with a message for the user."""
    size = upload.size or 0
    if size == 0:
        raise AttachmentError(_("The file “{name}” is empty.").format(name=safe_filename(upload.name, "")[:-1]))
    if size > settings.HUIYIN_ATTACHMENT_MAX_BYTES:
        raise AttachmentError(
            _("The file is larger than {mb} MB.").format(mb=settings.HUIYIN_ATTACHMENT_MAX_BYTES // (1024 * 1024))
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ("text/plain" if _is_text(head) else "")
    if mime not in ALLOWED:
        raise AttachmentError(
            _("This file type is not accepted. Accepted: PDF, images, Word, Excel, audio and plain text.")
        )
    if mime in ZIP_TYPES:
        archive_check(upload)
    return UploadInfo(
        content_type=mime, extension=ALLOWED[mime], size=size, safe_name=safe_filename(upload.name, ALLOWED[mime])
    )


def uploads_refused(uploads: list[UploadedFile]) -> list[str]:
    """Why each refused file of a form is refused, naming the file: forms check their files with the other fields,
    so a user learns everything at once (the browser clears a file field when a form comes back)."""
    refused = []
    for upload in uploads:
        try:
            inspect_upload(upload)
        except AttachmentError as exc:
            name = unicodedata.normalize("NFC", upload.name or "").replace("\\", "/").split("/")[-1]
            name = "".join(ch for ch in name if unicodedata.category(ch) not in _FORBIDDEN_CATEGORIES)[:100] or "—"
            refused.append(_("“{name}”: {reason}").format(name=name, reason=exc.message))
    return refused
