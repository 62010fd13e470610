"""The API's views, and the page where staff manage their tokens.

The API views (assess, openapi) authenticate by token only: SecondFactorRequiredMiddleware lets them through
(accounts/middleware.py, TOKEN_VIEWS), they are CSRF-exempt, and they never read request.user or the session, so a
session cookie is worth nothing to them and a request forged cross-site gets 401. Every answer is JSON; errors are
`{"errors": [{"field": ..., "message": ...}]}`. The checks run in this order: method (405), token (401), size (413),
media type (415), body (400).

The token page is an ordinary page behind the login and the second factor, for the roles that may use the API
(api/permissions.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import msgspec
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from courtpath.law.answer import answer_json
from courtpath.law.engine import assess as run_assessment
from courtpath.web.api import openapi as openapi_document
from courtpath.web.api import services
from courtpath.web.api.forms import TokenCreateForm
from courtpath.web.api.models import ApiToken
from courtpath.web.api.permissions import can_use_api
from courtpath.web.api.schemas import MAX_BODY_BYTES, Errors, FieldError, InvalidRequest, parse_request
from courtpath.web.http import declared_length

JSON = "application/json"


_ENCODER = msgspec.json.Encoder()


def json_response(payload: object, status: int = 200) -> HttpResponse:
    """Compact UTF-8 JSON."""
    return HttpResponse(_ENCODER.encode(payload), content_type=JSON, status=status)


def error_response(status: int, code: str, message: str) -> HttpResponse:
    """An error about the request as a whole (no field): method, token, size, media type."""
    return json_response(Errors([FieldError(None, code, message)]), status)


def _bearer_token(request: HttpRequest) -> services.TokenUse | None:
    scheme, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return services.authenticate(credentials.strip())


def token_view(method: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """An API view for one method, authenticated by a bearer token (its owner: request.api_token)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method != method:
                response = error_response(405, "method_not_allowed", f"use {method}")
                response["Allow"] = method
                return response
            token = _bearer_token(request)
            if token is None:
                response = error_response(
                    401, "unauthorized", "a valid API token is required: Authorization: Bearer <token>"
                )
                response["WWW-Authenticate"] = 'Bearer realm="courtpath"'
                return response
            request.api_token = token
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@token_view("POST")
def assess(request: HttpRequest) -> HttpResponse:
    if declared_length(request) > MAX_BODY_BYTES:
        return error_response(413, "too_large", f"the body is larger than {MAX_BODY_BYTES} bytes")
    if request.content_type != JSON:
        return error_response(415, "media_type", "send the facts as application/json")
    try:
        # read() rather than .body: the body is read once, here, and needs no second copy kept on the request
        facts, lang = parse_request(request.read())
    except InvalidRequest as error:
        return json_response(Errors(error.errors), 400)
    response = HttpResponse(answer_json(run_assessment(facts), lang), content_type=JSON)
    response["Content-Language"] = lang
    return response


@functools.cache
def _document_bytes() -> bytes:
    return _ENCODER.encode(openapi_document.document())


@token_view("GET")
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_document_bytes(), content_type=JSON)


# -- the token page -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if not can_use_api(request.user):
        raise PermissionDenied
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created = raw = None
    if form.is_valid():
        try:
            created, raw = services.create_token(request.user, form.cleaned_data["name"], form.expires_in_days())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in this response only (not kept in the session or a message); reloading re-sends the form and
            # makes another token, which the list then shows.
            form = TokenCreateForm()
    now = timezone.now()
    tokens = [(token, services.is_active(token, now)) for token in services.own_tokens(request.user)]
    context = {"form": form, "tokens": tokens, "created": created, "raw_token": raw}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.revoke_token(request.user, pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(
        request, _("The token has been revoked. Tools using it get “401 Unauthorized” within a second from now.")
    )
    return redirect("api:tokens")
