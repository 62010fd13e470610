"""Issue 14, "Finding things": a coordinator finds cases by a part of the client's name and pages through the
results, in a browser without JavaScript; the search and the filters stay with every page link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courtpath.web.cases import services
from courtpath.web.cases.models import Stage

pytestmark = pytest.mark.browser


def test_search_by_name_and_page_through_the_results(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    for number in range(53):
        request = services.create_request(intake, channel="phone", relation="parent", summary="Выдуманный")
        case = services.convert_request(coordinator, request, lawyer)
        surname = "Сказочкин" if number < 52 else "Небывалов"
        services.update_case(coordinator, case, {"client_surname": surname, "client_given_name": f"Пётр{number}"})
        if number == 0:
            services.change_stage(coordinator, case, Stage.TRIAL)

    page = web.page()
    web.log_in(page, coordinator)
    page.goto("/cases/")
    main = page.locator("main")
    main.locator("input[name=q]").fill("СКАЗОЧ")  # a prefix, in capitals
    main.locator("select[name=state]").select_option("open")
    main.locator("form[role=search] button[type=submit]").click()
    rows = main.locator("table.case-list tbody tr")
    expect(rows).to_have_count(50)
    expect(main).not_to_contain_text("Небывалов")
    expect(rows.first).to_contain_text("Сказочкин")

    main.locator("a[rel=next]").click()
    expect(rows).to_have_count(2)
    expect(main.locator("input[name=q]")).to_have_value("СКАЗОЧ")
    expect(main.locator("select[name=state]")).to_have_value("open")
    assert "q=" in page.url and "state=open" in page.url and "page=2" in page.url

    main.locator("a[rel=prev]").click()
    expect(rows).to_have_count(50)

    # A stage filter and a sort keep the search too.
    main.locator("select[name=stage]").select_option("trial")
    main.locator("form[role=search] button[type=submit]").click()
    expect(rows).to_have_count(1)
    main.locator("thead a").first.click()  # sort by code
    expect(rows).to_have_count(1)
    assert "sort=code" in page.url and "stage=trial" in page.url and "q=" in page.url
    web.assert_clean()
