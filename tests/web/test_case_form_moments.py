"""The case form shows stored moments the way they are typed, so that saving the form unchanged works (found by
benchmarks/bench_load.py: every fact edit of a case with dates was refused with 400)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse


class _EditForm(HTMLParser):
    """What a browser submits from the edit form: text inputs, checked boxes, selected options."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self.feed(html[html.index('<form method="post" novalidate>') :].split("</form>", maxsplit=1)[0])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        checkbox = a.get("type") == "checkbox"
        if tag == "input" and a.get("name") and (not checkbox or "checked" in a):
            self.data.setdefault(a["name"], []).append(a.get("value", "on" if checkbox else ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))


def test_the_edit_form_saves_unchanged(world: dict[str, object], login: Callable[..., object], client: Client) -> None:
    login(client, world["lawyer1"])
    url = reverse("cases:case_edit", args=[world["case"].code])
    page = client.get(url).content.decode()
    shown = re.search(r'name="left" value="([^"]*)"', page)
    assert shown is not None and shown.group(1) == "10.11.2026 08:00"  # Moscow time, as typed; stored in UTC
    response = client.post(url, _EditForm(page).data)
    assert response.status_code == 302, re.findall(r'<ul class="errorlist.*?</ul>', response.content.decode())
