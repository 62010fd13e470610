"""The form of the token page: it only parses input; services.create_token() does the work and checks the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from courtpath.web.api.services import EXPIRY_DAYS

NEVER = "never"


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell it apart later: for example, “Spreadsheet macro”."),
    )
    expires = forms.ChoiceField(
        label=_("Expires after"),
        choices=[
            *(
                (str(days), ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days})
                for days in EXPIRY_DAYS
            ),
            (NEVER, _("Never")),
        ],
        initial="90",
    )

    def expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires"]
        return None if value == NEVER else int(value)
