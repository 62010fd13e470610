"""The command line: JSON and human output, the law commands, and one-line errors with exit code 2."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from courtpath.cli.main import run

MOBILIZATION_4_DAYS = [
    "assess",
    "--status",
    "contract",
    "--left",
    "2023-03-01T08:00",
    "--returned",
    "2023-03-05T08:00",
]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps table cells at 80 columns; a wide console keeps "337 part 2.1" on one line."""
    monkeypatch.setenv("COLUMNS", "200")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, *MOBILIZATION_4_DAYS, "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert {"qualifications", "key_dates", "flags", "trace"} <= set(payload)

    assert len(payload["qualifications"]) == 1
    q = payload["qualifications"][0]
    for key in (
        "article",
        "part",
        "kind",
        "primary",
        "edition",
        "penalties",
        "gravity",
        "limitation_years",
        "suspended_possible",
        "citations",
    ):
        assert key in q, key
    assert (q["article"], q["part"], q["kind"], q["primary"], q["edition"]) == ("337", "2.1", "awol", True, "365-FZ")
    assert q["penalties"] == [
        {
            "type": "imprisonment",
            "min_months": 2,
            "max_months": 60,
            "min_from_general_part": True,
            "available": "yes",
            "reason": None,
        }
    ]
    assert (q["gravity"], q["limitation_years"], q["suspended_possible"]) == ("medium", 6, True)
    assert q["citations"] and q["citations"][0]["article"] == "337"
    assert q["citations"][0]["part"] == "2.1"

    assert payload["key_dates"], "a closed absence has key dates"
    for key_date in payload["key_dates"]:
        assert set(key_date) >= {"code", "at"}
        parsed = dt.datetime.fromisoformat(key_date["at"])
        assert parsed.tzinfo is not None
    codes = {k["code"]: k["at"] for k in payload["key_dates"]}
    assert codes["criminal_liability_from"] == "2023-03-03T08:00:00+03:00"
    assert codes["limitation_expires"] == "2029-03-05T08:00:00+03:00"

    assert payload["flags"]
    for flag in payload["flags"]:
        assert flag["code"] and flag["message"]
    assert "suspended_return_to_front" in {f["code"] for f in payload["flags"]}
    assert payload["trace"] and all("step" in s and "message" in s for s in payload["trace"])


def test_assess_json_open_absence_and_russian_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys,
        "assess",
        "--status",
        "mobilized",
        "--left",
        "01.05.2024 08:00",
        "--as-of",
        "2024-05-08T08:00",
        "--json",
        "--lang",
        "en",
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["absence"]["open"] is True
    assert payload["absence"]["band"] == "A"
    assert [q["part"] for q in payload["qualifications"]] == ["2.1"]
    assert "limitation_expires" not in {k["code"] for k in payload["key_dates"]}


def test_assess_json_desertion_and_cap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        *MOBILIZATION_4_DAYS[:-1],
        "2023-03-20T08:00",
        "--indicator",
        "job",
        "--indicator",
        "border",
        "--surrendered",
        "--json",
    )
    assert code == 0
    quals = json.loads(out)["qualifications"]
    assert [(q["article"], q["part"], q["primary"]) for q in quals] == [("337", "3.1", True), ("338", "3", False)]
    assert quals[0]["cap_months"] == 56
    assert quals[1]["penalties"][-1]["min_months"] == 60
    assert quals[1]["penalties"][-1]["max_months"] == 180


@pytest.mark.parametrize(("lang", "label"), [("ru", "337 ч. 2.1"), ("en", "337 part 2.1")])
def test_assess_human_output(capsys: pytest.CaptureFixture[str], lang: str, label: str) -> None:
    code, out, err = run_cli(capsys, *MOBILIZATION_4_DAYS, "--lang", lang)
    assert code == 0, err
    assert label in out
    assert "Traceback" not in out + err


def test_assess_human_output_without_qualification(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "assess", "--status", "contract", "--left", "2019-05-01T08:00", "--returned", "2019-05-06T08:00"
    )
    assert code == 0
    assert "337 ч." not in out


def test_law_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "law", "show", "337", "--on", "2023-01-01", "--json")
    assert code == 0
    edition = json.loads(out)
    assert edition["article"] == "337"
    assert edition["edition"] == "365-FZ"
    assert [p["part"] for p in edition["parts"]] == ["1", "2", "2.1", "3", "3.1", "4", "5"]


@pytest.mark.parametrize(
    ("day", "edition"), [("2000-01-01", "1997"), ("2022-09-24", "365-FZ"), ("2026-01-09", "534-FZ")]
)
def test_law_show_edition_on_dates(capsys: pytest.CaptureFixture[str], day: str, edition: str) -> None:
    code, out, _ = run_cli(capsys, "law", "show", "337", "--on", day, "--json")
    assert code == 0
    assert json.loads(out)["edition"] == edition


def test_law_show_human(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "law", "show", "338", "--on", "2010-01-01", "--lang", "en")
    assert code == 0
    assert "338" in out
    assert "1997" in out


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("article", ["337", "338", "339"])
def test_law_show_speaks_words_not_codes(capsys: pytest.CaptureFixture[str], article: str, lang: str) -> None:
    """What a lawyer reads has no internal codes: no ISO periods, no context codes, no edition ids or requirement
    codes (issue 12); each part names the act that last changed it, and arrest is marked as not in force."""
    for day in ("2021-01-01", "2023-01-01", "2026-06-01"):
        code, out, _ = run_cli(capsys, "law", "show", article, "--on", day, "--lang", lang)
        assert code == 0
        cells = [cell.strip() for line in out.splitlines() for cell in line.split("│")]
        assert "Edition: " not in out and "Редакция: " not in out  # the edition id ("534-FZ (534-ФЗ …)") is gone
        for internal in ("P2D", "P10D", "P1M", "weapon_or_group", "aim_full_release"):
            assert internal not in out, (article, day, internal)
        assert "k" not in cells and "any" not in cells, (article, day)
    code, out, _ = run_cli(capsys, "law", "show", "337", "--on", "2023-01-01", "--lang", lang)
    assert "✗ " + ("арест" if lang == "ru" else "arrest") in out


def test_law_editions_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "law", "editions", "338", "--json")
    assert code == 0
    editions = json.loads(out)
    assert [e["edition"] for e in editions] == ["1997", "26-FZ", "365-FZ", "534-FZ"]
    part_2 = {e["edition"]: next(p for p in e["parts"] if p["part"] == "2") for e in editions}
    assert part_2["1997"]["penalties"][0]["min_months"] == 36
    assert part_2["26-FZ"]["penalties"][0]["min_months"] is None


def test_law_check_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "law", "check")
    assert code == 0
    assert out.startswith("ok: 3 articles")


BAD_INPUT = {
    "unknown status": ["assess", "--status", "general", "--left", "2023-03-01"],
    "malformed left": ["assess", "--status", "contract", "--left", "2023-13-45"],
    "malformed left, words": ["assess", "--status", "contract", "--left", "yesterday"],
    "returned before left": [
        "assess",
        "--status",
        "contract",
        "--left",
        "2023-03-05T08:00",
        "--returned",
        "2023-03-01T08:00",
    ],
    "returned equals left": [
        "assess",
        "--status",
        "contract",
        "--left",
        "2023-03-05T08:00",
        "--returned",
        "2023-03-05T08:00",
    ],
    "as-of before returned": [
        "assess",
        "--status",
        "contract",
        "--left",
        "2023-03-01",
        "--returned",
        "2023-03-05",
        "--as-of",
        "2023-03-04",
    ],
    "surrendered without returned": ["assess", "--status", "contract", "--left", "2023-03-01", "--surrendered"],
    "released 80.2 conscript": [
        "assess",
        "--status",
        "conscript",
        "--left",
        "2026-02-01",
        "--returned",
        "2026-02-05",
        "--released-80-2",
    ],
    "mobilized before decree 647": [
        "assess",
        "--status",
        "mobilized",
        "--left",
        "2021-03-01",
        "--returned",
        "2021-03-05",
    ],
    "before the 1997 Code": ["assess", "--status", "contract", "--left", "1995-03-01", "--returned", "1995-03-05"],
    "missing left": ["assess", "--status", "contract"],
    "unknown indicator": [*MOBILIZATION_4_DAYS, "--indicator", "tattoo"],
    "unknown context": [*MOBILIZATION_4_DAYS, "--context", "peace"],
    "unknown language": [*MOBILIZATION_4_DAYS, "--lang", "de"],
    "unknown option": [*MOBILIZATION_4_DAYS, "--verbose"],
    "malformed law-on": [*MOBILIZATION_4_DAYS, "--law-on", "2023-02-30"],
    "unknown article for law show": ["law", "show", "336"],
    "unknown article for law editions": ["law", "editions", "999"],
    "law show before the Code": ["law", "show", "337", "--on", "1996-12-31"],
    "malformed law show date": ["law", "show", "337", "--on", "31/12/2023"],
    "unknown command": ["appeal"],
    "law check missing dir": ["law", "check", "/nonexistent/courtpath-data"],
}


@pytest.mark.parametrize("args", list(BAD_INPUT.values()), ids=list(BAD_INPUT))
def test_bad_input_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("courtpath: error: ")


def test_bad_input_messages_name_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run_cli(capsys, *BAD_INPUT["malformed left"])
    assert "--left" in err
    _, _, err = run_cli(capsys, *BAD_INPUT["unknown status"])
    assert "--status" in err
    _, _, err = run_cli(capsys, *BAD_INPUT["unknown article for law show"])
    assert "336" in err


def test_subprocess_entry_point(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("courtpath")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "courtpath.cli.main"]
    ok = subprocess.run(
        [*command, *MOBILIZATION_4_DAYS, "--json"], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["qualifications"][0]["part"] == "2.1"

    bad = subprocess.run(
        [*command, "assess", "--status", "contract", "--left", "2023-13-45"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr


def test_module_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "courtpath.cli.main", "law", "editions", "337", "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert [e["edition"] for e in json.loads(result.stdout)] == ["1997", "365-FZ", "534-FZ"]
