"""The one clock of the case pages' reassessment: `now()`, an aware datetime.

A function of its own so that the tests can move time forward (monkeypatch `clock.now`) and see what a page or the
periodic `courtpath reassess` shows days later, without touching Django's or the engine's clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
