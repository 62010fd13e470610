"""The answer: an assessment written in one language, declared once as typed structs.

The command line's `--json`, the API's response, the assessments a case keeps and their OpenAPI schema all come
from AssessmentAnswer: `answer(assessment, lang)` builds it, `answer_json` encodes it (msgspec), `answer_data` gives
plain data, `read_answer` reads stored data back into the same types (deadlines read `key_dates[].at` as a datetime,
not as text), and courtpath.web.api.openapi generates the schema from these classes.

Most of an answer is its decision's (qualifications, most flags, most of the trace), shared by every case with the
same decisive facts: those parts are rendered once per decision and language and kept in courtpath.law.cache,
under the decision's key. The parts that follow from the exact dates are rendered for each answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any, Literal

import msgspec

from courtpath.law import cache
from courtpath.law.decision import Decision
from courtpath.law.facts import AbsenceKind, Context, Facts, Indicator, PriorConviction, Sex, Status
from courtpath.law.items import Flag, KeyDate, Qualification, TraceStep
from courtpath.law.lawbook import Citation
from courtpath.law.result import Assessment
from courtpath.law.schema import ArticleKind, Confidence, Gravity, PenaltyType, Regime

Moment = Annotated[dt.datetime, msgspec.Meta(extra_json_schema={"format": "date-time"})]
Band = Literal["none", "A", "B", "C"]
Availability = Literal["yes", "no", "conditional"]
RecidivismCode = Literal["none", "unknown", "simple", "dangerous", "especially_dangerous"]
AssessmentOutcome = Literal["qualified", "none", "unresolved"]
Basis = Literal["act_time", "later_edition", "earlier_edition", "retroactive", "hypothetical"]
Severity = Literal["risk", "warning", "info", "open_question"]
KeyDateCode = Literal[
    "criminal_liability_from", "band_over_10_days_from", "band_over_1_month_from", "limitation_expires"
]


class Answer(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    """Base of every part: frozen; unknown fields in stored data are ignored (an older or newer engine wrote it)."""


class CitationAnswer(Answer):
    """Where a rule comes from: article, part, edition and amending act, validity, sources and confidence."""

    label: str
    article: str
    part: str
    edition: str | None
    act: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    sources: list[str]
    confidence: Confidence
    numbering_confirmed: bool


class PenaltyAnswer(Answer):
    """A penalty of the part, in months; `min_from_general_part` when the part gives no minimum of its own.

    `available`: whether the court may impose it on this person (`conditional`: only if a fact the engine does not
    know holds), with `reason` when not `yes`. The range stays, so a reader sees what the part says."""

    type: PenaltyType
    min_months: int
    max_months: int
    min_from_general_part: bool
    available: Availability = "yes"  # answers stored before engine 0.2.0 have no field: every penalty was offered
    reason: str | None = None


class QualificationAnswer(Answer):
    """An article and part that fits the facts, in the edition applied, with what follows from it."""

    article: str
    part: str
    kind: ArticleKind
    primary: bool
    edition: str
    edition_act: str
    basis: Basis
    title: str
    summary: str
    penalties: list[PenaltyAnswer]
    gravity: Gravity
    limitation_years: int
    suspended_possible: bool
    colony_regime: Regime | None
    cap_months: int | float | None
    exemption_possible: bool
    numbering_confirmed: bool
    citations: list[CitationAnswer]
    recidivism: RecidivismCode = "none"  # art. 18 (absent before engine 0.2.0)
    recidivism_min_months: int | float | None = None  # art. 68 part 2: the least term with recidivism


class KeyDateAnswer(Answer):
    """A moment that changes the case: liability begins, a band boundary, the limitation period ends."""

    code: KeyDateCode
    at: Moment
    passed: bool
    message: str
    citations: list[CitationAnswer]


class FlagAnswer(Answer):
    """A risk, a warning, a note or an open legal question (code `open_question:<id>`)."""

    code: str
    severity: Severity
    message: str
    citations: list[CitationAnswer]


class TraceAnswer(Answer):
    """One step of the reasoning, with the rule it applied."""

    step: str
    message: str
    citations: list[CitationAnswer]


class FactsAnswer(Answer):
    """The facts as assessed: moments in Moscow time, `as_of` filled in with the moment of assessment."""

    status: Status
    left: Moment
    returned: Moment | None
    as_of: Moment | None
    absence_kind: AbsenceKind
    context: Context
    indicators: list[Indicator]
    weapon: bool
    group: bool
    first_offence: bool
    grave_circumstances: bool
    surrendered: bool
    aggravating: bool
    released_80_2: bool
    law_on: dt.date | None
    # Added with the sentencing rules (engine 0.2.0); absent from answers stored before, hence the defaults.
    sex: Sex = Sex.MALE
    on_probation: bool = False
    prior_conviction: PriorConviction = PriorConviction.NONE
    prior_imprisonment: bool = False


class AbsenceAnswer(Answer):
    """The absence: open or ended, its end (or the moment of assessment), its length and duration band."""

    open: bool
    end: Moment
    duration_hours: float
    band: Band
    special_context: bool
    context_basis: Context


class AssessmentAnswer(Answer):
    """The engine's assessment of one absence, its texts in one language."""

    engine_version: str
    law_data_version: str
    facts: FactsAnswer
    absence: AbsenceAnswer
    qualifications: list[QualificationAnswer]
    key_dates: list[KeyDateAnswer]
    flags: list[FlagAnswer]
    trace: list[TraceAnswer]
    # qualified: some part applies; none: no part applies; unresolved: whether one applies is an open question.
    outcome: AssessmentOutcome = "qualified"  # absent before engine 0.2.0


# -- building -----------------------------------------------------------------------------------------------------


def citation_answer(citation: Citation, lang: str) -> CitationAnswer:
    """Kept per (citation, language): most citations are the lawbook's own, met again and again."""
    key = ("citation", citation, lang)
    found = cache.answers.get(key)
    if found is None:
        found = cache.answers.keep(key, _citation_answer(citation, lang))
    return found  # type: ignore[return-value]


def _citation_answer(citation: Citation, lang: str) -> CitationAnswer:
    return CitationAnswer(
        label=citation.label(lang),
        article=citation.article,
        part=citation.part,
        edition=citation.edition,
        act=citation.act,
        valid_from=citation.valid_from,
        valid_to=citation.valid_to,
        sources=list(citation.sources),
        confidence=citation.confidence,  # type: ignore[arg-type]
        numbering_confirmed=citation.numbering_confirmed,
    )


def _cited(citations: tuple[Citation, ...], lang: str) -> list[CitationAnswer]:
    return [citation_answer(c, lang) for c in citations]


def qualification_answer(q: Qualification, lang: str) -> QualificationAnswer:
    cap = q.cap_months
    return QualificationAnswer(
        article=q.article,
        part=q.part,
        kind=q.kind,  # type: ignore[arg-type]
        primary=q.primary,
        edition=q.edition,
        edition_act=q.edition_act,
        basis=q.basis,  # type: ignore[arg-type]
        title=q.title.get(lang),
        summary=q.summary.get(lang),
        penalties=[
            PenaltyAnswer(
                p.type,  # type: ignore[arg-type]
                p.min_months,
                p.max_months,
                p.min_from_general_part,
                p.available,  # type: ignore[arg-type]
                None if p.reason is None else p.reason.render(lang),
            )
            for p in q.penalties
        ],
        gravity=q.gravity,  # type: ignore[arg-type]
        limitation_years=q.limitation_years,
        suspended_possible=q.suspended_possible,
        colony_regime=q.colony_regime,  # type: ignore[arg-type]
        cap_months=_months(cap),
        exemption_possible=q.exemption_possible,
        numbering_confirmed=q.numbering_confirmed,
        citations=_cited(q.citations, lang),
        recidivism=q.recidivism,  # type: ignore[arg-type]
        recidivism_min_months=_months(q.recidivism_min_months),
    )


def _months(months: Fraction | None) -> int | float | None:
    return None if months is None else (int(months) if months.denominator == 1 else round(float(months), 2))


def key_date_answer(k: KeyDate, lang: str) -> KeyDateAnswer:
    return KeyDateAnswer(k.code, k.at, k.passed, k.message.render(lang), _cited(k.citations, lang))  # type: ignore[arg-type]


def flag_answer(f: Flag, lang: str) -> FlagAnswer:
    return FlagAnswer(f.code, f.severity, f.message.render(lang), _cited(f.citations, lang))  # type: ignore[arg-type]


def trace_answer(t: TraceStep, lang: str) -> TraceAnswer:
    return TraceAnswer(t.code, t.message.render(lang), _cited(t.citations, lang))


@dataclass(frozen=True, slots=True)
class _DecisionParts:
    """The rendered parts of one decision in one language, with the decision they were rendered from, typed and
    encoded (answer_json splices the encoded ones in)."""

    decision: Decision
    qualifications: list[QualificationAnswer]
    flags: list[FlagAnswer]
    trace: list[TraceAnswer]
    qualifications_json: msgspec.Raw
    flags_json: list[msgspec.Raw]
    trace_json: list[msgspec.Raw]


def _decision_parts(assessment: Assessment, lang: str) -> _DecisionParts:
    """Kept under the decision's key; used only for that very decision (a decision made again after its memo was
    emptied, or an assessment built by hand around another decision, is rendered afresh)."""
    decision = assessment.decision

    def make() -> _DecisionParts:
        qualifications = [qualification_answer(q, lang) for q in decision.qualifications]
        flags = [flag_answer(f, lang) for f in decision.flags]
        trace = [trace_answer(t, lang) for t in decision.trace]
        return _DecisionParts(
            decision,
            qualifications,
            flags,
            trace,
            msgspec.Raw(_ENCODER.encode(qualifications)),
            [msgspec.Raw(_ENCODER.encode(f)) for f in flags],
            [msgspec.Raw(_ENCODER.encode(t)) for t in trace],
        )

    key = ("decision", assessment.law_version, assessment.key, lang)
    return cache.answers.get_or_make(key, make, lambda kept: kept.decision is decision)  # type: ignore[return-value, attr-defined]


@dataclass(frozen=True, slots=True)
class _LeadParts:
    steps: tuple[TraceStep, ...]
    rendered: list[TraceAnswer]
    rendered_json: list[msgspec.Raw]


def _shared_lead(assessment: Assessment, lang: str) -> _LeadParts:
    """The kind-of-absence and context steps (the lead after the duration step): the same steps for every assessment
    with the same decision, kind of absence and context step; kept, like the decision's parts, for those very steps."""
    steps = assessment.lead[1:]
    key = ("lead", assessment.law_version, assessment.key, assessment.facts.absence_kind, assessment.context_step, lang)

    def make() -> _LeadParts:
        rendered = [trace_answer(t, lang) for t in steps]
        return _LeadParts(steps, rendered, [msgspec.Raw(_ENCODER.encode(t)) for t in rendered])

    def fresh(kept: _LeadParts) -> bool:
        return len(kept.steps) == len(steps) and all(a is b for a, b in zip(kept.steps, steps, strict=True))

    return cache.answers.get_or_make(key, make, fresh)  # type: ignore[arg-type, return-value]


def _facts_answer(facts: Facts) -> FactsAnswer:
    return FactsAnswer(
        status=facts.status,
        left=facts.left,
        returned=facts.returned,
        as_of=facts.as_of,
        absence_kind=facts.absence_kind,
        context=facts.context,
        indicators=sorted(facts.indicators),
        weapon=facts.weapon,
        group=facts.group,
        first_offence=facts.first_offence,
        grave_circumstances=facts.grave_circumstances,
        surrendered=facts.surrendered,
        aggravating=facts.aggravating,
        released_80_2=facts.released_80_2,
        law_on=facts.law_on,
        sex=facts.sex,
        on_probation=facts.on_probation,
        prior_conviction=facts.prior_conviction,
        prior_imprisonment=facts.prior_imprisonment,
    )


def _absence_answer(assessment: Assessment) -> AbsenceAnswer:
    facts = assessment.facts
    return AbsenceAnswer(
        open=facts.is_open,
        end=facts.end,
        duration_hours=round(assessment.duration_hours, 2),
        band=assessment.band,  # type: ignore[arg-type]
        special_context=assessment.in_special_context,
        context_basis=facts.context,
    )


def answer(assessment: Assessment, lang: str) -> AssessmentAnswer:
    """The assessment written in `lang` ("ru" or "en")."""
    parts = _decision_parts(assessment, lang)
    return AssessmentAnswer(
        engine_version=assessment.engine_version,
        law_data_version=assessment.law_version,
        facts=_facts_answer(assessment.facts),
        absence=_absence_answer(assessment),
        qualifications=parts.qualifications,
        key_dates=[key_date_answer(k, lang) for k in assessment.key_dates],
        flags=[*parts.flags, *(flag_answer(f, lang) for f in assessment.date_flags)],
        trace=[trace_answer(assessment.lead[0], lang), *_shared_lead(assessment, lang).rendered, *parts.trace],
        outcome=assessment.decision.outcome,  # type: ignore[arg-type]
    )


_ENCODER = msgspec.json.Encoder()


class _EncodedAnswer(msgspec.Struct, frozen=True):
    """AssessmentAnswer's fields, in its order, with the decision's parts already encoded (msgspec.Raw): what
    answer_json writes. tests/law/test_answer.py checks that both give the same bytes."""

    engine_version: str
    law_data_version: str
    facts: FactsAnswer
    absence: AbsenceAnswer
    qualifications: msgspec.Raw
    key_dates: list[KeyDateAnswer]
    flags: list[msgspec.Raw | FlagAnswer]
    trace: list[msgspec.Raw | TraceAnswer]
    outcome: str


def answer_json(assessment: Assessment, lang: str) -> bytes:
    """The answer as compact UTF-8 JSON (the API's response body): the bytes of encoding answer(assessment, lang),
    made without encoding again what was encoded for the same decision before."""
    parts = _decision_parts(assessment, lang)
    return _ENCODER.encode(
        _EncodedAnswer(
            engine_version=assessment.engine_version,
            law_data_version=assessment.law_version,
            facts=_facts_answer(assessment.facts),
            absence=_absence_answer(assessment),
            qualifications=parts.qualifications_json,
            key_dates=[key_date_answer(k, lang) for k in assessment.key_dates],
            flags=[*parts.flags_json, *(flag_answer(f, lang) for f in assessment.date_flags)],
            trace=[
                trace_answer(assessment.lead[0], lang),
                *_shared_lead(assessment, lang).rendered_json,
                *parts.trace_json,
            ],
            outcome=assessment.decision.outcome,
        )
    )


def answer_data(assessment: Assessment, lang: str) -> dict[str, Any]:
    """The answer as plain data (str, int, float, bool, None, lists and dicts; moments as ISO 8601 text)."""
    return msgspec.to_builtins(answer(assessment, lang))  # type: ignore[no-any-return]


def read_answer(data: Mapping[str, Any]) -> AssessmentAnswer:
    """An answer kept as plain data (a case's saved assessment), read back into the declared types."""
    return msgspec.convert(data, AssessmentAnswer, strict=False)
