"""`courtpath keys …`, `courtpath backup`, `courtpath restore`, `courtpath purge`: thin commands over
courtpath.web.vault and the case services. None of them prints key material except the one-time set-up secrets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from courtpath.cli.web import django_setup

keys_app = typer.Typer(help="The vault's keys: status, rotation, passphrase, export.", no_args_is_help=True)

PassphraseFile = Annotated[
    Path | None,
    typer.Option(help="Read the passphrase from this file (removable media, systemd credentials) instead of a prompt."),
]
Identity = Annotated[Path, typer.Option(help="The offline age identity file (AGE-SECRET-KEY-1…).")]


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


@keys_app.command("status")
def status() -> None:
    """Which master key the keyring holds and which keys wrap the stored data keys (no secret is shown)."""
    django_setup()
    from courtpath.vault.backup_key import backup_key_path
    from courtpath.vault.keyring import read_keyring
    from courtpath.web.vault.models import DataKey
    from courtpath.web.vault.operations import keyring_path

    keyring = read_keyring(keyring_path())
    wrapping = sorted(set(DataKey.objects.values_list("master_key_id", flat=True)))
    _say(f"keyring: {keyring_path()}\nmaster key: {keyring.key_id}\nbackup recipient: {keyring.backup_recipient}")
    backup_key = backup_key_path(keyring_path())
    _say(
        f"backup key: {backup_key}"
        if backup_key.exists()
        else "backup key: missing (backups are refused): run `courtpath keys backup-key --identity FILE`"
    )
    _say(f"data keys: {DataKey.objects.count()}, wrapped by: {', '.join(wrapping) or '—'}")


@keys_app.command("rotate")
def rotate(
    passphrase_file: PassphraseFile = None,
    new_passphrase_file: Annotated[
        Path | None, typer.Option(help="A new passphrase for the new key (default: keep the current one).")
    ] = None,
) -> None:
    """Replace the master key: every data key and TOTP secret is re-wrapped under a new one. The old key then opens
    only copies made before: old keyrings, key exports, and old copies of the database (its WAL, freed pages, dead
    rows), which still hold the data keys wrapped the old way. Make a new key export afterwards (`courtpath keys
    export`). Refused while the server runs."""
    django_setup()
    from courtpath.vault.errors import KeyringError
    from courtpath.vault.keyring import read_keyring
    from courtpath.vault.unlock import ask_passphrase, read_secret_file
    from courtpath.web.vault.operations import finish_interrupted_rotation, keyring_path, rotate_master_key

    finish_interrupted_rotation(keyring_path())
    passphrase = ask_passphrase(passphrase_file)
    if passphrase is None:
        raise KeyringError("give the current passphrase on a terminal or with --passphrase-file")
    old = read_keyring(keyring_path()).unlock(passphrase)
    if new_passphrase_file is not None:
        passphrase = read_secret_file(new_passphrase_file, "new passphrase")
    new, count = rotate_master_key(old, passphrase)
    _say(f"rotated: master key {old.key_id} -> {new.key_id}; {count} data keys re-wrapped")


@keys_app.command("passphrase")
def passphrase(
    passphrase_file: PassphraseFile = None,
    recovery_identity: Annotated[
        Path | None, typer.Option(help="Unlock with the offline recovery identity (a lost passphrase).")
    ] = None,
    new_passphrase_file: Annotated[Path | None, typer.Option(help="Read the new passphrase from this file.")] = None,
) -> None:
    """Set a new passphrase (unlocking with the current one, or with the recovery identity)."""
    django_setup()
    from courtpath.vault.errors import KeyringError
    from courtpath.vault.unlock import ask_passphrase, change_passphrase, open_keyring, read_secret_file
    from courtpath.web.vault.operations import keyring_path

    master = open_keyring(keyring_path(), passphrase_file, recovery_identity)
    if new_passphrase_file is not None:
        new = read_secret_file(new_passphrase_file, "new passphrase")
    else:
        if not sys.stdin.isatty():
            raise KeyringError("give the new passphrase on a terminal or with --new-passphrase-file")
        new = ask_passphrase(None, confirm=True) or ""
    change_passphrase(keyring_path(), master, new)
    _say(f"passphrase changed for master key {master.key_id}")


@keys_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Where to write the encrypted key export.")],
    recipient: Annotated[str | None, typer.Option(help="age recipient (default: the keyring's).")] = None,
) -> None:
    """Write the wrapped data keys and the keyring, encrypted to the offline identity, for disaster recovery. Keep
    only the newest export: an older one would still hold the keys of cases deleted since."""
    django_setup()
    from courtpath.web.vault.backup import write_key_export

    count = write_key_export(out, recipient)
    _say(f"key export written: {out} ({count} data keys)")


@keys_app.command("backup-key")
def backup_key(identity: Identity) -> None:
    """Derive the key that authenticates backups and key exports from the offline recovery identity, and keep it
    beside the keyring. Needed once on an installation set up before backups were authenticated (new installations
    and restores make it themselves). The key decrypts nothing."""
    django_setup()
    from courtpath.vault.unlock import read_secret_file
    from courtpath.web.vault.backup import install_backup_key

    install_backup_key(read_secret_file(identity, "identity"))
    _say("backup key installed: backups and key exports made from now on are authenticated")


def backup(
    out: Annotated[Path, typer.Option(help="Where to write the encrypted backup archive.")],
    recipient: Annotated[str | None, typer.Option(help="age recipient (default: the keyring's).")] = None,
) -> None:
    """Write an encrypted backup of every record and document (without data keys; the vault may stay locked)."""
    django_setup()
    from courtpath.web.vault.backup import write_backup

    manifest = write_backup(out, recipient)
    rows = sum(manifest["rows"].values())  # type: ignore[union-attr]
    _say(f"backup written: {out} ({rows} rows, {len(manifest['members']) - 1} documents)")  # type: ignore[arg-type]


def restore(
    archive: Annotated[Path, typer.Argument(help="A backup written by `courtpath backup`.")],
    identity: Identity,
    keys: Annotated[Path | None, typer.Option(help="A key export to import first (a new installation).")] = None,
    leave_out_shredded: Annotated[
        bool,
        typer.Option(
            "--leave-out-shredded",
            help="Leave out the cases whose data key is gone (deleted after the backup was made) instead of refusing.",
        ),
    ] = False,
    accept_unauthenticated: Annotated[
        bool,
        typer.Option(
            "--accept-unauthenticated",
            help="Accept a backup or key export made before courtpath authenticated them. Anyone with the public "
            "recipient can make such a file: use it only for your own older files. Recorded in the audit log.",
        ),
    ] = False,
    recovery_identity: Annotated[
        Path | None,
        typer.Option(
            help="The installation's recovery identity, whose backup key authenticates the files, when --identity "
            "is another one (files written with --recipient). Default: --identity."
        ),
    ] = None,
) -> None:
    """Restore a backup into an empty installation: give --keys (a key export) unless this installation's keyring
    and data keys are the ones the backup was made with. Refuses files not made by the installation of the
    recovery identity."""
    django_setup()
    from courtpath.vault.unlock import read_secret_file
    from courtpath.web.vault.backup import restore as restore_backup

    result = restore_backup(
        archive,
        read_secret_file(identity, "identity"),
        keys,
        leave_out_shredded=leave_out_shredded,
        accept_unauthenticated=accept_unauthenticated,
        recovery_identity_text=read_secret_file(recovery_identity, "recovery identity") if recovery_identity else None,
    )
    _say(f"restored {result['rows']} rows and {result['documents']} documents")
    if result["unauthenticated"]:
        _say(
            f"WARNING: restored without authentication ({', '.join(result['unauthenticated'])}; "  # type: ignore[arg-type]
            "recorded in the audit log): check the accounts and API tokens before opening the server"
        )
    if result["left_out_rows"]:
        _say(
            f"left out {result['left_out_rows']} rows of {result['keys_missing']} cases or requests deleted after "
            "this backup was made (their data keys are gone)"
        )


def purge(
    days: Annotated[int | None, typer.Option(help="Retention in days (default: COURTPATH_RETENTION_DAYS).")] = None,
) -> None:
    """Shred the cases closed longer than the retention period, and the requests that arrived as long ago and never
    became a case (run daily by a timer); then wipe the old copies of every deletion from the database files. Exit
    status 1 when that wiping could not be completed (the database stayed busy): run it again."""
    django_setup()
    from django.conf import settings

    from courtpath.web.cases.services import purge_closed_cases

    purged = purge_closed_cases(days if days is not None else settings.COURTPATH_RETENTION_DAYS)
    _say(f"purged {len(purged)} closed cases and requests that never became a case")
    if not purged.erasure.complete:
        sys.stderr.write(
            "courtpath: error: the deleted data's old copies are not yet wiped from the database files "
            f"({purged.erasure.reason}); run `courtpath purge` again\n"
        )
        raise typer.Exit(1)
