"""`{{ code|label }}`: the translated name of a code stored in an assessment or the audit log.

Shared by the assessments and audit templates, so it lives outside any one app and is registered by name under
"libraries" in the TEMPLATES setting (settings.py); load it with `{% load courtpath_labels %}`.
"""

from django import template

from courtpath.web.cases.models import RESULT_LABELS

register = template.Library()


@register.filter
def label(code: object) -> str:
    return str(RESULT_LABELS.get(str(code), code))
