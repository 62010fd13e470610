"""Ranks and the names of units, investigative bodies and courts in the six cases.

Such a name is a noun group: leading adjectives ("младший", "войсковая", "235-й гарнизонный военный") agree with
the head noun ("сержант", "часть", "суд"), and everything after the head ("запаса", "3 ранга", "00000", "по Энскому
гарнизону") is already in its own case and stays. So: find the head, decline it and the adjectives before it, keep
the rest. A leading word that is not nominative ("гвардии") also stays. Hyphenated ranks decline in their last part
only (генерал-майора, капитан-лейтенанту), which is what the dictionary does.

When the head cannot be found, or a word would have to be guessed, the phrase is left unchanged and reported:
an unchanged name is easier to spot and fix than a garbled one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymorphy3.analyzer import Parse

from courtpath.drafting.morph import analyzer, check_case, restore_case
from courtpath.drafting.names import Declined
from courtpath.i18n import Msg

WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
ORDINAL = re.compile(r"^\d+-(?:й|я|е|ый|ой|ая|ое)$")
MODIFIER_POS = {"ADJF", "PRTF"}


@dataclass(frozen=True)
class _Token:
    text: str
    parses: tuple[Parse, ...]

    def nominative(self, pos: set[str], gender: str | None = None) -> Parse | None:
        for parse in self.parses:
            tag = parse.tag
            agrees = gender is None or tag.gender in (gender, None) or "ms-f" in tag.grammemes
            if tag.POS in pos and tag.case == "nomn" and tag.number in ("sing", None) and agrees:
                return parse
        return None


def _tokens(text: str) -> list[_Token]:
    morph = analyzer()
    out = []
    for word in text.split():
        if WORD.match(word) or ORDINAL.match(word):
            out.append(_Token(word, tuple(morph.parse(word))))
        else:
            out.append(_Token(word, ()))
    return out


def _find_head(tokens: list[_Token]) -> tuple[int, int] | None:
    """(index of the first declined word, index of the head noun), or None."""
    first: int | None = None
    for index, token in enumerate(tokens):
        if not token.parses or all(p.tag.POS is None for p in token.parses):
            return None  # a number, a sign or an unknown word (ВСО) before the head: not a pattern we know
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        next_is_nominative = following is not None and bool(
            following.nominative({"ADJF", "PRTF", "NOUN"}) or ORDINAL.match(following.text)
        )
        if (token.nominative(MODIFIER_POS) or ORDINAL.match(token.text)) and next_is_nominative:
            first = index if first is None else first
            continue
        if token.nominative({"NOUN"}):
            return (index if first is None else first, index)
        if first is not None:
            return None
        # a leading word in another case ("гвардии") stays as it is
    return None


def _inflect(parse: Parse, grammemes: set[str]) -> str | None:
    inflected = parse.inflect(grammemes)
    return inflected.word if inflected is not None else None


def decline_phrase(text: str, case: str, what: Msg | None = None) -> Declined:
    """Decline a rank or the name of a unit, body or court; `what` names it in a warning."""
    check_case(case)
    text = " ".join(text.split())
    if case == "nomn" or not text:
        return Declined(text)
    what = what or Msg("name")
    tokens = _tokens(text)
    found = _find_head(tokens)
    if found is None:
        return Declined(text, (Msg("Left unchanged, check the form by hand: {what} “{word}”", what=what, word=text),))
    start, head_index = found
    head = tokens[head_index].nominative({"NOUN"})
    assert head is not None  # _find_head checked it
    if "Fixd" in head.tag.grammemes:
        return Declined(text)  # an indeclinable noun: the whole group keeps its form
    gender = head.tag.gender or "masc"
    animacy = head.tag.animacy or "inan"
    words = [t.text for t in tokens]
    guessed = []
    for index in range(start, head_index + 1):
        token = tokens[index]
        if index == head_index:
            parse, grammemes = head, {case}
        else:
            parse = token.nominative(MODIFIER_POS, gender) or token.nominative(MODIFIER_POS)
            if parse is None:  # an ordinal number such as "235-й"
                parse = next((p for p in token.parses if p.tag.case == "nomn"), None)
            grammemes = {case, gender, "sing"}
            if case == "accs" and gender == "masc":
                grammemes.add(animacy)
        new = _inflect(parse, grammemes) if parse is not None else None
        if new is None:
            return Declined(
                text, (Msg("Left unchanged, check the form by hand: {what} “{word}”", what=what, word=text),)
            )
        if parse is not None and not parse.is_known and not ORDINAL.match(token.text):
            guessed.append(token.text)
        words[index] = restore_case(token.text, new)
    warnings = tuple(
        Msg("Declined by guess, check the form: “{word}” in {what} “{phrase}”", word=word, what=what, phrase=text)
        for word in guessed
    )
    return Declined(" ".join(words), warnings)
