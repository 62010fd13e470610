"""Document drafts for staff: templates as files, filled from a case, with Russian declension.

    rendered = render("voluntary_appearance", DraftContext(...))   # blocks of text + warnings
    to_docx(rendered), to_pdf(rendered), to_text(rendered)          # bytes / str, in memory

Every output is marked as a draft for a lawyer's review.
"""

from courtpath.drafting.context import DraftContext, DraftDataError, context_from_mapping
from courtpath.drafting.output import to_docx, to_pdf, to_text
from courtpath.drafting.renderer import MissingFieldsError, RenderedDraft, render
from courtpath.drafting.templates import DraftTemplateError, find_template, list_templates

__all__ = [
    "DraftContext",
    "DraftDataError",
    "DraftTemplateError",
    "MissingFieldsError",
    "RenderedDraft",
    "context_from_mapping",
    "find_template",
    "list_templates",
    "render",
    "to_docx",
    "to_pdf",
    "to_text",
]
