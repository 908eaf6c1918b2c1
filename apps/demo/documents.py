"""The demo's fictional documents as PDFs, one text per page, so that the motivating case's
citations can name the page a fact is on and link to it. Written with fpdf2 (a development
dependency, like the rest of apps/demo)."""

from django.core.files.base import ContentFile
from fpdf import FPDF

# The built-in PDF fonts know Latin-1 only.
_LATIN_1 = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


def fictional_pdf(title, pages, *, notice):
    """A PDF file of `pages` (one text each), titled `title`, each page ending with `notice`
    (that the document is fictional)."""
    pdf = FPDF(format="letter")
    pdf.set_title(title.translate(_LATIN_1))
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=12)
        pdf.multi_cell(0, 7, title.translate(_LATIN_1))
        pdf.ln(4)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text.translate(_LATIN_1))
        pdf.ln(8)
        pdf.set_font("Helvetica", style="I", size=9)
        pdf.multi_cell(0, 5, notice.translate(_LATIN_1))
    return ContentFile(bytes(pdf.output()), name="document.pdf")
