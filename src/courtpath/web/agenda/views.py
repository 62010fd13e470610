"""Thin views of manual dates (on the case page), the 14-day page, the reminder settings and the calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtpath.web.accounts.models import User
from courtpath.web.agenda import digest, feeds, selectors, services
from courtpath.web.agenda.forms import DigestForm, DoneForm, ItemForm
from courtpath.web.agenda.ical import Event, calendar
from courtpath.web.agenda.permissions import may_edit_items, may_have_reminders
from courtpath.web.cases import selectors as case_selectors
from courtpath.web.cases.models import Case


def case_section(user: User, case: Case) -> dict[str, object]:
    """What the case page shows of its manual dates (cases.views.case_detail)."""
    return {
        "agenda_items": selectors.case_items(case),
        "agenda_form": ItemForm(),
        "can_edit_agenda": may_edit_items(user, case),
    }


def _case(request: HttpRequest, code: str) -> Case:
    case = case_selectors.get_case(request.user, code)  # 404 for a case the user may not see
    if not may_edit_items(request.user, case):
        raise PermissionDenied
    return case


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("cases:case_detail", args=[case.code]) + "#agenda")


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, code: str) -> HttpResponse:
    case = _case(request, code)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_item(request.user, case, **form.values())
        messages.success(request, _("Date added."))
        return _back(case)
    context = {"case": case, "form": form, "item": None}
    return render(request, "agenda/item_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _case(request, code)
    item = selectors.get_item(case, pk)
    if problem := selectors.item_problem(item, case.code):  # it can still be marked done or deleted
        return render(request, "cases/unreadable.html", {"case": case, "unreadable": [problem]}, status=409)
    form = ItemForm.for_item(item, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.update_item(request.user, item, **form.values())
            messages.success(request, _("Date saved."))
            return _back(case)
    else:
        services.opened(request.user, item)
    context = {"case": case, "form": form, "item": item}
    return render(request, "agenda/item_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def item_done(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _case(request, code)
    item = selectors.get_item(case, pk)
    form = DoneForm(request.POST)
    form.is_valid()  # a missing or unchecked box means "not done"
    services.set_done(request.user, item, bool(form.cleaned_data.get("done")))
    return _back(case)


@login_required
@require_POST
def item_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = _case(request, code)
    services.delete_item(request.user, selectors.get_item(case, pk))
    messages.success(request, _("Date deleted."))
    return _back(case)


def _require_reminders(user: User) -> None:
    if not may_have_reminders(user):
        raise PermissionDenied


@login_required
@require_GET
def upcoming(request: HttpRequest) -> HttpResponse:
    """My next 14 days: the computed deadlines and the dates entered by hand of the cases the user may see."""
    _require_reminders(request.user)
    context = {"dues": selectors.next_days(request.user), "days": selectors.DIGEST_DAYS}
    return render(request, "agenda/upcoming.html", context)


def _settings_page(request: HttpRequest, **extra: object) -> HttpResponse:
    subscription = selectors.digest_of(request.user)
    digest_form = extra.pop("digest_form", None) or DigestForm(
        initial={"enabled": subscription is not None, "address": subscription.address if subscription else ""}
    )
    context = {
        "feed": selectors.active_feed(request.user),
        "digest_form": digest_form,
        "subscription": subscription,
        "fetch_limit": feeds.FETCHES_PER_HOUR,
        **extra,
    }
    return render(request, "agenda/settings.html", context, status=400 if digest_form.errors else 200)


@login_required
@require_GET
def reminder_settings(request: HttpRequest) -> HttpResponse:
    _require_reminders(request.user)
    return _settings_page(request)


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    _require_reminders(request.user)
    form = DigestForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["enabled"]:
                digest.subscribe(request.user, form.cleaned_data["address"], translation.get_language() or "ru")
                messages.success(request, _("The daily digest is on."))
            elif digest.unsubscribe(request.user):
                messages.success(request, _("The daily digest is off; the address is deleted."))
        except ValidationError as error:
            form.add_error("address", error)
        else:
            return redirect("agenda:settings")
    return _settings_page(request, digest_form=form)


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    _require_reminders(request.user)
    _feed, raw = feeds.create_feed(request.user, translation.get_language() or "ru")
    # Shown in this response only: the token is kept nowhere but as its hash.
    address = request.build_absolute_uri(reverse("agenda:feed", args=[raw]))
    return _settings_page(request, new_address=address)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    _require_reminders(request.user)
    if feeds.revoke_feed(request.user):
        messages.success(request, _("The calendar address is revoked: calendars that use it get nothing from now on."))
    return redirect("agenda:settings")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed, for calendar apps that cannot log in: the token is the only credential (agenda/feeds.py).
    Case codes, dates and kinds only; no cookie is read or set."""
    fetched = feeds.fetch(token)
    if fetched.feed is None:
        raise Http404
    if fetched.retry_after:
        response = HttpResponse("Too many requests\n", status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(fetched.retry_after)
    else:
        owner = fetched.feed.user
        with translation.override(fetched.feed.language):
            events = [
                Event(d.uid, f"{d.case_code}: {d.label}", d.at, d.all_day, d.day)
                for d in selectors.everything_due(owner)
            ]
            text = calendar(events, timezone.now(), "courtpath")
        response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="courtpath.ics"'
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
