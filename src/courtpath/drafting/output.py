"""A rendered draft as plain text, DOCX (python-docx) or PDF (WeasyPrint through courtpath.pdf), all in memory.

The DRAFT mark is the first line of every output, and in DOCX and PDF it is also in the header of every page. Both
are A4 (210 × 297 mm) with the same margins: 2 cm top and bottom, 3 cm left, 1.5 cm right.
"""

from __future__ import annotations

import html
import io

from courtpath.drafting.renderer import DRAFT_MARK, RenderedDraft
from courtpath.pdf import html_to_pdf

LINE_KINDS = {"addressee", "heading", "signature", "plain", "mark"}


def to_text(rendered: RenderedDraft) -> str:
    return "\n\n".join(block.text for block in rendered.blocks) + "\n"


def to_docx(rendered: RenderedDraft) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt, RGBColor

    document = Document()
    document.core_properties.title = rendered.title.render("ru")
    document.core_properties.comments = DRAFT_MARK
    document.core_properties.author = ""
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)  # python-docx's default template is US Letter
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(DRAFT_MARK)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(10), RGBColor(0xB0, 0x00, 0x00)
    for block in rendered.blocks:
        paragraph = document.add_paragraph()
        lines = block.text.split("\n") if block.kind in LINE_KINDS else [block.text]
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if block.kind in ("heading", "mark"):
                run.bold = True
            if block.kind == "mark":
                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
            if index < len(lines) - 1:
                run.add_break()
        layout = paragraph.paragraph_format
        if block.kind in ("heading", "mark"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "addressee":
            layout.left_indent = Cm(8)
        elif block.kind == "paragraph":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            layout.first_line_indent = Cm(1.25)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CSS = """
@page { size: A4; margin: 2cm 1.5cm 2cm 3cm;
  @top-center { content: "%(mark)s"; color: #b00000; font: bold 9pt "DejaVu Sans", sans-serif; } }
body { font: 12pt/1.45 "DejaVu Serif", serif; color: #000; }
p { margin: 0 0 0.6em 0; }
.mark { text-align: center; font-weight: bold; color: #b00000; border: 1px solid #b00000; padding: 0.2em; }
.addressee { margin-left: 50%%; }
.heading { text-align: center; font-weight: bold; margin-top: 1em; }
.paragraph { text-align: justify; text-indent: 1.25cm; }
"""


def to_html(rendered: RenderedDraft) -> str:
    """A self-contained HTML page (inline styles only) for the PDF."""
    paragraphs = []
    for block in rendered.blocks:
        text = html.escape(block.text).replace("\n", "<br>")
        paragraphs.append(f'<p class="{block.kind}">{text}</p>')
    title = html.escape(rendered.title.render("ru"))
    css = CSS % {"mark": DRAFT_MARK.replace('"', "'")}
    return (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{css}</style></head><body>{''.join(paragraphs)}</body></html>"
    )


def to_pdf(rendered: RenderedDraft) -> bytes:
    return html_to_pdf(to_html(rendered))
