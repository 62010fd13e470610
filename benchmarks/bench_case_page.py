"""What encryption at rest costs on a case page: the same page with the real cipher and with a null one, in one run
(issue 4: ≤ 1.5×).

    python benchmarks/bench_case_page.py [--cases 20] [--rounds 15]

A throwaway SQLite database (WAL, production settings apart from plain-HTTP cookies) in a temporary folder. Cases are
made through the service layer as staff make them: facts and identity entered (so an assessment is saved), 20 notes,
4 stage changes and 2 documents each. Half of them are made and read with the real cipher (AES-256-GCM under the
case's data key, the data key unwrapped with the master key), the other half with a null cipher patched into the
modules that seal and open: the same framing and the same code paths, but the plaintext is stored as it is. That is
the same page "without encryption", everything else equal.

A logged-in coordinator then opens the case pages (GET /cases/<code>/, the whole Django stack, in process, one
thread, wall-clock) in alternating rounds, twice: with the process's cache of unwrapped data keys warm (a key is
kept for 60 s, so a page opened again within a minute) and emptied before every request (every data key read from
the database and unwrapped again). Figures are medians over every request of a kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import web_installation

FOLDER = web_installation.setup("courtpath-bench-page-")

import django  # noqa: E402
import pyotp  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courtpath.vault import cipher, state  # noqa: E402
from courtpath.vault.keyring import new_master_key  # noqa: E402
from courtpath.web.accounts import totp  # noqa: E402
from courtpath.web.accounts.models import Role, User  # noqa: E402
from courtpath.web.cases import documents, services  # noqa: E402
from courtpath.web.cases.models import Stage  # noqa: E402
from courtpath.web.vault import keys, sealed  # noqa: E402

PASSWORD = web_installation.PASSWORD
MOSCOW = dt.timezone(dt.timedelta(hours=3))
PATCHED = (cipher, keys, sealed, documents)  # every module that calls seal / open_sealed


def _null_seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    return cipher.MAGIC + bytes(cipher.NONCE_BYTES) + plaintext + bytes(cipher.TAG_BYTES)


def _null_open(key: bytes, stored: bytes | memoryview | None, associated: bytes) -> bytes:
    if stored is None:
        raise cipher.SealError("no sealed value stored (NULL)")
    data = bytes(stored)
    return data[len(cipher.MAGIC) + cipher.NONCE_BYTES : len(data) - cipher.TAG_BYTES]


REAL = {"seal": cipher.seal, "open_sealed": cipher.open_sealed}
NULL = {"seal": _null_seal, "open_sealed": _null_open}


@contextmanager
def using(functions: dict[str, Callable[..., bytes]]) -> Iterator[None]:
    saved = [(module, name, getattr(module, name)) for module in PATCHED for name in functions if hasattr(module, name)]
    for module, name, _original in saved:
        setattr(module, name, functions[name])
    keys.forget_cached_keys()
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
        keys.forget_cached_keys()


def make_cases(count: int, label: str, coordinator: User, lawyer: User, intake: User) -> list[str]:
    codes = []
    for number in range(count):
        request = services.create_request(
            intake, channel="phone", relation="parent", summary=f"Мать: сын не вернулся из отпуска ({label} {number})"
        )
        case = services.convert_request(coordinator, request, lawyer)
        services.update_case(
            coordinator,
            case,
            {
                "status": "mobilized",
                "left": dt.datetime(2025, 6, 1, 8, 0, tzinfo=MOSCOW),
                "returned": dt.datetime(2025, 6, 20, 10, 0, tzinfo=MOSCOW),
                "surrendered": True,
                "indicators": ["job"],
                "client_surname": f"Выдумкин-{label}-{number}",
                "client_given_name": "Пётр",
                "client_patronymic": "Самоварович",
                "client_rank": "рядовой",
                "military_unit": "войсковая часть 99999",
                "investigator": "Военный следственный отдел по Энскому гарнизону",
                "client_contact": "Signal: fictional-contact",
            },
        )
        for stage in (Stage.AGREEMENT, Stage.SURRENDER, Stage.CASE_OPENED, Stage.INVESTIGATION):
            services.change_stage(coordinator, case, stage, f"Этап: {stage.label}")
        for note in range(20):
            services.add_note(coordinator, case, f"Заметка {note}: разговор с адвокатом, документы, сроки. " * 3)
        for name in ("Заявление.pdf", "Справка.pdf"):
            services.add_document(coordinator, case, name, "application/pdf", b"%PDF-1.7 " + os.urandom(40_000))
        codes.append(case.code)
    return codes


def _check_the_modes(encrypted: str, clear: str) -> None:
    """The null-cipher cases really hold their values in clear, and the others do not: else this measures nothing."""
    from courtpath.web.cases.models import Case

    def stored(code: str) -> bytes:
        return bytes(Case.objects.get(code=code).client_surname_sealed)

    if b"clear" not in stored(clear) or b"enc" in stored(encrypted):
        sys.exit("the cipher modes are not what they claim to be")


def timed_pages(client: Client, codes: list[str], cold: bool) -> list[float]:
    timings = []
    for code in codes:
        if cold:
            keys.forget_cached_keys()
        began = time.perf_counter()
        response = client.get(reverse("cases:case_detail", args=[code]))
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200 or "Выдумкин" not in response.content.decode():
            sys.exit(f"case {code}: {response.status_code}, or the page does not show the opened values")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20, help="cases per cipher")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    state.unlock(new_master_key())  # as `courtpath web serve` does after the passphrase
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    secret = pyotp.random_base32(length=32)
    coordinator = User(username="coordinator", role=Role.COORDINATOR, totp_confirmed=True)
    coordinator.set_password(PASSWORD)
    coordinator.totp_secret_encrypted = totp.encrypt_secret(secret)
    coordinator.save()
    lawyer = User.objects.create(username="lawyer", role=Role.LAWYER)
    intake = User.objects.create(username="intake", role=Role.INTAKE)
    with using(REAL):
        encrypted = make_cases(args.cases, "enc", coordinator, lawyer, intake)
    with using(NULL):
        clear = make_cases(args.cases, "clear", coordinator, lawyer, intake)
    _check_the_modes(encrypted[0], clear[0])
    client = Client()
    web_installation.log_in(client, coordinator.username, secret)
    results: dict[tuple[str, bool], list[float]] = {}
    for cold in (False, True):
        for mode, codes in (("encrypted", encrypted), ("null cipher", clear)):  # warm-up: templates, connection
            with using(REAL if mode == "encrypted" else NULL):
                timed_pages(client, codes[:2], cold)
        for _round in range(args.rounds):
            for mode, codes in (("encrypted", encrypted), ("null cipher", clear)):
                with using(REAL if mode == "encrypted" else NULL):
                    results.setdefault((mode, cold), []).extend(timed_pages(client, codes, cold))

    print(
        f"case page benchmark — Python {sys.version.split()[0]}, Django {django.get_version()}, SQLite WAL, "
        f"{args.cases} cases per cipher (20 notes, 4 stage changes, 2 documents each), {args.rounds} rounds"
    )
    for cold in (False, True):
        caches = "data keys unwrapped anew for every request" if cold else "data keys cached (within 60 s)"
        with_cipher = statistics.median(results[("encrypted", cold)])
        without = statistics.median(results[("null cipher", cold)])
        ratio = with_cipher / without
        verdict = "met" if ratio <= 1.5 else "NOT met"
        print(
            f"{caches}: encrypted {with_cipher:.1f} ms, null cipher {without:.1f} ms (median of "
            f"{len(results[('encrypted', cold)])}): {ratio:.2f}× (target ≤ 1.5×: {verdict})"
        )


if __name__ == "__main__":
    main()
