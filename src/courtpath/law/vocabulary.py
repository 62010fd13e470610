"""Every code of the engine and of the data it reads, with its names, defined once.

A Term has a `name` (a label, as a list or a table shows it: "contract serviceman") and, where the engine's sentences
embed it, a `phrase` ("a contract serviceman"). Both are English msgids; the Russian is in the one gettext catalogue
(courtpath.i18n). The command line, the web pages, the analytics report and the engine's own messages all read their
names here; tests/law/test_vocabulary.py checks that each family covers exactly the codes the code and the law data
use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from courtpath.i18n import Msg


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    name: Msg
    phrase: Msg | None = None  # the name as a sentence of the engine embeds it


class Vocabulary(Mapping[str, Term]):
    """One family of codes, in their order."""

    def __init__(self, *terms: Term) -> None:
        self._terms = {term.code: term for term in terms}

    def __getitem__(self, code: str) -> Term:
        return self._terms[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def name(self, code: str) -> Msg:
        return self._terms[code].name

    def phrase(self, code: str) -> Msg:
        term = self._terms[code]
        return term.phrase if term.phrase is not None else term.name


STATUSES = Vocabulary(
    Term("conscript", Msg("conscript"), Msg("a conscript")),
    Term("contract", Msg("contract serviceman"), Msg("a contract serviceman")),
    Term("reservist", Msg("reservist at military training"), Msg("a reservist at military training")),
    Term("mobilized", Msg("mobilized serviceman"), Msg("a mobilized serviceman")),
    Term(
        "dmu",
        Msg("serving a disciplinary-unit sentence"),
        Msg("a serviceman serving a disciplinary-unit sentence"),
    ),
)
# The subjects the parts of the articles name: the statuses, and who was released under art. 80.2.
SUBJECTS = Vocabulary(
    *STATUSES.values(),
    Term(
        "released_80_2",
        Msg("released under art. 80.2 or case suspended"),
        Msg("a person released under art. 80.2 or whose case was suspended"),
    ),
)
ABSENCE_KINDS = Vocabulary(
    Term(
        "left-unit",
        Msg("left the unit or place of service"),
        Msg("left the unit or place of service without permission"),
    ),
    Term("leave", Msg("did not return from leave"), Msg("did not return on time from leave")),
    Term(
        "hospital",
        Msg("did not return from a medical organisation"),
        Msg("did not return on time from a medical organisation"),
    ),
    Term("trip", Msg("did not return from a business trip"), Msg("did not return on time from a business trip")),
    Term(
        "transfer",
        Msg("did not report on appointment or transfer"),
        Msg("did not report on time on appointment or transfer"),
    ),
)
CONTEXTS = Vocabulary(
    Term("auto", Msg("from the dates (mobilization since 21.09.2022)")),
    Term("none", Msg("none")),
    Term("mobilization", Msg("mobilization")),
    Term("martial-law", Msg("martial law")),
    Term("wartime", Msg("wartime")),
    Term("armed-conflict", Msg("armed conflict or combat")),
)
INDICATORS = Vocabulary(
    Term("job", Msg("took a job"), Msg("a job")),
    Term("border", Msg("crossed or tried to cross the border"), Msg("crossing or trying to cross the border")),
    Term("forged-documents", Msg("forged or false documents")),
    Term("false-identity", Msg("lived under another identity"), Msg("living under another identity")),
    Term("other", Msg("other signs of intent to leave service for good")),
)
# Penalties in the order of art. 44 (mildest first), as the law data names them; `fine` appears in verdicts only.
PENALTIES = Vocabulary(
    Term("fine", Msg("fine")),
    Term("restriction", Msg("restriction of military service")),
    Term("arrest", Msg("arrest")),
    Term("disciplinary_unit", Msg("disciplinary military unit")),
    Term("imprisonment", Msg("imprisonment")),
)
GRAVITY = Vocabulary(
    Term("small", Msg("small gravity")),
    Term("medium", Msg("medium gravity")),
    Term("grave", Msg("grave")),
    Term("especially_grave", Msg("especially grave")),
)
REGIMES = Vocabulary(
    Term("settlement", Msg("colony-settlement")),
    Term("general", Msg("general-regime correctional colony")),
    Term("strict", Msg("strict-regime correctional colony")),
    Term("special", Msg("special-regime correctional colony")),
)
PRIOR_CONVICTIONS = Vocabulary(
    Term("none", Msg("no earlier conviction")),
    Term("small", Msg("a conviction for a crime of small gravity")),
    Term("medium", Msg("a conviction for a crime of medium gravity")),
    Term("grave", Msg("a conviction for a grave crime")),
    Term("especially_grave", Msg("a conviction for an especially grave crime")),
)
RECIDIVISM = Vocabulary(
    Term("none", Msg("no recidivism")),
    Term("unknown", Msg("recidivism not known")),
    Term("simple", Msg("recidivism")),
    Term("dangerous", Msg("dangerous recidivism")),
    Term("especially_dangerous", Msg("especially dangerous recidivism")),
)
AVAILABILITY = Vocabulary(
    Term("yes", Msg("available")),
    Term("no", Msg("not available")),
    Term("conditional", Msg("available on a condition")),
)
ARTICLE_KINDS = Vocabulary(
    Term("awol", Msg("unauthorised absence")),
    Term("desertion", Msg("desertion")),
    Term("evasion", Msg("evasion")),
)
BANDS = Vocabulary(
    Term("none", Msg("up to 2 days")),
    Term("A", Msg("more than 2 and up to 10 days")),
    Term("B", Msg("more than 10 days and up to 1 month")),
    Term("C", Msg("more than 1 month")),
)
SEVERITIES = Vocabulary(
    Term("risk", Msg("risk")),
    Term("warning", Msg("warning")),
    Term("info", Msg("note")),
    Term("open_question", Msg("open question")),
)
KEY_DATES = Vocabulary(
    Term("criminal_liability_from", Msg("Criminal liability begins after this moment")),
    Term("band_over_10_days_from", Msg("End the absence by this moment to stay within 10 days")),
    Term("band_over_1_month_from", Msg("End the absence by this moment to stay within one month")),
    Term("limitation_expires", Msg("Limitation period would expire")),
)
# How a court case ended, as court records say it (courtpath.analytics).
OUTCOMES = Vocabulary(
    Term("convicted", Msg("conviction")),
    Term("acquitted", Msg("acquittal")),
    Term("returned_to_prosecutor", Msg("returned to the prosecutor")),
    Term("suspended_case", Msg("proceedings suspended")),
    Term("terminated", Msg("case terminated")),
    Term("other", Msg("other outcome")),
    Term("unknown", Msg("outcome unknown")),
)
# How the sentence of a court record compares with the sanction of its article and part (courtpath.analytics).
RANGE_CHECKS = Vocabulary(
    Term("inside", Msg("within the statutory range")),
    Term("below_minimum", Msg("below the statutory minimum")),
    Term("above_maximum", Msg("above the statutory maximum")),
    Term("no_range", Msg("no range in the law data for this penalty")),
    Term("not_applicable", Msg("not applicable (no term, or not a conviction)")),
)
# Which date of a court record chose the edition of the law it is compared with (courtpath.analytics).
LAW_DATE_BASES = Vocabulary(
    Term("absence_start", Msg("start of the absence")),
    Term("filed_date", Msg("filing in court")),
    Term("verdict_date", Msg("decision")),
)
# The events a lawyer records in a case, which start and meet the procedural deadlines (courtpath.law.procedure,
# procedure.yaml).
PROCEDURE_EVENTS = Vocabulary(
    Term("report_filed", Msg("crime report registered")),
    Term("check_extended_10", Msg("check of the report extended to 10 days")),
    Term("check_extended_30", Msg("check of the report extended to 30 days")),
    Term("report_decided", Msg("decision taken on the crime report")),
    Term("case_opened", Msg("criminal case opened")),
    Term("investigation_extended", Msg("investigation term extended")),
    Term("charged", Msg("charged")),
    Term("detained", Msg("detained as a suspect")),
    Term("custody_ordered", Msg("custody ordered")),
    Term("custody_extended", Msg("custody extended")),
    Term("released", Msg("released from detention or custody")),
    Term("sent_to_court", Msg("case reached the court")),
    Term("hearing_scheduled", Msg("judge decided on the case received")),
    Term("verdict", Msg("verdict pronounced")),
    Term("verdict_copy_received", Msg("copy of the verdict received")),
    Term("appeal_filed", Msg("appeal filed")),
    Term("case_suspended", Msg("investigation suspended on the command's petition")),
    Term("case_resumed", Msg("investigation resumed")),
    Term("returned_to_unit", Msg("detained and sent back to the unit while the case is pending")),
)
# The procedural deadlines computed from those events, and the duty with no statutory term that follows them.
PROCEDURE_DEADLINES = Vocabulary(
    Term("report_decision_due", Msg("decision on the crime report due")),
    Term("detention_ends", Msg("48 hours of detention end")),
    Term("custody_term_ends", Msg("custody term of the investigation ends")),
    Term("court_custody_ends", Msg("custody term while the case is in court ends")),
    Term("investigation_term_ends", Msg("investigation term ends")),
    Term("court_must_decide", Msg("judge's decision on the case received due")),
    Term("verdict_copy_due", Msg("copy of the verdict due")),
    Term("appeal_window_ends", Msg("appeal window ends")),
    Term("verdict_in_force", Msg("verdict enters into force")),
    Term("discharge_on_sentence", Msg("discharge from service after the verdict in force")),
)
FAMILIES: Mapping[str, Vocabulary] = {
    "status": STATUSES,
    "subject": SUBJECTS,
    "absence_kind": ABSENCE_KINDS,
    "context": CONTEXTS,
    "indicator": INDICATORS,
    "penalty": PENALTIES,
    "gravity": GRAVITY,
    "regime": REGIMES,
    "recidivism": RECIDIVISM,
    "prior_conviction": PRIOR_CONVICTIONS,
    "availability": AVAILABILITY,
    "article_kind": ARTICLE_KINDS,
    "band": BANDS,
    "severity": SEVERITIES,
    "key_date": KEY_DATES,
    "outcome": OUTCOMES,
    "range_check": RANGE_CHECKS,
    "law_date_basis": LAW_DATE_BASES,
    "procedure_event": PROCEDURE_EVENTS,
    "procedure_deadline": PROCEDURE_DEADLINES,
}
