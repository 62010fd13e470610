"""What the web benchmarks share: a throwaway installation (production settings apart from plain-HTTP cookies,
SQLite in WAL mode in a temporary folder) set up before Django loads, and a login through the real pages.

    import web_installation
    FOLDER = web_installation.setup("courtpath-bench-")   # before anything imports Django's models
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable

PASSWORD = "a long benchmark password 2026"


def setup(prefix: str) -> str:
    folder = tempfile.mkdtemp(prefix=prefix)
    os.environ.update(
        {
            "COURTPATH_DATA_DIR": folder,
            "COURTPATH_HTTPS": "0",
            "COURTPATH_ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "courtpath.web.settings",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return folder


def log_in(client: object, username: str, totp_secret: str) -> None:
    """Password, then the TOTP code, through the real pages (exits when refused)."""
    import pyotp
    from django.urls import reverse

    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})  # type: ignore[attr-defined]
    code = pyotp.TOTP(totp_secret).now()
    response = client.post(reverse("accounts:second_factor"), {"code": code})  # type: ignore[attr-defined]
    if response.status_code != 302:
        sys.exit(f"login failed: {response.status_code}")


def bulk_data_key() -> object:
    """A data key as keys.create_data_key() makes it, for bulk_create (after setup(), with the vault unlocked)."""
    import uuid

    from courtpath.vault import state
    from courtpath.vault.cipher import new_key, seal
    from courtpath.web.vault.models import DataKey

    key_id = uuid.uuid4()
    master = state.master()
    return DataKey(
        id=key_id,
        wrapped=seal(master.key, new_key(), b"courtpath data key|" + key_id.bytes),
        master_key_id=master.key_id,
    )


def enrolled_coordinator() -> object:
    """A coordinator with PASSWORD and a confirmed TOTP secret, its clear secret kept as `.secret` for log_in()
    (after setup())."""
    import pyotp

    from courtpath.web.accounts import totp
    from courtpath.web.accounts.models import Role, User

    coordinator = User(username="coordinator", role=Role.COORDINATOR)
    coordinator.set_password(PASSWORD)
    coordinator.secret = pyotp.random_base32(length=32)  # type: ignore[attr-defined]
    coordinator.totp_secret_encrypted = totp.encrypt_secret(coordinator.secret)  # type: ignore[attr-defined]
    coordinator.totp_confirmed = True
    coordinator.save()
    return coordinator


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure_page(
    client: object, url: str, times: int, computed: bool, forget_kept: Callable[[], None]
) -> tuple[int, float, float, float]:
    """(queries of one request, p50 ms, p95 ms, median CPU ms) of GET `url` over `times` requests after a warm-up;
    `computed`: each after forget_kept() (nothing kept from the one before), otherwise as the later views of a
    period are."""
    import statistics
    import time

    from django.db import connection

    queries: list[str] = []  # counted by a wrapper: Django empties connection.queries when a request starts
    forget_kept()
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)  # type: ignore[attr-defined]
    if response.status_code != 200:
        sys.exit(f"{url}: {response.status_code}")
    timings, cpu = [], []
    for _ in range(times):
        if computed:
            forget_kept()
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return len(queries), statistics.median(timings), percentile(timings, 0.95), statistics.median(cpu)


def seal_empty(*rows: object) -> None:
    """Give each unset sealed field of these unsaved rows its sealed empty value: what save() would seal, which
    bulk_create does not call (after setup())."""
    from courtpath.web.vault.sealed import sealed_fields

    for row in rows:
        for field in sealed_fields(type(row)):
            if not getattr(row, field.column):
                setattr(row, field.name, field.empty)


def random_case(rng: object, number: int, data_key: object, lawyers: list[object]) -> object:
    """An unsaved case `C-<number>` as the staff benchmarks fill them: 80 % at an open stage, a contract, mobilized or
    conscripted serviceman who left between January 2025 and September 2026, half of them returned and surrendered;
    its sealed fields set (the client's name is the caller's)."""
    import datetime as dt

    from courtpath.web.cases.models import OPEN_STAGES, Case, Stage

    closed = [stage for stage in Stage.values if stage not in OPEN_STAGES]
    stage = rng.choice(list(OPEN_STAGES)) if rng.random() < 0.8 else rng.choice(closed)  # type: ignore[attr-defined]
    case = Case(code=f"C-{number:06d}", data_key=data_key, lawyer=rng.choice(lawyers), stage=stage)  # type: ignore[attr-defined]
    seal_empty(case)
    case.status = rng.choice(["contract", "mobilized", "conscript"])  # type: ignore[attr-defined]
    moscow = dt.timezone(dt.timedelta(hours=3))
    case.left = dt.datetime(2025, 1, 1, 8, 0, tzinfo=moscow) + dt.timedelta(hours=rng.randint(0, 15000))  # type: ignore[attr-defined]
    if rng.random() < 0.5:  # type: ignore[attr-defined]
        case.returned = case.left + dt.timedelta(days=rng.randint(1, 60))  # type: ignore[attr-defined]
        case.surrendered = True
    return case


def assessment_row(case: object, result: object) -> object:
    """An unsaved Assessment of `case` holding the engine's `result` in both languages and its summary, as the app
    saves one (services.new_assessment)."""
    from courtpath.law.answer import answer_data
    from courtpath.web.assessments import summary
    from courtpath.web.cases.models import Assessment

    english = answer_data(result, "en")  # type: ignore[arg-type]
    return Assessment(
        case=case,
        data_key=case.data_key,  # type: ignore[attr-defined]
        engine_version=result.engine_version,  # type: ignore[attr-defined]
        law_version=result.law_version,  # type: ignore[attr-defined]
        result_ru=answer_data(result, "ru"),  # type: ignore[arg-type]
        result_en=english,
        summary=summary.of_answer(english),
    )
