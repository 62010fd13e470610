"""Document drafts of a case: the list, a preview with the notes to check, and DOCX/PDF downloads made in memory
and streamed, never stored. Only staff who work on the case (its lawyer, a coordinator) reach them."""

from __future__ import annotations

import logging

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtpath.drafting import (
    DraftDataError,
    DraftTemplateError,
    MissingFieldsError,
    RenderedDraft,
    list_templates,
    to_docx,
    to_pdf,
    to_text,
)
from courtpath.drafting.renderer import render_template
from courtpath.drafting.templates import DraftTemplate, builtin_templates
from courtpath.web.audit.models import Action
from courtpath.web.audit.services import record
from courtpath.web.cases import permissions, selectors, stored
from courtpath.web.cases.models import Case
from courtpath.web.drafts.drafts import draft_context_for, with_extras

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FIELD_LABELS = {
    "client_surname": gettext_lazy("client's surname"),
    "client_given_name": gettext_lazy("client's given name"),
    "client_patronymic": gettext_lazy("client's patronymic"),
    "client_rank": gettext_lazy("client's military rank"),
    "client_birth_date": gettext_lazy("client's date of birth"),
    "military_unit": gettext_lazy("military unit"),
    "investigative_body": gettext_lazy("investigative body"),
    "court_name": gettext_lazy("court"),
    "lawyer_name": gettext_lazy("lawyer's full name"),
    "absence_start": gettext_lazy("date the absence began"),
    "surrender_date": gettext_lazy("date of voluntary surrender"),
    "verdict_date": gettext_lazy("verdict date"),
    "family_addressee_name": gettext_lazy("family member's full name"),
    "prosecutor_office": gettext_lazy("military prosecutor's office"),
    "commander": gettext_lazy("commander"),
}


def _example(text: str) -> object:
    """A help text quoting Russian legal wording, which stays Russian in both languages."""
    return format_lazy(gettext_lazy("For example: {}"), text)


class DraftExtrasForm(forms.Form):
    """What a draft may need beyond the case: used for one document, never stored."""

    lawyer_name = forms.CharField(
        label=gettext_lazy("Lawyer's full name (surname, given name, patronymic)"), max_length=200, required=False
    )
    lawyer_details = forms.CharField(
        label=gettext_lazy("Lawyer's registry number, bar, order"), max_length=300, required=False
    )
    investigative_body = forms.CharField(
        label=gettext_lazy("Investigative body, in the nominative (replaces the case's investigator)"),
        max_length=300,
        required=False,
    )
    court_name = forms.CharField(
        label=gettext_lazy("Court, in the nominative (replaces the case's court)"), max_length=300, required=False
    )
    prosecutor_office = forms.CharField(
        label=gettext_lazy("Military prosecutor's office, in the nominative"),
        help_text=_example("военная прокуратура Энского гарнизона"),
        max_length=300,
        required=False,
    )
    commander = forms.CharField(
        label=gettext_lazy("Commander, in the nominative"),
        help_text=_example("командир войсковой части 00000"),
        max_length=300,
        required=False,
    )
    criminal_case_number = forms.CharField(label=gettext_lazy("Criminal case number"), max_length=100, required=False)
    charge = forms.CharField(
        label=gettext_lazy("Charge"), help_text=_example("ч. 5 ст. 337 УК РФ"), max_length=200, required=False
    )
    inaction = forms.ChoiceField(
        label=gettext_lazy("The complaint to the prosecutor is about"),
        choices=[
            ("report", gettext_lazy("no decision on the crime report in time")),
            ("command", gettext_lazy("the command not reporting the absence to the investigators")),
        ],
        required=False,
    )
    requested_steps = forms.CharField(
        label=gettext_lazy("Procedural steps to ask for, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    family_addressee_name = forms.CharField(
        label=gettext_lazy("Family member the letter is for (surname, given name, patronymic)"),
        max_length=200,
        required=False,
    )
    attachments = forms.CharField(
        label=gettext_lazy("Documents to attach, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    place = forms.CharField(
        label=gettext_lazy("Place of signing"), help_text=_example("г. Энск"), max_length=100, required=False
    )


log = logging.getLogger("courtpath.drafts")
# What an organisation's template may raise beyond the renderer's own errors (a filter given a wrong value…).
TEMPLATE_RUN_ERRORS = (DraftDataError, DraftTemplateError, TypeError, ValueError, AttributeError, LookupError)


def _catalogue() -> tuple[dict[str, DraftTemplate], str]:
    """The templates on offer by id, and what is wrong with the organisation's folder ("" when nothing): a folder
    that cannot be read, or a template in it that cannot be used, leaves the built-in drafts on offer, never a 500.
    The problem names the file and the header field, never case data."""
    try:
        found, problem = list_templates(), ""
    except (DraftTemplateError, OSError, UnicodeDecodeError) as error:
        log.warning("the organisation's draft templates cannot be used: %s", error)
        found = builtin_templates()
        problem = _(
            "The organisation's templates cannot be used (%(problem)s): only the built-in drafts are offered."
        ) % {"problem": error}
    return {template.id: template for template in found}, problem


def _lang(request: HttpRequest) -> str:
    return "ru" if getattr(request, "LANGUAGE_CODE", "ru") == "ru" else "en"


def _case(request: HttpRequest, code: str) -> Case:
    case = selectors.get_case(request.user, code)  # 404 for a case the user may not see
    permissions.require(permissions.can_work_on_cases(request.user))
    return case


def _page(
    request: HttpRequest,
    case: Case,
    form: DraftExtrasForm,
    *,
    error: str = "",
    status: int = 200,
    chosen: str = "",
) -> HttpResponse:
    """The drafts page; `chosen` is the draft a link asked for (a missed term's escalation), shown first."""
    lang = _lang(request)
    unreadable = stored.draft_problems(case)  # a draft would leave out what cannot be read: none is offered
    known = None if unreadable else draft_context_for(case, signer=request.user)
    catalogue, problem = _catalogue()
    templates = [
        {
            "id": t.id,
            "title": t.title.render(lang),
            "statute": t.statute,
            "origin": t.origin,
            "missing": [str(FIELD_LABELS.get(name, name)) for name in known.missing(list(t.requires))],
        }
        for t in catalogue.values()
        if known is not None
    ]
    templates.sort(key=lambda t: t["id"] != chosen)
    context = {
        "case": case,
        "form": form,
        "templates": templates,
        "error": error,
        "unreadable": unreadable,
        "chosen": chosen,
        "templates_problem": problem,
    }
    return render(request, "drafts/drafts.html", context, status=status)


def _rendered(request: HttpRequest, case: Case, template_id: str) -> tuple[RenderedDraft | None, HttpResponse | None]:
    """The draft, or the drafts page with an error (400) saying what is missing."""
    template = _catalogue()[0].get(template_id)
    if template is None:
        raise Http404
    if stored.draft_problems(case):
        return None, _page(request, case, DraftExtrasForm(), status=409)
    form = DraftExtrasForm(request.POST if request.method == "POST" else None)
    extras = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        return None, _page(request, case, form, status=400)
    shown = form if form.is_bound else DraftExtrasForm()
    try:
        known = draft_context_for(case, signer=request.user)
        return render_template(template, with_extras(known, extras)), None
    except MissingFieldsError as missing:
        labels = ", ".join(str(FIELD_LABELS.get(name, name)) for name in missing.missing)
        error = _("This draft needs: %(fields)s. Add them to the case or in the form below.") % {"fields": labels}
        # A link (a missed term's escalation) is not bad input: the page asks for what is missing.
        status = 400 if form.is_bound else 200
        return None, _page(request, case, shown, error=error, status=status, chosen=template_id)
    except TEMPLATE_RUN_ERRORS as problem:
        if template.origin != "organisation" and not isinstance(problem, DraftDataError | DraftTemplateError):
            raise  # a built-in template's bug is a bug: the tests render every one
        log.warning("draft %s could not be made: %s", template_id, type(problem).__name__)
        return None, _page(request, case, shown, error=str(problem), status=400, chosen=template_id)


@login_required
def drafts_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _case(request, code), DraftExtrasForm())


@login_required
def draft_preview(request: HttpRequest, code: str, template: str) -> HttpResponse:
    case = _case(request, code)
    rendered, refused = _rendered(request, case, template)
    if refused is not None:
        return refused
    assert rendered is not None
    record(request.user, Action.VIEW, "draft", case.code, [template])
    chosen = _catalogue()[0][template]
    context = {
        "case": case,
        "statute": chosen.statute,
        "checks": chosen.checks,
        "rendered": rendered,
        "title": rendered.title.render(_lang(request)),
        "warnings": rendered.warning_texts(_lang(request)),
        "text": to_text(rendered),
        "template": template,
        "form": DraftExtrasForm(request.POST if request.method == "POST" else None),
    }
    return render(request, "drafts/draft_preview.html", context)


@login_required
def draft_download(request: HttpRequest, code: str, template: str, fmt: str) -> HttpResponse:
    case = _case(request, code)
    if fmt not in CONTENT_TYPES:
        raise Http404
    rendered, refused = _rendered(request, case, template)
    if refused is not None:
        return refused
    assert rendered is not None
    payload = to_docx(rendered) if fmt == "docx" else to_pdf(rendered)
    record(request.user, Action.EXPORT, "draft", case.code, [template])
    response = HttpResponse(payload, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{case.code}-{template}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
