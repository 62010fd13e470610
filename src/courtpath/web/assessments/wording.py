"""How the staff pages write an article part, an edition and a term: «ч. 3.1 ст. 337 (534-ФЗ): от 2 месяцев до
7 лет», not «337.3.1 (534-FZ): 2–84». Wording only: the figures are the engine's.

The term messages are the catalogue's own (the command line's and the public result's): "{n} year" stands alone
(«4 года»), the context "term after from, up to" takes the Russian genitive («до 7 лет», «от 2 месяцев»).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from courtpath.law.loader import default_lawbook
from courtpath.web.vocabulary import page_language


def article_part(article: object, part: object) -> str:
    """«ч. 3.1 ст. 337» / "art. 337 part 3.1"."""
    return _("art. {article} part {part}").format(article=article, part=part)


def edition_act(article: object, edition: object) -> str:
    """The amending act of an edition by its number («534-ФЗ», "534-FZ"); an unknown edition as it is stored."""
    try:
        number = default_lawbook().edition_by_id(str(article), str(edition)).act.number
    except KeyError:
        return str(edition)
    return number if page_language() == "ru" else number.replace("ФЗ", "FZ")


def _years_months(months: int, after_from: bool) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        text = npgettext("term after from, up to", "{n} year", "{n} years", years) if after_from else None
        parts.append((text or ngettext("{n} year", "{n} years", years)).format(n=years))
    if rest or not years:
        text = npgettext("term after from, up to", "{n} month", "{n} months", rest) if after_from else None
        parts.append((text or ngettext("{n} month", "{n} months", rest)).format(n=rest))
    return " ".join(parts)


def term(months: int | float | None) -> str:
    """One term, as it stands alone: «4 года 8 месяцев», "4 years 8 months"."""
    return "—" if months is None else _years_months(round(months), after_from=False)


def term_range(low: int | float | None, high: int | float | None) -> str:
    """A range of terms: «2–7 лет» when both ends are whole years, else «от 2 месяцев до 7 лет»; «до 7 лет» from 0."""
    if high is None:
        return "—"
    low_months, high_months = round(low or 0), round(high)
    if low_months and low_months % 12 == 0 and high_months % 12 == 0:
        high_years = high_months // 12
        return ngettext("{low}–{high} year", "{low}–{high} years", high_years).format(
            low=low_months // 12, high=high_years
        )
    if not low_months:
        return _("up to {term}").format(term=_years_months(high_months, after_from=True))
    return _("from {low} to {high}").format(
        low=_years_months(low_months, after_from=True), high=_years_months(high_months, after_from=True)
    )


def limitation(years: int) -> str:
    """The limitation period: «давность 10 лет»."""
    return ngettext("limitation {n} year", "limitation {n} years", years).format(n=years)


def qualification(article: object, part: object, edition: object, low: object, high: object) -> str:
    """One line of the what-if comparison: «ч. 3.1 ст. 337 (534-ФЗ): 2–7 лет»."""
    return f"{article_part(article, part)} ({edition_act(article, edition)}): {term_range(low, high)}"  # type: ignore[arg-type]
