"""`courtpath interview`: the public self-help interview in a terminal, driven by the same YAML definition.

A thin layer over courtpath.interview: it prompts with Rich, asks again after a bad answer (with the definition's
message), lets the person type "<" to go back without losing answers, and prints the same explanation as the web
page. Nothing is written anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import typer
from rich.console import Console
from rich.markup import escape

from courtpath.interview.answers import AnswerError, Answers, normalise, parse_date
from courtpath.interview.definition import NO, YES, Interview, Step, default_interview
from courtpath.interview.explain import Explanation
from courtpath.interview.facts import FactsProblem, check
from courtpath.interview.navigation import next_step, previous_step, progress
from courtpath.interview.result import outcome
from courtpath.law.facts import MOSCOW

BACK = "<"
Ask = Callable[[str], str]


class GoBack(Exception):
    """The person typed "<"."""


def _numbered(step: Step, interview: Interview, lang: str) -> list[tuple[str, str]]:
    if step.kind == "yes-no":
        return [(YES, interview.text(YES, lang)), (NO, interview.text(NO, lang))]
    return [(o.value, o.label.get(lang)) for o in step.options]


def _pick(text: str, choices: list[tuple[str, str]]) -> str:
    """A number, a value or a label (case-insensitive) to the value; anything else is returned for validation."""
    value = text.strip()
    if value.isdigit() and 1 <= int(value) <= len(choices):
        return choices[int(value) - 1][0]
    for code, label in choices:
        if value.lower() in (code.lower(), label.lower()):
            return code
    return value


def _read(ask: Ask, prompt: str) -> str:
    answer = ask(prompt)
    if answer.strip() == BACK:
        raise GoBack
    return answer


def ask_step(step: Step, interview: Interview, lang: str, ask: Ask, console: Console, previous: str | None) -> str:
    """The raw answer to one step, in the form `normalise` takes."""
    if step.kind in ("choice", "yes-no", "multi-choice"):
        choices = _numbered(step, interview, lang)
        chosen = set(previous.split(",")) if previous else set()
        for number, (code, label) in enumerate(choices, 1):
            mark = " *" if code in chosen else ""
            console.print(f"  {number}. {escape(label)}{mark}", highlight=False)
        if step.kind == "multi-choice":
            text = _read(ask, interview.text("cli_choose_many", lang))
            return ",".join(_pick(part, choices) for part in text.split(",") if part.strip())
        return _pick(_read(ask, interview.text("cli_choose", lang)), choices)
    date_text = _read(ask, interview.text("cli_date", lang))
    parse_date(date_text)  # a wrong date is reported before the time is asked
    if step.kind == "date":
        return date_text
    return f"{date_text.strip()} {_read(ask, interview.text('cli_time', lang)).strip()}".strip()


def run_interview(interview: Interview, lang: str, ask: Ask, console: Console, now: dt.datetime) -> Explanation:
    """Ask every step that applies, then return the explanation. Bad answers and facts the engine refuses are
    asked again at the step concerned."""
    console.print(escape(interview.text("cli_intro", lang)), highlight=False)
    answers: Answers = {}
    current: Step | None = next_step(interview, answers, None)
    error: str | None = None
    while True:
        while current is not None:
            k, n = progress(interview, answers, current.id)
            console.print()
            console.print(f"[dim]{escape(interview.text('step_of', lang, k=k, n=n))}[/dim]")
            console.print(f"[bold]{escape(current.question.get(lang))}[/bold]", highlight=False)
            if current.help is not None:
                console.print(f"[dim]{escape(current.help.get(lang))}[/dim]", highlight=False)
            if error:
                console.print(f"[red]{escape(error)}[/red]", highlight=False)
                error = None
            try:
                raw = ask_step(current, interview, lang, ask, console, answers.get(current.id))
                raw_value: str | list[str] = raw.split(",") if current.kind == "multi-choice" else raw
                answers[current.id] = normalise(current, raw_value, interview, now)
            except GoBack:
                back = previous_step(interview, answers, current.id)
                if back is None:
                    error = interview.text("cli_first", lang)
                else:
                    current = back
                continue
            except AnswerError as bad:
                error = bad.render(interview, lang)
                continue
            problem = check(interview, answers, now)
            if problem is not None and problem.step == current.id:
                del answers[current.id]
                error = problem.error.render(interview, lang)
                continue
            current = next_step(interview, answers, current.id)
        try:
            return outcome(interview, answers, now, lang)[1]
        except FactsProblem as problem:
            current = interview.step(problem.step)
            error = problem.error.render(interview, lang)


def print_explanation(explanation: Explanation, console: Console) -> None:
    console.print()
    console.rule(f"[bold]{escape(explanation.title)}[/bold]")
    console.print()
    console.print(f"[bold]{escape(explanation.now_title)}[/bold]", highlight=False)
    for line in (*explanation.now, explanation.who_can_help):
        console.print(f"• {escape(line)}", highlight=False)
    console.print()
    console.print(f"[bold]{escape(explanation.short_title)}[/bold]", highlight=False)
    for line in explanation.short:
        console.print(f"• {escape(line)}", highlight=False)
    console.print()
    console.rule(escape(explanation.details_title))
    for block in explanation.blocks:
        console.print()
        console.print(f"[bold]{escape(block.title)}[/bold]", highlight=False)
        for paragraph in block.paragraphs:
            console.print(f"• {escape(paragraph.text)}", highlight=False)
        if block.citations:
            console.print(f"  [dim]{escape('; '.join(block.citations))}[/dim]", highlight=False)
    console.print()
    console.print(f"[bold]{escape(explanation.answers_title)}[/bold]", highlight=False)
    for line in explanation.answers:
        console.print(f"• {escape(line.question)} [bold]{escape(line.answer)}[/bold]", highlight=False)
    console.print()
    console.print(f"[bold]{escape(explanation.disclaimer)}[/bold]", highlight=False)
    console.print(f"[dim]{escape(explanation.versions)}[/dim]", highlight=False)


def interview_command(lang: str) -> None:
    """Ask the interview's questions in the terminal and print the explanation."""
    console = Console()

    def ask(prompt: str) -> str:
        try:
            return console.input(f"{escape(prompt)}: ")
        except EOFError:
            raise typer.Abort from None

    explanation = run_interview(default_interview(), lang, ask, console, dt.datetime.now(tz=MOSCOW))
    print_explanation(explanation, console)
