"""The "what if" form: the date whose law the open cases are re-assessed under."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from courtpath.law.moments import parse_day
from courtpath.law.problems import FactsError
from courtpath.web.vocabulary import page_language


class LawDayField(forms.CharField):
    """A day typed as text, 09.01.2026 or 2026-01-09 (courtpath.law.moments), never a browser date widget: an
    English browser shows one as mm/dd/yyyy and reads 05112026 as the 11th of May. A future day is allowed: the
    law known to be in force then."""

    def __init__(self, **kwargs: object) -> None:
        attrs = {"placeholder": "09.01.2026", "autocomplete": "off", "spellcheck": "false", "inputmode": "decimal"}
        super().__init__(max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> dt.date:  # type: ignore[override]
        text = super().clean(value)
        try:
            return parse_day(text)
        except FactsError as error:
            raise forms.ValidationError(error.render(page_language())) from None


class WhatIfForm(forms.Form):
    law_on = LawDayField(
        label=_("Apply the law in force on"),
        help_text=_("Day.month.year, for example 09.01.2026, when 534-FZ took effect."),
    )
