"""Assessments: the deadlines of a case and across cases, a saved assessment's own page, and the "what if" view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.web.assessments.deadlines import case_deadlines, upcoming_deadlines
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors, services
from courtpath.web.cases.models import Case, Stage

MSK = dt.timezone(dt.timedelta(hours=3))


# -- deadlines ------------------------------------------------------------------------------------------------


def test_band_deadlines_while_absent_and_appeal_window_after_verdict(world: dict[str, object]) -> None:
    case: Case = world["case"]
    codes = {d.code: d.at for d in case_deadlines(case, selectors.latest_assessment(case))}
    left = dt.datetime(2026, 11, 10, 8, 0, tzinfo=MSK)
    if timezone.now() < left + dt.timedelta(days=10):
        assert codes["band_over_10_days_from"] == left + dt.timedelta(days=10)
    assert codes["band_over_1_month_from"] == dt.datetime(2026, 12, 10, 8, 0, tzinfo=MSK)
    services.update_case(world["lawyer1"], case, {"verdict_date": dt.date(2027, 3, 1)})
    services.change_stage(world["lawyer1"], case, Stage.VERDICT)
    codes = {d.code: d.at for d in case_deadlines(case, selectors.latest_assessment(case))}
    assert codes["appeal_window_ends"].date() == dt.date(2027, 3, 16)
    assert "band_over_1_month_from" not in codes  # after the surrender stage band deadlines no longer apply


def test_the_dashboard_lists_the_deadlines_of_the_cases_one_sees(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    expected = case_deadlines(case, selectors.latest_assessment(case))
    assert expected, "the case has deadlines (at least the limitation period)"
    assert upcoming_deadlines(selectors.cases_with_assessments(world["lawyer1"])) == expected
    assert upcoming_deadlines(selectors.cases_with_assessments(world["lawyer2"])) == []
    login(client, world["lawyer1"])
    assert reverse("cases:case_detail", args=[case.code]) in client.get(reverse("cases:dashboard")).content.decode()
    login(client, world["lawyer2"])
    assert case.code not in client.get(reverse("cases:dashboard")).content.decode()


# -- pages ------------------------------------------------------------------------------------------------------


def test_an_assessment_stored_by_engine_0_1_still_renders(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    """A saved assessment without engine 0.2.0's fields (availability, recidivism, outcome) renders as it did:
    every penalty as offered, no colony column value invented."""
    case: Case = world["case"]
    saved = selectors.latest_assessment(case)
    for result in (saved.result_ru, saved.result_en):
        result.pop("outcome", None)
        for q in result["qualifications"]:
            q.pop("recidivism", None)
            q.pop("recidivism_min_months", None)
            for p in q["penalties"]:
                p.pop("available", None)
                p.pop("reason", None)
    saved.engine_version = "0.1.0"
    saved.save()
    login(client, world["lawyer1"])
    page = client.get(reverse("assessments:detail", args=[case.code, saved.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "УК РФ ст. 337" in text and "<del>" not in text


def test_an_earlier_assessment_has_a_page_of_its_own_under_its_case_only(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case: Case = world["case"]
    earlier = selectors.latest_assessment(case)
    services.update_case(
        world["lawyer1"], case, {"returned": dt.datetime(2026, 11, 25, 8, 0, tzinfo=MSK), "surrendered": True}
    )
    login(client, world["lawyer1"])
    url = reverse("assessments:detail", args=[case.code, earlier.pk])
    assert url in client.get(reverse("cases:case_detail", args=[case.code])).content.decode()  # the history
    page = client.get(url)
    assert page.status_code == 200 and "УК РФ ст. 337" in page.content.decode()
    opened = AuditEvent.objects.filter(action="view", object_type="assessment", object_id=f"{case.code}/{earlier.pk}")
    assert opened.exists()
    other = services.convert_request(
        world["coordinator"],
        services.create_request(world["intake1"], channel="phone", relation="self", summary=""),
        world["lawyer1"],
    )
    services.update_case(
        world["lawyer1"], other, {"status": "contract", "left": dt.datetime(2026, 10, 1, 8, 0, tzinfo=MSK)}
    )
    another_cases = selectors.latest_assessment(other)
    assert client.get(reverse("assessments:detail", args=[case.code, another_cases.pk])).status_code == 404


def test_what_if_lists_cases_whose_range_would_change(
    world: dict[str, object], login: Callable[..., object], client: Client
) -> None:
    case = world["case"]
    services.update_case(
        world["lawyer1"],
        case,
        {"status": "contract", "released_80_2": True, "returned": dt.datetime(2026, 11, 25, 8, 0, tzinfo=MSK)},
    )
    login(client, world["lawyer1"])
    before_534 = client.get(reverse("assessments:what_if"), {"law_on": "2025-06-01"}).content.decode()
    assert case.code in before_534
    # Written as a Russian lawyer writes them (assessments/wording.py), not «337.3.2 (534-FZ): 36–96».
    assert "ч. 3.2 ст. 337 (534-ФЗ): 3–8\u00a0лет" in before_534
    assert "ч. 3.1 ст. 337 (365-ФЗ): от\u00a02 месяцев до\u00a07 лет" in before_534
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    in_english = client.get(reverse("assessments:what_if"), {"law_on": "2025-06-01"}).content.decode()
    assert "art. 337 part 3.2 (534-FZ): 3–8 years" in in_english
    assert "art. 337 part 3.1 (365-FZ): from 2 months to 7 years" in in_english
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    same_law = client.get(reverse("assessments:what_if"), {"law_on": "2026-06-01"}).content.decode()
    assert case.code not in same_law
    assert client.get(reverse("assessments:what_if"), {"law_on": "not a date"}).status_code == 400
