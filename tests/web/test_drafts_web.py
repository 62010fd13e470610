"""Document drafts in the case-management app: only staff who work on the case reach them; the preview shows the
declined text and what to check; DOCX and PDF are made in memory and sent, never stored; what staff type for one
draft is never stored; missing data and bad input give the drafts page with a message (400), never a 500."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from _interview_pages import row_counts
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import Role, User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services
from courtpath.web.cases.models import Case

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "intake": make_user(Role.INTAKE),
        "lawyer": make_user(Role.LAWYER),
        "other_lawyer": make_user(Role.LAWYER),
        "coordinator": make_user(Role.COORDINATOR),
        "admin": make_user(Role.ADMINISTRATOR),
    }


@pytest.fixture
def case(people: dict[str, User]) -> Case:
    request = services.create_request(
        people["intake"], channel="phone", relation="spouse", summary="Просит консультацию", contact="—"
    )
    made = services.convert_request(people["coordinator"], request, lawyer=people["lawyer"])
    services.update_case(
        people["coordinator"],
        made,
        {
            "status": "contract",
            "left": dt.datetime(2025, 10, 1, 8, 0, tzinfo=MOSCOW),
            "client_surname": "Выдумкин",
            "client_given_name": "Олег",
            "client_patronymic": "Петрович",
            "client_sex": "m",
            "client_rank": "младший сержант",
            "military_unit": "войсковая часть 99999",
            "investigator": "Военный следственный отдел по Энскому гарнизону",
        },
    )
    return Case.objects.get(pk=made.pk)


def _client(login: Callable[..., object], user: User) -> Client:
    client = Client()
    login(client, user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("lawyer", 200), ("coordinator", 200), ("other_lawyer", 404), ("intake", 404), ("admin", 404)],
)
def test_only_staff_working_on_the_case_reach_the_drafts(
    case: Case, people: dict[str, User], login: Callable[..., object], who: str, status: int
) -> None:
    client = _client(login, people[who])
    urls = [
        reverse("drafts:list", args=[case.code]),
        reverse("drafts:preview", args=[case.code, "voluntary_appearance"]),
        reverse("drafts:download", args=[case.code, "voluntary_appearance", "pdf"]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url
    assert Client().get(urls[0]).status_code == 302  # anonymous: to the login page


def test_the_drafts_page_lists_every_template_and_what_is_missing(
    case: Case, people: dict[str, User], login: Callable[..., object]
) -> None:
    page = _client(login, people["lawyer"]).get(reverse("drafts:list", args=[case.code])).content.decode()
    for template in ("voluntary_appearance", "motion_attach_documents", "family_appeal_letter"):
        assert reverse("drafts:preview", args=[case.code, template]) in page
    assert "court" in page  # the motion needs a court, which the case does not have yet


def test_the_preview_shows_the_declined_text_and_is_audited_without_personal_data(
    case: Case, people: dict[str, User], login: Callable[..., object]
) -> None:
    client = _client(login, people["lawyer"])
    response = client.post(reverse("drafts:preview", args=[case.code, "voluntary_appearance"]), {"place": "г. Энск"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "от младшего сержанта Выдумкина Олега Петровича" in text  # genitive of rank and name
    assert "в войсковой части 99999" in text  # locative of the unit
    assert "г. Энск" in text
    event = AuditEvent.objects.filter(object_type="draft").latest("pk")
    assert event.object_id == case.code and "Выдумкин" not in str(event.fields)


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK\x03\x04"), ("pdf", b"%PDF-")])
def test_downloads_are_made_in_memory_and_nothing_is_stored(
    case: Case, people: dict[str, User], login: Callable[..., object], fmt: str, magic: bytes, settings: object
) -> None:
    client = _client(login, people["lawyer"])
    documents = list(settings.COURTPATH_DOCUMENTS_DIR.glob("*")) if settings.COURTPATH_DOCUMENTS_DIR.exists() else []
    before = row_counts()
    typed = {"lawyer_name": "Небывалов Илья Сергеевич", "place": "г. Энск"}
    response = client.post(reverse("drafts:download", args=[case.code, "voluntary_appearance", fmt]), typed)
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert response["Content-Disposition"] == f'attachment; filename="{case.code}-voluntary_appearance.{fmt}"'
    assert "no-store" in response["Cache-Control"]
    after = row_counts()
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {"audit_auditevent"}  # only the export is recorded
    still = list(settings.COURTPATH_DOCUMENTS_DIR.glob("*")) if settings.COURTPATH_DOCUMENTS_DIR.exists() else []
    assert still == documents
    if fmt == "docx":
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert "Небывалова Ильи Сергеевича" in text and "ПРОЕКТ — для проверки адвокатом" in text


def test_missing_data_gives_the_drafts_page_with_what_to_add(
    case: Case, people: dict[str, User], login: Callable[..., object]
) -> None:
    client = _client(login, people["lawyer"])
    response = client.post(reverse("drafts:preview", args=[case.code, "family_appeal_letter"]), {})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="draft-error"' in text
    assert "family member" in text or "родственник" in text


def test_bad_input_is_a_form_error_and_unknown_templates_or_formats_are_404(
    case: Case, people: dict[str, User], login: Callable[..., object]
) -> None:
    client = _client(login, people["lawyer"])
    url = reverse("drafts:preview", args=[case.code, "voluntary_appearance"])
    response = client.post(url, {"place": "x" * 101})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert client.get(reverse("drafts:preview", args=[case.code, "no_such_draft"])).status_code == 404
    exe = reverse("drafts:download", args=[case.code, "voluntary_appearance", "exe"])
    assert client.get(exe).status_code == 404
