"""`{{ event|event_text }}`: the sentence of a timeline event that is not a stage change (a duration boundary
passed), in the page's language; empty for a stage change. Load it with `{% load courtpath_timeline %}`."""

from django import template

from courtpath.web.assessments import boundaries
from courtpath.web.cases.models import CaseEvent

register = template.Library()


@register.filter
def event_text(event: CaseEvent) -> str:
    return boundaries.event_text(event)
