"""Fill a throwaway installation for bench_load.py / bench_memory.py: staff accounts and cases, through the services.

    COURTPATH_DATA_DIR=… python benchmarks/load_populate.py --passphrase-file PF --cases 5000 --staff 30 --out M.json

Run after `courtpath web init --no-admin --passphrase-file PF`, in its own process (the benchmark's client process
stays free of Django). Accounts are made directly (argon2 password, TOTP secret sealed with the master key, confirmed),
as bench_case_page.py makes them: the services would need an administrator's session. Cases are made as staff make
them: request → case (a lawyer assigned) → facts (an assessment saved), then a stage change for half of them and a
note for a third. Every name is fictional.

Each staff client of the load test owns the cases it writes (case i belongs to client i mod clients), so the final
state of every written case is known; a lawyer's owned cases are assigned to that lawyer. The manifest (JSON) lists
the accounts with their TOTP secrets and the cases with their owner, lawyer and stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

SESSIONS_PER_USER = 3  # TOTP codes of the counters c-1, c, c+1: three logins per account at a time
COORDINATOR_SHARE = 0.3
PASSWORD = "a long benchmark password 2026"
MOSCOW = dt.timezone(dt.timedelta(hours=3))


def staff_accounts(clients: int) -> list[tuple[str, str]]:
    """(username, role) of the accounts the staff clients log in as, three clients per account."""
    users = max(2, -(-clients // SESSIONS_PER_USER))  # at least a lawyer and a coordinator (who makes the cases)
    coordinators = max(1, round(users * COORDINATOR_SHARE))
    lawyers = users - coordinators
    return [(f"lawyer{n}", "lawyer") for n in range(1, lawyers + 1)] + [
        (f"coord{n}", "coordinator") for n in range(1, coordinators + 1)
    ]


def _facts(number: int) -> dict[str, object]:
    left = dt.datetime(2025, 1, 1, 8, 0, tzinfo=MOSCOW) + dt.timedelta(days=number % 300)
    return {
        "status": "mobilized" if number % 2 else "contract",
        "left": left,
        "returned": left + dt.timedelta(days=5 + number % 40),
        "surrendered": number % 3 != 0,
        "first_offence": True,
        "indicators": ["job"] if number % 4 else [],
        "client_surname": f"Выдумкин-{number}",
        "client_given_name": "Пётр",
        "client_patronymic": "Самоварович",
        "client_rank": "рядовой",
        "military_unit": "войсковая часть 99999",
        "investigator": "Военный следственный отдел по Энскому гарнизону",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passphrase-file", type=Path, required=True)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--staff", type=int, default=30, help="staff clients of the load test")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtpath.web.settings")
    import django

    django.setup()
    import pyotp

    from courtpath.web.accounts import totp
    from courtpath.web.accounts.models import User
    from courtpath.web.cases import services
    from courtpath.web.cases.models import Stage
    from courtpath.web.vault.operations import unlock_process

    began = time.monotonic()
    unlock_process(args.passphrase_file)
    accounts = []
    for username, role in staff_accounts(args.staff):
        secret = pyotp.random_base32(length=32)
        user = User(username=username, role=role, totp_confirmed=True)
        user.set_password(PASSWORD)
        user.totp_secret_encrypted = totp.encrypt_secret(secret)
        user.save()
        accounts.append({"username": username, "role": role, "secret": secret, "user": user})
    clients = [accounts[n // SESSIONS_PER_USER] for n in range(args.staff)]
    lawyers = [a for a in accounts if a["role"] == "lawyer"]
    actor = next((a["user"] for a in accounts if a["role"] == "coordinator"), accounts[0]["user"])
    stages = list(Stage.values)
    cases = []
    for number in range(args.cases):
        owner = number % args.staff
        lawyer = clients[owner] if clients[owner]["role"] == "lawyer" else lawyers[number % len(lawyers)]
        request = services.create_request(
            actor, channel="phone", relation="parent", summary=f"Мать: сын не вернулся из отпуска ({number})"
        )
        case = services.convert_request(actor, request, lawyer["user"])
        services.update_case(actor, case, _facts(number))
        if number % 2 == 0:
            services.change_stage(actor, case, stages[1 + number % (len(stages) - 1)], "Подготовка")
        if number % 10 < 3:
            services.add_note(actor, case, "Разговор с матерью: документы собраны, ждём ответа следователя.")
        cases.append({"code": case.code, "owner": owner, "lawyer": lawyer["username"], "stage": case.stage})
        if number and number % 1000 == 0:
            sys.stderr.write(f"  {number} cases, {time.monotonic() - began:.0f} s\n")
    manifest = {
        "password": PASSWORD,
        "accounts": [{k: v for k, v in a.items() if k != "user"} for a in accounts],
        "clients": [a["username"] for a in clients],
        "stages": stages,
        "cases": cases,
        "seconds": round(time.monotonic() - began, 1),
    }
    args.out.write_text(json.dumps(manifest, ensure_ascii=False))


if __name__ == "__main__":
    main()
