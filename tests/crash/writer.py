"""The crash tests' writer: writes cases through the service layer until it is killed.

    COURTPATH_DATA_DIR=... [DATABASE_URL=...] python tests/crash/writer.py

Run as a subprocess by the crash tests, never imported. It uses the test settings (so the production database
settings: SQLite in WAL mode with synchronous=FULL, or PostgreSQL from DATABASE_URL), reuses or creates one intake
and one coordinator account, then loops forever. A line on stdout, flushed, acknowledges each service call after it
has returned, that is after its transaction committed:

    READY <vendor> <journal_mode> <synchronous>   once, before the first write (SQLite pragmas, "-" on PostgreSQL)
    R <request code>                              create_request returned
    C <case code> <request code>                  convert_request returned
    N <case code> <note id>                       add_note returned

The parent kills it with SIGKILL at a moment of its choosing, most likely in the middle of the next write.
"""

from __future__ import annotations

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "courtpath.web.settings_test"

import django

django.setup()

from django.db import connection  # noqa: E402  (after django.setup())

from courtpath.web.accounts.models import Role, User  # noqa: E402  (after django.setup())
from courtpath.web.cases import services  # noqa: E402  (after django.setup())
from courtpath.web.cases.models import Channel, Relation  # noqa: E402  (after django.setup())

SUMMARY = "Fictional crash-test request {n}: Ivan Testovich Crashkin, unit 00000 (not a real person)"
NOTE = "Fictional note {n} written by the crash-test writer"


def account(username: str, role: str) -> User:
    """The writer's account, made once per database; no usable password, nobody logs in as it."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role)
        user.set_unusable_password()
        user.save()
    return user


def say(*words: object) -> None:
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def settings_line() -> tuple[str, str, str]:
    if connection.vendor != "sqlite":
        return connection.vendor, "-", "-"
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
    return connection.vendor, journal, str(synchronous)


def main() -> None:
    intake = account("crash-intake", Role.INTAKE)
    coordinator = account("crash-coordinator", Role.COORDINATOR)
    say("READY", *settings_line())
    n = 0
    while True:
        n += 1
        request = services.create_request(
            intake, channel=Channel.PHONE, relation=Relation.PARENT, summary=SUMMARY.format(n=n)
        )
        say("R", request.code)
        case = services.convert_request(coordinator, request)
        say("C", case.code, request.code)
        note = services.add_note(coordinator, case, NOTE.format(n=n))
        say("N", case.code, note.pk)


if __name__ == "__main__":
    main()
