"""The "what if" form: the date whose law the open cases are re-assessed under."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WhatIfForm(forms.Form):
    law_on = forms.DateField(
        label=_("Apply the law in force on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-01-09, when 534-FZ took effect."),
    )
