"""The sample files really carry the metadata the platform must remove."""

from __future__ import annotations

import io

from PIL import Image

from tests.sample_files import (
    GPS_IFD,
    SECRET_NAME,
    SECRET_ORG,
    all_text,
    docx_with_author,
    jpeg_with_gps,
    odt_with_creator,
    pdf_with_author,
    png_with_text,
    xlsx_with_creator,
)


def test_samples_really_carry_metadata() -> None:
    """Guard for the other tests: each sample holds what must be removed."""
    secret = SECRET_NAME.encode()
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)
    assert secret in png_with_text()
    from pypdf import PdfReader

    assert PdfReader(io.BytesIO(pdf_with_author())).metadata.author == SECRET_NAME
    assert secret in all_text(docx_with_author())
    assert SECRET_ORG.encode() in all_text(docx_with_author())
    assert secret in all_text(xlsx_with_creator())
    assert secret in all_text(odt_with_creator())
