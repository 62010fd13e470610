"""The staff pages as a product (issue 14): dates as each language writes them, the right labels, labelled table cells
for phones, the facts form in sections with an error summary, the print view, and `make run PORT=`."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import services

ROOT = Path(__file__).resolve().parents[2]
MSK = dt.timezone(dt.timedelta(hours=3))
ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _client(user: User, login: Callable[..., object], language: str = "ru") -> Client:
    client = Client()
    login(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# -- dates -------------------------------------------------------------------------------------------------------


def test_dates_are_written_as_each_language_writes_them() -> None:
    moment = dt.datetime(2026, 12, 17, 5, 0, tzinfo=dt.UTC)  # 08:00 in Moscow
    page = Template('{{ at|date:"SHORT_DATE_FORMAT" }} | {{ at|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override("ru"):
        assert page.render(Context({"at": moment})) == "17.12.2026 | 17.12.2026 08:00"
    with translation.override("en"):
        assert page.render(Context({"at": moment})) == "17 Dec 2026 | 17 Dec 2026 08:00"


def test_staff_pages_show_no_iso_dates(world: dict[str, object], login: Callable[..., object]) -> None:
    case = world["case"]
    services.add_note(world["lawyer1"], case, "Позвонить в понедельник")
    lawyer = _client(world["lawyer1"], login)
    coordinator = _client(world["coordinator"], login)
    admin = _client(world["admin"], login)
    pages = [
        (lawyer, reverse("cases:dashboard")),
        (lawyer, reverse("cases:case_list")),
        (lawyer, reverse("cases:case_detail", args=[case.code])),
        (lawyer, reverse("cases:case_print", args=[case.code])),
        (coordinator, reverse("cases:request_list")),
        (coordinator, reverse("cases:request_detail", args=[world["request"].code])),
        (admin, reverse("audit:list")),
    ]
    today = dt.datetime.now(MSK).strftime("%d.%m.%Y")
    for client, url in pages:
        html = _page(client, url)
        assert not ISO_DAY.search(re.sub(r"<[^>]+>", " ", html)), f"an ISO date on {url}"
    case_page = _page(lawyer, reverse("cases:case_detail", args=[case.code]))
    assert "10.11.2026" in case_page or today in case_page  # the absence's deadlines, the note's day
    assert today in _page(admin, reverse("audit:list"))
    lawyer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(lawyer, reverse("cases:case_detail", args=[case.code]))
    assert dt.datetime.now(MSK).strftime("%-d %b %Y") in english and today not in english


# -- labels ------------------------------------------------------------------------------------------------------


def test_the_clients_name_is_labelled_fio(world: dict[str, object], login: Callable[..., object]) -> None:
    html = _page(_client(world["lawyer1"], login), reverse("cases:case_detail", args=[world["case"].code]))
    assert "<dt>ФИО</dt>" in html and "Название" not in html


def test_the_request_page_asks_for_the_request_code(world: dict[str, object], login: Callable[..., object]) -> None:
    request = services.create_request(world["intake1"], channel="phone", relation="self", summary="")
    client = _client(world["coordinator"], login)
    html = _page(client, reverse("cases:request_detail", args=[request.code]))
    assert "код обращения" in html and "код дела" not in html
    assert "Ваши ответы" not in html  # the staff page is not headed as the family's own page
    response = client.post(reverse("cases:request_delete", args=[request.code]), {"confirm_code": "XXXX"}, follow=True)
    assert "Код не совпадает с кодом этого обращения." in response.content.decode()


def test_the_audit_log_names_accounts_and_fields(world: dict[str, object], login: Callable[..., object]) -> None:
    services.change_stage(world["lawyer1"], world["case"], "agreement", "")
    html = _page(_client(world["admin"], login), reverse("audit:list"))
    cells = re.findall(r'<td data-label="Объект">([^<]*)</td>', html)
    assert "учётная запись admin" in cells  # its login event: the username, not the account's number
    assert not any(re.fullmatch(r"учётная запись \d+", cell) for cell in cells)
    fields = re.findall(r'<td data-label="Поля">([^<]*)</td>', html)
    assert "стадия" in fields and "stage" not in fields
    assert any("начало отсутствия" in cell.lower() for cell in fields)  # a case's fact, named as its form names it


# -- tables on phones: every cell carries its column's header ----------------------------------------------------


class _Cells(HTMLParser):
    """Every table of a page: its column headers and, for each <td>, its data-label and column."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self._stack: list[dict[str, list]] = []
        self._in_th = False
        self._in_thead = False
        self._column = 0
        self._text: list[str] = []
        self._hidden = False  # inside a header's visually hidden text: for screen readers, not a label on a phone

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._stack.append({"headers": [], "cells": []})
        elif not self._stack:
            return
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._column = 0
        elif tag == "th" and self._in_thead:
            self._in_th, self._text = True, []
        elif tag == "span" and self._in_th and "visually-hidden" in (attributes.get("class") or ""):
            self._hidden = True
        elif tag == "td":
            self._stack[-1]["cells"].append((attributes.get("data-label"), self._column, "colspan" in attributes))
        if tag in ("td", "th") and not (tag == "th" and self._in_thead):
            self._column += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        if tag == "span":
            self._hidden = False
        if tag == "th" and self._in_th:
            self._stack[-1]["headers"].append(" ".join("".join(self._text).split()))
            self._in_th = False
        elif tag == "thead":
            self._in_thead = False
        elif tag == "table":
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._in_th and not self._hidden:
            self._text.append(data)


def assert_cells_labelled(html: str, where: str) -> int:
    """Every <td> has a data-label, and it is its column's header (a cell spanning the row: an empty label)."""
    parser = _Cells()
    parser.feed(html)
    count = 0
    for table in parser.tables:
        for label, column, spans in table["cells"]:
            assert label is not None, f"{where}: a <td> without data-label (column {column})"
            expected = "" if spans else table["headers"][column]
            assert label == expected, f"{where}: column {column} labelled {label!r}, headed {expected!r}"
            count += 1
    return count


def test_every_table_cell_of_the_staff_pages_is_labelled(
    world: dict[str, object], login: Callable[..., object]
) -> None:
    case = world["case"]
    lawyer = _client(world["lawyer1"], login)
    coordinator = _client(world["coordinator"], login)
    admin = _client(world["admin"], login)
    assessment = case.assessments.latest("created_at")
    pages = {
        "dashboard": (lawyer, reverse("cases:dashboard")),
        "dashboard (coordinator)": (coordinator, reverse("cases:dashboard")),
        "cases": (lawyer, reverse("cases:case_list")),
        "requests": (coordinator, reverse("cases:request_list")),
        "case": (lawyer, reverse("cases:case_detail", args=[case.code])),
        "print": (lawyer, reverse("cases:case_print", args=[case.code])),
        "assessment": (lawyer, reverse("assessments:detail", args=[case.code, assessment.pk])),
        "what if": (lawyer, reverse("assessments:what_if") + "?law_on=2025-06-01"),
        "drafts": (lawyer, reverse("drafts:list", args=[case.code])),
        "statistics (protected tables)": (admin, reverse("statistics:page")),
        "audit": (admin, reverse("audit:list")),
        "accounts": (admin, reverse("accounts:user_list")),
        "tokens": (lawyer, reverse("api:tokens")),
        "bulk delete": (
            coordinator,
            reverse("cases:request_bulk_delete") + "?received_from=01.01.2020+00:00&received_to=01.01.2099+00:00",
        ),
    }
    services.create_request(world["intake1"], channel="phone", relation="self", summary="")  # one to list
    services.change_stage(world["lawyer1"], case, "agreement", "")  # an account change for the coordinator's table
    lawyer.post(reverse("api:tokens"), {"name": "Таблица", "expires": "never"})
    counted = {name: assert_cells_labelled(_page(client, url), name) for name, (client, url) in pages.items()}
    labelled = ("dashboard", "cases", "requests", "case", "print", "assessment", "audit", "accounts", "tokens")
    for name in (*labelled, "bulk delete", "drafts", "statistics (protected tables)"):
        assert counted[name] > 0, f"{name}: no table cell to check"


# -- the facts form ----------------------------------------------------------------------------------------------


def test_the_facts_form_is_in_sections_with_an_error_summary(
    world: dict[str, object], login: Callable[..., object]
) -> None:
    case = world["case"]
    client = _client(world["lawyer1"], login)
    url = reverse("cases:case_edit", args=[case.code])
    html = _page(client, url)
    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    assert legends[:3] == ["Отсутствие на службе", "Подзащитный", "Обстоятельства"]
    assert len(legends) == 5 and legends[3].startswith("Обстоятельства, в которых суды")  # the indicators' group
    assert legends[4] == "Суд и приговор"
    # Each check box stands before its own label, in one row.
    boxes = re.findall(r'<div class="check"><input type="checkbox" [^>]*id="([^"]+)"[^>]*><label for="([^"]+)">', html)
    assert len(boxes) >= 10 and all(box == label for box, label in boxes)
    assert "error-summary" not in html

    response = client.post(url, {"status": "mobilized", "client_birth_date": "31.02.1990", "sentence_months": "many"})
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.DOTALL)
    assert summary is not None and page.index("error-summary") < page.index('<form method="post" novalidate>')
    targets = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert "id_client_birth_date" in targets and "id_sentence_months" in targets
    for target in targets:
        assert f'id="{target}"' in page, f"the summary links to #{target}, which is not on the page"


# -- the print view ----------------------------------------------------------------------------------------------


def test_the_print_view_has_the_case_and_its_assessment_and_no_forms(
    world: dict[str, object], login: Callable[..., object]
) -> None:
    case = world["case"]
    client = _client(world["coordinator"], login)
    detail = _page(client, reverse("cases:case_detail", args=[case.code]))
    print_url = reverse("cases:case_print", args=[case.code])
    assert f'href="{print_url}"' in detail
    before = AuditEvent.objects.filter(object_type="case", object_id=case.code, action="view").count()
    html = _page(client, print_url)
    assert "<form" not in html.split("<main", 1)[1]  # no stage, note, upload or delete form
    assert "Удалить дело" not in html and "Небыльцев" in html
    assert "<details open>" in html  # the trace with its citations is printed unfolded
    assert re.search(r"ч\. \d(\.\d)? ст\. 337", html)
    assert "Канарейкин" not in html  # the request's summary and the contact stay off paper
    events = AuditEvent.objects.filter(object_type="case", object_id=case.code, action="view")
    assert events.count() == before + 1 and events.order_by("-id").first().fields == "print"


def test_the_print_view_is_refused_to_those_who_cannot_see_the_case(
    world: dict[str, object], login: Callable[..., object]
) -> None:
    url = reverse("cases:case_print", args=[world["case"].code])
    for name in ("lawyer2", "admin", "intake1"):
        _page(_client(world[name], login), url, status=404)
    assert not AuditEvent.objects.filter(fields="print").exists()
    assert Client().get(url).status_code == 302  # to the login page


def test_the_stylesheet_prints_without_navigation_and_labels_cells_on_phones() -> None:
    css = (ROOT / "src/courtpath/web/static/courtpath/app.css").read_text()
    printing = css[css.index("@media print") :]
    assert re.search(r"header\.top[^{]*form[^{]*\.no-print[^{]*\{\s*display: none", printing)
    phone = css[css.index("@media (max-width: 600px)") : css.index("@media print")]
    assert "content: attr(data-label)" in phone
    assert "http:" not in css and "https:" not in css and "@import" not in css and "url(" not in css


# -- make run PORT= ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "bind", "public"),
    [
        ([], "127.0.0.1:8000", "127.0.0.1:8001"),
        (["PORT=8080"], "127.0.0.1:8080", "127.0.0.1:8081"),
        (["BIND=127.0.0.1:9000"], "127.0.0.1:9000", "127.0.0.1:9001"),
    ],
)
def test_make_run_passes_the_port_to_the_server(arguments: list[str], bind: str, public: str) -> None:
    shown = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", *arguments], capture_output=True, text=True, check=True
    ).stdout
    command = next(line for line in shown.splitlines() if "courtpath web serve" in line)
    assert f"--bind {bind} --public-bind {public}" in command


def test_serve_and_init_print_the_address_to_open() -> None:
    from courtpath.cli.web import _login_where, local_url

    assert local_url("127.0.0.1:8080") == "http://127.0.0.1:8080/"
    assert _login_where(False, "127.0.0.1:8080") == "at http://127.0.0.1:8080/"
    assert "8080" not in _login_where(False, None) and "courtpath web serve" in _login_where(False, None)
    assert _login_where(True, "127.0.0.1:8080") == "through the TLS reverse proxy"
