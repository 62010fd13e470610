"""`courtpath digest`: a thin command over courtpath.web.agenda.digest (run daily by a systemd timer)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from courtpath.cli.web import django_setup

PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        help="Read the passphrase from this file (removable media, systemd credentials) instead of a prompt; "
        "also COURTPATH_PASSPHRASE_FILE."
    ),
]


def digest(passphrase_file: PassphraseFile = None) -> None:
    """E-mail each user who asked for the daily digest what is due in the next 14 days of their cases: case codes,
    dates and kinds only. At most one e-mail per user a day, so running it again the same day sends nothing. Needs
    the vault passphrase (the deadlines are computed from sealed assessments). Exit status 1 when an e-mail could not
    be sent (the next run tries again)."""
    django_setup()
    from courtpath.web.agenda.digest import send_digests
    from courtpath.web.vault.operations import unlock_process

    unlock_process(passphrase_file)
    run = send_digests()
    sys.stdout.write(
        f"digest: sent {run.sent}, nothing due {run.nothing_due}, already sent today {run.already_sent}, "
        f"not allowed {run.not_allowed}, failed {len(run.failed)}\n"
    )
    if run.failed:
        sys.stderr.write(f"courtpath: error: {len(run.failed)} digests could not be sent; check the mail settings\n")
        raise typer.Exit(1)
