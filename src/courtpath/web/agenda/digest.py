"""The daily digest: per user who asked for it, one e-mail listing what is due in the next 14 days of the cases they
may see (agenda.selectors.next_days), as case code, date and kind ONLY: never a name, a fact or a note. An e-mail
passes through mail servers the organisation does not control (docs/threat-model.md).

`courtpath digest` (a daily systemd timer, docs/deployment.md) calls send_digests(); it sends each subscriber at
most one digest a day (last_sent_on), so running it twice changes nothing. A user with nothing due gets no e-mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from courtpath.law.moments import MOSCOW
from courtpath.web.accounts.models import User
from courtpath.web.agenda import selectors
from courtpath.web.agenda.due import Due
from courtpath.web.agenda.models import DigestSubscription
from courtpath.web.agenda.permissions import may_have_reminders
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.vault import keys

OBJECT_TYPE = "digest"


def _check_address(address: str) -> str:
    address = address.strip()
    if not address:
        raise ValidationError(_("Enter the e-mail address for the digest."), code="required")
    validate_email(address)
    return address


@transaction.atomic
def subscribe(user: User, address: str, language: str) -> DigestSubscription:
    """Start the digest for the user, or change its address; the address is sealed."""
    if not may_have_reminders(user):
        raise PermissionDenied
    address = _check_address(address)
    language = "ru" if language.startswith("ru") else "en"
    subscription = DigestSubscription.objects.filter(user=user).first()
    if subscription is None:
        subscription = DigestSubscription(user=user, data_key=keys.create_data_key(), language=language)
        action = Action.CREATE
    else:
        action = Action.CHANGE
    subscription.address, subscription.language = address, language
    subscription.save()
    record(user, action, OBJECT_TYPE, user.pk, ["address", "language"])
    return subscription


@transaction.atomic
def unsubscribe(user: User) -> bool:
    """Stop the digest; its sealed address is shredded with its key."""
    subscription = DigestSubscription.objects.filter(user=user).first()
    if subscription is None:
        return False
    key_id = subscription.data_key_id
    subscription.delete()
    keys.shred(key_id)
    record(user, Action.DELETE, OBJECT_TYPE, user.pk)
    return True


def _when(due: Due) -> str:
    local = due.at.astimezone(MOSCOW)
    return f"{local:%d.%m.%Y}" if due.all_day else f"{local:%d.%m.%Y %H:%M}"


def compose(dues: list[Due], language: str) -> tuple[str, str]:
    """Subject and body: one line per date (date, case code, kind); nothing else of a case."""
    with translation.override(language):
        subject = gettext("courtpath: your deadlines for the next %(days)d days") % {"days": selectors.DIGEST_DAYS}
        lines = [gettext("Deadlines and dates of your cases, Moscow time:"), ""]
        passed = pgettext("deadline", "passed")
        for due in dues:
            mark = f" ({passed})" if due.overdue else ""
            lines.append(f"{_when(due)}  {due.case_code}  {due.label}{mark}")
        lines += [
            "",
            gettext("Open the case in courtpath for the details. You can stop this e-mail on your page “Reminders”."),
        ]
    return subject, "\n".join(lines) + "\n"


@dataclass
class DigestRun:
    sent: int = 0
    nothing_due: int = 0
    already_sent: int = 0
    not_allowed: int = 0
    failed: list[int] = field(default_factory=list)  # user ids whose e-mail could not be sent


def send_digests(now: dt.datetime | None = None) -> DigestRun:
    """One digest per subscriber who may see cases and has something due, at most one a day."""
    now = now or timezone.now()
    today = now.astimezone(MOSCOW).date()
    run = DigestRun()
    subscriptions = DigestSubscription.objects.select_related("user", "data_key").order_by("pk")
    for subscription in subscriptions:
        user = subscription.user
        if not may_have_reminders(user):
            run.not_allowed += 1
            continue
        if subscription.last_sent_on == today:
            run.already_sent += 1
            continue
        dues = selectors.next_days(user, now=now)
        if not dues:
            run.nothing_due += 1
            continue
        subject, body = compose(dues, subscription.language)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.address])
        try:
            message.send()
        except OSError:  # smtplib's errors are OSErrors: the next run tries again
            run.failed.append(user.pk)
            continue
        DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_on=today)
        record(None, Action.EXPORT, OBJECT_TYPE, user.pk, ["email"])
        run.sent += 1
    return run
