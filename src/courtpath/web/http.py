"""Small helpers over Django's request that several apps need."""

from __future__ import annotations

from django.http import HttpRequest


def declared_length(request: HttpRequest) -> int:
    """The body's length as the client declared it (Content-Length), 0 when missing or malformed: enough to refuse a
    body that is too large before reading it."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
