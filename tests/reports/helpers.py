"""Reading the reports back with pypdf: the text, and the fonts with whether they are embedded."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import NameObject


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace removed (extractors space CJK glyphs differently).

    fpdf2 embeds CFF fonts with their own two-byte encoding CMap, which pypdf reads as one-byte
    codes; the ToUnicode map (code → character, what a reader copies) is complete, so the fonts
    are read as Identity-H (two-byte codes) here. pdfium, as in Chromium, reads them as they are.
    """
    reader = PdfReader(io.BytesIO(data))
    texts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0" and "/ToUnicode" in font:
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
        texts.append(page.extract_text())
    return re.sub(r"[\s\x00]+", "", "".join(texts))


def pdf_fonts(data: bytes) -> set[tuple[str, bool]]:
    """The base names of the fonts the pages use, each with whether it is embedded."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.add((str(font["/BaseFont"]), embedded))
    return found
