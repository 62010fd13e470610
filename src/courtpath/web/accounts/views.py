"""Thin views: parse the form, call a service or a selector, render. Access rules live in the middleware (login and
second factor) and in the services and selectors (administrators), not here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtpath.web.accounts import devices, permissions, selectors, services, totp
from courtpath.web.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    StaffProfileForm,
    UserActionForm,
    UserCreateForm,
)
from courtpath.web.accounts.models import Role, User
from courtpath.web.accounts.services import SecondFactorResult
from courtpath.web.accounts.session_state import EXPIRED_NOTICE, LOGIN_NEXT, SECOND_FACTOR_OK


def _home(user: User) -> str:
    return reverse(selectors.home_url_name(user))


def _safe_next(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _after_login(request: HttpRequest, user: User) -> HttpResponse:
    """Where to go once both factors are done: the forced password change, then the page asked for, or home; with
    the device cookie the login issued (devices.py)."""
    if user.must_change_password:
        return devices.attach(request, redirect("accounts:password_change"))
    return devices.attach(request, redirect(request.session.pop(LOGIN_NEXT, None) or _home(user)))


def _pending_step(request: HttpRequest, user: User) -> HttpResponse:
    if request.session.get(SECOND_FACTOR_OK):
        return _after_login(request, user)
    return redirect("accounts:second_factor" if user.totp_confirmed else "accounts:enrol")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _pending_step(request, request.user)
    if request.session.pop(EXPIRED_NOTICE, False):
        messages.info(request, _("Your session has expired. Please log in again."))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = services.authenticate_password(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except services.OneTimePasswordExpired:
            form.add_error(
                None,
                _(
                    "This one-time password has expired (they are valid for 24 hours). Ask an administrator for a "
                    "new one."
                ),
            )
        else:
            if user is not None:
                services.start_session(request, user, _safe_next(request))
                return _pending_step(request, user)
            # The same words for an unknown username, a wrong password and a deactivated account. While django-axes
            # locks the username out, its middleware replaces this page with locked_out() below.
            form.add_error(None, _("The username or the password is wrong."))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request) or ""})


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """The page django-axes shows instead of the login page while a username is locked out (AXES_LOCKOUT_CALLABLE).

    Unknown usernames are locked out exactly like existing ones, and this page names no user, so it does not reveal
    whether an account exists.
    """
    if request.user.is_authenticated:
        auth_logout(request)
    return render(request, "accounts/locked_out.html", status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.end_session(request)
    response = redirect(settings.LOGIN_URL)
    # Not "cookies": that would delete the device cookie too (devices.py). The session cookie is deleted by the
    # session middleware, as the session is now empty; the CSRF token was rotated at the login.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.session.get(SECOND_FACTOR_OK) or not user.totp_confirmed:
        return _pending_step(request, user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = services.check_second_factor(request, user, form.cleaned_data["code"])
        if result is SecondFactorResult.ACCEPTED:
            return _after_login(request, user)
        if result is SecondFactorResult.LOCKED_OUT:
            return locked_out(request)
        form.add_error("code", _("This code is not valid. Wait for the next code and try again."))
    return render(request, "accounts/second_factor.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.totp_confirmed:
        return _pending_step(request, user)
    if not services.may_enrol(user):
        return render(request, "accounts/enrol_refused.html", status=403)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if services.confirm_enrolment(request, user, form.cleaned_data["code"]):
            messages.success(request, _("Your authenticator app is set up."))
            return _after_login(request, user)
        form.add_error("code", _("This code is not valid. Check the time on your phone and try the next code."))
    secret = services.begin_enrolment(user)
    uri = totp.provisioning_uri(secret, user.get_username())
    context = {
        "form": form,
        "qr_svg": mark_safe(totp.qr_svg(uri)),  # segno's own markup: paths only, no user text
        "secret": totp.grouped(secret),
    }
    return render(request, "accounts/enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.change_password(request, request.user, form.cleaned_data["new_password1"])
        messages.success(request, _("Your password has been changed."))
        return redirect(request.session.pop(LOGIN_NEXT, None) or _home(request.user))
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own profile, as the drafts print it. Every account edits its own and only its own: the page takes
    no account id, and the service writes the profile of the account it is given."""
    form = StaffProfileForm(
        request.POST if request.method == "POST" else None, instance=selectors.own_profile(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_profile(
                request.user, **{name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile has been saved.") if changed else _("Nothing was changed."))
            return redirect("accounts:profile")
    context = {"form": form, "signature": selectors.draft_profile(request.user)}
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


# -- administration -------------------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"users": selectors.user_list(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    permissions.require_administrator(request.user)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            data = form.cleaned_data
            user, password = services.create_user(request.user, data["username"], data["role"])
        except ValidationError as error:
            form.add_error("username", error)
        else:
            # Shown in this response only: the password is kept nowhere (not in the session either); reloading
            # the page re-sends the form, which then fails because the username exists.
            return render(request, "accounts/one_time_password.html", {"account": user, "password": password})
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.get_user(request.user, pk)
    form = UserActionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == UserActionForm.ONE_TIME_PASSWORD:
                password = services.issue_one_time_password(request.user, account)
                return render(request, "accounts/one_time_password.html", {"account": account, "password": password})
            if action == UserActionForm.ROLE:
                services.change_role(request.user, account, form.cleaned_data["role"])
            elif action in (UserActionForm.DEACTIVATE, UserActionForm.ACTIVATE):
                services.set_active(request.user, account, action == UserActionForm.ACTIVATE)
            elif action == UserActionForm.RESET_TOTP:
                password = services.reset_totp(request.user, account)
                context = {"account": account, "password": password, "after_reset": True}
                return render(request, "accounts/one_time_password.html", context)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account has been updated."))
            return redirect("accounts:user_edit", pk=account.pk)
    context = {
        "account": account,
        "form": form,
        "is_self": account.pk == request.user.pk,
        "roles": Role.choices,
        "one_time_password_expired": services.one_time_password_expired(account),
    }
    return render(request, "accounts/user_edit.html", context)
