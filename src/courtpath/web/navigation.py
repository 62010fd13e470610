"""The staff menu: the links a user may follow, from the same permission checks the views use.

An administrator sees no case data, so no case links; only the roles that may use the API see «API tokens». Every
account has «My profile»: its own name and bar details for the drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from courtpath.web.accounts.models import Role
from courtpath.web.accounts.permissions import is_administrator
from courtpath.web.api.permissions import can_use_api
from courtpath.web.cases import permissions


@dataclass(frozen=True)
class Link:
    url: str
    text: str | Promise
    current: bool


def _sees_requests(user: object) -> bool:
    return getattr(user, "role", None) in (Role.INTAKE, Role.COORDINATOR)


def main_menu(user: object, path: str) -> list[Link]:
    """The main navigation's links for `user`, the one for `path` marked current."""
    works = permissions.can_work_on_cases(user)  # type: ignore[arg-type]
    entries = [
        ("cases:dashboard", _("Deadlines"), works),
        ("cases:request_list", _("Requests"), _sees_requests(user)),
        ("cases:case_list", _("Cases"), works),
        ("assessments:what_if", _("What if"), works),
        ("statistics:page", _("Statistics"), permissions.can_see_statistics(user)),  # type: ignore[arg-type]
        ("accounts:user_list", _("Accounts"), is_administrator(user)),
        ("audit:list", _("Audit log"), is_administrator(user)),
        ("organisation:identity", _("Organisation"), is_administrator(user)),
        ("accounts:profile", _("My profile"), bool(getattr(user, "is_authenticated", False))),
    ]
    links = []
    for name, text, allowed in entries:
        if allowed:
            url = reverse(name)
            current = path == url if url == "/" else path.startswith(url)
            links.append(Link(url, text, current))
    return links


def shows_api_tokens(user: object) -> bool:
    return can_use_api(user)
