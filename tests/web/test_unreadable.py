"""Issue 17, item 2: a stored value that cannot be read (damaged sealed bytes, a data key that does not open, a facts
record or an assessment of another shape) takes no page down. Each page answers 200 (or a deliberate 409 where it
would write over what it cannot read), shows the other cases, names the case in both languages, and logs the case
code and the error's class only.

The rows are damaged here behind the services' back (`.update()`), as an older version, a restore or a migration
could have left them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.vault.cipher import new_key, seal
from courtpath.web.cases import services
from courtpath.web.cases.models import Assessment, Case, Stage
from courtpath.web.vault import keys
from courtpath.web.vault.models import DataKey

NAME = "Небыльцев"  # the world case's client: never in a log line


def _tampered(sealed: bytes) -> bytes:
    data = bytearray(sealed)
    data[-1] ^= 0xFF  # the tag no longer matches
    return bytes(data)


def damage_facts_bytes(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(facts_sealed=_tampered(bytes(case.facts_sealed)))


def damage_facts_not_sealed(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(facts_sealed=b"plain text, never sealed")


def damage_facts_shape(case: Case) -> None:
    """A record that opens, with entries of another type (an old version's spelling of the dates)."""
    row = Case.objects.get(pk=case.pk)
    row.facts = {**row.facts, "verdict_date": "31.12.9999", "left": 1_700_000_000}
    Case.objects.filter(pk=case.pk).update(facts_sealed=row.facts_sealed)


def damage_identity(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(client_surname_sealed=_tampered(bytes(case.client_surname_sealed)))


def damage_assessment(case: Case) -> None:
    latest = case.assessments.order_by("-created_at", "-id").first()
    Assessment.objects.filter(pk=latest.pk).update(
        result_en_sealed=_tampered(bytes(latest.result_en_sealed)),
        result_ru_sealed=b"garbage",
        summary_sealed=_tampered(bytes(latest.summary_sealed)),
    )


def damage_summary(case: Case) -> None:
    """Only the summary that the pages over every case read (assessments/summary.py) does not open."""
    latest = case.assessments.order_by("-created_at", "-id").first()
    Assessment.objects.filter(pk=latest.pk).update(summary_sealed=_tampered(bytes(latest.summary_sealed)))


def damage_summary_shape(case: Case) -> None:
    """A summary that opens, of another shape (a future version's)."""
    latest = Assessment.objects.get(pk=case.assessments.order_by("-created_at", "-id").first().pk)
    latest.summary = {"key_dates": "soon"}
    Assessment.objects.filter(pk=latest.pk).update(summary_sealed=latest.summary_sealed)


def damage_key(case: Case) -> None:
    """The data key wrapped by another master key (a restore from another installation): nothing of it opens."""
    other = seal(new_key(), new_key(), b"courtpath data key|" + case.data_key_id.bytes)
    DataKey.objects.filter(pk=case.data_key_id).update(wrapped=other)


# damage -> (pages that must name the case, pages that may refuse with 409)
DAMAGES: dict[str, tuple[Callable[[Case], None], set[str], set[str]]] = {
    "facts_bytes": (damage_facts_bytes, {"dashboard", "case", "statistics", "what_if", "drafts"}, {"edit", "draft"}),
    "facts_not_sealed": (damage_facts_not_sealed, {"dashboard", "case", "statistics", "what_if"}, {"edit", "draft"}),
    "facts_shape": (damage_facts_shape, {"dashboard", "case", "statistics", "what_if"}, {"edit", "draft"}),
    "identity": (damage_identity, {"case", "drafts"}, {"edit", "draft"}),
    "assessment": (damage_assessment, {"dashboard", "case", "statistics", "assessment"}, set()),
    "summary": (damage_summary, {"dashboard", "case", "statistics"}, set()),
    "summary_shape": (damage_summary_shape, {"dashboard", "case", "statistics"}, set()),
    "data_key": (damage_key, {"dashboard", "case", "statistics", "what_if", "drafts"}, {"edit", "draft"}),
}


@pytest.fixture
def healthy(world: dict[str, Any]) -> Case:
    """Another case of lawyer 1, whose appeal window must stay on the dashboard."""
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
    case = services.convert_request(world["coordinator"], request, world["lawyer1"])
    left = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    services.update_case(
        world["lawyer1"], case, {"status": "contract", "left": left, "returned": left + dt.timedelta(days=3)}
    )
    services.update_case(world["lawyer1"], case, {"verdict_date": timezone.localdate() - dt.timedelta(days=2)})
    services.change_stage(world["lawyer1"], case, Stage.VERDICT)
    return case


def _urls(case: Case) -> dict[str, str]:
    assessment = case.assessments.order_by("-created_at", "-id").first()
    return {
        "dashboard": reverse("cases:dashboard"),
        "list": reverse("cases:case_list"),
        "case": reverse("cases:case_detail", args=[case.code]),
        "edit": reverse("cases:case_edit", args=[case.code]),
        "assessment": reverse("assessments:detail", args=[case.code, assessment.pk]),
        "statistics": reverse("statistics:page"),
        "export": reverse("statistics:export"),
        "what_if": reverse("assessments:what_if") + "?law_on=2026-02-01",
        "drafts": reverse("drafts:list", args=[case.code]),
        "draft": reverse("drafts:preview", args=[case.code, "voluntary_appearance"]),
    }


@pytest.mark.parametrize("damage", DAMAGES)
def test_an_unreadable_stored_value_breaks_no_page(
    damage: str,
    world: dict[str, Any],
    healthy: Case,
    login: Callable[..., object],
    client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    case = Case.objects.get(pk=world["case"].pk)
    services.add_note(world["lawyer1"], case, "Записка о выдуманном деле")
    services.change_stage(world["coordinator"], case, Stage.VERDICT)  # open, with an appeal window if readable
    services.update_case(world["coordinator"], case, {"verdict_date": timezone.localdate()})
    case = Case.objects.get(pk=case.pk)
    urls = _urls(case)
    do_damage, naming, refusing = DAMAGES[damage]
    do_damage(case)
    keys.forget_cached_keys()
    login(client, world["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    caplog.set_level(logging.WARNING, logger="courtpath")
    for page, url in urls.items():
        response = client.get(url)
        expected = {409} if page in refusing else {200}
        assert response.status_code in expected, (page, response.status_code)
        text = response.content.decode() if page != "export" else ""
        if page in naming:
            assert case.code in text and ("could not be read" in text or "cannot be read" in text), page
        if page == "case":
            assert f"Case {case.code}:" in text and "could not be read" in text
            assert "Записка" in text or damage == "data_key"  # what opens is shown
        if page in refusing and page in naming:
            assert case.code in text
    dashboard = client.get(urls["dashboard"]).content.decode()
    assert healthy.code in dashboard and "appeal window ends" in dashboard.lower()  # the other cases are shown
    assert "could not be read" in client.get(urls["case"]).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(urls["case"]).content.decode()
    assert f"Дело {case.code}:" in page and "не удалось прочитать" in page
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("courtpath")]
    assert logged and all(case.code in line for line in logged)
    assert not any(NAME in line or "Записка" in line or "9999" in line for line in logged)


@pytest.mark.parametrize("damage", ["facts_bytes", "assessment", "data_key"])
def test_the_lawyers_pages_name_the_unreadable_case(
    damage: str, world: dict[str, Any], healthy: Case, login: Callable[..., object], client: Client
) -> None:
    case = Case.objects.get(pk=world["case"].pk)
    services.change_stage(world["coordinator"], case, Stage.VERDICT)
    DAMAGES[damage][0](Case.objects.get(pk=case.pk))
    keys.forget_cached_keys()
    login(client, world["lawyer1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dashboard = client.get(reverse("cases:dashboard"))
    assert dashboard.status_code == 200
    assert case.code in dashboard.content.decode() and healthy.code in dashboard.content.decode()
    assert client.get(reverse("cases:case_list")).status_code == 200
    page = client.get(reverse("cases:case_detail", args=[case.code]))
    assert page.status_code == 200 and f"Case {case.code}:" in page.content.decode()


def test_an_administrator_sees_how_many_cases_are_unreadable_not_which(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    case = Case.objects.get(pk=world["case"].pk)
    damage_facts_bytes(case)
    keys.forget_cached_keys()
    login(client, world["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("statistics:page")).content.decode()
    assert "Cases whose stored values could not be read (they count with those values unknown): 1." in page
    assert case.code not in page


def test_a_verdict_without_an_assessment_counts_in_the_statistics(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    """A case with a verdict but no article (no absence entered, or its assessment unreadable) has no series in the
    chart by part; it does not break the page."""
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
    case = services.convert_request(world["coordinator"], request, world["lawyer1"])
    services.update_case(world["lawyer1"], case, {"verdict_date": dt.date(2026, 10, 1), "sentence_months": 24})
    services.change_stage(world["lawyer1"], case, Stage.IN_FORCE)
    login(client, world["coordinator"])
    assert client.get(reverse("statistics:page")).status_code == 200
