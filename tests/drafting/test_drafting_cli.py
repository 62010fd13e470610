"""`courtpath draft list` and `courtpath draft render`: files written, warnings on stderr, bad data as one line and
exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from courtpath.cli.main import app, run

CONTEXT = Path(__file__).parent / "contexts" / "male_client.yaml"
GOLDEN = Path(__file__).parent / "golden"


def test_list_shows_ids_titles_and_needed_fields_in_both_languages() -> None:
    runner = CliRunner()
    english = runner.invoke(app, ["draft", "list", "--lang", "en"])
    russian = runner.invoke(app, ["draft", "list"])
    assert english.exit_code == russian.exit_code == 0
    assert "family_appeal_letter\tLetter to the family about the appeal window\t" in english.stdout
    assert "voluntary_appearance\tЗаявление о явке с повинной в военный следственный орган\t" in russian.stdout
    line = next(li for li in english.stdout.splitlines() if li.startswith("voluntary_appearance"))
    assert line.split("\t")[2].endswith("investigative_body, absence_start")
    assert line.split("\t")[3:] == ["builtin", "ст. 142 УПК РФ; ст. 51 Конституции РФ"]


def test_render_text_to_stdout_matches_the_golden_file() -> None:
    result = CliRunner().invoke(
        app, ["draft", "render", "motion_attach_documents", "--data", str(CONTEXT), "--format", "text"]
    )
    assert result.exit_code == 0, result.output
    golden = (GOLDEN / "motion_attach_documents__male_client.txt").read_text(encoding="utf-8")
    assert golden.startswith(result.stdout)
    assert "courtpath: check: Оставлен пропуск, его заполняет адвокат: обоснование" in result.stderr


def test_render_docx_writes_a_document_with_the_declined_name(tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    result = CliRunner().invoke(
        app, ["draft", "render", "family_appeal_letter", "--data", str(CONTEXT), "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "Вымысловой М. И." in paragraphs
    assert "A blank is left" not in result.stderr  # this case has every field the letter uses


def test_render_pdf(tmp_path: Path) -> None:
    out = tmp_path / "statement.pdf"
    args = ["draft", "render", "voluntary_appearance", "--data", str(CONTEXT), "--format", "pdf", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "courtpath: check: A blank is left" not in result.stderr  # warnings in Russian by default
    assert "courtpath: check: Оставлен пропуск" in result.stderr


HEADER = '---\nstatute: "ст. 53 УПК РФ"\nchecks: [Звание сверено]\nrequires: [client_rank]\n---\n'


def test_render_with_an_own_template_folder(tmp_path: Path) -> None:
    (tmp_path / "own.j2").write_text(HEADER + "Справка для {{ client.rank | gent }}.\n", encoding="utf-8")
    args = ["draft", "render", "own", "--data", str(CONTEXT), "--format", "text", "--templates", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\n\nСправка для младшего сержанта.\n")


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        (
            "client_surname: Тестовиков\n",
            ["voluntary_appearance", "--format", "text"],
            "needs data that is missing: client_given_name,",
        ),
        ("verdict_date: 31.02.2026\n", ["family_appeal_letter", "--format", "text"], "verdict_date: not a date"),
        (
            "client_surnme: Тестовиков\n",
            ["family_appeal_letter", "--format", "text"],
            "unknown field(s): client_surnme",
        ),
        ("a: [b\n", ["family_appeal_letter", "--format", "text"], "not valid YAML"),
        ("- a list\n", ["family_appeal_letter", "--format", "text"], "must be a mapping"),
        (
            "client_surname: Тестовиков\n",
            ["no_such_template", "--format", "text"],
            "unknown draft template 'no_such_template'",
        ),
        ("client_surname: Тестовиков\n", ["family_appeal_letter", "--format", "pdf"], "--format pdf needs --out"),
        ("client_surname: Тестовиков\n", ["family_appeal_letter", "--format", "odt"], "'odt' is not one of"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: str, args: list[str], message: str
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(data, encoding="utf-8")
    code = run(["draft", "render", args[0], "--data", str(path), *args[1:]])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("courtpath: error: ")
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_a_missing_data_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = run(["draft", "render", "family_appeal_letter", "--data", str(tmp_path / "nope.yaml"), "--format", "text"])
    assert code == 2
    assert capsys.readouterr().err == f"courtpath: error: {tmp_path / 'nope.yaml'}: no such file\n"
