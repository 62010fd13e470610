"""The administrators' page for the organisation's identity (shown on the public pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courtpath.web.organisation import selectors, services
from courtpath.web.organisation.forms import IdentityForm


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: HttpRequest) -> HttpResponse:
    identity = selectors.identity_for_edit(request.user)  # 403 for everyone but administrators
    form = IdentityForm(request.POST if request.method == "POST" else None, instance=identity)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        changed = services.update_identity(request.user, values)
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        return redirect("organisation:identity")
    return render(request, "organisation/identity_form.html", {"form": form}, status=400 if form.errors else 200)
