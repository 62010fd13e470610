"""The administrators' form for the organisation's identity."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from courtpath.web.organisation.models import Identity
from courtpath.web.organisation.services import EDITABLE_FIELDS

PHONE = re.compile(r"^\+?[0-9 ()\-]{5,40}$")
URL_MESSAGE = _("Enter a web address starting with https://.")


class IdentityForm(forms.ModelForm):
    quick_exit_url = forms.URLField(max_length=300, assume_scheme="https", error_messages={"invalid": URL_MESSAGE})

    class Meta:
        model = Identity
        fields = EDITABLE_FIELDS
        labels = {
            "name_ru": _("Name (Russian)"),
            "name_en": _("Name (English)"),
            "phone": _("Phone"),
            "messenger": _("Telegram or Signal"),
            "email": _("E-mail"),
            "address_ru": _("Postal address (Russian)"),
            "address_en": _("Postal address (English)"),
            "hours_ru": _("Hours (Russian)"),
            "hours_en": _("Hours (English)"),
            "privacy_ru": _("Privacy notice (Russian)"),
            "privacy_en": _("Privacy notice (English)"),
            "quick_exit_url": _("Quick exit leads to"),
        }
        help_texts = {
            "name_ru": _("Shown at the top of every public page and in the PDF of a result."),
            "phone": _("For example +7 900 000-00-00."),
            "messenger": _("A handle, for example @example_help."),
            "hours_ru": _("For example: weekdays 10:00–19:00 Moscow time."),
            "privacy_ru": _(
                "A few sentences: who keeps what a person sends, and for how long. Shown on the privacy page."
            ),
            "quick_exit_url": _(
                "A neutral site (for example a weather forecast) that the quick-exit link opens instead of this site."
            ),
        }
        widgets = {
            "privacy_ru": forms.Textarea(attrs={"rows": 5}),
            "privacy_en": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = value.strip()
        return data

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Use digits, spaces, brackets, hyphens and a leading plus only."), code="phone"
            )
        return phone

    def clean_quick_exit_url(self) -> str:
        url = self.cleaned_data["quick_exit_url"].strip()
        URLValidator(schemes=["https", "http"], message=URL_MESSAGE)(url)
        return url
