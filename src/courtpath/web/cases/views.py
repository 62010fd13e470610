"""Thin views: parse the form, call a service or a selector, render."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from courtpath.law.problems import FactsError
from courtpath.law.procedure import ProcedureDataError
from courtpath.web.agenda import selectors as agenda_selectors
from courtpath.web.agenda.views import case_section as agenda_section
from courtpath.web.assessments import boundaries, reassess
from courtpath.web.assessments.deadlines import case_deadlines, upcoming_deadlines
from courtpath.web.cases import (
    export,
    fact_sections,
    handover,
    listing,
    permissions,
    procedure,
    selectors,
    services,
    stored,
)
from courtpath.web.cases.forms import (
    AssignForm,
    AssignRequestForm,
    BulkDeleteForm,
    BulkRequestsForm,
    CaseForm,
    ConvertForm,
    DeclineForm,
    DeleteCaseForm,
    DeleteRequestForm,
    DocumentForm,
    NoteForm,
    ProcedureEventForm,
    RemoveEventForm,
    RequestForm,
    RequestStatusForm,
    StageForm,
    add_problems,
    too_large_message,
)
from courtpath.web.cases.list_forms import CaseListForm
from courtpath.web.cases.models import Case, HelpRequest, RequestStatus
from courtpath.web.http import declared_length
from courtpath.web.statistics.beside_case import case_panel
from courtpath.web.vault.erasure import Erasure

DOWNLOAD_CHUNK_BYTES = 64 * 1024


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cases = selectors.open_cases(request.user)
    deadlines = upcoming_deadlines(cases)
    if reassess.refresh_lapsed(deadlines):  # an absence went on past a boundary: assessed as of now
        deadlines = upcoming_deadlines(cases)
    readable = [deadline for deadline in deadlines if deadline.code != "unreadable"]
    context = {
        # with the dates entered by hand that are not done yet (web/agenda)
        # the 50 soonest of both (`readable` is in order: its first 50 are all it can add)
        "deadlines": agenda_selectors.merged(readable[:50], agenda_selectors.manual_due(request.user))[:50],
        "unreadable_deadlines": [deadline for deadline in deadlines if deadline.code == "unreadable"],
        "open_requests": selectors.waiting_requests(request.user)[:20],
        "held_count": selectors.held_requests(request.user).count(),
        "account_changes": selectors.recent_account_changes(request.user),
        "watch_days": selectors.ACCOUNT_WATCH_DAYS,
        "boundaries": boundaries.recent(request.user),
        "boundary_days": boundaries.RECENT_DAYS,
    }
    return render(request, "cases/dashboard.html", context)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests newest first, filtered by status (and to the held ones), the filter kept by the page links; for
    coordinators a preview of each message and checkboxes for the bulk decline or deletion."""
    held = request.GET.get("held") == "1"
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    requests = selectors.listed_requests(request.user, status, held)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    coordinator = permissions.can_delete_case(request.user)
    rows = [(item, selectors.request_preview(item) if coordinator else "") for item in page]
    context = {
        "page": page,
        "rows": rows,
        "held": held,
        "status": status,
        "statuses": RequestStatus.choices,
        "filter_query": urlencode([(k, v) for k, v in (("held", "1" if held else ""), ("status", status)) if v]),
        "can_create": permissions.can_create_request(request.user),
        "can_bulk_delete": coordinator,
    }
    return render(request, "cases/request_list.html", context)


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_create_request(request.user))
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.create_request(request.user, **form.cleaned_data)
        messages.success(request, _("Request %(code)s saved.") % {"code": created.code})
        return redirect("cases:request_detail", code=created.code)
    return render(request, "cases/request_form.html", {"form": form}, status=400 if form.errors else 200)


def _request_page(request: HttpRequest, help_request: HelpRequest, status: int = 200, **forms: object) -> HttpResponse:
    """The request page, with the assessment of its answers as of now (not stored) and the forms the user may use
    (those given in `forms` instead of blank ones: they carry their errors)."""
    user = request.user
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    answers = handover.read_answers(help_request)
    can_dispose = permissions.can_dispose_of_request(user, help_request)
    context = {
        "help_request": help_request,
        "answers_unreadable": answers is None,
        "answers_assessment": handover.assess_answers(answers, lang) if answers else None,
        "can_convert": permissions.can_convert_request(user) and not help_request.declined,
        "form": forms.get("form") or ConvertForm(),
        "can_triage": permissions.can_triage_request(user, help_request) and not hasattr(help_request, "case"),
        "status_form": forms.get("status_form") or RequestStatusForm(initial={"status": help_request.status}),
        "can_assign": permissions.can_assign_request(user) and not hasattr(help_request, "case"),
        "assign_form": forms.get("assign_form") or AssignRequestForm(initial={"assignee": help_request.assignee}),
        "can_delete": can_dispose,
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "delete_form": DeleteRequestForm(case_code=help_request.code) if can_dispose else None,
        "retention_days": settings.COURTPATH_RETENTION_DAYS,
    }
    return render(request, "cases/request_detail.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    help_request = selectors.get_request(request.user, code)
    services.opened(request.user, "request", help_request.code)
    if request.method != "POST":
        return _request_page(request, help_request)
    permissions.require(permissions.can_convert_request(request.user))
    form = ConvertForm(request.POST)
    if form.is_valid():
        try:
            taken = services.take_over(request.user, help_request, form.cleaned_data["lawyer"])
        except services.RequestStateError:
            form.add_error(None, _("A declined request must be taken back into review first."))
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": taken.case.code})
            if taken.dropped:
                messages.warning(
                    request,
                    _("Some answers could not be copied to the facts; the case's notes say which and why."),
                )
            return redirect("cases:case_detail", code=taken.case.code)
    return _request_page(request, help_request, 400, form=form)


@login_required
def request_status(request: HttpRequest, code: str) -> HttpResponse:
    """Take the request into review, or back to new (a declined one: back into review)."""
    if (refused := _post_only(request)) is not None:
        return refused
    help_request = selectors.get_request(request.user, code)
    permissions.require(permissions.can_triage_request(request.user, help_request))
    form = RequestStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_request_status(request.user, help_request, form.cleaned_data["status"])
        except services.RequestStateError:
            form.add_error("status", _("A request that has become a case keeps that status."))
        else:
            return redirect("cases:request_detail", code=help_request.code)
    return _request_page(request, help_request, 400, status_form=form)


@login_required
def request_assign(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    help_request = selectors.get_request(request.user, code)
    permissions.require(permissions.can_assign_request(request.user))
    form = AssignRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, help_request, 400, assign_form=form)
    services.assign_request(request.user, help_request, form.cleaned_data["assignee"])
    return redirect("cases:request_detail", code=help_request.code)


@login_required
def request_decline(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    help_request = selectors.get_request(request.user, code)
    permissions.require(permissions.can_dispose_of_request(request.user, help_request))
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _request_page(request, help_request, 400, decline_form=form)
    services.decline_request(request.user, help_request, form.cleaned_data["reason"], form.cleaned_data["note"])
    messages.success(request, _("Request %(code)s declined.") % {"code": help_request.code})
    return redirect("cases:request_detail", code=help_request.code)


def _warn_unless_erased(request: HttpRequest, erasure: Erasure) -> None:
    """A deletion whose old copies could not yet be wiped from the database files says so (vault/erasure.py)."""
    if not erasure.complete:
        messages.warning(
            request,
            _(
                "The database was busy: old copies of the deleted data, with its key, are still in the database "
                "files. They are wiped at the next deletion or at the daily purge; tell the administrator if this "
                "message comes back."
            ),
        )


@login_required
def request_delete(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    help_request = selectors.get_request(request.user, code)
    permissions.require(permissions.can_dispose_of_request(request.user, help_request))
    form = DeleteRequestForm(request.POST, case_code=help_request.code)
    if not form.is_valid():
        messages.error(request, form.errors["confirm_code"][0])
        return redirect("cases:request_detail", code=help_request.code)
    erasure = services.delete_request(request.user, help_request)
    messages.success(request, _("Request %(code)s deleted; its key is destroyed.") % {"code": code})
    _warn_unless_erased(request, erasure)
    return redirect("cases:request_list")


BULK_PREVIEW_LIMIT = 200


@login_required
def request_bulk_delete(request: HttpRequest) -> HttpResponse:
    """Delete many requests in one action: choose the period (GET shows what would go), then confirm with the number
    (POST). Only requests that were there when the list was shown can go: a request arriving in between stays."""
    permissions.require(permissions.can_delete_case(request.user))
    now = timezone.localtime()
    initial = {"received_from": now - dt.timedelta(days=1), "received_to": now, "held_only": True}
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulkDeleteForm(data, initial=initial)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        chosen = selectors.bulk_deletable_requests(
            request.user,
            form.cleaned_data["received_from"],
            form.cleaned_data["received_to"],
            form.cleaned_data["held_only"],
        )
        if request.method == "POST":
            chosen = chosen.filter(pk__lte=form.cleaned_data["up_to"] or 0)
            if form.cleaned_data["confirm_count"] == chosen.count():
                deleted = services.delete_requests(request.user, chosen)
                messages.success(
                    request, _("%(count)s requests deleted; their keys are destroyed.") % {"count": len(deleted)}
                )
                _warn_unless_erased(request, deleted.erasure)
                return redirect("cases:request_list")
            form.add_error("confirm_count", _("Type the number shown above."))
        codes = list(chosen.order_by("-pk").values_list("pk", "code", "created_at")[: BULK_PREVIEW_LIMIT + 1])
        context |= {
            "count": chosen.count(),
            "shown": codes[:BULK_PREVIEW_LIMIT],
            "up_to": max((pk for pk, _code, _at in codes), default=0),
        }
    return render(request, "cases/request_bulk_delete.html", context, status=400 if form.errors else 200)


CASES_PER_PAGE = 50


@login_required
def request_bulk(request: HttpRequest) -> HttpResponse:
    """Decline (with one reason) or delete the requests ticked on the list: the list posts here and this page asks
    once; confirmed, the services act on each request, one audit row each, as the deletion by period does. Only
    visible requests that have not become a case are taken; a code not among them is ignored."""
    if (refused := _post_only(request)) is not None:
        return refused
    permissions.require(permissions.can_delete_case(request.user))
    form = BulkRequestsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose what to do with the requests."))
        return redirect("cases:request_list")
    action = form.cleaned_data["action"]
    chosen = selectors.selected_requests(request.user, form.cleaned_data["selected"])
    if action == "decline":  # those declined already stay as they are
        chosen = chosen.exclude(status=RequestStatus.DECLINED)
    decline_form = DeclineForm(request.POST if form.cleaned_data["confirm"] else None)
    if form.cleaned_data["confirm"] and (action == "delete" or decline_form.is_valid()):
        if action == "delete":
            deleted = services.delete_requests(request.user, chosen)
            messages.success(
                request, _("%(count)s requests deleted; their keys are destroyed.") % {"count": len(deleted)}
            )
            _warn_unless_erased(request, deleted.erasure)
        else:
            reason, note = decline_form.cleaned_data["reason"], decline_form.cleaned_data["note"]
            declined = services.decline_requests(request.user, chosen, reason, note)
            messages.success(request, _("%(count)s requests declined.") % {"count": len(declined)})
        return redirect("cases:request_list")
    context = {"action": action, "chosen": list(chosen), "decline_form": decline_form}
    return render(request, "cases/request_bulk_confirm.html", context, status=400 if decline_form.errors else 200)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Search, filters and sort come as a GET form; every link of the page (pages, column sorts) keeps them."""
    form = CaseListForm(request.GET or None, user=request.user)
    context: dict[str, object] = {"form": form, "can_export": permissions.can_export_case_list(request.user)}
    if form.is_bound and not form.is_valid():
        return render(request, "cases/case_list.html", context, status=400)
    filters = form.filters() if form.is_bound else listing.Filters()
    page = Paginator(listing.listed(request.user, filters), CASES_PER_PAGE).get_page(request.GET.get("page"))
    context |= {
        "page": page,
        "rows": listing.rows(list(page.object_list)),
        "sort": filters.sort,
        "next_sort": {key: "-" + key if filters.sort == key else key for key in listing.SORTS},
    }
    return render(request, "cases/case_list.html", context)


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV, every row of it (coordinators; audited with the filters, not the names)."""
    permissions.require(permissions.can_export_case_list(request.user))
    form = CaseListForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "cases/case_list.html", {"form": form, "can_export": True}, status=400)
    filters = form.filters()
    pks = list(listing.listed(request.user, filters))
    rows = [row for start in range(0, len(pks), 1000) for row in listing.rows(pks[start : start + 1000])]
    services.exported_case_list(request.user, len(rows), filters.described())
    response = HttpResponse(export.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="cases.csv")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    services.opened(request.user, "case", case.code)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: object) -> HttpResponse:
    """The case page; `forms` are bound forms that failed (shown with their errors, `status` 400)."""
    assessment = reassess.as_of_now(case, selectors.latest_assessment(case))
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    events, notes = list(selectors.case_events(case)), list(selectors.case_notes(case))
    documents = list(selectors.case_documents(case))
    result, unreadable = stored.case_page_reads(case, assessment, lang, events, notes, documents)
    context = {
        "case": case,
        "unreadable": unreadable,
        "assessment": assessment,
        "result": result,
        "deadlines": case_deadlines(case, assessment),
        "procedure": procedure.guarded_page(case, lang),
        "outcomes": case_panel(result, _court_of(case), lang),
        "events": events,
        "notes": notes,
        "documents": documents,
        "document_form": DocumentForm(),
        "delete_form": DeleteCaseForm(case_code=case.code),
        "can_delete": permissions.can_delete_case(request.user),
        "history": selectors.assessment_history(case)[:20],
        "stage_form": StageForm(initial={"stage": case.stage}),
        "note_form": NoteForm(),
        "procedure_form": ProcedureEventForm(),
        "assign_form": AssignForm(initial={"lawyer": case.lawyer}),
        "can_work": permissions.can_work_on_cases(request.user),
        "can_assign": permissions.can_assign(request.user),
        **agenda_section(request.user, case),  # hearings and other dates entered by hand (web/agenda)
        **forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_procedure(request: HttpRequest, code: str) -> HttpResponse:
    """Record a step of the criminal procedure; the deadlines it starts are shown at once."""
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    permissions.require(permissions.can_work_on_cases(request.user))
    form = ProcedureEventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_procedure_event(request.user, case, data["event"], data["on"], data["until"])
        except ProcedureDataError:  # the form checks what the engine does; kept as a guard, in the page's language
            form.add_error(None, _("The law engine cannot read this event with the ones recorded: nothing was added."))
        except stored.READ_ERRORS:
            form.add_error(None, _("The case's recorded events cannot be read: nothing was added."))
        else:
            messages.success(request, _("Event recorded; its deadlines are below."))
            return redirect(f"{reverse('cases:case_detail', args=[case.code])}#procedure")
    return _case_page(request, case, status=400, procedure_form=form)


@login_required
def case_procedure_remove(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    permissions.require(permissions.can_work_on_cases(request.user))
    form = RemoveEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That event is not in the list."))
        return redirect("cases:case_detail", code=case.code)
    data = form.cleaned_data
    try:
        services.remove_procedure_event(request.user, case, data["index"], data["event"], data["on"])
    except services.ProcedureChanged:
        messages.error(request, _("The list of events changed meanwhile: nothing was removed. Check it again."))
    else:
        messages.success(request, _("Event removed."))
    return redirect(f"{reverse('cases:case_detail', args=[case.code])}#procedure")


def _court_of(case: Case) -> str | None:
    """The case's court, or None when it is not set or its facts cannot be read (the page names that above)."""
    try:
        return case.court_id or None
    except stored.READ_ERRORS:
        return None


@login_required
def case_print(request: HttpRequest, code: str) -> HttpResponse:
    """The case and its latest assessment for paper: the same permission and audit as the case page (the event says
    "print"); no notes, no documents, no forms."""
    case = selectors.get_case(request.user, code)
    services.opened(request.user, "case", case.code, ["print"])
    assessment = selectors.latest_assessment(case)
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    events = list(selectors.case_events(case))
    result, unreadable = stored.case_page_reads(case, assessment, lang, events, [], [])
    context = {
        "case": case,
        "unreadable": unreadable,
        "assessment": assessment,
        "result": result,
        "deadlines": case_deadlines(case, assessment),
        "events": events,
        "printed_at": timezone.now(),
        "print_view": True,
    }
    return render(request, "cases/case_print.html", context)


@login_required
def case_edit(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    permissions.require(permissions.can_work_on_cases(request.user))
    if unreadable := stored.case_problems(case):  # the form would show defaults for what it cannot read
        return render(request, "cases/unreadable.html", {"case": case, "unreadable": unreadable}, status=409)
    form = CaseForm(request.POST or None, case=case)
    if request.method != "POST":
        services.opened(request.user, "case", case.code, ["edit_form"])  # the form shows every identity field
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(request.user, case, form.cleaned_data)
        except FactsError as error:  # a race with another edit; the form re-validates next time
            add_problems(form, error)
        else:
            messages.success(request, _("Case saved; the assessment was updated."))
            return redirect("cases:case_detail", code=case.code)
    context = {
        "case": case,
        "form": form,
        "sections": fact_sections.sections(form),
        "error_links": fact_sections.error_links(form) if form.errors else [],
    }
    return render(request, "cases/case_form.html", context, status=400 if form.errors else 200)


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@login_required
def case_stage(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage from the list."))
        return redirect("cases:case_detail", code=case.code)
    services.change_stage(request.user, case, form.cleaned_data["stage"], form.cleaned_data["comment"])
    return redirect("cases:case_detail", code=case.code)


@login_required
def case_note(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(request.user, case, form.cleaned_data["text"])
    else:
        messages.error(request, _("A note cannot be empty."))
    return redirect("cases:case_detail", code=case.code)


@login_required
def case_assign(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    services.assign_lawyer(request.user, case, form.cleaned_data["lawyer"])
    return redirect("cases:case_detail", code=case.code)


@login_required
def document_upload(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    permissions.require(permissions.can_work_on_cases(request.user))
    if declared_length(request) > settings.COURTPATH_MAX_UPLOAD_REQUEST_BYTES:  # the file was not kept
        messages.error(request, too_large_message())
        return redirect("cases:case_detail", code=case.code)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.get("file") or [_("Choose a file.")]
        messages.error(request, errors[0])
        return redirect("cases:case_detail", code=case.code)
    uploaded = form.cleaned_data["file"]
    services.add_document(
        request.user,
        case,
        uploaded.name or "document",
        uploaded.content_type or "application/octet-stream",
        uploaded.read(),
    )
    messages.success(request, _("Document attached (stored encrypted)."))
    return redirect("cases:case_detail", code=case.code)


@login_required
def document_download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    document = selectors.get_document(case, pk)
    content = services.read_document(request.user, case, document)  # opened and authenticated whole
    # Streamed from memory in chunks: a slow client holds a thread, and each chunk must leave within the server's
    # I/O timeout, not the whole file (a 20 MiB document over Tor). Always a download, never rendered by the
    # browser: a document cannot run script in the app's origin.
    response = FileResponse(io.BytesIO(content), content_type="application/octet-stream")
    response.block_size = DOWNLOAD_CHUNK_BYTES
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=document.name)
    return response


@login_required
def case_delete(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    case = selectors.get_case(request.user, code)
    permissions.require(permissions.can_delete_case(request.user))
    form = DeleteCaseForm(request.POST, case_code=case.code)
    if not form.is_valid():
        messages.error(request, form.errors["confirm_code"][0])
        return redirect("cases:case_detail", code=case.code)
    erasure = services.delete_case(request.user, case)
    messages.success(request, _("Case %(code)s deleted; its key is destroyed.") % {"code": code})
    _warn_unless_erased(request, erasure)
    return redirect("cases:case_list")
