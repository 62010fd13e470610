"""Which step comes next or before, given the answers so far, and "question k; at most n in all"."""

from __future__ import annotations

from courtpath.interview.answers import Answers
from courtpath.interview.definition import Interview, Step


def is_visible(interview: Interview, step: Step, answers: Answers, *, unknown: bool = False) -> bool:
    """Does `step` apply? Its conditions name earlier steps; a condition on an unanswered (or itself hidden) step
    counts as `unknown` (False to decide what to ask, True to estimate how many questions may remain)."""
    for condition in step.when:
        if not is_visible(interview, interview.step(condition.step), answers, unknown=unknown):
            return False
        value = answers.get(condition.step)
        if value is None:
            if unknown:
                continue
            return False
        if not set(value.split(",")) & set(condition.in_):
            return False
    return True


def visible_steps(interview: Interview, answers: Answers) -> list[Step]:
    return [step for step in interview.steps if is_visible(interview, step, answers)]


def relevant_answers(interview: Interview, answers: Answers) -> Answers:
    """The answers of the steps that apply: an answer to a step that no longer applies stays in the form (so it
    comes back if the person changes their mind) but counts for nothing."""
    return {s.id: answers[s.id] for s in visible_steps(interview, answers) if s.id in answers}


def first_unanswered(interview: Interview, answers: Answers) -> Step | None:
    return next((s for s in visible_steps(interview, answers) if s.id not in answers), None)


def next_step(interview: Interview, answers: Answers, current: str | None, *, review: bool = False) -> Step | None:
    """The step after `current`, or None when every step that applies is answered (the result).

    Going forward walks through the steps in order, their earlier answers filled in. After a change made from the
    result page (`review`), it goes straight to the first question still open, or back to the result.
    """
    missing = first_unanswered(interview, answers)
    if review or current is None:
        return missing
    steps = visible_steps(interview, answers)
    ids = [s.id for s in steps]
    if current not in ids:
        return missing
    if missing is not None and ids.index(missing.id) < ids.index(current):
        return missing  # a step before this one is open (a tampered form): ask it first
    later = steps[ids.index(current) + 1 :]
    return later[0] if later else missing


def previous_step(interview: Interview, answers: Answers, current: str | None) -> Step | None:
    """The step that applies before `current` (None at the first); from the result (None), the last step."""
    steps = visible_steps(interview, answers)
    ids = [s.id for s in steps]
    if current is None:
        return steps[-1] if steps else None
    if current not in ids:
        return first_unanswered(interview, answers) or (steps[0] if steps else None)
    index = ids.index(current)
    return steps[index - 1] if index > 0 else None


def progress(interview: Interview, answers: Answers, current: str) -> tuple[int, int]:
    """(k, n) for "question k; at most n in all". k is the place of `current` among the steps that may apply, so it
    grows by one with each step forward. n is the same on every page: the number of steps on the longest path
    (every condition met). A count of the steps that may still apply would shrink as answers rule steps out, and the
    person would read "4 of 12" and then "5 of 10"."""
    possible = [s.id for s in interview.steps if is_visible(interview, s, answers, unknown=True)]
    if current not in possible:
        possible.append(current)
        possible.sort(key=[s.id for s in interview.steps].index)
    return possible.index(current) + 1, longest_path(interview)


def longest_path(interview: Interview) -> int:
    """How many steps a person answers at most: those that apply when every condition may hold."""
    return sum(1 for s in interview.steps if is_visible(interview, s, {}, unknown=True))
