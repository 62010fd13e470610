"""The engine's vocabulary (courtpath.law.vocabulary) in the language of the page: form choices and template labels.

The names of the codes (statuses, kinds of absence, contexts, indicators, penalties, gravity, regimes, key dates,
outcomes) are defined once, in courtpath.law.vocabulary, as messages of the one catalogue; the web app does not
name them again. A name is lower case, as it stands inside a sentence or a table cell; a label that starts a line (a
form choice, a list item) takes a capital first letter here, as Django's `capfirst` gives it.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import capfirst

from courtpath.i18n import Msg
from courtpath.law.vocabulary import FAMILIES, Vocabulary


def page_language() -> str:
    """The language of the page being rendered, as the engine names it ("ru" or "en")."""
    return "ru" if (translation.get_language() or "").startswith("ru") else "en"


def _text(message: Msg, capitalised: bool) -> str:
    text = message.render(page_language())
    return str(capfirst(text)) if capitalised else text


_lazy_text = lazy(_text, str)


def label(message: Msg) -> str:
    """A lazy string: the message in the language of the page where it is shown, with a capital first letter."""
    return _lazy_text(message, True)


def choices(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Form choices (code, label) of a family, in its order; the labels follow the language of each page."""
    return [(code, label(term.name)) for code, term in vocabulary.items()]


def name(family: str, code: object) -> str:
    """The name of a code of a family in the language of the page, lower case; an unknown code as it is."""
    vocabulary = FAMILIES[family]
    text = str(code)
    return vocabulary.name(text).render(page_language()) if text in vocabulary else text
