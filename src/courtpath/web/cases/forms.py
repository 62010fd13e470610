from __future__ import annotations

from functools import cache

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courtpath.law.facts import FactsError
from courtpath.web.cases import selectors
from courtpath.web.cases.models import INDICATOR_CHOICES, Case, Channel, Relation, Sex, Stage
from courtpath.web.cases.services import FACT_FIELDS, IDENTITY_FIELDS, PROCEDURE_FIELDS, facts_of

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


@cache
def court_choices() -> list[tuple[str, str]]:
    """Military courts from the sudrf directory (CC BY-SA 4.0, dataout-org/sudrfparser)."""
    from courtpath.analytics.courts import court_directory

    rows = court_directory().sort("court_level", "court_name").select("court_id", "court_name").iter_rows()
    return [("", "—"), *[(court_id, f"{name} ({court_id})") for court_id, name in rows]]


class RequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("How the request came"), choices=Channel.choices)
    relation = forms.ChoiceField(label=_("Who is asking"), choices=Relation.choices)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text=_("Only what the lawyer needs. It is stored encrypted."),
    )
    contact = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=500,
        help_text=_("As the person gave it: a phone, a messenger name. Stored encrypted."),
    )


class ConvertForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=selectors.lawyers(), required=False)


class AssignForm(ConvertForm):
    pass


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class CaseForm(forms.ModelForm):
    """Facts and procedure (model fields) and the identity fields, which are sealed attributes of the case."""

    client_surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    client_given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    client_patronymic = forms.CharField(label=_("Patronymic"), required=False, max_length=100)
    client_sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    client_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client_rank = forms.CharField(label=_("Military rank"), required=False, max_length=100)
    client_contact = forms.CharField(label=_("Contact"), required=False, max_length=500)
    military_unit = forms.CharField(label=_("Military unit"), required=False, max_length=200)
    investigator = forms.CharField(label=_("Investigator"), required=False, max_length=200)
    indicators = forms.MultipleChoiceField(
        label=_("Facts courts read as intent to desert"),
        choices=INDICATOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    court_id = forms.ChoiceField(label=_("Court"), choices=(), required=False)

    class Meta:
        model = Case
        fields = [*FACT_FIELDS, *PROCEDURE_FIELDS]
        widgets = {
            "left_at": DATETIME_WIDGET,
            "returned_at": DATETIME_WIDGET,
            "verdict_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "status": _("Status"),
            "left_at": _("Absence began"),
            "returned_at": _("Absence ended"),
            "absence_kind": _("Kind of absence"),
            "context": _("Context"),
            "weapon": _("With a weapon"),
            "group": _("In a group"),
            "first_offence": _("First offence"),
            "grave_circumstances": _("Grave circumstances"),
            "surrendered": _("Voluntary surrender"),
            "aggravating": _("Aggravating circumstances"),
            "released_80_2": _("Released under art. 80.2"),
            "verdict_date": _("Date of the verdict"),
            "sentence_type": _("Sentence"),
            "sentence_months": _("Term in months"),
            "sentence_suspended": _("Suspended (art. 73)"),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["court_id"].choices = court_choices()
        self.initial["indicators"] = self.instance.indicator_list
        if self.instance.pk is not None:
            for name in IDENTITY_FIELDS:
                self.initial.setdefault(name, getattr(self.instance, name))

    def clean_indicators(self) -> str:
        return ";".join(sorted(self.cleaned_data["indicators"]))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        probe = Case(**{name: cleaned.get(name, getattr(self.instance, name)) for name in FACT_FIELDS})
        try:
            facts_of(probe)
        except FactsError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


class WhatIfForm(forms.Form):
    law_on = forms.DateField(
        label=_("Apply the law in force on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-01-09, when 534-FZ took effect."),
    )


def too_large_message() -> str:
    return _("The file is larger than %(limit)s MB.") % {"limit": settings.COURTPATH_MAX_DOCUMENT_BYTES >> 20}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.COURTPATH_MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(too_large_message())
        return uploaded


class DeleteCaseForm(forms.Form):
    confirm_code = forms.CharField(
        label=_("Type the case code to confirm"), max_length=20, help_text=_("This cannot be undone.")
    )

    def __init__(self, *args: object, case_code: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.case_code = case_code

    def clean_confirm_code(self) -> str:
        typed = self.cleaned_data["confirm_code"].strip().upper()
        if typed != self.case_code:
            raise forms.ValidationError(_("The code does not match this case."))
        return typed
