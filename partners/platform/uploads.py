"""Uploaded documents: checked by content, stored under names we choose, served only through
views that have checked who is asking.

A file is accepted when its first bytes say it is one of the allowed kinds and its extension
agrees; a program (Windows, Linux or macOS executable, a script) is refused whatever it is
called, and so is an Office file that carries macros. Nothing under MEDIA_ROOT has a public URL.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from partners.words import phrases_join


@dataclass(frozen=True)
class DocumentKind:
    key: str
    extensions: tuple[str, ...]
    content_type: str


PDF = DocumentKind("pdf", ("pdf",), "application/pdf")
XLSX = DocumentKind(
    "xlsx", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
DOCX = DocumentKind(
    "docx", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
PPTX = DocumentKind(
    "pptx", ("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
PNG = DocumentKind("png", ("png",), "image/png")
JPEG = DocumentKind("jpeg", ("jpg", "jpeg"), "image/jpeg")

CONTRACT_KINDS = (PDF,)
SALES_KIT_KINDS = (PDF, XLSX, DOCX, PPTX, PNG, JPEG)

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # Mach-O 64
    b"\xce\xfa\xed\xfe",  # Mach-O 32
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_OOXML_MAIN_PART = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "PARTNERDESK_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def _head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def sniff(file) -> str | None:
    """The kind of document the bytes say this is (``None`` when unknown)."""
    head = _head(file, 1024)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return "macro"
        for kind, prefix in _OOXML_MAIN_PART.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def validate_document(file, kinds: tuple[DocumentKind, ...]) -> DocumentKind:
    """Check an uploaded file's size, content and name; return its kind or raise a
    ValidationError that says what is wrong in the person's terms."""
    allowed = phrases_join(ext.upper() for kind in kinds for ext in kind.extensions[:1])
    if file is None:
        raise ValidationError(_("Choose a file to upload."), code="required")
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_upload_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{file.size / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    head = _head(file)
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC):
        raise ValidationError(
            _("This file is a program, not a document. Upload %(allowed)s only.")
            % {"allowed": allowed},
            code="executable",
        )
    detected = sniff(file)
    if detected == "macro":
        raise ValidationError(
            _("Office files with macros are not accepted. Save it without macros."),
            code="macro",
        )
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    for kind in kinds:
        if detected == kind.key:
            if extension not in kind.extensions:
                raise ValidationError(
                    _("The file's name ends in .%(ext)s but it is a %(kind)s file.")
                    % {"ext": extension or "?", "kind": kind.key.upper()},
                    code="extension_mismatch",
                )
            return kind
    raise ValidationError(
        _("This file is not a %(allowed)s document.") % {"allowed": allowed},
        code="wrong_type",
    )


def stored_name(vendor_id: int, folder: str, kind: DocumentKind) -> str:
    """Where an upload is kept: per vendor, a random name, never the uploader's file name."""
    return f"vendor-{vendor_id}/{folder}/{uuid.uuid4().hex}.{kind.extensions[0]}"


def document_response(fieldfile, *, download_name: str, content_type: str) -> FileResponse:
    """Serve a stored document as a download (404 when there is no file, or it is gone from
    storage). Call only after the selector has found the object for this person."""
    if not fieldfile:
        raise Http404
    try:
        stream = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
