"""Who may hold API tokens: the roles that assess facts (lawyers and coordinators). The API runs the law engine on
facts a tool sends; intake staff and administrators have no use for it, and least privilege gives them no tokens.
Services and the token lookup call this; the menu only mirrors it."""

from __future__ import annotations

from courtpath.web.accounts.models import Role

API_ROLES = (Role.LAWYER, Role.COORDINATOR)


def can_use_api(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in API_ROLES
    )
