"""Document drafts of a case: the list, a preview with the notes to check, and DOCX/PDF downloads made in memory
and streamed, never stored. Only staff who work on the case (its lawyer, a coordinator) reach them."""

from __future__ import annotations

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
from courtpath.drafting import render as render_draft
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
    criminal_case_number = forms.CharField(label=gettext_lazy("Criminal case number"), max_length=100, required=False)
    charge = forms.CharField(
        label=gettext_lazy("Charge"), help_text=_example("ч. 5 ст. 337 УК РФ"), max_length=200, required=False
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


def _lang(request: HttpRequest) -> str:
    return "ru" if getattr(request, "LANGUAGE_CODE", "ru") == "ru" else "en"


def _case(request: HttpRequest, code: str) -> Case:
    case = selectors.get_case(request.user, code)  # 404 for a case the user may not see
    permissions.require(permissions.can_work_on_cases(request.user))
    return case


def _page(
    request: HttpRequest, case: Case, form: DraftExtrasForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    lang = _lang(request)
    unreadable = stored.case_problems(case)  # a draft would leave out what cannot be read: none is offered
    known = None if unreadable else draft_context_for(case)
    templates = [
        {
            "id": t.id,
            "title": t.title.render(lang),
            "missing": [str(FIELD_LABELS.get(name, name)) for name in known.missing(list(t.requires))],
        }
        for t in list_templates()
        if known is not None
    ]
    context = {"case": case, "form": form, "templates": templates, "error": error, "unreadable": unreadable}
    return render(request, "drafts/drafts.html", context, status=status)


def _rendered(request: HttpRequest, case: Case, template: str) -> tuple[RenderedDraft | None, HttpResponse | None]:
    """The draft, or the drafts page with an error (400) saying what is missing."""
    if template not in {t.id for t in list_templates()}:
        raise Http404
    if stored.case_problems(case):
        return None, _page(request, case, DraftExtrasForm(), status=409)
    form = DraftExtrasForm(request.POST if request.method == "POST" else None)
    extras = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        return None, _page(request, case, form, status=400)
    try:
        return render_draft(template, with_extras(draft_context_for(case), extras)), None
    except MissingFieldsError as missing:
        labels = ", ".join(str(FIELD_LABELS.get(name, name)) for name in missing.missing)
        error = _("This draft needs: %(fields)s. Add them to the case or in the form below.") % {"fields": labels}
        return None, _page(request, case, form if form.is_bound else DraftExtrasForm(), error=error, status=400)
    except (DraftDataError, DraftTemplateError) as problem:
        return None, _page(request, case, form if form.is_bound else DraftExtrasForm(), error=str(problem), status=400)


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
    context = {
        "case": case,
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
