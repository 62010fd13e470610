"""`courtpath web …`: set up the database and the first administrator, serve the app, run Django commands."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

web_app = typer.Typer(help="The case-management web app.", no_args_is_help=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
    import django

    django.setup()


@web_app.command("init")
def init(admin: Annotated[str, typer.Option(help="Username of the first administrator.")] = "admin") -> None:
    """Migrate the database; if there is no account yet, create the first administrator and print a one-time
    password (shown once; the administrator must change it and enrol two-factor authentication at first login)."""
    _django()
    from django.core.management import call_command

    from courtpath.web.accounts.models import User
    from courtpath.web.accounts.services import create_first_administrator

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if User.objects.exists():
        sys.stdout.write("database ready; accounts already exist\n")
        return
    user, password = create_first_administrator(admin)
    sys.stdout.write(
        f"database ready; first administrator: {user.username}\n"
        f"one-time password (shown only now): {password}\n"
        "log in at http://127.0.0.1:8000/ , then set a new password and enrol a TOTP authenticator.\n"
    )


@web_app.command("serve")
def serve(
    bind: Annotated[str, typer.Option(help="Address and port.")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 3,
) -> None:
    """Serve the app with gunicorn (put a TLS reverse proxy in front of it; see README)."""
    _django()
    from gunicorn.app.wsgiapp import run as gunicorn_run

    sys.argv = [
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(t)s "%(m)s %(U)s" %(s)s %(L)ss',  # path without the query string
        "courtpath.web.wsgi:application",
    ]
    gunicorn_run()


@web_app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(context: typer.Context) -> None:
    """Run a Django management command, e.g. `courtpath web manage createsuperuser`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["courtpath web manage", *context.args])
