"""A real installation driven from outside, for the canary and backup tests (run as a subprocess).

    python tests/vault/scenario.py populate CANARY   # cases with CANARY-<field> in every sensitive field
    python tests/vault/scenario.py snapshot          # every record, sealed values opened, as JSON on stdout

The environment chooses the installation: COURTPATH_DATA_DIR, COURTPATH_PASSPHRASE_FILE, DATABASE_URL (optional),
DJANGO_SETTINGS_MODULE=courtpath.web.settings (the production settings, not the test ones). `populate` goes through
the real pages (password + TOTP login, forms, upload, download) with every log at DEBUG into
$COURTPATH_DATA_DIR/scenario.log, so the canary test also searches what the app logs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from pathlib import Path

import django
from canary_facts import canary_facts

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
django.setup()

import pyotp  # noqa: E402
from django.apps import apps  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db.models import BinaryField  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.web.accounts import totp  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.cases import documents  # noqa: E402
from courtpath.web.vault.backup import BACKED_UP_MODELS  # noqa: E402
from courtpath.web.vault.operations import unlock_process  # noqa: E402
from courtpath.web.vault.sealed import sealed_entries, sealed_fields  # noqa: E402

PASSWORD = "scenario password 1234"


def _log_everything() -> None:
    handler = logging.FileHandler(Path(os.environ["COURTPATH_DATA_DIR"]) / "scenario.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    for name in ("", "django", "django.request", "django.db.backends", "axes", "courtpath"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)


def _user(role: str, name: str) -> tuple[User, str]:
    secret = pyotp.random_base32(length=32)
    user = User.objects.create(
        username=name,
        role=role,
        password=make_password(PASSWORD),
        totp_secret_encrypted=totp.encrypt_secret(secret),
        totp_confirmed=True,
    )
    return user, secret


def _client(user: User, secret: str) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    User.objects.filter(pk=user.pk).update(totp_last_counter=0)
    assert client.post(reverse("accounts:second_factor"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    return client


def populate(canary: str) -> None:
    _log_everything()
    suffix = str(User.objects.count())
    intake = _client(*_user(Role.INTAKE, f"intake{suffix}"))
    coordinator = _client(*_user(Role.COORDINATOR, f"coordinator{suffix}"))
    response = intake.post(
        reverse("cases:request_create"),
        {"channel": "phone", "relation": "parent", "summary": f"{canary}-summary", "contact": f"{canary}-contact"},
    )
    assert response.status_code == 302, response.status_code
    request_code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = coordinator.post(reverse("cases:request_detail", args=[request_code]), {"lawyer": ""})
    case_code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    edit = {  # facts and procedure are sealed too: test_installation searches for them at rest (canary_facts)
        "status": "contract",
        **canary_facts(canary),
        "surrendered": "on",
        "indicators": ["forged-documents", "false-identity"],
        "sentence_type": "imprisonment",
        "sentence_months": "27",
        "absence_kind": "left-unit",
        "context": "auto",
        "first_offence": "on",
        "client_surname": f"{canary}-surname",
        "client_given_name": f"{canary}-given",
        "client_patronymic": f"{canary}-patronymic",
        "client_sex": "m",
        "client_birth_date": "1999-12-31",
        "client_rank": f"{canary}-rank",
        "client_contact": f"{canary}-clientcontact",
        "military_unit": f"{canary}-unit",
        "investigator": f"{canary}-investigator",
    }
    response = coordinator.post(reverse("cases:case_edit", args=[case_code]), edit)
    if response.status_code != 302:
        import re

        errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)
        raise AssertionError(f"case edit refused: {errors}")
    coordinator.post(
        reverse("cases:case_stage", args=[case_code]), {"stage": "agreement", "comment": f"{canary}-stage"}
    )
    coordinator.post(reverse("cases:case_note", args=[case_code]), {"text": f"{canary}-note"})
    upload = SimpleUploadedFile(f"{canary}-filename.txt", f"{canary}-document".encode(), content_type="text/plain")
    coordinator.post(reverse("cases:document_upload", args=[case_code]), {"file": upload})
    page = coordinator.get(reverse("cases:case_detail", args=[case_code]))
    assert f"{canary}-surname" in page.content.decode(), "the case page must show the opened values"
    document = apps.get_model("cases", "Document").objects.get(case__code=case_code)
    download = coordinator.get(reverse("cases:document_download", args=[case_code, document.pk]))
    assert download.getvalue() == f"{canary}-document".encode()
    sys.stdout.write(case_code + "\n")


def snapshot() -> None:
    records: dict[str, list[dict[str, object]]] = {}
    for label in BACKED_UP_MODELS:
        model = apps.get_model(label)
        rows = []
        for row in model.objects.order_by("pk"):
            values = {f.attname: str(getattr(row, f.attname)) for f in model._meta.concrete_fields}
            values.update({f.name: str(getattr(row, f.name)) for f in sealed_fields(model)})
            values.update({e.name: str(getattr(row, e.name)) for e in sealed_entries(model)})
            if label == "cases.Document":
                values["content"] = hashlib.sha256(documents.read_blob(row.data_key_id, row.blob)).hexdigest()
            rows.append(values)
        records[label] = rows
    json.dump(records, sys.stdout, ensure_ascii=False, sort_keys=True)


def delete(code: str) -> None:
    from courtpath.web.cases import services
    from courtpath.web.cases.models import Case

    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    services.delete_case(coordinator, Case.objects.get(code=code))


def _secrets_under(data_key_id: object) -> dict[str, list[str]]:
    """The bytes that would open or betray a case, hex: its wrapped data key, and every sealed column of every row
    under that key (rows of every model that hangs on DataKey)."""
    from courtpath.web.vault.models import DataKey

    sealed = []
    for relation in DataKey._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, BinaryField)]
        if not columns:  # the name index (cases.CaseNameToken): keyed hashes, nothing sealed
            continue
        for row in model.objects.filter(data_key_id=data_key_id).values_list(*columns):
            sealed += [bytes(value).hex() for value in row if value]
    wrapped = bytes(DataKey.objects.get(pk=data_key_id).wrapped).hex()
    return {"wrapped_key": [wrapped], "sealed": sealed}


def _copy_database_files(out: Path) -> None:
    """Copy the database files as they are now, while this process still holds its connection (closing the last
    connection would checkpoint SQLite's WAL, as a seized server's would not). On PostgreSQL (the test cluster of
    scripts/with_postgres.py): a CHECKPOINT first, so that the table files hold what the WAL holds, then the cluster's
    table files (`base`) and WAL segments (`pg_wal`)."""
    from django.conf import settings
    from django.db import connection

    out.mkdir(parents=True, exist_ok=True)
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        main = Path(database["NAME"])
        for path in main.parent.glob(main.name + "*"):
            shutil.copyfile(path, out / path.name)
        return
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    cluster = Path(os.environ["COURTPATH_PG_DATA"])
    for folder in ("base", "pg_wal"):
        shutil.copytree(cluster / folder, out / folder)


def erase(kind: str, code: str, out: str) -> None:
    """Delete a case (`case`), a request without a case (`request`, or `bulk`: the coordinators' bulk deletion of a
    flood) or purge a case closed long ago (`purge`) through
    the service layer, then copy the database files at once to `out`/after, having copied them to `out`/before
    (the positive control). Prints as JSON what to look for in them (`_secrets_under`)."""
    import datetime as dt

    from courtpath.web.cases import services
    from courtpath.web.cases.models import Case, HelpRequest, Stage

    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    target = HelpRequest.objects.get(code=code) if kind in ("request", "bulk") else Case.objects.get(code=code)
    if kind == "purge":
        services.change_stage(coordinator, target, Stage.DISCHARGED)
    found = _secrets_under(target.data_key_id)
    _copy_database_files(Path(out) / "before")
    if kind == "case":
        services.delete_case(coordinator, target)
    elif kind == "request":
        services.delete_request(coordinator, target)
    elif kind == "bulk":
        assert services.delete_requests(coordinator, HelpRequest.objects.filter(pk=target.pk)) == [code]
    else:
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=800)
        assert services.purge_closed_cases(365, now=later) == [code]
    _copy_database_files(Path(out) / "after")
    (Path(out) / "found.json").write_text(json.dumps(found))  # for a look at the copies by hand
    sys.stdout.write(json.dumps(found) + "\n")


def erase_blocked(code: str) -> None:
    """Delete a case while another connection still reads an older snapshot, as a slow page would; this connection
    waits 0.3 s for it instead of the configured busy timeout. Prints the erasure's result as JSON."""
    import sqlite3

    from django.conf import settings
    from django.db import connection

    from courtpath.web.cases import services
    from courtpath.web.cases.models import Case

    reader = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM vault_datakey").fetchone()  # holds its snapshot until the COMMIT
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 300")
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    erasure = services.delete_case(coordinator, Case.objects.get(code=code))
    reader.execute("COMMIT")
    reader.close()
    sys.stdout.write(json.dumps({"complete": erasure.complete, "reason": erasure.reason}) + "\n")


def new_request(summary: str) -> None:
    """A request for help that never became a case, made through the service layer; prints its code."""
    from courtpath.web.cases import services

    suffix = str(User.objects.count())
    intake, _secret = _user(Role.INTAKE, f"intake{suffix}")
    _user(Role.COORDINATOR, f"coordinator{suffix}")  # who deletes it
    made = services.create_request(intake, channel="phone", relation="parent", summary=summary, contact=summary)
    sys.stdout.write(made.code + "\n")


def probe(code: str) -> None:
    """'readable: <surname>' or 'unreadable: <reason>' for one case."""
    from courtpath.web.cases.models import Case
    from courtpath.web.vault.sealed import SealedValueError

    case = Case.objects.filter(code=code).first()
    if case is None:
        sys.stdout.write("absent\n")
        return
    try:
        sys.stdout.write(f"readable: {case.client_surname}\n")
    except SealedValueError as error:
        sys.stdout.write(f"unreadable: {error}\n")


def backup_racing_a_writer(out: str) -> None:
    """Write a backup while another connection commits an audit event between the backup's reads (as a working
    app does): the backup must hold one consistent state, so that it restores."""
    import threading

    from django.db import connection

    from courtpath.web.audit.models import Action
    from courtpath.web.audit.services import record
    from courtpath.web.vault import backup

    original = backup.serialise_rows

    failures: list[BaseException] = []

    def write_elsewhere() -> None:
        try:
            record(None, Action.VIEW, "case", "C-RACING")  # its own thread: its own connection, committed at once
        except BaseException as error:  # reported below: a writer that could not write would race nothing
            failures.append(error)
        finally:
            connection.close()

    def serialise_then_race() -> bytes:
        rows = original()
        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(timeout=20)
        if writer.is_alive() or failures:
            raise SystemExit(f"the racing writer could not write while the backup read: {failures}")
        return rows

    backup.serialise_rows = serialise_then_race
    manifest = backup.write_backup(Path(out))
    sys.stdout.write(json.dumps(manifest["rows"]) + "\n")


if __name__ == "__main__":
    unlock_process()
    commands = {
        "populate": lambda: populate(sys.argv[2]),
        "snapshot": snapshot,
        "delete": lambda: delete(sys.argv[2]),
        "probe": lambda: probe(sys.argv[2]),
        "backup-racing": lambda: backup_racing_a_writer(sys.argv[2]),
        "erase": lambda: erase(*sys.argv[2:5]),
        "new-request": lambda: new_request(sys.argv[2]),
        "erase-blocked": lambda: erase_blocked(sys.argv[2]),
    }
    commands[sys.argv[1]]()
