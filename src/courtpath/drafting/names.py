"""Russian personal names in the six cases: surname, given name, patronymic, for a man or a woman.

Surnames are declined by their ending, the way a Russian speaker declines a surname they have never seen
("Тестовиков" like "Иванов", "Вымыслова" like "Иванова"); the dictionary is no help there, since most surnames are
not in it and pymorphy3 guesses them as plurals or place names. Given names are taken from the pymorphy3
dictionary (tag Name) and, when missing, declined by the same kind of ending rules. Indeclinable names (Шевченко,
Дурново, Черных, a woman's surname ending in a consonant) stay as they are. A name that is not a Cyrillic word is
left unchanged and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from courtpath.drafting.morph import CASES, CYRILLIC_WORD, analyzer, check_case, restore_case
from courtpath.i18n import Msg


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Declined:
    """A declined text and what the lawyer should check in it."""

    text: str
    warnings: tuple[Msg, ...] = ()


HUSHING = "жшчщц"
VELAR_OR_HUSHING = "гкхжшчщ"
# Endings for gent, datv, accs, ablt, loct; `cut` letters are removed from the end first.
Endings = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    cut: int
    endings: Endings | Callable[[str], Endings] | None  # None: indeclinable


def _rule(pattern: str, cut: int, endings: Endings | Callable[[str], Endings] | None) -> Rule:
    return Rule(re.compile(pattern), cut, endings)


def _a_stem(stem: str) -> Endings:
    """The -а declension (Сковорода, Глинка, Кочерга): -ы or -и after г, к, х and hushing letters; -ей after ж, ш,
    ч, щ, ц (unstressed)."""
    last = stem[-1:]
    gent = "и" if last in VELAR_OR_HUSHING else "ы"
    ablt = "ей" if last in HUSHING else "ой"
    return (gent, "е", "у", ablt, "е")


def _consonant_stem(stem: str) -> Endings:
    """A man's surname ending in a consonant (Ковальчук, Малевич): noun declension."""
    return ("а", "у", "а", "ем" if stem[-1:] in HUSHING else "ом", "е")


def _oy_stem(stem: str) -> Endings:
    """Adjectival -ой (Толстой, Лановой): -ым, or -им after г, к, х and hushing letters."""
    return ("ого", "ому", "ого", "им" if stem[-1:] in VELAR_OR_HUSHING else "ым", "ом")


def _soft_iy_stem(stem: str) -> Endings:
    if stem[-1:] in "гкх":
        return ("ого", "ому", "ого", "им", "ом")
    return ("его", "ему", "его", "им", "ем")


ENDS_IN_VOWEL_OR_FIXED = r"(?:[оеиуыэюё]|[ыи]х)$"
SURNAME_RULES: dict[Sex, tuple[Rule, ...]] = {
    Sex.MALE: (
        _rule(ENDS_IN_VOWEL_OR_FIXED, 0, None),  # Шевченко, Дурново, Черных, Гёте
        _rule(r"(?:ов|ев|ёв|ин|ын)$", 0, ("а", "у", "а", "ым", "е")),  # Тестовиков, Придумкин
        _rule(r"(?:ск|цк)ий$", 2, ("ого", "ому", "ого", "им", "ом")),
        _rule(r"(?:ск|цк)ой$", 2, ("ого", "ому", "ого", "им", "ом")),
        _rule(r"ый$", 2, ("ого", "ому", "ого", "ым", "ом")),
        _rule(r"ий$", 2, _soft_iy_stem),
        _rule(r"ой$", 2, _oy_stem),
        _rule(r"ия$", 2, ("ии", "ии", "ию", "ией", "ии")),
        _rule(r"я$", 1, ("и", "е", "ю", "ей", "е")),  # Зозуля
        _rule(r"а$", 1, _a_stem),
        _rule(r"[ьй]$", 1, ("я", "ю", "я", "ем", "е")),  # Гоголь, Гайдай
        _rule(r"[бвгджзклмнпрстфхцчшщ]$", 0, _consonant_stem),
    ),
    Sex.FEMALE: (
        _rule(ENDS_IN_VOWEL_OR_FIXED, 0, None),
        _rule(r"(?:ова|ева|ёва|ина|ына)$", 1, ("ой", "ой", "у", "ой", "ой")),  # Вымыслова
        _rule(r"ая$", 2, ("ой", "ой", "ую", "ой", "ой")),  # Тестовская, Толстая
        _rule(r"яя$", 2, ("ей", "ей", "юю", "ей", "ей")),
        _rule(r"ия$", 2, ("ии", "ии", "ию", "ией", "ии")),
        _rule(r"я$", 1, ("и", "е", "ю", "ей", "е")),
        _rule(r"а$", 1, _a_stem),
        _rule(r"[бвгджзклмнпрстфхцчшщьй]$", 0, None),  # a woman's surname in a consonant does not decline
    ),
}
GIVEN_NAME_RULES: dict[Sex, tuple[Rule, ...]] = {
    Sex.MALE: (
        _rule(r"[оеиуыэюё]$", 0, None),
        _rule(r"ия$", 2, ("ии", "ии", "ию", "ией", "ии")),
        _rule(r"я$", 1, ("и", "е", "ю", "ей", "е")),
        _rule(r"а$", 1, _a_stem),
        _rule(r"[ьй]$", 1, ("я", "ю", "я", "ем", "е")),
        _rule(r"[бвгджзклмнпрстфхцчшщ]$", 0, _consonant_stem),
    ),
    Sex.FEMALE: (
        _rule(r"[оеиуыэюё]$", 0, None),
        _rule(r"ия$", 2, ("ии", "ии", "ию", "ией", "ии")),
        _rule(r"я$", 1, ("и", "е", "ю", "ей", "е")),
        _rule(r"а$", 1, _a_stem),
        _rule(r"ь$", 1, ("и", "и", "ь", "ью", "и")),  # Любовь, Нинель
        _rule(r"[бвгджзклмнпрстфхцчшщй]$", 0, None),
    ),
}
PATRONYMIC_RULES: dict[Sex, tuple[Rule, ...]] = {
    Sex.MALE: (
        _rule(r"(?:ов|ев|ёв)ич$", 0, ("а", "у", "а", "ем", "е")),  # Петрович: unstressed, -ем
        _rule(r"ич$", 0, ("а", "у", "а", "ом", "е")),  # Ильич, Фомич, Кузьмич: stressed, -ом
        _rule(r"(?:оглы|улы|уулу)$", 0, None),  # Turkic patronymic particles do not decline
    ),
    Sex.FEMALE: (
        _rule(r"на$", 1, ("ы", "е", "у", "ой", "е")),
        _rule(r"(?:кызы|гызы|кзы)$", 0, None),
    ),
}


def _apply(word: str, case: str, rules: tuple[Rule, ...]) -> str | None:
    """The declined word, or None if no rule fits (the caller leaves the word unchanged and says so)."""
    lower = word.lower()
    for rule in rules:
        if not rule.pattern.search(lower):
            continue
        if rule.endings is None:
            return word
        stem = lower[: len(lower) - rule.cut]
        if not stem:
            return None  # the word is all ending ("А"): nothing to decline safely
        endings = rule.endings(stem) if callable(rule.endings) else rule.endings
        return restore_case(word, stem + endings[CASES.index(case) - 1])
    return None


def _unplaced(word: str, what: Msg) -> Msg:
    return Msg("Left unchanged, check the form by hand: {what} “{word}”", what=what, word=word)


def _decline_parts(word: str, case: str, rules: tuple[Rule, ...], what: Msg) -> Declined:
    """Decline a (possibly hyphenated: Римский-Корсаков, Иванова-Петрова) word part by part."""
    if not CYRILLIC_WORD.match(word):
        return Declined(word, (_unplaced(word, what),))
    parts = []
    for part in word.split("-"):
        declined = _apply(part, case, rules)
        if declined is None:
            return Declined(word, (_unplaced(word, what),))
        parts.append(declined)
    return Declined("-".join(parts))


def decline_surname(surname: str, sex: Sex, case: str) -> Declined:
    check_case(case)
    surname = surname.strip()
    if case == "nomn" or not surname:
        return Declined(surname)
    return _decline_parts(surname, case, SURNAME_RULES[sex], Msg("surname"))


def decline_patronymic(patronymic: str, sex: Sex, case: str) -> Declined:
    check_case(case)
    patronymic = patronymic.strip()
    if case == "nomn" or not patronymic:
        return Declined(patronymic)
    words = patronymic.split()
    if len(words) == 2 and words[1].lower() in ("оглы", "улы", "уулу", "кызы", "гызы", "кзы"):
        return Declined(patronymic)  # "Мамед оглы": the whole patronymic is indeclinable
    return _decline_parts(patronymic, case, PATRONYMIC_RULES[sex], Msg("patronymic"))


def decline_given_name(name: str, sex: Sex, case: str) -> Declined:
    check_case(case)
    name = name.strip()
    if case == "nomn" or not name:
        return Declined(name)
    if not CYRILLIC_WORD.match(name):
        return Declined(name, (_unplaced(name, Msg("given name")),))
    gender = "masc" if sex == Sex.MALE else "femn"
    for parse in analyzer().parse(name):
        if {"Name", gender, "sing", "nomn"} <= parse.tag.grammemes and parse.is_known:
            inflected = parse.inflect({case})
            if inflected is not None:
                return Declined(restore_case(name, inflected.word))
    return _decline_parts(name, case, GIVEN_NAME_RULES[sex], Msg("given name"))


FEMALE_PATRONYMIC = re.compile(r"(?:вна|чна|кызы|гызы|кзы)$", re.IGNORECASE)
MALE_PATRONYMIC = re.compile(r"(?:ич|оглы|улы|уулу)$", re.IGNORECASE)
FEMALE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая)$", re.IGNORECASE)
MALE_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий)$", re.IGNORECASE)


def guess_sex(surname: str, given_name: str, patronymic: str) -> Sex | None:
    """The sex a full name shows (patronymic first, then the given name in the dictionary, then the surname), or
    None when it does not show one."""
    last_word = patronymic.rsplit(maxsplit=1)[-1] if patronymic.strip() else ""
    if FEMALE_PATRONYMIC.search(last_word):
        return Sex.FEMALE
    if MALE_PATRONYMIC.search(last_word):
        return Sex.MALE
    if given_name:
        genders = {
            "masc" if "masc" in p.tag.grammemes else "femn"
            for p in analyzer().parse(given_name)
            if "Name" in p.tag.grammemes and p.is_known and ({"masc", "femn"} & p.tag.grammemes)
        }
        if genders == {"masc"}:
            return Sex.MALE
        if genders == {"femn"}:
            return Sex.FEMALE
    if FEMALE_SURNAME.search(surname):
        return Sex.FEMALE
    if MALE_SURNAME.search(surname):
        return Sex.MALE
    return None
