"""The optional last step of the public interview: send a request for help to the organisation.

Only what the person fills in here is sent: who they are to the serviceman, how to reach them, an optional message
and, if they tick it, their answers to the questions. It becomes an intake request sealed with its own data key like
every case (courtpath.web.cases.services.create_public_request). Nothing else is kept: no session, no cookie.

The form carries a signed, time-limited token instead of a CSRF cookie: there is no login whose authority a forged
request could borrow, so a cookie would protect nothing. Each token holds a random nonce and is spent once: the
service keeps a keyed hash of every spent token until it expires (courtpath.web.interview.services). A field hidden
from people catches simple bots. Nothing can tell one anonymous sender from another (Tor), so a flood is met by
holding requests apart rather than refusing them (courtpath.web.cases.services.create_public_request).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from courtpath.interview.answers import Answers
from courtpath.interview.definition import Interview
from courtpath.interview.explain import Explanation
from courtpath.interview.facts import fields, to_facts
from courtpath.web.cases.handover import answers_record
from courtpath.web.cases.models import Relation

TOKEN_SALT = "courtpath.interview.ask"
TOKEN_MAX_AGE_SECONDS = 6 * 3600


NONCE_BYTES = 18  # 24 characters of URL-safe base64: two forms are never given the same token


def new_token() -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(secrets.token_urlsafe(NONCE_BYTES))


def token_is_valid(token: str) -> bool:
    try:
        nonce = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return len(nonce) == len(secrets.token_urlsafe(NONCE_BYTES))


class AskForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Who are you to the serviceman?"), choices=Relation.choices, widget=forms.RadioSelect
    )
    contact = forms.CharField(
        label=_("How can the organisation reach you?"),
        help_text=_(
            "A phone number, a messenger name or an e-mail address: one that is safe for you, that others cannot read."
        ),
        max_length=300,
    )
    message = forms.CharField(
        label=_("What do you want to tell them? (optional)"),
        help_text=_("Write only what you want to send. Names are not needed now."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        required=False,
    )
    send_answers = forms.BooleanField(label=_("Also send my answers to the questions (listed below)"), required=False)
    consent = forms.BooleanField()  # its label names the retention period: see __init__
    token = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(required=False, label=_("Leave this field empty"))  # hidden from people: bots fill it

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["consent"].label = _(
            "I understand that what I send is kept by the organisation, encrypted, and deleted for good at the "
            "latest %(days)s days after my request or case is closed."
        ) % {"days": settings.COURTPATH_RETENTION_DAYS}

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token_is_valid(token):
            raise forms.ValidationError(
                _("This form is too old or was not made here. Check your answers below and send it again."),
                code="token",
            )
        return token

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."), code="bot")
        return ""

    def clean_contact(self) -> str:
        contact = " ".join(self.cleaned_data["contact"].split())
        if not contact:
            raise forms.ValidationError(_("Say how they can reach you."), code="required")
        return contact


def answers_summary(explanation: Explanation) -> str:
    """The person's answers as plain text, in their language: what is sent when they tick `send_answers`."""
    lines = [explanation.answers_title]
    lines += [f"- {line.question} {line.answer}" for line in explanation.answers]
    return "\n".join(lines)


def answers_facts(interview: Interview, answers: Answers, now: dt.datetime) -> dict[str, object]:
    """The person's answers as the facts record a case keeps (courtpath.web.cases.handover): sent with the summary
    when they tick `send_answers`, so that the case made from the request starts from them, not from retyping."""
    answered, _steps = fields(interview, answers)
    return answers_record(to_facts(interview, answers, now), answered)
