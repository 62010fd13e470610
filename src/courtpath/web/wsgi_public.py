"""WSGI entry point of the public pool (gunicorn courtpath.web.wsgi_public): the interview only.

Every request is marked as coming through the public pool; courtpath.web.server.public_pool then refuses
everything that is not a public interview page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from courtpath.web.server.public_pool import PUBLIC_POOL, PUBLIC_POOL_KEY
from courtpath.web.wsgi import application as django_application


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ[PUBLIC_POOL_KEY] = PUBLIC_POOL
    return django_application(environ, start_response)
