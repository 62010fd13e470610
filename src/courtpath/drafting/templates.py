"""Draft templates are files: `templates/<id>.j2`, a YAML header between `---` lines, then Jinja2 text.

    ---
    requires: [client_surname, client_given_name, investigative_body]   # DraftContext fields that must be given
    uses: [client_patronymic, client_rank]                              # optional fields it reads (documentation)
    ---
    [addressee]
    Руководителю {{ investigative_body | datv }}
    [heading]
    ЗАЯВЛЕНИЕ
    [paragraph]
    Я, {{ client.name }}, ...

The block markers ([addressee], [heading], [paragraph], [signature], [plain]) are described in renderer.py. The
titles staff see are gettext messages (TITLES below), so they exist in Russian and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from courtpath.drafting.context import FIELD_NAMES
from courtpath.i18n import Msg

SUFFIX = ".j2"
TITLES: dict[str, Msg] = {
    "voluntary_appearance": Msg("Statement of voluntary appearance to the military investigative body"),
    "motion_attach_documents": Msg("Lawyer's motion to attach documents to the case"),
    "family_appeal_letter": Msg("Letter to the family about the appeal window"),
}
HEADER_KEYS = {"requires", "uses", "note"}


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

    @property
    def title(self) -> Msg:
        return TITLES.get(self.id) or Msg("Draft “{id}”", id=self.id)


def default_directory() -> Path:
    return Path(str(resources.files("courtpath.drafting").joinpath("templates")))


def _field_list(header: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = header.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DraftTemplateError(f"{where}: header field {key!r} must be a list of field names")
    unknown = [v for v in value if v not in FIELD_NAMES]
    if unknown:
        raise DraftTemplateError(f"{where}: header field {key!r} names unknown field(s): {', '.join(unknown)}")
    return tuple(value)


def parse_template(template_id: str, text: str, where: str) -> DraftTemplate:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DraftTemplateError(f"{where}: a template starts with a YAML header between '---' lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DraftTemplateError(f"{where}: the header is not closed by a '---' line") from None
    try:
        header = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise DraftTemplateError(f"{where}: the header is not valid YAML: {error}") from error
    if not isinstance(header, dict):
        raise DraftTemplateError(f"{where}: the header must be a mapping (requires: [...])")
    extra = sorted(set(header) - HEADER_KEYS)
    if extra:
        raise DraftTemplateError(f"{where}: unknown header field(s): {', '.join(extra)}")
    return DraftTemplate(
        id=template_id,
        path=where,
        requires=_field_list(header, "requires", where),
        uses=_field_list(header, "uses", where),
        body="\n".join(lines[end + 1 :]) + "\n",
        body_line=end + 2,
    )


def list_templates(directory: Path | None = None) -> list[DraftTemplate]:
    folder = directory or default_directory()
    if not folder.is_dir():
        raise DraftTemplateError(f"{folder}: not a folder of draft templates")
    return [load_template(path.name.removesuffix(SUFFIX), folder) for path in sorted(folder.glob(f"*{SUFFIX}"))]


def load_template(template_id: str, directory: Path | None = None) -> DraftTemplate:
    folder = directory or default_directory()
    path = folder / f"{template_id}{SUFFIX}"
    if "/" in template_id or "\\" in template_id or template_id.startswith(".") or not path.is_file():
        known = ", ".join(p.name.removesuffix(SUFFIX) for p in sorted(folder.glob(f"*{SUFFIX}")))
        raise DraftTemplateError(f"unknown draft template {template_id!r}; known: {known or 'none'}")
    return parse_template(template_id, path.read_text(encoding="utf-8"), path.name)
