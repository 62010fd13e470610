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
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from courtpath.law.problems import FactsError
from courtpath.web.assessments.deadlines import case_deadlines, upcoming_deadlines
from courtpath.web.cases import export, listing, permissions, selectors, services, stored
from courtpath.web.cases.forms import (
    AssignForm,
    BulkDeleteForm,
    CaseForm,
    ConvertForm,
    DeleteCaseForm,
    DocumentForm,
    NoteForm,
    RequestForm,
    StageForm,
    add_problems,
    too_large_message,
)
from courtpath.web.cases.list_forms import CaseListForm
from courtpath.web.http import declared_length
from courtpath.web.vault.erasure import Erasure

DOWNLOAD_CHUNK_BYTES = 64 * 1024


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    deadlines = upcoming_deadlines(selectors.cases_with_assessments(request.user))
    context = {
        "deadlines": [deadline for deadline in deadlines if deadline.code != "unreadable"][:50],
        "unreadable_deadlines": [deadline for deadline in deadlines if deadline.code == "unreadable"],
        "open_requests": selectors.waiting_requests(request.user)[:20],
        "held_count": selectors.held_requests(request.user).count(),
        "account_changes": selectors.recent_account_changes(request.user),
        "watch_days": selectors.ACCOUNT_WATCH_DAYS,
    }
    return render(request, "cases/dashboard.html", context)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    held = request.GET.get("held") == "1"
    requests = selectors.held_requests(request.user) if held else selectors.visible_requests(request.user)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "held": held,
        "can_create": permissions.can_create_request(request.user),
        "can_bulk_delete": permissions.can_delete_case(request.user),
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


@login_required
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    help_request = selectors.get_request(request.user, code)
    services.opened(request.user, "request", help_request.code)
    form = ConvertForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_convert_request(request.user))
        if form.is_valid():
            case = services.convert_request(request.user, help_request, form.cleaned_data["lawyer"])
            messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
            return redirect("cases:case_detail", code=case.code)
    can_delete = permissions.can_dispose_of_request(request.user, help_request)
    context = {
        "help_request": help_request,
        "form": form,
        "can_convert": permissions.can_convert_request(request.user),
        "can_delete": can_delete,
        "delete_form": DeleteCaseForm(case_code=help_request.code) if can_delete else None,
        "retention_days": settings.COURTPATH_RETENTION_DAYS,
    }
    return render(request, "cases/request_detail.html", context, status=400 if form.errors else 200)


@login_required
def request_decline(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _post_only(request)) is not None:
        return refused
    help_request = selectors.get_request(request.user, code)
    permissions.require(permissions.can_dispose_of_request(request.user, help_request))
    services.decline_request(request.user, help_request)
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
    form = DeleteCaseForm(request.POST, case_code=help_request.code)
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
    assessment = selectors.latest_assessment(case)
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
        "events": events,
        "notes": notes,
        "documents": documents,
        "document_form": DocumentForm(),
        "delete_form": DeleteCaseForm(case_code=case.code),
        "can_delete": permissions.can_delete_case(request.user),
        "history": selectors.assessment_history(case)[:20],
        "stage_form": StageForm(initial={"stage": case.stage}),
        "note_form": NoteForm(),
        "assign_form": AssignForm(initial={"lawyer": case.lawyer}),
        "can_work": permissions.can_work_on_cases(request.user),
        "can_assign": permissions.can_assign(request.user),
    }
    return render(request, "cases/case_detail.html", context)


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
    return render(request, "cases/case_form.html", {"case": case, "form": form}, status=400 if form.errors else 200)


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
