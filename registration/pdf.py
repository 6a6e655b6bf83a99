"""The rights record (权益记录单, Art. 32) as a PDF: WeasyPrint lays out the same data as the
printable page, in Noto Sans CJK (fonts-noto-cjk) so the Chinese text renders."""

from __future__ import annotations

from django.template.loader import render_to_string

from registration.models import InsuredPerson
from registration.views_support import rights_record_context


def rights_record_pdf_bytes(person: InsuredPerson) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: it loads Pango, which only this view needs

    html = render_to_string("registration/rights_record_pdf.html", rights_record_context(person))
    document: bytes = HTML(string=html).write_pdf()
    return document
