"""`{{ code|label }}`: the translated name of a code stored in an assessment or the audit log."""

from django import template

from courtpath.web.cases.models import RESULT_LABELS

register = template.Library()


@register.filter
def label(code: object) -> str:
    return str(RESULT_LABELS.get(str(code), code))
