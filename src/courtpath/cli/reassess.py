"""`courtpath reassess`: assess as of now the open cases whose absence goes on and whose saved assessment a
boundary has made stale, and write the summaries that assessments saved by an older version lack
(courtpath.web.assessments.reassess). Run hourly by a systemd timer (docs/deployment.md);
safe to run by hand at any time, also while the server runs."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from courtpath.cli.web import PassphraseFile, django_setup


def reassess(
    all_cases: Annotated[
        bool,
        typer.Option("--all", help="Reassess every open case whose absence goes on, stale or not."),
    ] = False,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Reassess the open cases whose absence goes on and whose assessment is stale; print what was done."""
    django_setup()
    from courtpath.web.assessments.reassess import reassess_open_cases
    from courtpath.web.vault.operations import unlock_process

    unlock_process(passphrase_file)
    summary = reassess_open_cases(all_cases=all_cases)
    sys.stdout.write(
        f"open cases: {summary.open_cases}; absence going on: {summary.ongoing}; reassessed: {summary.reassessed}; "
        f"qualification changed: {summary.changed}; unreadable: {summary.unreadable}; "
        f"summaries written: {summary.summaries_written}; "
        f"time: {summary.seconds:.2f} s\n"
    )
