"""The plain-language result: what the engine's assessment means, in the person's language, with citations.

Every legal fact here (article, part, penalty range, dates, warnings, open questions, rule summaries) comes from
`courtpath.law.engine.assess` or from the law data; the interview definition supplies only the wording around them
and the explanatory sections a lawyer wrote. The same Explanation feeds the web page, the PDF and the terminal.

It is written for a frightened relative on a phone, in this order: what to do now (the deadline that matters, the
next step, who can help), the short answer (article, part, range in years, whether a real prison term is possible),
then the details, folded on the page, each with one block of citations written the Russian way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from courtpath.i18n import format_date, format_moment, ngettext, npgettext
from courtpath.interview.answers import Answers, display
from courtpath.interview.citations import public_citation
from courtpath.interview.definition import Interview, Section
from courtpath.interview.navigation import visible_steps
from courtpath.interview.typography import typeset
from courtpath.law.date_status import LIMITATION, DateStatus, date_status, deadline
from courtpath.law.engine import assess
from courtpath.law.facts import Indicator
from courtpath.law.items import KeyDate
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.result import Assessment, Qualification
from courtpath.law.vocabulary import PENALTIES

WARNING_SEVERITIES = ("risk", "warning", "info")
# Flags the result says in its own words elsewhere: desertion, discharge and the suspension of the case in their
# sections (tied to the same flags in interview.yaml), the boundary within 24 hours as the deadline of "what to do
# now" and in the key dates.
SAID_ELSEWHERE = frozenset(
    {"desertion_risk", "suspended_return_to_front", "case_suspension_for_service", "borderline_duration"}
)
NBSP = "\u00a0"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Block:
    """A folded section of the details: its paragraphs, then one line of citations for all of them."""

    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerLine:
    step: str
    question: str
    answer: str


@dataclass(frozen=True)
class Explanation:
    lang: str
    title: str
    now_title: str
    now: tuple[str, ...]  # what to do now, in plain words: the deadline that matters and the next step
    who_can_help: str  # the generic line under "what to do now" (the web page renders its own include)
    short_title: str
    short: tuple[str, ...]  # the short answer: article, part and range; whether a real prison term is possible
    details_title: str
    blocks: tuple[Block, ...]  # the details, folded
    answers: tuple[AnswerLine, ...]
    answers_title: str
    disclaimer: str
    versions: str

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def text(self) -> str:
        """Everything as plain text (the terminal and tests read it)."""
        lines = [self.title, "", self.now_title]
        lines += [f"- {line}" for line in (*self.now, self.who_can_help)]
        lines += ["", self.short_title]
        lines += [f"- {line}" for line in self.short]
        lines += ["", self.details_title, ""]
        for block in self.blocks:
            lines.append(block.title)
            lines.extend(f"- {paragraph.text}" for paragraph in block.paragraphs)
            if block.citations:
                lines.append(f"  [{'; '.join(block.citations)}]")
            lines.append("")
        lines.append(self.answers_title)
        lines.extend(f"- {line.question} {line.answer}" for line in self.answers)
        lines += ["", self.disclaimer, self.versions]
        return "\n".join(lines)


def duration_text(months: int, lang: str) -> str:
    """A term after "from / up to / more than": 12 → "1 года" / "1 year"; 30 → "2 лет 6 месяцев" / "2 years 6 months".

    Russian takes the genitive here (от 2 месяцев до 7 лет, до 1 года): the context of the plural messages; a number
    and its unit are joined by a non-breaking space."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(npgettext("term after from, up to", "{n} year", "{n} years", years, lang).format(n=years))
    if rest or not years:
        parts.append(npgettext("term after from, up to", "{n} month", "{n} months", rest, lang).format(n=rest))
    return " ".join(_nbsp(part, lang) for part in parts)


def moment_text(moment: dt.datetime, lang: str) -> str:
    """A moment as the result writes it: "17.12.2026 08:00 МСК", the zone kept with the time."""
    text = format_moment(moment, lang)
    return text.replace(" МСК", f"{NBSP}МСК") if lang == "ru" else text


def _nbsp(text: str, lang: str) -> str:
    """A number and its unit stay on one line in Russian (5 лет, 10 суток)."""
    if lang != "ru":
        return text
    number, space, unit = text.partition(" ")
    return f"{number}{NBSP}{unit}" if space else text


def range_ends(min_months: int, max_months: int, lang: str) -> tuple[str, str]:
    """The two ends of a range, the unit written once when both ends share it: "от 5 до 15 лет", "от 1 до 6 месяцев",
    but "от 2 месяцев до 7 лет"."""
    if min_months % 12 == 0 and max_months % 12 == 0:
        low = str(min_months // 12)
    elif max_months < 12:
        low = str(min_months)
    else:
        low = duration_text(min_months, lang)
    return low, duration_text(max_months, lang)


def penalties_text(interview: Interview, qualification: Qualification, lang: str) -> str:
    """The penalties the court may impose on him (those it may not are left out: see no_real_term)."""
    texts = []
    for penalty in qualification.penalties:
        if penalty.available == "no":
            continue
        kind = PENALTIES.name(penalty.type).render(lang)
        if penalty.min_months:
            low, high = range_ends(penalty.min_months, penalty.max_months, lang)
            texts.append(interview.text("range", lang, type=kind, min=low, max=high))
        else:
            texts.append(interview.text("up_to", lang, type=kind, max=duration_text(penalty.max_months, lang)))
    return interview.text("or", lang).join(texts)


def _cited(citations: tuple[Citation, ...] | list[Citation], lang: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(public_citation(c, lang) for c in citations))


def article_text(interview: Interview, qualification: Qualification, lang: str) -> str:
    """The article and part, said once with its doubt when the law data has not confirmed the part's number."""
    citation = qualification.citations[0]
    article = public_citation(citation, lang)
    if citation.numbering_confirmed:
        return article
    return interview.text("part_number_provisional", lang, article=article)


# -- what to do now ----------------------------------------------------------------------------------------------
def now_lines(interview: Interview, assessment: Assessment, lang: str) -> tuple[str, ...]:
    """The deadline that matters (if any) and the next step, in plain words: from the key dates and the engine's
    flags, never a rule of its own."""
    facts = assessment.facts
    lines = []
    if facts.returned is not None:
        lines.append(interview.text("now_returned", lang, day=format_date(facts.returned.date(), lang)))
        lines.append(interview.text("now_next_lawyer", lang))
    else:
        due = deadline(assessment.key_dates, facts)
        if due is not None:
            lines.append(interview.text(f"now_deadline_{due.code}", lang, at=moment_text(due.at, lang)))
        else:
            lines.append(interview.text("now_no_deadline", lang))
        lines.append(interview.text("now_next_report", lang))
        if "desertion_risk" not in assessment.flag_codes():
            lines.append(interview.text("now_avoid", lang))
    if "desertion_risk" in assessment.flag_codes():
        lines.append(interview.text("now_tell_lawyer", lang))
    return tuple(lines)


# -- the short answer ------------------------------------------------------------------------------------------
def real_term_text(interview: Interview, qualification: Qualification, lang: str) -> str:
    """Whether a real prison term is possible, from the engine's analysis (art. 56 part 1, art. 73)."""
    imprisonment = qualification.imprisonment
    if imprisonment is None:
        return interview.text("no_prison_in_sanction", lang)
    if imprisonment.available == "no":  # only art. 56 part 1 takes it away
        return interview.text("no_real_term", lang)
    if qualification.suspended_possible:
        return interview.text("suspended_possible", lang)
    return interview.text("suspended_impossible", lang)


def qualification_lines(interview: Interview, assessment: Assessment, lang: str) -> list[str]:
    """The short answer: each qualification the engine finds, except desertion (its own section says it once)."""
    lines = []
    shown = [q for q in assessment.qualifications if q.kind != "desertion"]
    for number, q in enumerate(shown):
        key = "qualification_primary" if number == 0 else "qualification_other"
        text = interview.text(
            key,
            lang,
            article=article_text(interview, q, lang),
            title=q.title.get(lang),
            penalties=penalties_text(interview, q, lang),
        )
        extra = [real_term_text(interview, q, lang)]
        if q.cap_months is not None and q.primary:
            extra.append(interview.text("cap", lang, cap=duration_text(int(q.cap_months), lang)))
        lines.append(" ".join([text, *extra]))
    if not lines and not assessment.qualifications:
        lines.append(interview.text("unresolved" if assessment.decision.unresolved else "no_qualification", lang))
    elif not lines:  # only desertion: the engine saw intent to desert in the answers
        lines.append(interview.text("see_desertion", lang))
    return lines


# -- the details -------------------------------------------------------------------------------------------------
def key_date_text(interview: Interview, key_date: KeyDate, assessment: Assessment, lang: str) -> str:
    """One key date in plain words: when, whether it passed (judged against now and the end of the absence), what
    it means."""
    facts = assessment.facts
    status = date_status(key_date, facts)
    at = moment_text(key_date.at, lang)
    if status is DateStatus.NOT_REACHED:  # a boundary after the return: not a warning
        return interview.text("date_not_reached", lang, at=at, returned=format_date(facts.end.date(), lang))
    when = interview.text("date_passed" if status is DateStatus.PASSED else "date_ahead", lang, at=at)
    if key_date.code == LIMITATION:
        primary = assessment.primary
        years = primary.limitation_years if primary is not None else 0
        term = ngettext("{n} year", "{n} years", years, lang).format(n=years)
        return interview.text("date_limitation_expires", lang, when=when, term=_nbsp(term, lang))
    return interview.text(f"date_{key_date.code}", lang, when=when)


def key_dates_block(interview: Interview, assessment: Assessment, lang: str) -> Block | None:
    dates = assessment.key_dates
    if not dates:
        return None
    paragraphs = tuple(Paragraph(key_date_text(interview, k, assessment, lang)) for k in dates)
    citations = _cited([c for k in dates for c in k.citations], lang)
    return Block("key_dates", interview.text("key_dates_title", lang), paragraphs, citations)


def desertion_for(assessment: Assessment) -> Qualification | None:
    """The art. 338 qualification of these facts: the engine's own, or the one it finds when an indicator of
    intent to desert is added (what the investigators would charge if they saw that intent)."""
    found = next((q for q in assessment.qualifications if q.kind == "desertion"), None)
    if found is not None:
        return found
    hypothetical = dataclasses.replace(assessment.facts, indicators=frozenset({Indicator.OTHER}))
    return next((q for q in assess(hypothetical).qualifications if q.kind == "desertion"), None)


def section_block(
    interview: Interview, section: Section, assessment: Assessment, law: LawBook, lang: str
) -> Block | None:
    codes = set(assessment.flag_codes())
    if section.when_flags and not codes & set(section.when_flags):
        return None
    paragraphs = [Paragraph(section.text.get(lang))]
    citations: list[str] = []
    if section.desertion_range:
        # The range of art. 338 only when something in the answers points to it: without an indicator it would
        # frighten for nothing (the section says what the investigators must prove).
        seen = bool(assessment.facts.indicators) or any(q.kind == "desertion" for q in assessment.qualifications)
        desertion = desertion_for(assessment) if seen else None
        if desertion is not None:
            text = interview.text(
                "desertion_if_seen",
                lang,
                article=article_text(interview, desertion, lang),
                penalties=penalties_text(interview, desertion, lang),
            )
            paragraphs.append(Paragraph(text))
            citations += _cited(desertion.citations[:1], lang)
    if section.law_rule is not None:
        # The rule's citation only: its summary is written for lawyers, and the section says the same plainly.
        entry = getattr(law.general, section.law_rule)
        act = getattr(entry, "act", None)
        citation = law.rule_citation(entry.rule, (act.number, act.date) if act is not None else None)
        citations.append(public_citation(citation, lang))
    return Block(section.id, section.title.get(lang), tuple(paragraphs), tuple(dict.fromkeys(citations)))


def warnings_block(interview: Interview, assessment: Assessment, lang: str) -> Block | None:
    flags = [
        f
        for severity in WARNING_SEVERITIES
        for f in assessment.flags
        if f.severity == severity and f.code not in SAID_ELSEWHERE
    ]
    if not flags:
        return None
    paragraphs = tuple(Paragraph(f.message.render(lang)) for f in flags)
    citations = _cited([c for f in flags for c in f.citations], lang)
    return Block("warnings", interview.text("warnings_title", lang), paragraphs, citations)


def uncertain_block(interview: Interview, assessment: Assessment, lang: str) -> Block | None:
    """The open questions these facts touch, each in a plain public sentence (the lawyers' wording and the research
    questions stay out): the family needs to know that a lawyer will check them, not how the sources were read."""
    codes = [f.code.partition(":")[2] for f in assessment.flags if f.severity == "open_question"]
    if not codes:
        return None
    public = [f"uncertain_{code}" for code in codes if f"uncertain_{code}" in interview.texts]
    intro = Paragraph(interview.text("uncertain_intro", lang))
    paragraphs = (intro, *(Paragraph(interview.text(key, lang)) for key in dict.fromkeys(public)))
    return Block("uncertain", interview.text("uncertain_title", lang), paragraphs)


def answer_lines(interview: Interview, answers: Answers, lang: str) -> tuple[AnswerLine, ...]:
    return tuple(
        AnswerLine(step.id, step.question.get(lang), display(step, answers[step.id], interview, lang))
        for step in visible_steps(interview, answers)
        if step.id in answers
    )


def explain(
    interview: Interview, assessment: Assessment, answers: Answers, lang: str, law: LawBook | None = None
) -> Explanation:
    law = law or default_lawbook()
    first = [q for q in assessment.qualifications if q.kind != "desertion"][:1]
    qualification = Block(
        "qualification",
        interview.text("qualification_title", lang),
        (),
        _cited([c for q in first for c in q.citations], lang),
    )
    blocks: list[Block | None] = [
        key_dates_block(interview, assessment, lang),
        *(section_block(interview, s, assessment, law, lang) for s in interview.explanation),
        warnings_block(interview, assessment, lang),
        uncertain_block(interview, assessment, lang),
    ]
    as_of = assessment.facts.as_of or dt.datetime.now(tz=assessment.facts.left.tzinfo)
    assumptions = (
        Paragraph(interview.text("assumption_now", lang, now=moment_text(as_of, lang))),
        Paragraph(interview.text("assumption_context", lang)),
        Paragraph(interview.text("assumption_aggravating", lang)),
    )
    blocks.append(Block("assumptions", interview.text("assumptions_title", lang), assumptions))
    if qualification.citations:
        blocks.append(qualification)  # the short answer's citations, at the end of the details
    return _typeset(
        Explanation(
            lang=lang,
            title=interview.text("result_title", lang),
            now_title=interview.text("now_title", lang),
            now=now_lines(interview, assessment, lang),
            who_can_help=interview.text("who_can_help", lang),
            short_title=interview.text("short_title", lang),
            short=tuple(qualification_lines(interview, assessment, lang)),
            details_title=interview.text("details_title", lang),
            blocks=tuple(b for b in blocks if b is not None),
            answers=answer_lines(interview, answers, lang),
            answers_title=interview.text("answers_title", lang),
            disclaimer=interview.text("disclaimer", lang),
            versions=interview.text("versions", lang, engine=assessment.engine_version, law=assessment.law_version),
        )
    )


def _typeset(explanation: Explanation) -> Explanation:
    """Non-breaking spaces in every text of the result (the engine's messages included); the answers stay as
    given."""
    lang = explanation.lang

    def block(b: Block) -> Block:
        paragraphs = tuple(Paragraph(typeset(p.text, lang)) for p in b.paragraphs)
        return dataclasses.replace(b, title=typeset(b.title, lang), paragraphs=paragraphs)

    return dataclasses.replace(
        explanation,
        now=tuple(typeset(line, lang) for line in explanation.now),
        who_can_help=typeset(explanation.who_can_help, lang),
        short=tuple(typeset(line, lang) for line in explanation.short),
        blocks=tuple(block(b) for b in explanation.blocks),
    )
