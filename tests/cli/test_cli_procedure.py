"""`courtpath procedure deadlines FILE`: the engine's running deadlines as text and JSON, --custody, --today, and
one-line errors with exit code 2 for bad input (never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from courtpath.cli.main import run

REPORT_FILED = "- {code: report_filed, on: 2026-05-06}\n"  # a bare `on:` is YAML's true: read as "on"


def write(tmp_path: Path, text: str, name: str = "events.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["procedure", "deadlines", *args])
    out, err = capsys.readouterr()
    return code, out, err


def deadlines_json(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict:
    code, out, err = run_cli(capsys, str(path), "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_report_filed_text_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """3 days from 06.05.2026 end on Saturday 09.05.2026, Victory Day; Sunday follows and Monday 11.05 is the day off
    for the holiday on a Saturday (ТК ст. 112): the first working day is 12.05.2026 (УПК ст. 128 ч. 2)."""
    code, out, err = run_cli(capsys, str(write(tmp_path, REPORT_FILED)), "--today", "2026-05-08", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "12.05.2026  Decision on the crime report due — not passed as of 08.05.2026"
    assert lines[1] == "    moved from 09.05.2026, a non-working day (УПК ст. 128 ч. 2)"
    assert "    from “crime report registered”, 06.05.2026" in lines
    assert any(
        line.startswith("    Rests on: ч. 1, 3 ст. 144 УПК РФ — A decision on a crime report is due") for line in lines
    )
    assert "    If it is missed: complaint_prosecutor_inaction, complaint_court_inaction" in lines
    assert any(line.startswith("    Open questions: ") and "q_nonworking_day" in line for line in lines)
    assert err == ""


def test_report_filed_text_in_russian(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, str(write(tmp_path, REPORT_FILED)), "--today", "2026-05-13")
    assert code == 0, err
    first, moved = out.splitlines()[:2]
    assert first.startswith("12.05.2026  ")
    assert "13.05.2026" in first
    assert moved == "    перенесён с 09.05.2026, нерабочего дня (ч. 2 ст. 128 УПК)"
    assert "ч. 1, 3 ст. 144 УПК РФ — Решение по сообщению о преступлении" in out


def test_passed_is_told_by_today(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, REPORT_FILED)
    on_last_day = deadlines_json(capsys, path, "--today", "2026-05-12")["deadlines"][0]
    day_after = deadlines_json(capsys, path, "--today", "13.05.2026")["deadlines"][0]
    assert (on_last_day["passed"], on_last_day["missed"]) == (False, False)
    assert (day_after["passed"], day_after["missed"]) == (True, True)
    code, out, _ = run_cli(capsys, str(path), "--today", "2026-05-13", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].endswith("— passed as of 13.05.2026")


def test_json_carries_the_engine_answer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = deadlines_json(capsys, write(tmp_path, REPORT_FILED), "--today", "2026-05-08", "--lang", "en")
    assert data["today"] == "2026-05-08"
    assert data["in_custody"] is False
    [deadline] = data["deadlines"]
    assert deadline["code"] == "report_decision_due"
    assert deadline["name"] == "decision on the crime report due"
    assert deadline["last_day"] == "2026-05-12"
    assert deadline["moved_from"] == "2026-05-09"
    assert (deadline["rule"]["article"], deadline["rule"]["part"]) == ("УПК 144", "1, 3")
    assert deadline["rule"]["summary"].startswith("A decision on a crime report")
    assert deadline["escalations"] == ["complaint_prosecutor_inaction", "complaint_court_inaction"]
    assert "q_nonworking_day" in deadline["questions"]
    assert data["open_escalations"] == []
    assert data["duties"] == []


def test_json_file_and_quoted_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps([{"code": "report_filed", "on": "2026-05-06"}]), "events.json")
    assert deadlines_json(capsys, path, "--today", "2026-05-08")["deadlines"][0]["last_day"] == "2026-05-12"
    quoted = write(tmp_path, '- {code: report_filed, "on": 2026-05-06}\n')
    assert deadlines_json(capsys, quoted, "--today", "2026-05-08")["deadlines"][0]["last_day"] == "2026-05-12"


def test_an_extension_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, REPORT_FILED + "- {code: check_extended_10, on: 2026-05-08}\n")
    [deadline] = deadlines_json(capsys, path, "--today", "2026-05-08")["deadlines"]
    assert deadline["extended_by"] == "check_extended_10"
    assert (deadline["last_day"], deadline["moved_from"]) == ("2026-05-18", "2026-05-16")  # 16.05 is a Saturday
    code, out, _ = run_cli(capsys, str(path), "--today", "2026-05-08", "--lang", "en")
    assert code == 0
    assert "    from “crime report registered”, 06.05.2026; check of the report extended to 10 days" in out


def test_custody_changes_the_court_term(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """УПК ст. 227 ч. 3: 30 days from 01.04.2026 end on 01.05.2026, a holiday (then the weekend): 04.05.2026; in
    custody 14 days: 15.04.2026, a Wednesday."""
    path = write(tmp_path, "- {code: sent_to_court, on: 2026-04-01}\n")
    free = deadlines_json(capsys, path, "--today", "2026-04-02")["deadlines"]
    held = deadlines_json(capsys, path, "--today", "2026-04-02", "--custody")["deadlines"]
    court = {d["code"]: d for d in free}["court_must_decide"]
    court_held = {d["code"]: d for d in held}["court_must_decide"]
    assert (court["last_day"], court["moved_from"]) == ("2026-05-04", "2026-05-01")
    assert (court_held["last_day"], court_held["moved_from"]) == ("2026-04-15", None)
    assert "court_custody_ends" in {d["code"] for d in held}
    assert "court_custody_ends" not in {d["code"] for d in free}
    code, out, _ = run_cli(capsys, str(path), "--today", "2026-04-02", "--custody", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].startswith("15.04.2026  ")


def test_open_escalations_and_duties(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = "- {code: verdict, on: 2026-04-01}\n- {code: returned_to_unit, on: 2026-04-02}\n"
    path = write(tmp_path, events)
    data = deadlines_json(capsys, path, "--today", "2026-12-01", "--lang", "en")
    assert data["open_escalations"] == ["complaint_prosecutor_returned_to_unit"]
    [duty] = data["duties"]
    assert (duty["code"], duty["arises_on"]) == ("discharge_on_sentence", "2026-04-17")
    assert [d["last_day"] for d in data["deadlines"]] == sorted(d["last_day"] for d in data["deadlines"])
    code, out, _ = run_cli(capsys, str(path), "--today", "2026-12-01", "--lang", "en")
    assert code == 0
    assert "The recorded events call for: complaint_prosecutor_returned_to_unit" in out
    assert "17.04.2026  Discharge from service after the verdict in force: if the verdict imposed" in out
    assert "No statutory number of days is known for it." in out
    before = deadlines_json(capsys, path, "--today", "2026-04-16")
    assert before["duties"] == []  # the verdict is not yet in force


def test_no_events(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, str(write(tmp_path, "[]\n")), "--lang", "en")
    assert (code, out, err) == (0, "No statutory term is running.\n", "")


BAD_INPUT = {
    "not YAML": ("a: [\n", "not valid YAML"),
    "not a list": ("a: 1\n", "expected a list of events"),
    "empty": ("", "got an empty file"),
    "unknown code": ("- {code: report_lost, on: 2026-05-06}\n", "unknown event code 'report_lost'"),
    "bad date": ("- {code: report_filed, on: 2026-13-01}\n", "expected a date YYYY-MM-DD, got '2026-13-01'"),
    "date and time": ("- {code: report_filed, on: 2026-05-01 10:00}\n", "expected a date YYYY-MM-DD"),
    "until misplaced": (
        "- {code: report_filed, on: 2026-05-06, until: 2026-05-20}\n",
        "only an extension carries `until`",
    ),
    "until missing": ("- {code: custody_extended, on: 2026-05-06}\n", "needs `until`"),
    "no date": ("- {code: report_filed}\n", "the date `on` is missing"),
    "on twice": ('- {code: report_filed, on: 2026-05-06, "on": 2026-05-07}\n', "`on` is given twice"),
    "not a mapping": ("- report_filed\n", "expected a mapping"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    text, message = BAD_INPUT[case]
    code, out, err = run_cli(capsys, str(write(tmp_path, text)))
    assert code == 2
    assert out == ""
    assert err.startswith("courtpath: error: ")
    assert message in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "missing.yaml: no such file"),
        (["."], ": not a file"),
        (["events.json"], "not valid JSON"),
        (["events.yaml", "--today", "2026-02-30"], "--today: "),
        (["events.yaml", "--today", "yesterday"], "--today: "),
        (["events.yaml", "--lang", "de"], "--lang"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, REPORT_FILED)
    write(tmp_path, '[{"code": "report_filed", "on": ', "events.json")
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.splitlines()) == 1


def test_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_bytes(b"\xff\xfe- {code: report_filed}")
    code, _, err = run_cli(capsys, str(path))
    assert (code, err.strip()) == (2, f"courtpath: error: {path}: not UTF-8 text")


def test_subprocess_bad_input_has_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "- {code: report_lost, on: 2026-05-06}\n")
    result = subprocess.run(
        [sys.executable, "-m", "courtpath.cli.main", "procedure", "deadlines", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_today_defaults_to_moscow_today(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from courtpath.cli import procedure
    from courtpath.law.moments import MOSCOW

    monkeypatch.setattr(procedure, "now_in_moscow", lambda: dt.datetime(2026, 5, 13, 0, 30, tzinfo=MOSCOW))
    data = deadlines_json(capsys, write(tmp_path, REPORT_FILED))
    assert data["today"] == "2026-05-13"
    assert data["deadlines"][0]["passed"] is True


def test_days_are_taken_as_the_case_page_takes_them(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """01.03.2026 or 2026-03-01, as the case page's form takes them."""
    for day in ("06.05.2026", "2026-05-06"):
        path = write(tmp_path, f'- {{code: report_filed, "on": "{day}"}}\n')
        [deadline] = deadlines_json(capsys, path, "--today", "2026-05-08")["deadlines"]
        assert (deadline["event_on"], deadline["last_day"]) == ("2026-05-06", "2026-05-12")
