"""`courtpath draft check DIR` and the organisation's own template folder beside the built-in one."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from courtpath.cli.main import app, run
from courtpath.drafting import DraftContext, DraftTemplateError, list_templates, render, to_text
from courtpath.drafting.check import FICTIONAL_CONTEXT, check_directory
from courtpath.drafting.templates import ENV_DIRECTORY, default_directory, find_template

GOOD = (
    '---\nstatute: "ст. 53 УПК РФ"\nchecks: [Имя сверено]\nrequires: [client_surname, client_given_name]\n'
    "uses: [military_unit]\n---\n[heading]\nСПРАВКА\n[paragraph]\nВыдана {{ client.name | datv }}"
    "{% if military_unit %} для {{ military_unit | gent }}{% endif %}.\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.j2").write_text(text, encoding="utf-8")
    return folder


def test_the_fictional_context_fills_every_field() -> None:
    empty = [f.name for f in fields(DraftContext) if getattr(FICTIONAL_CONTEXT, f.name) in (None, "", ())]
    assert empty == []


def test_the_built_in_templates_pass_the_check() -> None:
    results = check_directory(default_directory())
    assert len(results) == len(list_templates()) >= 8
    assert [r.problem for r in results if not r.ok] == []


def test_a_good_folder_is_ok_and_exit_code_0(tmp_path: Path) -> None:
    folder = write(tmp_path / "own", "note", GOOD)
    result = CliRunner().invoke(app, ["draft", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK\tnote.j2\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\nrequires: [client_surname]\n---\ntext\n", "bad.j2: header field 'statute' must name"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\nrequires: [nobody]\n---\ntext\n', "unknown field(s): nobody"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\ntitle: x\n---\ntext\n', "unknown header field(s): title"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\nline\n{% if %}\n', "bad.j2, line 6:"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\n{{ client | shout }}\n', "bad.j2, line 5: No filter named 'shout'"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\nx\n{{ clinet.name }}\n', "bad.j2, line 6: 'clinet' is undefined"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\n[footer]\nx\n', "unknown block [footer]"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\n{{ lawyer.name.short }}\n', "(optional fields empty)"),
        ('---\nstatute: "ст. 1"\nchecks: [a]\n---\n{{ 1 + "a" }}\n', "bad.j2: TypeError"),
    ],
)
def test_a_bad_template_is_one_line_naming_the_file_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    folder = write(tmp_path / "own", "good", GOOD)
    write(folder, "bad", text)
    code = run(["draft", "check", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "OK\tgood.j2"
    assert lines[0].startswith("FAIL\tbad.j2")
    assert problem in lines[0]
    assert "Traceback" not in out + err


def test_a_missing_folder_is_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["draft", "check", str(tmp_path / "nope")])
    assert code == 2
    assert capsys.readouterr().err == f"courtpath: error: {tmp_path / 'nope'}: no such folder of draft templates\n"


def test_an_empty_folder_is_not_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert run(["draft", "check", str(tmp_path / "empty")]) == 1
    assert "no templates" in capsys.readouterr().err


def test_check_names_a_file_that_takes_a_built_in_id(tmp_path: Path) -> None:
    folder = write(tmp_path / "own", "voluntary_appearance", GOOD)
    [result] = check_directory(folder)
    assert "the id 'voluntary_appearance' is a built-in template's" in result.problem


def test_the_organisation_folder_is_listed_beside_the_built_in_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write(tmp_path / "own", "note", GOOD)
    monkeypatch.setenv(ENV_DIRECTORY, str(folder))
    templates = {t.id: t for t in list_templates()}
    assert templates["note"].origin == "organisation"
    assert templates["voluntary_appearance"].origin == "builtin"
    assert templates["note"].statute == "ст. 53 УПК РФ"
    assert templates["note"].checks == ("Имя сверено",)
    context = DraftContext(client_surname="Тестовиков", client_given_name="Иван", military_unit="войсковая часть 1")
    assert "Выдана Тестовикову Ивану для войсковой части 1." in to_text(render("note", context))
    assert "ПРОЕКТ" in to_text(render("motion_attach_documents", FICTIONAL_CONTEXT))  # built-ins still there
    listed = CliRunner().invoke(app, ["draft", "list", "--lang", "en"])
    assert "note\tDraft “note”\tclient_surname, client_given_name\torganisation\tст. 53 УПК РФ" in listed.stdout


def test_the_templates_option_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIRECTORY, str(write(tmp_path / "env", "from_env", GOOD)))
    chosen = write(tmp_path / "option", "from_option", GOOD)
    ids = {t.id for t in list_templates(chosen)}
    assert "from_option" in ids and "from_env" not in ids and "voluntary_appearance" in ids


def test_a_clash_with_a_built_in_id_is_an_error_naming_both_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path / "own", "voluntary_appearance", GOOD)
    monkeypatch.setenv(ENV_DIRECTORY, str(folder))
    for call in (list_templates, lambda: find_template("motion_attach_documents")):
        with pytest.raises(DraftTemplateError) as raised:
            call()
        message = str(raised.value)
        assert str(folder / "voluntary_appearance.j2") in message
        assert str(default_directory() / "voluntary_appearance.j2") in message
    assert run(["draft", "list"]) == 2
    assert "clashes with a built-in one" in capsys.readouterr().err


def test_a_configured_folder_that_does_not_exist_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIRECTORY, str(tmp_path / "nope"))
    with pytest.raises(DraftTemplateError, match="not a folder of draft templates"):
        list_templates()


def test_an_organisation_template_error_names_its_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "own", "broken", '---\nstatute: "ст. 1"\nchecks: [a]\n---\n{{ nope }}\n')
    monkeypatch.setenv(ENV_DIRECTORY, str(folder))
    with pytest.raises(DraftTemplateError, match=f"{folder / 'broken.j2'}, line 5: 'nope' is undefined"):
        render("broken", DraftContext())
