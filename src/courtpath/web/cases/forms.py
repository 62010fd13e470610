"""The forms of requests and cases. The facts of a case go through the one intake (courtpath.law.intake): dates are
typed as text in its grammar, and whatever it refuses is shown on its field, in the language of the page."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtpath.i18n import format_date
from courtpath.law.facts import PriorConviction
from courtpath.law.intake import facts_from_mapping
from courtpath.law.moments import MOSCOW, check_past_day, check_year, now_in_moscow, parse_day
from courtpath.law.problems import FactsError
from courtpath.web.cases import selectors
from courtpath.web.cases.models import (
    CONTEXT_CHOICES,
    INDICATOR_CHOICES,
    KIND_CHOICES,
    PRIOR_CONVICTION_CHOICES,
    SENTENCE_CHOICES,
    STATUS_CHOICES,
    Case,
    Channel,
    DeclineReason,
    Relation,
    RequestStatus,
    Sex,
    Stage,
)
from courtpath.web.cases.services import DECLINE_NOTE_CHARACTERS, FACT_FIELDS, IDENTITY_FIELDS, PROCEDURE_FIELDS
from courtpath.web.vocabulary import page_language


def add_problems(form: forms.Form, error: FactsError) -> None:
    """Each problem on its field (or on the form as a whole), in the language of the page."""
    lang = page_language()
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.render(lang))


class MomentField(forms.CharField):
    """A date, or a date and time, typed as text: 01.03.2025 08:00 or 2025-03-01T08:00 (courtpath.law.moments). Never
    a browser date widget: an English browser shows it as mm/dd/yyyy and reads 05112026 as 11 May. The text goes to
    the intake with the other facts (CaseForm.clean)."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "01.03.2025 08:00", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(required=False, max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, dt.datetime):  # a stored moment (read back in UTC), in Moscow time as it is typed
            local = value.astimezone(MOSCOW)
            return f"{local.day:02d}.{local.month:02d}.{local.year} {local.hour:02d}:{local.minute:02d}"
        return value


class DayField(forms.CharField):
    """A date typed as text (01.03.2025 or 2025-03-01), years 1900-2099, not after today: a verdict, a birth. With
    past_only=False a later day is taken too (the day an extended term runs until)."""

    def __init__(self, past_only: bool = True, **kwargs: Any) -> None:
        attrs = {"placeholder": "01.03.2025", "autocomplete": "off", "spellcheck": "false"}
        kwargs.setdefault("required", False)
        super().__init__(max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs)
        self.past_only = past_only

    def prepare_value(self, value: object) -> object:
        return format_date(value, "ru") if isinstance(value, dt.date) else value

    def clean(self, value: object) -> dt.date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            day = parse_day(text)
            check_year(day)
            if self.past_only:
                check_past_day(day, now_in_moscow())
        except FactsError as error:
            raise forms.ValidationError(error.render(page_language())) from None
        return day


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
        label=pgettext_lazy("help request", "Summary"),
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


class DeclineForm(forms.Form):
    """Why the organisation declines (one reason for all the requests of a bulk decline) and an optional note."""

    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *DeclineReason.choices])
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=DECLINE_NOTE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted."),
    )


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (RequestStatus.NEW.value, RequestStatus.NEW.label),
            (RequestStatus.IN_REVIEW.value, RequestStatus.IN_REVIEW.label),
        ],
    )


class AssignRequestForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=selectors.request_assignees(), required=False, empty_label="—"
    )


class BulkRequestsForm(forms.Form):
    """The requests ticked on the list (`selected`, codes) and what to do with them; the confirmation page sends
    them again with `confirm`."""

    action = forms.ChoiceField(choices=[("decline", "decline"), ("delete", "delete")])
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        codes = list(dict.fromkeys(code.strip().upper() for code in typed if code.strip()))
        if not codes:
            raise forms.ValidationError(_("Tick at least one request."))
        if len(codes) > selectors.MAX_SELECTED:
            raise forms.ValidationError(
                _("Tick at most %(count)s requests at once.") % {"count": selectors.MAX_SELECTED}
            )
        data["selected"] = codes
        return data


class ConvertForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=selectors.lawyers(), required=False)


class AssignForm(ConvertForm):
    pass


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class ProcedureEventForm(forms.Form):
    """A step of the criminal procedure and its day; an extension also the day the term now runs until."""

    event = forms.ChoiceField(label=_("Event"), choices=())
    on = DayField(label=_("Day"), required=True)
    until = DayField(
        label=_("Extended until (for an extension)"),
        help_text=_("The last day of the extended term, as the decision names it."),
        past_only=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "procedure_%s")  # the case page has other forms with a day in them
        super().__init__(*args, **kwargs)
        from courtpath.law.vocabulary import PROCEDURE_EVENTS
        from courtpath.web import vocabulary

        self.fields["event"].choices = vocabulary.choices(PROCEDURE_EVENTS)

    def clean(self) -> dict[str, Any]:
        from courtpath.law.procedure import carries_until

        data = super().clean()
        event, on, until = data.get("event"), data.get("on"), data.get("until")
        if event is None or on is None:
            return data
        extension = carries_until(event)
        if extension and until is None:
            self.add_error("until", _("Give the day the term was extended until."))
        elif not extension and until is not None:
            self.add_error("until", _("Only an extension has a day it runs until."))
        elif until is not None and until <= on:
            self.add_error("until", _("The term must be extended to a day after the extension."))
        return data


class RemoveEventForm(forms.Form):
    """Which recorded event to remove: its place in the list and what it says, so that a list changed meanwhile is
    noticed instead of removing another event."""

    index = forms.IntegerField(min_value=0, max_value=10_000, widget=forms.HiddenInput)
    event = forms.CharField(max_length=40, widget=forms.HiddenInput)
    on = forms.DateField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


def _choices(choices: list[tuple[str, object]], blank: bool = False) -> list[tuple[str, object]]:
    return [("", "—"), *choices] if blank else list(choices)


class CaseForm(forms.Form):
    """The facts, the procedure and the identity of a case: all of them sealed attributes of the case."""

    status = forms.ChoiceField(label=pgettext_lazy("serviceman", "Status"), choices=STATUS_CHOICES)
    left = MomentField(
        label=_("Absence began"), help_text=_("Day.month.year and, if known, the time: 01.03.2025 08:00.")
    )
    returned = MomentField(label=_("Absence ended"), help_text=_("Leave empty while he is still absent."))
    absence_kind = forms.ChoiceField(label=_("Kind of absence"), choices=KIND_CHOICES)
    context = forms.ChoiceField(label=_("Context"), choices=CONTEXT_CHOICES)
    indicators = forms.MultipleChoiceField(
        label=_("Facts courts read as intent to desert"),
        choices=INDICATOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weapon = forms.BooleanField(label=_("With a weapon"), required=False)
    group = forms.BooleanField(label=_("In a group"), required=False)
    first_offence = forms.BooleanField(label=_("First offence"), required=False)
    grave_circumstances = forms.BooleanField(label=_("Grave circumstances"), required=False)
    surrendered = forms.BooleanField(label=_("Voluntary surrender"), required=False)
    aggravating = forms.BooleanField(label=_("Aggravating circumstances"), required=False)
    released_80_2 = forms.BooleanField(label=_("Released under art. 80.2"), required=False)
    prior_conviction = forms.ChoiceField(
        label=_("Earlier conviction (unexpunged, intentional crime)"), choices=PRIOR_CONVICTION_CHOICES, required=False
    )
    prior_imprisonment = forms.BooleanField(label=_("Served a real prison term before"), required=False)
    on_probation = forms.BooleanField(
        label=_("The absence began during the probation of a suspended sentence"), required=False
    )
    court_id = forms.ChoiceField(label=_("Court"), choices=(), required=False)
    verdict_date = DayField(label=_("Date of the verdict"))
    sentence_type = forms.ChoiceField(
        label=_("Sentence"), choices=_choices(SENTENCE_CHOICES, blank=True), required=False
    )
    sentence_months = forms.IntegerField(label=_("Term in months"), required=False, min_value=0, max_value=600)
    sentence_suspended = forms.NullBooleanField(label=_("Suspended (art. 73)"), required=False)
    client_surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    client_given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    client_patronymic = forms.CharField(label=_("Patronymic"), required=False, max_length=100)
    client_sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    client_birth_date = DayField(label=_("Date of birth"))
    client_rank = forms.CharField(label=_("Military rank"), required=False, max_length=100)
    client_contact = forms.CharField(label=_("Contact"), required=False, max_length=500)
    military_unit = forms.CharField(label=_("Military unit"), required=False, max_length=200)
    investigator = forms.CharField(label=_("Investigator"), required=False, max_length=200)

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        initial = {name: getattr(case, name) for name in (*FACT_FIELDS, *PROCEDURE_FIELDS, *IDENTITY_FIELDS)}
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[arg-type]
        self.fields["court_id"].choices = court_choices()

    def clean(self) -> dict[str, object]:
        """The facts through the intake; on success they are the intake's values (moments in Moscow time)."""
        cleaned = super().clean()
        if any(name in self.errors for name in FACT_FIELDS):
            return cleaned
        values = {name: cleaned.get(name) or None for name in FACT_FIELDS}
        values.update(
            {name: bool(cleaned.get(name)) for name in FACT_FIELDS if isinstance(self.fields[name], forms.BooleanField)}
        )
        values["indicators"] = sorted(cleaned.get("indicators") or [])
        values["prior_conviction"] = cleaned.get("prior_conviction") or PriorConviction.NONE.value
        if values["left"] is None and values["returned"] is None:  # the facts of the absence are not known yet
            cleaned.update(values)
            return cleaned
        try:
            facts = facts_from_mapping(values, now=now_in_moscow())
        except FactsError as error:
            add_problems(self, error)
            return cleaned
        cleaned.update(values, left=facts.left, returned=facts.returned)
        return cleaned


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
            raise forms.ValidationError(self.mismatch_message())
        return typed

    def mismatch_message(self) -> str:
        return _("The code does not match this case.")


class DeleteRequestForm(DeleteCaseForm):
    """The same confirmation for a request, worded for a request («код обращения», not «код дела»)."""

    def __init__(self, *args: object, case_code: str, **kwargs: object) -> None:
        super().__init__(*args, case_code=case_code, **kwargs)
        self.fields["confirm_code"].label = _("Type the request code to confirm")

    def mismatch_message(self) -> str:
        return _("The code does not match this request.")


MOMENT_FORMATS = ["%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


class BulkDeleteForm(forms.Form):
    """Which requests to delete at once (the junk of a flood), and the confirmation: the number of them."""

    received_from = forms.DateTimeField(
        label=_("Received from"), input_formats=MOMENT_FORMATS, help_text=_("Moscow time, e.g. 07.12.2026 05:00")
    )
    received_to = forms.DateTimeField(label=_("Received until"), input_formats=MOMENT_FORMATS)
    held_only = forms.BooleanField(label=_("Only requests held as a probable flood"), required=False)
    up_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    confirm_count = forms.IntegerField(label=_("Type the number of requests to confirm"), required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("received_from"), data.get("received_to")
        if since and until and since > until:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data
