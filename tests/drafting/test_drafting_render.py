"""Draft templates rendered as text and compared with golden files (declined forms included); missing fields and
broken templates give clear errors.

To regenerate the golden files after a deliberate change to a template, run with COURTPATH_UPDATE_GOLDEN=1 and
review the diff line by line before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
import yaml

from courtpath.drafting import (
    DraftContext,
    DraftDataError,
    DraftTemplateError,
    MissingFieldsError,
    context_from_mapping,
    list_templates,
    render,
    to_text,
)
from courtpath.drafting.context import FIELD_NAMES
from courtpath.drafting.renderer import DRAFT_MARK
from courtpath.drafting.templates import TITLES
from courtpath.law.loader import default_lawbook, load_lawbook

HERE = Path(__file__).parent
CONTEXTS = sorted((HERE / "contexts").glob("*.yaml"))
TEMPLATE_IDS = [t.id for t in list_templates()]
UPDATE = os.environ.get("COURTPATH_UPDATE_GOLDEN") == "1"


def load_context(path: Path) -> DraftContext:
    return context_from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))


NEW_TEMPLATES = {
    "complaint_prosecutor_inaction",
    "complaint_court_inaction",
    "complaint_prosecutor_returned_to_unit",
    "accused_refusal_statement",
    "motion_procedural_steps",
}


def test_the_documents_of_the_issue_are_there_with_titles_in_both_languages() -> None:
    assert {"voluntary_appearance", "motion_attach_documents", "family_appeal_letter"} | NEW_TEMPLATES <= set(
        TEMPLATE_IDS
    )
    for template in list_templates():
        assert template.id in TITLES, f"{template.id}: add its title to drafting/templates.py TITLES"
        assert template.title.render("en") != template.title.render("ru")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
@pytest.mark.parametrize("context_path", CONTEXTS, ids=lambda p: p.stem)
def test_rendered_text_matches_the_golden_file(template_id: str, context_path: Path) -> None:
    rendered = render(template_id, load_context(context_path))
    text = to_text(rendered)
    warnings = "".join(f"{w}\n" for w in rendered.warning_texts("ru"))
    golden = HERE / "golden" / f"{template_id}__{context_path.stem}.txt"
    actual = f"{text}\n--- warnings ---\n{warnings}"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_draft_starts_with_the_draft_mark(template_id: str) -> None:
    rendered = render(template_id, load_context(HERE / "contexts" / "male_client.yaml"))
    assert rendered.blocks[0].kind == "mark"
    assert to_text(rendered).startswith(DRAFT_MARK)
    assert DRAFT_MARK == "ПРОЕКТ — для проверки адвокатом"  # Russian documents carry no English line


def test_declined_forms_appear_where_the_grammar_needs_them() -> None:
    text = to_text(render("voluntary_appearance", load_context(HERE / "contexts" / "female_client.yaml")))
    assert "Руководителю военного следственного отдела Следственного комитета" in text  # lower case in a sentence
    assert "от старшего сержанта Выдумской Ольги Петровны" in text
    assert "проходящей военную службу в войсковой части 99999" in text
    assert "не явилась в срок — 1 октября 2025 г. — на службу в войсковую часть 99999 из отпуска" in text
    assert "разъяснены" not in text  # the official who takes the statement explains the rights (ч. 1.1 ст. 144 УПК)
    assert "Заявление подаётся при участии адвоката Небывалого Петра Ильича." in text
    assert "/ Выдумская О. П." in text


@pytest.mark.parametrize(
    ("kind", "wording"),
    [
        ("left-unit", "самовольно, без разрешения командования, оставил место службы — войсковую часть 00000 —"),
        ("leave", "не явился в срок — 1 июня 2025 г. — на службу в войсковую часть 00000 из отпуска"),
        ("hospital", "на службу в войсковую часть 00000 из медицинской организации"),
        ("trip", "на службу в войсковую часть 00000 из командировки"),
        ("transfer", "на службу в войсковую часть 00000 при переводе к новому месту службы"),
        ("", "[как началось отсутствие"),
    ],
)
def test_the_statement_of_surrender_follows_the_kind_of_absence(kind: str, wording: str) -> None:
    """Art. 337 part 1 names each way an absence begins; the statement says the one of the case, never another."""
    context = replace(load_context(HERE / "contexts" / "male_client.yaml"), absence_kind=kind)
    text = " ".join(to_text(render("voluntary_appearance", context)).split())
    assert wording in text
    assert ("самовольно" in text) == (kind == "left-unit")
    assert "до 20 июня 2025 г. к исполнению обязанностей военной службы не приступал" in text or kind == ""


def test_an_unknown_kind_of_absence_is_refused() -> None:
    with pytest.raises(DraftDataError, match="absence_kind: 'ушёл' is not one of left-unit, leave"):
        context_from_mapping({"absence_kind": "ушёл"})


def test_the_motion_asks_after_its_reasons() -> None:
    """The usual order of a procedural document: the facts, the reasons, «ПРОШУ:», the attachments with pages."""
    text = to_text(render("motion_attach_documents", load_context(HERE / "contexts" / "male_client.yaml")))
    reasons, ask, attached = text.index("поскольку"), text.index("ПРОШУ:"), text.index("Приложение:")
    assert reasons < ask < attached < text.index("Адвокат ___")
    assert "руководствуясь ст. 53, 86, 120 и 271 УПК РФ" in text[:ask]
    assert "1. Характеристика с места жительства на _ л. в 1 экз." in text[attached:]
    assert "защитника подсудимого младшего сержанта Тестовикова Ивана Петровича" in text


def test_the_family_letter_gives_the_last_day_computed_after_art_128_part_2() -> None:
    """The female case gives appeal_last_day (the engine's): 15 days from 20.12.2025 end on Sunday 04.01.2026, a
    holiday, and the term moves to the first working day."""
    text = " ".join(
        to_text(render("family_appeal_letter", load_context(HERE / "contexts" / "female_client.yaml"))).split()
    )
    assert "Последний день подачи жалобы — 12 января 2026 г. (ч. 2 ст. 128 УПК РФ:" in text
    assert "15-е сутки приходятся на 4 января 2026 г., а это нерабочий день)" in text
    assert "включительно" not in text
    assert "Приговор по уголовному делу в отношении Ольги Петровны Выдумской" in text
    assert "вынесен 20 декабря 2025 г. Приговор можно обжаловать." in text
    assert "Если в этот срок жалобу не подать, приговор вступит в законную силу." in text


def test_without_a_calendar_the_letter_names_the_rule_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("courtpath.drafting.renderer._term_end_function", lambda: None)
    context = replace(load_context(HERE / "contexts" / "female_client.yaml"), appeal_last_day=None)
    text = " ".join(to_text(render("family_appeal_letter", context)).split())
    assert "Жалобу можно подать по 4 января 2026 г. включительно." in text  # a Sunday, a holiday
    assert "первый следующий за ним рабочий день (ч. 2 ст. 128 УПК РФ)" in text
    assert "Последний день подачи жалобы" not in text


def test_the_calendar_moves_the_last_day_off_a_holiday() -> None:
    """Only the verdict date known: the letter asks courtpath.law.calendar for the end of the term."""
    calendar = pytest.importorskip("courtpath.law.calendar")
    context = replace(load_context(HERE / "contexts" / "female_client.yaml"), appeal_last_day=None)
    end = calendar.term_end(dt.date(2026, 1, 4))
    assert end.day > dt.date(2026, 1, 4) and end.moved_from == dt.date(2026, 1, 4)
    rendered = render("family_appeal_letter", context)
    text = " ".join(to_text(rendered).split())
    assert f"Последний день подачи жалобы — {end.day.day} января 2026 г." in text
    assert "15-е сутки приходятся на 4 января 2026 г., а это нерабочий день" in text
    if end.confidence != "official" or end.questions:
        assert any("official calendar of working days" in w for w in rendered.warning_texts("en"))


def test_a_given_last_day_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_calendar_call():
        raise AssertionError("the calendar is not asked when the last day is given")

    monkeypatch.setattr("courtpath.drafting.renderer._term_end_function", no_calendar_call)
    context = replace(load_context(HERE / "contexts" / "male_client.yaml"), appeal_last_day=dt.date(2026, 3, 17))
    text = " ".join(to_text(render("family_appeal_letter", context)).split())
    assert "Последний день подачи жалобы — 17 марта 2026 г. (ч. 2 ст. 128 УПК РФ:" in text
    assert "нерабочий день)" not in text  # not moved: no day named as the one it moved from


def test_the_appeal_window_comes_from_the_law_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("courtpath.drafting.renderer._term_end_function", lambda: None)
    days = default_lawbook().general.appeal_period.days
    context = load_context(HERE / "contexts" / "male_client.yaml")
    text = to_text(render("family_appeal_letter", context))
    last_day = context.verdict_date + dt.timedelta(days=days)
    assert f"в течение {days} суток со дня постановления приговора (ч. 1 ст. 389.4 УПК РФ)" in text
    assert f"по {last_day.day} марта {last_day.year} г. включительно" in text


def test_the_appeal_window_follows_a_change_in_the_law_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("courtpath.drafting.renderer._term_end_function", lambda: None)
    source = Path(str(resources.files("courtpath.law").joinpath("data", "ru")))
    shutil.copytree(source, tmp_path / "ru")
    general = tmp_path / "ru" / "general.yaml"
    text = general.read_text(encoding="utf-8")
    assert "  days: 15\n" in text
    general.write_text(text.replace("  days: 15\n", "  days: 10\n"), encoding="utf-8")  # the length before 608-FZ
    edited = load_lawbook(tmp_path / "ru")
    monkeypatch.setattr("courtpath.drafting.renderer.default_lawbook", lambda: edited)
    text = to_text(render("family_appeal_letter", load_context(HERE / "contexts" / "male_client.yaml")))
    assert "в течение 10 суток" in text
    assert "по 12 марта 2026 г. включительно" in text


def test_missing_fields_are_listed_by_name() -> None:
    context = DraftContext(client_surname="Тестовиков", client_given_name="Иван")
    with pytest.raises(MissingFieldsError) as raised:
        render("voluntary_appearance", context)
    assert raised.value.missing == ["client_rank", "military_unit", "investigative_body", "absence_start"]
    assert "client_rank, military_unit, investigative_body, absence_start" in str(raised.value)


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
def test_each_template_declares_only_fields_that_exist_and_reads_what_it_declares(template) -> None:
    assert set(template.requires) | set(template.uses) <= set(FIELD_NAMES)
    empty = DraftContext()
    with pytest.raises(MissingFieldsError) as raised:
        render(template.id, empty)
    assert raised.value.missing == list(template.requires)


def test_optional_fields_left_out_leave_visible_blanks_and_warnings() -> None:
    context = load_context(HERE / "contexts" / "female_client.yaml")
    rendered = render("motion_attach_documents", context)
    assert "1. [перечень документов]" in to_text(rendered)
    assert "Оставлен пропуск, его заполняет адвокат: перечень документов" in rendered.warning_texts("ru")
    assert "A blank is left for the lawyer to fill in: перечень документов" in rendered.warning_texts("en")


def test_an_undeclinable_name_is_kept_and_reported_in_the_draft() -> None:
    context = DraftContext(
        client_surname="Smith",
        client_given_name="Иван",
        client_patronymic="Петрович",
        client_rank="рядовой",
        military_unit="в/ч 00000",
        investigative_body="военный следственный отдел по Энскому гарнизону",
        absence_start=dt.date(2025, 6, 1),
        document_date=dt.date(2025, 6, 2),
    )
    rendered = render("voluntary_appearance", context)
    text = to_text(rendered)
    assert "от рядового Smith Ивана Петровича" in text
    assert "в в/ч 00000" in text
    warnings = rendered.warning_texts("ru")
    assert "Оставлено без изменения, проверьте форму вручную: фамилия «Smith»" in warnings
    assert "Оставлено без изменения, проверьте форму вручную: воинская часть «в/ч 00000»" in warnings
    assert len(warnings) == len(set(warnings)), "each note once, however often the word is declined"


def test_the_client_s_sex_is_read_from_the_patronymic_when_not_given() -> None:
    context = load_context(HERE / "contexts" / "female_client.yaml")
    assert context.client_sex is None
    text = to_text(render("motion_attach_documents", context))
    assert "Я осуществляю её защиту." in text


HEADER = '---\nstatute: "ст. 53 УПК РФ"\nchecks: [Имя сверено]\n'


def write_template(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.j2"
    path.write_text(text, encoding="utf-8")
    return folder


def test_a_lawyer_s_own_template_folder(tmp_path: Path) -> None:
    folder = write_template(
        tmp_path,
        "note",
        HEADER + "requires: [client_surname, client_given_name]\n---\n[heading]\nСПРАВКА\n[paragraph]\n"
        "Выдана {{ client.name | datv }}\nдля представления {{ military_unit | accs }}.\n",
    )
    context = DraftContext(client_surname="Тестовиков", client_given_name="Иван", military_unit="войсковая часть 1")
    rendered = render("note", context, folder)
    assert [b.text for b in rendered.blocks[1:]] == [
        "СПРАВКА",
        "Выдана Тестовикову Ивану для представления войсковую часть 1.",
    ]
    assert rendered.title.render("ru") == "Проект «note»"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no header\n", "starts with a YAML header"),
        ("---\nrequires: [client_surname]\n", "not closed"),
        (HEADER + "requires: [nobody]\n---\ntext\n", "unknown field(s): nobody"),
        (HEADER + "require: [client_surname]\n---\ntext\n", "unknown header field(s): require"),
        (HEADER + "requires: client_surname\n---\ntext\n", "must be a list"),
        (HEADER + "---\n[footer]\ntext\n", "unknown block [footer]"),
        (HEADER + "---\n{{ client.nmae }}\n", "nmae"),
        (HEADER + "---\nline\n{{ client.nmae }}\n", "x.j2, line 6"),
        (HEADER + "---\nline\n{% if %}\n", "x.j2, line 6"),
        (HEADER + "---\n{{ client | shout }}\n", "x.j2, line 5: No filter named 'shout'"),
        (HEADER + "---\n{{ client.__class__.__mro__ }}\n", "x.j2"),
        ("---\nchecks: [a]\n---\ntext\n", "header field 'statute' must name the articles"),
        ('---\nstatute: "  "\nchecks: [a]\n---\ntext\n', "header field 'statute' must name the articles"),
        ('---\nstatute: "ст. 1"\n---\ntext\n', "header field 'checks' must be a list"),
        ('---\nstatute: "ст. 1"\nchecks: []\n---\ntext\n', "header field 'checks' must be a list"),
        ('---\nstatute: "ст. 1"\nchecks:\n  - Срок: 3 суток\n---\ntext\n', "header field 'checks' must be a list"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\nnote: [b]\n---\ntext\n', "header field 'note' must be text"),
        ("---\nstatute: [\n---\ntext\n", "x.j2, line 2: the header is not valid YAML"),
    ],
)
def test_a_broken_template_gives_an_error_that_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    folder = write_template(tmp_path, "x", text)
    with pytest.raises(DraftTemplateError) as raised:
        render("x", DraftContext(client_surname="Тестовиков", client_given_name="Иван"), folder)
    assert message in str(raised.value)


def test_an_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(DraftTemplateError, match=r"unknown draft template 'nope'; known: .*voluntary_appearance"):
        render("nope", DraftContext())
    with pytest.raises(DraftTemplateError, match="unknown draft template"):
        render("../templates/voluntary_appearance", DraftContext())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"client_surnme": "Тестовиков"}, "unknown field(s): client_surnme"),
        ({"verdict_date": "32.13.2025"}, "verdict_date: not a date"),
        ({"client_sex": "unknown"}, "client_sex: 'unknown' is not a sex"),
        ({"attachments": "one document"}, "attachments: give a list"),
        ({"client_rank": {"a": 1}}, "client_rank: expected text"),
        (["client_surname"], "must be a mapping"),
    ],
)
def test_bad_draft_data_is_refused_with_the_field_named(data: object, message: str) -> None:
    with pytest.raises(DraftDataError) as raised:
        context_from_mapping(data)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_draft_data_accepts_both_date_styles_and_sex_words() -> None:
    context = context_from_mapping(
        {"verdict_date": "02.03.2026", "absence_start": dt.date(2025, 6, 1), "client_sex": "ж", "case_code": 42}
    )
    assert context.verdict_date == dt.date(2026, 3, 2)
    assert context.absence_start == dt.date(2025, 6, 1)
    assert context.client_sex == "female"
    assert context.case_code == "42"


def test_a_lawyer_name_of_one_word_is_refused() -> None:
    context = load_context(HERE / "contexts" / "male_client.yaml")
    import dataclasses

    with pytest.raises(DraftDataError, match="lawyer_name: a full name needs"):
        render("motion_attach_documents", dataclasses.replace(context, lawyer_name="Примерова"))


ARTICLE = re.compile(r"ст\.\s*(?:[\d.]+(?:,\s*|\s+и\s+))*[\d.]+")


def cited_numbers(text: str) -> set[str]:
    """The article numbers a text cites: «ст. 37, 123 и 124» gives 37, 123, 124."""
    return {n.rstrip(".") for match in ARTICLE.findall(text) for n in re.findall(r"\d+(?:\.\d+)?", match)}


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
def test_every_template_names_its_statute_and_cites_it_in_the_text(template) -> None:
    assert template.statute.strip() and "ст." in template.statute
    assert template.checks and all(check.strip() for check in template.checks)
    context = load_context(HERE / "contexts" / "male_client.yaml")
    texts = [to_text(render(template.id, context))]
    if template.id == "complaint_prosecutor_inaction":
        texts.append(to_text(render(template.id, replace(context, inaction="command"))))
    cited = set().union(*(cited_numbers(t) for t in texts))
    missing = cited_numbers(template.statute) - cited
    assert not missing, f"{template.id}: the header's statute names articles the text never cites: {missing}"


def test_the_citation_reader_is_honest() -> None:
    assert cited_numbers("руководствуясь ст. 37, 123 и 124 УПК РФ; п. 3.1 ч. 1 ст. 208") == {"37", "123", "124", "208"}
    assert cited_numbers("ч. 1 ст. 389.4 УПК РФ") == {"389.4"}
    assert cited_numbers("3 суток") == set()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"inaction": "nobody"}, "inaction: 'nobody' is not one of report, command"),
        ({"report_decision_due": "31.02.2026"}, "report_decision_due: not a date"),
        ({"requested_steps": "допросить"}, "requested_steps: give a list"),
        ({"lawyer_bar": ["a"]}, "lawyer_bar: expected text"),
    ],
)
def test_bad_new_fields_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(DraftDataError, match=re.escape(message)):
        context_from_mapping(data)


def test_the_new_fields_are_read() -> None:
    context = context_from_mapping(
        {
            "report_date": "01.12.2025",
            "appeal_last_day": "2026-01-12",
            "requested_steps": ["допросить  свидетеля", " ", "истребовать приказ"],
            "inaction": "",
            "lawyer_bar_number": 77,
        }
    )
    assert context.report_date == dt.date(2025, 12, 1)
    assert context.appeal_last_day == dt.date(2026, 1, 12)
    assert context.requested_steps == ("допросить свидетеля", "истребовать приказ")
    assert context.inaction == "report"
    assert context.lawyer_bar_number == "77"
    assert context_from_mapping({"inaction": "command"}).inaction == "command"


def test_the_prosecutor_complaint_follows_the_kind_of_inaction() -> None:
    context = load_context(HERE / "contexts" / "male_client.yaml")
    report = " ".join(to_text(render("complaint_prosecutor_inaction", context)).split())
    command = " ".join(to_text(render("complaint_prosecutor_inaction", replace(context, inaction="command"))).split())
    assert "В военную прокуратуру Энского гарнизона" in report  # declined, first letter lowered
    assert "Последний день для принятия решения — 23 июня 2025 г. Этот срок истёк" in report
    assert "заявление младшего сержанта Тестовикова Ивана Петровича о явке с повинной" in report
    assert "командиром войсковой части 00000 не зарегистрировано" in command
    assert "Провести проверку исполнения командиром войсковой части 00000 требований ст. 143–145 УПК РФ" in command
    assert "ст. 40 УПК РФ" in command and "ст. 40 УПК РФ" not in report
    for text in (report, command):
        assert "рег. № 99/9999 в реестре адвокатов, Адвокатская палата Энской области" in text
        assert "действующей в интересах младшего сержанта Тестовикова Ивана Петровича" in text  # the lawyer is a woman
        assert text.index("На основании изложенного") < text.index("ПРОШУ:") < text.index("Приложение:")
        assert text.rstrip().endswith("Адвокат _______________ А. С. Примерова")


def test_a_deadline_not_yet_past_is_not_called_past() -> None:
    context = replace(
        load_context(HERE / "contexts" / "male_client.yaml"), report_decision_due=dt.date(2026, 3, 5)
    )  # the document is dated 03.03.2026
    text = " ".join(to_text(render("complaint_court_inaction", context)).split())
    assert "истёк" not in text
    assert "По состоянию на 3 марта 2026 г. решение заявителю и защите не сообщено" in text


def test_the_refusal_statement_is_the_client_s_own_and_follows_sex_and_status() -> None:
    male = load_context(HERE / "contexts" / "male_client.yaml")
    female = load_context(HERE / "contexts" / "female_client.yaml")
    his = " ".join(to_text(render("accused_refusal_statement", male)).split())
    hers = " ".join(to_text(render("accused_refusal_statement", female)).split())
    assert "Я, младший сержант Тестовиков Иван Петрович, обвиняемый по уголовному делу № 12500000000000001" in his
    assert "я не подписывал контракт о прохождении военной службы и подписывать его не буду" in his
    assert "Я не согласен на приостановление" in his and "п. 3.1 ч. 1 ст. 208 УПК РФ" in his
    assert "Я, старший сержант Выдумская Ольга Петровна, подозреваемая по уголовному делу" in hers
    assert "я не подписывала контракт" in hers and "Я не согласна на приостановление" in hers
    assert his.rstrip().endswith("защитника — адвоката А. С. Примеровой")
    assert "_______________ / Тестовиков И. П." in his
    assert "Адвокат _____" not in his  # signed by the client, not the lawyer


def test_the_motion_for_procedural_steps_lists_the_steps_after_its_reasons() -> None:
    text = to_text(render("motion_procedural_steps", load_context(HERE / "contexts" / "male_client.yaml")))
    reasons, ask = text.index("поскольку"), text.index("ПРОШУ:")
    assert (
        reasons
        < ask
        < text.index("1. Допросить в качестве свидетеля Вымыслову Марию Ивановну")
        < text.index("Приложение:")
    )
    assert "2. Истребовать из войсковой части 00000 копию приказа об исключении из списков части.\n" in text
    assert "3. Приобщить к материалам уголовного дела документы, указанные в приложении." in text
    assert "в срок, установленный ст. 121 УПК РФ" in text


def test_the_returned_to_unit_complaint_names_the_events() -> None:
    text = " ".join(
        to_text(
            render("complaint_prosecutor_returned_to_unit", load_context(HERE / "contexts" / "male_client.yaml"))
        ).split()
    )
    assert "уголовное дело № 12500000000000001, возбуждённое 10 июля 2025 г. по признакам преступления" in text
    assert "Обвинение ему предъявлено 15 июля 2025 г." in text
    assert "Тестовиков И. П. задержан 1 августа 2025 г." in text
    assert "а 3 августа 2025 г. направлен в войсковую часть 00000" in text
    assert "(ч. 2 ст. 104 УПК РФ)" in text
