"""Forms of the accounts pages: they only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts import totp
from courtpath.web.accounts.models import Role, StaffProfile
from courtpath.web.accounts.profiles import normalise


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=1024,  # well above any real password; bounds the hashing work of one request
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not totp.is_well_formed(code):
            raise forms.ValidationError(_("Enter the 6 digits shown in your authenticator app."), code="format")
        return totp.normalise_code(code)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (current password, new password twice, AUTH_PASSWORD_VALIDATORS), plus: the new password must
    differ from the current one, which matters most when the current one is a one-time password."""

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.check_password(new):
            self.add_error("new_password1", _("Choose a password different from the current one."))
        return cleaned


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "Latin or Cyrillic letters (not both), digits and @ . + - _ only; capitals become small letters. Use a "
            "pseudonym, not a real name."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UserActionForm(forms.Form):
    """One of the buttons of the account page; `role` only for the role change."""

    ROLE = "role"
    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"
    RESET_TOTP = "reset_totp"
    ONE_TIME_PASSWORD = "one_time_password"

    action = forms.ChoiceField(
        choices=[
            (ROLE, ROLE),
            (DEACTIVATE, DEACTIVATE),
            (ACTIVATE, ACTIVATE),
            (RESET_TOTP, RESET_TOTP),
            (ONE_TIME_PASSWORD, ONE_TIME_PASSWORD),
        ],
        widget=forms.HiddenInput,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("action") == self.ROLE and not cleaned.get("role"):
            self.add_error("role", _("Choose a role."))
        return cleaned


class StaffProfileForm(forms.ModelForm):
    """The user's own profile; the model's validators (accounts/profiles.py) check each text once it is tidied."""

    class Meta:
        model = StaffProfile
        fields = ("full_name", "position", "bar_number", "bar")
        labels = {
            "full_name": _("Full name"),
            "position": _("Position"),
            "bar_number": _("Registry number"),
            "bar": _("Bar chamber and bar association"),
        }
        help_texts = {
            "full_name": _("Surname, first name and patronymic, in Russian, as they are printed in documents."),
            "position": _("For example: advocate."),
            "bar_number": _("Your number in the register of advocates, for example 77/12345."),
            "bar": _("As printed in documents: the bar chamber of the region and your bar association or office."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "bar_number": forms.TextInput(attrs={"autocomplete": "off", "size": 16}),
            "bar": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def clean(self) -> dict[str, object]:
        """Each text tidied before the model's validators see it (they run after this, in _post_clean)."""
        data = super().clean()
        return {name: normalise(value) if isinstance(value, str) else value for name, value in data.items()}
