"""Sealed case data: stored only as ciphertext, opened only with the right keys, gone for good when shredded."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from courtpath.law.answer import answer, answer_data
from courtpath.law.engine import assess
from courtpath.vault import state
from courtpath.vault.cipher import OVERHEAD, open_sealed
from courtpath.vault.errors import KeyringError
from courtpath.vault.keyring import KdfParams, build_keyring, new_master_key, new_recovery_identity, write_keyring
from courtpath.web.accounts.models import Role, User
from courtpath.web.cases import documents, services
from courtpath.web.cases.models import Assessment, Case, CaseEvent, Document, HelpRequest, Note, Stage
from courtpath.web.settings_test import TEST_MASTER_KEY
from courtpath.web.vault import keys, operations
from courtpath.web.vault.models import DataKey
from courtpath.web.vault.sealed import SealedField, SealedValueError

FAST = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PASSPHRASE = "a long enough test passphrase"


@pytest.fixture(autouse=True)
def _test_key() -> Iterator[None]:
    """Every test starts and ends unlocked with the test settings' key and an empty key cache."""
    state.unlock(TEST_MASTER_KEY)
    keys.forget_cached_keys()
    yield
    state.unlock(TEST_MASTER_KEY)
    keys.forget_cached_keys()


@pytest.fixture
def case(make_user: Callable[..., User]) -> Case:
    intake, coordinator = make_user(Role.INTAKE), make_user(Role.COORDINATOR)
    request = services.create_request(
        intake, channel="phone", relation="parent", summary="Сын Тестовиков ушёл из части", contact="+7 000 000-00-00"
    )
    created = services.convert_request(coordinator, request)
    services.update_case(
        coordinator,
        created,
        {"client_surname": "Тестовиков", "client_birth_date": dt.date(2000, 1, 2), "military_unit": "в/ч 00000"},
    )
    services.add_note(coordinator, created, "Заметка для проверки")
    return Case.objects.get(pk=created.pk)


def raw(table: str, column: str) -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # test-only, fixed identifiers
        return [bytes(row[0]) for row in cursor.fetchall()]


def test_values_are_stored_only_as_ciphertext(case: Case, db_contains: Callable[[str], bool]) -> None:
    for secret in ("Тестовиков", "+7 000 000-00-00", "в/ч 00000", "Заметка для проверки", "2000-01-02"):
        assert not db_contains(secret), secret
    assert case.client_surname == "Тестовиков"
    assert case.client_birth_date == dt.date(2000, 1, 2)
    assert case.request.contact == "+7 000 000-00-00"
    assert case.notes.get().text == "Заметка для проверки"


def test_facts_procedure_and_assessments_are_sealed(
    case: Case, make_user: Callable, db_contains: Callable[[str], bool]
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    facts = {
        "status": "mobilized",
        "left": dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        "returned": dt.datetime(2025, 6, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        "surrendered": True,
        "indicators": ["border", "forged-documents"],
        "court_id": "63GV0008",
        "verdict_date": dt.date(2025, 11, 3),
        "sentence_type": "imprisonment",
        "sentence_months": 27,
        "sentence_suspended": False,
    }
    services.update_case(coordinator, case, facts)
    stored = Case.objects.get(pk=case.pk)
    keys.forget_cached_keys()
    assert {name: getattr(stored, name) for name in facts} == facts
    assert stored.left.utcoffset() == dt.timedelta(0)  # read back in UTC, the same moment
    assessment = stored.assessments.latest()
    assert assessment.result_en["qualifications"][0]["article"] == "337"
    for clear in ("forged-documents", "border", "63GV0008", "2025-06-01", "2025-06-20", "2025-11-03", "mobilized"):
        assert not db_contains(clear), clear


def test_sealed_entries_refuse_wrong_types(case: Case) -> None:
    for name, value in [
        ("left", "2025-06-01"),
        ("left", dt.datetime(2025, 6, 1, 8, 0)),  # naive: which moment is it?
        ("verdict_date", dt.datetime(2025, 6, 1, tzinfo=dt.UTC)),
        ("sentence_months", True),
        ("weapon", None),
        ("status", 3),
    ]:
        with pytest.raises(SealedValueError):
            setattr(case, name, value)


def test_a_new_case_reads_its_defaults_before_anything_is_sealed() -> None:
    fresh = Case(code="C-NEW001")
    assert (fresh.status, fresh.first_offence, fresh.left, fresh.indicators) == ("contract", True, None, [])


def test_empty_values_stay_empty_and_are_never_null(case: Case) -> None:
    assert case.client_given_name == "" and case.investigator == ""
    assert case.client_birth_date == dt.date(2000, 1, 2)
    for column in ("client_given_name_sealed", "investigator_sealed", "client_rank_sealed"):
        values = raw("cases_case", column)
        assert values and all(len(v) > 0 for v in values)
    event = CaseEvent.objects.filter(case=case).first()
    assert event.comment == ""


def test_a_wrong_master_key_fails_loudly_and_returns_nothing(case: Case) -> None:
    state.unlock(new_master_key())
    keys.forget_cached_keys()
    fresh = Case.objects.get(pk=case.pk)
    with pytest.raises(SealedValueError, match="does not open with the unlocked master key"):
        _ = fresh.client_surname
    with pytest.raises(SealedValueError):
        _ = Note.objects.get(case=case).text


def test_a_locked_vault_refuses(case: Case) -> None:
    state.lock()
    keys.forget_cached_keys()
    with pytest.raises(state.VaultLocked):
        _ = Case.objects.get(pk=case.pk).military_unit


def test_a_ciphertext_moved_to_another_column_or_case_does_not_open(case: Case, make_user: Callable) -> None:
    surname = bytes(Case.objects.get(pk=case.pk).client_surname_sealed)
    other = services.convert_request(
        make_user(Role.COORDINATOR),
        services.create_request(make_user(Role.INTAKE), channel="phone", relation="self", summary=""),
    )
    Case.objects.filter(pk=case.pk).update(client_given_name_sealed=surname)
    Case.objects.filter(pk=other.pk).update(client_surname_sealed=surname)
    with pytest.raises(SealedValueError):
        _ = Case.objects.get(pk=case.pk).client_given_name
    with pytest.raises(SealedValueError):
        _ = Case.objects.get(pk=other.pk).client_surname


def test_a_plaintext_value_written_behind_the_app_is_refused(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(military_unit_sealed=b"written in clear")
    with pytest.raises(SealedValueError, match="not a sealed value"):
        _ = Case.objects.get(pk=case.pk).military_unit


def test_wrong_types_are_refused(case: Case) -> None:
    with pytest.raises(SealedValueError):
        case.client_surname = None
    with pytest.raises(SealedValueError):
        case.client_birth_date = "2000-01-02"


def test_each_case_has_its_own_data_key(case: Case, make_user: Callable) -> None:
    other = services.create_request(make_user(Role.INTAKE), channel="phone", relation="self", summary="")
    assert other.data_key_id != case.data_key_id
    assert case.request.data_key_id == case.data_key_id == case.notes.get().data_key_id


def test_deleting_a_case_shreds_its_key_rows_and_documents(
    case: Case, make_user: Callable, django_capture_on_commit_callbacks: Callable
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    document = services.add_document(coordinator, case, "явка.pdf", "application/pdf", b"%PDF-1.7 test")
    blob_file = documents.blob_path(document.blob)
    assert blob_file.exists() and b"%PDF" not in blob_file.read_bytes()
    key_id, request_pk = case.data_key_id, case.request_id
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion has committed
        services.delete_case(coordinator, case)
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert not Case.objects.filter(pk=case.pk).exists() and not HelpRequest.objects.filter(pk=request_pk).exists()
    assert not Note.objects.exists() and not Document.objects.exists()
    assert not blob_file.exists()
    with pytest.raises(keys.DataKeyError, match="shredded"):
        keys.key_bytes(key_id)


def test_only_a_coordinator_deletes(case: Case, make_user: Callable) -> None:
    from django.core.exceptions import PermissionDenied

    for role in (Role.LAWYER, Role.INTAKE, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.delete_case(make_user(role), case)
    assert Case.objects.filter(pk=case.pk).exists()


def test_retention_purges_only_cases_closed_long_enough(case: Case, make_user: Callable) -> None:
    coordinator = make_user(Role.COORDINATOR)
    services.change_stage(coordinator, case, Stage.DISCHARGED)
    still_open = services.convert_request(
        coordinator, services.create_request(make_user(Role.INTAKE), channel="phone", relation="self", summary="")
    )
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    assert services.purge_closed_cases(365) == []  # closed today: kept
    assert services.purge_closed_cases(365, now=later) == [case.code]
    assert not Case.objects.filter(pk=case.pk).exists() and Case.objects.filter(pk=still_open.pk).exists()
    with pytest.raises(ValueError, match="at least one day"):
        services.purge_closed_cases(0)


def test_rotation_rewraps_and_the_old_key_then_fails(case: Case, settings: object, tmp_path: Path) -> None:
    _, recipient = new_recovery_identity()
    settings.COURTPATH_KEYRING_FILE = tmp_path / "keyring.json"
    write_keyring(tmp_path / "keyring.json", build_keyring(TEST_MASTER_KEY, PASSPHRASE, recipient, kdf=FAST))
    new, count = operations.rotate_master_key(TEST_MASTER_KEY, PASSPHRASE)
    assert count == DataKey.objects.count() >= 1
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new.key_id}
    keys.forget_cached_keys()
    assert Case.objects.get(pk=case.pk).client_surname == "Тестовиков"  # opens under the new key
    state.unlock(TEST_MASTER_KEY)
    keys.forget_cached_keys()
    with pytest.raises(SealedValueError):
        _ = Case.objects.get(pk=case.pk).client_surname
    with pytest.raises(KeyringError, match="does not wrap the stored data keys"):
        operations.check_master_matches_data(TEST_MASTER_KEY)


def test_an_interrupted_rotation_keeps_the_keyring_the_database_committed(
    case: Case, settings: object, tmp_path: Path
) -> None:
    _, recipient = new_recovery_identity()
    path = tmp_path / "keyring.json"
    settings.COURTPATH_KEYRING_FILE = path
    write_keyring(path, build_keyring(TEST_MASTER_KEY, PASSPHRASE, recipient, kdf=FAST))
    staged = path.with_name("keyring.json.next")
    # Not committed: the staged keyring names a key that wraps nothing, and is discarded.
    write_keyring(staged, build_keyring(new_master_key(), PASSPHRASE, recipient, kdf=FAST))
    assert "had not committed" in operations.finish_interrupted_rotation(path)
    assert not staged.exists()
    # Committed: the data keys name the staged key, which replaces the old keyring.
    new = new_master_key()
    write_keyring(staged, build_keyring(new, PASSPHRASE, recipient, kdf=FAST))
    keys.rewrap_all(TEST_MASTER_KEY, new)
    assert "had committed" in operations.finish_interrupted_rotation(path)
    assert operations.open_keyring(path, recovery_file=None, passphrase_file=_file(tmp_path, PASSPHRASE)) == new


def _file(folder: Path, text: str) -> Path:
    path = folder / "passphrase"
    path.write_text(text)
    return path


def test_document_upload_and_download_through_the_pages(
    case: Case, make_user: Callable, login: Callable, client: Client
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    login(client, coordinator)
    upload = SimpleUploadedFile("Заявление.txt", "текст заявления".encode(), content_type="text/plain")
    response = client.post(reverse("cases:document_upload", args=[case.code]), {"file": upload})
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.name == "Заявление.txt" and document.size == len("текст заявления".encode())
    page = client.get(reverse("cases:case_detail", args=[case.code]))
    assert "Заявление.txt" in page.content.decode()
    download = client.get(reverse("cases:document_download", args=[case.code, document.pk]))
    assert download.status_code == 200 and download.getvalue() == "текст заявления".encode()
    assert download["Content-Length"] == str(len("текст заявления".encode()))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    empty = client.post(reverse("cases:document_upload", args=[case.code]), {})
    assert empty.status_code == 302 and Document.objects.filter(case=case).count() == 1


def test_a_lawyer_of_another_case_cannot_download(case: Case, make_user: Callable, login: Callable) -> None:
    document = services.add_document(make_user(Role.COORDINATOR), case, "a.txt", "text/plain", b"x")
    stranger = make_user(Role.LAWYER)
    client = Client()
    login(client, stranger)
    assert client.get(reverse("cases:document_download", args=[case.code, document.pk])).status_code == 404


def test_delete_page_needs_the_typed_code(case: Case, make_user: Callable, login: Callable, client: Client) -> None:
    login(client, make_user(Role.COORDINATOR))
    url = reverse("cases:case_delete", args=[case.code])
    assert client.post(url, {"confirm_code": "C-WRONG1"}).status_code == 302
    assert Case.objects.filter(pk=case.pk).exists()
    assert client.post(url, {"confirm_code": case.code.lower()}).status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_key_shredded_by_another_process_leaves_this_ones_memory_within_the_cache_time(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(keys.time, "monotonic", lambda: clock[0])
    key_id = keys.create_data_key().id
    opened = keys.key_bytes(key_id)  # opened and cached here
    DataKey.objects.filter(pk=key_id).delete()  # shredded as `courtpath purge` does it, in another process
    clock[0] += keys.CACHE_SECONDS - 1
    assert keys.key_bytes(key_id) == opened  # still in this process's memory, for at most CACHE_SECONDS
    clock[0] += 2
    with pytest.raises(keys.DataKeyError, match="shredded"):
        keys.key_bytes(key_id)
    # An expired entry leaves memory when any other key is asked for, not only its own.
    other = keys.create_data_key().id
    third = keys.create_data_key().id
    keys.key_bytes(other)
    clock[0] += keys.CACHE_SECONDS + 1
    keys.key_bytes(third)
    assert [cache_key[1] for cache_key in keys._cache] == [third]


def test_rotation_and_restore_refuse_while_the_server_runs(case: Case, settings: object, tmp_path: Path) -> None:
    import os

    from courtpath.web.vault import backup

    settings.DATA_DIR = tmp_path
    held = operations.hold_serving_lock()
    try:
        with pytest.raises(KeyringError, match="the server is running"):
            operations.rotate_master_key(TEST_MASTER_KEY, PASSPHRASE, FAST)
        with pytest.raises(KeyringError, match="the server is running"):
            backup.restore(tmp_path / "no-such-backup.age", "unused")
    finally:
        os.close(held)
    operations.refuse_while_serving("key rotation")  # the server has stopped: allowed again


def test_opening_the_edit_form_is_audited(case: Case, make_user: Callable, login: Callable, client: Client) -> None:
    from courtpath.web.audit.models import AuditEvent

    login(client, make_user(Role.COORDINATOR))
    assert client.get(reverse("cases:case_edit", args=[case.code])).status_code == 200
    event = AuditEvent.objects.filter(object_id=case.code).latest("pk")
    assert (event.action, event.object_type, event.fields) == ("view", "case", "edit_form")


def test_a_too_large_upload_is_refused_with_a_message_before_it_is_read(
    case: Case, make_user: Callable, login: Callable, client: Client, settings: object
) -> None:
    settings.COURTPATH_MAX_DOCUMENT_BYTES = 1024
    settings.COURTPATH_MAX_UPLOAD_REQUEST_BYTES = 2048
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2048
    login(client, make_user(Role.COORDINATOR))
    url = reverse("cases:document_upload", args=[case.code])
    for size in (1500, 5000):  # over the file limit; over the request limit as well
        upload = SimpleUploadedFile("big.bin", b"x" * size, content_type="application/octet-stream")
        response = client.post(url, {"file": upload}, follow=True)
        assert "larger than" in response.content.decode() or "больше" in response.content.decode()
    assert not Document.objects.filter(case=case).exists()


def _large(size: int) -> bytes:
    """A large file that is not one repeated byte (so that finding it in clear would mean something)."""
    return (bytes(range(256)) * (size // 256 + 1))[:size]


class SealedRoundTrip(HypothesisTestCase):
    """Any text, including empty and very long, comes back exactly; the column never holds it in clear."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=st.text(max_size=3000), note=st.text(min_size=1, max_size=3000))
    def test_round_trip(self, text: str, note: str) -> None:
        state.unlock(TEST_MASTER_KEY)
        user = User.objects.create(username="rt", role=Role.COORDINATOR)
        request = services.create_request(user, channel="phone", relation="self", summary=text, contact=text)
        case = services.convert_request(user, request)
        services.update_case(user, case, {"client_patronymic": text, "investigator": text})
        services.add_note(user, case, note)
        fresh = Case.objects.get(pk=case.pk)
        keys.forget_cached_keys()
        assert fresh.client_patronymic == text and fresh.investigator == text
        assert HelpRequest.objects.get(pk=request.pk).summary == text
        assert Note.objects.get(case=case).text == note
        if len(text) >= 4:
            assert text.encode() not in bytes(fresh.client_patronymic_sealed)


class DocumentRoundTrip(HypothesisTestCase):
    """Any file, empty or large, comes back byte for byte; on disk it is never in clear."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(content=st.one_of(st.just(b""), st.binary(max_size=4096), st.integers(1 << 20, 20 << 20).map(_large)))
    def test_round_trip(self, content: bytes) -> None:
        state.unlock(TEST_MASTER_KEY)
        key_id = keys.create_data_key().id
        blob = documents.write_blob(key_id, content)
        keys.forget_cached_keys()
        assert documents.read_blob(key_id, blob) == content
        stored = documents.blob_path(blob).read_bytes()
        assert len(stored) == len(content) + OVERHEAD  # the whole file sealed, nothing dropped
        if len(content) >= 16:
            assert content[:16] not in stored
        documents.remove_blob(blob)


def _plaintext(instance: Assessment, field: SealedField) -> bytes:
    return open_sealed(field._key(instance), getattr(instance, field.column), field._associated(instance))


def _as_json_dumps(record: dict[str, Any]) -> bytes:
    """What SealedField("json") writes for a record set as an attribute (and wrote for every assessment before
    set_plain)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def test_a_new_assessment_is_sealed_as_the_json_any_record_is(case: Case, make_user: Callable) -> None:
    """new_assessment seals its answers with set_plain (msgspec): the same bytes as json.dumps, so that old and new
    assessments are one format; and they read back the same."""
    left = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    services.update_case(make_user(Role.COORDINATOR), case, {"status": "mobilized", "left": left})
    assessment = services.save_assessment(None, case, dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC))
    assert assessment is not None
    stored = Assessment.objects.get(pk=assessment.pk)
    for field in (Assessment.result_ru, Assessment.result_en):
        plain = _plaintext(stored, field)
        assert len(plain) > 1000 and plain == _as_json_dumps(json.loads(plain))
        assert getattr(stored, field.name) == getattr(assessment, field.name) == json.loads(plain)


_JSON_PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=st.dictionaries(st.text(max_size=8), _JSON_PLAIN, max_size=6))
def test_set_plain_writes_the_bytes_a_record_set_as_an_attribute_gets(case: Case, record: dict[str, Any]) -> None:
    """Any plain data (any text, control characters and astral planes included; any key order). Floats keep their
    value; only one of 1e16 or more, or under 1e-4, is spelled otherwise ("1e16", json.dumps "1e+16")."""
    fast, slow = Assessment(case=case, data_key=case.data_key), Assessment(case=case, data_key=case.data_key)
    Assessment.result_en.set_plain(fast, record)
    slow.result_en = record
    written = _plaintext(fast, Assessment.result_en)
    assert json.loads(written) == json.loads(_plaintext(slow, Assessment.result_en)) == record
    if not _exponents(record):
        assert written == _plaintext(slow, Assessment.result_en) == _as_json_dumps(record)


def _exponents(value: object) -> bool:
    """Whether a float in `value` is written with an exponent (repr: 1e+16, 1e-05)."""
    if isinstance(value, float):
        return "e" in repr(value)
    if isinstance(value, dict):
        return any(_exponents(item) for item in value.values())
    return isinstance(value, list) and any(_exponents(item) for item in value)


def test_set_plain_takes_only_a_record_of_a_json_field(case: Case) -> None:
    assessment = Assessment(case=case, data_key=case.data_key)
    with pytest.raises(SealedValueError):
        Assessment.result_en.set_plain(assessment, ["not", "a", "record"])  # type: ignore[arg-type]
    with pytest.raises(SealedValueError):
        Case.client_surname.set_plain(case, {"a": 1})


def test_set_plain_writes_a_struct_as_its_record_and_reads_the_record_back(case: Case, make_user: Callable) -> None:
    """An answer set as its struct (new_assessment's Russian answer) is sealed as its to_builtins record would be,
    and read back as that record, before and after saving."""
    left = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    services.update_case(make_user(Role.COORDINATOR), case, {"status": "mobilized", "left": left})
    result = assess(services.facts_of(case, dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)))
    from_struct, from_record = (
        Assessment(case=case, data_key=case.data_key),
        Assessment(case=case, data_key=case.data_key),
    )
    Assessment.result_ru.set_plain(from_struct, answer(result, "ru"))
    Assessment.result_ru.set_plain(from_record, answer_data(result, "ru"))
    written = _plaintext(from_struct, Assessment.result_ru)
    assert written == _plaintext(from_record, Assessment.result_ru) == _as_json_dumps(answer_data(result, "ru"))
    assert from_struct.result_ru == answer_data(result, "ru")
    from_struct.result_en = {}
    from_struct.save()
    assert Assessment.objects.get(pk=from_struct.pk).result_ru == answer_data(result, "ru")
