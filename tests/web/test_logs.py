"""Every log line is one line: the app's logging configuration and the audit log escape what they are given."""

from __future__ import annotations

import io
import logging

import pytest

from courtpath.logsafe import OneLineFormatter
from courtpath.web.audit.models import AuditEvent
from courtpath.web.audit.services import record

FORGED = "/cases/x/\n2026-12-07 deleted case C-ABC"


def _writing_handlers() -> list[tuple[str, logging.Handler]]:
    """Every handler that writes somewhere, on every logger (pytest's own capture handlers apart)."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    return [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler) and not type(handler).__module__.startswith("_pytest")
    ]


def test_every_handler_of_the_logging_configuration_writes_one_line_per_record() -> None:
    import courtpath.web.urls  # noqa: F401  (every app module, and what they import, is loaded)

    handlers = _writing_handlers()
    assert {"root", "django", "django.request", "axes"} <= {name for name, _ in handlers}
    for name, handler in handlers:
        assert isinstance(handler.formatter, OneLineFormatter), name


@pytest.mark.parametrize("name", ["django.security.SuspiciousSession", "axes.watch_login", "some.library"])
def test_a_logged_line_feed_does_not_start_a_new_record(name: str) -> None:
    stream = io.StringIO()
    logger = logging.getLogger(name)
    handlers = {id(h): h for n, h in _writing_handlers() if n in ("root", name.partition(".")[0])}
    # Swapped by hand: setStream() would first flush the old stream, which may be a capture of an earlier test
    # that pytest has closed since the handler was made.
    previous = {key: handler.stream for key, handler in handlers.items()}
    for handler in handlers.values():
        handler.stream = stream
    try:
        logger.warning("Forbidden: %s", FORGED)
        try:
            raise ValueError(FORGED)
        except ValueError:
            logger.error("failed", exc_info=True)
    finally:
        for key, handler in handlers.items():
            handler.stream = previous[key]
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0] == "Forbidden: /cases/x/\\n2026-12-07 deleted case C-ABC"
    assert not any(line.startswith("2026-12-07") for line in lines)


@pytest.mark.django_db
def test_the_audit_log_keeps_no_line_break() -> None:
    event = record(None, "view", "case\nfake", "C-1\n2026-12-07 deleted case C-ABC", ["stage\u2028x", "b"])
    event.refresh_from_db()
    assert event.object_type == "case\\nfake"
    assert event.object_id == "C-1\\n2026-12-07 deleted case C-ABC"
    assert event.fields == "b,stage\\u2028x"
    assert not AuditEvent.objects.filter(object_id__contains="\n").exists()
