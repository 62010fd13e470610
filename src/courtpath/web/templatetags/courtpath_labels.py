"""`{{ code|label:"family" }}`: the name of a code of the engine's vocabulary in the language of the page.

The families are those of courtpath.law.vocabulary.FAMILIES ("penalty", "gravity", "regime", "status"...). Shared by
several apps' templates, so it lives outside any one app and is registered by name under "libraries" in the TEMPLATES
setting (settings.py); load it with `{% load courtpath_labels %}`.
"""

from django import template

from courtpath.web import vocabulary

register = template.Library()


@register.filter
def label(code: object, family: str) -> str:
    return vocabulary.name(family, code)
