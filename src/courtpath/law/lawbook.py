"""The validated law data in memory, with the lookups the engine needs (edition on a date, citations)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from courtpath.i18n import gettext
from courtpath.law.periods import Period
from courtpath.law.procedure_schema import CalendarSpec, ProcedureSpec
from courtpath.law.schema import (
    ArticleSpec,
    ContextsSpec,
    EditionSpec,
    GeneralSpec,
    OpenQuestion,
    PartSpec,
    PeriodSpec,
    RuleRef,
    SourceSpec,
)

# An article of the Criminal Code is written as its number ("337", "78.1, 80.2; …"); any other act names itself
# ("76-ФЗ ст. 28.5", "УПК 389.4") and gets no prefix.
_CODE_ARTICLE = re.compile(r"\d+(?:\.\d+)*(?=$|[,;\s])")

# The project's notes on the open questions, one section per question headed by its id (docs/law/README.md).
OPEN_QUESTIONS_DOC = "docs/law/open-questions.md"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: article, part, edition and amending act, validity dates, sources."""

    article: str
    part: str
    edition: str | None
    act: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    sources: tuple[str, ...]
    confidence: str
    numbering_confirmed: bool = True

    def label(self, lang: str = "ru") -> str:
        # gettext and str.format rather than Msg: an answer labels many citations
        if _CODE_ARTICLE.match(self.article):
            text = gettext("RF Criminal Code art. {article}", lang).format(article=self.article)
        else:
            text = self.article
        if self.part[:1].isdigit():
            text = gettext("{citation} part {part}", lang).format(citation=text, part=self.part)
        elif self.part:
            text += f" {self.part}"
        if self.act:
            text = gettext("{citation} (as amended by {act})", lang).format(citation=text, act=self.act)
        if not self.numbering_confirmed:
            text = gettext("{citation} [part number unconfirmed]", lang).format(citation=text)
        return text

    def to_dict(self, lang: str = "ru") -> dict[str, object]:
        return {
            "label": self.label(lang),
            "article": self.article,
            "part": self.part,
            "edition": self.edition,
            "act": self.act,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "sources": list(self.sources),
            "confidence": self.confidence,
            "numbering_confirmed": self.numbering_confirmed,
        }


@functools.lru_cache(maxsize=256)
def act_label(number: str, date: dt.date) -> str:
    return f"{number} {date:%d.%m.%Y}"


@dataclass(eq=False)  # compared (and hashed) by identity: the caches of courtpath.law.cache are kept per lawbook
class LawBook:
    articles: dict[str, ArticleSpec]
    general: GeneralSpec
    contexts: ContextsSpec
    sources: dict[str, SourceSpec]
    questions: dict[str, OpenQuestion]
    version: str
    _starts: dict[str, list[dt.date]] = field(default_factory=dict, repr=False)
    _part_citations: dict[tuple[str, str, str], Citation] = field(default_factory=dict, repr=False)
    thresholds: tuple[Period, ...] = ()
    epochs: tuple[dt.date, ...] = ()
    _article_citations: dict[tuple[str, str], Citation] = field(default_factory=dict, repr=False)
    _bands: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict, repr=False)
    # The procedure data (courtpath.law.calendar, courtpath.law.procedure): always loaded by load_lawbook.
    calendar: CalendarSpec | None = None
    procedure: ProcedureSpec | None = None

    def __post_init__(self) -> None:
        overs = {p.duration.over for e in self.articles["337"].editions for p in e.parts if p.duration}
        self.thresholds = tuple(sorted(overs, key=lambda period: period.approx_days))
        self.epochs = tuple(
            sorted({e.valid_from for a in self.articles.values() for e in a.editions} | self.general.dates())
        )
        for number, article in self.articles.items():
            self._starts[number] = [edition.valid_from for edition in article.editions]
            for index, edition in enumerate(article.editions):
                self._article_citations[(number, edition.edition)] = Citation(
                    article=number,
                    part="",
                    edition=edition.edition,
                    act=self.edition_act(edition),
                    valid_from=edition.valid_from,
                    valid_to=edition.valid_to,
                    sources=tuple(edition.sources),
                    confidence=edition.confidence,
                )
                for part in edition.parts:
                    if part.duration is not None:
                        up_to = part.duration.up_to
                        high = self.thresholds.index(up_to) if up_to else len(self.thresholds)
                        self._bands[(number, edition.edition, part.part)] = (
                            self.thresholds.index(part.duration.over) + 1,
                            high,
                        )
                    origin = part_origin(article, index, part)
                    self._part_citations[(number, edition.edition, part.part)] = Citation(
                        article=number,
                        part=part.part,
                        edition=edition.edition,
                        act=act_label(origin.act.number, origin.act.date),
                        valid_from=origin.valid_from,
                        valid_to=edition.valid_to,
                        sources=tuple(part.sources),
                        confidence=part.confidence,
                        numbering_confirmed=part.numbering_confirmed,
                    )

    def part_act(self, number: str, edition: EditionSpec, part: PartSpec) -> str:
        """The act that gave the part its present content (not the act of the edition, which may have changed
        other parts only)."""
        return self._part_citations[(number, edition.edition, part.part)].act or self.edition_act(edition)

    def part_bands(self, number: str, edition: EditionSpec, part: PartSpec) -> tuple[int, int] | None:
        """The duration bands a part covers (inclusive): 1 = over the first threshold…; None = any duration."""
        return self._bands.get((number, edition.edition, part.part))

    def edition_act(self, edition: EditionSpec) -> str:
        return act_label(edition.act.number, edition.act.date)

    def article(self, number: str) -> ArticleSpec:
        return self.articles[number]

    def edition_on(self, number: str, day: dt.date) -> EditionSpec | None:
        """The edition of an article in force on `day` (None before the Code entered into force)."""
        index = bisect.bisect_right(self._starts[number], day) - 1
        return self.articles[number].editions[index] if index >= 0 else None

    def edition_by_id(self, number: str, edition_id: str) -> EditionSpec:
        for edition in self.articles[number].editions:
            if edition.edition == edition_id:
                return edition
        raise KeyError(f"article {number} has no edition {edition_id!r}")

    def part_spec(self, number: str, edition_id: str, part: str) -> PartSpec:
        return next(p for p in self.edition_by_id(number, edition_id).parts if p.part == part)

    def article_citation(self, number: str, edition: EditionSpec) -> Citation:
        """The article as a whole in one edition (its definition, bands and context clause)."""
        return self._article_citations[(number, edition.edition)]

    def period_citation(self, period: PeriodSpec) -> Citation:
        """A period of mobilization or martial law (the decree that declared it)."""
        return Citation(
            period.act.number, "", None, None, period.start.date(), None, tuple(period.sources), period.confidence
        )

    def part_citation(self, number: str, edition: EditionSpec, part: PartSpec) -> Citation:
        return self._part_citations[(number, edition.edition, part.part)]

    def rule_citation(self, rule: RuleRef, act: tuple[str, dt.date] | None = None) -> Citation:
        """A General Part rule (made when a Decider is made: once per lawbook)."""
        return Citation(
            article=rule.article,
            part=rule.part,
            edition=None,
            act=act_label(*act) if act else None,
            valid_from=None,
            valid_to=None,
            sources=tuple(rule.sources),
            confidence=rule.confidence,
        )

    def question_ref(self, qid: str) -> str:
        """Where a lawyer reads the notes on an open question: its section in docs/law, the id being the anchor."""
        if qid not in self.questions:
            raise KeyError(qid)
        return f"{OPEN_QUESTIONS_DOC}#{qid}"

    def epoch_of(self, day: dt.date) -> int:
        """Index of the law epoch containing `day`: a stretch of time in which neither an article nor a dated General
        Part rule changed."""
        return bisect.bisect_right(self.epochs, day) - 1

    def epoch_start(self, index: int) -> dt.date:
        return self.epochs[max(index, 0)]


def _content(part: PartSpec) -> tuple[object, ...]:
    """What a part says in law: who, how long, in which context, with what, and its sanction."""
    return (tuple(part.subjects), part.duration, part.context, tuple(part.requires), tuple(part.penalties))


def part_origin(article: ArticleSpec, index: int, part: PartSpec) -> EditionSpec:
    """The earliest edition, going back without a break from editions[index], whose part of the same number says
    the same: its act last changed the part."""
    origin = article.editions[index]
    for earlier in reversed(article.editions[:index]):
        same = next((p for p in earlier.parts if p.part == part.part), None)
        if same is None or _content(same) != _content(part):
            break
        origin = earlier
    return origin
