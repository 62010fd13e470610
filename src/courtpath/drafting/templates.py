"""Draft templates are files: `<id>.j2`, a YAML header between `---` lines, then Jinja2 text.

    ---
    statute: "ст. 142 УПК РФ"                                          # the articles the document rests on
    checks:                                                             # what the lawyer checks by hand
      - Причины отсутствия записаны со слов заявителя
    requires: [client_surname, client_given_name, investigative_body]   # DraftContext fields that must be given
    uses: [client_patronymic, client_rank]                              # optional fields it reads (documentation)
    note: Заявление о явке с повинной…                                  # optional: why it reads as it does
    ---
    [addressee]
    Руководителю {{ investigative_body | datv }}
    [heading]
    ЗАЯВЛЕНИЕ
    [paragraph]
    Я, {{ client.name }}, ...

The block markers ([addressee], [heading], [paragraph], [signature], [plain]) are described in renderer.py. The
titles staff see are gettext messages (TITLES below), so they exist in Russian and English.

Two folders are read: the built-in templates of the package and, when configured, an organisation's own folder
(the --templates option, else the COURTPATH_DRAFT_TEMPLATES_DIR environment variable). Both sets are listed side by
side; an organisation template with the id of a built-in one is an error naming both files, never a silent override.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from courtpath.drafting.context import FIELD_NAMES
from courtpath.i18n import Msg

SUFFIX = ".j2"
ENV_DIRECTORY = "COURTPATH_DRAFT_TEMPLATES_DIR"
BUILTIN = "builtin"
ORGANISATION = "organisation"
TITLES: dict[str, Msg] = {
    "voluntary_appearance": Msg("Statement of voluntary appearance to the military investigative body"),
    "motion_attach_documents": Msg("Lawyer's motion to attach documents to the case"),
    "family_appeal_letter": Msg("Letter to the family about the appeal window"),
    "complaint_prosecutor_inaction": Msg(
        "Complaint to the military prosecutor: a crime report left without a decision, or the command not reporting"
    ),
    "complaint_court_inaction": Msg("Complaint to the garrison military court against the investigators' inaction"),
    "complaint_prosecutor_returned_to_unit": Msg(
        "Complaint to the military prosecutor: the client detained and sent back to a unit while his case is pending"
    ),
    "accused_refusal_statement": Msg(
        "The accused's statement: no contract signed, no consent to suspending the case for service"
    ),
    "motion_procedural_steps": Msg("Lawyer's motion to the investigator to carry out procedural steps"),
}
HEADER_KEYS = {"statute", "checks", "requires", "uses", "note"}
REQUIRED_HEADER_KEYS = ("statute", "checks")


class DraftTemplateError(ValueError):
    """A template file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class DraftTemplate:
    id: str
    path: str
    requires: tuple[str, ...]
    uses: tuple[str, ...]
    body: str
    body_line: int  # the file's line number where the body starts, for error messages
    statute: str = ""  # the articles the document rests on, as the header names them
    checks: tuple[str, ...] = ()  # what the lawyer must check by hand before filing
    note: str = ""
    origin: str = BUILTIN  # BUILTIN or ORGANISATION

    @property
    def title(self) -> Msg:
        return TITLES.get(self.id) or Msg("Draft “{id}”", id=self.id)


def default_directory() -> Path:
    return Path(str(resources.files("courtpath.drafting").joinpath("templates")))


def organisation_directory(directory: Path | None = None) -> Path | None:
    """The organisation's folder: `directory` if given, else the COURTPATH_DRAFT_TEMPLATES_DIR variable, else none."""
    if directory is not None:
        return directory
    configured = os.environ.get(ENV_DIRECTORY, "").strip()
    return Path(configured) if configured else None


def _field_list(header: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = header.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DraftTemplateError(f"{where}: header field {key!r} must be a list of field names")
    unknown = [v for v in value if v not in FIELD_NAMES]
    if unknown:
        raise DraftTemplateError(f"{where}: header field {key!r} names unknown field(s): {', '.join(unknown)}")
    return tuple(value)


def _statute(header: dict[str, object], where: str) -> str:
    value = header.get("statute")
    if not isinstance(value, str) or not value.strip():
        raise DraftTemplateError(
            f"{where}: header field 'statute' must name the articles the document rests on "
            '(statute: "ст. 124 УПК РФ")'
        )
    return " ".join(value.split())


def _checks(header: dict[str, object], where: str) -> tuple[str, ...]:
    value = header.get("checks")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DraftTemplateError(
            f"{where}: header field 'checks' must be a list of what the lawyer checks by hand before filing"
        )
    return tuple(" ".join(v.split()) for v in value)


def parse_template(template_id: str, text: str, where: str, origin: str = BUILTIN) -> DraftTemplate:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DraftTemplateError(f"{where}, line 1: a template starts with a YAML header between '---' lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DraftTemplateError(f"{where}: the header is not closed by a '---' line") from None
    try:
        header = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 2}" if mark is not None else ""
        raise DraftTemplateError(f"{where}{line}: the header is not valid YAML: {error}") from error
    if not isinstance(header, dict):
        raise DraftTemplateError(f"{where}: the header must be a mapping (statute: ..., checks: [...])")
    extra = sorted(str(k) for k in set(header) - HEADER_KEYS)
    if extra:
        raise DraftTemplateError(
            f"{where}: unknown header field(s): {', '.join(extra)}; known: {', '.join(sorted(HEADER_KEYS))}"
        )
    note = header.get("note") or ""
    if not isinstance(note, str):
        raise DraftTemplateError(f"{where}: header field 'note' must be text")
    return DraftTemplate(
        id=template_id,
        path=where,
        requires=_field_list(header, "requires", where),
        uses=_field_list(header, "uses", where),
        body="\n".join(lines[end + 1 :]) + "\n",
        body_line=end + 2,
        statute=_statute(header, where),
        checks=_checks(header, where),
        note=" ".join(note.split()),
        origin=origin,
    )


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise DraftTemplateError(f"{folder}: not a folder of draft templates")
    return {path.name.removesuffix(SUFFIX): path for path in sorted(folder.glob(f"*{SUFFIX}")) if path.is_file()}


def _folders(directory: Path | None) -> list[tuple[str, dict[str, Path]]]:
    """(origin, id -> file) for the built-in folder and the organisation's, refusing an id that is in both."""
    builtin = _files(default_directory())
    folders = [(BUILTIN, builtin)]
    own = organisation_directory(directory)
    if own is not None and own.resolve() != default_directory().resolve():
        files = _files(own)
        clashes = sorted(set(files) & set(builtin))
        if clashes:
            pairs = "; ".join(f"{files[i]} has the id of the built-in {builtin[i]}" for i in clashes)
            raise DraftTemplateError(f"organisation template clashes with a built-in one: {pairs}; rename it")
        folders.append((ORGANISATION, files))
    return folders


def _where(origin: str, path: Path) -> str:
    return path.name if origin == BUILTIN else str(path)


def list_templates(directory: Path | None = None) -> list[DraftTemplate]:
    """The built-in templates, then the organisation's (`directory`, else COURTPATH_DRAFT_TEMPLATES_DIR)."""
    return [
        parse_template(template_id, path.read_text(encoding="utf-8"), _where(origin, path), origin)
        for origin, files in _folders(directory)
        for template_id, path in files.items()
    ]


def builtin_templates() -> list[DraftTemplate]:
    """The built-in templates alone (what a page still offers when the organisation's folder cannot be used)."""
    return [
        parse_template(template_id, path.read_text(encoding="utf-8"), _where(BUILTIN, path), BUILTIN)
        for template_id, path in _files(default_directory()).items()
    ]


def find_template(template_id: str, directory: Path | None = None) -> DraftTemplate:
    """The template `template_id`, built-in or the organisation's."""
    folders = _folders(directory)
    if not ("/" in template_id or "\\" in template_id or template_id.startswith(".")):
        for origin, files in folders:
            if template_id in files:
                path = files[template_id]
                return parse_template(template_id, path.read_text(encoding="utf-8"), _where(origin, path), origin)
    known = ", ".join(sorted(i for _, files in folders for i in files))
    raise DraftTemplateError(f"unknown draft template {template_id!r}; known: {known or 'none'}")


load_template = find_template  # the older name
