"""Sample files built in code for the attachment tests.

Each builder returns bytes that really hold the metadata the platform must remove,
so the tests that check the stored files can fail
(``tests/submissions/test_sample_files.py`` checks that they do).
"""

from __future__ import annotations

import io
import zipfile

from PIL import Image

SECRET_NAME = "Amira Secretname"
SECRET_ORG = "Hidden Org Ltd"
SECRET_TOOL = "SecretTool 9.1"

GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x013B] = SECRET_NAME  # Artist
    exif[0x0131] = SECRET_TOOL  # Software
    exif[GPS_IFD] = {
        1: "N",
        2: (36.0, 48.0, 30.0),
        3: "E",
        4: (10.0, 11.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=SECRET_NAME.encode())
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (20, 20), (0, 120, 0, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET_NAME)
    info.add_text("Software", SECRET_TOOL)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_author(text: str = "Field notes") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Author": SECRET_NAME, "/Creator": SECRET_TOOL, "/Title": text, "/Company": SECRET_ORG}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_author(text: str = "Our analysis of community policing.") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    props = document.core_properties
    props.author = SECRET_NAME
    props.last_modified_by = SECRET_NAME
    props.comments = SECRET_ORG
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    # Word writes the organisation into docProps/app.xml: add it as Word would.
    return _replace_member(
        data,
        "docProps/app.xml",
        lambda xml: xml.replace(
            b"</Properties>",
            f"<Company>{SECRET_ORG}</Company><Application>{SECRET_TOOL}</Application>"
            "</Properties>".encode(),
        ),
    )


def xlsx_with_creator() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Incidents by district"
    workbook.properties.creator = SECRET_NAME
    workbook.properties.lastModifiedBy = SECRET_NAME
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt_with_creator() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<office:document-content"
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:text><text:p>Hello</text:p></office:text></office:body>"
            "</office:document-content>",
        )
        archive.writestr(
            "meta.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
            f"<meta:initial-creator>{SECRET_NAME}</meta:initial-creator>"
            f"<dc:creator>{SECRET_NAME}</dc:creator>"
            f"<meta:generator>{SECRET_TOOL}</meta:generator>"
            "</office:meta></office:document-meta>",
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


HTML_AS_PDF = b"<!doctype html><html><body><script>alert('x')</script></body></html>"


def _replace_member(data: bytes, name: str, change) -> bytes:  # noqa: ANN001
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                content = change(content)
            target.writestr(info, content)
    return out.getvalue()


def all_text(data: bytes) -> bytes:
    """The bytes of a file and, for a zip, of every member uncompressed."""
    if data.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return data + b"".join(archive.read(n) for n in archive.namelist())
    return data
