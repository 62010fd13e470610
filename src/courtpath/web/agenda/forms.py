"""Forms of manual dates and of the reminder settings. Dates are typed as text, like the case form's MomentField:
never a browser date widget (an English browser reads 05112026 as 11 May)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtpath.law.moments import MOSCOW, as_moscow, parse_day, parse_moment
from courtpath.law.problems import FactsError
from courtpath.web.agenda.models import AgendaItem, Kind
from courtpath.web.agenda.services import NOTE_MAX
from courtpath.web.vocabulary import page_language

_DAY_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")


def parse_when(text: str) -> tuple[dt.datetime, bool]:
    """(moment, whole day) of `17.12.2026` or `17.12.2026 10:00` (Moscow time; ISO forms too). FactsError."""
    if _DAY_ONLY.fullmatch(text):
        day = parse_day(text)
        return dt.datetime.combine(day, dt.time(), tzinfo=MOSCOW), True
    return as_moscow(parse_moment(text)), False


def typed_when(at: dt.datetime, all_day: bool) -> str:
    local = at.astimezone(MOSCOW)
    return f"{local:%d.%m.%Y}" if all_day else f"{local:%d.%m.%Y %H:%M}"


class WhenField(forms.CharField):
    """A day, or a day and a time, typed as text; cleans to (moment, whole day)."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "17.12.2026 10:00", "autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        super().__init__(max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: object) -> tuple[dt.datetime, bool]:  # type: ignore[override]
        text = super().clean(value)
        try:
            return parse_when(text)
        except FactsError as error:
            raise forms.ValidationError(error.render(page_language())) from None


class ItemForm(forms.Form):
    when = WhenField(
        label=_("Date and time"),
        help_text=_("Day.month.year, and the time if there is one (Moscow time): 17.12.2026 10:00 or 17.12.2026."),
        error_messages={"required": _("Enter the date: day.month.year, for example 17.12.2026.")},
    )
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the court and the room. Stored encrypted; never in the digest or the calendar."),
    )

    @classmethod
    def for_item(cls, item: AgendaItem, data: object = None) -> ItemForm:
        initial = {"when": typed_when(item.at, item.all_day), "kind": item.kind, "note": item.note}
        return cls(data, initial=initial)

    def values(self) -> dict[str, object]:
        at, all_day = self.cleaned_data["when"]
        return {"kind": self.cleaned_data["kind"], "at": at, "all_day": all_day, "note": self.cleaned_data["note"]}


class DoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class DigestForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send me the daily digest by e-mail"), required=False)
    address = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Stored encrypted. The e-mail lists case codes, dates and kinds only."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("enabled") and not data.get("address") and "address" not in self.errors:
            self.add_error("address", _("Enter the e-mail address for the digest."))
        return data
