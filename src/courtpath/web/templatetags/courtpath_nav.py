"""`{% main_menu as links %}`: the staff menu of the page's user (courtpath.web.navigation). Registered by name under
"libraries" in the TEMPLATES setting, like courtpath_labels."""

from __future__ import annotations

from django import template

from courtpath.web import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> list[navigation.Link]:
    request = context["request"]
    return navigation.main_menu(request.user, request.path)


@register.simple_tag(takes_context=True)
def shows_api_tokens(context: template.Context) -> bool:
    return navigation.shows_api_tokens(context["request"].user)
