"""The facts form in sections, each a <fieldset> with a legend: the absence, the person, the circumstances, the
court. A field no section names (one added later) lands in the last section, so no field is ever left out."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SECTIONS: tuple[tuple[str | Promise, tuple[str, ...]], ...] = (
    (_("The absence"), ("status", "left", "returned", "absence_kind", "context")),
    (
        _("The person"),
        (
            "client_surname",
            "client_given_name",
            "client_patronymic",
            "client_sex",
            "client_birth_date",
            "client_rank",
            "military_unit",
            "client_contact",
            "investigator",
        ),
    ),
    (
        _("The circumstances"),
        (
            "indicators",
            "weapon",
            "group",
            "first_offence",
            "grave_circumstances",
            "surrendered",
            "aggravating",
            "released_80_2",
            "prior_conviction",
            "prior_imprisonment",
            "on_probation",
        ),
    ),
    (_("The court"), ("court_id", "verdict_date", "sentence_type", "sentence_months", "sentence_suspended")),
)


@dataclass(frozen=True)
class Section:
    legend: str | Promise
    fields: list[forms.BoundField]


def sections(form: forms.Form) -> list[Section]:
    """The form's visible fields by section, in the order of SECTIONS; unnamed fields go to the last section."""
    named = {name for _legend, names in SECTIONS for name in names}
    result = [Section(legend, [form[name] for name in names if name in form.fields]) for legend, names in SECTIONS]
    result[-1].fields.extend(form[name] for name in form.fields if name not in named)
    return [section for section in result if section.fields]


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary at the top of the form: each field's errors link to the field; the
    form's own errors link to where the form shows them."""
    links = [("facts-form-errors", str(error)) for error in form.non_field_errors()]
    for field in form:
        target = field.id_for_label or f"{field.auto_id}_0"  # a group of check boxes: its first box
        links.extend((target, f"{field.label}: {error}") for error in field.errors)
    return links
