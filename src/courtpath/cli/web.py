"""`courtpath web …`: set up the database and the first administrator, serve the app, run Django commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

web_app = typer.Typer(help="The case-management web app.", no_args_is_help=True)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_bind(bind: str, *, https: bool) -> None:
    """The server listens on the loopback only. Behind the TLS proxy on the same host, that is where the proxy
    connects; anywhere else, a client could talk plain HTTP to gunicorn and claim `X-Forwarded-Proto: https`."""
    host = bind.rpartition(":")[0].strip("[]") or bind
    if host in LOOPBACK:
        return
    if https:
        raise ValueError(
            f"bind {bind}: serve on 127.0.0.1 and let the TLS reverse proxy on this host take outside connections; "
            "on another address anyone could reach gunicorn without TLS (docs/deployment.md)"
        )
    raise ValueError(
        f"COURTPATH_HTTPS=0 serves plain HTTP, which is for this machine's loopback only, not {host}: bind "
        "127.0.0.1 and put the TLS reverse proxy in front (docs/deployment.md)"
    )


def django_setup() -> None:
    os.umask(0o077)  # the database, documents, keyring and backups: readable by this user only
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:  # a bad COURTPATH_* setting: one line and exit code 2 (cli.main.run)
        raise ValueError(str(error)) from None


PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        help="Read the passphrase from this file (removable media, systemd credentials) instead of a prompt; "
        "also COURTPATH_PASSPHRASE_FILE."
    ),
]
RecoveryOut = Annotated[
    Path | None,
    typer.Option(help="At first set-up, write the recovery identity to this new file instead of printing it."),
]


def _unlock_or_create_keyring(passphrase_file: Path | None, recovery_out: Path | None) -> None:
    """Open the keyring (passphrase prompt or file), or create it at first start and show its secrets once."""
    from courtpath.vault import state
    from courtpath.vault.unlock import create_keyring
    from courtpath.web.vault.operations import keyring_path, unlock_process

    path = keyring_path()
    if path.exists():
        master = unlock_process(passphrase_file)
        sys.stdout.write(f"vault unlocked (master key {master.key_id})\n")
        return
    created = create_keyring(path, passphrase_file, recovery_out, may_show_secrets=sys.stdout.isatty())
    state.unlock(created.master)
    sys.stdout.write(f"new keyring {path} (master key {created.master.key_id})\n")
    if created.generated_passphrase:
        sys.stdout.write(
            f"passphrase (shown only now; needed at every start): {created.generated_passphrase}\n"
            "  change it with `courtpath keys passphrase`\n"
        )
    if created.recovery_identity:
        sys.stdout.write(
            "recovery identity (shown only now): write it down and keep it OFFLINE, away from this server.\n"
            "It restores a lost passphrase and decrypts backups:\n"
            f"  {created.recovery_identity}\n"
        )
    else:
        sys.stdout.write(f"recovery identity written to {recovery_out}: move it OFFLINE now\n")


def suggested_admin_name() -> str:
    """A first administrator's name nobody can guess: `admin-` and six random characters (about 29 bits)."""
    from courtpath.web.accounts.services import generate_one_time_password

    return "admin-" + generate_one_time_password().replace("-", "")[:6]


def _first_admin_name(admin: str | None) -> str:
    """The name given with --admin; otherwise asked for in a terminal, with a random suggestion that Enter accepts;
    otherwise (no terminal to ask in) the random suggestion. Never the guessable `admin`."""
    if admin is not None:
        return admin
    suggestion = suggested_admin_name()
    if not sys.stdin.isatty():
        return suggestion
    return typer.prompt("Username of the first administrator (a pseudonym, not a real name)", default=suggestion)


def local_url(bind: str) -> str:
    """The address a browser on this machine opens for a bind: 127.0.0.1:8080 -> http://127.0.0.1:8080/."""
    return f"http://{bind}/"


def _login_where(https: bool, bind: str | None) -> str:
    if https:
        return "through the TLS reverse proxy"
    if bind is None:  # `web init`: the server is not started here
        return "at the address `courtpath web serve` prints (http://127.0.0.1:8000/ unless --bind says otherwise)"
    return f"at {local_url(bind)}"


def _prepare(
    create_admin: bool,
    admin: str | None,
    passphrase_file: Path | None,
    recovery_out: Path | None,
    bind: str | None = None,
) -> None:
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from courtpath.vault import state
    from courtpath.web.accounts.models import User
    from courtpath.web.accounts.services import create_first_administrator
    from courtpath.web.cases import name_index
    from courtpath.web.vault.operations import check_master_matches_data

    _unlock_or_create_keyring(passphrase_file, recovery_out)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    check_master_matches_data(state.master())
    if indexed := name_index.index_missing():
        sys.stdout.write(f"{indexed} cases added to the name index\n")
    if not create_admin or User.objects.exists():
        sys.stdout.write("database ready\n")
        return
    if not sys.stdout.isatty():  # a one-time password must not end up in a log or a journal
        sys.stdout.write("database ready; no account yet: run `courtpath web init` in a terminal to create one\n")
        return
    from django.conf import settings

    try:
        user, password = create_first_administrator(_first_admin_name(admin))
    except ValidationError as error:  # a bad --admin name: one line and exit code 2 (cli.main.run)
        raise ValueError(f"first administrator: {' '.join(error.messages)}") from None
    where = _login_where(settings.HTTPS, bind)
    sys.stdout.write(
        f"database ready; first administrator: {user.username}\n"
        f"one-time password (shown only now): {password}\n"
        f"log in {where}, then set a new password and enrol a TOTP authenticator.\n"
    )


@web_app.command("init")
def init(
    admin: Annotated[
        str | None,
        typer.Option(
            help="Username of the first administrator (a pseudonym). Without it: asked for, with a random "
            "suggestion such as admin-k3x9qp."
        ),
    ] = None,
    no_admin: Annotated[bool, typer.Option("--no-admin", help="Create no account.")] = False,
    passphrase_file: PassphraseFile = None,
    recovery_out: RecoveryOut = None,
) -> None:
    """Create or unlock the keyring, migrate the database and, if there is no account yet, create the first
    administrator with a one-time password (shown once; the administrator must change it and enrol two-factor
    authentication at first login)."""
    django_setup()
    _prepare(not no_admin, admin, passphrase_file, recovery_out)


@web_app.command("serve")
def serve(
    bind: Annotated[str, typer.Option(help="Address and port of the staff pool (the whole app).")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(min=1, help="Worker processes of the staff pool.")] = 3,
    threads: Annotated[int, typer.Option(min=1, help="Threads per worker process (both pools).")] = 4,
    public_bind: Annotated[
        str, typer.Option(help="Address and port of the public pool (the /help/ interview only).")
    ] = "127.0.0.1:8001",
    public_workers: Annotated[
        int, typer.Option(min=0, help="Worker processes of the public pool; 0: no public pool.")
    ] = 2,
    timeout: Annotated[
        int, typer.Option(min=1, help="Seconds before gunicorn restarts a worker whose main loop is stuck.")
    ] = 30,
    graceful_timeout: Annotated[
        int, typer.Option(min=1, help="Seconds a stopping worker may finish its requests.")
    ] = 30,
    keep_alive: Annotated[int, typer.Option(min=0, help="Seconds an idle connection is kept open.")] = 5,
    header_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client has to send a request's headers.")
    ] = 10.0,
    io_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client may neither send nor read while a request is served.")
    ] = 30.0,
    admin: Annotated[
        str | None,
        typer.Option(
            help="Username of the first administrator, if there is none. Without it: asked for, with a random "
            "suggestion such as admin-k3x9qp."
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    recovery_out: RecoveryOut = None,
) -> None:
    """Unlock the vault (passphrase), prepare the database, and serve the app with gunicorn (put a TLS reverse proxy
    in front of it; see README). The staff pool serves everything, the public pool only the /help/ interview
    (docs/deployment.md, section 9). The master key stays in memory; the workers inherit it."""
    django_setup()
    from django.conf import settings

    from courtpath.web.server.pools import PUBLIC_NICENESS, Pool, Timeouts, serve_pools

    check_bind(bind, https=settings.HTTPS)
    pools = [Pool("staff", bind, workers, threads, "courtpath.web.wsgi:application")]
    if public_workers:
        check_bind(public_bind, https=settings.HTTPS)
        if public_bind == bind:
            raise ValueError(f"the public pool needs an address of its own, not {bind} (--public-bind)")
        pools.append(
            Pool(
                "public", public_bind, public_workers, threads, "courtpath.web.wsgi_public:application", PUBLIC_NICENESS
            )
        )
    timeouts = Timeouts(timeout, graceful_timeout, keep_alive, header_timeout, io_timeout)
    from courtpath.web.vault.operations import hold_serving_lock

    _serving = hold_serving_lock()  # keys rotate and restore refuse while it is held
    _prepare(True, admin, passphrase_file, recovery_out, bind)
    if settings.HTTPS:
        sys.stdout.write("HTTPS mode: serve through the TLS reverse proxy (docs/deployment.md)\n")
    else:
        sys.stdout.write(f"plain HTTP on this machine only (COURTPATH_HTTPS=0): {local_url(bind)}\n")
        if public_workers:
            sys.stdout.write(f"the public interview also has a pool of its own: {local_url(public_bind)}help/\n")
    sys.stdout.flush()  # before the fork: the children must not print it again
    from django.db import connections

    connections.close_all()  # the workers open their own connections after the fork
    raise typer.Exit(serve_pools(pools, timeouts))


@web_app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(context: typer.Context) -> None:
    """Run a Django management command, e.g. `courtpath web manage check --deploy` (accounts are made in the app or
    by `web init`, with a one-time password and an audit event, not with createsuperuser)."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["courtpath web manage", *context.args])
