"""Requests for help, the cases made from them, their timeline, notes and the assessments shown.

Cases are known by a pseudonymous code; lists and logs never need the serviceman's name. Everything that identifies
a person or tells their story is a SealedField: encrypted with the case's own data key (courtpath.web.vault), which a
request hands on to the case made from it. So are the facts the engine needs (status, dates, context, indicators), the
procedure (court, verdict, sentence) and the saved assessments; only the stage and the dates of the workflow stay in
clear, for lists and deadlines: see docs/threat-model.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.law.facts import AbsenceKind, Context, PriorConviction, Status
from courtpath.law.vocabulary import ABSENCE_KINDS, CONTEXTS, INDICATORS, PENALTIES, PRIOR_CONVICTIONS, STATUSES
from courtpath.web import vocabulary
from courtpath.web.vault.models import DataKey
from courtpath.web.vault.sealed import SealedEntry, SealedField, SealedModel


class Stage(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    AGREEMENT = "agreement", _("Lawyer agreement")
    SURRENDER = "surrender", _("Voluntary surrender")
    CASE_OPENED = "case_opened", _("Criminal case opened")
    INVESTIGATION = "investigation", _("Investigation")
    TRIAL = "trial", _("Trial")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    IN_FORCE = "in_force", _("Verdict in force")
    DISCHARGED = "discharged", _("Discharged")
    SUSPENDED_SENTENCE = "suspended_sentence", _("Suspended sentence")
    CASE_SUSPENDED = "case_suspended", _("Case suspended (contract signed)")
    RETURNED_TO_FRONT = "returned_to_front", _("Returned to the front")
    EXEMPTED = "exempted", _("Exempted from liability")
    ACQUITTED = "acquitted", _("Acquitted")
    LOST_CONTACT = "lost_contact", _("Lost contact")


OPEN_STAGES = (
    Stage.FIRST_CONTACT,
    Stage.AGREEMENT,
    Stage.SURRENDER,
    Stage.CASE_OPENED,
    Stage.INVESTIGATION,
    Stage.TRIAL,
    Stage.VERDICT,
    Stage.APPEAL,
)
# The facts' codes take their names from the engine's vocabulary (courtpath.law.vocabulary), in the page's language.
STATUS_CHOICES = vocabulary.choices(STATUSES)
KIND_CHOICES = vocabulary.choices(ABSENCE_KINDS)
CONTEXT_CHOICES = vocabulary.choices(CONTEXTS)
INDICATOR_CHOICES = vocabulary.choices(INDICATORS)
PRIOR_CONVICTION_CHOICES = vocabulary.choices(PRIOR_CONVICTIONS)
# The penalty of a verdict (`Case.sentence_type`): the codes of the engine's penalties, fine included.
SENTENCE_CHOICES = vocabulary.choices(PENALTIES)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    MESSENGER = "messenger", _("Messenger")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    WEB = "web", _("Web form")


class Relation(models.TextChoices):
    SELF = "self", _("The serviceman himself")
    SPOUSE = "spouse", _("Wife or husband")
    PARENT = "parent", _("Mother or father")
    OTHER = "other", _("Someone else")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


def sealed_column() -> models.BinaryField:
    return models.BinaryField(editable=False)


def data_key_column() -> models.ForeignKey:
    return models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+", editable=False)


class RequestStatus(models.TextChoices):
    """Where a request stands in triage. A request becomes a case only through convert_request, which sets
    CONVERTED; a declined one can go back to new or into review (services.REQUEST_TRANSITIONS)."""

    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    DECLINED = "declined", _("Declined")
    CONVERTED = "converted", _("Made a case")


class DeclineReason(models.TextChoices):
    """Why a request is declined: a code from a short list, kept in clear for lists; any detail is a sealed note."""

    JUNK = "junk", _("Junk or a test")
    DUPLICATE = "duplicate", _("A duplicate of another request")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what we do")
    NO_CONTACT = "no_contact", _("Could not reach the person")
    WITHDRAWN = "withdrawn", _("The person no longer needs help")
    OTHER = "other", _("Other reason")


class HelpRequest(SealedModel):
    code = models.CharField(max_length=20, unique=True)
    data_key = data_key_column()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: sent from the public interview
    channel = models.CharField(max_length=20, choices=Channel.choices)
    relation = models.CharField(max_length=20, choices=Relation.choices)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW, db_index=True)
    status_since = models.DateTimeField(default=timezone.now)
    # The staff member who triages it (a coordinator, or an intake worker, who then sees it: selectors).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    # Sent from the public form while more than COURTPATH_PUBLIC_REQUESTS_PER_HOUR had arrived in the hour: kept, but
    # apart (probably a flood of junk), so that coordinators can review them or delete them in one action.
    held = models.BooleanField(default=False)
    summary_sealed = sealed_column()
    contact_sealed = sealed_column()
    answers_sealed = sealed_column()
    decline_note_sealed = sealed_column()

    summary = SealedField()
    contact = SealedField()  # how to reach the person, as they gave it
    # The interview's answers the person chose to send, as the facts record a case keeps (Case.facts: the intake's
    # names and canonical values, moments as ISO 8601 text with their offset); {} for a request taken by phone.
    answers = SealedField("json")
    decline_note = SealedField()  # what the coordinator added to the decline reason

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.code

    @property
    def declined(self) -> bool:
        return self.status == RequestStatus.DECLINED


class Case(SealedModel):
    code = models.CharField(max_length=20, unique=True)
    data_key = data_key_column()
    request = models.OneToOneField(HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="case")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.FIRST_CONTACT, db_index=True)
    stage_since = models.DateTimeField(auto_now_add=True)
    # The facts the law engine needs and the procedure: entries of one sealed record, `facts` (docs/threat-model.md:
    # times to the minute and the signs of intent to desert would identify a serviceman and incriminate him).
    facts_sealed = sealed_column()
    facts = SealedField("json")
    status = SealedEntry("facts", "text", Status.CONTRACT.value)
    # The facts are the entries named as courtpath.law.intake names them (intake.STORED_FIELDS), so that the record
    # is read back through the one intake; then the procedure.
    left = SealedEntry("facts", "datetime")
    returned = SealedEntry("facts", "datetime")
    absence_kind = SealedEntry("facts", "text", AbsenceKind.LEFT_UNIT.value)
    context = SealedEntry("facts", "text", Context.AUTO.value)
    indicators = SealedEntry("facts", "codes", [])  # Indicator values
    weapon = SealedEntry("facts", "bool", False)
    group = SealedEntry("facts", "bool", False)
    first_offence = SealedEntry("facts", "bool", True)
    grave_circumstances = SealedEntry("facts", "bool", False)
    surrendered = SealedEntry("facts", "bool", False)
    aggravating = SealedEntry("facts", "bool", False)
    released_80_2 = SealedEntry("facts", "bool", False)
    on_probation = SealedEntry("facts", "bool", False)
    prior_conviction = SealedEntry("facts", "text", PriorConviction.NONE.value)
    prior_imprisonment = SealedEntry("facts", "bool", False)
    court_id = SealedEntry("facts", "text", "")  # a military court from the sudrf directory
    verdict_date = SealedEntry("facts", "date")
    sentence_type = SealedEntry("facts", "text", "")  # a penalty code (SENTENCE_CHOICES) or ""
    sentence_months = SealedEntry("facts", "optional_int")
    sentence_suspended = SealedEntry("facts", "optional_bool")
    # The steps of the criminal procedure with their dates, as the law engine reads them (courtpath.law.procedure:
    # {"code": "report_filed", "on": "2026-03-02"}, with "until" for an extension); web/cases/procedure.py.
    procedure = SealedEntry("facts", "records", [])
    # Identity and procedure details, sealed with the case's data key.
    client_surname_sealed = sealed_column()
    client_given_name_sealed = sealed_column()
    client_patronymic_sealed = sealed_column()
    client_sex_sealed = sealed_column()
    client_birth_date_sealed = sealed_column()
    client_rank_sealed = sealed_column()
    client_contact_sealed = sealed_column()
    contact_relation_sealed = sealed_column()
    military_unit_sealed = sealed_column()
    investigator_sealed = sealed_column()

    client_surname = SealedField()
    client_given_name = SealedField()
    client_patronymic = SealedField()
    client_sex = SealedField()  # Sex value or ""
    client_birth_date = SealedField("date")
    client_rank = SealedField()
    client_contact = SealedField()
    contact_relation = SealedField()  # who the contact is to the client (Relation value) or "": from the request
    military_unit = SealedField()
    investigator = SealedField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        # The case list pages through cases newest first: without this index every page sorts the whole table.
        indexes = [models.Index(fields=["lawyer", "stage"]), models.Index(fields=["-updated_at", "-id"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def contact_relation_label(self) -> str:
        """Who the contact is to the client, in the page's language ("" when not known)."""
        return str(Relation(self.contact_relation).label) if self.contact_relation in Relation.values else ""


class EventKind(models.TextChoices):
    STAGE = "stage", _("Stage")
    BOUNDARY = "boundary", _("Duration boundary passed")


class CaseEvent(SealedModel):
    """The timeline: stage changes and other dated events.

    A `boundary` event is written by a reassessment (courtpath.web.assessments.reassess) when an absence still going
    on passed a duration boundary that changed its article part or penalty range. Its `params` (sealed: the moment
    of the boundary follows from the moment of leaving) hold what changed, rendered in the page's language when shown
    (courtpath.web.assessments.boundaries); `actor` is None (the system), `stage` the case's stage at the time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    data_key = data_key_column()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.STAGE)
    comment_sealed = sealed_column()
    params_sealed = sealed_column()

    comment = SealedField()
    params = SealedField("json")

    class Meta:
        ordering = ["at", "id"]
        # The dashboard lists the boundaries passed in the last days; a case's timeline, and the statistics' days per
        # stage over every case, read the events in this order (bench_staff_pages.py: no sort of every event).
        indexes = [
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["case", "at", "id"], name="cases_event_timeline"),
        ]


class Note(SealedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    data_key = data_key_column()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_sealed = sealed_column()

    text = SealedField()

    class Meta:
        ordering = ["-created_at", "-id"]


class Assessment(SealedModel):
    """An assessment as it was shown: the engine's output in both languages (sealed: it repeats the facts), with
    engine and law-data versions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    data_key = data_key_column()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    engine_version = models.CharField(max_length=20)
    law_version = models.CharField(max_length=32)
    result_ru_sealed = sealed_column()
    result_en_sealed = sealed_column()
    summary_sealed = sealed_column()

    result_ru = SealedField("json")
    result_en = SealedField("json")
    summary = SealedField("json")  # its key dates and primary qualification: web/assessments/summary.py

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        # The latest assessment of each case, as every page over all cases finds it (a correlated subquery ordered
        # by these columns): an index scan per case instead of a sort (bench_staff_pages.py).
        indexes = [models.Index(fields=["case", "-created_at", "-id"], name="cases_assessment_latest")]


class Document(SealedModel):
    """An attached file. Its name is sealed in the row; its content is sealed in a file named by `blob` under
    COURTPATH_DOCUMENTS_DIR (see documents.py), with the same data key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    data_key = data_key_column()
    blob = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveBigIntegerField()
    name_sealed = sealed_column()
    content_type_sealed = sealed_column()

    name = SealedField()
    content_type = SealedField()

    class Meta:
        ordering = ["-created_at", "-id"]


class CaseNameToken(models.Model):
    """One row of the keyed blind index of the client's name (courtpath.web.cases.name_index): an HMAC of a
    normalised word or word prefix, under a key derived from the master key, which the database never holds. Every
    case has the same number of rows (padded with random tokens), so the row count does not tell the name's length.
    The rows go with their case (CASCADE) and carry its data key, so the deletion's wipe vacuums their table too
    (vault/erasure.sealed_tables)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="name_tokens")
    data_key = data_key_column()
    token = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "token"], name="cases_name_token_once_per_case")]


class DerivedIndex(SealedModel):
    """Values worked out from every case, kept sealed between page views (courtpath.web.cases.derived): the
    deadlines of the open cases, the analytics records of all of them. One row per `name`, under a data key of its
    own; every case deletion takes the case out of both and seals them again under new keys, shredding the old
    (`generation` then moves on, so that a view that read the index before the deletion cannot write the deleted case
    back)."""

    name = models.CharField(max_length=30, unique=True)
    data_key = data_key_column()
    generation = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    entries_sealed = sealed_column()

    entries = SealedField("json")
