"""Every door for facts, at its edges: one table of bad inputs, run through the command line, the batch mode, the
JSON API, the case form and the public interview. Each door must refuse each input the way the issue states: the CLI
with exit code 2 and one line in the chosen language, the API with 400 naming the field and the code, the form with
the message on its field and nothing saved, the interview by asking the question again, the batch by keeping the row
with its reason. No door answers 500, and no value stored in a case can later make a page answer 500.

What each door says is compared with what the one intake says for the same facts (courtpath.law.intake), so the
table holds the facts and the expected field and code only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from _interview_pages import Form
from django.test import Client
from django.urls import reverse

from courtpath.cli.main import run
from courtpath.cli.options import OPTION_OF_FIELD, problems_text
from courtpath.law.intake import facts_from_mapping
from courtpath.law.problems import FactsError
from courtpath.web.accounts.models import User
from courtpath.web.api import services as api_services
from courtpath.web.cases import services
from courtpath.web.cases.models import Assessment, Case

MOSCOW = dt.timezone(dt.timedelta(hours=3))
UNDECODABLE = "01.06.2025\udcff"  # what Python makes of the byte 0xFF in a command-line argument
AS_DJANGO_READS_IT = "01.06.2025\ufffd"  # the same byte in a form: Django decodes it with errors="replace"


@dataclass(frozen=True)
class Bad:
    """Facts (canonical names, as a person would type them) that the intake refuses on `field` with `code`."""

    name: str
    facts: dict[str, Any]
    field: str
    code: str
    doors: frozenset[str] = field(default=frozenset({"cli", "api", "form", "interview"}))


BAD = [
    Bad("far_future_start", {"status": "contract", "left": "01.01.2090 08:00"}, "left", "in_future"),
    Bad(
        "far_past_start", {"status": "contract", "left": "01.01.1990", "returned": "10.01.1990"}, "left", "before_code"
    ),
    Bad("year_1850", {"status": "contract", "left": "01.01.1850"}, "left", "year_range"),
    Bad(
        "return_in_year_9985",
        {"status": "contract", "left": "01.06.2025", "returned": "01.06.9985"},
        "returned",
        "year_range",
    ),
    Bad(
        "end_before_start",
        {"status": "contract", "left": "10.11.2025 08:00", "returned": "01.11.2025 08:00"},
        "returned",
        "end_before_start",
    ),
    Bad("no_such_day", {"status": "contract", "left": "31.02.2025"}, "left", "moment_value"),
    Bad("slashes_day_or_month_first", {"status": "contract", "left": "05/11/2025"}, "left", "moment_format"),
    Bad("unknown_status", {"status": "admiral", "left": "01.06.2025"}, "status", "unknown_value"),
    Bad(
        "unknown_indicator",
        {"status": "contract", "left": "01.06.2025", "returned": "20.06.2025", "indicators": ["tattoo"]},
        "indicators",
        "unknown_value",
        frozenset({"cli", "api", "form"}),  # the interview offers its options only
    ),
    Bad(
        "surrender_without_an_end",
        {"status": "contract", "left": "01.06.2025", "surrendered": True},
        "surrendered",
        "surrender_needs_end",
        frozenset({"cli", "api", "form"}),  # the interview asks about a surrender only when the absence ended
    ),
    Bad(
        "release_80_2_of_a_conscript",
        {"status": "conscript", "left": "01.06.2025", "returned": "05.06.2025", "released_80_2": True},
        "released_80_2",
        "released_80_2_status",
        frozenset({"cli", "api", "form"}),  # the interview asks about art. 80.2 only for contract servicemen
    ),
    Bad(
        "mobilized_before_decree_647",
        {"status": "mobilized", "left": "01.03.2021", "returned": "05.03.2021"},
        "left",
        "mobilized_too_early",
    ),
    Bad(
        "empty_start",
        {"status": "contract", "left": ""},
        "left",
        "required",
        frozenset({"cli", "api", "interview"}),  # on the case form an empty start means "not known yet"
    ),
    Bad("long_start", {"status": "contract", "left": "1" * 2_000}, "left", "moment_format"),
    Bad("huge_start", {"status": "contract", "left": "1" * 100_000}, "left", "moment_format"),
    Bad("undecodable_start", {"status": "contract", "left": UNDECODABLE}, "left", "moment_format"),
]


def cases_for(door: str) -> list[object]:
    """The table's inputs that reach `door` (the interview offers no way to type some of them)."""
    return [pytest.param(bad, id=bad.name) for bad in BAD if door in bad.doors]


def intake_error(facts: dict[str, Any]) -> FactsError:
    with pytest.raises(FactsError) as refused:
        facts_from_mapping(facts)
    return refused.value


def test_the_table_is_what_the_intake_refuses() -> None:
    for bad in BAD:
        error = intake_error(bad.facts)
        assert (error.field, error.code) == (bad.field, bad.code), bad.name


# -- the command line -------------------------------------------------------------------------------------------


def cli_args(facts: dict[str, Any]) -> list[str]:
    args = ["assess"]
    for name, value in facts.items():
        option = OPTION_OF_FIELD[name]
        if name == "indicators":
            args += [part for item in value for part in (option, item)]
        elif value is True:
            args.append(option)
        else:
            args += [option, value]
    return args


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("bad", cases_for("cli"))
def test_the_command_line_says_it_in_one_line_in_its_language(
    bad: Bad, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run([*cli_args(bad.facts), "--lang", lang])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err == f"courtpath: error: {problems_text(intake_error(bad.facts), lang)}\n"
    assert f"{OPTION_OF_FIELD[bad.field]}: " in err
    err.encode("utf-8")  # printable whatever was typed


# -- the batch mode ---------------------------------------------------------------------------------------------


def test_the_batch_keeps_every_row_with_its_reason(tmp_path: Path) -> None:
    """The whole table as one CSV file, through `courtpath assess --batch`: every row comes out, with the field and
    the code the intake gives, and a message in the language asked for."""
    names = sorted({name for bad in BAD for name in bad.facts})
    rows = [{"id": bad.name, **{name: _cell(bad.facts.get(name)) for name in names}} for bad in BAD]
    source, out = tmp_path / "facts.csv", tmp_path / "assessed.csv"
    pl.DataFrame(rows, schema=dict.fromkeys(["id", *names], pl.Utf8)).write_csv(source)
    assert run(["assess", "--batch", str(source), "--out", str(out), "--lang", "en"]) == 0
    result = {row["id"]: row for row in pl.read_csv(out, infer_schema=False).iter_rows(named=True)}
    assert list(result) == [bad.name for bad in BAD]
    for bad in BAD:
        row = result[bad.name]
        assert (row["error_field"], row["error_code"]) == (bad.field, bad.code), bad.name
        assert row["error"] and row["status"] == (bad.facts["status"] or None)


def _cell(value: object) -> str | None:
    """A fact as a CSV cell: lists joined by ";", yes/no as words, an undecodable byte as a UTF-8 file holds it."""
    if value is None:
        return None
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace(UNDECODABLE, AS_DJANGO_READS_IT)


def test_a_batch_file_that_is_not_utf8_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes("status,left\ncontract,01.06.2025\nконтракт,01.06.2025\n".encode("cp1251"))
    assert run(["assess", "--batch", str(source), "--out", str(tmp_path / "out.csv"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err == "courtpath: error: --batch: export.csv is not UTF-8 text: save it as CSV in UTF-8 and try again\n"


# -- the JSON API -----------------------------------------------------------------------------------------------


@pytest.fixture
def bearer(lawyer: User) -> dict[str, str]:
    _token, raw = api_services.create_token(lawyer, "doors", None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_body(facts: dict[str, Any], lang: str) -> bytes:
    text = json.dumps({**facts, "lang": lang}, ensure_ascii=False)
    return text.encode("utf-8", "surrogateescape")  # an undecodable byte stays one


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("bad", cases_for("api"))
def test_the_api_answers_400_naming_the_field_and_the_code(
    bad: Bad, lang: str, client: Client, bearer: dict[str, str]
) -> None:
    response = client.post("/api/assess", api_body(bad.facts, lang), content_type="application/json", **bearer)
    errors = response.json()["errors"]
    if bad.name == "huge_start":  # larger than a body of facts can be: refused before it is read
        assert response.status_code == 413 and [(e["field"], e["code"]) for e in errors] == [(None, "too_large")]
        return
    assert response.status_code == 400
    if bad.facts.get("left") == UNDECODABLE:  # the body is not UTF-8: the body as a whole is refused
        assert [(e["field"], e["code"]) for e in errors] == [(None, "not_json")]
        return
    expected = intake_error(bad.facts)
    assert [(e["field"], e["code"], e["message"]) for e in errors] == [
        (p.field, p.code, p.render(lang)) for p in expected.problems
    ]


# -- the case form ----------------------------------------------------------------------------------------------


def form_data(facts: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"absence_kind": "left-unit", "context": "auto", "first_offence": "on"}
    for name, value in facts.items():
        if value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


def field_errors(html: str, name: str) -> str:
    """The text of the error list shown with the form field `name`."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("bad", cases_for("form"))
def test_the_case_form_puts_the_message_on_its_field_and_saves_nothing(
    bad: Bad, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    case = world["case"]
    before = (dict(Case.objects.get(pk=case.pk).facts), Assessment.objects.filter(case=case).count())
    login(client, world["lawyer1"])
    url = reverse("cases:case_edit", args=[case.code])
    data = form_data(bad.facts)
    if bad.facts.get("left") == UNDECODABLE:  # sent as the raw byte; Django reads it as U+FFFD
        body = "&".join(f"{k}={v}" for k, v in data.items() if k != "left").encode() + b"&left=01.06.2025%FF"
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    errors = field_errors(html, bad.field)
    assert errors, f"no error shown on {bad.field}"
    if bad.code not in ("unknown_value", "moment_format") and not bad.name.startswith("undecodable"):
        assert intake_error(bad.facts).render("ru").replace("«", "&laquo;")[:30] in errors.replace("«", "&laquo;")
    assert "--" not in errors and "Traceback" not in html
    assert (dict(Case.objects.get(pk=case.pk).facts), Assessment.objects.filter(case=case).count()) == before


# -- the public interview ---------------------------------------------------------------------------------------

STEP_OF_FIELD = {"status": "status", "left": "left", "returned": "returned"}


def interview_walk(client: Client, facts: dict[str, Any]) -> tuple[str, str]:
    """Answer the interview's questions with `facts` up to the first one the facts make wrong; (page, step)."""
    page = client.post("/help/en/step/", {"go": "next"}).content.decode()
    answers = [
        ("status", {"q-status": facts["status"]}),
        ("absence_kind", {"q-absence_kind": "left-unit"}),
        (
            "left",
            {"q-left-date": facts["left"].split(" ")[0].replace(UNDECODABLE, AS_DJANGO_READS_IT), "q-left-time": ""},
        ),
    ]
    if facts.get("returned"):
        answers += [("still_absent", {"q-still_absent": "no"}), ("returned", {"q-returned-date": facts["returned"]})]
    for step, typed in answers:
        assert f'name="step" value="{step}"' in page, (step, page[-2000:])
        data = {**Form(page).hidden, "step": step, "go": "next", **typed}
        response = client.post("/help/en/step/", data)
        assert response.status_code == 200
        page = response.content.decode()
        if f'<p class="error" id="error-{step}">' in page:
            return page, step
    return page, ""


@pytest.mark.django_db
@pytest.mark.parametrize("bad", cases_for("interview"))
def test_the_interview_asks_the_question_again(bad: Bad) -> None:
    page, step = interview_walk(Client(), bad.facts)
    assert step == STEP_OF_FIELD[bad.field], page[-1500:]
    assert f'name="step" value="{step}"' in page and 'aria-invalid="true"' in page


# -- values stored before the limits existed --------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        {"verdict_date": dt.date(9999, 12, 31)},
        {"returned": dt.datetime(9985, 5, 1, 8, 0, tzinfo=MOSCOW)},
        {"left": dt.datetime(1850, 1, 1, 8, 0, tzinfo=MOSCOW)},
    ],
    ids=["verdict_9999", "return_9985", "start_1850"],
)
def test_no_stored_value_makes_a_page_answer_500(
    stored: dict[str, object], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    """A value saved before the limits existed (written here behind the services' back) breaks no page; the pages
    that list deadlines name the case."""
    case = Case.objects.get(pk=world["case"].pk)
    services.change_stage(world["coordinator"], case, "verdict")
    for name, value in stored.items():
        setattr(case, name, value)
    case.save()
    Assessment.objects.create(case=case, data_key=case.data_key, engine_version="0.0.1", law_version="x",
                              result_ru={"shape": "old"}, result_en={"shape": "old"})  # fmt: skip
    login(client, world["coordinator"])
    for url in (
        reverse("cases:dashboard"),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.code]),
        reverse("cases:case_edit", args=[case.code]),
        reverse("statistics:page"),
        reverse("statistics:export"),
        reverse("assessments:what_if") + "?law_on=2026-02-01",
        reverse("drafts:list", args=[case.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    dashboard = client.get(reverse("cases:dashboard")).content.decode()
    assert case.code in dashboard
