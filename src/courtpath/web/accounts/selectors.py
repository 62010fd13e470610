"""Reading accounts: the list and one account are for administrators only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courtpath.web.accounts.models import User
from courtpath.web.accounts.permissions import require_administrator


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
