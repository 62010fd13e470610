"""The case list's GET form: search, filters and sort, read into listing.Filters. Every value comes back in the
page's links (pagination, sorting), so a filter survives them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts.models import Role, User
from courtpath.web.cases import listing, selectors
from courtpath.web.cases.models import Stage

MAX_DUE_DAYS = 3650
STATES = [("", _("Open and closed cases")), ("open", _("Open cases")), ("closed", _("Closed cases"))]
SORT_CHOICES = [("", "")] + [(f"{sign}{key}", f"{sign}{key}") for key in listing.SORTS for sign in ("", "-")]


class CaseListForm(forms.Form):
    q = forms.CharField(
        label=_("Code or client's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Whole words, or the first 3 letters or more of each word."),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices])
    lawyer = forms.ModelChoiceField(
        label=_("Lawyer"), required=False, queryset=selectors.lawyers(), empty_label=_("Any lawyer")
    )
    state = forms.ChoiceField(label=_("Open or closed"), required=False, choices=STATES)
    part = forms.ChoiceField(label=_("Article and part"), required=False)
    due_within = forms.IntegerField(
        label=_("A deadline within (days)"), required=False, min_value=0, max_value=MAX_DUE_DAYS
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", _("Any article")), *[(code, code) for code in listing.article_parts()]]
        if user.role != Role.COORDINATOR:  # a lawyer's list holds only their own cases
            del self.fields["lawyer"]

    def filters(self) -> listing.Filters:
        data = self.cleaned_data
        lawyer = data.get("lawyer")
        return listing.Filters(
            query=data["q"].strip(),
            stage=data["stage"],
            lawyer=None if lawyer is None else lawyer.pk,
            state=data["state"],
            part=data["part"],
            due_within=data["due_within"],
            sort=data["sort"],
        )
