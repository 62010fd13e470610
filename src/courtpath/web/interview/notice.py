"""The public privacy page (/help/privacy/, /help/en/privacy/): the organisation's own notice, what this site keeps,
and what the quick-exit link does and does not do."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from courtpath.web.interview import pages


@require_GET
def privacy(request: HttpRequest, lang: str) -> HttpResponse:
    with translation.override(lang):
        context = pages.base_context(lang)
        exit_url = context["organisation"].quick_exit_url  # type: ignore[attr-defined]
        context["quick_exit_host"] = urlsplit(exit_url).hostname or exit_url
        context["retention_days"] = settings.COURTPATH_RETENTION_DAYS
        return render(request, "interview/privacy.html", context)
