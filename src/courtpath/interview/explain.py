"""The plain-language result: what the engine's assessment means, in the person's language, with citations.

Every legal fact here (article, part, penalty range, dates, warnings, open questions, rule summaries) comes from
`courtpath.law.engine.assess` or from the law data; the interview definition supplies only the wording around them
and the explanatory sections a lawyer wrote. The same Explanation feeds the web page, the PDF and the terminal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from courtpath.i18n import format_moment, npgettext
from courtpath.interview.answers import Answers, display
from courtpath.interview.definition import Interview, Section
from courtpath.interview.navigation import visible_steps
from courtpath.law.engine import assess
from courtpath.law.facts import Indicator
from courtpath.law.lawbook import Citation, LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.result import Assessment, Qualification
from courtpath.law.vocabulary import PENALTIES

WARNING_SEVERITIES = ("risk", "warning", "info")


@dataclass(frozen=True)
class Paragraph:
    text: str
    citations: tuple[str, ...] = ()
    emphasis: bool = False  # a risk, shown prominently


@dataclass(frozen=True)
class Block:
    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class AnswerLine:
    step: str
    question: str
    answer: str


@dataclass(frozen=True)
class Explanation:
    lang: str
    title: str
    blocks: tuple[Block, ...]
    answers: tuple[AnswerLine, ...]
    answers_title: str
    disclaimer: str
    versions: str

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def text(self) -> str:
        """Everything as plain text (the terminal and tests read it)."""
        lines = [self.title, ""]
        for block in self.blocks:
            lines.append(block.title)
            for paragraph in block.paragraphs:
                cited = f" [{'; '.join(paragraph.citations)}]" if paragraph.citations else ""
                lines.append(f"- {paragraph.text}{cited}")
            lines.append("")
        lines.append(self.answers_title)
        lines.extend(f"- {line.question} {line.answer}" for line in self.answers)
        lines += ["", self.disclaimer, self.versions]
        return "\n".join(lines)


def duration_text(months: int, lang: str) -> str:
    """A term after "from / up to / more than": 12 → "1 года" / "1 year"; 30 → "2 лет 6 месяцев" / "2 years 6 months".

    Russian takes the genitive here (от 2 месяцев до 7 лет, до 1 года): the context of the plural messages."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(npgettext("term after from, up to", "{n} year", "{n} years", years, lang).format(n=years))
    if rest or not years:
        parts.append(npgettext("term after from, up to", "{n} month", "{n} months", rest, lang).format(n=rest))
    return " ".join(parts)


def penalties_text(interview: Interview, qualification: Qualification, lang: str) -> str:
    """The penalties the court may impose on him (those it may not are left out: see no_real_term)."""
    texts = []
    for penalty in qualification.penalties:
        if penalty.available == "no":
            continue
        kind = PENALTIES.name(penalty.type).render(lang)
        maximum = duration_text(penalty.max_months, lang)
        if penalty.min_months:
            texts.append(
                interview.text("range", lang, type=kind, min=duration_text(penalty.min_months, lang), max=maximum)
            )
        else:
            texts.append(interview.text("up_to", lang, type=kind, max=maximum))
    return interview.text("or", lang).join(texts)


def _labels(citations: tuple[Citation, ...] | list[Citation], lang: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.label(lang) for c in citations))


def qualification_paragraphs(interview: Interview, assessment: Assessment, lang: str) -> list[Paragraph]:
    paragraphs = []
    for q in assessment.qualifications:
        key = "qualification_alternative" if q.kind == "desertion" else "qualification_primary"
        text = interview.text(
            key,
            lang,
            article=q.citations[0].label(lang),
            title=q.title.get(lang),
            penalties=penalties_text(interview, q, lang),
        )
        extra = [interview.text("suspended_possible" if q.suspended_possible else "suspended_impossible", lang)]
        imprisonment = q.imprisonment
        if imprisonment is not None and imprisonment.available == "no":  # only art. 56 part 1 takes it away
            extra.append(interview.text("no_real_term", lang))
        if q.cap_months is not None and q.primary:
            extra.append(interview.text("cap", lang, cap=duration_text(int(q.cap_months), lang)))
        paragraphs.append(
            Paragraph(" ".join([text, *extra]), _labels(q.citations, lang), emphasis=q.kind == "desertion")
        )
    if not paragraphs:
        outcome = "unresolved" if assessment.decision.unresolved else "no_qualification"
        paragraphs.append(Paragraph(interview.text(outcome, lang)))
    return paragraphs


def key_date_paragraphs(interview: Interview, assessment: Assessment, lang: str) -> list[Paragraph]:
    return [
        Paragraph(
            f"{format_moment(k.at, lang)} ({interview.text('date_passed' if k.passed else 'date_ahead', lang)}): "
            f"{k.message.render(lang)}",
            _labels(k.citations, lang),
        )
        for k in assessment.key_dates
    ]


def desertion_for(assessment: Assessment) -> Qualification | None:
    """The art. 338 qualification of these facts: the engine's own, or the one it finds when an indicator of
    intent to desert is added (what a court would apply if it saw that intent)."""
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
    if section.desertion_range:
        desertion = desertion_for(assessment)
        if desertion is not None:
            text = interview.text(
                "desertion_if_seen",
                lang,
                article=desertion.citations[0].label(lang),
                penalties=penalties_text(interview, desertion, lang),
            )
            paragraphs.append(Paragraph(text, _labels(desertion.citations[:1], lang)))
    if section.law_rule is not None:
        entry = getattr(law.general, section.law_rule)
        act = getattr(entry, "act", None)
        citation = law.rule_citation(entry.rule, (act.number, act.date) if act is not None else None)
        paragraphs.append(Paragraph(entry.rule.summary.get(lang), (citation.label(lang),)))
    return Block(section.id, section.title.get(lang), tuple(paragraphs))


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
    blocks = [
        Block(
            "qualification",
            interview.text("qualification_title", lang),
            tuple(qualification_paragraphs(interview, assessment, lang)),
        )
    ]
    dates = key_date_paragraphs(interview, assessment, lang)
    if dates:
        blocks.append(Block("key_dates", interview.text("key_dates_title", lang), tuple(dates)))
    warnings = [
        Paragraph(f.message.render(lang), _labels(f.citations, lang), emphasis=f.severity == "risk")
        for severity in WARNING_SEVERITIES
        for f in assessment.flags
        if f.severity == severity
    ]
    if warnings:
        blocks.append(Block("warnings", interview.text("warnings_title", lang), tuple(warnings)))
    for section in interview.explanation:
        block = section_block(interview, section, assessment, law, lang)
        if block is not None:
            blocks.append(block)
    # The question in plain words, without the flag's pointer to the lawyers' notes in docs/law: the person and the
    # family cannot open those, and a file name means nothing to them.
    questions = [
        Paragraph(law.questions[f.code.partition(":")[2]].get(lang))
        for f in assessment.flags
        if f.severity == "open_question"
    ]
    if questions:
        intro = Paragraph(interview.text("uncertain_intro", lang))
        blocks.append(Block("uncertain", interview.text("uncertain_title", lang), (intro, *questions)))
    as_of = assessment.facts.as_of or dt.datetime.now(tz=assessment.facts.left.tzinfo)
    assumptions = (
        Paragraph(interview.text("assumption_now", lang, now=format_moment(as_of, lang))),
        Paragraph(interview.text("assumption_context", lang)),
        Paragraph(interview.text("assumption_aggravating", lang)),
    )
    blocks.append(Block("assumptions", interview.text("assumptions_title", lang), assumptions))
    return Explanation(
        lang=lang,
        title=interview.text("result_title", lang),
        blocks=tuple(blocks),
        answers=answer_lines(interview, answers, lang),
        answers_title=interview.text("answers_title", lang),
        disclaimer=interview.text("disclaimer", lang),
        versions=interview.text("versions", lang, engine=assessment.engine_version, law=assessment.law_version),
    )
