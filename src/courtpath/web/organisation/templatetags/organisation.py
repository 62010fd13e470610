"""`{% organisation_reminder %}`: on an administrator's dashboard, a reminder to fill in the organisation's public
details until they are set."""

from __future__ import annotations

from django import template

from courtpath.web.accounts.permissions import is_administrator
from courtpath.web.organisation import selectors

register = template.Library()


@register.inclusion_tag("organisation/_reminder.html", takes_context=True)
def organisation_reminder(context: template.Context) -> dict[str, object]:
    user = context.get("user")
    return {"show": is_administrator(user) and not selectors.identity_is_set()}
