"""The narrative report as DOCX (python-docx), laid out like the 2017 CSDN meeting report."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.digest import charts
from consult.digest.exports.report import Report, build_report
from consult.i18n import is_rtl_text

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from consult.digest.contents import Digest
    from consult.digest.matrix import Matrix

PLATFORM = "consult"
HEAT_FILL = {
    "heat-0": "FFFFFF",
    "heat-1": "E6EEFB",
    "heat-2": "C3D5F4",
    "heat-3": "94B4EA",
    "heat-4": "5F8DDC",
}
BRAND = RGBColor(0x00, 0x33, 0x99)
#: The paragraph properties that follow ``w:bidi`` in the schema's order.
AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _small(
    cell: _Cell, text: str, *, bold: bool = False, centre: bool = False, size: float = 8
) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _metadata(doc: DocumentObject, digest: Digest, report: Report) -> None:
    props = doc.core_properties
    props.author = PLATFORM
    props.last_modified_by = PLATFORM
    props.title = report.title
    props.subject = report.subtitle
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = digest.generated_at
    props.modified = digest.generated_at


def _styles(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.color.rgb = BRAND
        style.font.size = Pt(size)


def _title_page(doc: DocumentObject, report: Report) -> None:
    for text, size, bold in (
        (report.subtitle, 13, False),
        (report.title, 18, True),
        (report.generated, 12, False),
        ("DIGEST REPORT", 13, True),
        (report.audience, 10, False),
    ):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(14)
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if bold:
            run.font.color.rgb = BRAND


def _matrix_table(doc: DocumentObject, matrix: Matrix) -> None:
    count = len(matrix.countries)
    # Compact (``Matrix.compact``): ISO codes with a key below, "<k" in the cells,
    # so that 16 countries fit a portrait page.
    compact = matrix.compact
    table = doc.add_table(rows=1, cols=count + 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # A wide first column for the priorities; the rest shares what is left of 16.6 cm.
    if compact:
        # 16 countries: narrow cell margins and 7 pt, so that "hidden", "MD" and
        # "Total" fit their columns without breaking inside the word.
        _narrow_margins(table)
        widths = [Cm(3.0)] + [Cm((16.6 - 3.0 - 1.0) / count)] * count + [Cm(1.0)]
    else:
        other = Cm(min(2.2, (16.6 - 4.6) / (count + 1)))
        widths = [Cm(4.6)] + [other] * (count + 1)
    size = 7 if compact else 8
    header = table.rows[0].cells
    _small(header[0], _("Priority"), bold=True)
    for index, (code, name) in enumerate(matrix.countries, start=1):
        _small(header[index], code if compact else name, bold=True, centre=True)
    _small(header[-1], _("Total"), bold=True, centre=True)
    for row in matrix.rows:
        cells = table.add_row().cells
        _small(cells[0], row.name)
        for index, cell in enumerate(row.cells, start=1):
            text = matrix.short_text(cell) if compact else cell.text
            _small(cells[index], text, centre=True, size=size)
            _shade(cells[index], HEAT_FILL.get(cell.heat.split()[0], "FFFFFF"))
        _small(cells[-1], row.total_text, bold=True, centre=True)
    _set_widths(table, widths)
    _rows_unbroken(table)
    if compact:
        # "<k" is explained by the legend below.
        key = "; ".join(f"{code} {name}" for code, name in matrix.countries)
        paragraph = doc.add_paragraph()
        paragraph.add_run(key).font.size = Pt(8)
    for note in matrix.legend():
        doc.add_paragraph().add_run(note).font.size = Pt(8)


def _narrow_margins(table) -> None:
    """Left and right cell margins of 0.03 cm instead of Word's 0.19 cm."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "17")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = table._tbl.tblPr
    # The schema orders tblPr's children: tblCellMar comes before tblLook only.
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def _rows_unbroken(table) -> None:
    """No row splits across two pages, and the header row repeats on each page."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            properties.append(OxmlElement("w:tblHeader"))


def _set_widths(table, widths: list) -> None:
    """Fix the column widths in the table grid and in every cell.

    Word reads the cells' widths, LibreOffice the grid's: without both, the
    columns come out equal and long priority names break inside words.
    """
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _count_table(doc: DocumentObject, heading: str, rows: list[tuple[str, str, int]]) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    _small(table.rows[0].cells[0], heading, bold=True)
    _small(table.rows[0].cells[1], _("Inputs"), bold=True, centre=True)
    for _slug, name, count in rows:
        cells = table.add_row().cells
        _small(cells[0], name)
        _small(cells[1], str(count), centre=True)
    _set_widths(table, [Cm(7.0), Cm(2.0)])
    _rows_unbroken(table)


def _finding(doc: DocumentObject, title: str, text: str, label: str, kind: str) -> None:
    paragraph = doc.add_paragraph(style="List Bullet")
    if title:
        paragraph.add_run(title.rstrip(".") + ". ").bold = True
    paragraph.add_run(text.strip())
    attribution = paragraph.add_run(f" \u2014 {label[:1].upper()}{label[1:]}")
    attribution.italic = True
    if kind:
        paragraph.add_run(f" ({kind.lower()})").italic = True


def _right_to_left(paragraph: Paragraph) -> None:
    """Lay ``paragraph`` out right to left (Word's ``w:bidi``), its runs as RTL script."""
    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:bidi")) is None:
        properties.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
    for run in paragraph.runs:
        run.font.rtl = True


def _arabic_right_to_left(doc: DocumentObject) -> None:
    """Every paragraph written in Arabic (first strong letter) reads right to left."""
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        if is_rtl_text(paragraph.text):
            _right_to_left(paragraph)


def build(digest: Digest) -> bytes:
    report = build_report(digest)
    matrix = digest.matrix()
    doc = Document()
    _metadata(doc, digest, report)
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.2)
    section.footer.paragraphs[0].text = f"consult \u00b7 {report.audience}"

    _title_page(doc, report)
    doc.add_page_break()
    doc.add_heading(_("Background"), level=1)
    for text in report.background:
        doc.add_paragraph(text)
    doc.add_paragraph(_("Filters used for this report:"))
    for label, value in report.filters:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    doc.add_heading(_("Overview"), level=1)
    for text in report.overview:
        doc.add_paragraph(text)
    _matrix_table(doc, matrix)
    figures = charts.digest_charts(digest)
    doc.add_picture(io.BytesIO(charts.png_bytes(figures["heatmap"])), width=Cm(16.5))
    doc.add_picture(io.BytesIO(charts.png_bytes(figures["types"])), width=Cm(14))
    doc.add_paragraph().add_run(_("Inputs by theme")).bold = True
    _count_table(doc, _("Theme"), [t for t in digest.theme_counts() if t[2]])

    for part in report.sections:
        doc.add_heading(f"{part.numeral}. {part.name}", level=1)
        if part.inputs is None or part.organisations is None:
            counts = _("Number of inputs and organisations hidden: they come from a small group.")
        else:
            counts = _(
                "%(inputs)s from %(organisations)s.",
                inputs=ngettext("%(num)d input", "%(num)d inputs", part.inputs),
                organisations=ngettext(
                    "%(num)d organisation", "%(num)d organisations", part.organisations
                ),
            )
        doc.add_paragraph(counts).runs[0].italic = True
        if part.themes:
            doc.add_paragraph(_("Themes of all its inputs: %(list)s.", list=part.theme_list))
        if part.selection:
            note = doc.add_paragraph(f"{part.selection} {_('See the note on method.')}")
            note.runs[0].italic = True
        if part.questions:
            doc.add_paragraph(_("The consultation asked:"))
            for question in part.questions:
                doc.add_paragraph(question, style="List Bullet")
        if part.findings:
            doc.add_heading(_("Context findings"), level=2)
            for finding in part.findings:
                _finding(doc, finding.title, finding.text, finding.label, finding.type)
        if part.recommendations:
            doc.add_heading(_("Recommendations"), level=2)
            for addressee, items in part.recommendations.items():
                doc.add_heading(_("Addressed to: %(who)s", who=addressee), level=3)
                for text, label in items:
                    _finding(doc, "", text, label, "")
        if part.good_practices:
            doc.add_heading(_("Good practices"), level=2)
            for place, findings in part.good_practices.items():
                doc.add_heading(place[:1].upper() + place[1:], level=3)
                for finding in findings:
                    _finding(doc, finding.title, finding.text, finding.label, "")
    if not report.sections:
        doc.add_paragraph(_("No forwarded input matches these filters."))

    doc.add_heading(_("Note on method"), level=1)
    for text in report.method:
        doc.add_paragraph(text)
    doc.add_heading(_("The Chatham House Rule"), level=2)
    doc.add_paragraph(report.chatham_house[0])
    quote = doc.add_paragraph()
    quote.paragraph_format.left_indent = Cm(1)
    quote.add_run(report.chatham_house[1]).italic = True

    _arabic_right_to_left(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def report(digest: Digest) -> Iterator[bytes]:
    yield build(digest)
