"""Migrations that move data: 0006 seals the facts, the procedure and the assessments that were in clear; 0007 names
the facts as the intake does. Neither loses anything."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courtpath.vault import state
from courtpath.vault.cipher import new_key, seal
from courtpath.web.cases.models import Case
from courtpath.web.vault import keys

BEFORE = [("cases", "0005_sealed_fields")]


def _migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_0006_seals_the_facts_and_assessments_that_were_in_clear(_audit_log_flushable: None) -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        master = state.master()
        key_id, plain = uuid.uuid4(), new_key()
        data_key = old.get_model("vault", "DataKey").objects.create(
            id=key_id,
            wrapped=seal(master.key, plain, b"courtpath data key|" + key_id.bytes),
            master_key_id=master.key_id,
        )
        empty = {
            f"{name}_sealed": seal(plain, b"", f"cases.Case.{name}|{key_id}".encode())
            for name in (
                "client_surname",
                "client_given_name",
                "client_patronymic",
                "client_sex",
                "client_birth_date",
                "client_rank",
                "client_contact",
                "military_unit",
                "investigator",
            )
        }
        left = dt.datetime(2025, 6, 1, 5, 0, tzinfo=dt.UTC)
        case = old.get_model("cases", "Case").objects.create(
            code="C-MIGR01",
            data_key=data_key,
            status="mobilized",
            left_at=left,
            returned_at=None,
            indicators="border;job",
            weapon=True,
            first_offence=False,
            court_id="99GV9999",
            verdict_date=dt.date(2025, 11, 3),
            sentence_type="imprisonment",
            sentence_months=27,
            sentence_suspended=None,
            **empty,
        )
        result = {"qualifications": [{"article": "337", "part": "3.1", "primary": True}], "key_dates": []}
        old.get_model("cases", "Assessment").objects.create(
            case=case, engine_version="0.1.0", law_version="x", result_ru=result, result_en=result
        )
    finally:
        _migrate(latest)
    keys.forget_cached_keys()
    migrated = Case.objects.get(code="C-MIGR01")
    assert (migrated.status, migrated.left, migrated.returned, migrated.indicators) == (  # 0007: canonical names
        "mobilized",
        left,
        None,
        ["border", "job"],
    )
    assert (migrated.weapon, migrated.first_offence, migrated.group) == (True, False, False)
    assert (migrated.court_id, migrated.verdict_date) == ("99GV9999", dt.date(2025, 11, 3))
    assert (migrated.sentence_type, migrated.sentence_months, migrated.sentence_suspended) == ("imprisonment", 27, None)
    assessment = migrated.assessments.get()
    assert assessment.result_en == result and assessment.result_ru == result
    assert assessment.data_key_id == key_id
    assert b"99GV9999" not in bytes(migrated.facts_sealed)


@pytest.mark.django_db(transaction=True)
def test_0009_gives_requests_a_status_and_seals_the_new_columns_empty(_audit_log_flushable: None) -> None:
    from courtpath.web.cases.models import HelpRequest

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate([("cases", "0008_helprequest_held")])
    try:
        master = state.master()
        key_ids = []
        for number, declined in enumerate((False, True, False)):
            key_id, plain = uuid.uuid4(), new_key()
            data_key = old.get_model("vault", "DataKey").objects.create(
                id=key_id,
                wrapped=seal(master.key, plain, b"courtpath data key|" + key_id.bytes),
                master_key_id=master.key_id,
            )
            sealed = {
                f"{name}_sealed": seal(plain, b"", f"cases.HelpRequest.{name}|{key_id}".encode())
                for name in ("summary", "contact")
            }
            request = old.get_model("cases", "HelpRequest").objects.create(
                code=f"R-MIGR0{number}",
                data_key=data_key,
                channel="phone",
                relation="parent",
                declined=declined,
                **sealed,
            )
            key_ids.append(key_id)
        case_sealed = {
            f"{name}_sealed": seal(plain, b"{}" if name == "facts" else b"", f"cases.Case.{name}|{key_id}".encode())
            for name in (
                "facts", "client_surname", "client_given_name", "client_patronymic", "client_sex",
                "client_birth_date", "client_rank", "client_contact", "military_unit", "investigator",
            )
        }  # fmt: skip
        old.get_model("cases", "Case").objects.create(
            code="C-MIGR09", data_key=data_key, request=request, **case_sealed
        )
    finally:
        _migrate(latest)
    keys.forget_cached_keys()
    statuses = dict(HelpRequest.objects.values_list("code", "status"))
    assert statuses == {"R-MIGR00": "new", "R-MIGR01": "declined", "R-MIGR02": "converted"}
    for request in HelpRequest.objects.all():
        assert (request.answers, request.decline_note, request.summary) == ({}, "", "")
    assert Case.objects.get(code="C-MIGR09").contact_relation == ""
