"""DOCX and PDF output: produced in memory, readable back, with the draft mark and the declined names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from docx import Document

from courtpath.drafting import context_from_mapping, list_templates, render, to_docx, to_pdf, to_text
from courtpath.drafting.output import to_html
from courtpath.drafting.renderer import DRAFT_MARK

CONTEXT = context_from_mapping(
    yaml.safe_load((Path(__file__).parent / "contexts" / "male_client.yaml").read_text(encoding="utf-8"))
)
TEMPLATES = [t.id for t in list_templates()]


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_round_trip_gives_back_the_blocks(template_id: str) -> None:
    rendered = render(template_id, CONTEXT)
    document = Document(io.BytesIO(to_docx(rendered)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs == [block.text for block in rendered.blocks]  # line breaks inside a block come back as "\n"
    assert paragraphs[0] == DRAFT_MARK
    for section in document.sections:
        assert section.header.paragraphs[0].text == DRAFT_MARK
    assert document.core_properties.title == rendered.title.render("ru")
    assert document.core_properties.author == ""


def test_docx_keeps_the_declined_forms_and_the_layout() -> None:
    rendered = render("voluntary_appearance", CONTEXT)
    document = Document(io.BytesIO(to_docx(rendered)))
    addressee = document.paragraphs[1]
    assert addressee.text.splitlines()[1] == "от младшего сержанта Тестовикова Ивана Петровича,"
    assert addressee.paragraph_format.left_indent is not None
    heading = document.paragraphs[2]
    assert heading.text == "ЗАЯВЛЕНИЕ\nо явке с повинной"
    assert all(run.bold for run in heading.runs)


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_pdf_is_produced_in_memory(template_id: str) -> None:
    pdf = to_pdf(render(template_id, CONTEXT))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_pdf_text_has_the_mark_and_the_declined_names() -> None:
    pypdf = pytest.importorskip("pypdf")
    rendered = render("family_appeal_letter", CONTEXT)
    reader = pypdf.PdfReader(io.BytesIO(to_pdf(rendered)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "ПРОЕКТ — для проверки адвокатом" in text
    assert text.count("ПРОЕКТ — для проверки адвокатом") == 2 * len(reader.pages)  # the page header and the first line
    assert "Вымысловой М. И." in text
    assert "по уголовному делу в отношении Ивана Петровича Тестовикова" in text
    assert "вместе с Иваном Петровичем" in text


def test_the_html_for_the_pdf_is_self_contained_and_escaped() -> None:
    context = context_from_mapping({**CONTEXT.__dict__, "place": "г. Энск <script>alert(1)</script>"})
    html = to_html(render("family_appeal_letter", context))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    for forbidden in ("http://", "https://", "src=", "href=", "@import", "url("):
        assert forbidden not in html


def test_text_output_is_the_blocks_separated_by_blank_lines() -> None:
    rendered = render("motion_attach_documents", CONTEXT)
    assert to_text(rendered).split("\n\n")[0] == DRAFT_MARK
    assert "1. Характеристика с места жительства\n2. Справка о составе семьи" in to_text(rendered)


@pytest.mark.parametrize("template_id", ["voluntary_appearance", "complaint_prosecutor_inaction"])
def test_docx_is_a4_with_the_margins_of_the_pdf(template_id: str) -> None:
    """python-docx's own default is US Letter; a Russian court expects A4 (ГОСТ Р 7.0.97-2016)."""
    document = Document(io.BytesIO(to_docx(render(template_id, CONTEXT))))
    for section in document.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
        assert round(section.top_margin.mm) == round(section.bottom_margin.mm) == 20
    assert "size: A4; margin: 2cm 1.5cm 2cm 3cm" in to_html(render(template_id, CONTEXT))
