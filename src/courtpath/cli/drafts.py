"""`courtpath draft …`: list the document templates, render one from a YAML file of case data, and check a folder
of templates a lawyer wrote."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from courtpath.cli.files import read_text

draft_app = typer.Typer(help="Document drafts for a lawyer's review (DOCX, PDF or text).", no_args_is_help=True)

TemplatesDir = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="The organisation's folder of templates, used beside the built-in ones "
        "(default: the COURTPATH_DRAFT_TEMPLATES_DIR environment variable).",
    ),
]


class Format(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    TEXT = "text"


class Lang(StrEnum):
    RU = "ru"
    EN = "en"


@draft_app.command("list")
def list_drafts(
    lang: Annotated[Lang, typer.Option(help="Language of the titles.")] = Lang.RU,
    templates: TemplatesDir = None,
) -> None:
    """The templates, built-in and the organisation's: id, title, the fields each one needs, origin and statute."""
    from courtpath.drafting import list_templates

    for template in list_templates(templates):
        needs = ", ".join(template.requires)
        title = template.title.render(lang.value)
        sys.stdout.write(f"{template.id}\t{title}\t{needs}\t{template.origin}\t{template.statute}\n")


def _read_data(path: Path) -> object:
    import yaml

    text = read_text(path)
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from None


@draft_app.command("render")
def render_draft(
    template: Annotated[str, typer.Argument(help="Template id (see courtpath draft list).")],
    data: Annotated[Path, typer.Option(help="YAML file with the case data (DraftContext field names).")],
    format_: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.DOCX,
    out: Annotated[Path | None, typer.Option(help="Output file (text without --out goes to standard output).")] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the warnings.")] = Lang.RU,
    templates: TemplatesDir = None,
) -> None:
    """Fill a template from case data. Warnings (words left undeclined, blanks to fill) go to standard error."""
    from courtpath.drafting import context_from_mapping, render, to_docx, to_pdf, to_text
    from courtpath.pdf import PdfError

    if out is None and format_ != Format.TEXT:
        raise ValueError(f"--format {format_.value} needs --out FILE")
    rendered = render(template, context_from_mapping(_read_data(data)), templates)  # type: ignore[arg-type]
    if format_ == Format.TEXT:
        text = to_text(rendered)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    else:
        try:
            payload = to_docx(rendered) if format_ == Format.DOCX else to_pdf(rendered)
        except PdfError as error:
            raise ValueError(str(error)) from error
        assert out is not None
        out.write_bytes(payload)
    for warning in rendered.warning_texts(lang.value):
        sys.stderr.write(f"courtpath: check: {warning}\n")


@draft_app.command("check")
def check_drafts(
    directory: Annotated[Path, typer.Argument(help="A folder of templates (*.j2) to validate.")],
) -> None:
    """Validate every template in a folder: header (statute, checks, field names), Jinja2 syntax, filters, and a
    trial render with a fictional case. One line per file; exit code 0 if all are OK, 1 if not, 2 without DIR."""
    from courtpath.drafting.check import check_directory

    results = check_directory(directory)  # a missing folder: DraftTemplateError, a ValueError (exit code 2)
    for result in results:
        sys.stdout.write(" ".join(result.line().split("\n")) + "\n")
    if not results:
        sys.stderr.write(f"courtpath: no templates (*.j2) in {directory}\n")
    if not results or not all(result.ok for result in results):
        raise typer.Exit(1)
