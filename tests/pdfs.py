"""Reading a PDF the portal served, for the tests that check what it prints."""

import io

from pypdf import PdfReader


def read_pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response)))


def pdf_text(reader):
    # pypdf may break a line anywhere; compare with whitespace collapsed.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
