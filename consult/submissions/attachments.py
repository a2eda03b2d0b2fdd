"""Attachments: type checked from the content, metadata removed, stored under random names.

Accepted: PDF, DOCX, ODT, XLSX, JPEG and PNG. The type is decided from the
bytes (``filetype`` plus a structural check), never from the file name or the
browser's claim. Before anything is written to disk, images are re-encoded
without EXIF/GPS, PDFs lose their document information and XMP metadata, and
Office/ODF documents lose the author, organisation and creating-tool fields.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO, Any

import filetype
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.errors import DomainError
from consult.extensions import db
from consult.filestore import ATTACHMENTS, store
from consult.inputs.files import attachment_path  # noqa: F401  (re-exported for callers)
from consult.inputs.models import Attachment, Input
from consult.submissions.archives import (
    ArchiveBomb,
    ArchiveTooLarge,
    Budget,
    check_archive,
    copy_member,
    read_member,
)

ACCEPTED_LABEL = "PDF, DOCX, ODT, XLSX, JPEG, PNG"


class AttachmentError(DomainError):
    """A file that cannot be attached, with a message for the person who sent it."""


@dataclass(frozen=True)
class FileKind:
    name: str
    mimetype: str
    extension: str


PDF = FileKind("pdf", "application/pdf", ".pdf")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", ".odt")
JPEG = FileKind("jpeg", "image/jpeg", ".jpg")
PNG = FileKind("png", "image/png", ".png")

EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
}

#: The parts read to tell the document kind are small in any real document.
MAX_PROBE_BYTES = 1024 * 1024


def _refused() -> AttachmentError:
    return AttachmentError(
        _(
            "This file type is not accepted. Attach a PDF, DOCX, ODT, XLSX, JPEG or PNG file "
            "(the type is checked from the file's content, not its name)."
        )
    )


# --------------------------------------------------------------------------- detection


def _archive_refused(exc: ArchiveTooLarge | ArchiveBomb) -> AttachmentError:
    if isinstance(exc, ArchiveBomb):
        return AttachmentError(
            _(
                "This document is packed the way harmful files are (it would expand far "
                "beyond its size), so it is refused. Save it again, or attach it as a PDF."
            )
        )
    megabytes = current_app.config["MAX_UNCOMPRESSED_BYTES"] / (1024 * 1024)
    return AttachmentError(
        _(
            "This document holds more than %(size)s MB once unpacked. Attach a smaller "
            "document, or save it as a PDF."
        )
        % {"size": f"{megabytes:g}"}
    )


def _probe(archive: zipfile.ZipFile, name: str) -> bytes:
    """A small member read to tell the kind; a large one is not a real document."""
    if archive.getinfo(name).file_size > MAX_PROBE_BYTES:
        raise _refused()
    return read_member(archive, name, Budget())


def _zip_kind(data: bytes) -> FileKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive)
        names = set(archive.namelist())
        if "mimetype" in names:
            declared = _probe(archive, "mimetype").strip()
            if declared == ODT.mimetype.encode() and "content.xml" in names:
                return ODT
            raise _refused()
        if "[Content_Types].xml" in names:
            content_types = _probe(archive, "[Content_Types].xml")
            if "word/document.xml" in names and b"wordprocessingml.document.main" in content_types:
                return DOCX
            if "xl/workbook.xml" in names and b"spreadsheetml.sheet.main" in content_types:
                return XLSX
    except (ArchiveTooLarge, ArchiveBomb) as exc:
        raise _archive_refused(exc) from exc
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as exc:
        if isinstance(exc, AttachmentError):
            raise
        raise _refused() from exc
    raise _refused()


def detect_kind(data: bytes) -> FileKind:
    """The accepted kind of ``data``, judged from its bytes; AttachmentError otherwise."""
    if data.startswith(b"%PDF-"):
        return PDF
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else None
    if mime == "image/jpeg":
        return JPEG
    if mime == "image/png":
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    raise _refused()


# --------------------------------------------------------------------------- stripping


def _strip_image(data: bytes, kind: FileKind) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, camera, dates), XMP, comments are left behind."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                # Keep the picture upright once the orientation tag is gone.
                upright = ImageOps.exif_transpose(image) or image
                # Pillow falls back on ``info`` for comments and ICC data: keep none.
                kept = {k: v for k, v in upright.info.items() if k == "transparency"}
                upright.info = kept
                out = io.BytesIO()
                if kind is JPEG:
                    if upright.mode not in ("RGB", "L", "CMYK"):
                        upright = upright.convert("RGB")
                    upright.save(out, "JPEG", quality=90, optimize=True)
                else:
                    # Only the pixels (and transparency) are written: no text or EXIF.
                    upright.save(out, "PNG", optimize=True)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentError(_("This image is too large in pixels to be accepted.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise AttachmentError(_("This image could not be read; it may be damaged.")) from exc


def _strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AttachmentError(
                _("Password-protected PDF files are not accepted. Remove the password first.")
            )
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None
        writer.xmp_metadata = None
        for page in writer.pages:
            if "/Metadata" in page:
                del page["/Metadata"]
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except AttachmentError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AttachmentError(_("This PDF could not be read; it may be damaged.")) from exc


EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"</Properties>"
)
EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"</Properties>"
)
EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">'
    b"<office:meta/></office:document-meta>"
)
# Names of people left in Word's comments and tracked changes.
_WORD_PERSON_ATTRS = re.compile(rb'\b(w:author|w:initials)="[^"]*"')
_WORD_PEOPLE_PART = "word/people.xml"


def _rewrite_zip(data: bytes, replace: dict[str, bytes], scrub_word: bool) -> bytes:
    """The archive again, members in order, with metadata parts replaced.

    Members are streamed (checked against the unpacked-size cap as they go);
    only Word's XML parts, whose author attributes are scrubbed, are read whole.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    check_archive(source)
    budget = Budget()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            # ODF wants "mimetype" first and stored; keep each member's compression.
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = info.compress_type
            clean.external_attr = info.external_attr
            if info.filename in replace:
                target.writestr(clean, replace[info.filename])
            elif (
                scrub_word and info.filename.startswith("word/") and info.filename.endswith(".xml")
            ):
                content = read_member(source, info.filename, budget)
                target.writestr(clean, _WORD_PERSON_ATTRS.sub(rb'\1=""', content))
            else:
                copy_member(source, info.filename, target, clean, budget)
    return out.getvalue()


def _strip_office(data: bytes, kind: FileKind) -> bytes:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        if kind is ODT:
            replace = {"meta.xml": EMPTY_ODF_META} if "meta.xml" in names else {}
            return _rewrite_zip(data, replace, scrub_word=False)
        replace = {}
        if "docProps/core.xml" in names:
            replace["docProps/core.xml"] = EMPTY_CORE
        if "docProps/app.xml" in names:
            replace["docProps/app.xml"] = EMPTY_APP
        if "docProps/custom.xml" in names:
            replace["docProps/custom.xml"] = EMPTY_CUSTOM
        if _WORD_PEOPLE_PART in names:
            replace[_WORD_PEOPLE_PART] = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/>'
            )
        return _rewrite_zip(data, replace, scrub_word=kind is DOCX)
    except (ArchiveTooLarge, ArchiveBomb) as exc:
        raise _archive_refused(exc) from exc
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as exc:
        raise AttachmentError(_("This document could not be read; it may be damaged.")) from exc


def strip_metadata(data: bytes, kind: FileKind) -> bytes:
    """The same document without the metadata that could identify its author."""
    if kind in (JPEG, PNG):
        return _strip_image(data, kind)
    if kind is PDF:
        return _strip_pdf(data)
    return _strip_office(data, kind)


# --------------------------------------------------------------------------- storage


def safe_filename(filename: str | None, kind: FileKind) -> str:
    """A display name without folders or control characters, ending as the content says."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        name = "attachment"
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in EXTENSIONS[kind]:
        name = f"{name}{kind.extension}"
    if len(name) > 200:
        name = name[: 200 - len(kind.extension)] + kind.extension
    return name


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        megabytes = limit / (1024 * 1024)
        raise AttachmentError(
            _("This file is larger than %(size)s MB, the most one attachment may be.")
            % {"size": f"{megabytes:g}"}
        )
    if not data:
        raise AttachmentError(_("This file is empty."))
    return data


def attachment_count(organisation_id: Any, *, item: Input | None, upload_key: str | None) -> int:
    """Attachments already on ``item`` plus those pending under ``upload_key``."""
    count = 0
    if item is not None and item.id is not None:
        count += db.session.scalar(
            select(func.count()).select_from(Attachment).where(Attachment.input_id == item.id)
        )
    if upload_key:
        count += db.session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(
                Attachment.upload_key == upload_key,
                Attachment.input_id.is_(None),
                Attachment.organisation_id == organisation_id,
            )
        )
    return int(count or 0)


@dataclass(frozen=True)
class StoredFile:
    """A checked, cleaned file written to the file store (its row is the caller's)."""

    filename: str
    content_type: str
    size: int
    sha256: str
    storage_name: str

    def columns(self) -> dict[str, Any]:
        """The columns every stored-file row (an input's, a message's) takes from it."""
        return asdict(self)


def clean_and_write(stream: IO[bytes], filename: str | None) -> StoredFile:
    """Read, type-check and strip one upload, and write it durably; AttachmentError if refused.

    Every stored file goes through here: input attachments and message
    attachments get the same checks. The file is removed again if the
    request's transaction does not commit.
    """
    limit = int(current_app.config["MAX_ATTACHMENT_BYTES"])
    data = _read_limited(stream, limit)
    kind = detect_kind(data)
    cleaned = strip_metadata(data, kind)
    storage_name = secrets.token_hex(20)
    # Stored before the row commits; removed again if the transaction does not commit.
    store().put(ATTACHMENTS, storage_name, cleaned)
    return StoredFile(
        filename=safe_filename(filename, kind),
        content_type=kind.mimetype,
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
        storage_name=storage_name,
    )


def store_attachment(
    user: Any,
    stream: IO[bytes],
    filename: str | None,
    *,
    item: Input | None = None,
    upload_key: str | None = None,
) -> Attachment:
    """Check, clean and store one file; the caller commits.

    With ``upload_key`` (the form's key) the file stays pending until the form
    is saved (:func:`adopt_pending`), counting against ``item``'s files too;
    without one it is attached to ``item`` at once.
    """
    if item is None and not upload_key:
        raise ValueError("an attachment needs an input or an upload key")
    most = int(current_app.config["MAX_ATTACHMENTS_PER_INPUT"])
    if attachment_count(user.organisation_id, item=item, upload_key=upload_key) >= most:
        raise AttachmentError(
            _("An input may have at most %(count)d attachments.") % {"count": most}
        )
    stored = clean_and_write(stream, filename)
    attachment = Attachment(
        input_id=item.id if item is not None and not upload_key else None,
        organisation_id=user.organisation_id,
        uploaded_by_id=user.id,
        upload_key=upload_key,
        **stored.columns(),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def pending_attachments(organisation_id: Any, upload_key: str | None) -> list[Attachment]:
    """Files uploaded with a form that is not saved yet."""
    if not upload_key:
        return []
    return list(
        db.session.scalars(
            select(Attachment)
            .where(
                Attachment.upload_key == upload_key,
                Attachment.input_id.is_(None),
                Attachment.organisation_id == organisation_id,
            )
            .order_by(Attachment.created_at)
        )
    )


def adopt_pending(item: Input, upload_key: str | None) -> None:
    """Attach the files uploaded with the form to the now saved input."""
    most = int(current_app.config["MAX_ATTACHMENTS_PER_INPUT"])
    pending = pending_attachments(item.organisation_id, upload_key)
    room = most - attachment_count(item.organisation_id, item=item, upload_key=None)
    known = {a.sha256 for a in item.attachments}
    for attachment in pending:
        if attachment.sha256 in known or room <= 0:
            # The same file sent twice (a double click) is kept once.
            delete_attachment(attachment)
            continue
        attachment.input_id = item.id
        attachment.upload_key = None
        known.add(attachment.sha256)
        room -= 1
    db.session.flush()
    db.session.expire(item, ["attachments"])


def delete_attachment(attachment: Attachment) -> None:
    """Remove the row and the stored file."""
    storage_name = attachment.storage_name
    db.session.delete(attachment)
    db.session.flush()
    # Only once the deletion commits: a rollback must not leave a row without its file.
    store().delete(ATTACHMENTS, storage_name)


def purge_pending(before: datetime) -> int:
    """Delete files uploaded with a form that was never saved, older than ``before``.

    For a periodic maintenance job; returns how many were deleted (the caller commits).
    """
    stale = list(
        db.session.scalars(
            select(Attachment).where(Attachment.input_id.is_(None), Attachment.created_at < before)
        )
    )
    for attachment in stale:
        delete_attachment(attachment)
    return len(stale)
