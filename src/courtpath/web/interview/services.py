"""The one write of the public interview: a request for help, allowed once per form.

The spent token and the request are written in one transaction, so a token sent twice at once makes one request: the
second insert of the same hash fails on the unique index (PostgreSQL waits for the first transaction; SQLite takes
the write lock first). If the request is refused (the hourly maximum, a locked vault), the token is not spent and the
person can send the same form again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courtpath.web.cases import services as cases
from courtpath.web.cases.models import HelpRequest
from courtpath.web.interview.ask import TOKEN_MAX_AGE_SECONDS
from courtpath.web.interview.models import SpentToken

DIGEST_SALT = "courtpath.interview.spent-token"


class TokenSpent(Exception):
    """This form was sent before."""


def token_digest(token: str) -> str:
    """A hash keyed with the server's SECRET_KEY: the table never holds a token, nor anything a token can be
    checked against without the key."""
    return salted_hmac(DIGEST_SALT, token, algorithm="sha256").hexdigest()


def _expiry(now: dt.datetime) -> dt.datetime:
    """No earlier than the token's own expiry (it was signed before now), rounded up to the hour."""
    latest = now + dt.timedelta(seconds=TOKEN_MAX_AGE_SECONDS)
    return latest.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def forget_expired_tokens(now: dt.datetime | None = None) -> int:
    """Expired tokens are refused by their signature: their hashes are no longer needed."""
    deleted, _ = SpentToken.objects.filter(expires__lt=now or timezone.now()).delete()
    return deleted


@transaction.atomic
def send_request(
    *,
    token: str,
    relation: str,
    contact: str,
    message: str,
    facts_summary: str,
    answers: Mapping[str, object] | None = None,
) -> HelpRequest:
    """Spend the form's token and create the public request. TokenSpent if the token was spent before;
    cases.TooManyPublicRequests or a VaultError leave the token unspent."""
    now = timezone.now()
    forget_expired_tokens(now)
    try:
        with transaction.atomic():
            SpentToken.objects.create(digest=token_digest(token), expires=_expiry(now))
    except IntegrityError:
        raise TokenSpent from None
    return cases.create_public_request(
        relation=relation, contact=contact, message=message, facts_summary=facts_summary, answers=answers
    )
