"""Walking the public interview through its pages with Django's test client (shared by the interview tests)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.apps import apps
from django.db import connection
from django.test import Client

from courtpath.interview.definition import default_interview

INTERVIEW = default_interview()
PRIVATE_DATE = "03.04.2025"  # a date that must not appear in any log or table
ANSWERS = [
    ("status", {"q-status": "contract"}),
    ("absence_kind", {"q-absence_kind": "leave"}),
    ("left", {"q-left-date": PRIVATE_DATE, "q-left-time": "07:15"}),
    ("still_absent", {"q-still_absent": "no"}),
    ("returned", {"q-returned-date": "2025-04-20", "q-returned-time": "09:00"}),
    ("surrendered", {"q-surrendered": "yes"}),
    ("indicators", {"q-indicators": ["job"]}),
    ("weapon", {"q-weapon": "no"}),
    ("group", {"q-group": "no"}),
    ("first_offence", {"q-first_offence": "yes"}),
    ("grave_circumstances", {"q-grave_circumstances": "no"}),
    ("released_80_2", {"q-released_80_2": "no"}),
]


class Form(HTMLParser):
    """The hidden fields and the h1s of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.h1 = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden":
            self.hidden[str(values["name"])] = str(values.get("value") or "")
        if tag == "h1":
            self.h1 += 1


def post(client: Client, url: str, page: str, step: str | None, typed: dict[str, object], **extra: str):
    data: dict[str, object] = dict(Form(page).hidden)
    if step:
        data["step"] = step
    data.update(typed)
    data.update(extra)
    return client.post(url, data)


def walk(client: Client, lang: str = "ru", upto: int | None = None) -> str:
    """Answer the questions through the pages; the last page's HTML."""
    base = "/help/" if lang == "ru" else "/help/en/"
    page = client.post(f"{base}step/", {"go": "next"}).content.decode()
    for step, typed in ANSWERS[:upto]:
        assert f'name="step" value="{step}"' in page, step
        response = post(client, f"{base}step/", page, step, typed, go="next")
        assert response.status_code == 200
        page = response.content.decode()
    return page


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts
