"""Reading the organisation's identity: for the public pages (in one language, with neutral defaults) and for the
administrators' settings page."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext

from courtpath.web.accounts.permissions import require_administrator
from courtpath.web.organisation.models import DEFAULT_QUICK_EXIT_URL, SINGLETON_PK, Identity

logger = logging.getLogger(__name__)

# The last identity this process read: what the public pages show while the database cannot be read, so that a
# database fault does not also hide the organisation's other contacts.
_last_known: dict[str, Identity | None] = {"identity": None}


@dataclass(frozen=True)
class PublicIdentity:
    """What the public pages say about the organisation, in one language."""

    name: str
    is_set: bool  # False: nothing has been saved yet, `name` is the neutral default
    phone: str
    messenger: str
    email: str
    address: str
    hours: str
    privacy_notice: str
    quick_exit_url: str

    @property
    def has_contacts(self) -> bool:
        return bool(self.phone or self.messenger or self.email or self.address)

    @property
    def phone_href(self) -> str:
        """A tel: link target: the digits and a leading plus only."""
        digits = "".join(c for c in self.phone if c.isdigit())
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}" if digits else ""


def _stored() -> Identity | None:
    try:
        identity = Identity.objects.filter(pk=SINGLETON_PK).first()
    except DatabaseError as error:
        logger.warning("organisation identity not readable (%s): using the last known", type(error).__name__)
        return _last_known["identity"]
    _last_known["identity"] = identity
    return identity


def _either(first: str, second: str) -> str:
    return first.strip() or second.strip()


def public_identity(lang: str) -> PublicIdentity:
    """The identity in `lang` ("ru" or "en"); a text missing in that language is taken from the other one."""
    stored = _stored()
    with translation.override(lang):
        default_name = gettext("Legal help")
    if stored is None:
        return PublicIdentity(default_name, False, "", "", "", "", "", "", DEFAULT_QUICK_EXIT_URL)
    ru = lang == "ru"

    def pick(field: str) -> str:
        own, other = (f"{field}_ru", f"{field}_en") if ru else (f"{field}_en", f"{field}_ru")
        return _either(getattr(stored, own), getattr(stored, other))

    name = pick("name")
    return PublicIdentity(
        name=name or default_name,
        is_set=bool(name),
        phone=stored.phone.strip(),
        messenger=stored.messenger.strip(),
        email=stored.email.strip(),
        address=pick("address"),
        hours=pick("hours"),
        privacy_notice=pick("privacy"),
        quick_exit_url=stored.quick_exit_url or DEFAULT_QUICK_EXIT_URL,
    )


def identity_is_set() -> bool:
    """Whether an administrator has given the organisation a name (the staff dashboard reminds them until then)."""
    stored = _stored()
    return stored is not None and bool(_either(stored.name_ru, stored.name_en))


def identity_for_edit(actor: object) -> Identity:
    """The stored identity, or an unsaved one with the defaults; administrators only."""
    require_administrator(actor)
    return Identity.objects.filter(pk=SINGLETON_PK).first() or Identity(pk=SINGLETON_PK)
