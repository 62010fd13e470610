"""`{{ code|label:"family" }}`: the name of a code of the engine's vocabulary in the language of the page; and the
wording of terms and article parts (assessments/wording.py) and a list's element by index, for the staff tables.

The families are those of courtpath.law.vocabulary.FAMILIES ("penalty", "gravity", "regime", "status"...). Shared by
several apps' templates, so it lives outside any one app and is registered by name under "libraries" in the TEMPLATES
setting (settings.py); load it with `{% load courtpath_labels %}`.
"""

from collections.abc import Sequence

from django import template

from courtpath.web import vocabulary
from courtpath.web.assessments import wording

register = template.Library()


@register.filter
def label(code: object, family: str) -> str:
    return vocabulary.name(family, code)


@register.filter
def item(sequence: Sequence[object], index: int) -> object:
    """`{{ headers|item:forloop.counter0 }}`: the element at `index`, "" past the end (a table's column header)."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return ""


@register.filter
def term(months: int | float | None) -> str:
    """`{{ q.cap_months|term }}`: «4 года 8 месяцев»."""
    return wording.term(months)


@register.filter
def limitation(years: int) -> str:
    """`{{ q.limitation_years|limitation }}`: «давность 10 лет»."""
    return wording.limitation(years)


@register.simple_tag
def term_range(low: int | float | None, high: int | float | None) -> str:
    """`{% term_range p.min_months p.max_months %}`: «2–7 лет», «от 2 месяцев до 7 лет»."""
    return wording.term_range(low, high)


@register.simple_tag
def article_part(article: object, part: object) -> str:
    """`{% article_part q.article q.part %}`: «ч. 3.1 ст. 337»."""
    return wording.article_part(article, part)
