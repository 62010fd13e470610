"""Issue 14, "Finding things": the case list's search (by code, and by the client's sealed name through the keyed
blind index), its filters and sorting that survive the page links, and the coordinators' audited CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.vault import state
from courtpath.vault.keyring import build_keyring, new_recovery_identity, write_keyring
from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import listing, name_index, services
from courtpath.web.cases.models import Case, CaseNameToken, Stage
from courtpath.web.settings_test import TEST_MASTER_KEY
from courtpath.web.vault import keys, operations

MOSCOW = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    state.unlock(TEST_MASTER_KEY)
    keys.forget_cached_keys()
    listing.forget()
    yield
    state.unlock(TEST_MASTER_KEY)
    listing.forget()


def new_case(world: dict[str, Any], lawyer: str = "lawyer1", **identity: object) -> Case:
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="Выдуманный")
    case = services.convert_request(world["coordinator"], request, world[lawyer])
    if identity:
        services.update_case(world["coordinator"], case, identity)
    return case


def codes_on(response: Any) -> list[str]:
    """The case codes of the list's rows, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'<td data-label="[^"]*"><a href="/cases/(C-[A-Z0-9]+)/">', response.content.decode())


def listed(client: Client, **params: object) -> list[str]:
    return codes_on(client.get(reverse("cases:case_list"), params))


@pytest.fixture
def named(world: dict[str, Any]) -> Case:
    return new_case(world, client_surname="Выдумкин-Ёлочкин", client_given_name="ПЁТР", client_patronymic="Семёнович")


# -- the index ----------------------------------------------------------------------------------------------------


def test_normalisation_folds_case_yo_and_compatibility_forms() -> None:
    assert name_index.normalise("Выдумкин-Ёлочкин  ПЁТР") == ["выдумкин", "елочкин", "петр"]
    assert name_index.normalise("ﬁ Ｐｅｔｒ") == ["fi", "petr"]  # NFKC: a ligature, full-width letters


@pytest.mark.parametrize(
    "query",
    ["Выдумкин", "выдумкин-ёлочкин", "ЕЛОЧКИН", "ёлоч", "петр", "Пётр Семёнович", "сем выд", "  ВЫД  "],
)
def test_a_name_is_found_by_its_words_and_prefixes_in_any_case_and_with_e_for_yo(
    query: str, named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    assert listed(client, q=query) == [named.code]


@pytest.mark.parametrize("query", ["Выдумкина", "вы", "пётра", "дум", "Петр Иванович"])
def test_what_is_not_a_whole_word_or_a_prefix_of_3_letters_finds_nothing(
    query: str, named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    assert listed(client, q=query) == []


def test_a_two_letter_name_is_found_as_a_whole_word(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    short = new_case(world, client_surname="Ли", client_given_name="Выдум")
    login(client, world["coordinator"])
    assert listed(client, q="ли") == [short.code]
    assert listed(client, q="выд ЛИ") == [short.code]


def test_search_by_code_finds_a_part_of_it(
    named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    assert listed(client, q=named.code) == [named.code]
    assert listed(client, q=named.code[2:6].lower()) == [named.code]


def test_a_lawyer_finds_only_their_own_cases_and_an_administrator_none(
    named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    other = new_case(world, "lawyer2", client_surname="Выдумкин", client_given_name="Антон")
    login(client, world["lawyer1"])
    assert listed(client, q="выдумкин") == [named.code]
    login(client, world["lawyer2"])
    assert listed(client, q="выдумкин") == [other.code]
    assert listed(client, q=named.code) == []
    login(client, world["admin"])
    assert listed(client, q="выдумкин") == [] and listed(client) == []


def test_every_case_has_the_same_number_of_index_rows_and_no_name_in_clear(
    named: Case, world: dict[str, Any], db_contains: Callable[[str], bool]
) -> None:
    long_name = new_case(world, client_surname="Выдумкин" * 5, client_given_name="Непридуманный")
    counts = {case.pk: CaseNameToken.objects.filter(case=case).count() for case in Case.objects.all()}
    assert counts[named.pk] == counts[world["case"].pk] == name_index.PADDED_ROWS
    assert counts[long_name.pk] % name_index.PADDED_ROWS == 0 and counts[long_name.pk] > name_index.PADDED_ROWS
    assert all(row.data_key_id == named.data_key_id for row in CaseNameToken.objects.filter(case=named))
    assert not db_contains("елочкин") and not db_contains("Ёлочкин") and not db_contains("петр")


def test_a_name_change_replaces_the_index_rows(
    named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    services.update_case(world["coordinator"], named, {"client_surname": "Небывалов"})
    login(client, world["coordinator"])
    assert listed(client, q="небывалов петр") == [named.code]
    assert listed(client, q="ёлочкин") == []
    assert CaseNameToken.objects.filter(case=named).count() == name_index.PADDED_ROWS


def test_the_index_rows_go_with_a_deleted_case(named: Case, world: dict[str, Any]) -> None:
    assert CaseNameToken.objects.filter(case=named).exists()
    services.delete_case(world["coordinator"], named)
    assert not CaseNameToken.objects.filter(case_id=named.pk).exists()
    assert not CaseNameToken.objects.filter(data_key_id=named.data_key_id).exists()


def test_a_key_rotation_rebuilds_the_index_under_the_new_key(
    named: Case, world: dict[str, Any], settings: Any, tmp_path: Path, login: Callable[..., object], client: Client
) -> None:
    before = set(CaseNameToken.objects.filter(case=named).values_list("token", flat=True))
    _, recipient = new_recovery_identity()
    settings.COURTPATH_KEYRING_FILE = tmp_path / "keyring.json"
    write_keyring(tmp_path / "keyring.json", build_keyring(TEST_MASTER_KEY, "a long enough passphrase", recipient))
    operations.rotate_master_key(TEST_MASTER_KEY, "a long enough passphrase")
    keys.forget_cached_keys()
    assert not before & set(CaseNameToken.objects.filter(case=named).values_list("token", flat=True))
    login(client, world["coordinator"])
    assert listed(client, q="ёлочкин") == [named.code]


def test_cases_without_index_rows_are_indexed_at_start_up(named: Case, world: dict[str, Any]) -> None:
    CaseNameToken.objects.all().delete()
    assert name_index.index_missing() == Case.objects.count()
    assert name_index.index_missing() == 0
    assert Case.objects.filter(name_index.matching("ёлочкин")).get() == named


# -- filters, sorting, pages ----------------------------------------------------------------------------------------


def test_filters_and_search_survive_the_page_links_and_the_sort_links(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    for number in range(52):
        case = new_case(world, client_surname=f"Придумкин{number}")
        if number % 2:
            services.change_stage(world["coordinator"], case, Stage.TRIAL)
    login(client, world["coordinator"])
    client.cookies["django_language"] = "en"
    params = {"q": "придумкин", "stage": "first_contact", "state": "open", "lawyer": world["lawyer1"].pk}
    first = client.get(reverse("cases:case_list"), params)
    assert len(codes_on(first)) == 26
    params["stage"] = ""
    first = client.get(reverse("cases:case_list"), params)
    assert len(codes_on(first)) == 50
    page = first.content.decode()
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    assert "q=%D0%BF%D1%80%D0%B8%D0%B4%D1%83%D0%BC%D0%BA%D0%B8%D0%BD" in next_link
    assert "state=open" in next_link and f"lawyer={world['lawyer1'].pk}" in next_link and "page=2" in next_link
    second = client.get(reverse("cases:case_list") + "?" + next_link)
    assert len(codes_on(second)) == 2
    assert not set(codes_on(second)) & set(codes_on(first))
    sort_link = re.search(r'<a href="\?([^"]+)">Code</a>', second.content.decode()).group(1).replace("&amp;", "&")
    assert "state=open" in sort_link and "sort=code" in sort_link and "page=" not in sort_link
    previous = re.search(r'<a href="\?([^"]+)" rel="prev">', second.content.decode()).group(1)
    assert "state=open" in previous.replace("&amp;", "&")


def test_sorting_by_code_stage_and_opened_both_ways(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    made = [new_case(world) for _ in range(4)]
    services.change_stage(world["coordinator"], made[0], Stage.APPEAL)
    services.change_stage(world["coordinator"], made[1], Stage.AGREEMENT)
    login(client, world["coordinator"])
    everything = sorted(case.code for case in Case.objects.all())
    assert listed(client, sort="code") == everything
    assert listed(client, sort="-code") == everything[::-1]
    by_stage = listed(client, sort="stage")
    assert by_stage.index(made[1].code) < by_stage.index(made[0].code)  # agreement comes before appeal
    assert listed(client, sort="-stage")[0] == made[0].code
    opened = [case.code for case in Case.objects.order_by("created_at", "id")]
    assert listed(client, sort="opened") == opened and listed(client, sort="-opened") == opened[::-1]


def test_the_sort_link_of_the_current_column_reverses_it(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    page = client.get(reverse("cases:case_list"), {"sort": "code"}).content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-code">' in page


def test_filters_by_article_part_and_deadline_and_sorting_by_deadline(
    world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    assessed: Case = world["case"]  # mobilized, absent since 10.11.2026 and not back: band boundaries ahead
    part = listing.summaries(Case.objects.filter(pk=assessed.pk))[assessed.pk].part
    assert part.startswith("337.")
    nothing_known = new_case(world)
    later = new_case(world, status="contract", left=dt.datetime(2026, 3, 1, 8, 0, tzinfo=MOSCOW))
    services.update_case(world["coordinator"], later, {"returned": dt.datetime(2026, 3, 3, 8, 0, tzinfo=MOSCOW)})
    services.update_case(world["coordinator"], later, {"verdict_date": timezone.localdate() - dt.timedelta(days=2)})
    services.change_stage(world["coordinator"], later, Stage.VERDICT)  # the appeal window is a deadline
    soonest = {
        pk: summary.next_deadline.at
        for pk, summary in listing.summaries(Case.objects.all()).items()
        if summary.next_deadline is not None
    }
    assert nothing_known.pk not in soonest and {assessed.pk, later.pk} <= soonest.keys()
    login(client, world["coordinator"])
    assert assessed.code in listed(client, part=part)
    assert listed(client, part="339.1") == []
    within = listed(client, due_within=3650)
    assert nothing_known.code not in within and assessed.code in within
    ordered = sorted(soonest, key=lambda pk: soonest[pk])
    codes = dict(Case.objects.values_list("pk", "code"))
    by_deadline = listed(client, sort="deadline")
    assert by_deadline[: len(ordered)] == [codes[pk] for pk in ordered]
    assert by_deadline[-1] == nothing_known.code or nothing_known.code in by_deadline[len(ordered) :]


def test_the_rows_show_the_name_stage_lawyer_part_and_deadline(
    named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["lawyer1"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:case_list")).content.decode()
    assert "Выдумкин-Ёлочкин ПЁТР Семёнович" in page and "Небыльцев Аркадий" in page
    assert 'data-label="Article and part">337.' in page and "lawyer1" in page
    assert 'name="lawyer"' not in page  # a lawyer's list has no lawyer filter: it holds only their cases
    assert "Download this list" not in page


@pytest.mark.parametrize(
    "params", [{"due_within": "soon"}, {"due_within": "-1"}, {"sort": "client_surname"}, {"stage": "nonsense"}]
)
def test_bad_filters_get_a_form_error_and_400(
    params: dict[str, str], world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    login(client, world["coordinator"])
    response = client.get(reverse("cases:case_list"), params)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert client.get(reverse("cases:case_export"), params).status_code == 400


# -- CSV export -----------------------------------------------------------------------------------------------------


def test_the_csv_export_is_the_filtered_list_guarded_and_audited(
    named: Case, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    formula = new_case(world, client_surname='=HYPERLINK("http://example.invalid")', client_given_name="+Выдум")
    login(client, world["coordinator"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("cases:case_export"), {"q": "выдумкин", "state": "open"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and "cases.csv" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store" and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert table[0][:3] == ["Code", "Full name", "Stage"]
    assert [row[0] for row in table[1:]] == [named.code]
    assert table[1][1] == "Выдумкин-Ёлочкин ПЁТР Семёнович"
    event = AuditEvent.objects.filter(object_type="case_list").get()
    assert (event.action, event.actor_id, event.object_id) == ("export", world["coordinator"].pk, "1 rows")
    assert event.fields == "search,state=open"
    everything = client.get(reverse("cases:case_export")).content.decode("utf-8")
    guarded = next(row for row in csv.reader(io.StringIO(everything)) if row[0] == formula.code)
    assert guarded[1] == '\'=HYPERLINK("http://example.invalid") +Выдум'
    assert "Выдумкин" not in " ".join(str(v) for row in AuditEvent.objects.values_list() for v in row)


@pytest.mark.parametrize("value", ["=1+1", "+7 900", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(value: str) -> None:
    from courtpath.web.cases.export import csv_cell

    assert csv_cell(value) == "'" + value
    assert csv_cell("Выдумкин") == "Выдумкин" and csv_cell(None) == ""


@pytest.mark.parametrize("role", ["lawyer1", "intake1", "admin"])
def test_only_coordinators_export_the_list(
    role: str, world: dict[str, Any], login: Callable[..., object], client: Client
) -> None:
    user: User = world[role]
    login(client, user)
    assert client.get(reverse("cases:case_export")).status_code == 403
    assert not AuditEvent.objects.filter(object_type="case_list").exists()
