"""Reading accounts: the list and one account are for administrators only; a staff member reads their own profile."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courtpath.web.accounts.models import StaffProfile, User
from courtpath.web.accounts.permissions import require_administrator
from courtpath.web.accounts.profiles import normalise
from courtpath.web.organisation.models import SINGLETON_PK, Identity


def user_list(actor: User) -> QuerySet[User]:
    require_administrator(actor)
    return User.objects.order_by("username")


def get_user(actor: User, pk: int) -> User:
    require_administrator(actor)
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def home_url_name(user: User) -> str:
    """Where a user lands after logging in: administrators manage accounts and see no case data."""
    return "accounts:user_list" if user.is_administrator else "cases:dashboard"


def own_profile(user: User) -> StaffProfile:
    """The user's stored profile, or an unsaved empty one (the row is made on the first save)."""
    return StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)


def draft_profile(user: User | None) -> dict[str, str]:
    """Who signs a draft, under the drafts' field names (courtpath.drafting.DraftContext): the user's profile, and the
    organisation's Russian name and postal address (the drafts are in Russian; the English ones are not used).

    Without a full name in the profile, the account's last and first names stand in. Anything unknown (no user, no
    profile, no organisation details yet) is an empty string. Reads only; whoever may make the draft may read this.
    """
    profile = StaffProfile.objects.filter(user=user).first() if user is not None and user.pk else None
    identity = Identity.objects.filter(pk=SINGLETON_PK).first()
    account_name = " ".join(part for part in (getattr(user, "last_name", ""), getattr(user, "first_name", "")) if part)
    return {
        "lawyer_name": normalise(profile.full_name if profile and profile.full_name.strip() else account_name),
        "lawyer_position": normalise(profile.position) if profile else "",
        "lawyer_bar_number": normalise(profile.bar_number) if profile else "",
        "lawyer_bar": normalise(profile.bar) if profile else "",
        "organisation_name": normalise(identity.name_ru) if identity else "",
        "organisation_address": normalise(identity.address_ru) if identity else "",
    }
