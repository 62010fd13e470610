"""The public pool serves the self-help interview and nothing else.

`courtpath web serve` runs the public interview (/help/) on a gunicorn pool of its own (courtpath.web.wsgi_public),
so anonymous traffic cannot take the staff pool's workers. That pool's WSGI entry marks every request with the
environ key PUBLIC_POOL_KEY (a key no HTTP header can produce: headers arrive as HTTP_*), and this middleware answers
404 there to every URL that is not a public interview page. Even if the proxy in front routed a staff URL to the
public pool, that pool would not serve it. Static files are served before it (WhiteNoise).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from courtpath.web.interview.urls import PUBLIC_VIEWS

PUBLIC_POOL_KEY = "courtpath.pool"
PUBLIC_POOL = "public"


def is_public_view(path: str) -> bool:
    try:
        return resolve(path).view_name in PUBLIC_VIEWS
    except Resolver404:
        return False


class PublicPoolOnlyMiddleware:
    """In the public pool, 404 for everything but the interview's pages (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get(PUBLIC_POOL_KEY) == PUBLIC_POOL and not is_public_view(request.path_info):
            raise Http404("not served by the public pool")
        return self.get_response(request)
