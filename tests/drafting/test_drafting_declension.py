"""Russian declension of names, ranks and unit names against golden forms (declension_cases.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.drafting.declension import CASES, FullNameError, PersonName, Sex, decline_name, parse_full_name
from courtpath.drafting.names import decline_given_name, decline_patronymic, decline_surname, guess_sex
from courtpath.drafting.phrases import decline_phrase

DATA = yaml.safe_load((Path(__file__).parent / "declension_cases.yaml").read_text(encoding="utf-8"))
OBLIQUE = CASES[1:]


def _name_id(item: dict) -> str:
    return item["name"]


@pytest.mark.parametrize("item", DATA["names"], ids=_name_id)
def test_full_names_decline_to_golden_forms(item: dict) -> None:
    name, warnings = parse_full_name(item["name"], Sex(item["sex"]))
    assert warnings == ()
    assert set(item["forms"]) == set(OBLIQUE), "every golden name lists all five oblique cases"
    got = {case: decline_name(name, case)[0].full for case in OBLIQUE}
    assert got == item["forms"]
    assert decline_name(name, "nomn")[0].full == item["name"]


@pytest.mark.parametrize("item", DATA["names"], ids=_name_id)
def test_declining_a_known_name_gives_no_warning(item: dict) -> None:
    name, _ = parse_full_name(item["name"], Sex(item["sex"]))
    for case in OBLIQUE:
        assert decline_name(name, case)[1] == ()


@pytest.mark.parametrize("item", DATA["names"], ids=_name_id)
def test_sex_is_read_from_the_name(item: dict) -> None:
    surname, given_name, *rest = item["name"].split()
    assert guess_sex(surname, given_name, " ".join(rest)) == Sex(item["sex"])


@pytest.mark.parametrize("item", DATA["phrases"], ids=lambda item: item["text"])
def test_ranks_and_units_decline_to_golden_forms(item: dict) -> None:
    assert set(item["forms"]) == set(OBLIQUE)
    got = {case: decline_phrase(item["text"], case).text for case in OBLIQUE}
    assert got == item["forms"]
    assert all(decline_phrase(item["text"], case).warnings == () for case in OBLIQUE)


DECLINERS = {
    "surname": decline_surname,
    "given_name": decline_given_name,
    "patronymic": decline_patronymic,
    "phrase": lambda text, sex, case: decline_phrase(text, case),
}


@pytest.mark.parametrize("item", DATA["unplaced"], ids=lambda item: item["text"])
def test_a_word_that_cannot_be_placed_is_left_unchanged_and_reported(item: dict) -> None:
    sex = Sex(item.get("sex", "male"))
    for case in OBLIQUE:
        result = DECLINERS[item["kind"]](item["text"], sex, case)
        assert result.text == item["text"]
        assert len(result.warnings) == 1
        assert item["text"] in result.warnings[0].render("en")
        assert item["text"] in result.warnings[0].render("ru")


def test_an_unplaced_part_of_a_full_name_is_reported_and_the_rest_declined() -> None:
    name = PersonName("Smith", "Иван", "Петрович", Sex.MALE)
    declined, warnings = decline_name(name, "datv")
    assert declined.full == "Smith Ивану Петровичу"
    assert [w.render("en") for w in warnings] == ["Left unchanged, check the form by hand: surname “Smith”"]
    assert warnings[0].render("ru") == "Оставлено без изменения, проверьте форму вручную: фамилия «Smith»"


def test_short_forms_of_a_declined_name() -> None:
    name, _ = parse_full_name("Вымыслова Мария Ивановна")
    declined, _ = decline_name(name, "datv")
    assert declined.short == "Вымысловой М. И."
    assert declined.initials_first == "М. И. Вымысловой"
    assert declined.given_and_patronymic == "Марии Ивановне"


def test_a_name_without_a_patronymic() -> None:
    name, warnings = parse_full_name("Тестовиков Иван")
    assert (name.sex, warnings) == (Sex.MALE, ())
    assert decline_name(name, "ablt")[0].full == "Тестовиковым Иваном"
    assert decline_name(name, "gent")[0].short == "Тестовикова И."


def test_a_name_that_does_not_show_the_sex_is_declined_as_a_man_s_with_a_warning() -> None:
    name, warnings = parse_full_name("Выдумович Саша")
    assert name.sex == Sex.MALE
    assert len(warnings) == 1
    assert "Выдумович Саша" in warnings[0].render("ru")


def test_a_single_word_is_not_a_full_name() -> None:
    with pytest.raises(FullNameError, match="surname and a given name"):
        parse_full_name("Тестовиков")


def test_an_unknown_case_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown grammatical case"):
        decline_phrase("рядовой", "vocative")


CYRILLIC_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
SURNAME_ENDINGS = ["ов", "ев", "ин", "ский", "цкий", "ой", "ый", "ко", "ых", "ук", "ич", "ь", "а", "я", "ия", ""]
FEMALE_ENDINGS = ["ова", "ева", "ина", "ская", "ая", "яя", "ко", "ых", "ук", "а", "я", "ия", "ь", ""]


@st.composite
def fictional_names(draw: st.DrawFn) -> tuple[PersonName, str]:
    sex = draw(st.sampled_from(list(Sex)))
    stem = draw(st.text(alphabet=CYRILLIC_LOWER, min_size=1, max_size=12)).capitalize()
    ending = draw(st.sampled_from(SURNAME_ENDINGS if sex == Sex.MALE else FEMALE_ENDINGS))
    given = draw(st.text(alphabet=CYRILLIC_LOWER, min_size=1, max_size=10)).capitalize()
    father = draw(st.text(alphabet=CYRILLIC_LOWER, min_size=1, max_size=8)).capitalize()
    patronymic = father + ("ович" if sex == Sex.MALE else "овна")
    return PersonName(stem + ending, given, patronymic, sex), draw(st.sampled_from(CASES))


@settings(max_examples=300, deadline=None)
@given(fictional_names())
def test_any_fictional_name_declines_without_crashing_into_non_empty_forms(generated: tuple[PersonName, str]) -> None:
    name, case = generated
    declined, warnings = decline_name(name, case)
    for part in (declined.surname, declined.given_name, declined.patronymic):
        assert part.strip()
    # A form keeps the word's first letters: a declension changes endings, never the start of a name.
    assert declined.surname[:1] == name.surname[:1]
    assert declined.patronymic.startswith(name.patronymic[:-3])
    assert all(w.render("ru") and w.render("en") for w in warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=40), st.sampled_from(CASES))
def test_any_text_as_a_phrase_never_crashes(text: str, case: str) -> None:
    result = decline_phrase(text, case)
    assert isinstance(result.text, str)
    if text.split():
        assert result.text.strip()
